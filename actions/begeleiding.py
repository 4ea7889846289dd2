"""Case guidance for gemeente staff: a free-form loop around bot.guidance.

The form `begeleiding_form` has one requested slot, `begeleiding_antwoord`, filled from every
user message while the form runs. `validate_begeleiding_form` reads each message with the core
(`guidance.herken`, plus the answer to the question asked last), merges the facts into
`begeleiding_feiten`, says what is wrong (impossible date, stop before start, unknown
gemeente) and asks the next missing fact, one at a time. When nothing is missing it fills
`begeleiding_antwoord`, the form ends and `action_begeleiding_checklist` sends the checklist.

`begeleiding_feiten` holds the facts (dates as ISO text) plus bookkeeping under keys that
start with "_": the question asked last, candidate situations, assumptions, "stopped".
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import doelgroep_of, kennis, text_of
from bot import extract, guidance
from bot.knowledge import Knowledge, normalize
from bot.render import MEDEWERKER

FORM = "begeleiding_form"
SLOT_ANTWOORD = "begeleiding_antwoord"
SLOT_FEITEN = "begeleiding_feiten"
SLOT_SITUATIE = "begeleiding_situatie"
STOP_INTENT = "stoppen"

VRAAG = "_vraag"
KANDIDATEN = "_kandidaten"
AANNAMES = "_aannames"
GESTOPT = "_gestopt"

GESTOPT_TEKST = (
    "Goed, ik ben gestopt met deze begeleiding; de gegevens van deze casus zijn gewist. "
    "Beschrijf gerust een nieuwe casus of stel een andere vraag."
)
ALLEEN_MEDEWERKERS = (
    "Deze stap-voor-stap begeleiding is bedoeld voor medewerkers van de gemeente. "
    "Heeft u als inwoner een vraag over uw eigen bijdrage? Stel die gerust, "
    "dan zoek ik het antwoord voor u op."
)
WELKE_SITUATIE = "Om welke situatie gaat het? Kies er een, of beschrijf de casus in één zin."
WELKE_VAN_DEZE = "Ik zie twee of meer situaties die kunnen passen. Welke bedoelt u?"
GEEN_DATUM = "Ik kan daar geen datum in lezen. Schrijf bijvoorbeeld 1 maart 2026."
NIET_BEGREPEN = "Dat antwoord begrijp ik niet."
STOP_HINT = 'Typ "stop" als u wilt stoppen.'

_STOP_TEKST = re.compile(
    r"^\s*(stop|stoppen|ik wil stoppen|annuleer|annuleren|afbreken|laat maar|laat maar zitten|cancel)\s*[.!]*\s*$",
    re.IGNORECASE,
)
_CORRECTIE_START = ("start", "begin", "begon", "gestart", "aanmeld")
_CORRECTIE_STOP = ("stop", "laatste", "eind", "einde", "afmeld")


# --------------------------------------------------------------------------- helpers


def _vandaag() -> dt.date:
    return extract.today()


def _schoon(state: dict[str, Any]) -> dict[str, Any]:
    """The facts only, without the bookkeeping keys."""
    return {k: v for k, v in state.items() if not str(k).startswith("_")}


def _json(waarde: Any) -> Any:
    return waarde.isoformat() if isinstance(waarde, dt.date) else waarde


def _stijl(tracker: Tracker) -> str:
    return "slack" if tracker.get_latest_input_channel() == "slack" else "markdown"


def _situatie_ids(k: Knowledge) -> list[str]:
    return [s.id for s in guidance.situaties(k)]


def _knoppen_situaties(k: Knowledge, ids: list[str]) -> list[dict[str, str]]:
    return [{"title": guidance.situatie(k, sid).titel, "payload": guidance.situatie(k, sid).titel} for sid in ids]


def _hoofdsituaties(k: Knowledge) -> list[str]:
    return [s.id for s in guidance.situaties(k) if not s.is_leveringsvorm]


def _kies_situatie(k: Knowledge, text: str, ids: list[str]) -> str | None:
    """A button click or typed choice among candidate situations (by title or id)."""
    norm = normalize(text)
    if not norm:
        return None
    for sid in ids:
        if norm in (normalize(sid), normalize(guidance.situatie(k, sid).titel)):
            return sid
    return None


def _uit_keuze(vraag: guidance.Vraag, text: str) -> str | None:
    norm = normalize(text)
    for o in vraag.opties:
        if norm in (normalize(o.waarde), normalize(o.label)):
            return o.waarde
    eerste = norm.split()[0] if norm else ""
    waarden = {o.waarde for o in vraag.opties}
    if eerste in ("ja", "nee") and eerste in waarden:
        return eerste
    return None


def _datumfeiten(k: Knowledge, sid: str) -> list[str]:
    cat = guidance._catalogus(k)
    return [r.feit for r in guidance.situatie(k, sid).feiten if cat.get(r.feit, {}).get("soort") == "datum"]


def _soort_datum(feit: str) -> str | None:
    if "start" in feit:
        return "start"
    if "laatste" in feit or "einde" in feit:
        return "stop"
    return None


def _datumfeit_uit_woorden(k: Knowledge, sid: str, text: str) -> str | None:
    """The date fact a message names with words: "startdatum", "begon", "laatste dag", "stopt"."""
    woorden = normalize(text).split()
    datums = _datumfeiten(k, sid)
    if any(w.startswith(("fout", "verkeerd")) for w in woorden):
        kandidaat = next((f for f in datums if f.endswith("_fout")), None)
        if kandidaat:
            return kandidaat
    if any(w.startswith(_CORRECTIE_STOP) for w in woorden):
        kandidaat = next((f for f in datums if _soort_datum(f) == "stop"), None)
        if kandidaat:
            return kandidaat
    if any(w.startswith(_CORRECTIE_START) for w in woorden):
        kandidaat = next((f for f in datums if _soort_datum(f) == "start" and not f.endswith("_fout")), None)
        if kandidaat:
            return kandidaat
    return None


def _correctie_datumfeit(k: Knowledge, sid: str, feiten: dict[str, Any], text: str) -> str | None:
    """Which date fact a date in a correction ("nee, de datum is 1 april") replaces."""
    genoemd = _datumfeit_uit_woorden(k, sid, text)
    if genoemd:
        return genoemd
    datums = _datumfeiten(k, sid)
    bekend = [f for f in datums if f in feiten] or datums
    return bekend[0] if bekend else None


def _antwoord_op_vraag(
    k: Knowledge, vraag: guidance.Vraag, text: str, h: guidance.Herkenning
) -> tuple[Any, str | None]:
    """The value the answer gives for the question asked, or (None, message)."""
    if vraag.soort == "datum":
        if h.datums:
            return h.datums[0].isoformat(), None
        return None, (None if h.problemen else GEEN_DATUM)
    if vraag.soort == "gemeente":
        if h.gemeenten:
            return h.gemeenten[0], None
        if h.onbekende_gemeenten:
            return None, None  # herken already names it in its problems
        naam = re.sub(r"^(?:de\s+)?(?:gemeente\s+)?", "", text.strip(), flags=re.IGNORECASE).strip(" .!?")
        return (naam or None), (None if naam else NIET_BEGREPEN)  # the core checks the name
    if vraag.soort == "leveringsvorm":
        if h.leveringsvorm is not None:
            return h.leveringsvorm, None
        m = re.fullmatch(r"\s*(?:lv|leveringsvorm)?\s*(\d+)\s*[.!]?\s*", text, flags=re.IGNORECASE)
        if m:
            return int(m.group(1)), None  # the core checks that it exists
        return None, None if h.problemen else NIET_BEGREPEN
    if vraag.soort == "keuze":
        waarde = _uit_keuze(vraag, text)
        if waarde is None and vraag.feit in h.feiten:
            waarde = str(h.feiten[vraag.feit])
        return waarde, None if waarde is not None else NIET_BEGREPEN
    return text.strip() or None, None


def _fout_in(k: Knowledge, sid: str, feiten: dict[str, Any], vandaag: dt.date) -> str | None:
    try:
        guidance.checklist(k, sid, feiten, vandaag)
    except guidance.GuidanceError as exc:
        return str(exc)
    return None


def _voeg_toe(
    k: Knowledge, sid: str, feiten: dict[str, Any], nieuw: dict[str, Any], vandaag: dt.date, meldingen: list[str]
) -> dict[str, Any]:
    """Add the new facts one by one; a fact the core rejects is left out and its message kept."""
    uit = dict(feiten)
    for naam, waarde in nieuw.items():
        poging = {**uit, naam: _json(waarde)}
        fout = _fout_in(k, sid, poging, vandaag)
        if fout:
            if fout not in meldingen:
                meldingen.append(fout)
            uit.pop(naam, None)  # a corrected value that does not fit: ask again
        else:
            uit = poging
    return uit


def _reset() -> list[EventType]:
    return [SlotSet(SLOT_ANTWOORD, None), SlotSet(SLOT_FEITEN, None), SlotSet(SLOT_SITUATIE, None)]


# --------------------------------------------------------------------------- actions


class ValidateBegeleidingForm(Action):
    """Reads every message of the case, merges the facts, asks the next missing one."""

    def name(self) -> str:
        return f"validate_{FORM}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        k = kennis()
        vandaag = _vandaag()
        text = text_of(tracker)
        intent = (tracker.latest_message.get("intent") or {}).get("name")
        state: dict[str, Any] = dict(tracker.get_slot(SLOT_FEITEN) or {})
        sid: str | None = tracker.get_slot(SLOT_SITUATIE)
        nieuw_gesprek = not state and sid is None

        h = guidance.herken(k, text, vandaag)
        stop_tekst = bool(_STOP_TEKST.match(text))
        if intent == STOP_INTENT and (stop_tekst or not (h.situatie or h.feiten or h.datums or h.gemeenten)):
            return []  # nothing extracted: the form is rejected and the `stoppen` rule ends it
        if stop_tekst:  # "stop" that the NLU did not classify as `stoppen`
            dispatcher.utter_message(text=GESTOPT_TEKST)
            return self._klaar(text, {GESTOPT: True}, None)

        if nieuw_gesprek and doelgroep_of(tracker) != MEDEWERKER:
            dispatcher.utter_message(text=ALLEEN_MEDEWERKERS)
            return self._klaar(text, {GESTOPT: True}, None)

        feiten = _schoon(state)
        meldingen: list[str] = list(h.problemen)
        kandidaten = [c for c in state.get(KANDIDATEN) or [] if c in _situatie_ids(k)]
        aannames = [a for a in state.get(AANNAMES) or []]
        for a in h.aannames:
            if a not in aannames:
                aannames.append(a)

        # which situation
        gekozen = _kies_situatie(k, text, kandidaten or _hoofdsituaties(k)) if sid is None else None
        if gekozen:
            sid = gekozen
        elif h.situatie and (sid is None or not guidance.situatie(k, h.situatie).is_leveringsvorm):
            sid = h.situatie  # a new or corrected situation; a leveringsvorm alone is an answer
        elif sid is None and h.kandidaten:
            kandidaten = h.kandidaten

        # the facts in this message
        vorige = state.get(VRAAG)
        nieuw: dict[str, Any] = {}
        if sid is not None:
            nodig = {r.feit for r in guidance.situatie(k, sid).feiten}
            nieuw.update({n: v for n, v in h.feiten.items() if n in nodig})
            vraag = next((v for v in guidance.ontbrekend(k, sid, feiten) if v.feit == vorige), None)
            zelfde = not gekozen and sid == tracker.get_slot(SLOT_SITUATIE)
            datum_in_nieuw = any(isinstance(v, dt.date) for v in nieuw.values())
            if vraag is not None and vraag.feit not in nieuw and zelfde and (vraag.soort == "datum" or not h.datums):
                doel = vraag.feit
                if vraag.soort == "datum" and h.datums:  # "de zorg begon op 1 maart" while asked the stop
                    genoemd = _datumfeit_uit_woorden(k, sid, text)
                    if genoemd and _soort_datum(genoemd) != _soort_datum(vraag.feit):
                        doel = genoemd
                waarde, melding = _antwoord_op_vraag(k, vraag, text, h)
                if waarde is not None:
                    nieuw[doel] = waarde
                elif melding and not meldingen:
                    meldingen.append(melding)
            elif zelfde and h.datums and not datum_in_nieuw and not h.situatie:
                # a correction: "nee, de datum is 1 april"
                gecorrigeerd = _correctie_datumfeit(k, sid, feiten, text)
                if gecorrigeerd:
                    nieuw[gecorrigeerd] = h.datums[0]
            feiten = _voeg_toe(k, sid, feiten, nieuw, vandaag, meldingen)
        elif not kandidaten and h.feiten:
            feiten.update({n: _json(v) for n, v in h.feiten.items()})

        for m in meldingen:
            dispatcher.utter_message(text=m)

        nieuw_state: dict[str, Any] = dict(feiten)
        if aannames:
            nieuw_state[AANNAMES] = aannames

        if sid is None:
            ids = kandidaten or _hoofdsituaties(k)
            nieuw_state[KANDIDATEN] = ids
            vraagtekst = WELKE_VAN_DEZE if len(kandidaten) >= 2 else WELKE_SITUATIE
            dispatcher.utter_message(text=vraagtekst, buttons=_knoppen_situaties(k, ids))
            return self._verder(nieuw_state, None)

        ontbreekt = guidance.ontbrekend(k, sid, feiten)
        if not ontbreekt:
            return self._klaar(text, nieuw_state, sid)
        volgende = ontbreekt[0]
        nieuw_state[VRAAG] = volgende.feit
        tekst = volgende.vraag
        if volgende.uitleg:
            tekst += "\n" + str(volgende.uitleg).strip()
        if meldingen and not volgende.knoppen():
            tekst += " " + STOP_HINT
        dispatcher.utter_message(text=tekst, buttons=volgende.knoppen())
        return self._verder(nieuw_state, sid)

    @staticmethod
    def _verder(state: dict[str, Any], sid: str | None) -> list[EventType]:
        return [SlotSet(SLOT_FEITEN, state), SlotSet(SLOT_SITUATIE, sid), SlotSet(SLOT_ANTWOORD, None)]

    @staticmethod
    def _klaar(text: str, state: dict[str, Any], sid: str | None) -> list[EventType]:
        return [SlotSet(SLOT_FEITEN, state), SlotSet(SLOT_SITUATIE, sid), SlotSet(SLOT_ANTWOORD, text or "klaar")]


class ActionBegeleidingChecklist(Action):
    """The form is done: send the checklist (Slack markup on Slack) and forget the case."""

    def name(self) -> str:
        return "action_begeleiding_checklist"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        state: dict[str, Any] = dict(tracker.get_slot(SLOT_FEITEN) or {})
        sid = tracker.get_slot(SLOT_SITUATIE)
        if state.get(GESTOPT) or not sid:
            return _reset()
        k = kennis()
        aannames = [str(a) for a in state.get(AANNAMES) or []]
        try:
            c = guidance.checklist(k, sid, _schoon(state), _vandaag())
        except guidance.GuidanceError as exc:  # should not happen: the form checked the facts
            dispatcher.utter_message(text=str(exc))
            return _reset()
        if aannames:
            dispatcher.utter_message(text="Let op: " + " ".join(aannames))
        dispatcher.utter_message(text=c.markdown(stijl=_stijl(tracker)))
        return _reset()


class ActionBegeleidingStoppen(Action):
    """The staff member stopped halfway (intent `stoppen`, after the form was deactivated)."""

    def name(self) -> str:
        return "action_begeleiding_stoppen"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=GESTOPT_TEKST)
        return _reset()
