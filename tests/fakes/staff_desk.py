"""Fixtures for the staff desk: an in-memory database, the case-sentence model, a fake provider desk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.config import Secret, Settings
from bot.identity import conversation_key
from bot.reminders_config import load_reminders_config
from bot.storage import open_database
from bot.wiring import build_engine
from dialogs import Deps, DialogEngine, Incoming, Response, Sender
from dialogs.providers.desk import DeskAnswer
from dialogs.providers.render import say
from nlu import LocalParser
from nlu.case_language import CaseLanguage, load_case_language
from reminders.access import create_invite, create_team_chat_code

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)  # Monday 23 November 2026, 10:00 in Copenhagen

__all__ = ["FakeProviders", "NOW", "Staff", "StaffBot", "case_language", "is_citizen", "staff", "staff_bot"]


class FakeProviders:
    """A provider desk that answers anything mentioning "døgn" or "tilbud", and records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def answer(self, text: str, *, now: datetime) -> DeskAnswer | None:
        self.asked.append(text)
        if "døgn" not in text.lower() and "tilbud" not in text.lower():
            return None
        return DeskAnswer(say("found", count=3, first=1, last=3), "search")


class Staff:
    """One engine (every role) on a fresh database, with helpers to invite and to talk as a Telegram user."""

    def __init__(self, engine: DialogEngine, sessions: async_sessionmaker[AsyncSession],
                 providers: FakeProviders) -> None:
        self.engine = engine
        self.sessions = sessions
        self.providers = providers
        self.at = NOW
        self._secret = Secret("test-secret-for-conversation-keys")

    async def invite(self, name: str = "Anne", team: str | None = "nord") -> str:
        async with self.sessions.begin() as session:
            return (await create_invite(session, name, team, self.at, timedelta(hours=72))).code

    async def team_code(self, team: str = "nord") -> str:
        async with self.sessions.begin() as session:
            return (await create_team_chat_code(session, team, self.at, timedelta(hours=24))).code

    async def register(self, user_id: int, team: str | None = "nord", lang: str = "da") -> None:
        code = await self.invite(team=team)
        response = await self.says(user_id, f"/start {code}", lang=lang)
        assert response.keys == ["welcome"]

    async def says(self, user_id: int, text: str, lang: str = "da") -> Response:
        return await self._turn(user_id, user_id, text, lang=lang)

    async def presses(self, user_id: int, payload: str, chat_id: int | None = None) -> Response:
        return await self._turn(user_id, chat_id or user_id, payload, group=chat_id is not None, button=True)

    async def says_in_group(self, user_id: int, chat_id: int, text: str, addressed: bool = False) -> Response:
        return await self._turn(user_id, chat_id, text, group=True, addressed=addressed)

    async def _turn(self, user_id: int, chat_id: int, text: str, *, lang: str = "da", group: bool = False,
                    addressed: bool = False, button: bool = False) -> Response:
        sender = Sender("telegram", account=user_id, chat=chat_id, group=group, addressed=addressed, app_lang=lang)
        conv = conversation_key(self._secret, "telegram", chat_id)
        return await self.engine.handle(Incoming(conv=conv, text=text, at=self.at, sender=sender, button=button))


def is_citizen(response: Response) -> bool:
    """The citizen assistant answered (the caseworker side passed the turn on)."""
    return not response.route.startswith(("caseworker.", "provider_desk."))


@pytest.fixture(scope="session")
def case_language(tmp_path_factory: pytest.TempPathFactory) -> CaseLanguage:
    return load_case_language(Path(tmp_path_factory.mktemp("case-nlu")))


@pytest.fixture
async def staff(deps: Deps, local_parser: LocalParser, settings: Settings,
                case_language: CaseLanguage) -> AsyncIterator[Staff]:
    database, sessions = await open_database("sqlite+aiosqlite://")
    providers = FakeProviders()
    engine = build_engine(settings, deps, local_parser, sessions, providers,
                          load_reminders_config(settings).policy, case_language)
    yield Staff(engine, sessions, providers)
    await database.dispose()


class StaffBot:
    """The production Application (one channel, one engine for every role), polling the fake Bot API."""

    def __init__(self, harness: Any, staff: Staff) -> None:
        self.harness = harness
        self.fake = harness.fake
        self.staff = staff

    async def handled(self, *update_ids: int) -> None:
        await self.harness.handled(*update_ids)


@pytest.fixture
async def staff_bot(fake: Any, deps: Any, local_parser: Any, case_language: CaseLanguage) -> AsyncIterator[StaffBot]:
    """A running bot on one in-memory database, the clock at NOW."""
    from bot.telegram import TelegramChannel
    from fakes.telegram_harness import make_app, start_bot, stop_bot

    providers = FakeProviders()
    app = await make_app(deps, local_parser, providers=providers, case_language=case_language)
    sessions = async_sessionmaker(app.database, expire_on_commit=False)
    harness = await start_bot(fake, app, channel=TelegramChannel(app, clock=lambda: NOW))
    try:
        yield StaffBot(harness, Staff(app.engine, sessions, providers))
    finally:
        await stop_bot(harness)
        await app.close()
