"""Local fakes on loopback: Slack Web API, Microsoft's key/token endpoints, Bot Connector, service desk."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs

import jwt
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes

    @property
    def data(self) -> dict[str, Any]:
        """JSON or form body as a dict (form values: the first one)."""
        ctype = self.headers.get("Content-Type", "")
        if "json" in ctype:
            return json.loads(self.body or b"{}")
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}


Reply = tuple[int, Any]
Handler = Callable[[Recorded], Reply]


@dataclass
class FakeService:
    """A tiny HTTP server on 127.0.0.1: handlers per (method, path prefix); every request is recorded."""

    routes: list[tuple[str, str, Handler]] = field(default_factory=list)
    requests: list[Recorded] = field(default_factory=list)

    def __post_init__(self) -> None:
        fake = self

        class H(BaseHTTPRequestHandler):
            def _handle(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                rec = Recorded(self.command, self.path, dict(self.headers), body)
                fake.requests.append(rec)
                match = [r for r in fake.routes if r[0] == self.command and self.path.startswith(r[1])]
                status, payload = max(match, key=lambda r: len(r[1]))[2](rec) if match else (404, {"error": "nf"})
                raw = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            do_GET = do_POST = _handle  # noqa: N815

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), H)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def route(self, method: str, prefix: str, handler: Handler) -> None:
        self.routes.append((method, prefix, handler))

    def calls(self, prefix: str, method: str | None = None) -> list[Recorded]:
        return [r for r in self.requests if r.path.startswith(prefix) and (method is None or r.method == method)]

    def wait_for(self, prefix: str, count: int = 1, timeout: float = 60) -> list[Recorded]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.calls(prefix)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        got = len(self.calls(prefix))
        raise AssertionError(f"{count} request(s) to {prefix} expected within {timeout:.0f} s, got {got}")

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


# --------------------------------------------------------------------------- Slack


def fake_slack() -> FakeService:
    s = FakeService()
    s.route("POST", "/api/chat.postMessage", lambda r: (200, {"ok": True, "channel": "D1", "ts": "1.0"}))
    return s


def slack_posts(s: FakeService, channel: str | None = None) -> list[dict[str, Any]]:
    return [r.data for r in s.calls("/api/chat.postMessage") if channel is None or r.data.get("channel") == channel]


# --------------------------------------------------------------------------- Microsoft


TENANT = "11111111-2222-3333-4444-555555555555"
APP_ID = "00000000-aaaa-bbbb-cccc-000000000001"
ISSUER = "https://api.botframework.com"
ACCESS_TOKEN = "fake-access-token-for-replies"


class Signer:
    """A locally generated RSA key, served as a JWKS, that signs Bot Framework-like tokens."""

    def __init__(self, kid: str = "test-key", endorsements: list[str] | None = None):
        self.kid = kid
        self.key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.jwk = json.loads(RSAAlgorithm.to_jwk(self.key.public_key()))
        self.jwk.update({"kid": kid, "use": "sig", "endorsements": endorsements or ["msteams", "emulator"]})

    def token(self, service_url: str, **overrides: Any) -> str:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": APP_ID,
            "iat": now - 10,
            "nbf": now - 10,
            "exp": now + 3600,
            "serviceUrl": service_url,
        }
        headers = {"kid": overrides.pop("kid", self.kid)}
        claims.update(overrides)
        claims = {k: v for k, v in claims.items() if v is not None}
        return jwt.encode(claims, self.key, algorithm="RS256", headers=headers)


def fake_microsoft(signer: Signer) -> FakeService:
    """OpenID document, JWKS, tenant token endpoint and Bot Connector, all in one loopback server."""
    s = FakeService()
    s.route("GET", "/openid", lambda r: (200, {"issuer": ISSUER, "jwks_uri": f"{s.url}/keys"}))
    s.route("GET", "/keys", lambda r: (200, {"keys": [signer.jwk]}))
    s.route(
        "POST",
        f"/{TENANT}/oauth2/v2.0/token",
        lambda r: (200, {"token_type": "Bearer", "expires_in": 3600, "access_token": ACCESS_TOKEN}),
    )
    s.route("POST", "/connector/v3/conversations/", lambda r: (200, {"id": "reply-1"}))
    return s


def activity(service_url: str, text: str, **overrides: Any) -> dict[str, Any]:
    a: dict[str, Any] = {
        "type": "message",
        "id": "activity-1",
        "channelId": "msteams",
        "serviceUrl": service_url,
        "from": {"id": "29:medewerker-1", "name": "Medewerker"},
        "recipient": {"id": f"28:{APP_ID}", "name": "BW-assistent"},
        "conversation": {"id": "a:gesprek-1", "conversationType": "personal"},
        "channelData": {"tenant": {"id": TENANT}},
        "text": text,
    }
    a.update(overrides)
    return a
