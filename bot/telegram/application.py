"""Builds the python-telegram-bot Application around the channel, and runs it (`stifinder run`).

Owns the Bot API plumbing: base URLs (Telegram's or a local Bot API server), HTTP timeouts,
retries (bot.telegram.request), AIORateLimiter for Telegram's flood limits and 429s, the command
menu at start-up, long polling or a webhook with Telegram's secret token, and a clean stop on
SIGINT/SIGTERM. Knows nothing about what is said.
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
from dataclasses import replace
from typing import Any
from zoneinfo import ZoneInfo

from telegram.ext import AIORateLimiter, Application, ApplicationBuilder, BaseRateLimiter, Defaults
from telegram.request import HTTPXRequest

from bot.config import ConfigError, Secret, Settings
from bot.telegram.channel import TelegramChannel
from bot.telegram.config import TelegramSettings
from bot.telegram.notifier import Reminders, build_reminders
from bot.telegram.request import RetryingRequest
from bot.wiring import App, build_app

log = logging.getLogger(__name__)

ALLOWED_UPDATES = ["message", "edited_message", "callback_query"]
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def build_application(app: App, settings: TelegramSettings, token: Secret, base_url: str | None = None, *,
                      channel: TelegramChannel | None = None,
                      rate_limiter: BaseRateLimiter[Any] | None = None,
                      reminders: Reminders | None = None) -> Application[Any, Any, Any, Any, Any, Any]:
    """Return an Application wired to the channel's handlers, not yet initialised.

    Args:
        app: the wired assistant.
        settings: the Telegram settings (timeouts, retries, time zone).
        token: the bot token from BotFather.
        base_url: the Bot API base ending in /bot. Defaults to settings.base_url.
        channel: the channel to use. Defaults to a TelegramChannel over `app` (every role: the engine
            learns who wrote).
        rate_limiter: defaults to AIORateLimiter (30 messages/s overall, 20/min per group) that
            waits out a 429's retry_after up to settings.rate_limit_retries times.
        reminders: caseworker reminders (bot.telegram.notifier): their scheduler starts in post_init
            and stops in post_stop. Defaults to none.
    """
    # Opt in to python-telegram-bot's coming time-period type (timedelta): without it every 429
    # (RetryAfter) raises a PTBDeprecationWarning inside the library itself.
    os.environ.setdefault("PTB_TIMEDELTA", "true")
    if base_url:
        settings = replace(settings, base_url=base_url.rstrip("/"), base_file_url="")
    channel = channel or TelegramChannel(app)
    timeouts: dict[str, Any] = {"connect_timeout": settings.connect_timeout, "read_timeout": settings.read_timeout,
                                "write_timeout": settings.write_timeout, "pool_timeout": settings.pool_timeout}
    sends = RetryingRequest(attempts=settings.send_attempts, backoff=settings.retry_backoff,
                            connection_pool_size=64, **timeouts)
    updates = HTTPXRequest(connection_pool_size=2, **timeouts)  # the Updater retries getUpdates itself

    async def on_start(application: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await channel.register_commands(application.bot)
        channel.reach_people(application.bot)
        app.open_queue_when_reachable()
        if reminders is not None:
            reminders.start(application.bot)

    async def on_stop(_: Application[Any, Any, Any, Any, Any, Any]) -> None:
        if reminders is not None:
            await reminders.stop()

    application = (
        ApplicationBuilder()
        .token(token.reveal())
        .base_url(settings.base_url)
        .base_file_url(settings.file_url)
        .request(sends)
        .get_updates_request(updates)
        .rate_limiter(rate_limiter or AIORateLimiter(max_retries=settings.rate_limit_retries))
        .defaults(Defaults(tzinfo=ZoneInfo(settings.timezone)))
        .post_init(on_start)
        .post_stop(on_stop)
        .build()
    )
    application.add_handlers(channel.handlers())
    application.add_error_handler(channel.on_error)
    return application


def serve(settings: Settings, telegram: TelegramSettings, token: Secret, webhook_secret: Secret | None) -> int:
    """Run the bot until SIGINT or SIGTERM: long polling, or a webhook checking Telegram's secret token.

    Raises:
        ConfigError: webhook mode without a public URL or without TELEGRAM_WEBHOOK_SECRET.
    """
    if telegram.mode == "webhook":
        if not telegram.webhook.url:
            raise ConfigError("telegram.webhook.url must be set for telegram.mode: webhook")
        if webhook_secret is None:
            raise ConfigError("set TELEGRAM_WEBHOOK_SECRET for telegram.mode: webhook")
    # python-telegram-bot runs its own event loop; the assistant is built on that same loop first.
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    app = loop.run_until_complete(build_app(settings))
    reminders = build_reminders(settings, app.database)
    application = build_application(app, telegram, token, reminders=reminders)

    async def close(_: Application[Any, Any, Any, Any, Any, Any]) -> None:
        await app.close()

    application.post_shutdown = close
    log.info("telegram starting mode=%s", telegram.mode)
    if telegram.mode == "webhook" and webhook_secret is not None:
        application.run_webhook(
            listen=telegram.webhook.listen, port=telegram.webhook.port, url_path=telegram.webhook.url_path,
            webhook_url=telegram.webhook.url, secret_token=webhook_secret.reveal(),
            allowed_updates=ALLOWED_UPDATES, stop_signals=STOP_SIGNALS)
    else:
        application.run_polling(timeout=int(telegram.poll_timeout), allowed_updates=ALLOWED_UPDATES,
                                stop_signals=STOP_SIGNALS)
    log.info("telegram stopped")
    return 0
