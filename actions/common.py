"""What every action needs: the knowledge, the audience, the message text."""

from __future__ import annotations

from typing import Any

from rasa_sdk import Tracker

from bot import dialog, knowledge
from bot.knowledge import Knowledge


def kennis() -> Knowledge:
    return knowledge.load_cached()


def text_of(tracker: Tracker) -> str:
    return str(tracker.latest_message.get("text") or "")


def doelgroep_of(tracker: Tracker) -> str:
    metadata: dict[str, Any] = tracker.latest_message.get("metadata") or {}
    return dialog.doelgroep(tracker.get_latest_input_channel(), metadata)
