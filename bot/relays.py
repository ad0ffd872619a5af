"""Where the engine's relayed messages go: a citizen's web chat or Telegram chat, a counsellor's Telegram chat.

The engine answers the one who wrote; in a handover it also has words for someone else (`Response.relayed`).
Each channel that can reach people registers how, and every channel hands its responses here after the turn.

With several processes (`stifinder serve --workers N` on PostgreSQL) a citizen's Telegram chat is known only
to the process that answered their last message. Words for a chat this process does not know go to the other
processes over a `Bus` (PostgreSQL NOTIFY), and the one that knows the chat sends them; when a process starts
to keep a chat it tells the others, who let go of it, so that exactly one process sends. Nothing is stored on
the way: a message nobody can deliver is dropped and logged (without its text).
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from dialogs import Button, Outgoing, Relayed, Response

log = logging.getLogger(__name__)

Deliver = Callable[[Relayed], Awaitable[None]]
# Reaches a citizen's conversation: False when this process does not know the chat (another process may).
Reach = Callable[[Relayed], Awaitable[bool]]


class Bus(Protocol):
    """Notes to every other process of the service (and back to this one, which ignores its own)."""

    async def send(self, note: dict[str, Any]) -> None: ...


class Relays:
    """The ways this process reaches a citizen's conversation and a counsellor, and the other processes."""

    def __init__(self) -> None:
        self.to_conversation: dict[str, Reach] = {}  # by channel: "web", "telegram"
        self.to_caseworker: Deliver | None = None  # Telegram
        self.let_go: dict[str, Callable[[str], None]] = {}  # by channel: forget a chat another process now keeps
        self.bus: Bus | None = None  # the other processes (PostgreSQL); None: this process is the only one
        self._me = secrets.token_hex(8)

    @property
    def channels(self) -> frozenset[str]:
        """The channels whose citizens may wait for a counsellor: both sides of their handover are reachable."""
        return frozenset(self.to_conversation) if self.to_caseworker is not None else frozenset()

    async def deliver(self, response: Response) -> None:
        """Send each relayed message on; a failure is logged and does not stop the others."""
        for item in response.relayed:
            try:
                if item.conv is None:
                    await self._to_caseworker(item)
                elif not await self._here(item) and self.bus is not None:
                    await self.bus.send({"from": self._me, "relayed": to_note(item)})
            except Exception as exc:  # one unreachable person must not stop the rest
                log.warning("relay failed error=%s", type(exc).__name__)

    async def keeps(self, channel: str, conv: str) -> None:
        """This process now keeps the chat (it answered the citizen's message): the others let go of it."""
        if self.bus is not None:
            try:
                await self.bus.send({"from": self._me, "keeps": [channel, conv]})
            except Exception as exc:  # the others keep theirs: at worst a message arrives twice
                log.warning("relay: could not tell the others error=%s", type(exc).__name__)

    async def received(self, note: dict[str, Any]) -> None:
        """A note from the bus: words for a chat this process may know, or a chat another process now keeps."""
        if note.get("from") == self._me:
            return
        try:
            if "keeps" in note:
                channel, conv = note["keeps"]
                let_go = self.let_go.get(str(channel))
                if let_go is not None:
                    let_go(str(conv))
            elif "relayed" in note:
                await self._here(from_note(note["relayed"]), quiet=True)
        except Exception as exc:  # a note that is not one, or a chat that cannot be reached
            log.warning("relay: a note not delivered error=%s", type(exc).__name__)

    async def _here(self, item: Relayed, quiet: bool = False) -> bool:
        reach = self.to_conversation.get(item.channel or "")
        if reach is not None and await reach(item):
            return True
        if not quiet and self.bus is None:
            log.warning("relay dropped: no channel here for a conversation")
        return False

    async def _to_caseworker(self, item: Relayed) -> None:
        if self.to_caseworker is None:
            log.warning("relay dropped: no channel here for a caseworker")
            return
        await self.to_caseworker(item)


def to_note(item: Relayed) -> dict[str, Any]:
    """A relayed message for a citizen's chat as JSON for the bus (its words pass through, never stored)."""
    return {"conv": item.conv, "channel": item.channel, "lang": item.lang,
            "messages": [{"key": m.key, "text": m.text, "buttons": [[b.label, b.payload] for b in m.buttons]}
                         for m in item.messages]}


def from_note(note: dict[str, Any]) -> Relayed:
    """The relayed message of a note from the bus."""
    messages = tuple(Outgoing(str(m["key"]), str(m["text"]), tuple(Button(str(label), str(payload))
                                                                   for label, payload in m["buttons"]))
                     for m in note["messages"])
    return Relayed(messages, str(note["lang"]), conv=str(note["conv"]), channel=str(note["channel"]))
