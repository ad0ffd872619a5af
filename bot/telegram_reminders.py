"""Caseworker reminders in Telegram: the Notifier that sends pings and digests, and the ping's buttons.

A ping is a private message with three inline buttons whose callback data is `rem:done:<id>`,
`rem:snooze:<id>` or `rem:case:<id>` (the reminder's id; at most 22 bytes of Telegram's 64):

- done records the event that meets the deadline (the rule's first `met_by` kind, today) *for that
  deadline*: it meets exactly the deadline pressed (reminders.rules, `Event.target`), never another of its
  series, and the confirmation names it; the case's deadlines are recomputed, which removes its unsent pings;
- snooze plans one more ping on the next working day at the ping hour;
- case sends the case's deadlines as a new message.

Only the case's caseworker, or a caseworker of the same team, may press them; anyone else gets a
short refusal. Every press is answered, and done/snooze edit the ping to say what was done (its
buttons go). The handlers run in group -2 (REMINDERS_GROUP) and stop the update there, so neither
the staff handlers (group -1) nor the citizen channel's button handler ever see a `rem:` payload.
Nothing personal is logged: reminder ids and outcomes.

`Reminders` bundles it for `stifinder run`: `handlers()` for the Application, `start(bot)` in
post_init and `stop()` at shutdown (bot.telegram_app does both).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, Message, Update
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import ApplicationHandlerStop, BaseHandler, CallbackQueryHandler, ContextTypes

from bot.config import Settings
from bot.reminders_config import RemindersConfig, load_reminders_config
from dialogs.caseworker.pings import button_labels, case_lines, digest_lines, done_line, ping_lines, snoozed_line, text
from reminders import (CaseRecord, CaseworkerRecord, Clock, DeadlineRecord, ReminderRecord, Rule, Status,
                       SystemClock, Target, load_rules, local_today, record_event, status_on)
from reminders.digest import Digest
from reminders.dispatch import Dispatcher, Ping, TryLater, Unreachable
from reminders.planner import ReminderPolicy, current_policy, snooze, use_policy
from reminders.scheduler import ReminderScheduler

log = logging.getLogger(__name__)

PREFIX = "rem"
# Before the staff handlers (group -1, which answer every other callback) and the citizen channel (0).
REMINDERS_GROUP = -2
CALLBACK = re.compile(r"^rem:(done|snooze|case):(\d{1,18})$")
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def callback_data(action: str, reminder_id: int) -> str:
    """Return a button's payload, e.g. "rem:done:42"."""
    return f"{PREFIX}:{action}:{reminder_id}"


def _html(lines: Sequence[str]) -> str:
    """Escape the lines and make the first one the heading."""
    head, *rest = [html.escape(line) for line in lines]
    return "\n".join([f"<b>{head}</b>", *rest])


