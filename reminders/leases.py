"""Claiming rows of a delivery table (reminders, reminder_digests) with a lease, and settling them.

A claim is one short transaction. On PostgreSQL: `SELECT id … ORDER BY due_at LIMIT n FOR UPDATE
SKIP LOCKED`, then `UPDATE … SET claimed_by, claimed_until WHERE id IN (those) AND the lease is
free`, so concurrent workers pick disjoint rows without waiting. On SQLite, which has one writer at
a time, one `UPDATE … WHERE id IN (SELECT … LIMIT n) AND the lease is free RETURNING id`. Either
way the UPDATE re-checks that the lease is free, so a row is never claimed twice.
A lease that runs out (the worker died) frees the row for another worker. Settling a row (sent,
retry later, gave up) only succeeds for the claim token that holds it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, or_, select, update
from sqlalchemy.engine import CursorResult
from sqlalchemy.ext.asyncio import AsyncSession

from reminders.models import DigestRecord, ReminderRecord, TeamDigestRecord

Delivery = type[ReminderRecord] | type[DigestRecord] | type[TeamDigestRecord]


def claimable(model: Delivery, now: datetime) -> ColumnElement[bool]:
    """Return the condition of a row that is due, unsent, not given up and whose lease is free."""
    return and_(model.sent_at.is_(None), model.gave_up_at.is_(None), model.due_at <= now,
                or_(model.claimed_until.is_(None), model.claimed_until < now))


async def claim(session: AsyncSession, model: Delivery, token: str, now: datetime, until: datetime,
                limit: int) -> list[int]:
    """Claim up to `limit` due rows, oldest first, for `token` until `until`; return their ids."""
    pick = select(model.id).where(claimable(model, now)).order_by(model.due_at, model.id).limit(limit)
    if session.get_bind().dialect.name == "postgresql":
        # Two statements in one transaction: PostgreSQL may run an IN (SELECT … LIMIT … FOR UPDATE)
        # subquery more than once and so claim more than `limit` rows; the locks make this exact.
        ids = list((await session.execute(pick.with_for_update(skip_locked=True))).scalars())
        if not ids:
            return []
        chosen: ColumnElement[bool] = model.id.in_(ids)
    else:  # one statement: SQLite takes the write lock at once, so no other writer slips in between
        chosen = model.id.in_(pick.scalar_subquery())
    statement = (update(model).where(chosen, claimable(model, now))
                 .values(claimed_by=token, claimed_until=until).returning(model.id)
                 .execution_options(synchronize_session=False))
    return sorted((await session.execute(statement)).scalars().all())


async def _settle(session: AsyncSession, model: Delivery, row_id: int, token: str, **values: object) -> bool:
    result = await session.execute(update(model).where(model.id == row_id, model.claimed_by == token,
                                                       model.sent_at.is_(None))
                                   .values(**values).execution_options(synchronize_session=False))
    return isinstance(result, CursorResult) and result.rowcount == 1


async def renew(session: AsyncSession, model: Delivery, row_id: int, token: str, until: datetime) -> bool:
    """Hold the claim on an unsent row until `until`; False when it is no longer this token's (the lease ran
    out and another worker claimed it, or it was settled). A claim that ran out but that nobody took is
    still this token's: another worker's claim would have written its own token."""
    return await _settle(session, model, row_id, token, claimed_until=until)


async def mark_sent(session: AsyncSession, model: Delivery, row_id: int, token: str, now: datetime,
                    message_id: int | None = None) -> bool:
    """Record that the row was delivered; False when the claim was lost (the lease ran out and another took it)."""
    values: dict[str, object] = {"sent_at": now, "claimed_until": None}
    if model is ReminderRecord:
        values["message_id"] = message_id
    return await _settle(session, model, row_id, token, **values)


async def retry_later(session: AsyncSession, model: Delivery, row_id: int, token: str, until: datetime,
                      count_attempt: bool = True) -> bool:
    """Keep the row unsent and out of reach until `until`; count a failed attempt unless told not to."""
    values: dict[str, object] = {"claimed_until": until}
    if count_attempt:
        values["attempts"] = model.attempts + 1
    return await _settle(session, model, row_id, token, **values)


async def give_up(session: AsyncSession, model: Delivery, row_id: int, token: str, now: datetime) -> bool:
    """Stop trying the row for good (the recipient blocked the bot, or too many attempts)."""
    return await _settle(session, model, row_id, token, gave_up_at=now, attempts=model.attempts + 1)


async def reschedule(session: AsyncSession, row_id: int, token: str, at: datetime) -> bool:
    """Move an unsent reminder to another instant and free it (the plan says it is not due yet)."""
    return await _settle(session, ReminderRecord, row_id, token, due_at=at, claimed_by=None, claimed_until=None)


async def drop(session: AsyncSession, row_id: int, token: str) -> bool:
    """Delete an unsent reminder the plan no longer has (its deadline closed, or its slot left the plan)."""
    result = await session.execute(delete(ReminderRecord).where(ReminderRecord.id == row_id,
                                                                ReminderRecord.claimed_by == token,
                                                                ReminderRecord.sent_at.is_(None))
                                   .execution_options(synchronize_session=False))
    return isinstance(result, CursorResult) and result.rowcount == 1
