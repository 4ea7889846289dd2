"""Hand over to a person (service desk)."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from actions.common import kennis


class ActionMedewerker(Action):
    """Hand over to a person. Until the ticket desk exists: tell honestly where to go."""

    def name(self) -> str:
        return "action_medewerker"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        k = kennis()
        gemeente = k.gemeente(tracker.get_slot("gemeente"))
        cak = k.contact["cak_klanten"]
        tekst = (
            f"U kunt een medewerker van het CAK bellen op {cak.telefoon} (gratis) voor vragen over de hoogte, "
            "de facturen en het betalen van uw eigen bijdrage."
        )
        if gemeente and gemeente.telefoon:
            tekst += f" Voor vragen over uw ondersteuning belt u gemeente {gemeente.naam}: {gemeente.telefoon}."
        else:
            tekst += " Voor vragen over uw ondersteuning zelf kunt u bij uw gemeente terecht."
        dispatcher.utter_message(text=tekst)
        return []
