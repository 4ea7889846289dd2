"""plugins/speedups.py accepts and rejects what Rasa's own check does, with Rasa's message."""

from __future__ import annotations

from typing import Any

import pytest
from jsonschema import ValidationError, validate
from rasa.core.actions.action import RemoteAction

import plugins.speedups  # noqa: F401  (replaces RemoteAction._validate_action_result)

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
]


def rasa_accepts(result: dict[str, Any]) -> bool:
    try:
        validate(result, RemoteAction.action_response_format_spec())  # what Rasa 3.6 itself does
        return True
    except ValidationError:
        return False


@pytest.mark.parametrize("result", VALID)
def test_valid_responses_pass(result: dict[str, Any]):
    assert rasa_accepts(result)
    assert RemoteAction._validate_action_result(None, result) is True  # type: ignore[arg-type]


@pytest.mark.parametrize("result", INVALID)
def test_invalid_responses_raise_rasas_error(result: dict[str, Any]):
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        RemoteAction._validate_action_result(None, result)  # type: ignore[arg-type]
