"""The web chat channel (plugins/webchat.py) without a browser and without a model.

Pure checks of `resolve` (what a URL name may map to), then HTTP against a server with the
channels of credentials.yml and an echo agent (tests/web/static_app.py): files served with
the right type, traversal attempts refused, and the socket.io session handshake that the
widget relies on (session_request -> session_confirm -> answers in the session's room).
"""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
import yaml

from plugins import webchat
from scripts.serve import ROOT

WEB = ROOT / "web"
CREDENTIALS = ROOT / "credentials.yml"
SECRET_MARKER = "plugins.channels.MaskedRestInput"  # text of credentials.yml, must never be served

TRAVERSALS = [
    "../credentials.yml",
    "../../credentials.yml",
    "demo/../../credentials.yml",
    "demo/../src/widget.js",
    "demo/../package.json",
    "demo/..",
    "demo/../",
    "demo/.",
    "demo/.hidden.html",
    "demo/%2e%2e/credentials.yml",
    "demo/..%2f..%2fcredentials.yml",
    "demo\\..\\..\\credentials.yml",
    "demo/index.html\x00.js",
    "vendor/../../credentials.yml",
    "vendor/../../../credentials.yml",
    "/etc/passwd",
    "//etc/passwd",
    "demo//etc/passwd",
    "demo/sub/file.js",
    "src/widget.js",
    "package.json",
    "package-lock.json",
    "node_modules/axe-core/axe.min.js",
    "node_modules/socket.io-client/package.json",
    "vendor/axe.min.js",
    "bw-widget.js/",
    "bw-widget.js/../../credentials.yml",
    "",
    ".",
    "..",
]


def test_vendor_files_are_installed():
    missing = [name for name, rel in webchat.FILES.items() if not (WEB / rel).is_file()]
    assert not missing, f"{missing} missing: run scripts/web_setup.sh (npm ci --prefix web)"


@pytest.mark.parametrize(
    "name,expected",
    [
        ("bw-widget.js", "src/widget.js"),
        ("bw-widget.css", "src/widget.css"),
        ("demo/", "demo/index.html"),
        ("demo/index.html", "demo/index.html"),
        ("demo/demo.css", "demo/demo.css"),
        ("vendor/socket.io.min.js", "node_modules/socket.io-client/dist/socket.io.min.js"),
        ("vendor/marked.umd.js", "node_modules/marked/lib/marked.umd.js"),
        ("vendor/purify.min.js", "node_modules/dompurify/dist/purify.min.js"),
    ],
)
def test_resolve_serves_the_widget_files(name: str, expected: str):
    assert webchat.resolve(name) == (WEB / expected).resolve()


@pytest.mark.parametrize("name", TRAVERSALS)
def test_resolve_refuses_everything_else(name: str):
    assert webchat.resolve(name) is None


def test_resolve_refuses_a_symlink_out_of_web(tmp_path: Path):
    web = tmp_path / "web"
    (web / "demo").mkdir(parents=True)
    (web / "demo" / "index.html").write_text("<p>demo</p>")
    secret = tmp_path / "secret.html"
    secret.write_text("secret")
    (web / "demo" / "evil.html").symlink_to(secret)
    (web / "src").mkdir()
    (web / "src" / "widget.js").symlink_to(secret)
    assert webchat.resolve("demo/index.html", web) == (web / "demo" / "index.html").resolve()
    assert webchat.resolve("demo/evil.html", web) is None
    assert webchat.resolve("bw-widget.js", web) is None


def test_channel_is_registered_in_credentials():
    creds = yaml.safe_load(CREDENTIALS.read_text(encoding="utf-8"))
    assert "plugins.webchat.WebchatStatic" in creds
    socketio = creds["plugins.channels.MaskedSocketIOInput"]
    assert socketio["user_message_evt"] == "user_uttered" and socketio["bot_message_evt"] == "bot_uttered"
    assert socketio["session_persistence"] is True


# ---------------------------------------------------------------------------------- over HTTP


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("static") / "server.log"
    env = {**os.environ, "SQLALCHEMY_SILENCE_UBER_WARNING": "1", "RASA_TELEMETRY_ENABLED": "false"}
    with open(log, "w") as fh:
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.web.static_app", str(port)], cwd=ROOT, env=env, stdout=fh, stderr=fh
        )
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                if proc.poll() is not None:
                    pytest.fail(f"test server stopped: {log.read_text()[-2000:]}")
                try:
                    if requests.get(f"{url}/webhooks/webchat/", timeout=1).status_code == 200:
                        break
                except requests.RequestException:
                    pass
                if time.monotonic() > deadline:
                    pytest.fail(f"test server did not start: {log.read_text()[-2000:]}")
                time.sleep(0.2)
            yield url
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()


