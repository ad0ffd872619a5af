"""Closing a case: it keeps its history, and its deadlines stop reminding.

A closed case (cases.closed_at set) keeps its events and deadline rows for the record, but the
planner gives its deadlines no pings (reminders.planner skips closed cases) and the caseworker
commands neither list it nor record events in it. Never imports bot or dialogs.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from reminders.models import CaseRecord
from reminders.planner import plan_case


async def close_case(session: AsyncSession, case: CaseRecord, now: datetime) -> bool:
    """Close the case and drop its unsent reminders; return False when it was closed already."""
    if case.closed_at is not None:
        return False
    case.closed_at = now
    await session.flush()
    await plan_case(session, case.id, now)
    return True
