"""The handover queue on SQLite and PostgreSQL: places, leaving, a full queue, counsellors on duty, and
"Tag samtalen" pressed by two counsellors at the same moment: exactly one gets the chat."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage import open_database
from fakes.databases import database_url, sessions  # noqa: F401 (fixtures)
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from handover import (TALKING, WAITING, AlreadyTalking, NotCounsellor, QueueFull, claim, counsellors_on_duty, join,
                      leave, open_handover, set_duty, talking_with, waiting_count)
from reminders import CaseworkerRecord

T0 = datetime(2026, 12, 7, 9, 30, tzinfo=timezone.utc)


async def counsellor(session: AsyncSession, name: str, counsellor: bool = True) -> int:
    record = CaseworkerRecord(name=name, team=None, created_at=T0, counsellor=counsellor)
    session.add(record)
    await session.flush()
    return record.id


async def test_places_count_the_waiting_oldest_first(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        first = await join(session, "conv-a", "web", "da", "faq/treatment_cost", T0, max_queue=5)
        second = await join(session, "conv-b", "telegram", "en", None, T0 + timedelta(seconds=1), max_queue=5)
        assert (first.position, second.position) == (1, 2)
        again = await join(session, "conv-b", "telegram", "en", None, T0 + timedelta(seconds=5), max_queue=5)
        assert again == second  # joining again keeps the place
    async with sessions.begin() as session:
        await leave(session, "conv-a", T0 + timedelta(minutes=1))
        assert (await join(session, "conv-b", "web", "da", None, T0, max_queue=5)).position == 1
        assert await waiting_count(session) == 1
        assert await leave(session, "conv-unknown", T0) is None


async def test_a_full_queue_takes_no_one_more(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        for n in range(2):
            await join(session, f"conv-{n}", "web", "da", None, T0, max_queue=2)
        with pytest.raises(QueueFull):
            await join(session, "conv-3", "web", "da", None, T0, max_queue=2)


async def test_duty_is_for_counsellors_only(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        anna = await counsellor(session, "Anna")
        bo = await counsellor(session, "Bo", counsellor=False)
        await set_duty(session, anna, True, T0)
        await set_duty(session, anna, True, T0 + timedelta(hours=1))  # still on duty since the first time
        with pytest.raises(NotCounsellor):
            await set_duty(session, bo, True, T0)
        with pytest.raises(NotCounsellor):
            await set_duty(session, 9999, True, T0)
        on_duty = await counsellors_on_duty(session)
        assert [(c.id, c.on_duty_since) for c in on_duty] == [(anna, T0)]
        await set_duty(session, anna, False, T0 + timedelta(hours=2))
        assert await counsellors_on_duty(session) == []


async def test_a_claim_hands_the_chat_to_one_counsellor_with_one_chat_at_a_time(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        anna, bo = await counsellor(session, "Anna"), await counsellor(session, "Bo")
        place = await join(session, "conv-a", "web", "da", None, T0, max_queue=5)
        other = await join(session, "conv-b", "web", "da", None, T0, max_queue=5)
        assert await claim(session, place.handover_id, anna, T0)
        assert not await claim(session, place.handover_id, bo, T0)  # taken: no longer waiting
        with pytest.raises(AlreadyTalking):
            await claim(session, other.handover_id, anna, T0)
        talking = await talking_with(session, anna)
        assert talking is not None and talking.conv == "conv-a" and talking.state == TALKING
        assert (await open_handover(session, "conv-b")).state == WAITING  # type: ignore[union-attr]


async def test_two_counsellors_pressing_at_once_on_two_processes_get_it_exactly_once(postgres_url: str) -> None:
    url = postgres_url.replace("postgresql://", "postgresql+asyncpg://", 1)
    engines = [await open_database(url) for _ in range(2)]
    try:
        async with engines[0][1].begin() as session:
            ids = [await counsellor(session, name) for name in ("Anna", "Bo")]
            handover_id = (await join(session, "conv-a", "web", "da", None, T0, max_queue=5)).handover_id
        barrier = asyncio.Barrier(2)

        async def press(factory: async_sessionmaker[AsyncSession], who: int) -> bool:
            async with factory.begin() as session:
                await barrier.wait()
                return await claim(session, handover_id, who, T0)

        results = await asyncio.gather(*(press(factory, who) for (_, factory), who in zip(engines, ids)))
        assert sorted(results) == [False, True]
        async with engines[1][1]() as session:
            record = await open_handover(session, "conv-a")
            assert record is not None and record.claimed_by == ids[results.index(True)]
    finally:
        for engine, _ in engines:
            await engine.dispose()
