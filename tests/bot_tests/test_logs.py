"""The redacting filter: the backstop behind "never log personal data" (bot/logs.py)."""

from __future__ import annotations

import logging

import pytest
from telegram import Chat, Contact, Message, Update, User
from datetime import datetime, timezone

from bot.logs import RedactingFilter
from privacy import redact

PERSONAL = ["Zacharias", "Quistgaard", "zach_q", "kokain", "61234567", "8765432109", "010190"]


def telegram_update() -> Update:
    user = User(id=8765432109, is_bot=False, first_name="Zacharias", last_name="Quistgaard", username="zach_q",
                language_code="da")
    chat = Chat(id=8765432109, type=Chat.PRIVATE, first_name="Zacharias", username="zach_q")
    message = Message(message_id=5, date=datetime(2026, 11, 23, tzinfo=timezone.utc), chat=chat, from_user=user,
                      text="jeg bruger kokain, ring 61234567, cpr 010190-1234",
                      contact=Contact(phone_number="61234567", first_name="Zacharias"))
    return Update(update_id=1, message=message)


def test_a_whole_telegram_update_logged_by_mistake_is_masked() -> None:
    for rendered in (repr(telegram_update()), str(telegram_update().to_dict())):
        masked = redact(rendered)
        for needle in PERSONAL:
            assert needle not in masked, needle
        assert "update_id" in masked  # the structure stays readable


def test_json_of_an_update_is_masked() -> None:
    masked = redact(telegram_update().to_json())
    for needle in PERSONAL:
        assert needle not in masked, needle


def test_event_lines_are_left_alone() -> None:
    line = "turn conv=ab12cd34 intent=faq/egenbetaling conf=0.98 route=faq ms=1.2"
    assert redact(line) == line


def test_a_traceback_is_redacted_before_any_handler_formats_it(caplog: pytest.LogCaptureFixture) -> None:
    logger = logging.getLogger("stifinder.test.redaction")
    logger.addFilter(RedactingFilter())
    try:
        try:
            raise ValueError(f"bad update {telegram_update()!r}")
        except ValueError:
            with caplog.at_level(logging.ERROR, logger=logger.name):
                logger.exception("handler failed for first_name='Zacharias'")
    finally:
        logger.filters.clear()
    assert "ValueError" in caplog.text
    for needle in PERSONAL:
        assert needle not in caplog.text, needle
