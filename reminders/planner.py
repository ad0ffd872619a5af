"""Which reminders a deadline gets, and when: the plan, kept in the `reminders` table.

Every open, non-informational deadline of an open case gets pings at the configured local hour
(default 08:00 Europe/Copenhagen) on Danish working days: 7 and 2 working days before the due day
(`before-7`, `before-2`), on the morning of the due day (`due-day`, the last working day on or before
it), then every working day while it is overdue (`overdue-YYYY-MM-DD`). A press on "snooze" adds
`snooze-YYYY-MM-DD`. Slots are unique per deadline, so planning is idempotent.

Slots that have already passed when a deadline is planned are not sent late in a burst: of the
passed slots only the latest is kept (sent at once, as a catch-up), and not even that one when a
later slot comes on the same local day. Overdue pings are planned lazily, one working day ahead:
`plan_deadlines` adds the next one whenever it runs (after every event, after each sent ping, and
in the daily replan). When a deadline's due day moves later (an event changed it), the before and
due-day pings already sent were about the old day: they are kept as history under a dated name
(`before-7~2026-12-01`) and planned again for the new day. A deadline that is met or cancelled, or whose case is closed, loses its
unsent reminders; sent ones are kept as history. `refresh_deadlines` (reminders.store) calls the
planner, so every path that records an event replans without the caller having to remember it.

The pure part (`slots_for`, `instant_of`) takes no clock and touches no database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import cast
from zoneinfo import ZoneInfo

from sqlalchemy import Table, bindparam, delete, insert, select, update
from sqlalchemy.orm.attributes import set_committed_value
from sqlalchemy.ext.asyncio import AsyncSession

from reminders.calendar import DANISH, WorkingCalendar, add_working_days, working_days_before
from reminders.clock import COPENHAGEN, local_date, local_instant
from reminders.models import CaseRecord, DeadlineRecord, ReminderRecord

DUE_DAY = "due-day"
BEFORE = "before-"
OVERDUE = "overdue-"
SNOOZE = "snooze-"
MOVED = "~"  # a sent ping about an earlier due day, kept as history: "before-7~2026-12-01"
# Ids per IN (...) list: well below SQLite's and asyncpg's parameter limits.
_CHUNK = 500


@dataclass(frozen=True, slots=True)
class ReminderPolicy:
    """When pings go out (config.yml `reminders:`).

    Args:
        at: the local wall-clock time of every ping.
        before: working days before the due day that get a ping (default 7 and 2).
        on_due_day: ping on the morning of the due day.
        overdue_daily: ping every working day while the deadline is overdue.
        tz: the municipality's time zone.
        calendar: which days are working days.
    """

    at: time = time(8, 0)
    before: tuple[int, ...] = (7, 2)
    on_due_day: bool = True
    overdue_daily: bool = True
    tz: ZoneInfo = COPENHAGEN
    calendar: WorkingCalendar = field(default=DANISH)

    def __post_init__(self) -> None:
        if any(n <= 0 for n in self.before):
            raise ValueError("reminders.before_working_days must be positive whole numbers")

    def instant(self, day: date) -> datetime:
        """Return the UTC instant of the ping hour on a local day."""
        return local_instant(day, self.at, self.tz)


DEFAULT_POLICY = ReminderPolicy()


def current_policy() -> ReminderPolicy:
    """Return the default plan, used where no policy is passed (callers with a configuration pass theirs)."""
    return DEFAULT_POLICY


@dataclass(frozen=True, slots=True, order=True)
class Slot:
    """One planned ping: when, and its name within the deadline."""

    at: datetime
    name: str


def fixed_slots(due: date, policy: ReminderPolicy) -> list[Slot]:
    """Return the before/due-day slots of a deadline due on a day, earliest first, one per instant."""
    wanted = [(f"{BEFORE}{n}", working_days_before(due, n, policy.calendar)) for n in sorted(set(policy.before),
                                                                                             reverse=True)]
    if policy.on_due_day:
        wanted.append((DUE_DAY, working_days_before(due, 0, policy.calendar)))
    slots: dict[datetime, Slot] = {}
    for name, day in wanted:
        at = policy.instant(day)
        slots.setdefault(at, Slot(at, name))
    return sorted(slots.values())


def overdue_slot(day: date) -> str:
    """Name the overdue ping of a local day."""
    return f"{OVERDUE}{day.isoformat()}"


def snooze_slot(day: date) -> str:
    """Name the snoozed ping of a local day."""
    return f"{SNOOZE}{day.isoformat()}"


def slots_for(due: date, policy: ReminderPolicy, now: datetime) -> list[Slot]:
    """Return the slots a deadline due on `due` should have planned at `now` (pure).

    Future before/due-day slots, the next overdue slot, and of the slots already passed only the
    latest (a catch-up, dropped when another slot follows on the same local day).
    """
    fixed = fixed_slots(due, policy)
    future = [slot for slot in fixed if slot.at > now]
    passed = [slot for slot in fixed if slot.at <= now]
    today = local_date(now, policy.tz)
    if policy.overdue_daily:
        first = add_working_days(due, 1, policy.calendar)
        latest_day = working_days_before(today, 0, policy.calendar)
        if policy.instant(latest_day) > now:
            latest_day = working_days_before(latest_day, 1, policy.calendar)
        if latest_day >= first:
            passed.append(Slot(policy.instant(latest_day), overdue_slot(latest_day)))
        upcoming = add_working_days(max(today, first), 0, policy.calendar)
        if policy.instant(upcoming) <= now:
            upcoming = add_working_days(upcoming, 1, policy.calendar)
        future.append(Slot(policy.instant(upcoming), overdue_slot(upcoming)))
    chosen = sorted(future)
    if passed:
        catch_up = max(passed)
        if not chosen or local_date(chosen[0].at, policy.tz) != today:
            chosen.insert(0, catch_up)
    return chosen


def instant_of(slot: str, due: date, policy: ReminderPolicy) -> datetime | None:
    """Return when a slot should go out under the policy, or None when the policy has no such slot.

    The dispatcher checks each claimed row with this, so a change of hour or offsets in config.yml
    (or a row planned by another process with other settings) takes effect at send time.
    """
    if slot.startswith((SNOOZE, OVERDUE)):
        day = _slot_day(slot)
        if day is None:
            return None
        if slot.startswith(OVERDUE) and (not policy.overdue_daily or day <= due):
            return None
        return policy.instant(day)
    for candidate in fixed_slots(due, policy):
        if candidate.name == slot:
            return candidate.at
    return None


def _slot_day(slot: str) -> date | None:
    """Return the day in an overdue/snooze slot's name ("overdue-2026-12-01"), or None."""
    try:
        return date.fromisoformat(slot.split("-", 1)[1])
    except (ValueError, IndexError):
        return None


