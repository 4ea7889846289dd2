"""The eigen-bijdrage form: facts from the conversation into slots, slots into the core.

No rule of the calculation lives here. Facts come from `calculation.extract_feiten` (any message
during the form, so one message can fill everything and "nee, ik ben 68" corrects an answer),
plus the plain answer to the question just asked ("72", "alleen", a button payload). Checks use
the core's own checks, so the user reads the core's Dutch `InvoerFout` message. The result is
`Resultaat.tekst(k)` via the core's JSON contract (`calculation.bereken_json`).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import Any

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.common import kennis, text_of
from bot import calculation, extract
from bot.calculation import InvoerFout

FORM = "bereken_form"
WMO, INSTELLING = "wmo", "instelling"
# Every slot the form can fill, asked or not (facts in a message are taken for all of them).
SLOTS = (
    "zorgsoort",
    "huishouden",
    "leeftijd",
    "geboortejaar",
    "partner_leeftijd",
    "partner_geboortejaar",
    "inkomen",
    "vermogen",
    "met_partner",
    "bereken_jaar",
)
# Intents that are a question or a command, not an answer: their text is not read as facts
# (unless it is a plain answer such as "72"), so the form lets the matching rule answer.
_GEEN_ANTWOORD = {"buiten_bereik", "stoppen", "vraag_medewerker", "wie_ben_jij", "groet", "afscheid", "bedankt"}

_GETAL = re.compile(r"\s*(?:€\s*)?-?\d[\d.,]*\s*(?:euro|jaar(?:\s+oud)?)?\s*[.!]?\s*", re.I)
_KEUZES: dict[str, dict[str, Any]] = {
    "zorgsoort": {"wmo": WMO, "thuis": WMO, "instelling": INSTELLING, "intramuraal": INSTELLING},
    "huishouden": {
        "alleen": "alleen",
        "partner": "partner",
        "met partner": "partner",
        "met mijn partner": "partner",
        "samen": "partner",
        "anders": "anders",
        "met anderen": "anders",
    },
    "met_partner": {"ja": True, "nee": False, "ja, met partner": True, "nee, alleen": False, "alleen": False},
}
_GEEN = {"geen", "niks", "niets", "nee", "0"}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower().rstrip(".!"))


@functools.lru_cache(maxsize=256)
def _feiten_of(text: str, today: dt.date) -> tuple[dict[str, Any], str | None]:
    try:
        return calculation.extract_feiten(text, today), None
    except InvoerFout as exc:
        return {}, str(exc)


def _is_vraag(tracker: Tracker) -> bool:
    intent = str((tracker.latest_message.get("intent") or {}).get("name") or "")
    return intent.startswith("faq_") or intent in _GEEN_ANTWOORD


def _plain(tracker: Tracker) -> Any:
    """The plain answer to the requested slot, or None when the message is not one."""
    slot = tracker.get_slot("requested_slot")
    text = text_of(tracker)
    if slot in _KEUZES:
        return _KEUZES[slot].get(_norm(text))
    if slot == "vermogen" and _norm(text) in _GEEN:
        return "0"
    if slot in ("leeftijd", "partner_leeftijd", "inkomen", "vermogen") and _GETAL.fullmatch(text):
        return text.strip()
    return None


def _feiten(tracker: Tracker) -> dict[str, Any]:
    """Facts in the latest message; none when it is a plain answer or clearly a question."""
    if _plain(tracker) is not None or _is_vraag(tracker):
        return {}
    return _feiten_of(text_of(tracker), extract.today())[0]


def _fout(tracker: Tracker) -> str | None:
    if _plain(tracker) is not None or _is_vraag(tracker):
        return None
    return _feiten_of(text_of(tracker), extract.today())[1]


def _antwoord(tracker: Tracker, slot: str) -> Any:
    """The plain answer if `slot` was asked; a non-empty text answer is returned as is, so that
    the validator can say what is wrong with it (text where a number is expected)."""
    if tracker.get_slot("requested_slot") != slot:
        return None
    plain = _plain(tracker)
    if plain is not None:
        return plain
    if _is_vraag(tracker) or _feiten(tracker):
        return None
    text = text_of(tracker).strip()
    return text or None


class ValidateBerekenForm(FormValidationAction):
    def name(self) -> str:
        return "validate_bereken_form"

    # ------------------------------------------------------------------ which questions

    async def required_slots(
        self, domain_slots: list[str], dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[str]:
        zorg = tracker.slots.get("zorgsoort")
        if zorg == WMO:
            slots = ["zorgsoort", "huishouden"]
            if tracker.slots.get("geboortejaar") is None:
                slots.append("leeftijd")
            if tracker.slots.get("huishouden") == "partner" and tracker.slots.get("partner_geboortejaar") is None:
                slots.append("partner_leeftijd")
            return slots
        if zorg == INSTELLING:
            return ["zorgsoort", "inkomen", "vermogen", "met_partner"]
        return ["zorgsoort"]

    # ------------------------------------------------------------------ extraction and validation
    # Facts are taken for every slot of the form, asked or not; then every slot that changed in
    # this turn is validated, and the next question follows from required_slots.

    async def get_extraction_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        fout = _fout(tracker)
        if fout is not None:
            dispatcher.utter_message(text=fout)
            gevraagd = tracker.get_slot("requested_slot")
            # A SlotSet keeps the form from rejecting the turn: it asks its question again.
            return [SlotSet(gevraagd, None)] if gevraagd else []
        gevonden: dict[str, Any] = {}
        for slot in SLOTS:
            gevonden.update(await self._extract_slot(slot, dispatcher, tracker, domain))
        return [SlotSet(slot, value) for slot, value in gevonden.items()]

    async def get_validation_events(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> list[EventType]:
        slots: dict[str, Any] = {k: v for k, v in tracker.slots_to_validate().items() if k in SLOTS}
        for slot, value in list(slots.items()):
            if value is None:
                continue
            uitkomst = getattr(self, f"validate_{slot}")(value, dispatcher, tracker, domain)
            slots.update(uitkomst)
            tracker.slots.update(uitkomst)
        return [SlotSet(slot, value) for slot, value in slots.items()]

    # extract_<slot>: {slot: value} when the latest message gives it, else {}.

    def extract_zorgsoort(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        zorg = _feiten(tracker).get("zorg")
        if zorg is not None:
            return {"zorgsoort": INSTELLING if zorg == "intramuraal" else WMO}
        antwoord = _antwoord(tracker, "zorgsoort")
        return {} if antwoord is None else {"zorgsoort": antwoord}

    def extract_huishouden(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        hh = _feiten(tracker).get("huishouden")
        if hh is not None:
            return {"huishouden": hh}
        antwoord = _antwoord(tracker, "huishouden")
        return {} if antwoord is None else {"huishouden": antwoord}

    def _persoon(self, tracker: Tracker, prefix: str) -> dict:
        feiten = _feiten(tracker)
        uit: dict[str, Any] = {}
        if feiten.get(prefix + "leeftijd") is not None:
            uit = {prefix + "leeftijd": feiten[prefix + "leeftijd"], prefix + "geboortejaar": None}
        elif feiten.get(prefix + "geboortejaar") is not None:
            uit = {prefix + "geboortejaar": feiten[prefix + "geboortejaar"], prefix + "leeftijd": None}
        else:
            antwoord = _antwoord(tracker, prefix + "leeftijd")
            if antwoord is not None:
                uit = {prefix + "leeftijd": antwoord}
        return uit

    def extract_leeftijd(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        return {k: v for k, v in self._persoon(tracker, "").items() if k == "leeftijd"}

    def extract_geboortejaar(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        return {k: v for k, v in self._persoon(tracker, "").items() if k == "geboortejaar"}

    def extract_partner_leeftijd(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        return {k: v for k, v in self._persoon(tracker, "partner_").items() if k == "partner_leeftijd"}

    def extract_partner_geboortejaar(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> dict:
        return {k: v for k, v in self._persoon(tracker, "partner_").items() if k == "partner_geboortejaar"}

    def _bedrag(self, tracker: Tracker, slot: str, feit: str) -> dict:
        waarde = _feiten(tracker).get(feit)
        if waarde is not None:
            return {slot: str(waarde)}
        antwoord = _antwoord(tracker, slot)
        return {} if antwoord is None else {slot: antwoord}

    def extract_inkomen(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        return self._bedrag(tracker, "inkomen", "inkomen")

    def extract_vermogen(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        return self._bedrag(tracker, "vermogen", "spaargeld")

    def extract_met_partner(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        hh = _feiten(tracker).get("huishouden")
        if hh is not None:
            return {"met_partner": hh == "partner"}
        antwoord = _antwoord(tracker, "met_partner")
        return {} if antwoord is None else {"met_partner": antwoord}

    def extract_bereken_jaar(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> dict:
        jaar = _feiten(tracker).get("jaar")
        return {} if jaar is None else {"bereken_jaar": jaar}

    # validate_<slot>: the core's checks; on an InvoerFout its message, and the slot stays empty.

    @staticmethod
    def _check(slot: str, dispatcher: CollectingDispatcher, check: Any) -> dict:
        try:
            return {slot: check()}
        except InvoerFout as exc:
            dispatcher.utter_message(text=str(exc))
            return {slot: None}

    @staticmethod
    def _keuze(slot: str, value: Any, dispatcher: CollectingDispatcher, keuzes: tuple[Any, ...], vraag: str) -> dict:
        if value in keuzes:
            return {slot: value}
        dispatcher.utter_message(text=f"Dat antwoord begrijp ik niet ('{value}'). {vraag}")
        return {slot: None}

    def validate_zorgsoort(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        return self._keuze("zorgsoort", value, dispatcher, (WMO, INSTELLING), "Kies Wmo of instelling.")

    def validate_huishouden(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        return self._keuze(
            "huishouden", value, dispatcher, calculation.HUISHOUDENS, "Kies alleen, met partner of anders."
        )

    def validate_met_partner(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        return self._keuze("met_partner", value, dispatcher, (True, False), "Antwoord met ja of nee.")

    def validate_leeftijd(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        return self._check("leeftijd", dispatcher, lambda: calculation._leeftijd(value, "leeftijd"))

    def validate_partner_leeftijd(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ):
        return self._check(
            "partner_leeftijd", dispatcher, lambda: calculation._leeftijd(value, "leeftijd van uw partner")
        )

    def validate_geboortejaar(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        return {"geboortejaar": int(value)}

    def validate_partner_geboortejaar(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ):
        return {"partner_geboortejaar": int(value)}

    def validate_inkomen(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        return self._check("inkomen", dispatcher, lambda: str(calculation._bedrag(value, "inkomen")))

    def validate_vermogen(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        return self._check("vermogen", dispatcher, lambda: str(calculation._bedrag(value, "vermogen")))

    def validate_bereken_jaar(self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict):
        return self._check("bereken_jaar", dispatcher, lambda: calculation._jaar(int(value)))


def invoer_van(slots: dict[str, Any]) -> dict[str, Any]:
    """Slots -> the core's JSON contract (`calculation.bereken_json`). Translation only."""

    def geheel(naam: str) -> int | None:
        waarde = slots.get(naam)
        return None if waarde is None else int(waarde)

    jaar = geheel("bereken_jaar") or extract.today().year
    if slots.get("zorgsoort") == INSTELLING:
        data: dict[str, Any] = {
            "soort": "lage_eigen_bijdrage",
            "jaar": jaar,
            "verzamelinkomen": slots.get("inkomen"),
            "vermogen": slots.get("vermogen"),
            "met_partner": bool(slots.get("met_partner")),
            "leeftijd": geheel("leeftijd"),
        }
        if data["met_partner"]:
            data["partner_leeftijd"] = geheel("partner_leeftijd")
    else:
        data = {
            "soort": "abonnementstarief",
            "jaar": jaar,
            "huishouden": slots.get("huishouden"),
            "leeftijd": geheel("leeftijd"),
            "geboortejaar": geheel("geboortejaar"),
        }
        if slots.get("huishouden") == "partner":
            data["partner_leeftijd"] = geheel("partner_leeftijd")
            data["partner_geboortejaar"] = geheel("partner_geboortejaar")
    return {k: v for k, v in data.items() if v is not None}


