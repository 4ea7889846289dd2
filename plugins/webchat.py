"""Serve the citizens' chat widget (web/) from the Rasa server itself.

Registered in credentials.yml as `plugins.webchat.WebchatStatic:`; Rasa mounts it at
`/webhooks/webchat/`:

    /webhooks/webchat/                 {"status": "ok"}
    /webhooks/webchat/bw-widget.js     web/src/widget.js   (the one script a page embeds)
    /webhooks/webchat/bw-widget.css    web/src/widget.css  (loaded by the script)
    /webhooks/webchat/vendor/<name>    socket.io-client, marked and DOMPurify from web/node_modules
    /webhooks/webchat/demo/            web/demo/index.html (a demo gemeente page)
    /webhooks/webchat/demo/<file>      other files in web/demo

The channel receives no messages: the widget talks to the socket.io channel. Only the
files above can be served. Every name a client sends is checked against a fixed table
or against a strict pattern for one file directly in web/demo, and the resolved path
must still lie in web/ (so no `..`, encoded slashes, dotfiles or symlinks out).

It also repairs, at server start, a known bug of Rasa 3.6's socket.io channel
(RasaHQ/rasa#13027): with python-socketio >= 5.10 `AsyncServer.enter_room` is a
coroutine that Rasa calls without `await`, so with `session_persistence: true` a
browser never joins its session's room and never receives an answer. See
`fix_session_request`; it leaves a channel alone whose handler is not Rasa's own.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
import re
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from rasa.core.channels.channel import InputChannel, UserMessage
from rasa.core.channels.socketio import SocketIOInput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

logger = logging.getLogger(__name__)

WEB_DIR = Path(__file__).resolve().parent.parent / "web"

# Public name -> file relative to web/. The only files outside web/demo that are served.
FILES: dict[str, str] = {
    "bw-widget.js": "src/widget.js",
    "bw-widget.css": "src/widget.css",
    "vendor/socket.io.min.js": "node_modules/socket.io-client/dist/socket.io.min.js",
    "vendor/marked.umd.js": "node_modules/marked/lib/marked.umd.js",
    "vendor/purify.min.js": "node_modules/dompurify/dist/purify.min.js",
}
DEMO_DIR = "demo"
DEMO_INDEX = "index.html"

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".json": "application/json",
}
# One file name directly in web/demo: no slashes, no leading dot, a known extension.
_DEMO_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*(\.[A-Za-z0-9_-]+)*\.(html|js|css|svg|png|ico|json)$")


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
    except ValueError:
        return False
    return True


def resolve(name: str, web_dir: Path = WEB_DIR) -> Path | None:
    """The file to serve for a public name (the URL part after /webhooks/webchat/), or None."""
    if not isinstance(name, str) or "\x00" in name or "\\" in name:
        return None
    root = web_dir.resolve()
    if name in FILES:
        candidate, allowed = root / FILES[name], root
    elif name == DEMO_DIR + "/":
        candidate, allowed = root / DEMO_DIR / DEMO_INDEX, root / DEMO_DIR
    elif name.startswith(DEMO_DIR + "/") and _DEMO_NAME.match(name[len(DEMO_DIR) + 1 :]):
        candidate, allowed = root / DEMO_DIR / name[len(DEMO_DIR) + 1 :], root / DEMO_DIR
    else:
        return None
    try:
        real = candidate.resolve(strict=True)
        allowed = allowed.resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if not real.is_file() or not _inside(real, allowed) or not _inside(real, root):
        return None
    return real


def _etag(path: Path) -> str:
    st = path.stat()
    return '"' + hashlib.sha1(f"{st.st_mtime_ns}-{st.st_size}".encode()).hexdigest()[:16] + '"'


async def serve(request: Request, name: str, web_dir: Path = WEB_DIR) -> HTTPResponse:
    path = resolve(name, web_dir)
    if path is None:
        return response.text("Niet gevonden", status=404)
    etag = _etag(path)
    headers = {
        "ETag": etag,
        # Revalidate every time (cheap with the ETag): a new widget version is seen at once.
        "Cache-Control": "no-cache",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer",
    }
    if request.headers.get("if-none-match") == etag:
        return response.empty(status=304, headers=headers)
    mime = CONTENT_TYPES.get(path.suffix, "application/octet-stream")
    return await response.file(path, mime_type=mime, headers=headers)


def fix_session_request(channel: SocketIOInput) -> bool:
    """Make Rasa's `session_request` handler await `enter_room`; True when it was replaced."""
    sio = channel.sio
    if sio is None or not inspect.iscoroutinefunction(getattr(sio, "enter_room", None)):
        return False
    namespace = channel.namespace or "/"
    current = sio.handlers.get(namespace, {}).get("session_request")
    if current is None or getattr(current, "__module__", "") != "rasa.core.channels.socketio":
        return False  # already replaced (here or by the channel itself)

    async def session_request(sid: str, data: dict[str, Any] | None) -> None:
        data = dict(data or {})
        if not data.get("session_id"):
            data["session_id"] = uuid.uuid4().hex
        if channel.session_persistence:
            await sio.enter_room(sid, data["session_id"], namespace=namespace)
        await sio.emit("session_confirm", data["session_id"], room=sid, namespace=namespace)

    sio.on("session_request", session_request, namespace=channel.namespace)
    logger.debug("webchat: socket.io session_request now awaits enter_room (RasaHQ/rasa#13027)")
    return True


class WebchatStatic(InputChannel):
    """Static files of the web chat widget; receives no messages itself."""

    @classmethod
    def name(cls) -> str:
        return "webchat"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> InputChannel:
        return cls(Path((credentials or {}).get("web_dir") or WEB_DIR))

    def __init__(self, web_dir: Path = WEB_DIR) -> None:
        self.web_dir = web_dir

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        bp = Blueprint("webchat_static", __name__)
        web_dir = self.web_dir

        @bp.listener("before_server_start")
        async def repair_socketio(app: Any, _loop: Any) -> None:
            for channel in getattr(app.ctx, "input_channels", None) or []:
                if isinstance(channel, SocketIOInput):
                    fix_session_request(channel)

        def health() -> HTTPResponse:
            return response.json({"status": "ok", "demo": "demo/", "widget": "bw-widget.js"})

        @bp.route("/", methods=["GET"])
        async def root(_: Request) -> HTTPResponse:
            return health()

        @bp.route("/<name:path>", methods=["GET", "HEAD"])
        async def static(request: Request, name: str) -> HTTPResponse:
            if name == "":
                return health()
            if name == DEMO_DIR:  # relative links in the demo page need the slash
                return response.redirect("demo/")
            return await serve(request, name, web_dir)

        return bp
