"""plugins/speedups.py accepts and rejects what Rasa's own check does, with Rasa's message."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

from plugins import speedups  # importing it replaces RemoteAction._validate_action_result

USER = {"event": "user", "text": "hoi", "parse_data": {"intent": {"name": "groet", "confidence": 0.9}}}
VALID: list[dict[str, Any]] = [
    {},
    {"events": [], "responses": []},
    {"events": [{"event": "slot", "name": "jaar", "value": 2024, "timestamp": None}], "responses": [{"text": "Hallo"}]},
    {"events": [{"event": "action", "name": "action_listen"}, USER]},
    {"events": [{"event": "active_loop", "name": None}, {"event": "followup", "name": "utter_groet"}]},
    {"responses": [{"text": "Kies", "buttons": [{"title": "Ja", "payload": "/bevestigen"}]}]},
]
INVALID: list[dict[str, Any]] = [
    {"events": [{"name": "jaar"}]},  # no event type
    {"events": [{"event": "geen_bestaand_event"}]},
    {"events": [{"event": "slot", "name": 12, "value": 1}]},
    {"events": [{"event": "user", "text": 5}]},
    {"events": "niet een lijst"},
    {"events": [{"event": "slot", "name": "jaar", "value": 1, "timestamp": "gisteren"}]},
    {"events": [{"event": "slot", "value": 1}]},  # the slot branch requires a name
    {"events": [USER, {"event": "action", "name": 5}]},  # the second event is wrong
    {"events": [{"event": "user", "parse_data": {"intent": {"name": 1}}}]},
    {"responses": "geen lijst"},
]


def rasa_accepts(result: dict[str, Any]) -> bool:
    try:
        validate(result, RemoteAction.action_response_format_spec())  # what Rasa 3.6 itself does
        return True
    except ValidationError:
        return False


@pytest.mark.parametrize("result", VALID + INVALID)
def test_quick_check_agrees_with_jsonschema(result: dict[str, Any]):
    assert speedups._per_event_type() is not None  # Rasa's schema still has the expected shape
    assert speedups._passes_quick_check(result) == rasa_accepts(result)


@pytest.mark.parametrize("result", VALID)
def test_valid_responses_pass(result: dict[str, Any]):
    assert rasa_accepts(result)
    assert RemoteAction._validate_action_result(None, result) is True  # type: ignore[arg-type]


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_raise_rasas_error(result: dict[str, Any]):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction._validate_action_result(None, result)  # type: ignore[arg-type]
