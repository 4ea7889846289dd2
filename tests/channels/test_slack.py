"""Slack through the running server: signed events are answered via the local fake Slack API."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

import pytest
import requests

from tests.channels.conftest import Staff
from tests.channels.fakes import slack_posts

BSN = "111222333"


def event(text: str, user: str, channel: str) -> dict[str, Any]:
    return {
        "token": "verouderd-verificatietoken",
        "team_id": "T1",
        "api_app_id": "A1",
        "type": "event_callback",
        "event_id": f"Ev{time.time_ns()}",
        "event_time": int(time.time()),
        "authorizations": [{"user_id": "UBOT"}],
        "event": {
            "type": "message",
            "channel_type": "im",
            "channel": channel,
            "user": user,
            "text": text,
            "ts": f"{time.time():.6f}",
        },
    }


def post(staff: Staff, body: dict[str, Any], secret: str | None = None, ts: int | str | None = None,
         signature: str | None = None) -> requests.Response:
    raw = json.dumps(body).encode()
    ts = int(time.time()) if ts is None else ts
    headers = {"Content-Type": "application/json", "X-Slack-Request-Timestamp": str(ts)}
    if secret is not None:
        digest = hmac.new(secret.encode(), f"v0:{ts}:".encode() + raw, hashlib.sha256).hexdigest()
        headers["X-Slack-Signature"] = f"v0={digest}"
    if signature is not None:
        headers["X-Slack-Signature"] = signature
    return requests.post(f"{staff.url}/webhooks/slack/webhook", data=raw, headers=headers, timeout=30)


def replies(staff: Staff, channel: str, count: int = 1, timeout: float = 60) -> list[dict[str, Any]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = slack_posts(staff.slack_api, channel)
        if len(found) >= count:
            return found
        time.sleep(0.2)
    raise AssertionError(f"no reply in Slack channel {channel} within {timeout:.0f} s")


def test_signed_message_is_answered(staff: Staff):
    r = post(staff, event("hallo", "U1", "D1"), staff.slack_secret)
    assert r.status_code == 200
    answer = replies(staff, "D1")
    assert answer[0]["text"].strip()
    assert "as_user" not in answer[0]
    assert staff.slack_api.calls("/api/chat.postMessage")[0].headers["Authorization"] == "Bearer xoxb-test-token"


def test_staff_handoff_makes_a_ticket(staff: Staff):
    assert post(staff, event("ik wil een medewerker spreken", "U2", "D2"), staff.slack_secret).status_code == 200
    text = "\n".join(p["text"] for p in replies(staff, "D2"))
    ticket = next(t for t in staff.tickets() if t["caller"] == "U2")
    assert ticket["id"] in text and "via Slack" in text
    assert (ticket["channel"], ticket["audience"]) == ("slack", "medewerker")
    deadline = time.monotonic() + 30
    while ticket["id"] not in json.dumps([r.data for r in staff.desk.requests]) and time.monotonic() < deadline:
        time.sleep(0.2)
    sent = [r.data for r in staff.desk.requests if r.data.get("externalNumber") == ticket["id"]]
    assert sent and sent[0]["caller"] == {"dynamicName": "Slack U2"}


def test_bsn_is_masked_before_storage(staff: Staff):
    r = post(staff, event(f"mijn bsn is {BSN} en hoe hoog is mijn eigen bijdrage?", "U3", "D3"), staff.slack_secret)
    assert r.status_code == 200
    texts = [p["text"] for p in replies(staff, "D3", count=2)]
    assert any("burgerservicenummer" in t for t in texts)
    time.sleep(1)
    dump = staff.tracker_dump()
    assert "U3" in dump and BSN not in dump


@pytest.mark.parametrize(
    "how",
    ["unsigned", "wrong secret", "tampered signature", "old timestamp", "future timestamp", "garbage timestamp"],
)
def test_unauthentic_requests_are_rejected(staff: Staff, how: str):
    channel = f"DX-{how.replace(' ', '-')}"
    body = event("hallo", "U9", channel)
    now = int(time.time())
    r = {
        "unsigned": lambda: post(staff, body),
        "wrong secret": lambda: post(staff, body, "niet-het-geheim"),
        "tampered signature": lambda: post(staff, body, signature="v0=" + "0" * 64),
        "old timestamp": lambda: post(staff, body, staff.slack_secret, ts=now - 600),
        "future timestamp": lambda: post(staff, body, staff.slack_secret, ts=now + 600),
        "garbage timestamp": lambda: post(staff, body, staff.slack_secret, ts="gisteren"),
    }[how]()
    assert r.status_code == 400
    time.sleep(2)
    assert slack_posts(staff.slack_api, channel) == []


def test_url_verification_needs_a_signature_too(staff: Staff):
    challenge = {"type": "url_verification", "challenge": "uitdaging-123", "token": "x"}
    assert post(staff, challenge).status_code == 400
    r = post(staff, challenge, staff.slack_secret)
    assert r.status_code == 200 and "uitdaging-123" in r.text
