"""The daily digests: one message per caseworker on working days listing their open and overdue deadlines,
and, for a team chat that asked for it (/frister_team), one listing the overdue deadlines of the team's
cases, by case reference and rule only.

`plan_digests` adds a `reminder_digests` row (caseworker, local day) for every registered
caseworker who has an open, non-informational deadline, on a working day from the digest time on
(at start-up too, so a restart after the digest time still sends today's; earlier days are never
sent late). The rows are claimed and sent like reminders (reminders.dispatch); the content is read
at send time, and a digest with nothing left to list is marked sent without a message.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import exists, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession

from reminders.clock import local_date
from reminders.models import CaseRecord, CaseworkerRecord, DeadlineRecord, DigestRecord, TeamChatRecord, TeamDigestRecord
from reminders.planner import ReminderPolicy
from reminders.rules import Rule


@dataclass(frozen=True, slots=True)
class DigestItem:
    """One deadline in a digest."""

    case: str
    rule: Rule
    due: date
    today: date

    @property
    def days_left(self) -> int:
        """Days until the due day (negative when overdue)."""
        return (self.due - self.today).days


@dataclass(frozen=True, slots=True)
class Digest:
    """A caseworker's digest of a day: overdue deadlines first, then the open ones by due day."""

    digest_id: int
    caseworker_id: int | None
    chat_id: int
    language: str
    day: date
    items: tuple[DigestItem, ...]
    team: str | None = None  # a team chat's digest (overdue deadlines only), not a caseworker's

    @property
    def overdue(self) -> tuple[DigestItem, ...]:
        return tuple(item for item in self.items if item.days_left < 0)

    @property
    def open(self) -> tuple[DigestItem, ...]:
        return tuple(item for item in self.items if item.days_left >= 0)


def _has_open_deadline() -> object:
    return exists().where(CaseRecord.caseworker_id == CaseworkerRecord.id, CaseRecord.closed_at.is_(None),
                          DeadlineRecord.case_id == CaseRecord.id, DeadlineRecord.state == "open",
                          DeadlineRecord.informational.is_(False))


async def plan_digests(session: AsyncSession, now: datetime, at: time, policy: ReminderPolicy) -> int:
    """Add today's digest rows when today is a working day and `at` has come; return how many were added."""
    today = local_date(now, policy.tz)
    due_at = datetime.combine(today, at, tzinfo=policy.tz)
    if not policy.calendar.is_working_day(today) or now < due_at:
        return 0
    wanted = select(CaseworkerRecord.id).where(CaseworkerRecord.telegram_user_id.is_not(None),
                                                _has_open_deadline())  # type: ignore[arg-type]
    have = set(await session.scalars(select(DigestRecord.caseworker_id).where(DigestRecord.day == today)))
    new = [cid for cid in await session.scalars(wanted) if cid not in have]
    if not new:
        return 0
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = [{"caseworker_id": cid, "day": today, "due_at": due_at, "attempts": 0} for cid in new]
    # Another worker may plan the same day at the same moment: the unique (caseworker, day) decides.
    await session.execute(insert(DigestRecord).values(values).on_conflict_do_nothing(
        index_elements=["caseworker_id", "day"]))
    return len(new)


async def digest_items(session: AsyncSession, caseworker_id: int, today: date,
                       rules: Mapping[str, Rule]) -> list[DigestItem]:
    """Return a caseworker's open, non-informational deadlines as of a day: overdue first, then by due day."""
    rows = (await session.execute(
        select(CaseRecord.reference, DeadlineRecord.rule_id, DeadlineRecord.due_on)
        .join(CaseRecord, CaseRecord.id == DeadlineRecord.case_id)
        .where(CaseRecord.caseworker_id == caseworker_id, CaseRecord.closed_at.is_(None),
               DeadlineRecord.state == "open", DeadlineRecord.informational.is_(False))
        .order_by(DeadlineRecord.due_on, CaseRecord.reference, DeadlineRecord.id))).all()
    return [DigestItem(case=reference, rule=rules[rule_id], due=due_on, today=today)
            for reference, rule_id, due_on in rows if rule_id in rules]


def _team_overdue(team: object, today: date) -> object:
    """The open cases of the team's caseworkers with a non-informational deadline overdue on `today`."""
    return ((CaseRecord.caseworker_id == CaseworkerRecord.id) & (CaseworkerRecord.team == team)
            & CaseRecord.closed_at.is_(None) & (DeadlineRecord.case_id == CaseRecord.id)
            & (DeadlineRecord.state == "open") & DeadlineRecord.informational.is_(False)
            & (DeadlineRecord.due_on < today))


async def plan_team_digests(session: AsyncSession, now: datetime, at: time, policy: ReminderPolicy) -> int:
    """Add today's rows for the team chats that asked for a digest and whose team has an overdue deadline."""
    today = local_date(now, policy.tz)
    due_at = datetime.combine(today, at, tzinfo=policy.tz)
    if not policy.calendar.is_working_day(today) or now < due_at:
        return 0
    overdue = exists().where(_team_overdue(TeamChatRecord.team, today))  # type: ignore[arg-type]
    wanted = select(TeamChatRecord.id).where(TeamChatRecord.digest.is_(True),
                                             TeamChatRecord.telegram_chat_id.is_not(None), overdue)
    have = set(await session.scalars(select(TeamDigestRecord.team_chat_id).where(TeamDigestRecord.day == today)))
    new = [chat for chat in await session.scalars(wanted) if chat not in have]
    if not new:
        return 0
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    values = [{"team_chat_id": chat, "day": today, "due_at": due_at, "attempts": 0} for chat in new]
    await session.execute(insert(TeamDigestRecord).values(values).on_conflict_do_nothing(
        index_elements=["team_chat_id", "day"]))
    return len(new)


async def team_digest_items(session: AsyncSession, team: str, today: date,
                            rules: Mapping[str, Rule]) -> list[DigestItem]:
    """Return the overdue deadlines of the team's open cases as of a day, most overdue first: case reference
    and rule only."""
    rows = (await session.execute(
        select(CaseRecord.reference, DeadlineRecord.rule_id, DeadlineRecord.due_on)
        .select_from(DeadlineRecord).join(CaseRecord, CaseRecord.id == DeadlineRecord.case_id)
        .join(CaseworkerRecord, CaseworkerRecord.id == CaseRecord.caseworker_id)
        .where(_team_overdue(team, today))  # type: ignore[arg-type]
        .order_by(DeadlineRecord.due_on, CaseRecord.reference, DeadlineRecord.id))).all()
    return [DigestItem(case=reference, rule=rules[rule_id], due=due_on, today=today)
            for reference, rule_id, due_on in rows if rule_id in rules]
