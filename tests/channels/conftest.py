"""A running assistant with Slack and Teams switched on, talking only to local fakes on loopback.

Ports 5505 (Rasa) and 5555 (actions); a temporary tracker store and ticket database.
Outgoing HTTP through proxy-aware clients goes to a dead proxy (127.0.0.1:9), except to
loopback: the server must start and work without any network.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from scripts import credentials
from scripts.serve import MODEL, servers, write_endpoints
from tests.channels.fakes import APP_ID, TENANT, FakeService, Signer, fake_microsoft, fake_slack

PORT, ACTION_PORT = 5505, 5555
MODEL_WAIT = float(os.environ.get("BW_MODEL_WAIT", "600"))


@dataclass
class Staff:
    url: str
    slack_api: FakeService
    ms: FakeService
    desk: FakeService
    signer: Signer
    slack_secret: str
    tracker_db: Path
    tickets_db: Path
    keys_fetched_at_start: int

    @property
    def service_url(self) -> str:
        return f"{self.ms.url}/connector"

    def tracker_dump(self) -> str:
        with sqlite3.connect(self.tracker_db) as con:
            return "\n".join(str(row) for row in con.execute("SELECT sender_id, type_name, data FROM events"))

    def tickets(self) -> list[dict]:
        with sqlite3.connect(self.tickets_db) as con:
            con.row_factory = sqlite3.Row
            return [dict(r) for r in con.execute("SELECT * FROM bw_tickets ORDER BY created")]


def _wait_for_model() -> None:
    deadline = time.monotonic() + MODEL_WAIT
    while not MODEL.exists():
        if time.monotonic() > deadline:
            pytest.fail(f"no trained model at {MODEL} after {MODEL_WAIT:.0f} s (make train)")
        time.sleep(5)
    # A model being written: wait until its size stops changing.
    size = -1
    while size != MODEL.stat().st_size:
        size = MODEL.stat().st_size
        time.sleep(2)


@pytest.fixture(scope="session")
def staff(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Staff]:
    _wait_for_model()
    tmp = tmp_path_factory.mktemp("staff")
    slack_api, signer = fake_slack(), Signer()
    ms = fake_microsoft(signer)
    desk = FakeService()
    desk.route("POST", "/tdapi/incidents", lambda r: (201, {"id": "incident-1"}))
    slack_secret = secrets.token_hex(16)
    env = {
        "SLACK_TOKEN": "xoxb-test-token",
        "SLACK_SIGNING_SECRET": slack_secret,
        "SLACK_API_URL": f"{slack_api.url}/api/",
        "BOTFRAMEWORK_APP_ID": APP_ID,
        "BOTFRAMEWORK_APP_PASSWORD": "test-password",
        "BOTFRAMEWORK_TENANT_ID": TENANT,
        "BOTFRAMEWORK_OPENID_URL": f"{ms.url}/openid",
        "BOTFRAMEWORK_TOKEN_URL": f"{ms.url}/{TENANT}/oauth2/v2.0/token",
        "BW_DATABASE_URL": f"sqlite:///{tmp / 'tickets.db'}",
        "BW_TICKET_WEBHOOK_URL": f"{desk.url}/tdapi/incidents",
        "BW_GEMEENTE": "",
        "HTTP_PROXY": "http://127.0.0.1:9",
        "HTTPS_PROXY": "http://127.0.0.1:9",
        "http_proxy": "http://127.0.0.1:9",
        "https_proxy": "http://127.0.0.1:9",
        "NO_PROXY": "127.0.0.1,localhost",
        "no_proxy": "127.0.0.1,localhost",
    }
    creds, warnings = credentials.write(tmp / "credentials.yml", env)
    assert warnings == []
    tracker_db = tmp / "tracker.db"
    endpoints = write_endpoints(tmp / "endpoints.yml", ACTION_PORT, tracker_db)
    try:
        with servers(PORT, ACTION_PORT, endpoints, extra_env=env, log_dir=tmp, credentials=creds) as url:
            yield Staff(
                url=url,
                slack_api=slack_api,
                ms=ms,
                desk=desk,
                signer=signer,
                slack_secret=slack_secret,
                tracker_db=tracker_db,
                tickets_db=tmp / "tickets.db",
                keys_fetched_at_start=len(ms.calls("/keys")) + len(ms.calls("/openid")),
            )
    finally:
        for fake in (slack_api, ms, desk):
            fake.close()
