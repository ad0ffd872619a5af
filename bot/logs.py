"""Logging set-up: events only, with a redacting backstop for anything that slips through.

httpx logs request URLs, which contain a Telegram bot token, so it runs at WARNING; the filter
masks CPR-like numbers, bot tokens and long digit runs (phone numbers, chat ids) in every record,
and the values of the fields that carry a person's name or words (first_name, last_name, username,
full_name, text, caption, phone_number, …) wherever an object's repr or JSON lands in a message,
as python-telegram-bot's Update and Message do. Tracebacks are redacted too.
"""

from __future__ import annotations

import logging

from privacy import redact


class RedactingFilter(logging.Filter):
    """Rewrites each record's message with `redact` before any handler sees it."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            # Formatters reuse exc_text when it is set: format the traceback here, redacted.
            record.exc_text = _FORMATTER.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        return True


_FORMATTER = logging.Formatter()


def setup_logging(level: str = "INFO") -> None:
    """Configure the root logger once: one stderr handler with the redacting filter."""
    root = logging.getLogger()
    if any(getattr(h, "_stifinder", False) for h in root.handlers):
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    handler.addFilter(RedactingFilter())
    handler._stifinder = True  # type: ignore[attr-defined]
    root.addHandler(handler)
    root.setLevel(level)
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "aiosqlite", "alembic"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
