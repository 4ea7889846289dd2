"""A Rasa-like HTTP server without a model: the channels of credentials.yml and an echo agent.

`python -m tests.web.static_app PORT` serves exactly the channels Rasa would (REST, socket.io,
the web chat files) in about a second, so the static channel and the socket.io session
handshake can be tested without training a model.
"""

from __future__ import annotations

import sys
from pathlib import Path

from rasa.core import run
from rasa.core.channels import channel as rasa_channel
from rasa.core.channels.channel import UserMessage
from sanic import Sanic

ROOT = Path(__file__).resolve().parents[2]


class EchoAgent:
    """Answers every message with its (masked) text, in two parts and with a button."""

    async def handle_message(self, message: UserMessage) -> None:
        out = message.output_channel
        if out is None:
            return
        await out.send_text_with_buttons(
            message.sender_id,
            f"echo: {message.text}\n\nBron: [voorbeeld](https://example.org/)",
            [{"title": "Nog een keer", "payload": "/groet"}],
        )


def create_app() -> Sanic:
    app = Sanic("bw_static_test")
    app.ctx.agent = EchoAgent()
    channels = run.create_http_input_channels(None, str(ROOT / "credentials.yml"))
    rasa_channel.register(channels, app, route="/webhooks/")
    return app


if __name__ == "__main__":
    create_app().run(host="127.0.0.1", port=int(sys.argv[1]), access_log=False, workers=1)
