"""Teams (Bot Framework) through the running server, with a local key, token endpoint and Bot Connector."""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
import requests

from tests.channels.conftest import Staff
from tests.channels.fakes import ACCESS_TOKEN, APP_ID, TENANT, Signer, activity

IBAN = "NL91ABNA0417164300"


def send(staff: Staff, act: dict[str, Any], auth: str | None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if auth is not None:
        headers["Authorization"] = auth
    return requests.post(f"{staff.url}/webhooks/botframework/webhook", data=json.dumps(act), headers=headers,
                         timeout=30)


def conversation(name: str) -> dict[str, Any]:
    return {"from": {"id": f"29:{name}", "name": name}, "conversation": {"id": f"a:{name}"}}


def replies(staff: Staff, name: str, count: int = 1, timeout: float = 60) -> list[Any]:
    return staff.ms.wait_for(f"/connector/v3/conversations/a%3A{name}/activities", count, timeout)


def good(staff: Staff) -> str:
    return f"Bearer {staff.signer.token(staff.service_url)}"


def test_keys_are_not_fetched_at_start(staff: Staff):
    assert staff.keys_fetched_at_start == 0


def test_good_token_is_answered_via_the_connector(staff: Staff):
    act = activity(staff.service_url, "ik wil een medewerker spreken", **conversation("t1"))
    assert send(staff, act, good(staff)).status_code == 200
    posts = replies(staff, "t1")
    assert all(p.headers["Authorization"] == f"Bearer {ACCESS_TOKEN}" for p in posts)
    text = "\n".join(str(p.data.get("text", "")) for p in posts)
    ticket = next(t for t in staff.tickets() if t["caller"] == "29:t1")
    assert ticket["id"] in text and "via Teams" in text
    assert (ticket["channel"], ticket["audience"]) == ("botframework", "medewerker")
    reply = posts[0].data
    assert reply["recipient"] == {"id": "29:t1"} and reply["replyToId"] == "activity-1"
    token_calls = staff.ms.calls(f"/{TENANT}/oauth2/v2.0/token")
    assert token_calls and token_calls[0].data["client_id"] == APP_ID
    assert token_calls[0].data["grant_type"] == "client_credentials"


def test_iban_is_masked_before_storage(staff: Staff):
    act = activity(staff.service_url, f"mijn rekening is {IBAN}, klopt de factuur?", **conversation("t2"))
    assert send(staff, act, good(staff)).status_code == 200
    posts = replies(staff, "t2", count=2)
    assert any("IBAN" in str(p.data.get("text", "")) for p in posts)
    time.sleep(1)
    dump = staff.tracker_dump()
    assert "29:t2" in dump and IBAN not in dump


BAD = {
    "geen token": lambda s, svc: None,
    "verkeerde handtekening": lambda s, svc: f"Bearer {Signer(kid=s.kid).token(svc)}",
    "verlopen": lambda s, svc: f"Bearer {s.token(svc, exp=int(time.time()) - 3600, iat=int(time.time()) - 7200)}",
    "andere audience": lambda s, svc: f"Bearer {s.token(svc, aud='een-andere-bot')}",
    "andere issuer": lambda s, svc: f"Bearer {s.token(svc, iss='https://login.example')}",
    "ander serviceUrl": lambda s, svc: f"Bearer {s.token('http://127.0.0.1:9/elders')}",
}


@pytest.mark.parametrize("name", BAD)
def test_bad_tokens_get_401(staff: Staff, name: str):
    conv = f"bad-{abs(hash(name))}"
    act = activity(staff.service_url, "hallo", **conversation(conv))
    r = send(staff, act, BAD[name](staff.signer, staff.service_url))
    assert r.status_code == 401
    time.sleep(1)
    assert staff.ms.calls(f"/connector/v3/conversations/a%3A{conv}/") == []


def test_other_tenant_gets_403(staff: Staff):
    act = activity(staff.service_url, "hallo", channelData={"tenant": {"id": "andere-tenant"}}, **conversation("t3"))
    assert send(staff, act, good(staff)).status_code == 403
