"""The Slack connector and the credentials builder without a Rasa server."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from rasa.shared.exceptions import InvalidConfigException
from rasa.shared.utils.io import read_config_file

from plugins import slack
from scripts import credentials
from tests.channels.fakes import FakeService, fake_slack, slack_posts


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for k in ("SLACK_TOKEN", "SLACK_SIGNING_SECRET", "SLACK_CHANNEL", "SLACK_API_URL"):
        monkeypatch.delenv(k, raising=False)


@pytest.fixture
def api() -> Iterator[FakeService]:
    s = fake_slack()
    yield s
    s.close()


def test_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("SLACK_TOKEN", "xoxb-test")
    monkeypatch.setenv("SLACK_SIGNING_SECRET", "s3cret")
    monkeypatch.setenv("SLACK_CHANNEL", "C123")
    ch = slack.MaskedSlackInput.from_credentials(None)
    assert (ch.slack_token, ch.slack_signing_secret, ch.slack_channel, ch.api_url) == (
        "xoxb-test", "s3cret", "C123", None,
    )
    assert ch.name() == "slack"


def test_signing_secret_and_token_are_required(monkeypatch: pytest.MonkeyPatch):
    with pytest.raises(InvalidConfigException, match="SLACK_TOKEN"):
        slack.MaskedSlackInput.from_credentials({"slack_signing_secret": "x"})
    with pytest.raises(InvalidConfigException, match="SLACK_SIGNING_SECRET"):
        slack.MaskedSlackInput.from_credentials({"slack_token": "xoxb-test"})


def test_unfilled_placeholders_are_refused():
    with pytest.raises(InvalidConfigException, match="niet ingevuld"):
        slack.MaskedSlackInput.from_credentials({"slack_token": "xoxb-a", "slack_signing_secret": "${SLACK_SECRET}"})


def test_the_example_file_is_filled_in_by_rasa(monkeypatch: pytest.MonkeyPatch):
    env = {
        "SLACK_TOKEN": "xoxb-a", "SLACK_SIGNING_SECRET": "b", "SLACK_CHANNEL": "C1",
        "BOTFRAMEWORK_APP_ID": "app", "BOTFRAMEWORK_APP_PASSWORD": "pw", "BOTFRAMEWORK_TENANT_ID": "t",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    read = read_config_file(str(credentials.ROOT / "credentials.staff.example.yml"))
    slack_creds = {"slack_token": "xoxb-a", "slack_signing_secret": "b", "slack_channel": "C1"}
    assert read[credentials.SLACK_CHANNEL_CLASS] == slack_creds
    assert read[credentials.TEAMS_CHANNEL_CLASS] == {"app_id": "app", "app_password": "pw", "tenant_id": "t"}


def test_no_proxy_is_honoured(api: FakeService, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    local = slack.MaskedSlackBot("xoxb-test", "D1", api_url=f"{api.url}/api/")
    assert local.client.proxy is None
    remote = slack.MaskedSlackBot("xoxb-test", "D1")
    assert remote.client.proxy == "http://127.0.0.1:9"


def test_replies_go_to_the_configured_api_without_as_user(api: FakeService):
    ch = slack.MaskedSlackInput.from_credentials(
        {"slack_token": "xoxb-test", "slack_signing_secret": "x", "slack_api_url": f"{api.url}/api/"}
    )
    out = ch.get_output_channel("D42")
    asyncio.run(out.send_text_message("U1", "Uw nummer is **BW-ABC-DEF**.\n\nTot ziens."))
    posts = slack_posts(api, "D42")
    assert [p["text"] for p in posts] == ["Uw nummer is *BW-ABC-DEF*.", "Tot ziens."]
    assert all("as_user" not in p for p in posts)
    assert api.calls("/api/chat.postMessage")[0].headers["Authorization"] == "Bearer xoxb-test"


# --------------------------------------------------------------------------- scripts/credentials.py


def test_no_staff_channels_without_variables(tmp_path: Path):
    text, warnings = credentials.build({})
    assert text == credentials.BASE.read_text(encoding="utf-8") and warnings == []


def test_channels_are_added_as_placeholders_only(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    env = {
        "SLACK_TOKEN": "xoxb-echt-geheim",
        "SLACK_SIGNING_SECRET": "ook-geheim",
        "BOTFRAMEWORK_APP_ID": "app",
        "BOTFRAMEWORK_APP_PASSWORD": "wachtwoord-geheim",
        "BOTFRAMEWORK_TENANT_ID": "tenant",
    }
    path, warnings = credentials.write(tmp_path / "credentials.yml", env)
    text = path.read_text(encoding="utf-8")
    assert warnings == []
    assert "slack_token: ${SLACK_TOKEN}\n" in text and "slack_channel" not in text
    assert "tenant_id: ${BOTFRAMEWORK_TENANT_ID}\n" in text
    for secret in ("xoxb-echt-geheim", "ook-geheim", "wachtwoord-geheim"):
        assert secret not in text
    # Rasa reads the file and fills in the environment.
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    read = read_config_file(str(path))
    assert read[credentials.SLACK_CHANNEL_CLASS] == {
        "slack_token": "xoxb-echt-geheim",
        "slack_signing_secret": "ook-geheim",
    }
    assert read[credentials.TEAMS_CHANNEL_CLASS]["app_password"] == "wachtwoord-geheim"
    assert "plugins.channels.MaskedRestInput" in read


@pytest.mark.parametrize(
    "env, warning",
    [
        ({"SLACK_TOKEN": "x"}, "Slack blijft uit: SLACK_SIGNING_SECRET ontbreekt"),
        ({"BOTFRAMEWORK_APP_ID": "a", "BOTFRAMEWORK_APP_PASSWORD": "p"}, "BOTFRAMEWORK_TENANT_ID ontbreekt"),
        ({"BOTFRAMEWORK_TENANT_ID": "t"}, "BOTFRAMEWORK_APP_ID, BOTFRAMEWORK_APP_PASSWORD ontbreekt"),
    ],
)
def test_half_configured_channels_stay_off(env: dict[str, str], warning: str):
    text, warnings = credentials.build(env)
    assert "MaskedSlackInput" not in text.split("scripts/credentials.py")[-1] or "Slack" not in warning
    assert any(warning in w for w in warnings), warnings
    assert "${" not in text


def test_a_channel_already_in_the_base_file_is_not_repeated(tmp_path: Path):
    base = tmp_path / "base.yml"
    base.write_text("plugins.slack.MaskedSlackInput:\n  slack_token: x\n", encoding="utf-8")
    text, warnings = credentials.build({"SLACK_TOKEN": "a", "SLACK_SIGNING_SECRET": "b"}, base)
    assert text.count("plugins.slack.MaskedSlackInput:") == 1 and "staat al" in warnings[0]
