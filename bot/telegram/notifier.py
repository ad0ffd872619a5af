"""Caseworker reminders in Telegram: the Notifier that sends pings and digests, and the scheduler's lifetime.

A ping is a private message with three inline buttons whose callback data is `rem:done:<id>`,
`rem:snooze:<id>` or `rem:case:<id>` (the reminder's id; at most 22 bytes of Telegram's 64). A press
is a turn of the engine like any other (dialogs.caseworker.desk → reminders.presses, which checks who
may press): the channel answers it with the engine's pop-up or adds its line under the ping.
Nothing personal is logged: reminder ids and outcomes.

`Reminders` bundles the scheduler for `stifinder run`: `start(bot)` in post_init and `stop()` at
shutdown (bot.telegram.application does both).
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Sequence
from datetime import timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions
from telegram.constants import ParseMode
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError

from bot.config import Settings
from bot.reminders_config import RemindersConfig, load_reminders_config
from dialogs.caseworker.pings import button_labels, digest_lines, ping_lines
from reminders import Clock, Rule, SystemClock, load_rules
from reminders.digest import Digest
from reminders.dispatch import Dispatcher, Ping, TryLater, Unreachable
from reminders.scheduler import ReminderScheduler

log = logging.getLogger(__name__)

PREFIX = "rem"
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
        self.scheduler: ReminderScheduler | None = None

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
    """Read the `reminders:` config and return the reminders (their dispatcher plans with its policy).

    Raises:
        ConfigError: the `reminders:` section is malformed.
    """
    config = load_reminders_config(settings)
    return Reminders(config, async_sessionmaker(database, expire_on_commit=False), clock=clock)


__all__ = ["CALLBACK", "Reminders", "TelegramNotifier", "build_reminders", "callback_data"]