def _leeg() -> list[EventType]:
    return [SlotSet(slot, None) for slot in SLOTS]


def _jaar_van(tracker: Tracker) -> int:
    jaar = tracker.get_slot("bereken_jaar")
    return extract.today().year if jaar is None else int(jaar)


# The questions: (text, buttons as (title, payload)). Fixed choices get buttons; their payloads
# are plain answers that extract_<slot> understands.
VRAGEN: dict[str, tuple[str, list[tuple[str, str]]]] = {
    "zorgsoort": (
        "Ik reken het graag voor u uit. Gaat het om ondersteuning thuis uit de Wmo, of om wonen in een "
        "instelling (Wlz of beschermd wonen)?",
        [("Wmo-ondersteuning thuis", "wmo"), ("Wonen in een instelling", "instelling")],
    ),
    "huishouden": (
        "Hoe woont u: alleen, met een partner, of met anderen (zonder partner)?",
        [("Alleen", "alleen"), ("Met partner", "met partner"), ("Met anderen, zonder partner", "anders")],
    ),
    "leeftijd": ("Hoe oud bent u? (bijvoorbeeld: 72)", []),
    "partner_leeftijd": ("Hoe oud is uw partner? (bijvoorbeeld: 68)", []),
    "inkomen": (
        "Wat was uw verzamelinkomen in {peiljaar}, twee jaar eerder (de bijdrage over {jaar} gaat uit van het "
        "inkomen van {peiljaar})? Met een partner: uw inkomens samen. U vindt het op uw aanslag "
        "inkomstenbelasting. Bijvoorbeeld: 24.000",
        [],
    ),
    "vermogen": (
        "Hoeveel spaargeld en vermogen had u op 1 januari {peiljaar}? Typ 0 als u geen spaargeld had.",
        [],
    ),
    "met_partner": ("Heeft u een partner?", [("Ja", "ja"), ("Nee", "nee")]),
}


