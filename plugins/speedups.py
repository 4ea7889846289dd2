"""Validate action-server responses without repeating constant work on every turn.

Rasa 3.6 checks every action-server response with `jsonschema.validate()`, which
first re-checks the (constant) response schema itself. Measured with py-spy on
this project: about 60% of the server's CPU time for a FAQ turn. The validator is
now built once.

What remained was ~7%: the schema says each event must match `oneOf` 23 event
schemas, so jsonschema tries all 23 for every event. Each of the 23 fixes a
different `event` name (`const`) and `event` is required, so at most one can
match: checking only the one named by the event is the same rule. A response that
passes that quick check is accepted; any other goes through the full schema with
jsonschema, so the errors and the message stay Rasa's own. If Rasa's schema ever
stops having that shape, only the full check runs (tests/rasa/test_speedups.py).
"""

from __future__ import annotations

import copy
from functools import lru_cache
from typing import Any

from jsonschema import ValidationError
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


@lru_cache(maxsize=1)
def _per_event_type() -> tuple[Any, dict[str, Any]] | None:
    """The schema without its `oneOf`, and one validator per event name; None if it has another shape."""
    schema = copy.deepcopy(RemoteAction.action_response_format_spec())
    item = schema["properties"]["events"]["items"]
    branches = item.pop("oneOf", None)
    if not branches or "event" not in item.get("required", []):
        return None
    names = [b.get("properties", {}).get("event", {}).get("const") for b in branches]
    if None in names or len(set(names)) != len(names):
        return None
    cls = validator_for(schema)
    return cls(schema), {name: cls(b) for name, b in zip(names, branches, strict=True)}


def _passes_quick_check(result: Any) -> bool:
    parts = _per_event_type()
    if parts is None:
        return False
    outer, by_event = parts
    if not outer.is_valid(result):
        return False
    for event in result.get("events") or []:
        branch = by_event.get(event["event"])
        if branch is None or not branch.is_valid(event):
            return False
    return True


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    if _passes_quick_check(result):
        return True
    try:
        _validator().validate(result)
        return True
    except ValidationError as e:
        e.message += (
            f". Failed to validate Action server response from API, "
            f"make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit "
            f"{DOCS_BASE_URL}/custom-actions"
        )
        raise e


RemoteAction._validate_action_result = _validate_action_result  # type: ignore[method-assign]
