"""The queue of citizens' chats waiting for a counsellor, and the claim that hands one to exactly one counsellor.

A chat joins once (joining again while it waits or talks returns the same place); its place is counted among
those waiting, oldest first. "Tag samtalen" is one conditional UPDATE: of two counsellors pressing at the same
moment, on one process or two, the database lets exactly one change the row from waiting to talking.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, and_, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from handover.models import ENDED, TALKING, WAITING, HandoverRecord


class QueueFull(Exception):
    """As many chats are waiting as the queue holds."""


class AlreadyTalking(Exception):
    """The counsellor has a conversation already: one at a time."""


@dataclass(frozen=True, slots=True)
class Place:
    """A chat's place: its pseudonym number and, while it waits, its position (1 is next)."""

    handover_id: int
    state: str
    position: int | None


async def join(session: AsyncSession, conv: str, channel: str, lang: str, topic: str | None, now: datetime,
               max_queue: int, crisis: str | None = None) -> Place:
    """Put a chat in the queue, or return its place when it waits or talks already.

    Args:
        topic: what the assistant understood the chat to be about (a catalogue entry's id), for the counsellor.
        crisis: the crisis signs the safety screen saw in the chat (a category, or "concern"), for the counsellor.

    Raises:
        QueueFull: `max_queue` chats are waiting.
    """
    current = await open_handover(session, conv)
    if current is not None:
        return await place(session, current)
    if await waiting_count(session) >= max_queue:
        raise QueueFull(max_queue)
    record = HandoverRecord(conv=conv, channel=channel, lang=lang, topic=topic, crisis=crisis, state=WAITING,
                            queued_at=now)
    session.add(record)
    await session.flush()
    return await place(session, record)


async def open_handover(session: AsyncSession, conv: str) -> HandoverRecord | None:
    """The chat's handover while it waits or talks, else None."""
    return await session.scalar(
        select(HandoverRecord).where(HandoverRecord.conv == conv, HandoverRecord.state != ENDED))


async def place(session: AsyncSession, record: HandoverRecord) -> Place:
    """The handover's place now."""
    if record.state != WAITING:
        return Place(record.id, record.state, None)
    ahead = await session.scalar(select(func.count()).select_from(HandoverRecord).where(
        HandoverRecord.state == WAITING,
        (HandoverRecord.queued_at < record.queued_at)
        | and_(HandoverRecord.queued_at == record.queued_at, HandoverRecord.id < record.id)))
    return Place(record.id, WAITING, int(ahead or 0) + 1)


async def waiting_count(session: AsyncSession) -> int:
    """How many chats wait."""
    return int(await session.scalar(
        select(func.count()).select_from(HandoverRecord).where(HandoverRecord.state == WAITING)) or 0)


async def leave(session: AsyncSession, conv: str, now: datetime) -> HandoverRecord | None:
    """End the chat's handover (it leaves the queue, or the talk ends); None when it had none. What it was
    about is not kept once it has ended."""
    record = await open_handover(session, conv)
    if record is not None:
        record.state, record.ended_at, record.topic, record.crisis = ENDED, now, None, None
    return record


async def claim(session: AsyncSession, handover_id: int, counsellor_id: int, now: datetime) -> bool:
    """Hand a waiting chat to the counsellor; False when another counsellor took it first (or it left).

    Raises:
        AlreadyTalking: the counsellor has a conversation already.
    """
    busy = await session.scalar(select(func.count()).select_from(HandoverRecord).where(
        HandoverRecord.claimed_by == counsellor_id, HandoverRecord.state == TALKING))
    if busy:
        raise AlreadyTalking(counsellor_id)
    taken = await session.execute(
        update(HandoverRecord).where(HandoverRecord.id == handover_id, HandoverRecord.state == WAITING)
        .values(state=TALKING, claimed_by=counsellor_id, claimed_at=now, counsellor_seen_at=now)
        .execution_options(synchronize_session=False))
    return bool(getattr(taken, "rowcount", 0) == 1)


async def talking_with(session: AsyncSession, counsellor_id: int) -> HandoverRecord | None:
    """The conversation the counsellor has now, if any."""
    return await session.scalar(select(HandoverRecord).where(
        HandoverRecord.claimed_by == counsellor_id, HandoverRecord.state == TALKING))


async def end_where_forgotten(session: AsyncSession, remembered: Select[tuple[str]], now: datetime) -> int:
    """End the open handovers whose conversation is no longer remembered (it expired, or was forgotten):
    nobody is left to answer. `remembered` selects the keys of the conversations that still are."""
    ended = await session.execute(
        update(HandoverRecord).where(HandoverRecord.state != ENDED, HandoverRecord.conv.not_in(remembered))
        .values(state=ENDED, ended_at=now, topic=None, crisis=None).execution_options(synchronize_session=False))
    return int(getattr(ended, "rowcount", 0) or 0)


async def mark_away(session: AsyncSession, conv: str, now: datetime) -> bool:
    """The citizen's chat was closed (the web chat's tab): True when it has an open handover, which ends unless
    they are back (`mark_back`) before it is ended."""
    marked = await session.execute(
        update(HandoverRecord).where(HandoverRecord.conv == conv, HandoverRecord.state != ENDED)
        .values(citizen_away_since=now).execution_options(synchronize_session=False))
    return bool(getattr(marked, "rowcount", 0))


async def still_away(session: AsyncSession, conv: str, since: datetime) -> bool:
    """The citizen's chat has an open handover and has been away since `since` or earlier, without coming back."""
    found = await session.scalar(select(func.count()).select_from(HandoverRecord).where(
        HandoverRecord.conv == conv, HandoverRecord.state != ENDED, HandoverRecord.citizen_away_since.is_not(None),
        HandoverRecord.citizen_away_since <= since))
    return bool(found)


async def mark_back(session: AsyncSession, conv: str) -> None:
    """The citizen's chat is open again (the page was reloaded, or they came back to it)."""
    await session.execute(
        update(HandoverRecord).where(HandoverRecord.conv == conv, HandoverRecord.state != ENDED,
                                     HandoverRecord.citizen_away_since.is_not(None))
        .values(citizen_away_since=None).execution_options(synchronize_session=False))


async def hand_back(session: AsyncSession, record: HandoverRecord) -> Place:
    """Put a chat a counsellor had back in the queue, first in line (it keeps the moment it joined)."""
    record.state, record.claimed_by, record.claimed_at, record.counsellor_seen_at = WAITING, None, None, None
    await session.flush()
    return await place(session, record)


async def waiting_behind(session: AsyncSession, record: HandoverRecord) -> list[Place]:
    """The places of the chats waiting behind one (they move up when it is taken or leaves), first first."""
    behind = await session.scalars(select(HandoverRecord).where(
        HandoverRecord.state == WAITING,
        (HandoverRecord.queued_at > record.queued_at)
        | and_(HandoverRecord.queued_at == record.queued_at, HandoverRecord.id > record.id))
        .order_by(HandoverRecord.queued_at, HandoverRecord.id))
    return [await place(session, waiting) for waiting in behind]
