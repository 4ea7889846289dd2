"""Microsoft Teams (Bot Framework) for gemeente staff, with masking, lazy keys and a fixed tenant.

Rasa's own BotFrameworkInput downloads Microsoft's signing keys in its constructor (so
the server does not start without internet) and takes reply tokens only from the
multi-tenant authority. This connector:

- loads the signing keys (OpenID configuration -> JWKS) on the first request, refreshes
  them daily and when a token names an unknown key id (at most every few minutes);
- verifies every request as a Bot Framework JWT with PyJWT: RS256 only, issuer,
  audience = our app id, expiry (5 minutes leeway, as Microsoft prescribes), signature
  with the key matching `kid`, the key's endorsements against the activity's channelId,
  and the `serviceUrl` claim against the activity. Anything else: 401;
- gets reply tokens from the configured tenant:
  https://login.microsoftonline.com/<BOTFRAMEWORK_TENANT_ID>/oauth2/v2.0/token.
  Multi-tenant only when asked for explicitly (BOTFRAMEWORK_TENANT_ID=botframework.com);
- in Teams, refuses activities from another tenant than the configured one (403);
- masks BSNs/IBANs before Rasa stores anything (plugins/channels.masking).

Settings: credentials keys or environment variables
  app_id        BOTFRAMEWORK_APP_ID        (required)
  app_password  BOTFRAMEWORK_APP_PASSWORD  (required; the client secret)
  tenant_id     BOTFRAMEWORK_TENANT_ID     (required unless token_url is given)
  openid_url    BOTFRAMEWORK_OPENID_URL    (default Microsoft's Bot Framework OpenID document)
  jwks_url      BOTFRAMEWORK_JWKS_URL      (skip the OpenID document; tests use a local fake)
  token_url     BOTFRAMEWORK_TOKEN_URL     (default from the tenant; tests use a local fake)
  issuer        BOTFRAMEWORK_ISSUER        (default https://api.botframework.com; comma-separated)
  scope         BOTFRAMEWORK_SCOPE         (default https://api.botframework.com/.default)

The channel keeps the name `botframework` (URL /webhooks/botframework/webhook), which
bot/dialog.py treats as staff.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import re
import time
from dataclasses import dataclass
from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import jwt
import requests
from jwt.algorithms import RSAAlgorithm
from rasa.core.channels.botframework import BotFramework, BotFrameworkInput
from rasa.core.channels.channel import UserMessage
from rasa.shared.exceptions import InvalidConfigException
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from plugins.channels import OnNewMessage, masking

logger = logging.getLogger(__name__)

DEFAULT_OPENID_URL = "https://login.botframework.com/v1/.well-known/openidconfiguration"
DEFAULT_ISSUER = "https://api.botframework.com"
DEFAULT_SCOPE = "https://api.botframework.com/.default"
AUTHORITY = "https://login.microsoftonline.com"
MULTI_TENANT = "botframework.com"
LEEWAY_SECONDS = 300
HTTP_TIMEOUT = 15
_BEARER = re.compile(r"^Bearer\s+(\S+)\s*$")
_PLACEHOLDER = re.compile(r"^\$\{?\w+\}?$")
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)


class TokenRejected(Exception):
    """The request's token is not a valid Bot Framework token for this bot (-> 401)."""


class KeysUnavailable(Exception):
    """No signing keys could be loaded (-> 503; Bot Framework retries)."""