@dataclass(frozen=True, slots=True)
class PlanResult:
    """What a planning run changed."""

    added: int = 0
    moved: int = 0
    removed: int = 0

    def __add__(self, other: PlanResult) -> PlanResult:
        return PlanResult(self.added + other.added, self.moved + other.moved, self.removed + other.removed)


async def plan_deadlines(session: AsyncSession, deadline_ids: Iterable[int], now: datetime,
                         policy: ReminderPolicy | None = None) -> PlanResult:
    """Bring the reminders of these deadlines in line with the plan at `now` (idempotent).

    Adds missing slots, moves unsent ones whose time changed (a new due day or hour), and deletes
    unsent ones the plan no longer has (superseded catch-ups; every unsent one of a deadline that is
    closed, informational or of a closed case). Snoozed pings stay while the deadline is open.
    Sent reminders are never touched. Flushes; never commits.
    """
    policy = policy or DEFAULT_POLICY
    ids = sorted(set(deadline_ids))
    result = PlanResult()
    for start in range(0, len(ids), _CHUNK):
        result += await _plan_chunk(session, ids[start:start + _CHUNK], now, policy)
    await session.flush()
    return result


async def _plan_chunk(session: AsyncSession, ids: Sequence[int], now: datetime, policy: ReminderPolicy) -> PlanResult:
    rows = (await session.execute(
        select(DeadlineRecord.id, DeadlineRecord.due_on, DeadlineRecord.state, DeadlineRecord.informational,
               CaseRecord.closed_at)
        .join(CaseRecord, CaseRecord.id == DeadlineRecord.case_id)
        .where(DeadlineRecord.id.in_(ids)))).all()
    # Plain columns, not ORM objects: a replan of 100,000 deadlines reads ~400,000 reminder rows.
    existing: dict[int, dict[str, tuple[int, datetime, bool]]] = {}
    for rid, deadline_id, slot, due_at, sent_at in (await session.execute(
            select(ReminderRecord.id, ReminderRecord.deadline_id, ReminderRecord.slot, ReminderRecord.due_at,
                   ReminderRecord.sent_at).where(ReminderRecord.deadline_id.in_(ids)))).all():
        existing.setdefault(deadline_id, {})[slot] = (rid, due_at, sent_at is not None)
    doomed: list[int] = []
    moves: list[dict[str, object]] = []
    renames: list[dict[str, object]] = []
    new: list[dict[str, object]] = []
    for deadline_id, due_on, state, informational, closed_at in rows:
        have = existing.get(deadline_id, {})
        if state != "open" or informational or closed_at is not None:
            doomed += [rid for rid, _, sent in have.values() if not sent]
            continue
        wanted = {slot.name: slot.at for slot in slots_for(due_on, policy, now)}
        rearmed: set[str] = set()
        for name, (rid, due_at, sent) in have.items():
            if sent:
                if name in wanted and _moved_later(name, due_at, wanted[name], policy):
                    renames.append({"rid": rid, "new_slot": f"{name}{MOVED}{local_date(due_at, policy.tz).isoformat()}"})
                    rearmed.add(name)
                continue
            if name in wanted:
                if due_at != wanted[name]:
                    moves.append({"rid": rid, "new_due_at": wanted[name]})
            elif not name.startswith(SNOOZE):
                doomed.append(rid)
        new += [{"deadline_id": deadline_id, "slot": name, "due_at": at, "attempts": 0, "created_at": now}
                for name, at in wanted.items() if name not in have or name in rearmed]
    table = cast(Table, ReminderRecord.__table__)
    if renames:  # before the inserts: the new rows take the old names
        await session.execute(update(table).where(table.c.id == bindparam("rid")).values(slot=bindparam("new_slot")),
                              renames)
    if doomed:
        await session.execute(delete(ReminderRecord).where(ReminderRecord.id.in_(doomed)))
    if moves:
        await session.execute(update(table).where(table.c.id == bindparam("rid"))
                              .values(due_at=bindparam("new_due_at")), moves)
        _refresh_loaded(session, {move["rid"]: move["new_due_at"] for move in moves})
    if new:  # one executemany: replanning 100,000 deadlines must not build 400,000 ORM objects
        await session.execute(insert(table), new)
    added, moved = len(new), len(moves)
    return PlanResult(added=added, moved=moved, removed=len(doomed))


