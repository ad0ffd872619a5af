"""Sending due reminders and digests: claim in a short transaction, send outside it, settle in its own commit.

One tick: claim up to `batch` due rows with a lease (reminders.leases), check each against the
database in the same short transaction (deadline still open? slot still in the plan at that time?
recipient registered?), commit; send the rest through a `Notifier` (implemented by the bot, e.g.
Telegram) a few at a time; then for each, one commit that marks it sent (with the message id) and
plans the deadline's next overdue ping. Repeat until nothing is due.

Failures: `TryLater` (network, 5xx, 429 beyond the rate limiter) counts an attempt and frees the row
after an exponential backoff (first_backoff, doubling, capped at max_backoff); after max_attempts it
is given up. `Unreachable` (the caseworker blocked the bot) gives the row up at once (`gave_up_at`).
A caseworker without a Telegram id yet (not registered), or a case without a caseworker, makes the
row wait (unregistered_wait, not counted as an attempt); the daily replan replaces a waiting
overdue ping by the day's, so registering later brings at most one ping per deadline.

A worker that stalls (Telegram's 429 waited out inside the rate limiter, a slow network) must not send
what another worker took over: right before each send the claim is renewed (`leases.renew`), and a row
whose claim is no longer this worker's is left alone (`released`); while a message is in flight its claim
is renewed every `heartbeat`, so no other worker takes it as long as this process lives. The send rate
is one budget for every worker of the bot (reminders.pacing), not one per worker.

The duplicate window: a ping Telegram accepted is marked sent in a separate commit; a process that
dies between Telegram's answer and that commit leaves the row claimed, and after the lease runs out
another tick sends it again. So a reminder is delivered at least once and at most twice; a connection
dropped after Telegram accepted a message duplicates it too (the send is retried), see docs/telegram.md.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import partial
from itertools import count
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from reminders.clock import Clock, local_date
from reminders.digest import Digest, digest_items, plan_digests, plan_team_digests, team_digest_items
from reminders.leases import claim, drop, give_up, mark_sent, renew, reschedule, retry_later
from reminders.models import (CaseRecord, CaseworkerRecord, DeadlineRecord, DigestRecord, ReminderRecord,
                              TeamChatRecord, TeamDigestRecord)
from reminders.pacing import SharedPacer
from reminders.planner import ReminderPolicy, current_policy, instant_of, plan_deadlines
from reminders.rules import Rule

log = logging.getLogger(__name__)


class TryLater(Exception):
    """The send failed for now (network, server error, flood limit); try again after a backoff."""

    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.retry_after = retry_after


class Unreachable(Exception):
    """The recipient can never be reached this way (blocked the bot, deleted the chat): give up."""


@dataclass(frozen=True, slots=True)
class Ping:
    """One reminder as the recipient should see it."""

    reminder_id: int
    deadline_id: int
    chat_id: int
    language: str
    case: str
    rule: Rule
    due: date
    today: date
    slot: str

    @property
    def days_left(self) -> int:
        """Days until the due day (0 on the day, negative when overdue)."""
        return (self.due - self.today).days


class Notifier(Protocol):
    """Delivers pings and digests (bot.telegram.notifier.TelegramNotifier is the real one).

    Both return the id of the message sent, and raise TryLater or Unreachable when it was not.
    """

    async def send_ping(self, ping: Ping) -> int:
        """Send one reminder."""
        ...

    async def send_digest(self, digest: Digest) -> int:
        """Send one daily digest."""
        ...


@dataclass(frozen=True, slots=True)
class DispatchSettings:
    """How the dispatcher claims, sends and retries (config.yml `reminders:`)."""

    lease: timedelta = timedelta(minutes=2)
    batch: int = 50
    concurrency: int = 1
    first_backoff: timedelta = timedelta(seconds=30)
    max_backoff: timedelta = timedelta(hours=1)
    max_attempts: int = 12
    unregistered_wait: timedelta = timedelta(hours=1)
    max_per_tick: int = 10_000
    digest_at: time | None = time(7, 30)
    # Sends are spaced evenly to at most this many per second for the bot, across all workers together
    # (None: no pacing). Telegram allows about 30 messages a second per bot in all; the default leaves
    # room for the citizens' answers.
    max_per_second: float | None = 20.0
    # How often the claim of a message in flight is renewed (None: a third of the lease).
    heartbeat: timedelta | None = None

    @property
    def heartbeat_seconds(self) -> float:
        """Seconds between renewals of an in-flight message's claim."""
        return (self.heartbeat or self.lease / 3).total_seconds()

    def backoff(self, attempts: int) -> timedelta:
        """Return the wait after the n-th failed attempt (n >= 1): first_backoff doubling, capped."""
        wait: timedelta = min(self.first_backoff * (2 ** max(attempts - 1, 0)), self.max_backoff)
        return wait


