"""Replies between the processes that serve the web chat from one PostgreSQL database.

A browser's event stream is held by one process while its messages may reach another. The process that answers
a message sends each reply event with NOTIFY inside the turn's own transaction (after the conversation's lock,
before the commit), so events arrive in the order of the turns; every process LISTENs and keeps the events of
every conversation, so a stream that resumes on any process finds them. An event's id is the database clock's
microsecond when it was sent: the same clock for every process, and growing from turn to turn because the
turns of a conversation never overlap. Nothing is stored: NOTIFY passes through the server's memory. A payload
over PostgreSQL's 8,000 bytes is sent in parts and joined again.

The same connection carries the relays' notes between the processes (`bot.relays.Bus`): a counsellor's words
for a Telegram citizen whose chat another process knows, and "this process keeps that chat now".
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
from collections.abc import Callable, Coroutine
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncSession

from bot.web.sessions import WebConversations

log = logging.getLogger(__name__)

CHANNEL = "stifinder_web"
NOTES = "stifinder_relays"
PART = 7000  # characters of an event's JSON per notification (PostgreSQL allows 8,000 bytes; ASCII-escaped)
_NOW = text("SELECT (extract(epoch FROM clock_timestamp()) * 1000000)::bigint")
_NOTIFY = text("SELECT pg_notify(:channel, :payload)")


class PostgresRelay:
    """Sends this process's reply events through PostgreSQL and keeps everyone's.

    Args:
        url: the database's SQLAlchemy URL (postgresql+asyncpg://...).
        conversations: where the events are kept for the event streams.
        notes: called with each relays' note from any process (this one's too).
    """

    def __init__(self, url: str, conversations: WebConversations,
                 notes: Callable[[dict[str, Any]], Coroutine[Any, Any, None]] | None = None) -> None:
        self._dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
        self._conversations = conversations
        self._notes = notes
        self._parts: dict[tuple[str, str, int], list[str]] = {}
        self._connection: Any = None
        self._sending = asyncio.Lock()  # one query at a time on the connection
        self._tasks: set[asyncio.Task[None]] = set()
        self._sent = 0
        self._me = secrets.token_hex(8)  # names this process's notes, whose parts are joined by that name

    async def start(self) -> None:
        import asyncpg  # type: ignore[import-untyped]

        self._connection = await asyncpg.connect(self._dsn)
        await self._connection.add_listener(CHANNEL, self._received)
        await self._connection.add_listener(NOTES, self._received)
        log.info("web chat relay listening")

    async def send(self, note: dict[str, Any]) -> None:
        """Send a relays' note to every process (`bot.relays.Bus`), in parts when it is long."""
        if self._connection is None:
            raise RuntimeError("the relay is not started")
        self._sent += 1
        body = json.dumps(note)  # ASCII: a character is a byte
        chunks = [body[start:start + PART] for start in range(0, len(body), PART)] or [""]
        async with self._sending:
            for index, chunk in enumerate(chunks):
                payload = json.dumps({"k": self._me, "id": self._sent, "part": index,
                                      "parts": len(chunks), "e": chunk})
                await self._connection.execute("SELECT pg_notify($1, $2)", NOTES, payload)

    async def stop(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            await connection.close()

    async def publish(self, session: AsyncSession, key: str, events: list[dict[str, Any]]) -> None:
        """Send a turn's events with NOTIFY in its transaction (delivered when it commits)."""
        previous = 0
        for data in events:
            number = max(int((await session.execute(_NOW)).scalar_one()), previous + 1)
            previous = number
            body = json.dumps(data)  # ASCII: a character is a byte
            chunks = [body[start:start + PART] for start in range(0, len(body), PART)] or [""]
            for index, chunk in enumerate(chunks):
                payload = json.dumps({"k": key, "id": number, "part": index, "parts": len(chunks), "e": chunk})
                await session.execute(_NOTIFY, {"channel": CHANNEL, "payload": payload})

    def _received(self, connection: Any, pid: int, channel: str, payload: str) -> None:
        try:
            note = json.loads(payload)
            key, number, part, parts, chunk = note["k"], int(note["id"]), int(note["part"]), int(note["parts"]), \
                str(note["e"])
        except (ValueError, KeyError, TypeError):
            log.warning("web chat relay: a notification that is not an event")
            return
        pending = self._parts.setdefault((channel, key, number), [])
        if part != len(pending):
            log.warning("web chat relay: an event's part came out of order")
            self._parts.pop((channel, key, number), None)
            return
        pending.append(chunk)
        if len(pending) < parts:
            return
        del self._parts[(channel, key, number)]
        data = json.loads("".join(pending))
        if channel == CHANNEL:
            self._conversations.add(key, data, number)
        elif self._notes is not None:
            task = asyncio.get_running_loop().create_task(self._notes(data))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
