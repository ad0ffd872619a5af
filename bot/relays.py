"""Where the engine's relayed messages go in this process: a citizen's web chat, a counsellor's Telegram chat.

The engine answers the one who wrote; in a handover it also has words for someone else (`Response.relayed`).
Each channel that can reach people registers how, and every channel hands its responses here after the turn.
Nothing is stored on the way: a message for someone no channel of this process reaches is dropped and logged
(without its text).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from dialogs import Relayed, Response

log = logging.getLogger(__name__)

Deliver = Callable[[Relayed], Awaitable[None]]


class Relays:
    """The ways this process reaches a citizen's conversation and a counsellor."""

    def __init__(self) -> None:
        self.to_conversation: dict[str, Deliver] = {}  # by channel: "web", "telegram"
        self.to_caseworker: Deliver | None = None  # Telegram

    @property
    def channels(self) -> frozenset[str]:
        """The channels whose citizens may wait for a counsellor: both sides of their handover are reachable."""
        return frozenset(self.to_conversation) if self.to_caseworker is not None else frozenset()

    async def deliver(self, response: Response) -> None:
        """Send each relayed message on; a failure is logged and does not stop the others."""
        for item in response.relayed:
            deliver = self.to_conversation.get(item.channel or "") if item.conv is not None else self.to_caseworker
            if deliver is None:
                log.warning("relay dropped: no channel here for a %s", "conversation" if item.conv else "caseworker")
                continue
            try:
                await deliver(item)
            except Exception as exc:  # one unreachable person must not stop the rest
                log.warning("relay failed error=%s", type(exc).__name__)