class TelegramNotifier:
    """Sends pings and digests with a Bot; maps Telegram's failures to TryLater and Unreachable."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def send_ping(self, ping: Ping) -> int:
        """Send a reminder with its three buttons; return the message id."""
        done, later, case = button_labels(ping.language)
        markup = InlineKeyboardMarkup([
            [InlineKeyboardButton(done, callback_data=callback_data("done", ping.reminder_id)),
             InlineKeyboardButton(later, callback_data=callback_data("snooze", ping.reminder_id))],
            [InlineKeyboardButton(case, callback_data=callback_data("case", ping.reminder_id))],
        ])
        return await self._send(ping.chat_id, _html(ping_lines(ping)), markup)

    async def send_digest(self, digest: Digest) -> int:
        """Send a daily digest; return the message id."""
        return await self._send(digest.chat_id, _html(digest_lines(digest)), None)

    async def _send(self, chat_id: int, body: str, markup: InlineKeyboardMarkup | None) -> int:
        try:
            message = await self._bot.send_message(chat_id, body, parse_mode=ParseMode.HTML, reply_markup=markup,
                                                   link_preview_options=NO_PREVIEW)
        except Forbidden as exc:  # blocked the bot, or deactivated
            raise Unreachable("forbidden") from exc
        except RetryAfter as exc:  # the rate limiter gave up waiting: try again after Telegram's wait
            raise TryLater("retry-after", retry_after=_seconds(exc.retry_after)) from exc
        except BadRequest as exc:
            if "chat not found" in exc.message.lower():
                raise Unreachable("chat-not-found") from exc
            raise TryLater("bad-request") from exc
        except (NetworkError, TelegramError) as exc:  # TimedOut is a NetworkError: the ping may have arrived
            raise TryLater(type(exc).__name__) from exc
        return message.message_id


def _seconds(value: Any) -> float:
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class ReminderButtons:
    """The `rem:` callback handlers.

    Args:
        sessions: the database's session factory.
        rules: the deadline rules.
        clock: tells "now".
        policy: the plan (snooze hour); defaults to the process's configured one.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession], rules: Sequence[Rule], clock: Clock,
                 policy: ReminderPolicy | None = None) -> None:
        self._sessions = sessions
        self._rules = list(rules)
        self._by_id = {rule.id: rule for rule in rules}
        self._clock = clock
        self._policy = policy

    @property
    def policy(self) -> ReminderPolicy:
        return self._policy or current_policy()

    def handlers(self) -> list[BaseHandler[Any, Any, Any]]:
        """Return the handlers for `rem:` callbacks (add them in group REMINDERS_GROUP)."""
        return [CallbackQueryHandler(self.on_press, pattern=CALLBACK)]

    async def on_press(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Check who pressed, do what the button says, answer the query and edit the ping; stop the update."""
        query = update.callback_query
        user = update.effective_user
        match = CALLBACK.match(query.data or "") if query is not None else None
        if query is None or user is None or match is None:
            raise ApplicationHandlerStop
        action, reminder_id = match.group(1), int(match.group(2))
        outcome = await self._act(action, reminder_id, user.id)
        try:
            await query.answer(outcome.alert, show_alert=outcome.alert is not None)
        except BadRequest:  # too old to answer; what was done stands
            log.info("reminder button query too old to answer")
        message = query.message if isinstance(query.message, Message) else None
        if message is not None and outcome.note is not None:
            await _mark(message, outcome.note)
        if message is not None and outcome.reply:
            await context.bot.send_message(message.chat_id, _html(outcome.reply), parse_mode=ParseMode.HTML,
                                           link_preview_options=NO_PREVIEW)
        log.info("reminder button action=%s reminder=%s outcome=%s", action, reminder_id, outcome.kind)
        raise ApplicationHandlerStop

    async def _act(self, action: str, reminder_id: int, telegram_user_id: int) -> _Outcome:
        now = self._clock.now()
        policy = self.policy
        today = local_today(self._clock, policy.tz)
        async with self._sessions.begin() as session:
            found = (await session.execute(
                select(ReminderRecord, DeadlineRecord, CaseRecord)
                .join(DeadlineRecord, DeadlineRecord.id == ReminderRecord.deadline_id)
                .join(CaseRecord, CaseRecord.id == DeadlineRecord.case_id)
                .where(ReminderRecord.id == reminder_id)
                # Two presses at once (two workers): the second waits here and then finds the deadline closed.
                .with_for_update(of=DeadlineRecord))).first()
            presser = await session.scalar(select(CaseworkerRecord)
                                           .where(CaseworkerRecord.telegram_user_id == telegram_user_id))
            lang = presser.language if presser is not None else "da"
            if found is None:
                return _Outcome("gone", alert=text("gone", lang))
            _, deadline, case = found
            owner = await session.get(CaseworkerRecord, case.caseworker_id) if case.caseworker_id else None
            if not _may_press(presser, owner):
                return _Outcome("refused", alert=text("refused", lang))
            if action == "case":
                return _Outcome("shown", reply=await self._case_lines(session, case, today, lang))
            if deadline.state != Status.OPEN.value:
                return _Outcome("closed", note=text("done_already", lang))
            if action == "done":
                rule = self._by_id.get(deadline.rule_id)
                if rule is None or not rule.met_by:
                    return _Outcome("gone", alert=text("gone", lang))
                kind = rule.met_by[0]
                recorded = await record_event(session, case, kind, today, now, self._rules, today, policy,
                                              target=Target(deadline.rule_id, deadline.anchor_event_id))
                if not recorded.closed:  # its window is not open yet: recorded, and the deadline stays open
                    return _Outcome("not_yet", note=done_line(rule, kind, today, lang, rule.opens(deadline.due_on)))
                return _Outcome("done", note=done_line(rule, kind, today, lang))
            planned = await snooze(session, deadline.id, now, policy)
            return _Outcome("snoozed", note=snoozed_line(planned.due_at.astimezone(policy.tz), lang))

    async def _case_lines(self, session: AsyncSession, case: CaseRecord, today: date, lang: str) -> list[str]:
        rows = await session.scalars(select(DeadlineRecord).where(DeadlineRecord.case_id == case.id)
                                     .order_by(DeadlineRecord.due_on, DeadlineRecord.id))
        listed = [(self._by_id.get(row.rule_id), row.rule_id, row.due_on,
                   status_on(Status(row.state), row.due_on, row.informational, today)) for row in rows]
        return case_lines(case.reference, listed, today, lang)


@dataclass(frozen=True, slots=True)
class _Outcome:
    kind: str
    note: str | None = None
    alert: str | None = None
    reply: list[str] = field(default_factory=list)


def _may_press(presser: CaseworkerRecord | None, owner: CaseworkerRecord | None) -> bool:
    """The case's caseworker, or a registered caseworker of the same team."""
    if presser is None or owner is None:
        return False
    return presser.id == owner.id or (presser.team is not None and presser.team == owner.team)


async def _mark(message: Message, note: str) -> None:
    """Add what was done under the ping and take its buttons away."""
    body = f"{message.text or ''}\n\n{note}"
    try:
        await message.edit_text(body, link_preview_options=NO_PREVIEW, reply_markup=None)
    except BadRequest:  # too old to edit, or already edited by an earlier press
        log.info("reminder ping not marked")


class Reminders:
    """Reminders for `stifinder run`: the buttons now, the scheduler from `start(bot)` to `stop()`.

    Args:
        config: the `reminders:` settings.
        sessions: the database's session factory.
        rules: the deadline rules (default: reminders/rules/*.yml).
        clock: tells "now" (default: the system clock).
    """

    def __init__(self, config: RemindersConfig, sessions: async_sessionmaker[AsyncSession],
                 rules: Sequence[Rule] | None = None, clock: Clock | None = None) -> None:
        self.config = config
        self._sessions = sessions
        self._rules = list(rules) if rules is not None else load_rules()
        self._clock = clock or SystemClock()
        self.buttons = ReminderButtons(sessions, self._rules, self._clock, config.policy)
        self.scheduler: ReminderScheduler | None = None

    def handlers(self) -> list[BaseHandler[Any, Any, Any]]:
        """Return the `rem:` button handlers (bot.telegram_app adds them in group REMINDERS_GROUP)."""
        return self.buttons.handlers()

    def start(self, bot: Bot) -> ReminderScheduler | None:
        """Start the scheduler on the running loop, sending through `bot` (nothing when disabled)."""
        if not self.config.enabled or self.scheduler is not None:
            return self.scheduler
        dispatcher = Dispatcher(self._sessions, TelegramNotifier(bot), self._rules, self._clock,
                                self.config.dispatch, self.config.policy)
        self.scheduler = ReminderScheduler(dispatcher, self._sessions, self.config.schedule)
        self.scheduler.start()
        return self.scheduler

    async def stop(self) -> None:
        """Stop the scheduler (a tick under way may finish its sends first)."""
        if self.scheduler is not None:
            await self.scheduler.stop()
            self.scheduler = None


def build_reminders(settings: Settings, database: AsyncEngine, clock: Clock | None = None) -> Reminders:
    """Read the `reminders:` config, make its plan this process's default, and return the reminders.

    Raises:
        ConfigError: the `reminders:` section is malformed.
    """
    config = load_reminders_config(settings)
    use_policy(config.policy)
    return Reminders(config, async_sessionmaker(database, expire_on_commit=False), clock=clock)


__all__ = ["CALLBACK", "REMINDERS_GROUP", "ReminderButtons", "Reminders", "TelegramNotifier", "build_reminders",
           "callback_data"]