@dataclass(frozen=True)
class TeamsSettings:
    app_id: str
    app_password: str
    tenant_id: str | None
    token_url: str
    openid_url: str
    jwks_url: str | None
    issuers: tuple[str, ...]
    scope: str

    @property
    def multi_tenant(self) -> bool:
        return self.tenant_id == MULTI_TENANT

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TeamsSettings:
        creds = dict(credentials or {})

        def get(key: str, env: str, default: str | None = None) -> str | None:
            value = creds.get(key)
            if value in (None, ""):
                value = os.environ.get(env)
            if value in (None, ""):
                return default
            if _PLACEHOLDER.match(str(value).strip()):
                # A quoted "${VAR}" is not filled in by Rasa: never use it as a secret or an id.
                raise InvalidConfigException(f"Teams: {key} is niet ingevuld ({value}); zet {env}.")
            return str(value).strip()

        app_id = get("app_id", "BOTFRAMEWORK_APP_ID")
        app_password = get("app_password", "BOTFRAMEWORK_APP_PASSWORD")
        tenant_id = get("tenant_id", "BOTFRAMEWORK_TENANT_ID")
        token_url = get("token_url", "BOTFRAMEWORK_TOKEN_URL")
        if not app_id or not app_password:
            raise InvalidConfigException(
                "Teams staat aan, maar BOTFRAMEWORK_APP_ID of BOTFRAMEWORK_APP_PASSWORD ontbreekt."
            )
        if not token_url:
            if not tenant_id:
                raise InvalidConfigException(
                    "Teams: zet BOTFRAMEWORK_TENANT_ID op de tenant (directory-id) van de bot. "
                    f"Alleen voor een multi-tenant bot: BOTFRAMEWORK_TENANT_ID={MULTI_TENANT}."
                )
            token_url = f"{AUTHORITY}/{quote(tenant_id, safe='')}/oauth2/v2.0/token"
        issuers = tuple(i.strip() for i in (get("issuer", "BOTFRAMEWORK_ISSUER") or DEFAULT_ISSUER).split(",") if i)
        return cls(
            app_id=app_id,
            app_password=app_password,
            tenant_id=tenant_id,
            token_url=token_url,
            openid_url=get("openid_url", "BOTFRAMEWORK_OPENID_URL", DEFAULT_OPENID_URL) or DEFAULT_OPENID_URL,
            jwks_url=get("jwks_url", "BOTFRAMEWORK_JWKS_URL"),
            issuers=issuers,
            scope=get("scope", "BOTFRAMEWORK_SCOPE", DEFAULT_SCOPE) or DEFAULT_SCOPE,
        )


class KeySet:
    """Bot Framework signing keys: fetched on first use, refreshed daily or for an unknown key id."""

    def __init__(
        self,
        openid_url: str,
        jwks_url: str | None = None,
        max_age: float = 24 * 3600,
        unknown_kid_interval: float = 300,
        retry_interval: float = 30,
    ):
        self.openid_url = openid_url
        self.jwks_url = jwks_url
        self.max_age = max_age
        self.unknown_kid_interval = unknown_kid_interval
        self.retry_interval = retry_interval
        self.keys: dict[str, dict[str, Any]] = {}
        self.fetched_at: float | None = None  # last success
        self.tried_at: float | None = None  # last attempt
        self._lock = asyncio.Lock()

    def _fetch(self) -> dict[str, dict[str, Any]]:
        jwks_url = self.jwks_url
        if not jwks_url:
            conf = requests.get(self.openid_url, timeout=HTTP_TIMEOUT)
            conf.raise_for_status()
            jwks_url = conf.json()["jwks_uri"]
        r = requests.get(jwks_url, timeout=HTTP_TIMEOUT)
        r.raise_for_status()
        return {k["kid"]: k for k in r.json()["keys"] if k.get("kid")}

    def _should_fetch(self, kid: str, now: float) -> bool:
        since_try = now - self.tried_at if self.tried_at is not None else None
        if not self.keys:
            return since_try is None or since_try >= self.retry_interval
        if self.fetched_at is None or now - self.fetched_at >= self.max_age:
            return since_try is None or since_try >= self.retry_interval
        return kid not in self.keys and (since_try is None or since_try >= self.unknown_kid_interval)

    async def get(self, kid: str) -> dict[str, Any] | None:
        async with self._lock:
            now = time.monotonic()
            if self._should_fetch(kid, now):
                self.tried_at = now
                try:
                    self.keys = await asyncio.to_thread(self._fetch)
                    self.fetched_at = now
                except (requests.RequestException, ValueError, KeyError, TypeError) as exc:
                    logger.warning("Bot Framework-sleutels ophalen mislukt: %s", exc)
            if not self.keys:
                raise KeysUnavailable("geen Bot Framework-sleutels beschikbaar")
            return self.keys.get(kid)


