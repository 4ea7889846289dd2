"""action_medewerker and action_niet_opgelost with rasa-sdk's Tracker (no server)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import handoff
from bot import tickets

BSN = "111222333"


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tickets.TicketStore:
    url = f"sqlite:///{tmp_path / 'tickets.db'}"
    monkeypatch.setenv("BW_DATABASE_URL", url)
    monkeypatch.delenv("BW_TICKET_WEBHOOK_URL", raising=False)
    return tickets.store(url)


def user(text: str, intent: str, channel: str) -> dict[str, Any]:
    return {"event": "user", "text": text, "input_channel": channel, "parse_data": {"intent": {"name": intent}}}


def tracker(channel: str = "slack", slots: dict[str, Any] | None = None) -> Tracker:
    events = [
        user("oude sessie: factuur", "faq_x", channel),
        {"event": "session_started"},
        user("hallo", "groet", channel),
        {"event": "bot", "text": "Hallo! Ik beantwoord vragen over de eigen bijdrage."},
        user(f"Ik heb drie facturen tegelijk gekregen, bsn {BSN}", "nlu_fallback", channel),
        {"event": "bot", "text": "Ik weet niet zeker wat u bedoelt."},
        user("ik wil een medewerker spreken", "vraag_medewerker", channel),
    ]
    return Tracker(
        sender_id="U123" if channel == "slack" else "web-1",
        slots=slots or {"jaar": 2024.0, "gemeente": None, "melding": None},
        latest_message={"text": events[-1]["text"], "intent": {"name": "vraag_medewerker"}, "metadata": {}},
        events=events,
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


def run(action: Any, t: Tracker) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    d = CollectingDispatcher()
    return d.messages, action.run(d, t, {})


def test_medewerker_makes_a_ticket_for_staff(db: tickets.TicketStore):
    messages, events = run(handoff.ActionMedewerker(), tracker("slack"))
    stored = db.find()
    assert len(stored) == 1
    t = stored[0]
    assert events == [{"event": "slot", "name": "melding", "value": t.id, "timestamp": None}]
    text = messages[0]["text"]
    assert t.id in text and "via Slack" in text and "1 werkdag " in text and "eigen afspraak" in text
    assert "wmoservicedesk@hetcak.nl" in text  # the staff contact of the CAK
    assert (t.category, t.handler, t.urgency, t.audience, t.channel, t.caller) == (
        "factuur", "cak", "hoog", "medewerker", "slack", "U123",
    )
    assert t.aanleiding == tickets.AANLEIDING_MEDEWERKER and t.facts == {"jaar": 2024}
    # Only the current session, user and bot texts, masked.
    assert [m["rol"] for m in t.transcript] == ["gebruiker", "assistent", "gebruiker", "assistent", "gebruiker"]
    assert BSN not in str(t.transcript) and "[BSN verwijderd]" in t.transcript[2]["tekst"]
    assert "drie facturen" in t.summary


def test_citizen_gets_the_number_and_where_to_call(db: tickets.TicketStore):
    messages, _ = run(handoff.ActionMedewerker(), tracker("socketio"))
    t = db.find()[0]
    text = messages[0]["text"]
    assert t.audience == "burger" and t.id in text and "0800 1925" in text and "meldingnummer" in text


def test_niet_opgelost_says_so_and_makes_a_ticket(db: tickets.TicketStore):
    t = tracker("botframework", {"melding": "BW-AAA-BBB"})
    t.latest_message["metadata"] = {"gebruiker_naam": "J. Jansen", "aad_object_id": "oid-1", "ander": "x"}
    messages, events = run(handoff.ActionNietOpgelost(), t)
    t = db.find()[0]
    assert "Ik geef hem door aan een mens" in messages[0]["text"] and t.id in messages[1]["text"]
    assert t.aanleiding == tickets.AANLEIDING_NIET_OPGELOST
    assert t.facts == {
        "eerdere_melding": "BW-AAA-BBB", "gebruiker_naam": "J. Jansen", "aad_object_id": "oid-1",
    }
    assert events[0]["value"] == t.id


def test_storage_failure_still_answers(db: tickets.TicketStore, monkeypatch: pytest.MonkeyPatch):
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("database weg")

    monkeypatch.setattr(tickets, "open_ticket", broken)
    messages, events = run(handoff.ActionMedewerker(), tracker("rest"))
    assert "niet gelukt" in messages[0]["text"] and "0800 1925" in messages[0]["text"]
    assert events == []
