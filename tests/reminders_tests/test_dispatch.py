"""The dispatcher on SQLite and a real PostgreSQL 15: claims with a lease, sends outside the transaction,
marks sent in its own commit; retries with backoff, gives up on a blocked recipient, waits for an
unregistered one; never sends a closed deadline's ping; two dispatchers never send the same row;
the daily digest."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta, timezone

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fakes.clock import FixedClock
from fakes.notifier import FakeNotifier
from fakes.databases import database_url, sessions  # noqa: F401 (fixtures)
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from reminders import (COPENHAGEN, CaseworkerRecord, DeadlineRecord, DigestRecord, EventKind, ReminderRecord,
                       add_case, add_caseworker, add_event, load_rules, refresh_deadlines)
from reminders.dispatch import DispatchSettings, Dispatcher, TryLater, Unreachable
from reminders.planner import ReminderPolicy

RULES = load_rules()
POLICY = ReminderPolicy()
SETTINGS = DispatchSettings(first_backoff=timedelta(seconds=30), max_backoff=timedelta(minutes=10), max_attempts=4,
                            digest_at=time(7, 30))


def local(day: str, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=COPENHAGEN).astimezone(timezone.utc)


async def open_case(sessions: async_sessionmaker[AsyncSession], reference: str, henvendelse: str,
                    now: datetime, telegram_user_id: int | None = 5001, language: str = "da",
                    caseworker: int | None = None) -> int:
    """A case of a (new) caseworker with a henvendelse on a day: the guarantee is due 14 days later."""
    async with sessions.begin() as session:
        if caseworker is None:
            worker = await add_caseworker(session, f"Sagsbehandler {reference}", now, team="voksne")
            worker.telegram_user_id, worker.language = telegram_user_id, language
            caseworker = worker.id
        case = await add_case(session, reference, now, caseworker_id=caseworker)
        on = date.fromisoformat(henvendelse)
        await add_event(session, case, EventKind.HENVENDELSE, on, now)
        await refresh_deadlines(session, case, RULES, on, now, POLICY)
        return caseworker


async def cases_of_one_caseworker(sessions: async_sessionmaker[AsyncSession], count: int, chat: int, prefix: str,
                                  first: int = 1) -> None:
    """`count` cases of one registered caseworker, each with a henvendelse on 20 November 2026 (the guarantee's
    before-7 ping is due on the 25th at 8:00)."""
    created = local("2026-11-20", 10)
    async with sessions.begin() as session:
        worker = await add_caseworker(session, "Sagsbehandler", created)
        worker.telegram_user_id = chat
        for n in range(count):
            case = await add_case(session, f"{prefix}-{first + n}", created, caseworker_id=worker.id)
            await add_event(session, case, EventKind.HENVENDELSE, date(2026, 11, 20), created)
            await refresh_deadlines(session, case, RULES, date(2026, 11, 20), created, POLICY)


def dispatcher(sessions: async_sessionmaker[AsyncSession], notifier: FakeNotifier, clock: FixedClock,
               worker: str = "w1") -> Dispatcher:
    return Dispatcher(sessions, notifier, RULES, clock, SETTINGS, POLICY, worker=worker)


async def rows(sessions: async_sessionmaker[AsyncSession]) -> dict[str, ReminderRecord]:
    async with sessions() as session:
        return {r.slot: r for r in await session.scalars(select(ReminderRecord))}


async def test_a_due_ping_is_sent_once_marked_and_the_next_planned(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FixedClock(local("2026-11-23", 10))
    await open_case(sessions, "S-10", "2026-11-20", clock.now())  # due 4 December; before-7 was 25 November
    notifier = FakeNotifier()
    clock.now = lambda: local("2026-11-25", 8, 1)  # type: ignore[method-assign]
    report = await dispatcher(sessions, notifier, clock).tick()
    assert report.sent == 1 and [p.slot for p in notifier.pings] == ["before-7"]
    ping = notifier.pings[0]
    assert (ping.case, ping.rule.id, ping.due, ping.days_left, ping.chat_id) == (
        "S-10", "behandlingsgaranti", date(2026, 12, 4), 9, 5001)
    sent = (await rows(sessions))["before-7"]
    assert sent.sent_at == local("2026-11-25", 8, 1) and sent.message_id == 101 and sent.claimed_until is None
    assert (await dispatcher(sessions, notifier, clock).tick()).sent == 0
    assert len(notifier.pings) == 1


async def test_overdue_pings_follow_day_after_day(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FixedClock(local("2026-11-20", 10))
    await open_case(sessions, "S-11", "2026-11-20", clock.now())  # due Friday 4 December
    notifier = FakeNotifier()
    days = ["2026-11-25", "2026-12-02", "2026-12-04", "2026-12-07", "2026-12-08"]
    for day in days:
        clock = FixedClock(local(day, 8, 0))
        await dispatcher(sessions, notifier, clock).tick()
    assert [p.slot for p in notifier.pings] == ["before-7", "before-2", "due-day", "overdue-2026-12-07",
                                                "overdue-2026-12-08"]
    assert [p.days_left for p in notifier.pings] == [9, 2, 0, -3, -4]
    assert "overdue-2026-12-09" in await rows(sessions)


async def test_a_deadline_closed_since_planning_is_not_pinged(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FixedClock(local("2026-11-25", 9))
    await open_case(sessions, "S-12", "2026-11-20", local("2026-11-20", 10))
    async with sessions.begin() as session:  # closed behind the planner's back
        await session.execute(update(DeadlineRecord).values(state="met"))
    notifier = FakeNotifier()
    report = await dispatcher(sessions, notifier, clock).tick()
    assert notifier.pings == [] and report.dropped == 1
    assert "before-7" not in await rows(sessions)


async def test_failed_sends_back_off_then_succeed(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FixedClock(local("2026-11-25", 8, 0))
    await open_case(sessions, "S-13", "2026-11-20", local("2026-11-20", 10))
    notifier = FakeNotifier()
    notifier.failures = [TryLater("502"), TryLater("timeout")]
    worker = dispatcher(sessions, notifier, clock)
    assert (await worker.tick()).retried == 1
    row = (await rows(sessions))["before-7"]
    assert row.attempts == 1 and row.claimed_until == clock.now() + timedelta(seconds=30) and row.sent_at is None
    clock.advance(seconds=20)
    assert (await worker.tick()).settled == 0  # still backing off
    clock.advance(seconds=11)
    assert (await worker.tick()).retried == 1
    row = (await rows(sessions))["before-7"]
    assert row.attempts == 2 and row.claimed_until == clock.now() + timedelta(seconds=60)
    clock.advance(seconds=61)
    assert (await worker.tick()).sent == 1 and len(notifier.pings) == 1


async def test_too_many_failures_and_a_blocked_recipient_give_up(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FixedClock(local("2026-11-25", 8, 0))
    await open_case(sessions, "S-14", "2026-11-20", local("2026-11-20", 10))
    notifier = FakeNotifier()
    notifier.failures = [Unreachable("blocked")]
    worker = dispatcher(sessions, notifier, clock)
    assert (await worker.tick()).gave_up == 1
    row = (await rows(sessions))["before-7"]
    assert row.gave_up_at == clock.now() and row.sent_at is None
    clock.advance(hours=2)
    assert (await worker.tick()).settled == 0 and notifier.pings == []

    await open_case(sessions, "S-15", "2026-11-20", local("2026-11-20", 10), telegram_user_id=5002)
    notifier.failures = [TryLater("x")] * SETTINGS.max_attempts
    for _ in range(SETTINGS.max_attempts):
        await worker.tick()
        clock.advance(minutes=11)
    async with sessions() as session:
        gave_up = await session.scalar(select(func.count()).where(ReminderRecord.gave_up_at.is_not(None)))
    assert gave_up == 2 and notifier.pings == []


async def test_an_unregistered_caseworker_is_waited_for(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FixedClock(local("2026-11-25", 8, 0))
    caseworker = await open_case(sessions, "S-16", "2026-11-20", local("2026-11-20", 10), telegram_user_id=None)
    notifier = FakeNotifier()
    worker = dispatcher(sessions, notifier, clock)
    assert (await worker.tick()).waiting == 1
    row = (await rows(sessions))["before-7"]
    assert row.attempts == 0 and row.claimed_until == clock.now() + SETTINGS.unregistered_wait
    async with sessions.begin() as session:
        await session.execute(update(CaseworkerRecord).where(CaseworkerRecord.id == caseworker)
                              .values(telegram_user_id=5003))
    clock.advance(hours=1, seconds=1)
    assert (await worker.tick()).sent == 1 and notifier.pings[0].chat_id == 5003


async def test_a_lease_keeps_others_off_until_it_runs_out(sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FixedClock(local("2026-11-25", 8, 0))
    await open_case(sessions, "S-17", "2026-11-20", local("2026-11-20", 10))
    async with sessions.begin() as session:  # a worker that died after claiming
        await session.execute(update(ReminderRecord).where(ReminderRecord.slot == "before-7")
                              .values(claimed_by="dead/1", claimed_until=clock.now() + SETTINGS.lease))
    notifier = FakeNotifier()
    worker = dispatcher(sessions, notifier, clock)
    assert (await worker.tick()).sent == 0
    clock.advance(seconds=SETTINGS.lease.total_seconds() + 1)
    assert (await worker.tick()).sent == 1


async def test_a_ping_planned_for_another_hour_waits_for_the_configured_one(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    clock = FixedClock(local("2026-11-25", 8, 30))
    await open_case(sessions, "S-18", "2026-11-20", local("2026-11-20", 10))
    notifier = FakeNotifier()
    worker = Dispatcher(sessions, notifier, RULES, clock, SETTINGS, ReminderPolicy(at=time(9, 0)), worker="w9")
    assert (await worker.tick()).moved == 1 and notifier.pings == []
    assert (await rows(sessions))["before-7"].due_at == local("2026-11-25", 9)
    clock.advance(minutes=30)
    assert (await worker.tick()).sent == 1


async def test_two_dispatchers_never_send_the_same_reminder(sessions: async_sessionmaker[AsyncSession]) -> None:
    await cases_of_one_caseworker(sessions, 60, chat=6001, prefix="S", first=100)
    clock = FixedClock(local("2026-11-25", 8, 0))
    notifier = FakeNotifier(delay=0.02)
    small = DispatchSettings(batch=7, concurrency=3, digest_at=None)
    first = Dispatcher(sessions, notifier, RULES, clock, small, POLICY, worker="a")
    second = Dispatcher(sessions, notifier, RULES, clock, small, POLICY, worker="b")
    reports = await asyncio.gather(first.tick(), second.tick(), first.tick())
    ids = [p.reminder_id for p in notifier.pings]
    assert len(ids) == 60 and len(set(ids)) == 60
    assert sum(r.sent for r in reports) == 60 and all(r.lost == 0 for r in reports)
    assert reports[0].sent > 0 and reports[1].sent > 0  # both really worked


async def test_the_daily_digest(sessions: async_sessionmaker[AsyncSession]) -> None:
    created = local("2026-11-20", 10)
    caseworker = await open_case(sessions, "S-20", "2026-11-10", created, language="en")
    await open_case(sessions, "S-21", "2026-11-20", created, caseworker=caseworker)
    await open_case(sessions, "S-22", "2026-11-20", created, telegram_user_id=None)  # not registered: none
    idle = await open_case(sessions, "S-23", "2026-11-20", created, telegram_user_id=5009)
    notifier = FakeNotifier()
    early = dispatcher(sessions, notifier, FixedClock(local("2026-11-25", 7, 0)))
    assert await early.plan_digests() == 0  # before the digest time
    clock = FixedClock(local("2026-11-25", 7, 30))
    worker = dispatcher(sessions, notifier, clock)
    assert await worker.plan_digests() == 2  # S-20/21's caseworker and S-23's
    async with sessions.begin() as session:  # S-23's only deadline is met before the digest goes: nothing to list
        await session.execute(update(DeadlineRecord).where(DeadlineRecord.case_id == select(
            func.max(DeadlineRecord.case_id)).scalar_subquery()).values(state="met"))
    report = await worker.send_digests()
    assert report.digests == 1 and report.empty_digests == 1
    digest = notifier.digests[0]
    assert (digest.caseworker_id, digest.language, digest.day) == (caseworker, "en", date(2026, 11, 25))
    assert [(i.case, i.days_left) for i in digest.items] == [("S-20", -1), ("S-21", 9)]
    assert [i.case for i in digest.overdue] == ["S-20"]
    assert await worker.plan_digests() == 0 and (await worker.send_digests()).digests == 0  # once a day
    holiday = dispatcher(sessions, notifier, FixedClock(local("2026-12-24", 9)))  # juleaftensdag
    assert await holiday.plan_digests() == 0
    async with sessions() as session:
        assert await session.scalar(select(func.count()).select_from(DigestRecord)) == 2
    assert idle != caseworker


async def test_sends_are_paced_to_the_configured_rate(sessions: async_sessionmaker[AsyncSession]) -> None:
    await cases_of_one_caseworker(sessions, 12, chat=6002, prefix="P")
    notifier = FakeNotifier()
    paced = Dispatcher(sessions, notifier, RULES, FixedClock(local("2026-11-25", 8, 0)),
                       DispatchSettings(max_per_second=40, concurrency=8, digest_at=None), POLICY, worker="p")
    loop = asyncio.get_running_loop()
    started = loop.time()
    assert (await paced.tick()).sent == 12
    assert loop.time() - started >= 11 / 40 * 0.95  # 12 sends spaced 25 ms apart, concurrency notwithstanding


class StallingNotifier(FakeNotifier):
    """Stalls on its first ping until released, as a send does while the rate limiter waits out a 429."""

    def __init__(self) -> None:
        super().__init__()
        self.stalled = asyncio.Event()
        self.release = asyncio.Event()

    async def send_ping(self, ping: object) -> int:
        if not self.stalled.is_set():
            self.stalled.set()
            await self.release.wait()
        return await super().send_ping(ping)  # type: ignore[arg-type]


async def test_a_stalled_worker_never_sends_what_another_took_over(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Worker a claims 10 pings and stalls on the first for longer than its lease; worker b takes over the
    nine a has not sent yet. When a goes on, it sends none of them: every ping goes out exactly once."""
    await cases_of_one_caseworker(sessions, 10, chat=6003, prefix="T")
    clock = FixedClock(local("2026-11-25", 8, 0))
    settings = DispatchSettings(lease=timedelta(seconds=120), heartbeat=timedelta(seconds=0.05), batch=10,
                                max_per_second=None, digest_at=None)
    stalling, other = StallingNotifier(), FakeNotifier()
    a = Dispatcher(sessions, stalling, RULES, clock, settings, POLICY, worker="a")
    b = Dispatcher(sessions, other, RULES, clock, settings, POLICY, worker="b")
    first = asyncio.create_task(a.tick())
    await asyncio.wait_for(stalling.stalled.wait(), timeout=10)
    clock.advance(seconds=130)  # a's lease has run out: a 429 with retry_after 130 s
    await asyncio.sleep(0.3)    # a's heartbeat renews the claim of the ping in flight
    taken_over = await b.tick()
    stalling.release.set()
    stalled = await asyncio.wait_for(first, timeout=10)
    sent = [p.reminder_id for p in stalling.pings + other.pings]
    assert len(sent) == 10 and len(set(sent)) == 10  # no duplicate, none lost
    assert (len(stalling.pings), len(other.pings)) == (1, 9)
    assert taken_over.sent == 9 and stalled.sent == 1 and stalled.released == 9 and stalled.lost == 0


