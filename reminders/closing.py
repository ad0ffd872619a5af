"""Closing and reopening a case: it keeps its history, and its deadlines stop reminding while closed.

A closed case (cases.closed_at set) keeps its events and deadline rows for the record, but the
planner gives its deadlines no pings (reminders.planner skips closed cases) and the caseworker
commands neither list it nor record events in it. Never imports bot or dialogs.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from reminders.models import CaseRecord
from reminders.planner import ReminderPolicy, plan_case
from reminders.rules import Rule
from reminders.store import refresh_deadlines


async def close_case(session: AsyncSession, case: CaseRecord, now: datetime,
                     policy: ReminderPolicy | None = None) -> bool:
    """Close the case and drop its unsent reminders; return False when it was closed already."""
    if case.closed_at is not None:
        return False
    case.closed_at = now
    await session.flush()
    await plan_case(session, case.id, now, policy)
    return True


async def reopen_case(session: AsyncSession, case: CaseRecord, rules: Sequence[Rule], today: date,
                      now: datetime, policy: ReminderPolicy | None = None) -> bool:
    """Reopen a closed case with its history: its events stand, its deadlines are recomputed and the open
    ones remind again (an overdue one once, as a catch-up, not a burst). Return False when it was open."""
    if case.closed_at is None:
        return False
    case.closed_at = None
    await session.flush()
    await refresh_deadlines(session, case, rules, today, now, policy)
    return True
