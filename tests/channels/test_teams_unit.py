"""The Teams connector without a Rasa server: settings, lazy keys, JWT checks (all on loopback)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from jwt.utils import base64url_encode
from rasa.shared.exceptions import InvalidConfigException

from plugins import teams
from tests.channels.fakes import APP_ID, TENANT, FakeService, Signer, activity, fake_microsoft

ENV_KEYS = [
    "BOTFRAMEWORK_APP_ID", "BOTFRAMEWORK_APP_PASSWORD", "BOTFRAMEWORK_TENANT_ID", "BOTFRAMEWORK_OPENID_URL",
    "BOTFRAMEWORK_JWKS_URL", "BOTFRAMEWORK_TOKEN_URL", "BOTFRAMEWORK_ISSUER", "BOTFRAMEWORK_SCOPE",
]


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for k in ENV_KEYS:
        monkeypatch.delenv(k, raising=False)


@pytest.fixture(scope="module")
def signer() -> Signer:
    return Signer()


@pytest.fixture
def ms(signer: Signer) -> Iterator[FakeService]:
    s = fake_microsoft(signer)
    yield s
    s.close()


def channel(ms: FakeService, **creds: Any) -> teams.TeamsInput:
    base = {
        "app_id": APP_ID,
        "app_password": "geheim",
        "tenant_id": TENANT,
        "openid_url": f"{ms.url}/openid",
        "token_url": f"{ms.url}/{TENANT}/oauth2/v2.0/token",
    }
    return teams.TeamsInput.from_credentials({**base, **creds})


# --------------------------------------------------------------------------- settings


def test_token_authority_is_the_configured_tenant():
    s = teams.TeamsSettings.from_credentials({"app_id": "a", "app_password": "p", "tenant_id": TENANT})
    assert s.token_url == f"https://login.microsoftonline.com/{TENANT}/oauth2/v2.0/token"
    assert not s.multi_tenant and s.issuers == ("https://api.botframework.com",)


def test_multi_tenant_only_when_asked_for():
    with pytest.raises(InvalidConfigException, match="BOTFRAMEWORK_TENANT_ID"):
        teams.TeamsSettings.from_credentials({"app_id": "a", "app_password": "p"})
    s = teams.TeamsSettings.from_credentials({"app_id": "a", "app_password": "p", "tenant_id": "botframework.com"})
    assert s.multi_tenant and s.token_url == "https://login.microsoftonline.com/botframework.com/oauth2/v2.0/token"


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("BOTFRAMEWORK_APP_ID", "app")
    monkeypatch.setenv("BOTFRAMEWORK_APP_PASSWORD", "pw")
    monkeypatch.setenv("BOTFRAMEWORK_TENANT_ID", TENANT)
    monkeypatch.setenv("BOTFRAMEWORK_TOKEN_URL", "http://127.0.0.1:1/token")
    monkeypatch.setenv("BOTFRAMEWORK_ISSUER", "https://a.example, https://b.example")
    s = teams.TeamsSettings.from_credentials(None)
    assert (s.app_id, s.app_password, s.token_url) == ("app", "pw", "http://127.0.0.1:1/token")
    assert s.issuers == ("https://a.example", "https://b.example")


def test_app_id_and_password_are_required():
    with pytest.raises(InvalidConfigException, match="BOTFRAMEWORK_APP_ID"):
        teams.TeamsSettings.from_credentials({"tenant_id": TENANT})


def test_construction_does_not_touch_the_network(ms: FakeService):
    channel(ms)
    channel(ms, openid_url="https://login.botframework.com/v1/.well-known/openidconfiguration")
    assert ms.requests == []


# --------------------------------------------------------------------------- verification


def verify(ch: teams.TeamsInput, header: str | None, act: dict[str, Any]) -> dict[str, Any]:
    return asyncio.run(ch.verify(header, act))


def test_good_token_is_accepted_and_keys_are_loaded_once(ms: FakeService, signer: Signer):
    ch = channel(ms)
    svc = f"{ms.url}/connector"
    for _ in range(3):
        claims = verify(ch, f"Bearer {signer.token(svc)}", activity(svc, "hallo"))
        assert claims["aud"] == APP_ID
    assert len(ms.calls("/openid")) == 1 and len(ms.calls("/keys")) == 1


def _hs256_with_public_key(signer: Signer, svc: str) -> str:
    pem = signer.key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = base64url_encode(json.dumps({"alg": "HS256", "kid": signer.kid, "typ": "JWT"}).encode())
    body = base64url_encode(json.dumps({"iss": teams.DEFAULT_ISSUER, "aud": APP_ID, "serviceUrl": svc,
                                        "exp": 9999999999}).encode())
    sig = base64url_encode(hmac.new(pem, header + b"." + body, hashlib.sha256).digest())
    return (header + b"." + body + b"." + sig).decode()


BAD_TOKENS = {
    "geen header": lambda s, svc: None,
    "geen bearer": lambda s, svc: "Basic dXNlcjpwdw==",
    "onzin": lambda s, svc: "Bearer dit.is.geen-token",
    "verlopen": lambda s, svc: f"Bearer {s.token(svc, exp=1_000_000_000, iat=999_999_000, nbf=999_999_000)}",
    "andere audience": lambda s, svc: f"Bearer {s.token(svc, aud='iemand-anders')}",
    "andere issuer": lambda s, svc: f"Bearer {s.token(svc, iss='https://evil.example')}",
    "ander serviceUrl": lambda s, svc: f"Bearer {s.token('https://evil.example/')}",
    "geen serviceUrl": lambda s, svc: f"Bearer {s.token(svc, serviceUrl=None)}",
    "geen exp": lambda s, svc: f"Bearer {s.token(svc, exp=None)}",
    "onbekende kid": lambda s, svc: f"Bearer {s.token(svc, kid='andere-sleutel')}",
    "andere sleutel": lambda s, svc: f"Bearer {Signer(kid=s.kid).token(svc)}",
    "alg none": lambda s, svc: "Bearer " + jwt.encode({"aud": APP_ID, "serviceUrl": svc}, None, algorithm="none"),
    "HS256 met publieke sleutel": lambda s, svc: f"Bearer {_hs256_with_public_key(s, svc)}",
}


@pytest.mark.parametrize("name", BAD_TOKENS)
def test_bad_tokens_are_rejected(ms: FakeService, signer: Signer, name: str):
    ch = channel(ms)
    svc = f"{ms.url}/connector"
    with pytest.raises(teams.TokenRejected):
        verify(ch, BAD_TOKENS[name](signer, svc), activity(svc, "hallo"))


def test_key_endorsements_must_include_the_channel(ms: FakeService, signer: Signer):
    ch = channel(ms)
    svc = f"{ms.url}/connector"
    with pytest.raises(teams.TokenRejected, match="kanaal"):
        verify(ch, f"Bearer {signer.token(svc)}", activity(svc, "hallo", channelId="slack"))


def test_rotated_key_is_fetched_once_unknown_kids_are_rate_limited(ms: FakeService, signer: Signer):
    ch = channel(ms)
    svc = f"{ms.url}/connector"
    verify(ch, f"Bearer {signer.token(svc)}", activity(svc, "hallo"))
    new = Signer(kid="nieuwe-sleutel")
    ms.routes = [r for r in ms.routes if r[1] != "/keys"]
    ms.route("GET", "/keys", lambda r: (200, {"keys": [signer.jwk, new.jwk]}))
    ch.keys.tried_at = -1e9  # as if the last fetch was long ago
    verify(ch, f"Bearer {new.token(svc)}", activity(svc, "hallo"))
    fetched = len(ms.calls("/keys"))
    for _ in range(3):  # a flood of random kids does not hammer the key endpoint
        with pytest.raises(teams.TokenRejected):
            verify(ch, f"Bearer {new.token(svc, kid='bestaat-niet')}", activity(svc, "hallo"))
    assert len(ms.calls("/keys")) == fetched


def test_no_keys_reachable_means_service_unavailable(signer: Signer):
    ch = teams.TeamsInput.from_credentials(
        {"app_id": APP_ID, "app_password": "p", "tenant_id": TENANT, "jwks_url": "http://127.0.0.1:9/keys"}
    )
    with pytest.raises(teams.KeysUnavailable):
        verify(ch, f"Bearer {signer.token('http://127.0.0.1:9')}", activity("http://127.0.0.1:9", "hallo"))


def test_other_tenant_is_recognised(ms: FakeService):
    ch = channel(ms)
    assert ch._other_tenant(activity("x", "hallo", channelData={"tenant": {"id": "ander"}}))
    assert not ch._other_tenant(activity("x", "hallo"))
    multi = channel(ms, tenant_id="botframework.com")
    assert not multi._other_tenant(activity("x", "hallo", channelData={"tenant": {"id": "ander"}}))


# --------------------------------------------------------------------------- replies


def test_reply_uses_a_tenant_token_and_imback_buttons(ms: FakeService):
    ch = channel(ms)
    svc = f"{ms.url}/connector"
    msg = ch._user_message(activity(svc, "<at>BW-assistent</at> hoe hoog is de bijdrage?"))
    assert msg.text == "hoe hoog is de bijdrage?" and msg.input_channel == "botframework"

    async def send() -> None:
        await msg.output_channel.send_text_message(msg.sender_id, "Eerste deel.\n\nTweede deel.")
        await msg.output_channel.send_text_with_buttons(
            msg.sender_id, "Kies:", [{"title": "Iets anders", "payload": "/buiten_bereik"}]
        )

    asyncio.run(send())
    posts = ms.calls("/connector/v3/conversations/a%3Agesprek-1/activities")
    assert len(posts) == 3
    assert all(p.headers["Authorization"] == "Bearer fake-access-token-for-replies" for p in posts)
    assert [p.data.get("text") for p in posts[:2]] == ["Eerste deel.", "Tweede deel."]
    button = posts[2].data["attachments"][0]["content"]["buttons"][0]
    assert button == {"type": "imBack", "title": "Iets anders", "value": "/buiten_bereik"}
    token_calls = ms.calls(f"/{TENANT}/oauth2/v2.0/token")
    assert len(token_calls) == 1  # cached
    assert token_calls[0].data == {
        "grant_type": "client_credentials",
        "client_id": APP_ID,
        "client_secret": "geheim",
        "scope": "https://api.botframework.com/.default",
    }