@dataclass(slots=True)
class TickReport:
    """What one tick did."""

    sent: int = 0
    retried: int = 0
    gave_up: int = 0
    waiting: int = 0
    dropped: int = 0
    moved: int = 0
    lost: int = 0
    released: int = 0  # claimed, but taken over by another worker before this one sent it: not sent
    digests: int = 0
    empty_digests: int = 0
    planned_digests: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def settled(self) -> int:
        return self.sent + self.retried + self.gave_up + self.waiting + self.dropped + self.moved + self.lost


def worker_id() -> str:
    """Return a name for this process that no other worker has: host, pid and a random part."""
    return f"{socket.gethostname()[:24]}-{os.getpid()}-{uuid.uuid4().hex[:8]}"


class Dispatcher:
    """Sends what is due, safely alongside other dispatchers on the same database.

    Args:
        sessions: the database's session factory.
        notifier: delivers the messages.
        rules: the deadline rules (by id, for titles and sources).
        clock: tells "now".
        settings: claim, concurrency and retry settings.
        policy: the reminder plan; defaults to the process's configured one.
        worker: this worker's name in claimed_by; defaults to a unique one.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], notifier: Notifier, rules: Sequence[Rule],
                 clock: Clock, settings: DispatchSettings | None = None, policy: ReminderPolicy | None = None,
                 worker: str | None = None) -> None:
        self._sessions = sessions
        self._notifier = notifier
        self._rules: Mapping[str, Rule] = {rule.id: rule for rule in rules}
        self.clock = clock
        self.settings = settings or DispatchSettings()
        self._policy = policy
        self.worker = worker or worker_id()
        self._claims = count(1)
        self._pacer = SharedPacer(sessions, self.settings.max_per_second)

    @property
    def policy(self) -> ReminderPolicy:
        return self._policy or current_policy()

    def _token(self) -> str:
        return f"{self.worker}/{next(self._claims)}"

    async def tick(self, report: TickReport | None = None) -> TickReport:
        """Send every due reminder, then every due digest; return what happened."""
        report = report or TickReport()
        await self.send_reminders(report)
        await self.send_digests(report)
        return report

    async def plan_digests(self) -> int:
        """Add today's digest rows, caseworkers' and team chats' (on a working day, from the digest time on);
        return how many."""
        if self.settings.digest_at is None:
            return 0
        async with self._sessions.begin() as session:
            now, at = self.clock.now(), self.settings.digest_at
            return (await plan_digests(session, now, at, self.policy)
                    + await plan_team_digests(session, now, at, self.policy))

    # -- reminders ----------------------------------------------------------------------------

    async def send_reminders(self, report: TickReport | None = None) -> TickReport:
        """Claim and send due reminders until none is left (or max_per_tick were handled)."""
        report = report or TickReport()
        handled = 0
        while handled < self.settings.max_per_tick:
            token = self._token()
            pings = await self._claim_reminders(token, report)
            if pings is None:
                break
            handled += self.settings.batch
            await self._send_all([partial(self._deliver_ping, token, ping, report) for ping in pings])
        return report

    async def _claim_reminders(self, token: str, report: TickReport) -> list[Ping] | None:
        """Claim a batch and sort it out in one transaction; None when nothing was due."""
        now = self.clock.now()
        policy = self.policy
        today = local_date(now, policy.tz)
        async with self._sessions.begin() as session:
            ids = await claim(session, ReminderRecord, token, now, now + self.settings.lease, self.settings.batch)
            if not ids:
                return None
            rows = (await session.execute(
                select(ReminderRecord.id, ReminderRecord.slot, DeadlineRecord.id,
                       DeadlineRecord.rule_id, DeadlineRecord.due_on, DeadlineRecord.state,
                       DeadlineRecord.informational, CaseRecord.reference, CaseRecord.closed_at,
                       CaseworkerRecord.telegram_user_id, CaseworkerRecord.language)
                .join(DeadlineRecord, DeadlineRecord.id == ReminderRecord.deadline_id)
                .join(CaseRecord, CaseRecord.id == DeadlineRecord.case_id)
                .outerjoin(CaseworkerRecord, CaseworkerRecord.id == CaseRecord.caseworker_id)
                .where(ReminderRecord.id.in_(ids)).order_by(ReminderRecord.due_at, ReminderRecord.id))).all()
            pings = []
            for row in rows:
                (rid, slot, deadline_id, rule_id, due_on, state, informational, reference, closed_at, chat_id,
                 language) = tuple(row)
                wanted = instant_of(slot, due_on, policy)
                if state != "open" or informational or closed_at is not None or wanted is None:
                    report.dropped += await drop(session, rid, token)
                elif wanted > now:  # planned under another hour or offsets: wait for the configured time
                    report.moved += await reschedule(session, rid, token, wanted)
                elif rule_id not in self._rules:
                    log.warning("reminder gave up reminder=%s reason=unknown-rule", rid)
                    report.gave_up += await give_up(session, ReminderRecord, rid, token, now)
                elif chat_id is None:
                    report.waiting += await retry_later(session, ReminderRecord, rid, token,
                                                        now + self.settings.unregistered_wait, count_attempt=False)
                else:
                    pings.append(Ping(reminder_id=rid, deadline_id=deadline_id, chat_id=chat_id,
                                      language=language or "da", case=reference, rule=self._rules[rule_id],
                                      due=due_on, today=today, slot=slot))
        return pings

    async def _deliver_ping(self, token: str, ping: Ping, report: TickReport) -> None:
        outcome = await self._send_held(ReminderRecord, ping.reminder_id, token,
                                        lambda: self._notifier.send_ping(ping), report)
        if outcome is None:
            return
        now = self.clock.now()
        async with self._sessions.begin() as session:
            if isinstance(outcome, int):
                if await mark_sent(session, ReminderRecord, ping.reminder_id, token, now, outcome):
                    report.sent += 1
                    await plan_deadlines(session, [ping.deadline_id], now, self.policy)  # the next overdue ping
                else:
                    report.lost += 1
                    log.warning("reminder sent but its claim was lost reminder=%s", ping.reminder_id)
            else:
                await self._failed(session, ReminderRecord, ping.reminder_id, token, outcome, now, report)

    # -- digests ------------------------------------------------------------------------------

    async def send_digests(self, report: TickReport | None = None) -> TickReport:
        """Claim and send due digests; a digest with nothing to list is marked sent without a message."""
        report = report or TickReport()
        for model, claim_them in ((DigestRecord, self._claim_digests), (TeamDigestRecord, self._claim_team_digests)):
            while True:
                token = self._token()
                digests = await claim_them(token, report)
                if digests is None:
                    break
                await self._send_all([partial(self._deliver_digest, token, digest, report, model)
                                      for digest in digests])
        return report

    async def _claim_digests(self, token: str, report: TickReport) -> list[Digest] | None:
        now = self.clock.now()
        async with self._sessions.begin() as session:
            ids = await claim(session, DigestRecord, token, now, now + self.settings.lease, self.settings.batch)
            if not ids:
                return None
            rows = (await session.execute(
                select(DigestRecord.id, DigestRecord.day, CaseworkerRecord.id, CaseworkerRecord.telegram_user_id,
                       CaseworkerRecord.language)
                .join(CaseworkerRecord, CaseworkerRecord.id == DigestRecord.caseworker_id)
                .where(DigestRecord.id.in_(ids)))).all()
            digests = []
            for digest_id, day, caseworker_id, chat_id, language in rows:
                items = await digest_items(session, caseworker_id, day, self._rules)
                if chat_id is None:
                    report.waiting += await retry_later(session, DigestRecord, digest_id, token,
                                                        now + self.settings.unregistered_wait, count_attempt=False)
                elif not items:
                    report.empty_digests += await mark_sent(session, DigestRecord, digest_id, token, now)
                else:
                    digests.append(Digest(digest_id=digest_id, caseworker_id=caseworker_id, chat_id=chat_id,
                                          language=language or "da", day=day, items=tuple(items)))
        return digests

    async def _claim_team_digests(self, token: str, report: TickReport) -> list[Digest] | None:
        """Claim due team digests; one with nothing overdue left is marked sent without a message."""
        now = self.clock.now()
        async with self._sessions.begin() as session:
            ids = await claim(session, TeamDigestRecord, token, now, now + self.settings.lease, self.settings.batch)
            if not ids:
                return None
            rows = (await session.execute(
                select(TeamDigestRecord.id, TeamDigestRecord.day, TeamChatRecord.team, TeamChatRecord.telegram_chat_id,
                       TeamChatRecord.digest)
                .join(TeamChatRecord, TeamChatRecord.id == TeamDigestRecord.team_chat_id)
                .where(TeamDigestRecord.id.in_(ids)))).all()
            digests = []
            for digest_id, day, team, chat_id, wanted in rows:
                items = await team_digest_items(session, team, day, self._rules) if wanted else []
                if not items or chat_id is None:  # nothing overdue any more, or the chat turned the digest off
                    report.empty_digests += await mark_sent(session, TeamDigestRecord, digest_id, token, now)
                else:
                    digests.append(Digest(digest_id=digest_id, caseworker_id=None, chat_id=chat_id, language="da",
                                          day=day, items=tuple(items), team=team))
        return digests

    async def _deliver_digest(self, token: str, digest: Digest, report: TickReport,
                              model: type[DigestRecord] | type[TeamDigestRecord] = DigestRecord) -> None:
        outcome = await self._send_held(model, digest.digest_id, token,
                                        lambda: self._notifier.send_digest(digest), report)
        if outcome is None:
            return
        now = self.clock.now()
        async with self._sessions.begin() as session:
            if isinstance(outcome, int):
                if await mark_sent(session, model, digest.digest_id, token, now):
                    report.digests += 1
                else:
                    report.lost += 1
            else:
                await self._failed(session, model, digest.digest_id, token, outcome, now, report)

    # -- shared -------------------------------------------------------------------------------

    async def _send_all(self, jobs: list[Callable[[], Awaitable[None]]]) -> None:
        """Run the deliveries, at most `concurrency` at a time, paced."""
        gate = asyncio.Semaphore(self.settings.concurrency)

        async def guarded(job: Callable[[], Awaitable[None]]) -> None:
            async with gate:
                await self._pacer.wait()
                await job()

        await asyncio.gather(*(guarded(job) for job in jobs))

    async def _send_held(self, model: type[ReminderRecord] | type[DigestRecord] | type[TeamDigestRecord], row_id: int, token: str,
                         call: Callable[[], Awaitable[int]], report: TickReport) -> int | Exception | None:
        """Send only while this worker holds the row's claim, and keep holding it while the message is in
        flight; None when another worker had taken it over (nothing sent)."""
        if not await self._renew(model, row_id, token):
            report.released += 1
            log.info("delivery left to another worker table=%s id=%s", model.__tablename__, row_id)
            return None
        beat = asyncio.create_task(self._heartbeat(model, row_id, token))
        try:
            return await self._send(call)
        finally:
            beat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await beat

    async def _renew(self, model: type[ReminderRecord] | type[DigestRecord] | type[TeamDigestRecord], row_id: int, token: str) -> bool:
        async with self._sessions.begin() as session:
            return await renew(session, model, row_id, token, self.clock.now() + self.settings.lease)

    async def _heartbeat(self, model: type[ReminderRecord] | type[DigestRecord] | type[TeamDigestRecord], row_id: int, token: str) -> None:
        """Renew the claim of a message in flight until it is settled (cancelled by the sender)."""
        while True:
            await asyncio.sleep(self.settings.heartbeat_seconds)
            if not await self._renew(model, row_id, token):
                log.warning("claim lost while sending table=%s id=%s", model.__tablename__, row_id)
                return

    @staticmethod
    async def _send(call: Callable[[], Awaitable[int]]) -> int | Exception:
        """Run a notifier call; return the message id or the failure (never raise for a delivery fault)."""
        try:
            return await call()
        except (TryLater, Unreachable) as exc:
            return exc
        except Exception as exc:  # a bug or an unexpected library error: retried, and logged by type only
            log.error("reminder send failed error=%s", type(exc).__name__)
            return TryLater(type(exc).__name__)

    async def _failed(self, session: AsyncSession, model: type[ReminderRecord] | type[DigestRecord] | type[TeamDigestRecord], row_id: int,
                      token: str, failure: Exception, now: datetime, report: TickReport) -> None:
        attempts = (await session.scalar(select(model.attempts).where(model.id == row_id)) or 0) + 1
        if isinstance(failure, Unreachable) or attempts >= self.settings.max_attempts:
            log.info("reminder gave up table=%s id=%s reason=%s", model.__tablename__, row_id, type(failure).__name__)
            report.gave_up += await give_up(session, model, row_id, token, now)
            return
        wait = self.settings.backoff(attempts)
        if isinstance(failure, TryLater) and failure.retry_after:
            wait = max(wait, timedelta(seconds=failure.retry_after))
        log.info("reminder retry table=%s id=%s attempt=%s wait_s=%s", model.__tablename__, row_id, attempts,
                 int(wait.total_seconds()))
        report.retried += await retry_later(session, model, row_id, token, now + wait)
