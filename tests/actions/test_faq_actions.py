"""The FAQ actions with rasa-sdk's Tracker and CollectingDispatcher (no server)."""

from __future__ import annotations

from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import faq
from bot import formatting, knowledge

K = knowledge.load()


def tracker(
    text: str,
    intent: str,
    ranking: list[dict[str, Any]] | None = None,
    slots: dict[str, Any] | None = None,
    channel: str = "rest",
) -> Tracker:
    return Tracker(
        sender_id="test",
        slots=slots or {},
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": ranking or [{"name": intent, "confidence": 0.9}],
            "metadata": {},
        },
        events=[{"event": "user", "text": text, "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def at_topic() -> str:
    return next(t.id for t in K.onderwerpen.values() if "{abonnementstarief}" in t.antwoord)


def run(action: Any, t: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    d = CollectingDispatcher()
    events = action.run(d, t, {})
    return d.messages, events


def test_answer_uses_the_year_in_the_message():
    messages, events = run(faq.ActionAnswerFaq(), tracker("hoeveel was het in 2019?", f"faq_{at_topic()}"))
    assert formatting.money(K.cijfer("abonnementstarief", 2019).waarde, "per_4_weken") in messages[0]["text"]
    assert {"event": "slot", "name": "jaar", "value": 2019, "timestamp": None} in events


def test_button_click_keeps_the_year_asked_before():
    t = tracker(f"/faq_{at_topic()}", f"faq_{at_topic()}", slots={"jaar": 2022.0})
    messages, _ = run(faq.ActionAnswerFaq(), t)
    assert formatting.money(K.cijfer("abonnementstarief", 2022).waarde, "per_maand") in messages[0]["text"]


def test_clarify_offers_the_two_best_guesses():
    ids = sorted(K.onderwerpen)[:2]
    ranking = [{"name": "nlu_fallback", "confidence": 0.6}] + [
        {"name": f"faq_{i}", "confidence": c} for i, c in zip(ids, (0.4, 0.35), strict=True)
    ]
    messages, _ = run(faq.ActionClarify(), tracker("eh", "nlu_fallback", ranking))
    payloads = [b["payload"] for b in messages[0]["buttons"]]
    assert payloads[:2] == [f"/faq_{i}" for i in ids]
    assert [b["title"] for b in messages[0]["buttons"]][:2] == [K.onderwerpen[i].titel for i in ids]


def test_out_of_scope_best_guess_gives_an_honest_answer():
    ranking = [
        {"name": "nlu_fallback", "confidence": 0.6},
        {"name": "buiten_bereik", "confidence": 0.5},
        {"name": f"faq_{at_topic()}", "confidence": 0.3},
    ]
    messages, _ = run(faq.ActionClarify(), tracker("wat is de hoofdstad", "nlu_fallback", ranking))
    assert messages[0]["text"].startswith("Dat weet ik niet")


@pytest.mark.parametrize(
    "channel,expected",
    [("rest", "burger"), ("socketio", "burger"), ("slack", "medewerker"), ("botframework", "medewerker")],
)
def test_channel_sets_the_audience(channel: str, expected: str):
    _, events = run(faq.ActionAnswerFaq(), tracker("vraag", f"faq_{at_topic()}", channel=channel))
    assert {"event": "slot", "name": "doelgroep", "value": expected, "timestamp": None} in events


def test_the_web_page_can_pin_the_gemeente():
    g = next(iter(K.gemeenten.values()))
    t = tracker("vraag", f"faq_{at_topic()}")
    t.latest_message["metadata"] = {"gemeente": g.naam.lower()}
    _, events = run(faq.ActionAnswerFaq(), t)
    assert {"event": "slot", "name": "gemeente", "value": g.naam, "timestamp": None} in events
    t.latest_message["metadata"] = {"gemeente": "Nergenshuizen"}
    _, events = run(faq.ActionAnswerFaq(), t)
    assert {"event": "slot", "name": "gemeente", "value": None, "timestamp": None} in events
