"""One send rate for every worker of a bot: Telegram allows about 30 messages a second per bot token in all.

Each worker used to pace itself, so two workers together sent twice the configured rate. Now every send
reserves its moment in one row of `send_budget` (one UPDATE: the next free moment, moved on by 1/rate),
so the workers of one bot, on one database, stay within the rate together; then the worker sleeps until
its moment. Wall-clock seconds, not the dispatcher's clock: this is about real throughput.
Never imports bot or dialogs.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

from sqlalchemy import case, insert, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reminders.models import SendBudgetRecord

BOT = "telegram"


async def reserve(session: AsyncSession, name: str, now: float, gap: float) -> float:
    """Reserve the next free moment of the budget (at `now` or later) and return it."""
    column = SendBudgetRecord.next_at
    statement = (update(SendBudgetRecord).where(SendBudgetRecord.name == name)
                 .values(next_at=case((column > now, column), else_=now) + gap).returning(column))
    moved = (await session.execute(statement)).scalar_one_or_none()
    if moved is None:  # a database made without the migration's row: add it (another worker may too)
        try:
            async with session.begin_nested():
                await session.execute(insert(SendBudgetRecord).values(name=name, next_at=now + gap))
            return now
        except IntegrityError:
            moved = (await session.execute(statement)).scalar_one()
    return float(moved) - gap


class SharedPacer:
    """Spaces sends to at most `rate` a second across every worker sharing the database (None or 0: no spacing)."""

    def __init__(self, sessions: async_sessionmaker[AsyncSession], rate: float | None, name: str = BOT,
                 wall: Callable[[], float] = time.time) -> None:
        self._sessions = sessions
        self._gap = 1.0 / rate if rate else 0.0
        self._name = name
        self._wall = wall

    async def wait(self) -> None:
        """Wait for this send's moment."""
        if not self._gap:
            return
        async with self._sessions.begin() as session:
            moment = await reserve(session, self._name, self._wall(), self._gap)
        delay = moment - self._wall()
        if delay > 0:
            await asyncio.sleep(delay)