class _Ask:
    """action_ask_<slot>: the form's question for one slot (a mixin, so that rasa-sdk does not
    register the base class itself as an action)."""

    slot = ""

    def name(self) -> str:
        return f"action_ask_{self.slot}"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        tekst, knoppen = VRAGEN[self.slot]
        jaar = _jaar_van(tracker)
        dispatcher.utter_message(
            text=tekst.format(jaar=jaar, peiljaar=jaar - 2),
            buttons=[{"title": t, "payload": p} for t, p in knoppen],
        )
        return []


class ActionAskZorgsoort(_Ask, Action):
    slot = "zorgsoort"


class ActionAskHuishouden(_Ask, Action):
    slot = "huishouden"


class ActionAskLeeftijd(_Ask, Action):
    slot = "leeftijd"


class ActionAskPartnerLeeftijd(_Ask, Action):
    slot = "partner_leeftijd"


class ActionAskInkomen(_Ask, Action):
    slot = "inkomen"


class ActionAskVermogen(_Ask, Action):
    slot = "vermogen"


class ActionAskMetPartner(_Ask, Action):
    slot = "met_partner"


class ActionBereken(Action):
    def name(self) -> str:
        return "action_bereken"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        uit = calculation.bereken_json(invoer_van(tracker.slots), kennis())
        dispatcher.utter_message(text=uit.get("tekst") or uit.get("fout") or "")
        return _leeg()


class ActionBerekenStoppen(Action):
    def name(self) -> str:
        return "action_bereken_stoppen"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        return _leeg()  # the confirmation is utter_bereken_gestopt, next in the rule
