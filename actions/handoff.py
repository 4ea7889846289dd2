"""Hand over to a person: a ticket (melding) for the service desk, with the conversation.

action_medewerker: the user asks for a person. action_niet_opgelost: the assistant
cannot finish (a second "not understood" in a row, or "Iets anders" under a
clarification). Both triage with knowledge/triage.yml (bot.tickets), store the ticket
first, then send it to the desk's webhook in the background, and tell the user the
number, who handles it and by when (our own service promise).
"""

from __future__ import annotations

import logging
import os
import threading
import time
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.common import doelgroep_of, kennis
from bot import tickets
from bot.knowledge import Contact, Knowledge

logger = logging.getLogger(__name__)

# Slots that describe the question (facts for the desk); others are dialogue plumbing.
FACT_SLOTS = ("jaar", "gemeente", "doelgroep", "laatste_onderwerp", "melding")
STAFF_METADATA = ("gebruiker_naam", "aad_object_id")
MAX_TRANSCRIPT = 40
RETRY_MINUTES = float(os.environ.get("BW_TICKET_RETRY_MINUTEN", "10"))
NIET_OPGELOST = "Het lukt mij niet om uw vraag goed te beantwoorden. Ik geef hem door aan een mens."


def transcript_of(tracker: Tracker, limit: int = MAX_TRANSCRIPT) -> list[dict[str, Any]]:
    """User and bot texts of the current session (the last `limit`), oldest first."""
    events = list(tracker.events or [])
    start = max((i for i, e in enumerate(events) if e.get("event") == "session_started"), default=-1)
    out: list[dict[str, Any]] = []
    for e in events[start + 1 :]:
        kind, text = e.get("event"), e.get("text")
        if not text:
            continue
        if kind == "user":
            intent = ((e.get("parse_data") or {}).get("intent") or {}).get("name")
            out.append({"rol": "gebruiker", "tekst": str(text), "intent": intent})
        elif kind == "bot":
            out.append({"rol": "assistent", "tekst": str(text)})
    return out[-limit:]


def facts_of(tracker: Tracker) -> dict[str, Any]:
    facts: dict[str, Any] = {}
    # Staff channels: who wrote, so the desk can answer them there (Teams sends name and Entra id).
    metadata = tracker.latest_message.get("metadata") or {}
    for key in STAFF_METADATA:
        if metadata.get(key):
            facts[key] = metadata[key]
    for name in FACT_SLOTS:
        value = tracker.get_slot(name)
        if value in (None, ""):
            continue
        if name == "jaar" and isinstance(value, (int, float)):
            value = int(value)
        facts["eerdere_melding" if name == "melding" else name] = value
    return facts


def _format_contact(c: Contact) -> str:
    bits = [x for x in (c.telefoon, c.email) if x]
    text = f"{c.naam}, {' of '.join(bits)}" if bits else c.naam
    return f"{text} ({c.toelichting})" if c.toelichting else text


def contact_line(k: Knowledge, tri: tickets.Triage, gemeente_naam: str | None) -> str | None:
    """Where the user can go meanwhile: the handler's contact from knowledge/contact.yml or the gemeente."""
    if tri.behandelaar == "gemeente":
        g = k.gemeente(gemeente_naam)
        if g and g.telefoon:
            return f"gemeente {g.naam}, {g.telefoon}"
        return None
    c = k.contact.get(tri.contact_id or "")
    return _format_contact(c) if c else None


_retry_started = threading.Event()


def _retry_loop() -> None:
    while True:
        time.sleep(RETRY_MINUTES * 60)
        try:
            result = tickets.retry_pending()
            if result.sent or result.failed:
                logger.info("meldingen opnieuw verstuurd: %s, mislukt: %s", result.sent, result.failed)
        except Exception:  # noqa: BLE001 - try again next round
            logger.exception("meldingen opnieuw versturen mislukt")


def start_retry_loop() -> None:
    """Once per action server, and only with a webhook: resend failed/left-behind tickets regularly."""
    if tickets.webhook_url() and RETRY_MINUTES > 0 and not _retry_started.is_set():
        _retry_started.set()
        threading.Thread(target=_retry_loop, name="bw-ticket-retry", daemon=True).start()


class _TicketAction:
    # Not an Action itself: rasa-sdk registers every Action subclass and needs a name.
    aanleiding = tickets.AANLEIDING_MEDEWERKER

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        k = kennis()
        audience = doelgroep_of(tracker)
        try:
            ticket, tri = tickets.open_ticket(
                transcript_of(tracker),
                facts=facts_of(tracker),
                channel=tracker.get_latest_input_channel(),
                audience=audience,
                caller=tracker.sender_id,
                aanleiding=self.aanleiding,
            )
        except Exception:  # noqa: BLE001 - never leave the user without an answer
            logger.exception("melding maken mislukt voor gesprek %s", tracker.sender_id)
            cak = k.contact.get("cak_klanten")
            dispatcher.utter_message(text=tickets.mislukt_bericht(_format_contact(cak) if cak else None))
            return []
        start_retry_loop()
        regels = tickets.load_triage()
        contact = contact_line(k, tri, tracker.get_slot("gemeente"))
        dispatcher.utter_message(text=tickets.bevestiging(ticket, tri, regels, contact))
        return [SlotSet("melding", ticket.id)]


class ActionMedewerker(_TicketAction, Action):
    """The user asks for a person."""

    aanleiding = tickets.AANLEIDING_MEDEWERKER

    def name(self) -> str:
        return "action_medewerker"


class ActionNietOpgelost(_TicketAction, Action):
    """The assistant cannot finish the conversation: hand it over instead of guessing again."""

    aanleiding = tickets.AANLEIDING_NIET_OPGELOST

    def name(self) -> str:
        return "action_niet_opgelost"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[EventType]:
        dispatcher.utter_message(text=NIET_OPGELOST)
        return super().run(dispatcher, tracker, domain)
