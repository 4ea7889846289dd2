"""Slack for gemeente staff: Rasa's SlackInput, with masking and settings from the environment.

- Every message goes through `masking` (plugins/channels.py) before Rasa stores it.
- Settings come from credentials (scripts/credentials.py writes `${SLACK_...}`
  placeholders, which Rasa fills in from the environment) or, when a key is missing,
  straight from the environment: SLACK_TOKEN (bot token, xoxb-...), SLACK_SIGNING_SECRET
  (mandatory: every request is checked with it, locally), SLACK_CHANNEL (optional: the one
  channel besides direct messages and @-mentions the bot answers in), SLACK_API_URL
  (optional: another Slack Web API address, e.g. a local fake in the tests).
- Replies: NO_PROXY is honoured (slack_sdk itself only reads HTTPS_PROXY), `as_user` is
  left out (new Slack apps get `invalid_arguments` with it), and
  **bold** is written as Slack's *bold*.

The channel keeps the name `slack`, so the URL is /webhooks/slack/webhook and the
assistant answers staff (bot/dialog.py: slack -> medewerker).
"""

from __future__ import annotations

import os
import re
from typing import Any
from urllib.parse import urlsplit
from urllib.request import proxy_bypass_environment

from rasa.core.channels.channel import OutputChannel
from rasa.core.channels.slack import SlackBot, SlackInput
from rasa.shared.exceptions import InvalidConfigException
from slack_sdk.web.async_client import AsyncWebClient

from plugins.channels import OnNewMessage, masking

_BOLD = re.compile(r"\*\*(.+?)\*\*", re.DOTALL)


_PLACEHOLDER = re.compile(r"^\$\{?\w+\}?$")


def _setting(credentials: dict[str, Any], key: str, env: str) -> str | None:
    value = credentials.get(key)
    if value in (None, ""):
        value = os.environ.get(env)
    if value in (None, ""):
        return None
    if _PLACEHOLDER.match(str(value).strip()):
        # "${SLACK_SIGNING_SECRET}" in quotes is not filled in by Rasa: never use it as a secret.
        raise InvalidConfigException(f"Slack: {key} is niet ingevuld ({value}); zet {env} zonder aanhalingstekens.")
    return str(value).strip()


class MaskedSlackBot(SlackBot):
    """SlackBot with a configurable API address and without the legacy `as_user` argument."""

    def __init__(
        self,
        token: str,
        slack_channel: str | None = None,
        thread_id: str | None = None,
        proxy: str | None = None,
        api_url: str | None = None,
    ) -> None:
        super().__init__(token, slack_channel, thread_id, proxy)
        if api_url:
            self.client = AsyncWebClient(token, base_url=api_url, proxy=proxy)
        # slack_sdk takes HTTPS_PROXY from the environment but ignores NO_PROXY; honour it.
        host = urlsplit(self.client.base_url).hostname or ""
        if not proxy and self.client.proxy and proxy_bypass_environment(host):
            self.client.proxy = None

    async def _post_message(self, channel: str, **kwargs: Any) -> None:
        kwargs.pop("as_user", None)
        kwargs.pop("type", None)
        if isinstance(kwargs.get("text"), str):
            kwargs["text"] = _BOLD.sub(r"*\1*", kwargs["text"])
        await super()._post_message(channel, **kwargs)


class MaskedSlackInput(SlackInput):
    @classmethod
    def name(cls) -> str:
        return "slack"

    @classmethod
    def from_credentials(cls, credentials: dict[str, Any] | None) -> MaskedSlackInput:
        creds = dict(credentials or {})
        token = _setting(creds, "slack_token", "SLACK_TOKEN")
        secret = _setting(creds, "slack_signing_secret", "SLACK_SIGNING_SECRET")
        if not token:
            raise InvalidConfigException("Slack staat aan, maar SLACK_TOKEN (het bot-token, xoxb-...) ontbreekt.")
        if not secret:
            raise InvalidConfigException(
                "Slack staat aan, maar SLACK_SIGNING_SECRET ontbreekt; zonder kan niemand controleren "
                "dat een bericht echt van Slack komt."
            )
        return cls(
            token,
            _setting(creds, "slack_channel", "SLACK_CHANNEL"),
            creds.get("proxy"),
            creds.get("slack_retry_reason_header", "x-slack-retry-reason"),
            creds.get("slack_retry_number_header", "x-slack-retry-num"),
            creds.get("errors_ignore_retry"),
            bool(creds.get("use_threads", False)),
            secret,
            creds.get("conversation_granularity", "sender"),
            api_url=_setting(creds, "slack_api_url", "SLACK_API_URL"),
        )

    def __init__(self, *args: Any, api_url: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.api_url = api_url

    def get_output_channel(self, channel: str | None = None, thread_id: str | None = None) -> OutputChannel:
        return MaskedSlackBot(self.slack_token, channel or self.slack_channel, thread_id, self.proxy, self.api_url)

    def blueprint(self, on_new_message: OnNewMessage):  # type: ignore[no-untyped-def]
        return super().blueprint(masking(on_new_message))
