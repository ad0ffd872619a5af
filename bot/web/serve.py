"""`stifinder serve`: the web chat under uvicorn, until SIGINT or SIGTERM."""

from __future__ import annotations

import asyncio
import logging
import signal
from types import FrameType
from typing import TYPE_CHECKING

from bot.config import ConfigError, Settings
from bot.web.app import create_web_app
from bot.web.config import WebSettings

if TYPE_CHECKING:
    from starlette.applications import Starlette

    from bot.telegram.webhook import TelegramWebhook

log = logging.getLogger(__name__)


def serve(settings: Settings, web: WebSettings, workers: int = 1) -> int:
    """Serve the web chat on web.host:web.port; return 0 after a stop by SIGTERM or SIGINT.

    Several workers (uvicorn's processes) need PostgreSQL: a conversation's turns and its replies go through
    the database (bot/web/relay.py).

    Raises:
        ConfigError: several workers without PostgreSQL, or fewer than one.
    """
    import uvicorn

    from bot.wiring import App, build_app

    if workers < 1:
        raise ConfigError("--workers must be at least 1")
    if workers > 1:
        if not settings.database_url.startswith("postgresql"):
            raise ConfigError("several workers share the conversations through PostgreSQL: set database.url (or "
                              "STIFINDER_DATABASE_URL) to a PostgreSQL database, or run one worker")
        # Each worker process builds its own assistant from the same configuration (worker_app).
        uvicorn.run("bot.web.serve:worker_app", factory=True, workers=workers, host=web.host, port=web.port,
                    access_log=False, log_config=None, server_header=False, proxy_headers=False,
                    timeout_graceful_shutdown=10)
        return 0
    telegram = _telegram(settings)

    async def build() -> App:
        return await build_app(settings)

    application = create_web_app(web, build, telegram)

    class Server(uvicorn.Server):
        """uvicorn's server, which also ends the open event streams when asked to stop: they never end by
        themselves, and uvicorn waits for every open response before it shuts the application down."""

        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            super().handle_exit(sig, frame)
            _end_streams(application)

    # No access log (it would hold addresses and paths with session ids), no Server header, our own logging.
    config = uvicorn.Config(application, host=web.host, port=web.port, access_log=False, log_config=None,
                            server_header=False, proxy_headers=False, lifespan="on", timeout_graceful_shutdown=10)
    # uvicorn raises the stopping signal again once it has shut down; SIGTERM is the ordinary way to stop a
    # service, so it then ends the process with 0 instead of being killed by its own signal.
    previous = signal.signal(signal.SIGTERM, lambda number, frame: None)
    try:
        Server(config).run()
    finally:
        signal.signal(signal.SIGTERM, previous)
    log.info("web chat stopped")
    return 0


def worker_app() -> Starlette:
    """One worker's application when `stifinder serve --workers N` runs several (uvicorn imports this)."""
    from bot.config import load_settings
    from bot.logs import setup_logging
    from bot.web.config import load_web_settings
    from bot.wiring import App, build_app

    setup_logging("WARNING")
    settings = load_settings()
    web = load_web_settings(settings)  # its limits; uvicorn has the address

    async def build() -> App:
        app = await build_app(settings)
        app.one_of_several = True
        return app

    return create_web_app(web, build, _telegram(settings))


def _telegram(settings: Settings) -> TelegramWebhook | None:
    """Telegram's webhook on this server when a token is set and `telegram.mode` is webhook; in polling mode
    `stifinder run` serves Telegram in its own process."""
    from bot.telegram.config import bot_token, load_telegram_settings, webhook_secret
    from bot.telegram.webhook import TelegramWebhook

    token = bot_token()
    if token is None:
        return None
    telegram = load_telegram_settings(settings)
    if telegram.mode != "webhook":
        return None
    secret = webhook_secret()
    if not telegram.webhook.url:
        raise ConfigError("telegram.webhook.url must be set for telegram.mode: webhook")
    if secret is None:
        raise ConfigError("set TELEGRAM_WEBHOOK_SECRET for telegram.mode: webhook")
    return TelegramWebhook(settings, telegram, token, secret)


def _end_streams(application: Starlette) -> None:
    chat = getattr(application.state, "chat", None)
    if chat is None:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return
    loop.call_soon_threadsafe(chat.conversations.close_all)
