"""The in-process clock of the reminders: APScheduler 3 jobs that run the planner and the dispatcher.

An `AsyncIOScheduler` in Europe/Copenhagen with an in-memory job store: the database is the truth
(reminder and digest rows with their leases), so nothing about jobs needs persisting and several
processes may run it against one database (the claims keep them from sending a row twice). Three
jobs with fixed ids, `max_instances=1`, `coalesce=True` and an explicit `misfire_grace_time`
(APScheduler's default of 1 s would skip a run that starts a little late):

- `reminders:dispatch` every `tick_seconds` (the first run at start-up): on its first run the
  start-up replan, then today's digest rows if their time has come, then send what is due;
- `reminders:digest` Monday to Friday at the digest time: plan and send the digests (holidays
  are skipped by the planner);
- `reminders:replan` daily at `replan_at`: `plan_all`, which moves each overdue deadline's daily
  ping on and removes pings superseded while the bot was down.

A job never raises: a failure is logged by its type only (an SQL error's text may hold values).
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime, time, timedelta, timezone
from typing import TYPE_CHECKING, Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reminders.dispatch import Dispatcher, TickReport
from reminders.planner import PlanResult, plan_all

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler  # type: ignore[import-untyped]

log = logging.getLogger(__name__)

DISPATCH_JOB = "reminders:dispatch"
DIGEST_JOB = "reminders:digest"
REPLAN_JOB = "reminders:replan"


@dataclass(frozen=True, slots=True)
class ScheduleSettings:
    """How often the jobs run (config.yml `reminders:`)."""

    tick_seconds: float = 30.0
    misfire_grace: timedelta = timedelta(minutes=10)
    replan_at: time = time(5, 0)
    stop_timeout: float = 10.0


class ReminderScheduler:
    """Runs the reminder jobs on the running event loop; `start()` and `await stop()`.

    Args:
        dispatcher: sends what is due (and knows the policy and clock).
        sessions: the database's session factory (for the replan).
        settings: the job intervals.
    """

    def __init__(self, dispatcher: Dispatcher, sessions: async_sessionmaker[AsyncSession],
                 settings: ScheduleSettings | None = None) -> None:
        self.dispatcher = dispatcher
        self._sessions = sessions
        self.settings = settings or ScheduleSettings()
        self._scheduler: AsyncIOScheduler | None = None
        self._replanned = False
        self._running: set[asyncio.Task[Any]] = set()
        self.last_tick: TickReport | None = None

    @property
    def running(self) -> bool:
        return self._scheduler is not None and self._scheduler.running

    def jobs(self) -> dict[str, Any]:
        """Return the scheduled jobs by id (for tests and `stifinder check`-like inspection)."""
        return {job.id: job for job in self._scheduler.get_jobs()} if self._scheduler else {}

    def start(self) -> None:
        """Create the scheduler on the running loop and add the three jobs (call from a coroutine)."""
        if self.running:
            return
        # imported here: only a process that sends reminders needs APScheduler (`stifinder ask` does not)
        from apscheduler.schedulers.asyncio import AsyncIOScheduler
        from apscheduler.triggers.cron import CronTrigger  # type: ignore[import-untyped]
        from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]

        policy = self.dispatcher.policy
        scheduler = AsyncIOScheduler(
            timezone=policy.tz, event_loop=asyncio.get_running_loop(),
            job_defaults={"misfire_grace_time": int(self.settings.misfire_grace.total_seconds()), "coalesce": True,
                          "max_instances": 1})
        now = datetime.now(timezone.utc)
        scheduler.add_job(self._guard(self.tick), IntervalTrigger(seconds=self.settings.tick_seconds),
                          id=DISPATCH_JOB, name=DISPATCH_JOB, replace_existing=True, next_run_time=now)
        digest_at = self.dispatcher.settings.digest_at
        if digest_at is not None:
            scheduler.add_job(self._guard(self.digest),
                              CronTrigger(day_of_week="mon-fri", hour=digest_at.hour, minute=digest_at.minute,
                                          timezone=policy.tz),
                              id=DIGEST_JOB, name=DIGEST_JOB, replace_existing=True)
        replan_at = self.settings.replan_at
        scheduler.add_job(self._guard(self.replan),
                          CronTrigger(hour=replan_at.hour, minute=replan_at.minute, timezone=policy.tz),
                          id=REPLAN_JOB, name=REPLAN_JOB, replace_existing=True)
        scheduler.start()
        self._scheduler = scheduler
        log.info("reminders scheduler started worker=%s tick_s=%s", self.dispatcher.worker, self.settings.tick_seconds)

    async def stop(self) -> None:
        """Stop the jobs; a tick under way may finish its sends (up to stop_timeout), then it is cancelled.

        A cancelled tick leaves its rows claimed; their leases run out and another tick sends them.
        """
        if self._scheduler is not None and self._scheduler.running:
            self._scheduler.shutdown(wait=False)
        self._scheduler = None
        if self._running:
            done, pending = await asyncio.wait(set(self._running), timeout=self.settings.stop_timeout)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        log.info("reminders scheduler stopped")

    async def tick(self) -> TickReport:
        """The dispatch job: the start-up replan once, today's digests when due, then send what is due."""
        if not self._replanned:
            await self.replan()
            self._replanned = True
        report = TickReport()
        report.planned_digests = await self.dispatcher.plan_digests()
        await self.dispatcher.tick(report)
        self.last_tick = report
        if report.settled or report.digests:
            log.info("reminders tick sent=%s retried=%s gave_up=%s waiting=%s dropped=%s digests=%s",
                     report.sent, report.retried, report.gave_up, report.waiting, report.dropped, report.digests)
        return report

    async def digest(self) -> TickReport:
        """The digest job: plan today's digests and send them."""
        report = TickReport()
        report.planned_digests = await self.dispatcher.plan_digests()
        await self.dispatcher.send_digests(report)
        return report

    async def replan(self) -> PlanResult:
        """The replan job: bring every open deadline's reminders in line with the plan now."""
        async with self._sessions.begin() as session:
            result = await plan_all(session, self.dispatcher.clock.now(), self.dispatcher.policy)
        log.info("reminders replanned added=%s moved=%s removed=%s", result.added, result.moved, result.removed)
        return result

    def _guard(self, job: Any) -> Any:
        """Wrap a job so that it is tracked (for stop) and never raises into APScheduler."""

        async def run() -> None:
            task = asyncio.current_task()
            if task is not None:
                self._running.add(task)
            try:
                await job()
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.error("reminders job failed job=%s error=%s", getattr(job, "__name__", "job"),
                          type(exc).__name__)
            finally:
                if task is not None:
                    self._running.discard(task)

        run.__name__ = getattr(job, "__name__", "job")
        return run