def raw_get(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
    """GET with the path sent exactly as given (no client-side normalisation of `..`)."""
    host, port = url.removeprefix("http://").split(":")
    con = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        con.putrequest("GET", path, skip_accept_encoding=True)
        for k, v in (headers or {}).items():
            con.putheader(k, v)
        con.endheaders()
        r = con.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        con.close()


@pytest.mark.parametrize(
    "path,rel,mime",
    [
        ("/webhooks/webchat/bw-widget.js", "src/widget.js", "text/javascript"),
        ("/webhooks/webchat/bw-widget.css", "src/widget.css", "text/css"),
        ("/webhooks/webchat/demo/", "demo/index.html", "text/html"),
        ("/webhooks/webchat/demo/demo.css", "demo/demo.css", "text/css"),
        ("/webhooks/webchat/vendor/socket.io.min.js", webchat.FILES["vendor/socket.io.min.js"], "text/javascript"),
        ("/webhooks/webchat/vendor/marked.umd.js", webchat.FILES["vendor/marked.umd.js"], "text/javascript"),
        ("/webhooks/webchat/vendor/purify.min.js", webchat.FILES["vendor/purify.min.js"], "text/javascript"),
    ],
)
def test_files_are_served(server: str, path: str, rel: str, mime: str):
    status, headers, body = raw_get(server, path)
    assert status == 200
    assert headers["content-type"].startswith(mime)
    assert headers["x-content-type-options"] == "nosniff"
    assert body == (WEB / rel).read_bytes()
    status, _, body = raw_get(server, path, {"If-None-Match": headers["etag"]})
    assert status == 304 and body == b""


def test_demo_without_slash_redirects(server: str):
    status, headers, _ = raw_get(server, "/webhooks/webchat/demo")
    assert status in (301, 302, 307, 308)
    assert headers["location"].endswith("demo/")


def test_demo_page_embeds_the_widget_with_one_script_tag(server: str):
    html = requests.get(f"{server}/webhooks/webchat/demo/", timeout=5).text
    assert '<script src="../bw-widget.js" defer></script>' in html
    assert "window.BWWidgetConfig" in html
    assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html  # no CDN


@pytest.mark.parametrize(
    "path",
    ["/webhooks/webchat/" + t.replace("\x00", "%00").replace("\\", "%5c") for t in TRAVERSALS if t]
    + [
        "/webhooks/webchat/%2e%2e/%2e%2e/credentials.yml",
        "/webhooks/webchat/demo/%2e%2e%2f%2e%2e%2fcredentials.yml",
        "/webhooks/webchat/demo/%252e%252e%252f%252e%252e%252fcredentials.yml",
        "/webhooks/webchat/vendor/..%2f..%2f..%2fcredentials.yml",
        "/webhooks/webchat/..;/..;/credentials.yml",
        "/webhooks/webchat/demo/..%5c..%5ccredentials.yml",
        "/webhooks/webchat/demo/%c0%ae%c0%ae/%c0%ae%c0%ae/credentials.yml",
        "/webhooks/webchat/" + "../" * 8 + "etc/passwd",
        "/webhooks/webchat/" + "%2e%2e%2f" * 8 + "etc/passwd",
    ],
)
def test_traversal_is_refused_over_http(server: str, path: str):
    status, _, body = raw_get(server, path)
    assert status in (400, 404), (path, status)
    assert SECRET_MARKER.encode() not in body and b"root:" not in body


def test_socketio_session_gets_the_answers(server: str):
    """The widget's handshake, spoken as raw Engine.IO v4 / socket.io v5 frames over a websocket.

    With session_persistence the answer must reach the browser's session room. Rasa 3.6 calls
    python-socketio's `enter_room` (a coroutine since 5.10) without `await`; plugins/webchat.py
    repairs that at server start. Without the repair no `bot_uttered` ever arrives here.
    """
    from websockets.client import connect

    ws_url = server.replace("http://", "ws://") + "/socket.io/?EIO=4&transport=websocket"

    async def talk() -> list[list]:
        events: list[list] = []
        async with connect(ws_url, open_timeout=10) as ws:

            async def recv() -> str:
                data = await asyncio.wait_for(ws.recv(), 10)
                return data if isinstance(data, str) else data.decode()

            async def next_event() -> list:
                while True:
                    frame = await recv()
                    if frame == "2":  # Engine.IO ping
                        await ws.send("3")
                    elif frame.startswith("42"):
                        return json.loads(frame[2:])

            assert (await recv()).startswith("0{")  # Engine.IO open
            await ws.send("40")  # socket.io connect to "/"
            assert (await recv()).startswith("40")
            await ws.send("42" + json.dumps(["session_request", {"session_id": "web-test-sessie"}]))
            events.append(await next_event())
            message = {"message": "hallo", "session_id": "web-test-sessie", "metadata": {}}
            await ws.send("42" + json.dumps(["user_uttered", message]))
            while len(events) < 3:
                events.append(await next_event())
        return events

    events = asyncio.run(talk())
    assert events[0] == ["session_confirm", "web-test-sessie"]
    assert [e[0] for e in events[1:]] == ["bot_uttered", "bot_uttered"]
    assert [e[1].get("text") for e in events[1:]] == ["echo: hallo", "Bron: [voorbeeld](https://example.org/)"]
    assert events[2][1]["quick_replies"][0]["payload"] == "/groet"