class TokenSource:
    """Client-credentials tokens for replies, from the configured tenant; cached until just before expiry."""

    def __init__(self, settings: TeamsSettings):
        self.settings = settings
        self._token: str | None = None
        self._expires = 0.0
        self._lock = asyncio.Lock()

    def _fetch(self) -> tuple[str, float]:
        s = self.settings
        r = requests.post(
            s.token_url,
            data={
                "grant_type": "client_credentials",
                "client_id": s.app_id,
                "client_secret": s.app_password,
                "scope": s.scope,
            },
            timeout=HTTP_TIMEOUT,
        )
        r.raise_for_status()
        data = r.json()
        return str(data["access_token"]), float(data.get("expires_in", 3600))

    async def headers(self) -> dict[str, str]:
        async with self._lock:
            if self._token is None or time.monotonic() > self._expires - 60:
                token, expires_in = await asyncio.to_thread(self._fetch)
                self._token, self._expires = token, time.monotonic() + expires_in
            return {"Content-Type": "application/json", "Authorization": f"Bearer {self._token}"}


class TeamsOutput(BotFramework):
    """Replies to the activity's serviceUrl with a token from our tenant (not blocking the event loop)."""

    def __init__(
        self,
        app_id: str,
        app_password: str,
        conversation: dict[str, Any],
        bot: dict[str, Any],
        service_url: str,
        tokens: TokenSource,
        reply_to_id: str | None = None,
    ) -> None:
        super().__init__(app_id, app_password, conversation, bot, service_url)  # type: ignore[arg-type]
        self.tokens = tokens
        self.reply_to_id = reply_to_id

    def prepare_message(self, recipient_id: str, message_data: dict[str, Any]) -> dict[str, Any]:
        data = super().prepare_message(recipient_id, message_data)
        data.setdefault("conversation", {"id": self.conversation.get("id")})
        if self.reply_to_id:
            data.setdefault("replyToId", self.reply_to_id)
        return data

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: list[dict[str, Any]], **kwargs: Any
    ) -> None:
        """A hero card whose buttons send their payload back as a message (imBack)."""
        actions = [{"type": "imBack", "title": b["title"], "value": b["payload"]} for b in buttons]
        card = {"contentType": "application/vnd.microsoft.card.hero", "content": {"text": text, "buttons": actions}}
        await self.send(self.prepare_message(recipient_id, {"attachments": [card]}))

    async def send(self, message_data: dict[str, Any]) -> None:
        url = f"{self.global_uri}conversations/{quote(str(self.conversation['id']), safe='')}/activities"
        try:
            headers = await self.tokens.headers()
            r = await asyncio.to_thread(
                requests.post, url, headers=headers, data=json.dumps(message_data), timeout=HTTP_TIMEOUT
            )
            if not r.ok:
                logger.error("Teams-antwoord niet afgeleverd: HTTP %s %s", r.status_code, r.text[:200])
        except (requests.RequestException, KeyError, ValueError) as exc:
            logger.error("Teams-antwoord niet afgeleverd: %s", exc)


