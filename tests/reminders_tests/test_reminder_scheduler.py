"""The APScheduler jobs: fixed ids, explicit misfire grace and coalescing, one instance each, the
Copenhagen time zone; the first tick replans and sends; stop() ends cleanly."""

from __future__ import annotations

import asyncio
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from bot.storage import open_database
from fakes.clock import FixedClock
from reminders import (COPENHAGEN, CaseRecord, EventKind, ReminderRecord, add_case, add_caseworker, add_event,
                       load_rules, refresh_deadlines)
from reminders.dispatch import DispatchSettings, Dispatcher
from reminders.planner import ReminderPolicy
from reminders.scheduler import DIGEST_JOB, DISPATCH_JOB, REPLAN_JOB, ReminderScheduler, ScheduleSettings
from fakes.notifier import FakeNotifier

RULES = load_rules()


async def test_jobs_run_and_stop_cleanly(tmp_path: Path) -> None:
    engine, sessions = await open_database(f"sqlite+aiosqlite:///{tmp_path / 'jobs.db'}")
    created = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
    async with sessions.begin() as session:
        worker = await add_caseworker(session, "Sagsbehandler", created)
        worker.telegram_user_id = 9001
        case = await add_case(session, "J-1", created, caseworker_id=worker.id)
        # Recorded without a refresh: the start-up replan of the first tick must plan it.
        await add_event(session, case, EventKind.HENVENDELSE, date(2026, 11, 20), created)
    async with sessions.begin() as session:
        case = await session.get(CaseRecord, case.id)
        assert case is not None
        await refresh_deadlines(session, case, RULES, date(2026, 11, 20), created, ReminderPolicy(before=(1,)))
        assert {r.slot for r in await session.scalars(select(ReminderRecord))} == {
            "before-1", "due-day", "overdue-2026-12-07"}
    notifier = FakeNotifier()
    clock = FixedClock(datetime(2026, 11, 25, 8, 0, tzinfo=COPENHAGEN).astimezone(timezone.utc))
    dispatcher = Dispatcher(sessions, notifier, RULES, clock, DispatchSettings(digest_at=time(7, 30)), ReminderPolicy())
    scheduler = ReminderScheduler(dispatcher, sessions, ScheduleSettings(tick_seconds=0.1,
                                                                        misfire_grace=timedelta(minutes=5)))
    try:
        scheduler.start()
        jobs = scheduler.jobs()
        assert set(jobs) == {DISPATCH_JOB, DIGEST_JOB, REPLAN_JOB}
        for job in jobs.values():
            assert (job.misfire_grace_time, job.coalesce, job.max_instances) == (300, True, 1)
        assert str(jobs[DIGEST_JOB].trigger.timezone) == "Europe/Copenhagen"
        assert "day_of_week='mon-fri'" in str(jobs[DIGEST_JOB].trigger)
        async with asyncio.timeout(10):
            while len(notifier.pings) < 1 or not notifier.digests:
                await asyncio.sleep(0.05)
        # The replan replaced the before-1 slot by the default plan's before-7, due now.
        assert [p.slot for p in notifier.pings] == ["before-7"] and notifier.digests[0].day == date(2026, 11, 25)
    finally:
        await scheduler.stop()
        await engine.dispose()
    assert not scheduler.running and scheduler.jobs() == {}
    sent = len(notifier.pings)
    await asyncio.sleep(0.3)
    assert len(notifier.pings) == sent  # nothing runs after stop
