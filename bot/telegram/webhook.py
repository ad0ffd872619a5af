"""Telegram's webhook served by the web chat's server (`stifinder serve`): one server and one port for both
channels. python-telegram-bot's Application runs without its own web server: each update Telegram posts is
checked for the secret token and put on the Application's update queue.
"""

from __future__ import annotations

import hmac
import json
import logging
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from telegram import Update
from telegram.ext import Application

from bot.config import Secret, Settings
from bot.telegram.application import ALLOWED_UPDATES, build_application
from bot.telegram.config import TelegramSettings
from bot.telegram.notifier import build_reminders
from bot.wiring import App

log = logging.getLogger(__name__)
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
MAX_UPDATE = 1024 * 1024


class TelegramWebhook:
    """The Telegram channel behind a route of another ASGI server.

    Args:
        settings: the configuration (for the reminders' policy).
        telegram: the `telegram:` section; `webhook.url` is the public URL Telegram posts to and
            `webhook.url_path` the route's path.
        token: the bot's token.
        secret: the secret token Telegram sends with each update (TELEGRAM_WEBHOOK_SECRET).
    """

    def __init__(self, settings: Settings, telegram: TelegramSettings, token: Secret, secret: Secret) -> None:
        self._settings = settings
        self._telegram = telegram
        self._token = token
        self._secret = secret
        self._application: Application[Any, Any, Any, Any, Any, Any] | None = None

    @property
    def path(self) -> str:
        return "/" + self._telegram.webhook.url_path

    async def start(self, app: App) -> None:
        """Start the channel (and the caseworkers' reminders) and tell Telegram where to post."""
        application = build_application(app, self._telegram, self._token,
                                        reminders=build_reminders(self._settings, app.database))
        await application.initialize()
        if application.post_init is not None:
            await application.post_init(application)
        await application.start()
        await application.bot.set_webhook(self._telegram.webhook.url, secret_token=self._secret.reveal(),
                                          allowed_updates=ALLOWED_UPDATES)
        self._application = application
        log.info("telegram webhook ready")

    async def stop(self) -> None:
        application, self._application = self._application, None
        if application is None:
            return
        await application.stop()
        if application.post_stop is not None:
            await application.post_stop(application)
        await application.shutdown()

    async def receive(self, request: Request) -> Response:
        """One update from Telegram: refused without the secret token, else queued for the channel."""
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), self._secret.reveal().encode()):
            return Response(status_code=403)
        application = self._application
        if application is None:
            return Response(status_code=503)
        body = await request.body()
        if len(body) > MAX_UPDATE:
            return Response(status_code=413)
        try:
            data = json.loads(body)
            update = Update.de_json(data, application.bot)
        except (ValueError, TypeError, KeyError):
            return JSONResponse({"error": "not a Telegram update"}, status_code=400)
        if update is None:
            return JSONResponse({"error": "not a Telegram update"}, status_code=400)
        await application.update_queue.put(update)
        return Response(status_code=200)