def _moved_later(name: str, sent_for: datetime, wanted: datetime, policy: ReminderPolicy) -> bool:
    """Whether a sent before/due-day ping was about an earlier due day than the deadline has now (its slot
    falls on a later local day: a new hour in config.yml moves the instant, not the day)."""
    if name.startswith((OVERDUE, SNOOZE)) or MOVED in name:
        return False
    return local_date(wanted, policy.tz) > local_date(sent_for, policy.tz)


def _refresh_loaded(session: AsyncSession, due: dict[object, object]) -> None:
    """Give reminders already loaded in the session their new due_at (the UPDATE went around the ORM)."""
    for obj in list(session.identity_map.values()):
        if isinstance(obj, ReminderRecord) and obj.id in due:
            set_committed_value(obj, "due_at", due[obj.id])


async def plan_case(session: AsyncSession, case_id: int, now: datetime,
                    policy: ReminderPolicy | None = None) -> PlanResult:
    """Plan the reminders of every deadline of a case."""
    ids = list(await session.scalars(select(DeadlineRecord.id).where(DeadlineRecord.case_id == case_id)))
    return await plan_deadlines(session, ids, now, policy)


async def plan_all(session: AsyncSession, now: datetime, policy: ReminderPolicy | None = None) -> PlanResult:
    """Plan every deadline that is open or still has unsent reminders (the daily and start-up replan)."""
    open_ids = set(await session.scalars(select(DeadlineRecord.id).where(DeadlineRecord.state == "open",
                                                                         DeadlineRecord.informational.is_(False))))
    pending = set(await session.scalars(select(ReminderRecord.deadline_id).where(ReminderRecord.sent_at.is_(None))
                                        .distinct()))
    return await plan_deadlines(session, open_ids | pending, now, policy)


async def snooze(session: AsyncSession, deadline_id: int, now: datetime,
                 policy: ReminderPolicy | None = None) -> ReminderRecord:
    """Plan one more ping of a deadline on the next working day at the ping hour; return it.

    Pressing snooze twice on the same day gives the same row (slots are unique per deadline).
    """
    policy = policy or DEFAULT_POLICY
    day = add_working_days(local_date(now, policy.tz), 1, policy.calendar)
    name = snooze_slot(day)
    found: ReminderRecord | None = await session.scalar(select(ReminderRecord).where(
        ReminderRecord.deadline_id == deadline_id, ReminderRecord.slot == name))
    if found is not None:
        return found
    record = ReminderRecord(deadline_id=deadline_id, slot=name, due_at=policy.instant(day), attempts=0, created_at=now)
    session.add(record)
    await session.flush()
    return record


def next_working_instant(now: datetime, policy: ReminderPolicy | None = None) -> datetime:
    """Return the ping hour of the next working day after now's local day (what snooze means)."""
    policy = policy or DEFAULT_POLICY
    return policy.instant(add_working_days(local_date(now, policy.tz), 1, policy.calendar))


__all__ = ["DUE_DAY", "PlanResult", "ReminderPolicy", "Slot", "current_policy", "fixed_slots", "instant_of",
           "next_working_instant", "overdue_slot", "plan_all", "plan_case", "plan_deadlines", "slots_for", "snooze",
           "snooze_slot"]
