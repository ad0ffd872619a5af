"""Queries and updates of cases, events, deadlines and reminders. Every function takes the session first.

The caller owns the session and its transaction (one unit of work per command or job); these
functions flush so that new rows get their ids, and never commit. They store only what the feature
needs: a pseudonymous reference, event kinds and days, rule ids and dates. Never free text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Select, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from reminders.clock import end_of_day
from reminders.errors import DuplicateCase, UnknownCase, UnknownCaseworker
from reminders.kinds import COMPLETION_KINDS, EventKind
from reminders.models import CaseEventRecord, CaseRecord, CaseworkerRecord, DeadlineRecord, ReminderRecord
from reminders.planner import ReminderPolicy, plan_case
from reminders.references import check_reference
from reminders.rules import Deadline, Event, Rule, Status, Target, due_dates, status_on


@dataclass(frozen=True, slots=True)
class StoredDeadline:
    """A deadline as stored, with the case reference and the event that started it."""

    case: str
    rule_id: str
    anchor_kind: EventKind
    anchor_on: date
    due: date
    due_at: datetime
    state: Status
    closed_on: date | None
    informational: bool
    received_on: date | None = None

    def status(self, today: date) -> Status:
        """Return the status on a day (open turns overdue after the due day)."""
        return status_on(self.state, self.due, self.informational, today)


async def add_caseworker(session: AsyncSession, name: str, now: datetime, team: str | None = None) -> CaseworkerRecord:
    """Add a caseworker (the Telegram user id is set when they register with an invite code)."""
    record = CaseworkerRecord(name=name, team=team, created_at=now)
    session.add(record)
    await session.flush()
    return record


async def add_case(session: AsyncSession, reference: str, now: datetime, caseworker_id: int | None = None) -> CaseRecord:
    """Open a case under a pseudonymous reference.

    Raises:
        RefusedReference: the reference looks like a CPR number or a name, or is malformed.
        DuplicateCase: a case with the reference exists.
        UnknownCaseworker: no caseworker has the id.
    """
    normalised = check_reference(reference)
    if caseworker_id is not None and await session.get(CaseworkerRecord, caseworker_id) is None:
        raise UnknownCaseworker(f"no caseworker has id {caseworker_id}")
    if await _find_case(session, normalised) is not None:
        raise DuplicateCase(f"case {normalised} exists already")
    record = CaseRecord(reference=normalised, caseworker_id=caseworker_id, created_at=now)
    session.add(record)
    await session.flush()
    return record


async def get_case(session: AsyncSession, reference: str) -> CaseRecord:
    """Return the case with the reference.

    Raises:
        RefusedReference: the reference could never be a case's.
        UnknownCase: no case has it.
    """
    normalised = check_reference(reference)
    record = await _find_case(session, normalised)
    if record is None:
        raise UnknownCase(f"no case {normalised} (add it with: stifinder cases add {normalised})")
    return record


async def _find_case(session: AsyncSession, normalised: str) -> CaseRecord | None:
    """Look a case up by its normalised reference."""
    found: CaseRecord | None = await session.scalar(select(CaseRecord).where(CaseRecord.reference == normalised))
    return found


async def add_event(session: AsyncSession, case: CaseRecord, kind: EventKind, on: date, now: datetime,
                    target: Target | None = None) -> Event:
    """Record that something of a kind happened in the case on a local calendar day (for one named
    deadline when `target` is given: it meets that one and no other)."""
    record = CaseEventRecord(case_id=case.id, kind=kind.value, occurred_on=on, recorded_at=now,
                             target_rule_id=target.rule_id if target else None,
                             target_anchor_event_id=target.anchor_id if target else None)
    session.add(record)
    await session.flush()
    return Event(kind=kind, on=on, id=record.id, target=target)


async def case_events(session: AsyncSession, case: CaseRecord) -> list[Event]:
    """Return the case's events in the order the rules read them (day, then recording order)."""
    rows = await session.scalars(select(CaseEventRecord).where(CaseEventRecord.case_id == case.id)
                                 .order_by(CaseEventRecord.occurred_on, CaseEventRecord.id))
    return [Event(kind=EventKind(row.kind), on=row.occurred_on, id=row.id,
                  target=Target(row.target_rule_id, row.target_anchor_event_id)
                  if row.target_rule_id is not None and row.target_anchor_event_id is not None else None)
            for row in rows]


@dataclass(frozen=True, slots=True)
class Recorded:
    """What recording one event did: the case's deadlines after it, and which of them it closed."""

    event: Event
    deadlines: list[Deadline]
    meets_some_rule: bool  # the event's kind is one that meets deadlines (a follow-up held, a plan made ...)

    @property
    def closed(self) -> list[Deadline]:
        """The deadlines this event met or cancelled."""
        return [d for d in self.deadlines if d.closed_by is not None and d.closed_by.id == self.event.id]

    @property
    def not_yet(self) -> list[Deadline]:
        """Open deadlines the event's kind would meet, had their window been open on its day."""
        return [d for d in self.deadlines if d.state is Status.OPEN and self.event.kind in d.rule.met_by
                and d.opens is not None and self.event.on < d.opens]

    @property
    def met_nothing(self) -> bool:
        """An event recorded to meet a deadline that met none: the caseworker must be told. That is a
        completion (a follow-up held, a notice received), an event recorded for a named deadline, or one
        that came before a deadline's window; a decision or a plan that starts deadlines is not."""
        return self.meets_some_rule and not self.closed and bool(
            self.not_yet or self.event.kind in COMPLETION_KINDS or self.event.target is not None)


