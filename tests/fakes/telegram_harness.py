"""A real PTB Application polling the fake Bot API server, for tests and the benchmark.

The Application is the production one (`build_application`), pointed at the fake with
`base_url`; updates arrive through getUpdates and replies are read from the fake's records.
A test waits for an update to be fully handled (a last-group TypeHandler marks it), never sleeps.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from telegram import Update
from telegram.ext import Application, ContextTypes, TypeHandler

from pathlib import Path

from bot.config import Secret, load_settings
from bot.reminders_config import load_reminders_config
from bot.storage import open_database
from bot.telegram import TelegramChannel
from bot.telegram.application import ALLOWED_UPDATES, build_application
from bot.telegram.config import TelegramSettings
from bot.wiring import App, build_engine
from dialogs import Deps
from dialogs.caseworker.desk import ProviderAnswers
from nlu.case_language import CaseLanguage
from fakes.bot_api import FakeBotApi
from fakes.telegram_people import Person
from nlu import LocalParser

ROOT = Path(__file__).resolve().parent.parent.parent

# Fast retries and short timeouts, so fault tests finish in about a second.
TEST_SETTINGS = TelegramSettings(poll_timeout=1, connect_timeout=2, read_timeout=1, write_timeout=2, pool_timeout=2,
                                 send_attempts=4, retry_backoff=0.02, rate_limit_retries=2)
DONE_GROUP = 99


@dataclass
class Harness:
    """A running bot against the fake: send updates with `Person`, then `await harness.handled(id)`."""

    fake: FakeBotApi
    application: Application[Any, Any, Any, Any, Any, Any]
    app: App
    done: set[int] = field(default_factory=set)

    def person(self, user_id: int = 4242001, **kwargs: Any) -> Person:
        return Person(self.fake, user_id, **kwargs)

    async def handled(self, *update_ids: int, timeout: float = 10.0) -> None:
        """Wait until the bot has finished handling these updates (replies sent or given up)."""
        await self.fake.wait_for(lambda: all(u in self.done for u in update_ids), timeout)

    async def _mark(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        self.done.add(update.update_id)
        self.fake._notify()


async def make_app(deps: Deps, local_parser: LocalParser, database_url: str = "sqlite+aiosqlite://",
                   providers: ProviderAnswers | None = None, case_language: CaseLanguage | None = None) -> App:
    """Wire an assistant like bot.wiring.build_app (every role), reusing the session's parser and content."""
    settings = load_settings(ROOT / "config.yml", environ={})
    database, sessions = await open_database(database_url)
    engine = build_engine(settings, deps, local_parser, sessions, providers, load_reminders_config(settings).policy,
                          case_language)
    return App(engine=engine, database=database, secret=Secret("test-secret-for-conversation-keys"),
               local_parser=local_parser)


async def start_bot(fake: FakeBotApi, app: App, settings: TelegramSettings = TEST_SETTINGS,
                    **build: Any) -> Harness:
    """Build the production Application against the fake and start polling."""
    application = build_application(app, settings, Secret(fake.token), fake.base_url, **build)
    harness = Harness(fake, application, app)
    application.add_handler(TypeHandler(Update, harness._mark), group=DONE_GROUP)
    await application.initialize()
    if application.post_init is not None:
        await application.post_init(application)
    await application.start()
    assert application.updater is not None
    await application.updater.start_polling(timeout=int(settings.poll_timeout), allowed_updates=ALLOWED_UPDATES)
    return harness


async def stop_bot(harness: Harness) -> None:
    application = harness.application
    if application.updater is not None and application.updater.running:
        await application.updater.stop()
    if application.running:
        await application.stop()
    await application.shutdown()
