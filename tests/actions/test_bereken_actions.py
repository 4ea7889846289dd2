"""The eigen-bijdrage form actions with rasa-sdk's Tracker and CollectingDispatcher (no server).

Expected texts are always rendered by the core (bot/calculation.py), never typed here.
"""

from __future__ import annotations

import asyncio
from decimal import Decimal
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import bereken
from bot import calculation, knowledge
from bot.calculation import Huishouden, Persoon
from bot.extract import today

K = knowledge.load()
FORM_DOMAIN: dict[str, Any] = {
    "forms": {
        "bereken_form": {
            "required_slots": [
                "zorgsoort",
                "huishouden",
                "leeftijd",
                "partner_leeftijd",
                "inkomen",
                "vermogen",
                "met_partner",
            ]
        }
    },
    "slots": {s: {"type": "any", "mappings": [{"type": "custom"}]} for s in bereken.SLOTS},
}


def tracker(text: str, intent: str = "bereken_bijdrage", slots: dict[str, Any] | None = None) -> Tracker:
    alle = {s: None for s in bereken.SLOTS} | {"requested_slot": None} | (slots or {})
    return Tracker(
        sender_id="test",
        slots=alle,
        latest_message={"text": text, "intent": {"name": intent, "confidence": 0.9}, "metadata": {}},
        events=[{"event": "user", "text": text, "input_channel": "rest"}],
        paused=False,
        followup_action=None,
        active_loop={"name": "bereken_form"},
        latest_action_name="action_listen",
    )


def validate(t: Tracker) -> tuple[list[str], dict[str, Any]]:
    """Run the form validation; returns the messages and the slots as set by its events."""
    d = CollectingDispatcher()
    events = asyncio.run(bereken.ValidateBerekenForm().run(d, t, FORM_DOMAIN))
    return [m["text"] for m in d.messages], {e["name"]: e["value"] for e in events}


def bereken_tekst(slots: dict[str, Any]) -> str:
    d = CollectingDispatcher()
    bereken.ActionBereken().run(d, tracker("", slots=slots), {})
    assert len(d.messages) == 1
    return d.messages[0]["text"]


def test_all_facts_in_one_message_fill_the_form():
    _, slots = validate(tracker("Ik ben 72 en woon alleen, wat betaal ik voor de wmo in 2024?"))
    assert slots["zorgsoort"] == "wmo"
    assert slots["huishouden"] == "alleen"
    assert slots["leeftijd"] == 72
    assert slots["bereken_jaar"] == 2024
    assert slots["requested_slot"] is None  # nothing left to ask


def test_result_text_is_the_core_text_for_the_same_facts():
    _, slots = validate(tracker("Ik ben 72 en woon alleen, wat betaal ik voor de wmo in 2024?"))
    expected = calculation.abonnementstarief(K, 2024, Huishouden("alleen", client=Persoon.met_leeftijd(72))).tekst(K)
    assert bereken_tekst(slots) == expected


def test_instelling_result_is_the_core_text():
    slots = {"zorgsoort": "instelling", "inkomen": "20000", "vermogen": "0", "met_partner": False}
    expected = calculation.lage_eigen_bijdrage(
        K, Decimal(20000), None, today().year, met_partner=False, vermogen_t2=Decimal(0)
    ).tekst(K)
    assert bereken_tekst(slots) == expected


def test_result_resets_the_form_slots():
    d = CollectingDispatcher()
    events = bereken.ActionBereken().run(d, tracker("", slots={"zorgsoort": "wmo", "huishouden": "alleen"}), {})
    assert {e["name"]: e["value"] for e in events} == {s: None for s in bereken.SLOTS}


