"""The cached tracker store writes what Rasa's SQLTrackerStore writes and never answers
from a copy that differs from the database."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

from plugins.trackerstore import CachedSQLTrackerStore

DOMAIN = Domain.empty()


def run(coro):  # noqa: ANN001, ANN201
    return asyncio.run(coro)


def turn(store, sender: str, text: str):  # noqa: ANN001, ANN201
    """One message as Rasa's processor handles it: get, add events, save."""

    async def go():  # noqa: ANN202
        tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
        tracker.update(UserUttered(text, {"name": "groet", "confidence": 1.0}))
        tracker.update(ActionExecuted("utter_groet"))
        tracker.update(BotUttered(f"antwoord op {text}"))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
        return tracker

    return run(go())


def texts(db: Path, sender: str) -> list[str]:
    with sqlite3.connect(db) as con:
        rows = con.execute("SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,))
        return [t for t, _ in rows]


def plain(db: Path) -> SQLTrackerStore:
    return SQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db))


def cached(db: Path, **kw) -> CachedSQLTrackerStore:  # noqa: ANN003
    return CachedSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(db), **kw)


def test_writes_the_same_rows_as_the_sql_tracker_store(tmp_path: Path):
    a, b = tmp_path / "a.db", tmp_path / "b.db"
    store_a, store_b = plain(a), cached(b)
    for text in ("hallo", "wat kost het", "dank je"):
        turn(store_a, "s", text)
        turn(store_b, "s", text)
    assert texts(a, "s") == texts(b, "s")
    assert len(texts(b, "s")) == 12
    # What Rasa's own store reads back from the cached store's database is the same tracker.
    again = run(plain(b).retrieve("s"))
    assert [e.as_dict()["event"] for e in again.events] == texts(b, "s")


def test_a_saved_conversation_is_served_from_memory(tmp_path: Path):
    store = cached(tmp_path / "t.db")
    first = turn(store, "s", "hallo")
    assert run(store.retrieve("s")) is first


def test_a_turn_that_failed_halfway_is_read_again_from_the_database(tmp_path: Path):
    db = tmp_path / "t.db"
    store = cached(db)
    turn(store, "s", "hallo")

    async def fail_halfway():  # noqa: ANN202
        tracker = await store.retrieve("s")
        tracker.update(UserUttered("dit wordt nooit bewaard"))
        return tracker  # the turn crashes: no save

    broken = run(fail_halfway())
    fresh = run(store.retrieve("s"))
    assert fresh is not broken
    assert len(fresh.events) == 4 == len(texts(db, "s"))


def test_another_writer_on_the_same_database_is_seen(tmp_path: Path):
    db = tmp_path / "t.db"
    store, other = cached(db), plain(db)
    turn(store, "s", "hallo")
    turn(other, "s", "van een tweede server")
    tracker = run(store.retrieve("s"))
    assert len(tracker.events) == 8
    turn(store, "s", "en weer terug")
    assert len(texts(db, "s")) == 12


def test_a_second_caller_gets_its_own_copy(tmp_path: Path):
    store = cached(tmp_path / "t.db")
    turn(store, "s", "hallo")
    first, second = run(store.retrieve("s")), run(store.retrieve("s"))
    assert first is not second
    assert len(first.events) == len(second.events) == 4


def test_survives_a_restart_and_evicts_old_conversations(tmp_path: Path):
    db = tmp_path / "t.db"
    store = cached(db, cache_size=2)
    for sender in ("a", "b", "c"):
        turn(store, sender, "hallo")
    assert list(store._ready) == ["b", "c"]
    restarted = cached(db)
    assert len(run(restarted.retrieve("a")).events) == 4


def test_sqlite_uses_write_ahead_logging(tmp_path: Path):
    db = tmp_path / "t.db"
    turn(cached(db), "s", "hallo")
    with sqlite3.connect(db) as con:
        assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_tracker_changed_after_its_save_is_not_handed_out(tmp_path: Path):
    store = cached(tmp_path / "t.db")
    saved = turn(store, "s", "hallo")
    saved.update(UserUttered("na het opslaan, nooit bewaard"))
    fresh = run(store.retrieve("s"))
    assert fresh is not saved and len(fresh.events) == 4
