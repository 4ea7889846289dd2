"""The staff guidance loop with rasa-sdk's Tracker and CollectingDispatcher (no server).

Expected checklists are rendered by the core (bot.guidance) from the same facts: the actions
must pass the core's text through, not write their own.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions import begeleiding
from bot import guidance, knowledge

K = knowledge.load()
TODAY = dt.date(2026, 1, 15)
ALLES = "cliënt gaat per 1 maart 2026 van de Wlz naar beschermd wonen, leveringsvorm 2, zonder wooncomponent"


@pytest.fixture(autouse=True)
def _vaste_datum(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BW_TODAY", TODAY.isoformat())


def tracker(
    text: str,
    slots: dict[str, Any] | None = None,
    intent: str = "begeleiding_vraag",
    channel: str = "rest",
    doelgroep: str | None = "medewerker",
) -> Tracker:
    return Tracker(
        sender_id="test",
        slots=dict(slots or {}),
        latest_message={
            "text": text,
            "intent": {"name": intent, "confidence": 0.9},
            "intent_ranking": [{"name": intent, "confidence": 0.9}],
            "metadata": {"doelgroep": doelgroep} if doelgroep else {},
        },
        events=[{"event": "user", "text": text, "input_channel": channel}],
        paused=False,
        followup_action=None,
        active_loop={"name": begeleiding.FORM},
        latest_action_name="action_listen",
    )


class Gesprek:
    """Runs the validation action turn by turn, keeping the slots like Rasa does."""

    def __init__(self, channel: str = "rest", doelgroep: str | None = "medewerker"):
        self.slots: dict[str, Any] = {}
        self.channel = channel
        self.doelgroep = doelgroep

    def zeg(self, text: str, intent: str = "begeleiding_vraag") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        d = CollectingDispatcher()
        events = begeleiding.ValidateBegeleidingForm().run(
            d, tracker(text, self.slots, intent, self.channel, self.doelgroep), {}
        )
        for e in events:
            if e.get("event") == "slot":
                self.slots[e["name"]] = e["value"]
        return d.messages, events

    @property
    def klaar(self) -> bool:
        return self.slots.get(begeleiding.SLOT_ANTWOORD) is not None

    def checklist(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        d = CollectingDispatcher()
        events = begeleiding.ActionBegeleidingChecklist().run(
            d, tracker("", self.slots, "begeleiding_vraag", self.channel, self.doelgroep), {}
        )
        return d.messages, events


def teksten(messages: list[dict[str, Any]]) -> str:
    return "\n".join(m.get("text") or "" for m in messages)


def vraag(feit: str) -> str:
    return guidance._catalogus(K)[feit]["vraag"]


# --------------------------------------------------------------------------- all at once


def test_all_facts_at_once_gives_the_cores_checklist():
    g = Gesprek()
    messages, _ = g.zeg(
        "cliënt gaat per 1 maart 2026 van de Wlz naar beschermd wonen, leveringsvorm 2, zonder wooncomponent"
    )
    assert messages == []
    assert g.klaar and g.slots[begeleiding.SLOT_SITUATIE] == "wlz_naar_bw"
    out, events = g.checklist()
    verwacht = guidance.checklist(
        K, "wlz_naar_bw", {"datum_overgang": dt.date(2026, 3, 1), "leveringsvorm": 2, "wooncomponent": "nee"}, TODAY
    ).markdown()
    assert out[-1]["text"] == verwacht
    slots = {e["name"]: e["value"] for e in events if e.get("event") == "slot"}
    assert slots == {"begeleiding_antwoord": None, "begeleiding_feiten": None, "begeleiding_situatie": None}


def test_slack_gets_slack_markup():
    g = Gesprek(channel="slack", doelgroep=None)
    g.zeg(ALLES)
    out, _ = g.checklist()
    verwacht = guidance.checklist(
        K, "wlz_naar_bw", {"datum_overgang": dt.date(2026, 3, 1), "leveringsvorm": 2, "wooncomponent": "nee"}, TODAY
    ).markdown(stijl="slack")
    assert out[-1]["text"] == verwacht


def test_a_citizen_gets_no_staff_checklist():
    g = Gesprek(doelgroep=None)
    messages, _ = g.zeg("ik ga per 1 maart van de Wlz naar beschermd wonen")
    assert "medewerkers van de gemeente" in teksten(messages)
    assert g.klaar
    out, _ = g.checklist()
    assert out == []


# --------------------------------------------------------------------------- several turns


def test_facts_over_several_turns_one_question_at_a_time():
    g = Gesprek()
    messages, _ = g.zeg("bw-client verhuist op 15-04 van Haarlem naar Amsterdam")
    assert g.slots[begeleiding.SLOT_SITUATIE] == "bw_verhuizing"
    assert len(messages) == 1 and messages[0]["text"].startswith(vraag("leveringsvorm"))
    assert [b["payload"] for b in messages[0]["buttons"]] == [
        b["payload"] for b in guidance.ontbrekend(K, "bw_verhuizing", {})[-2].knoppen()
    ] or messages[0]["buttons"]
    assert not g.klaar

    messages, _ = g.zeg("7")  # a button payload
    assert messages[0]["text"].startswith(vraag("wooncomponent"))
    assert [b["payload"] for b in messages[0]["buttons"]] == ["ja", "nee"]

    messages, _ = g.zeg("ja")
    assert messages == [] and g.klaar
    out, _ = g.checklist()
    verwacht = guidance.checklist(
        K,
        "bw_verhuizing",
        {
            "datum_overgang": dt.date(2026, 4, 15),
            "gemeente_oud": "Haarlem",
            "gemeente_nieuw": "Amsterdam",
            "leveringsvorm": 7,
            "wooncomponent": "ja",
        },
        TODAY,
    ).markdown()
    assert out[-1]["text"] == verwacht
    assert "2026" in out[0]["text"]  # the assumed year is said before the checklist


def test_a_date_asked_for_is_read_from_the_answer():
    g = Gesprek()
    messages, _ = g.zeg("cliënt gaat van de Wlz naar beschermd wonen, lv 5")
    assert messages[0]["text"].startswith(vraag("datum_overgang"))
    messages, _ = g.zeg("1 mei 2026")
    assert g.klaar
    out, _ = g.checklist()
    assert "1 mei 2026" in out[-1]["text"]


# --------------------------------------------------------------------------- problems


def test_a_correction_overwrites_the_fact():
    g = Gesprek()
    g.zeg("cliënt gaat per 1 maart 2026 van de Wlz naar beschermd wonen")
    messages, _ = g.zeg("nee, de datum is 1 april 2026")
    assert g.slots[begeleiding.SLOT_FEITEN]["datum_overgang"] == "2026-04-01"
    assert messages[-1]["text"].startswith(vraag("leveringsvorm"))  # the open question again
    g.zeg("2")  # leveringsvorm 2: no wooncomponent question
    assert g.klaar
    out, _ = g.checklist()
    verwacht = guidance.checklist(
        K, "wlz_naar_bw", {"datum_overgang": dt.date(2026, 4, 1), "leveringsvorm": 2}, TODAY
    ).markdown()
    assert out[-1]["text"] == verwacht


def test_an_impossible_date_is_asked_again():
    g = Gesprek()
    g.zeg("cliënt gaat van de Wlz naar beschermd wonen, lv 2")
    messages, _ = g.zeg("31 februari 2026")
    assert "'31 februari 2026' is geen bestaande datum" in teksten(messages)
    assert messages[-1]["text"].startswith(vraag("datum_overgang"))
    assert "datum_overgang" not in g.slots[begeleiding.SLOT_FEITEN]
    assert not g.klaar


def test_a_stop_before_the_start_is_refused_and_asked_again():
    g = Gesprek()
    messages, _ = g.zeg("afmelden: bw-cliënt met lv 2 stopt")
    assert g.slots[begeleiding.SLOT_SITUATIE] == "stoppen"
    assert messages[-1]["text"].startswith(vraag("datum_laatste_dag"))
    messages, _ = g.zeg("de zorg is gestart op 1 maart 2026")  # the (optional) start, while asked the stop
    assert g.slots[begeleiding.SLOT_FEITEN]["datum_start"] == "2026-03-01"
    assert messages[-1]["text"].startswith(vraag("datum_laatste_dag"))
    messages, _ = g.zeg("15 februari 2026")
    assert "Een stop kan niet vóór de start liggen" in teksten(messages)
    assert messages[-1]["text"].startswith(vraag("datum_laatste_dag"))
    assert "datum_laatste_dag" not in g.slots[begeleiding.SLOT_FEITEN]
    messages, _ = g.zeg("31 maart 2026")
    assert g.klaar
    out, _ = g.checklist()
    verwacht = guidance.checklist(
        K,
        "stoppen",
        {
            "regeling": "bw",
            "leveringsvorm": 2,
            "datum_start": dt.date(2026, 3, 1),
            "datum_laatste_dag": dt.date(2026, 3, 31),
        },
        TODAY,
    ).markdown()
    assert out[-1]["text"] == verwacht


def test_an_unknown_gemeente_is_named_and_asked_again():
    g = Gesprek()
    messages, _ = g.zeg("bw-client verhuist op 15-04-2026 van Haarlem naar Gotham")
    assert "Ik ken de gemeente 'Gotham' niet" in teksten(messages)
    assert messages[-1]["text"].startswith(vraag("gemeente_nieuw"))
    messages, _ = g.zeg("Smallville")
    assert "Ik ken de gemeente 'Smallville' niet" in teksten(messages)
    assert messages[-1]["text"].startswith(vraag("gemeente_nieuw"))
    messages, _ = g.zeg("Amsterdam")
    assert g.slots[begeleiding.SLOT_FEITEN]["gemeente_nieuw"] == "Amsterdam"
    assert messages[-1]["text"].startswith(vraag("leveringsvorm"))


def test_two_candidate_situations_are_offered_as_buttons():
    g = Gesprek()
    h = guidance.herken(K, "cliënt gaat van beschermd wonen", TODAY)
    assert len(h.kandidaten) >= 2 and h.situatie is None
    messages, _ = g.zeg("cliënt gaat van beschermd wonen")
    titels = [guidance.situatie(K, s).titel for s in h.kandidaten]
    assert [b["title"] for b in messages[-1]["buttons"]] == titels
    assert g.slots[begeleiding.SLOT_SITUATIE] is None and not g.klaar
    messages, _ = g.zeg(messages[-1]["buttons"][0]["payload"])  # click the first
    assert g.slots[begeleiding.SLOT_SITUATIE] == h.kandidaten[0]
    assert messages[-1]["text"].startswith(vraag("datum_overgang"))


def test_no_situation_recognised_offers_the_situations():
    g = Gesprek()
    messages, _ = g.zeg("ik heb een casus")
    assert len(messages[-1]["buttons"]) >= 5 and not g.klaar


# --------------------------------------------------------------------------- stopping


@pytest.mark.parametrize("text", ["ik wil hier niet mee verder", "ik wil stoppen", "stop"])
def test_stop_intent_without_facts_rejects_the_form_so_the_rule_ends_it(text: str):
    g = Gesprek()
    g.zeg("cliënt gaat per 1 maart 2026 van de Wlz naar beschermd wonen")
    messages, events = g.zeg(text, intent="stoppen")
    assert messages == [] and events == []


def test_typing_stop_ends_the_case_without_a_checklist():
    g = Gesprek()
    g.zeg("cliënt gaat per 1 maart 2026 van de Wlz naar beschermd wonen")
    messages, _ = g.zeg("stop", intent="afscheid")
    assert "gestopt" in teksten(messages) and g.klaar
    out, events = g.checklist()
    assert out == [] and all(e["value"] is None for e in events)


def test_stop_action_confirms_and_resets():
    d = CollectingDispatcher()
    events = begeleiding.ActionBegeleidingStoppen().run(d, tracker("stop", {begeleiding.SLOT_SITUATIE: "x"}), {})
    assert "gestopt" in d.messages[0]["text"]
    assert all(e["value"] is None for e in events)
