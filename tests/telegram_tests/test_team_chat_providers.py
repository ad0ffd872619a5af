"""End to end with the production wiring: a registered team chat asks the real provider desk about the
sample catalogue through the fake Bot API, pages with »Vis flere«, and a citizen asking the same gets
no catalogue at all."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.config import Settings
from bot.wiring import App, build_app
from fakes.bot_api import FakeBotApi
from fakes.telegram_fixtures import fake  # noqa: F401 (fixture)
from fakes.telegram_harness import Harness, start_bot, stop_bot
from knowledge.providers.catalogue import sample_providers
from reminders.access import create_invite, create_team_chat_code

ANNE, MEMBER, CITIZEN = 4242400, 4242401, 4242402
TEAM_GROUP = -100424400


@pytest.fixture
async def wired(fake: FakeBotApi, settings: Settings, tmp_path: Path) -> AsyncIterator[tuple[Harness, App]]:
    app = await build_app(settings, database_url=f"sqlite+aiosqlite:///{tmp_path / 'team.db'}")
    assert app.provider_desk is not None
    harness = await start_bot(fake, app)
    try:
        yield harness, app
    finally:
        await stop_bot(harness)
        await app.close()


async def reply_in(fake: FakeBotApi, chat_id: int, after: int) -> Any:
    await fake.wait_for(lambda: len(fake.sent(chat_id)) > after, timeout=10)
    return fake.sent(chat_id)[-1]


def button_label(fake: FakeBotApi, chat_id: int, prefix: str) -> str:
    """The label of the newest button in the chat that starts with `prefix` (it carries counts)."""
    for call in reversed(fake.sent(chat_id)):
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                if str(button["text"]).startswith(prefix):
                    return str(button["text"])
    raise AssertionError(f"no button starting with {prefix!r}")


async def test_a_team_chat_asks_the_sample_catalogue_and_pages(fake: FakeBotApi,
                                                               wired: tuple[Harness, App]) -> None:
    harness, app = wired
    sessions = async_sessionmaker(app.database, expire_on_commit=False)
    now = datetime.now(timezone.utc)
    async with sessions.begin() as session:
        invite = (await create_invite(session, "Anne", "nord", now, timedelta(hours=1))).code
        team_code = (await create_team_chat_code(session, "nord", now, timedelta(hours=1))).code
    anne_private = harness.person(ANNE)
    anne_private.says(f"/start {invite}")
    await reply_in(fake, ANNE, 0)
    anne = harness.person(ANNE, group=TEAM_GROUP)
    member = harness.person(MEMBER, group=TEAM_GROUP)
    anne.says(f"/team {team_code}")
    assert "teamchat" in (await reply_in(fake, TEAM_GROUP, 0)).text

    sent = len(fake.sent(TEAM_GROUP))
    member.says("hvilke døgntilbud tager imod gravide?")
    answer = await reply_in(fake, TEAM_GROUP, sent)
    names = [p.name for p in sample_providers()]
    assert "Eksempeldata" in answer.text
    assert any(name in answer.text for name in names)

    sent = len(fake.sent(TEAM_GROUP))
    member.says("/tilbud døgn")
    listing = await reply_in(fake, TEAM_GROUP, sent)
    first_page = {name for name in names if name in listing.text}
    assert len(first_page) >= 1
    sent = len(fake.sent(TEAM_GROUP))
    member.presses(button_label(fake, TEAM_GROUP, "Vis flere"))
    more = await reply_in(fake, TEAM_GROUP, sent)
    second_page = {name for name in names if name in more.text}
    assert second_page and not second_page & first_page


async def test_a_citizen_asking_about_providers_gets_no_catalogue(fake: FakeBotApi,
                                                                  wired: tuple[Harness, App]) -> None:
    harness, _ = wired
    citizen = harness.person(CITIZEN)
    await harness.handled(citizen.says("hvilke døgntilbud tager imod gravide?"),
                          citizen.says("/tilbud døgn"))
    replies = " ".join(call.text for call in fake.sent(CITIZEN))
    assert replies
    for provider in sample_providers():
        if not provider.is_primary:
            assert provider.name not in replies
    assert "Eksempeldata" not in replies and "kr." not in replies
