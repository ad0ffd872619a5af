"""After a Telegram conversation, neither the database file nor the log holds the person's text or identity.

Logging runs as in production (bot.logs.setup_logging: root at DEBUG here, the strictest case, with
`telegram`, `httpx`, `aiosqlite` ... at WARNING) but without the redacting filter, so this proves the
first line of defence: nothing personal is logged in the first place.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.identity import conversation_key
from bot.telegram import CHANNEL
from dialogs import Deps
from fakes.telegram_fixtures import fake  # noqa: F401 (fixtures)
from fakes.bot_api import FakeBotApi
from fakes.telegram_harness import make_app, start_bot, stop_bot
from nlu import LocalParser

USER_ID = 8765432109
FIRST_NAME = "Zacharias"
USERNAME = "zacharias_privat"
TEXTS = [
    "Hej, jeg hedder Zacharias Quistgaard og mit nummer er 61 23 45 67",
    "hvem skal jeg ringe til om min bror Xerxes?",
    "Nej",
    "koster det noget for Quistgaard?",
]


async def test_nothing_personal_is_stored_or_logged(fake: FakeBotApi, deps: Deps, local_parser: LocalParser,
                                                     tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    for noisy in ("httpx", "httpcore", "telegram", "apscheduler", "aiosqlite", "alembic"):  # as setup_logging
        caplog.set_level(logging.WARNING, logger=noisy)
    caplog.set_level(logging.DEBUG)  # last: it also sets the capturing handler's level
    database = tmp_path / "stifinder.db"
    app = await make_app(deps, local_parser, f"sqlite+aiosqlite:///{database}")
    bot = await start_bot(fake, app)
    try:
        citizen = bot.person(USER_ID, first_name=FIRST_NAME, username=USERNAME)
        await bot.handled(citizen.says(TEXTS[0]))
        await bot.handled(citizen.says(TEXTS[1]))
        await bot.handled(citizen.presses("18-29 år"))
        await bot.handled(citizen.says(TEXTS[2]))
        await bot.handled(citizen.says(TEXTS[3]))
        await bot.handled(citizen.sends("contact"), citizen.sends("location"))
        assert len(fake.sent(citizen.chat_id)) >= 6
    finally:
        await stop_bot(bot)
        await app.close()

    stored = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.name.startswith("stifinder.db"))
    assert conversation_key(app.secret, CHANNEL, USER_ID).encode() in stored  # state is kept under a keyed hash
    secrets = TEXTS + [str(USER_ID), FIRST_NAME, USERNAME, "Quistgaard", "Xerxes", "61 23 45 67", "+4512345678",
                       "12345678", "57.2702"]
    for secret in secrets:
        assert secret.encode() not in stored, secret
        assert secret not in caplog.text, secret
    assert "turn conv=" in caplog.text  # the log does record events
