"""Browser tests of the web chat widget against the real assistant (action server + Rasa).

The servers start once per test session on their own ports with a temporary SQLite tracker
store (or use a running one: BW_WEB_URL=http://localhost:5005 BW_WEB_DB=rasa.db); every
test gets a fresh browser context (so a fresh sessionStorage and a new
conversation). Chromium is Debian's (/usr/bin/chromium, `scripts/web_setup.sh` installs it);
Playwright's own browser download is not used.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from scripts.serve import MODEL, ROOT, servers, write_endpoints

PORT, ACTION_PORT = 5405, 5455
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE = ROOT / "web" / "node_modules" / "axe-core" / "axe.min.js"
LAUNCHER = "Chat met de BW-assistent"
ANSWER_TIMEOUT_MS = 30_000


@dataclass
class Assistant:
    url: str
    db: Path

    @property
    def demo(self) -> str:
        return f"{self.url}/webhooks/webchat/demo/"

    def user_texts(self, sender: str) -> list[str]:
        """What the tracker store holds as the user's messages of one conversation."""
        with sqlite3.connect(self.db) as con:
            rows = con.execute(
                "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id", (sender,)
            ).fetchall()
        return [json.loads(d).get("text") or "" for (d,) in rows]

    def wait_user_texts(self, sender: str, count: int, timeout: float = 20) -> list[str]:
        deadline = time.monotonic() + timeout
        while True:
            texts = self.user_texts(sender)
            if len(texts) >= count or time.monotonic() > deadline:
                return texts
            time.sleep(0.2)


@pytest.fixture(scope="session")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    running = os.environ.get("BW_WEB_URL")  # e.g. http://localhost:5005 with BW_WEB_DB=rasa.db
    if running:
        yield Assistant(running.rstrip("/"), Path(os.environ.get("BW_WEB_DB", ROOT / "rasa.db")))
        return
    if not MODEL.exists():
        pytest.fail(f"no trained model at {MODEL}: run `make train` (make test does)")
    for needed in (CHROMIUM, AXE):
        if not needed.exists():
            pytest.fail(f"{needed} is missing: run scripts/web_setup.sh")
    tmp = tmp_path_factory.mktemp("web")
    db = tmp / "tracker.db"
    endpoints = write_endpoints(tmp / "endpoints.yml", ACTION_PORT, db)
    env = {"BW_GEMEENTE": "", "BW_TODAY": "2024-05-01", "BW_DATABASE_URL": f"sqlite:///{tmp}/tickets.db"}
    with servers(PORT, ACTION_PORT, endpoints, extra_env=env, log_dir=tmp) as url:
        yield Assistant(url, db)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: run scripts/web_setup.sh")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@dataclass
class Tab:
    """A page plus what it did: socket.io frames sent, script errors, alert dialogs."""

    page: Any
    frames: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def watch(self) -> None:
        def on_ws(ws: Any) -> None:
            ws.on("framesent", lambda payload: self.frames.append(payload if isinstance(payload, str) else ""))

        def on_dialog(d: Any) -> None:
            self.dialogs.append(d.message)
            d.dismiss()

        self.page.on("websocket", on_ws)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", on_dialog)

    # -------------------------------------------------------------- widget helpers
    @property
    def panel(self) -> Any:
        return self.page.get_by_role("dialog", name="BW-assistent")

    @property
    def log(self) -> Any:
        return self.page.get_by_role("log")

    @property
    def input(self) -> Any:
        return self.page.get_by_label("Typ uw vraag")

    def bot_messages(self) -> Any:
        return self.page.locator(".bw-log .bw-bot")

    def goto_demo(self, url: str) -> None:
        self.page.goto(url)
        self.page.wait_for_function("window.BWWidget && window.BWWidget.ready")
        self.page.evaluate("window.BWWidget.ready")
        self.page.get_by_role("button", name=LAUNCHER).or_(self.panel).first.wait_for()

    def open(self) -> None:
        self.page.get_by_role("button", name=LAUNCHER).click()
        self.panel.wait_for()

    def session_id(self) -> str:
        self.page.wait_for_function("window.BWWidget.sessionId()", timeout=ANSWER_TIMEOUT_MS)
        return str(self.page.evaluate("window.BWWidget.sessionId()"))

    def ask(self, text: str) -> Any:
        """Type a question, send it with Enter, return the locator of the first new bot message."""
        before = self.bot_messages().count()
        self.input.fill(text)
        self.input.press("Enter")
        first_new = self.bot_messages().nth(before)
        first_new.wait_for(timeout=ANSWER_TIMEOUT_MS)
        self.page.wait_for_timeout(400)  # the other parts of the same answer
        return first_new

    def bot_text_since(self, index: int) -> str:
        return "\n".join(self.bot_messages().all_inner_texts()[index:])


@pytest.fixture
def tab(browser: Any, assistant: Assistant) -> Iterator[Tab]:
    context = browser.new_context(viewport={"width": 1280, "height": 800}, locale="nl-NL")
    t = Tab(context.new_page())
    t.watch()
    yield t
    context.close()
    assert not t.errors, f"script errors on the page: {t.errors}"
    assert not t.dialogs, f"the page opened dialogs (injected script?): {t.dialogs}"
