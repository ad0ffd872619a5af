"""Fixtures for the staff desk: an in-memory database, the case-sentence model, a fake provider desk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from collections.abc import Callable
from typing import Any

from telegram.ext import ApplicationHandlerStop

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.storage import open_database
from dialogs import Outgoing, Response
from dialogs.caseworker.desk import StaffDesk, StaffMessage
from dialogs.caseworker.cases import CaseDeps
from nlu.case_language import CaseLanguage, load_case_language
from reminders import load_labels, load_rules
from reminders.access import create_invite, create_team_chat_code

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)  # Monday 23 November 2026, 10:00 in Copenhagen

__all__ = ["FakeProviders", "NOW", "Staff", "StaffBot", "case_language", "staff", "staff_bot"]


class FakeProviders:
    """A provider desk that answers anything mentioning "døgn" or "tilbud", and records what it was asked."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    async def answer(self, text: str, lang: str, *, now: datetime) -> Response | None:
        self.asked.append(text)
        if "døgn" not in text.lower() and "tilbud" not in text.lower():
            return None
        message = Outgoing(key="provider_list", text=f"3 tilbud passer ({lang})")
        return Response(messages=(message,), intent="provider/query", confidence=1.0, lang=lang, route="providers")


class Staff:
    """A desk on a fresh database, with helpers to invite and to talk as a Telegram user."""

    def __init__(self, desk: StaffDesk, sessions: async_sessionmaker[AsyncSession], providers: FakeProviders) -> None:
        self.desk = desk
        self.sessions = sessions
        self.providers = providers
        self.at = NOW

    async def invite(self, name: str = "Anne", team: str | None = "nord") -> str:
        async with self.sessions.begin() as session:
            return (await create_invite(session, name, team, self.at, timedelta(hours=72))).code

    async def team_code(self, team: str = "nord") -> str:
        async with self.sessions.begin() as session:
            return (await create_team_chat_code(session, team, self.at, timedelta(hours=24))).code

    async def register(self, user_id: int, team: str | None = "nord", lang: str = "da") -> None:
        code = await self.invite(team=team)
        response = await self.says(user_id, f"/start {code}", lang=lang)
        assert response is not None and response.keys == ["welcome"]

    async def says(self, user_id: int, text: str, lang: str = "da") -> Response | None:
        return await self.desk.handle(StaffMessage(user_id=user_id, chat_id=user_id, text=text, at=self.at,
                                                   lang_hint=lang))

    async def presses(self, user_id: int, payload: str, chat_id: int | None = None) -> Response | None:
        return await self.desk.handle(StaffMessage(user_id=user_id, chat_id=chat_id or user_id, text=payload,
                                                   at=self.at, button=True, group=chat_id is not None))

    async def says_in_group(self, user_id: int, chat_id: int, text: str, addressed: bool = False) -> Response | None:
        return await self.desk.handle(StaffMessage(user_id=user_id, chat_id=chat_id, text=text, at=self.at,
                                                   group=True, addressed=addressed))


@pytest.fixture(scope="session")
def case_language(tmp_path_factory: pytest.TempPathFactory) -> CaseLanguage:
    return load_case_language(Path(tmp_path_factory.mktemp("case-nlu")))


@pytest.fixture
async def staff(case_language: CaseLanguage) -> AsyncIterator[Staff]:
    engine, sessions = await open_database("sqlite+aiosqlite://")
    providers = FakeProviders()
    desk = StaffDesk(sessions, case_language, CaseDeps.of(tuple(load_rules()), load_labels()), providers)
    yield Staff(desk, sessions, providers)
    await engine.dispose()


class StaffBot:
    """The production Application with the staff handlers, polling the fake Bot API."""

    def __init__(self, harness: Any, staff: Staff) -> None:
        self.harness = harness
        self.fake = harness.fake
        self.staff = staff

    async def handled(self, *update_ids: int) -> None:
        await self.harness.handled(*update_ids)


@pytest.fixture
async def staff_bot(fake: Any, deps: Any, local_parser: Any, case_language: CaseLanguage) -> AsyncIterator[StaffBot]:
    """A running bot (citizen channel + staff handlers) on one in-memory database, the clock at NOW."""
    from bot.telegram_staff import TelegramStaff
    from fakes.telegram_harness import make_app, start_bot, stop_bot

    app = await make_app(deps, local_parser)
    sessions = async_sessionmaker(app.database, expire_on_commit=False)
    providers = FakeProviders()
    desk = StaffDesk(sessions, case_language, CaseDeps.of(tuple(load_rules()), load_labels()), providers)
    done: list[Callable[[int], None]] = []

    class MarkedStaff(TelegramStaff):
        """The staff handlers, marking an update handled when they stop it (the harness's last group never runs)."""

        def handlers(self) -> list[Any]:
            found = super().handlers()
            for handler in found:
                handler.callback = _marking(handler.callback, done)
            return found

    harness = await start_bot(fake, app, staff=MarkedStaff(desk, clock=lambda: NOW))

    def mark(update_id: int) -> None:
        harness.done.add(update_id)
        harness.fake._notify()

    done.append(mark)
    try:
        yield StaffBot(harness, Staff(desk, sessions, providers))
    finally:
        await stop_bot(harness)
        await app.close()


def _marking(callback: Any, done: list[Callable[[int], None]]) -> Any:
    async def marked(update: Any, context: Any) -> None:
        try:
            await callback(update, context)
        except ApplicationHandlerStop:
            for mark in done:
                mark(update.update_id)
            raise

    return marked
