"""The reminder plan: offsets in Danish working days across weekends, jul, nytår and påske, both DST
changes, no burst of passed slots, daily overdue pings planned lazily, and every path that changes
deadlines replanning them (on SQLite and a real PostgreSQL 15)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone

import pytest
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fakes.databases import database_url, sessions  # noqa: F401 (fixtures)
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from reminders import (COPENHAGEN, CaseRecord, DeadlineRecord, EventKind, ReminderRecord, add_case, add_event,
                       load_rules, refresh_deadlines)
from reminders.planner import (ReminderPolicy, fixed_slots, instant_of, plan_all, plan_deadlines, slots_for,
                               snooze)

RULES = load_rules()
POLICY = ReminderPolicy()


def local(day: str, hour: int = 8, minute: int = 0) -> datetime:
    """A Copenhagen wall-clock time as an aware UTC instant."""
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=COPENHAGEN).astimezone(timezone.utc)


def names(slots: list) -> list[str]:  # type: ignore[type-arg]
    return [slot.name for slot in slots]


def test_offsets_skip_jul_and_nytaar() -> None:
    # Due Monday 4 January 2027: 1 January (nytårsdag), 31 and 24 December (days off), 25 December and
    # the weekends are skipped.
    slots = fixed_slots(date(2027, 1, 4), POLICY)
    assert [(s.name, s.at) for s in slots] == [
        ("before-7", local("2026-12-18")), ("before-2", local("2026-12-29")), ("due-day", local("2027-01-04"))]


def test_offsets_skip_paaske_and_follow_the_spring_dst_change() -> None:
    # Due Tuesday 30 March 2027: skærtorsdag, langfredag and 2. påskedag are skipped; summer time
    # starts on 28 March, so 08:00 is 07:00 UTC before and 06:00 UTC after.
    before7, before2, due_day = fixed_slots(date(2027, 3, 30), POLICY)
    assert before7.at.date() == date(2027, 3, 16) and before2.at.date() == date(2027, 3, 23)
    assert before2.at == datetime(2027, 3, 23, 7, 0, tzinfo=timezone.utc)
    assert due_day.at == datetime(2027, 3, 30, 6, 0, tzinfo=timezone.utc)


def test_the_autumn_dst_change_keeps_the_local_hour() -> None:
    # Winter time from 25 October 2026.
    _, before2, due_day = fixed_slots(date(2026, 10, 27), POLICY)
    assert before2.at == datetime(2026, 10, 23, 6, 0, tzinfo=timezone.utc)  # Friday, CEST
    assert due_day.at == datetime(2026, 10, 27, 7, 0, tzinfo=timezone.utc)  # Tuesday, CET
    assert all(s.at.astimezone(COPENHAGEN).time() == time(8, 0) for s in fixed_slots(date(2026, 10, 27), POLICY))


def test_a_due_day_at_the_weekend_is_pinged_on_the_working_day_before() -> None:
    assert fixed_slots(date(2026, 12, 5), POLICY)[-1].at == local("2026-12-04")  # Saturday → Friday


def test_a_fresh_deadline_gets_its_future_slots_and_the_first_overdue_day() -> None:
    now = local("2026-11-23", 10)
    plan = slots_for(date(2026, 12, 14), POLICY, now)  # Monday
    assert [(s.name, s.at) for s in plan] == [
        ("before-7", local("2026-12-03")), ("before-2", local("2026-12-10")), ("due-day", local("2026-12-14")),
        ("overdue-2026-12-15", local("2026-12-15"))]


def test_passed_slots_are_not_sent_in_a_burst_only_the_latest_as_a_catch_up() -> None:
    # Recorded late: before-7 (18 November) has passed; it is sent once at once, then the rest on time.
    plan = slots_for(date(2026, 11, 27), POLICY, local("2026-11-23", 10))
    assert names(plan) == ["before-7", "before-2", "due-day", "overdue-2026-11-30"]
    assert plan[0].at < local("2026-11-23", 10) < plan[1].at
    # Two passed slots: only the later one.
    assert names(slots_for(date(2026, 11, 25), POLICY, local("2026-11-23", 10))) == [
        "before-2", "due-day", "overdue-2026-11-26"]


def test_no_catch_up_when_a_slot_follows_the_same_day() -> None:
    plan = slots_for(date(2026, 11, 27), POLICY, local("2026-11-25", 7))
    assert names(plan) == ["before-2", "due-day", "overdue-2026-11-30"]


def test_overdue_pings_come_every_working_day_one_at_a_time() -> None:
    due = date(2026, 12, 4)  # Friday
    assert names(slots_for(due, POLICY, local("2026-12-05", 12))) == ["due-day", "overdue-2026-12-07"]
    assert names(slots_for(due, POLICY, local("2026-12-07", 9))) == ["overdue-2026-12-07", "overdue-2026-12-08"]
    # Over jul: 24-27 December are not working days.
    assert names(slots_for(due, POLICY, local("2026-12-23", 9))) == ["overdue-2026-12-23", "overdue-2026-12-28"]
    # Before the hour on a working day, the last working day's ping is the latest passed.
    assert names(slots_for(due, POLICY, local("2026-12-28", 7))) == ["overdue-2026-12-28"]


def test_the_policy_is_configurable() -> None:
    policy = ReminderPolicy(at=time(9, 30), before=(3,), on_due_day=False, overdue_daily=False)
    plan = slots_for(date(2026, 12, 14), policy, local("2026-11-23", 10))
    assert [(s.name, s.at) for s in plan] == [("before-3", local("2026-12-09", 9, 30))]
    assert instant_of("before-7", date(2026, 12, 14), policy) is None
    assert instant_of("overdue-2026-12-15", date(2026, 12, 14), policy) is None
    assert instant_of("snooze-2026-12-01", date(2026, 12, 14), policy) == local("2026-12-01", 9, 30)
    with pytest.raises(ValueError):
        ReminderPolicy(before=(0,))


def test_instant_of_gives_each_slot_its_configured_time() -> None:
    due = date(2027, 1, 4)
    assert instant_of("before-2", due, POLICY) == local("2026-12-29")
    assert instant_of("due-day", due, POLICY) == local("2027-01-04")
    assert instant_of("overdue-2027-01-05", due, POLICY) == local("2027-01-05")
    assert instant_of("overdue-2027-01-04", due, POLICY) is None  # not after the due day
    assert instant_of("garbage", due, POLICY) is None


# -- in the database ---------------------------------------------------------------------------


async def slots(session: AsyncSession, sent: bool | None = None) -> dict[str, datetime]:
    query = select(ReminderRecord)
    if sent is not None:
        query = query.where(ReminderRecord.sent_at.is_not(None) if sent else ReminderRecord.sent_at.is_(None))
    return {r.slot: r.due_at for r in await session.scalars(query)}


async def event(session: AsyncSession, case: CaseRecord, kind: EventKind, on: date, now: datetime) -> None:
    """Record an event and refresh, exactly as `stifinder cases event` and the chat commands do."""
    await add_event(session, case, kind, on, now)
    await refresh_deadlines(session, case, RULES, on, now)


async def test_recording_an_event_plans_the_reminders(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = local("2026-11-23", 10)
    async with sessions.begin() as session:
        case = await add_case(session, "S-1", now)
        await event(session, case, EventKind.HENVENDELSE, date(2026, 11, 23), now)  # guarantee due 7 December
    async with sessions() as session:
        assert await slots(session) == {"before-7": local("2026-11-26"), "before-2": local("2026-12-03"),
                                        "due-day": local("2026-12-07"), "overdue-2026-12-08": local("2026-12-08")}


async def test_a_met_deadline_loses_its_unsent_reminders_but_keeps_the_sent(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    now = local("2026-11-23", 10)
    async with sessions.begin() as session:
        case = await add_case(session, "S-2", now)
        await event(session, case, EventKind.HENVENDELSE, date(2026, 11, 23), now)
    async with sessions.begin() as session:
        first = await session.scalar(select(ReminderRecord).where(ReminderRecord.slot == "before-7"))
        assert first is not None
        first.sent_at = local("2026-11-26")
    later = local("2026-11-26", 12)
    async with sessions.begin() as session:
        case = await session.scalar(select(CaseRecord))
        assert case is not None
        await event(session, case, EventKind.BEHANDLING_STARTET, date(2026, 11, 26), later)
    async with sessions() as session:
        guarantee = await session.scalar(select(DeadlineRecord).where(DeadlineRecord.rule_id == "behandlingsgaranti"))
        assert guarantee is not None and guarantee.state == "met"
        kept = await session.scalars(select(ReminderRecord).where(ReminderRecord.deadline_id == guarantee.id))
        assert {r.slot: r.due_at for r in kept} == {"before-7": local("2026-11-26")}


async def test_a_cancelled_deadline_and_a_closed_case_get_no_pings(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = local("2026-11-23", 10)
    async with sessions.begin() as session:
        case = await add_case(session, "S-3", now)
        await event(session, case, EventKind.HENVENDELSE, date(2026, 11, 23), now)
        await event(session, case, EventKind.FRIT_VALG, date(2026, 11, 23), now)  # cancels the guarantee
        assert await slots(session) == {}
        other = await add_case(session, "S-4", now)
        await event(session, other, EventKind.HENVENDELSE, date(2026, 11, 23), now)
        assert len(await slots(session)) == 4
        other.closed_at = now
        await plan_all(session, now)
        assert await slots(session) == {}


async def test_a_reopened_case_reminds_again_with_one_catch_up_not_a_burst(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    from reminders import load_rules
    from reminders.closing import close_case, reopen_case

    now = local("2026-11-23", 10)
    async with sessions.begin() as session:
        case = await add_case(session, "S-6", now)
        await event(session, case, EventKind.HENVENDELSE, date(2026, 11, 23), now)
        assert await close_case(session, case, now)
        assert await slots(session) == {}
    later = local("2026-12-10", 10)  # the guarantee (due 7 December) is overdue by then
    async with sessions.begin() as session:
        case = await session.get(CaseRecord, case.id)
        assert case is not None and await reopen_case(session, case, load_rules(), date(2026, 12, 10), later)
        assert await slots(session) == {"overdue-2026-12-10": local("2026-12-10"),
                                        "overdue-2026-12-11": local("2026-12-11")}


async def test_informational_deadlines_get_no_pings(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = local("2026-11-23", 10)
    async with sessions.begin() as session:
        case = await add_case(session, "S-5", now)
        await event(session, case, EventKind.AFGOERELSE_SENDT, date(2026, 11, 23), now)  # klagefrist only
        assert (await session.scalar(select(DeadlineRecord.informational))) is True
        assert await slots(session) == {}


async def test_replanning_is_idempotent_and_moves_overdue_pings_on(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = local("2026-11-23", 10)
    async with sessions.begin() as session:
        case = await add_case(session, "S-6", now)
        await event(session, case, EventKind.HENVENDELSE, date(2026, 11, 23), now)
        again = await plan_all(session, now)
        assert (again.added, again.moved, again.removed) == (0, 0, 0)
    # The bot was down from before the due day until 10 December 10:00: one ping, not four.
    down = local("2026-12-10", 10)
    async with sessions.begin() as session:
        result = await plan_all(session, down)
        assert result.removed == 4 and result.added == 2
        assert await slots(session) == {"overdue-2026-12-10": local("2026-12-10"),
                                        "overdue-2026-12-11": local("2026-12-11")}


async def test_a_change_of_hour_moves_unsent_pings(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = local("2026-11-23", 10)
    async with sessions.begin() as session:
        case = await add_case(session, "S-7", now)
        await event(session, case, EventKind.HENVENDELSE, date(2026, 11, 23), now)
        deadline_id = await session.scalar(select(DeadlineRecord.id))
        assert deadline_id is not None
        result = await plan_deadlines(session, [deadline_id], now, ReminderPolicy(at=time(9, 0)))
        assert result.moved == 4
        assert (await slots(session))["due-day"] == local("2026-12-07", 9)


async def test_snooze_plans_the_next_working_day_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    friday = local("2026-12-04", 8, 5)
    async with sessions.begin() as session:
        case = await add_case(session, "S-8", friday)
        await event(session, case, EventKind.HENVENDELSE, date(2026, 12, 1), friday)
        deadline_id = await session.scalar(select(DeadlineRecord.id))
        assert deadline_id is not None
        first = await snooze(session, deadline_id, friday)
        second = await snooze(session, deadline_id, friday + timedelta(minutes=1))
        assert first.id == second.id and first.slot == "snooze-2026-12-07" and first.due_at == local("2026-12-07")
        await plan_all(session, friday)  # replanning keeps a snoozed ping
        assert "snooze-2026-12-07" in await slots(session)


async def test_pings_sent_before_a_due_day_that_moves_later_are_planned_again(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    now = local("2026-11-23", 10)
    async with sessions.begin() as session:
        case = await add_case(session, "S-7", now)
        await event(session, case, EventKind.HENVENDELSE, date(2026, 11, 20), now)  # due Friday 4 December
        sent = await session.scalar(select(ReminderRecord).where(ReminderRecord.slot == "before-7"))
        assert sent is not None and sent.due_at == local("2026-11-25")
        sent.sent_at = local("2026-11-25")
    later = local("2026-11-26", 12)
    async with sessions.begin() as session:
        deadline = await session.scalar(select(DeadlineRecord))
        assert deadline is not None
        deadline.due_on = date(2026, 12, 11)  # an event moved the due day a week later
        await session.flush()
        await plan_deadlines(session, [deadline.id], later)
        assert await slots(session, sent=True) == {"before-7~2026-11-25": local("2026-11-25")}  # kept as history
        planned = await slots(session, sent=False)
        assert planned["before-7"] == local("2026-12-02") and planned["before-2"] == local("2026-12-09")
    async with sessions.begin() as session:  # planning again changes nothing
        deadline = await session.scalar(select(DeadlineRecord))
        assert deadline is not None
        result = await plan_deadlines(session, [deadline.id], later)
        assert (result.added, result.moved, result.removed) == (0, 0, 0)


async def test_a_new_ping_hour_does_not_send_the_days_pings_again(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = local("2026-11-23", 10)
    async with sessions.begin() as session:
        case = await add_case(session, "S-8", now)
        await event(session, case, EventKind.HENVENDELSE, date(2026, 11, 20), now)
        sent = await session.scalar(select(ReminderRecord).where(ReminderRecord.slot == "before-7"))
        assert sent is not None
        sent.sent_at = local("2026-11-25")
        deadline = await session.scalar(select(DeadlineRecord))
        assert deadline is not None
        await plan_deadlines(session, [deadline.id], local("2026-11-25", 12), ReminderPolicy(at=time(9, 0)))
        assert "before-7" in await slots(session, sent=True) and not any("~" in s for s in await slots(session))
