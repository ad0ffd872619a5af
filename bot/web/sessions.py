"""The web chat's conversations in this process: each one's latest replies (for a stream that resumes), one turn
at a time, and the rate limits. Everything is keyed by a keyed hash of the browser's session id; the id itself,
the person's text and the client's address are never kept.

A reply event carries an id that only grows, also across a restart of the server (ids start from the clock's
milliseconds; on PostgreSQL they are the database clock's microseconds, the same for every process), so a
browser that reconnects with the last id it saw is sent exactly what came after it.
Replies are kept in memory only, for as long as the conversation is remembered (its idle time), and at most
`keep` of them per conversation.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict, deque
from dataclasses import dataclass, field
from typing import Any

Event = tuple[int, dict[str, Any]]


@dataclass
class _Conversation:
    """One conversation's latest replies, its turn lock and its message allowance."""

    next_id: int
    keep: int
    events: deque[Event] = field(default_factory=deque)
    arrived: asyncio.Event = field(default_factory=asyncio.Event)
    turn: asyncio.Lock = field(default_factory=asyncio.Lock)
    used: float = 0.0
    gone: bool = False
    cut: int = 0  # raised to end the open streams (they resume from their last event)

    def add(self, data: dict[str, Any], number: int | None = None) -> int:
        if number is None:
            number = self.next_id + 1
        elif number <= self.next_id:  # already kept (an event this process has seen)
            return number
        self.next_id = number
        self.events.append((number, data))
        while len(self.events) > self.keep:
            self.events.popleft()
        self.arrived.set()
        self.arrived = asyncio.Event()
        return self.next_id


class Window:
    """How many things happened per key within the last `seconds`: a sliding window in memory."""

    def __init__(self, limit: int, seconds: float = 60.0, max_keys: int = 100_000) -> None:
        self._limit, self._seconds, self._max_keys = limit, seconds, max_keys
        self._seen: OrderedDict[str, deque[float]] = OrderedDict()

    def allow(self, key: str, now: float | None = None) -> bool:
        """Count one more for the key; False when it is over the limit (and then it is not counted)."""
        now = time.monotonic() if now is None else now
        times = self._seen.pop(key, None) or deque()
        while times and times[0] <= now - self._seconds:
            times.popleft()
        allowed = len(times) < self._limit
        if allowed:
            times.append(now)
        self._seen[key] = times
        while len(self._seen) > self._max_keys:
            self._seen.popitem(last=False)
        return allowed


class WebConversations:
    """The web chat's conversations held by this process.

    Args:
        keep: replies kept per conversation for a stream that resumes.
        idle_seconds: a conversation not used for this long is dropped (the engine's idle time).
        messages_per_minute: a conversation's message allowance.
        max_conversations: the most held at once; the least recently used is dropped first.
    """

    def __init__(self, keep: int, idle_seconds: float, messages_per_minute: int,
                 max_conversations: int = 50_000) -> None:
        self._keep = keep
        self._idle = idle_seconds
        self._max = max_conversations
        self._messages = Window(messages_per_minute)
        self._held: OrderedDict[str, _Conversation] = OrderedDict()

    def __len__(self) -> int:
        return len(self._held)

    def _get(self, key: str) -> _Conversation:
        now = time.monotonic()
        held = self._held.pop(key, None)
        if held is None or now - held.used > self._idle:
            held = _Conversation(next_id=int(time.time() * 1000), keep=self._keep)
        held.used = now
        self._held[key] = held
        while len(self._held) > self._max:
            self._held.popitem(last=False)
        return held

    def allow_message(self, key: str) -> bool:
        """Count a message of the conversation; False when it is over its allowance."""
        return self._messages.allow(key)

    def turn(self, key: str) -> asyncio.Lock:
        """The lock that keeps a conversation's messages in order, one turn at a time."""
        return self._get(key).turn

    def add(self, key: str, data: dict[str, Any], number: int | None = None) -> int:
        """Keep a reply event and wake the conversation's streams; return its id (`number` when the event
        came numbered from the database, else the next of the conversation)."""
        return self._get(key).add(data, number)

    async def wait(self, key: str, last: int, timeout: float) -> list[Event] | None:
        """The events after `last`, waiting up to `timeout` seconds for one when there are none yet; None when
        the conversation was forgotten or its streams were ended meanwhile (the stream then ends)."""
        held = self._get(key)
        found = [event for event in held.events if event[0] > last]
        if found:
            return found
        cut = held.cut
        try:
            await asyncio.wait_for(held.arrived.wait(), timeout)
        except TimeoutError:
            return []
        if held.gone or held.cut != cut:
            return None
        return [event for event in held.events if event[0] > last]

    def drop(self, key: str) -> None:
        """Forget a conversation at once ("glem mig")."""
        held = self._held.pop(key, None)
        if held is not None:
            held.events.clear()
            held.gone = True
            held.arrived.set()

    def close_all(self) -> None:
        """End every open event stream (the server is stopping); the kept events stay, for a stream that
        resumes."""
        for held in self._held.values():
            held.cut += 1
            held.arrived.set()
            held.arrived = asyncio.Event()