def test_facts_over_several_turns_ask_the_next_question():
    _, slots = validate(tracker("bereken mijn eigen bijdrage"))
    assert slots["requested_slot"] == "zorgsoort"
    _, slots = validate(tracker("wmo", slots={"requested_slot": "zorgsoort"}))
    assert slots == {"zorgsoort": "wmo", "requested_slot": "huishouden"}
    _, slots = validate(tracker("met partner", slots={"zorgsoort": "wmo", "requested_slot": "huishouden"}))
    assert slots["huishouden"] == "partner" and slots["requested_slot"] == "leeftijd"
    known = {"zorgsoort": "wmo", "huishouden": "partner", "requested_slot": "leeftijd"}
    _, slots = validate(tracker("72", slots=known))
    assert slots["leeftijd"] == 72 and slots["requested_slot"] == "partner_leeftijd"


def test_instelling_asks_income_savings_partner():
    _, slots = validate(tracker("instelling", slots={"requested_slot": "zorgsoort"}))
    assert slots["requested_slot"] == "inkomen"
    _, slots = validate(tracker("€ 24.000", slots={"zorgsoort": "instelling", "requested_slot": "inkomen"}))
    assert slots["inkomen"] == "24000" and slots["requested_slot"] == "vermogen"


def test_income_question_names_the_year_two_years_earlier():
    d = CollectingDispatcher()
    bereken.ActionAskInkomen().run(d, tracker("", slots={"bereken_jaar": 2024.0}), {})
    assert "2022" in d.messages[0]["text"] and "verzamelinkomen" in d.messages[0]["text"]


def test_correction_overrides_an_earlier_answer():
    known = {"zorgsoort": "wmo", "huishouden": "partner", "leeftijd": 72.0, "requested_slot": "partner_leeftijd"}
    _, slots = validate(tracker("nee, ik ben 68", intent="ontkennen", slots=known))
    assert slots["leeftijd"] == 68
    assert slots["requested_slot"] == "partner_leeftijd"


@pytest.mark.parametrize(
    "text,slot,known,core_call",
    [
        ("200", "leeftijd", {"zorgsoort": "wmo", "huishouden": "alleen"}, lambda: calculation._leeftijd(200)),
        ("-500", "inkomen", {"zorgsoort": "instelling"}, lambda: calculation._bedrag("-500", "inkomen")),
        (
            "weet ik niet",
            "leeftijd",
            {"zorgsoort": "wmo", "huishouden": "alleen"},
            lambda: calculation._leeftijd("weet ik niet"),
        ),
        (
            "ongeveer twintig duizend",
            "inkomen",
            {"zorgsoort": "instelling"},
            lambda: calculation._bedrag("ongeveer twintig duizend", "inkomen"),
        ),
    ],
)
def test_invalid_answer_gets_the_core_message_and_the_question_again(text, slot, known, core_call):
    with pytest.raises(calculation.InvoerFout) as fout:
        core_call()
    messages, slots = validate(tracker(text, intent="nlu_fallback", slots=known | {"requested_slot": slot}))
    assert messages == [str(fout.value)]
    assert slots[slot] is None
    assert slots["requested_slot"] == slot


def test_impossible_age_inside_a_sentence_gets_the_core_message():
    with pytest.raises(calculation.InvoerFout) as fout:
        calculation.extract_feiten("ik ben 200 en woon alleen")
    messages, slots = validate(
        tracker("ik ben 200 en woon alleen", slots={"zorgsoort": "wmo", "requested_slot": "huishouden"})
    )
    assert messages == [str(fout.value)]
    assert slots == {"huishouden": None, "requested_slot": "huishouden"}


def test_a_faq_question_is_not_read_as_an_answer():
    # Nothing is extracted, so the form rejects the turn and the FAQ rule answers.
    known = {"zorgsoort": "wmo", "requested_slot": "huishouden"}
    messages, slots = validate(
        tracker("hoe hoog is de eigen bijdrage wmo in 2019", intent="faq_at_bedrag", slots=known)
    )
    assert messages == []
    assert "bereken_jaar" not in slots and "huishouden" not in slots


def test_stop_clears_the_form_slots():
    d = CollectingDispatcher()
    events = bereken.ActionBerekenStoppen().run(d, tracker("stop", intent="stoppen", slots={"zorgsoort": "wmo"}), {})
    assert {e["name"]: e["value"] for e in events} == {s: None for s in bereken.SLOTS}