async def record_event(session: AsyncSession, case: CaseRecord, kind: EventKind, on: date, now: datetime,
                       rules: Sequence[Rule], today: date, policy: ReminderPolicy | None = None,
                       target: Target | None = None) -> Recorded:
    """Record an event, recompute the case's deadlines and say which deadline it met (every path that
    records an event goes through here: the CLI, the chat commands and the reminder's "done" button)."""
    event = await add_event(session, case, kind, on, now, target)
    deadlines = await refresh_deadlines(session, case, rules, today, now, policy)
    return Recorded(event, deadlines, any(kind in rule.met_by for rule in rules))


async def refresh_deadlines(session: AsyncSession, case: CaseRecord, rules: Sequence[Rule], today: date,
                            now: datetime, policy: ReminderPolicy | None = None) -> list[Deadline]:
    """Recompute the case's deadlines from its events and store them; return them with their status today.

    Deadlines are kept by (rule, anchor event), so a recomputation updates rows in place; a deadline
    the rules no longer give is deleted with its reminders. Then the case's reminders are planned
    (reminders.planner, with `policy` or the process's configured one): a met or cancelled
    deadline loses its unsent pings, a new one gets its own. Every caller gets this for free.
    """
    computed = due_dates(await case_events(session, case), rules, today)
    existing = {(row.rule_id, row.anchor_event_id): row for row in
                await session.scalars(select(DeadlineRecord).where(DeadlineRecord.case_id == case.id))}
    for deadline in computed:
        values = {
            "due_on": deadline.due,
            "due_at": end_of_day(deadline.due),
            "state": deadline.state.value,
            "closed_by_event_id": deadline.closed_by.id if deadline.closed_by else None,
            "closed_on": deadline.closed_by.on if deadline.closed_by else None,
            "received_on": deadline.received.on if deadline.received else None,
            "informational": deadline.rule.informational,
        }
        row = existing.pop((deadline.rule.id, deadline.anchor.id), None)
        if row is None:
            session.add(DeadlineRecord(case_id=case.id, rule_id=deadline.rule.id, anchor_event_id=deadline.anchor.id,
                                       updated_at=now, **values))
        elif any(getattr(row, key) != value for key, value in values.items()):
            for key, value in values.items():
                setattr(row, key, value)
            row.updated_at = now
    stale = [row.id for row in existing.values()]
    if stale:
        await session.execute(delete(ReminderRecord).where(ReminderRecord.deadline_id.in_(stale)))
        await session.execute(delete(DeadlineRecord).where(DeadlineRecord.id.in_(stale)))
    await session.flush()
    await plan_case(session, case.id, now, policy)
    return computed


async def list_deadlines(session: AsyncSession, reference: str | None = None) -> list[StoredDeadline]:
    """Return the stored deadlines, of one case or of all, by due day.

    Raises:
        RefusedReference, UnknownCase: as get_case, when a reference is given.
    """
    query = deadlines_query()
    if reference is not None:
        case = await get_case(session, reference)
        query = query.where(DeadlineRecord.case_id == case.id)
    return await read_deadlines(session, query)


def deadlines_query() -> Select[DeadlineRecord, str, str, date]:
    """The stored deadlines with their case reference and anchor event, by due day (add filters to it)."""
    return (select(DeadlineRecord, CaseRecord.reference, CaseEventRecord.kind, CaseEventRecord.occurred_on)
            .join(CaseRecord, CaseRecord.id == DeadlineRecord.case_id)
            .join(CaseEventRecord, CaseEventRecord.id == DeadlineRecord.anchor_event_id)
            .order_by(DeadlineRecord.due_on, CaseRecord.reference, DeadlineRecord.id))


async def read_deadlines(session: AsyncSession,
                         query: Select[DeadlineRecord, str, str, date]) -> list[StoredDeadline]:
    """Run a deadlines_query() and return its rows as StoredDeadline."""
    rows = (await session.execute(query)).all()
    return [StoredDeadline(case=ref, rule_id=row.rule_id, anchor_kind=EventKind(kind), anchor_on=anchor_on,
                           due=row.due_on, due_at=row.due_at, state=Status(row.state), closed_on=row.closed_on,
                           informational=row.informational, received_on=row.received_on)
            for row, ref, kind, anchor_on in rows]


async def add_reminder(session: AsyncSession, deadline_id: int, slot: str, due_at: datetime,
                       now: datetime) -> ReminderRecord:
    """Plan one reminder of a deadline; `slot` names it within the deadline (e.g. "before-7", "due-day").

    Slots are unique per deadline: when the deadline has the slot already (the planner made it),
    that row is moved to `due_at` and returned.
    """
    found: ReminderRecord | None = await session.scalar(select(ReminderRecord).where(
        ReminderRecord.deadline_id == deadline_id, ReminderRecord.slot == slot))
    if found is not None:
        found.due_at = due_at
        await session.flush()
        return found
    record = ReminderRecord(deadline_id=deadline_id, slot=slot, due_at=due_at, attempts=0, created_at=now)
    session.add(record)
    await session.flush()
    return record


async def due_reminders(session: AsyncSession, now: datetime, limit: int = 100) -> list[ReminderRecord]:
    """Return unsent reminders whose time has come and whose lease is free, oldest first.

    Reads through the partial index ix_reminders_unsent_due_at. Claiming them (FOR UPDATE SKIP
    LOCKED on PostgreSQL, a conditional UPDATE on SQLite) is reminders.dispatch's.
    """
    query = (select(ReminderRecord)
             .where(ReminderRecord.sent_at.is_(None), ReminderRecord.gave_up_at.is_(None), ReminderRecord.due_at <= now,
                    or_(ReminderRecord.claimed_until.is_(None), ReminderRecord.claimed_until < now))
             .order_by(ReminderRecord.due_at, ReminderRecord.id)
             .limit(limit))
    return list(await session.scalars(query))
