"""Answer FAQ topics, ask when unsure, say honestly when something is out of scope."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import doelgroep_of, kennis, text_of
from bot import dialog, invoer, render


class ActionAnswerFaq(Action):
    def name(self) -> str:
        return "action_answer_faq"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        k = kennis()
        intent = (tracker.latest_message.get("intent") or {}).get("name") or ""
        onderwerp = k.onderwerp_by_intent(intent)
        if onderwerp is None:  # the domain and knowledge/ disagree: say so, do not guess
            dispatcher.utter_message(text=dialog.niet_gevonden(k).tekst)
            return []
        text = text_of(tracker)
        jaar = dialog.jaar(text, tracker.get_slot("jaar"))
        page = (tracker.latest_message.get("metadata") or {}).get("gemeente")
        gemeente = dialog.gemeente(k, text, tracker.get_slot("gemeente"), page)
        antwoord = render.render(k, onderwerp.id, jaar, doelgroep_of(tracker), gemeente)
        dispatcher.utter_message(text=antwoord.markdown())
        return [
            SlotSet("laatste_onderwerp", onderwerp.id),
            SlotSet("jaar", jaar),
            SlotSet("gemeente", gemeente),
            SlotSet("doelgroep", doelgroep_of(tracker)),
        ]


class ActionClarify(Action):
    """Low confidence or two close intents: offer the two best guesses as buttons."""

    def name(self) -> str:
        return "action_clarify"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        k = kennis()
        ranking = tracker.latest_message.get("intent_ranking") or []
        top = next((r for r in ranking if r.get("name") != dialog.FALLBACK), None)
        if top is None or top.get("name") == dialog.OUT_OF_SCOPE:
            v = dialog.niet_gevonden(k)
        else:
            v = dialog.verduidelijking(k, ranking)
        dispatcher.utter_message(text=v.tekst, buttons=v.knoppen)
        # Remember the year asked, so the answer after a button click is for that year.
        return [SlotSet("jaar", dialog.jaar(text_of(tracker), tracker.get_slot("jaar")))]


class ActionBuitenBereik(Action):
    def name(self) -> str:
        return "action_buiten_bereik"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        v = dialog.niet_gevonden(kennis())
        dispatcher.utter_message(text=v.tekst, buttons=v.knoppen)
        return []


class ActionOngeldigeInvoer(Action):
    def name(self) -> str:
        return "action_ongeldige_invoer"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=invoer.antwoord(text_of(tracker)))
        return []
