"""Loads, saves and forgets conversation state. Only the engine calls these, inside its unit of work."""

from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.models import ConversationRecord
from dialogs.turn import State


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


async def load(session: AsyncSession, key: str, now: datetime) -> State:
    """Return the conversation's state, or a fresh one when there is none or it has expired."""
    record = await session.get(ConversationRecord, key)
    if record is None or _utc(record.expires_at) <= _utc(now):
        return State()
    return State(lang=record.lang, lang_chosen=record.lang_chosen, flow=record.flow, step=record.step,
                 slots=dict(record.slots or {}))


async def save(session: AsyncSession, key: str, state: State, expires_at: datetime) -> None:
    """Store the state until `expires_at`."""
    record = await session.get(ConversationRecord, key)
    if record is None:
        record = ConversationRecord(key=key)
        session.add(record)
    record.lang = state.lang
    record.lang_chosen = state.lang_chosen
    record.flow = state.flow
    record.step = state.step
    record.slots = dict(state.slots)
    record.expires_at = _utc(expires_at)


async def forget(session: AsyncSession, key: str) -> None:
    """Delete everything held about the conversation."""
    await session.execute(delete(ConversationRecord).where(ConversationRecord.key == key))


async def purge_expired(session: AsyncSession, now: datetime) -> int:
    """Delete every expired conversation; return how many."""
    expired = (await session.execute(
        select(ConversationRecord.key).where(ConversationRecord.expires_at <= _utc(now)))).scalars().all()
    if expired:
        await session.execute(delete(ConversationRecord).where(ConversationRecord.key.in_(expired)))
    return len(expired)