async def test_workers_share_one_send_rate(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Two workers at 40 a second share one budget: 24 pings take at least 23/40 s, not half of it."""
    await cases_of_one_caseworker(sessions, 24, chat=6004, prefix="R")
    clock = FixedClock(local("2026-11-25", 8, 0))
    settings = DispatchSettings(max_per_second=40, concurrency=8, batch=6, digest_at=None)
    notifier = FakeNotifier()
    workers = [Dispatcher(sessions, notifier, RULES, clock, settings, POLICY, worker=name) for name in ("a", "b")]
    loop = asyncio.get_running_loop()
    started = loop.time()
    reports = await asyncio.gather(*(w.tick() for w in workers))
    elapsed = loop.time() - started
    assert sum(r.sent for r in reports) == 24 and all(r.sent > 0 for r in reports)
    assert elapsed >= 23 / 40 * 0.95


async def test_a_team_chat_that_asked_gets_its_teams_overdue_deadlines_once_a_day(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    from dialogs.caseworker.pings import digest_lines
    from reminders import TeamChatRecord

    created = local("2026-11-20", 10)
    async with sessions.begin() as session:
        for team, chat, wants in (("nord", -1001, True), ("syd", -1002, True), ("vest", -1003, False)):
            session.add(TeamChatRecord(team=team, code_hash=f"{team:0>64}", telegram_chat_id=chat, created_at=created,
                                       expires_at=created, registered_at=created, digest=wants))
    nord = await open_case(sessions, "S-60", "2026-11-05", created)   # guarantee due 19 November: overdue
    await open_case(sessions, "S-61", "2026-11-20", created, caseworker=nord)  # due 4 December: not overdue
    await open_case(sessions, "S-62", "2026-11-05", created, telegram_user_id=5002)  # another caseworker
    async with sessions.begin() as session:  # S-60/61's caseworker is in nord; S-62's in vest
        workers = {w.id: w for w in await session.scalars(select(CaseworkerRecord))}
        for worker in workers.values():
            worker.team = "nord" if worker.id == nord else "vest"
    clock = FixedClock(local("2026-11-25", 7, 30))
    notifier = FakeNotifier()
    worker = dispatcher(sessions, notifier, clock)
    assert await worker.plan_digests() == 2 + 1  # two caseworkers' digests, and nord's team chat
    report = await worker.send_digests()
    team = [d for d in notifier.digests if d.team is not None]
    assert [(d.team, d.chat_id) for d in team] == [("nord", -1001)]  # syd has nothing overdue; vest did not ask
    assert [(i.case, i.days_left) for i in team[0].items] == [("S-60", -6)]  # overdue only, by reference
    lines = digest_lines(team[0])
    assert lines[0] == "Overskredne frister i teamets sager onsdag den 25. november 2026"
    assert lines[-1] == "Kun sagsreferencer. /frister_team stopper oversigten."
    assert report.digests == 3 and await worker.plan_digests() == 0  # once a day