class TeamsInput(BotFrameworkInput):
    @classmethod
    def name(cls) -> str:
        return "botframework"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> TeamsInput:
        return cls(TeamsSettings.from_credentials(credentials))

    def __init__(self, settings: TeamsSettings) -> None:  # no super().__init__: it would download keys
        self.settings = settings
        self.app_id = settings.app_id
        self.app_password = settings.app_password
        self.keys = KeySet(settings.openid_url, settings.jwks_url)
        self.tokens = TokenSource(settings)
        self._tasks: set[asyncio.Task] = set()

    # ------------------------------------------------------------------ verification

    async def verify(self, auth_header: str | None, activity: dict[str, Any]) -> dict[str, Any]:
        """The token's claims, or TokenRejected / KeysUnavailable."""
        m = _BEARER.match(auth_header or "")
        if not m:
            raise TokenRejected("geen Bearer-token")
        token = m.group(1)
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError as exc:
            raise TokenRejected(f"onleesbaar token: {exc}") from exc
        if header.get("alg") != "RS256":
            raise TokenRejected(f"algoritme {header.get('alg')!r} niet toegestaan")
        kid = header.get("kid")
        if not kid:
            raise TokenRejected("token zonder kid")
        jwk = await self.keys.get(str(kid))
        if jwk is None:
            raise TokenRejected(f"onbekende sleutel {kid!r}")
        endorsements = jwk.get("endorsements")
        if endorsements and activity.get("channelId") not in endorsements:
            raise TokenRejected(f"sleutel niet bedoeld voor kanaal {activity.get('channelId')!r}")
        try:
            key = RSAAlgorithm.from_jwk(json.dumps(jwk))
            claims = jwt.decode(
                token,
                key=key,  # type: ignore[arg-type]
                algorithms=["RS256"],
                audience=self.settings.app_id,
                issuer=list(self.settings.issuers),
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iss", "aud"]},
            )
        except (jwt.PyJWTError, ValueError, TypeError) as exc:
            raise TokenRejected(str(exc)) from exc
        claimed = str(claims.get("serviceUrl") or "").rstrip("/")
        if not claimed or claimed != str(activity.get("serviceUrl") or "").rstrip("/"):
            raise TokenRejected("serviceUrl in het token past niet bij de activity")
        return claims

    def _other_tenant(self, activity: dict[str, Any]) -> bool:
        if self.settings.multi_tenant or not self.settings.tenant_id or activity.get("channelId") != "msteams":
            return False
        tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
        return bool(tenant) and str(tenant).lower() != self.settings.tenant_id.lower()

    # ------------------------------------------------------------------ webhook

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        handle = masking(on_new_message)
        bp = Blueprint("teams_webhook", __name__)

        @bp.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @bp.route("/webhook", methods=["POST"])
        async def webhook(request: Request) -> HTTPResponse:
            auth = request.headers.get("Authorization")
            if not auth:
                return response.text("Geen Authorization-header.", status=HTTPStatus.UNAUTHORIZED)
            try:
                activity = json.loads(request.body or b"")
            except ValueError:
                return response.text("Geen geldige JSON.", status=HTTPStatus.BAD_REQUEST)
            if not isinstance(activity, dict):
                return response.text("Geen geldige activity.", status=HTTPStatus.BAD_REQUEST)
            try:
                await self.verify(auth, activity)
            except KeysUnavailable:
                return response.text("Sleutels tijdelijk niet beschikbaar.", status=HTTPStatus.SERVICE_UNAVAILABLE)
            except TokenRejected as exc:
                logger.warning("Bot Framework-verzoek geweigerd: %s", exc)
                return response.text("Token niet geldig.", status=HTTPStatus.UNAUTHORIZED)
            if self._other_tenant(activity):
                return response.text("Andere tenant.", status=HTTPStatus.FORBIDDEN)
            if activity.get("type") != "message":
                return response.text("success")
            try:
                msg = self._user_message(activity)
            except (KeyError, TypeError, AttributeError) as exc:
                return response.text(f"Onvolledige activity: {exc}", status=HTTPStatus.BAD_REQUEST)
            # Answer Bot Framework at once; the reply goes to the serviceUrl.
            task = asyncio.create_task(self._handle(handle, msg))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
            return response.text("success")

        return bp

    def _user_message(self, activity: dict[str, Any]) -> UserMessage:
        out = TeamsOutput(
            self.app_id,
            self.app_password,
            activity["conversation"],
            activity["recipient"],
            activity["serviceUrl"],
            self.tokens,
            reply_to_id=activity.get("id"),
        )
        text = _MENTION.sub(" ", str(activity.get("text") or "")).strip()
        value = activity.get("value")
        if not text and isinstance(value, dict) and isinstance(value.get("payload"), str):
            text = value["payload"]  # a card button that posts back its payload
        metadata = self.add_attachments_to_metadata(activity, {}) or {}
        tenant = ((activity.get("channelData") or {}).get("tenant") or {}).get("id")
        if tenant:
            metadata["tenant_id"] = tenant
        # Who wrote (a gemeente employee): lets the service desk reply in Teams.
        sender = activity.get("from") or {}
        if sender.get("aadObjectId"):
            metadata["aad_object_id"] = sender["aadObjectId"]
        if sender.get("name"):
            metadata["gebruiker_naam"] = sender["name"]
        return UserMessage(
            text=text,
            output_channel=out,
            sender_id=str(activity["from"]["id"]),
            input_channel=self.name(),
            metadata=metadata or None,
        )

    @staticmethod
    async def _handle(handle: OnNewMessage, msg: UserMessage) -> None:
        try:
            await handle(msg)
        except Exception:  # noqa: BLE001 - a background task: log, do not lose silently
            logger.exception("Teams-bericht verwerken mislukt")
