"""Start the real action server and Rasa server (REST channel, SQLite tracker store)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from scripts.serve import MODEL, servers, write_endpoints

PORT, ACTION_PORT = 5105, 5155


class Chat:
    def __init__(self, url: str, db: Path):
        self.url = url
        self.db = db

    def send(self, text: str, sender: str | None = None, metadata: dict[str, Any] | None = None) -> list[dict]:
        r = requests.post(
            f"{self.url}/webhooks/rest/webhook",
            json={"sender": sender or uuid.uuid4().hex, "message": text, "metadata": metadata or {}},
            timeout=60,
        )
        r.raise_for_status()
        return r.json()

    def texts(self, text: str, sender: str | None = None, **kw: Any) -> str:
        # Rasa splits a text on blank lines into separate messages; join them back.
        return "\n\n".join(m.get("text", "") for m in self.send(text, sender, **kw))

    def stored_events(self, sender: str) -> list[tuple[str, str]]:
        with sqlite3.connect(self.db) as con:
            return con.execute(
                "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
            ).fetchall()


@pytest.fixture(scope="session")
def server_files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    tmp = tmp_path_factory.mktemp("rasa")
    db = tmp / "tracker.db"
    return write_endpoints(tmp / "endpoints.yml", ACTION_PORT, db), db, tmp


@pytest.fixture(scope="session")
def chat(server_files: tuple[Path, Path, Path]) -> Iterator[Chat]:
    endpoints, db, tmp = server_files
    with servers(
        PORT,
        ACTION_PORT,
        endpoints,
        extra_env={"BW_GEMEENTE": "", "BW_DATABASE_URL": f"sqlite:///{tmp}/tickets.db"},
        log_dir=tmp,
    ) as url:
        yield Chat(url, db)
