"""The `telegram:` section of config.yml and the Telegram environment variables, as frozen settings.

Every key is optional and has the default written in config.yml. Secrets come only from the
environment: TELEGRAM_BOT_TOKEN and TELEGRAM_WEBHOOK_SECRET. TELEGRAM_BASE_URL overrides
`telegram.base_url` (a local Bot API server). A malformed key fails naming the key, never the value.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Mapping

from bot.config import ConfigError, Secret, Settings

DEFAULT_BASE_URL = "https://api.telegram.org/bot"
# Telegram accepts 1-256 characters A-Z, a-z, 0-9, _ and - as a webhook secret token.
_SECRET_TOKEN = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


@dataclass(frozen=True, slots=True)
class WebhookSettings:
    """Where the webhook server listens and the public URL Telegram posts to."""

    listen: str = "127.0.0.1"
    port: int = 8443
    url_path: str = "telegram"
    url: str = ""


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    """How the bot reaches the Bot API and receives updates.

    Args:
        base_url: the Bot API base, ending in /bot. Defaults to Telegram's.
        base_file_url: the file download base. Defaults to base_url with /file inserted.
        mode: "polling" or "webhook". Defaults to "polling".
        poll_timeout: the long-poll timeout of getUpdates, in seconds.
        connect_timeout, read_timeout, write_timeout, pool_timeout: HTTP timeouts for sends, in seconds.
        send_attempts: how often a send is tried on network faults and 5xx answers.
        retry_backoff: the first wait between such attempts, in seconds.
        rate_limit_retries: how often a 429 is waited out (AIORateLimiter's max_retries).
        webhook: the webhook server's settings.
        timezone: for python-telegram-bot's Defaults (its JobQueue).
    """

    base_url: str = DEFAULT_BASE_URL
    base_file_url: str = ""
    mode: str = "polling"
    poll_timeout: float = 10.0
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    write_timeout: float = 15.0
    pool_timeout: float = 5.0
    send_attempts: int = 5
    retry_backoff: float = 0.25
    rate_limit_retries: int = 3
    webhook: WebhookSettings = WebhookSettings()
    timezone: str = "Europe/Copenhagen"

    @property
    def file_url(self) -> str:
        """Return the file base URL: configured, or derived from base_url (…/bot → …/file/bot)."""
        if self.base_file_url:
            return self.base_file_url
        if self.base_url.endswith("/bot"):
            return self.base_url.removesuffix("/bot") + "/file/bot"
        return self.base_url.rstrip("/") + "/file"


def load_telegram_settings(settings: Settings, environ: Mapping[str, str] | None = None) -> TelegramSettings:
    """Read the `telegram:` section of the settings' config file and TELEGRAM_BASE_URL."""
    env = os.environ if environ is None else environ
    cfg = settings.optional("telegram")
    hook = cfg.section("webhook")
    mode = cfg.get("mode", str, "polling")
    if mode not in ("polling", "webhook"):
        raise ConfigError(f"{settings.path.name}: telegram.mode must be 'polling' or 'webhook'")
    base_url = env.get("TELEGRAM_BASE_URL") or cfg.get("base_url", str, DEFAULT_BASE_URL)
    if not base_url.startswith(("http://", "https://")):
        raise ConfigError(f"{settings.path.name}: telegram.base_url (or TELEGRAM_BASE_URL) must be an http(s) URL")
    return TelegramSettings(
        base_url=base_url.rstrip("/"),
        base_file_url=cfg.get("base_file_url", str, ""),
        mode=mode,
        poll_timeout=cfg.number("poll_timeout_seconds", at_least=0, default=10.0),
        connect_timeout=cfg.number("connect_timeout_seconds", at_least=0, default=5.0),
        read_timeout=cfg.number("read_timeout_seconds", at_least=0, default=15.0),
        write_timeout=cfg.number("write_timeout_seconds", at_least=0, default=15.0),
        pool_timeout=cfg.number("pool_timeout_seconds", at_least=0, default=5.0),
        send_attempts=cfg.get("send_attempts", int, 5),
        retry_backoff=cfg.number("retry_backoff_seconds", at_least=0, default=0.25),
        rate_limit_retries=cfg.get("rate_limit_retries", int, 3),
        webhook=WebhookSettings(
            listen=hook.get("listen", str, "127.0.0.1"),
            port=hook.get("port", int, 8443),
            url_path=hook.get("url_path", str, "telegram").strip("/"),
            url=hook.get("url", str, ""),
        ),
        timezone=settings.timezone,
    )


def bot_token(environ: Mapping[str, str] | None = None) -> Secret | None:
    """Return TELEGRAM_BOT_TOKEN, or None when it is not set."""
    env = os.environ if environ is None else environ
    value = env.get("TELEGRAM_BOT_TOKEN", "").strip()
    return Secret(value) if value else None


def webhook_secret(environ: Mapping[str, str] | None = None) -> Secret | None:
    """Return TELEGRAM_WEBHOOK_SECRET, or None when unset; raise ConfigError when Telegram would refuse it."""
    env = os.environ if environ is None else environ
    value = env.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
    if not value:
        return None
    if not _SECRET_TOKEN.match(value):
        raise ConfigError("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z, a-z, 0-9, _ and -")
    return Secret(value)
