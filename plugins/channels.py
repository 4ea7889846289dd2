"""Input channels that mask BSNs and IBANs before anything is stored or logged.

Every Rasa input channel hands a `UserMessage` to `on_new_message`; wrapping that
callback masks the text before the processor, the tracker store or a log sees it.
The channel names stay the same (`rest`, `socketio`), so the URLs do too.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from rasa.core.channels.channel import UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketIOInput

from bot import privacy

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


def masking(on_new_message: OnNewMessage) -> OnNewMessage:
    async def handler(message: UserMessage) -> Any:
        result = privacy.mask(message.text)
        if result.iets_gemaskeerd:
            message.text = result.tekst
            message.metadata = {**(message.metadata or {}), "bw_gemaskeerd": result.soorten}
            if message.output_channel is not None:
                await message.output_channel.send_text_message(message.sender_id, privacy.waarschuwing(result.soorten))
        return await on_new_message(message)

    return handler


class MaskedRestInput(RestInput):
    @classmethod
    def name(cls) -> str:
        return "rest"

    def blueprint(self, on_new_message: OnNewMessage):  # type: ignore[no-untyped-def]
        return super().blueprint(masking(on_new_message))


class MaskedSocketIOInput(SocketIOInput):
    @classmethod
    def name(cls) -> str:
        return "socketio"

    def blueprint(self, on_new_message: OnNewMessage):  # type: ignore[no-untyped-def]
        return super().blueprint(masking(on_new_message))
