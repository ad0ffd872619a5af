"""Counsellors on and off duty: a registered caseworker marked as a counsellor says /vagt and /fri."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reminders import CaseworkerRecord


class NotCounsellor(Exception):
    """The caseworker is not marked as a counsellor (`stifinder caseworkers invite --id ID --counsellor`)."""


async def make_counsellor(session: AsyncSession, caseworker_id: int) -> CaseworkerRecord:
    """Mark a caseworker as a counsellor (who may then go on duty with /vagt).

    Raises:
        NotCounsellor: no caseworker has the id.
    """
    record = await session.get(CaseworkerRecord, caseworker_id)
    if record is None:
        raise NotCounsellor(caseworker_id)
    record.counsellor = True
    return record


async def set_duty(session: AsyncSession, caseworker_id: int, on: bool, now: datetime) -> CaseworkerRecord:
    """Put a counsellor on duty (from now) or off it; on duty again keeps the first moment.

    Raises:
        NotCounsellor: the caseworker is not a counsellor, or not in the registry.
    """
    record = await session.get(CaseworkerRecord, caseworker_id)
    if record is None or not record.counsellor:
        raise NotCounsellor(caseworker_id)
    if not on:
        record.on_duty_since = None
    elif record.on_duty_since is None:
        record.on_duty_since = now
    return record


async def counsellors_on_duty(session: AsyncSession) -> list[CaseworkerRecord]:
    """The counsellors on duty, longest on duty first."""
    found = await session.scalars(
        select(CaseworkerRecord)
        .where(CaseworkerRecord.counsellor.is_(True), CaseworkerRecord.on_duty_since.is_not(None))
        .order_by(CaseworkerRecord.on_duty_since, CaseworkerRecord.id))
    return list(found)
