"""A restart of the server loses no conversation (SQLite tracker store in a file)."""

from __future__ import annotations

from pathlib import Path

from bot import knowledge, render
from scripts.serve import servers, write_endpoints
from tests.rasa.conftest import Chat

K = knowledge.load()
PORT, ACTION_PORT = 5205, 5255


def test_conversation_survives_a_restart(tmp_path: Path):
    db = tmp_path / "tracker.db"
    endpoints = write_endpoints(tmp_path / "endpoints.yml", ACTION_PORT, db)
    sender = "restart-test"
    topic = next(t.id for t in K.onderwerpen.values() if "{abonnementstarief}" in t.antwoord)

    env = {"BW_DATABASE_URL": f"sqlite:///{tmp_path}/tickets.db"}
    with servers(PORT, ACTION_PORT, endpoints, extra_env=env, log_dir=tmp_path) as url:
        Chat(url, db).send("Hoe hoog was de eigen bijdrage Wmo in 2021?", sender)
    before = Chat("", db).stored_events(sender)
    assert before

    env = {"BW_DATABASE_URL": f"sqlite:///{tmp_path}/tickets.db"}
    with servers(PORT, ACTION_PORT, endpoints, extra_env=env, log_dir=tmp_path) as url:
        chat = Chat(url, db)
        # The remembered year (a slot from before the restart) still applies.
        assert chat.texts(f"/faq_{topic}", sender) == render.render(K, topic, 2021).markdown()
        after = chat.stored_events(sender)
    assert after[: len(before)] == before and len(after) > len(before)
