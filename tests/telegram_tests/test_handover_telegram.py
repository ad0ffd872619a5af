"""A handover with both sides in Telegram (`stifinder run`): a citizen asks for a person, a counsellor on duty
takes the chat with "Tag samtalen", they write to each other through the bot, and the citizen ends it. The
citizen's chat is reached from memory only while the handover lasts; the counsellor never sees who it is."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import replace
from datetime import datetime, timezone

import pytest
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.wiring import App
from dialogs import Deps
from fakes.bot_api import FakeBotApi
from fakes.telegram_fixtures import fake  # noqa: F401 (fixture)
from fakes.telegram_harness import Harness, make_app, start_bot, stop_bot
from fakes.hours import open_always
from handover import make_counsellor, set_duty
from nlu import LocalParser
from reminders import CaseworkerRecord

COUNSELLOR, CITIZEN, COLLEAGUE = 5550001, 5550002, 5550003


@pytest.fixture
async def bot(fake: FakeBotApi, deps: Deps, local_parser: LocalParser) -> AsyncIterator[Harness]:
    app: App = await make_app(replace(deps, opening_hours=open_always()), local_parser)
    app.max_queue = 5
    now = datetime.now(timezone.utc)
    async with async_sessionmaker(app.database).begin() as session:  # two registered counsellors, one on duty
        for name, user in (("Anna", COUNSELLOR), ("Bo", COLLEAGUE)):
            record = CaseworkerRecord(name=name, team=None, created_at=now, telegram_user_id=user)
            session.add(record)
            await session.flush()
            await make_counsellor(session, record.id)
            if user == COUNSELLOR:
                await set_duty(session, record.id, True, now)
    harness = await start_bot(fake, app)
    yield harness
    await stop_bot(harness)
    await app.close()


async def test_a_citizen_and_a_counsellor_both_in_telegram(bot: Harness) -> None:
    citizen, anna = bot.person(CITIZEN), bot.person(COUNSELLOR)
    await bot.handled(citizen.says("kan jeg tale med et menneske?"))
    assert "nummer 1 i køen" in bot.fake.sent(CITIZEN)[-1].text
    announcement = bot.fake.sent(COUNSELLOR)[-1]
    assert "venter på en rådgiver" in announcement.text
    assert str(CITIZEN) not in announcement.text and "Testperson" not in announcement.text  # a pseudonym only

    await bot.handled(anna.presses("Tag samtalen"))
    assert "Du har samtalen" in bot.fake.sent(COUNSELLOR)[-1].text
    assert "overtaget samtalen" in bot.fake.sent(CITIZEN)[-1].text

    await bot.handled(citizen.says("jeg har det ikke så godt"))
    assert bot.fake.sent(COUNSELLOR)[-1].text.startswith("Borger ")
    assert "ikke så godt" in bot.fake.sent(COUNSELLOR)[-1].text

    await bot.handled(anna.says("Det er godt, du skriver. Hvad fylder mest?"))
    assert bot.fake.sent(CITIZEN)[-1].text.startswith("Rådgiver: Det er godt")

    await bot.handled(citizen.says("afslut"))
    assert "slut" in bot.fake.sent(CITIZEN)[-1].text
    assert "afsluttet samtalen" in bot.fake.sent(COUNSELLOR)[-1].text
    reached = len(bot.fake.sent(CITIZEN))
    await bot.handled(anna.says("Er du der stadig?"))  # over: the counsellor's words reach nobody now
    assert len(bot.fake.sent(CITIZEN)) == reached


async def test_two_counsellors_pressing_at_the_same_moment_one_gets_the_chat(bot: Harness) -> None:
    citizen, anna, bo = bot.person(CITIZEN), bot.person(COUNSELLOR), bot.person(COLLEAGUE)
    await bot.handled(bo.says("/vagt"))
    await bot.handled(citizen.says("can I talk to a counsellor?"))
    announcements = {user: bot.fake.sent(user)[-1] for user in (COUNSELLOR, COLLEAGUE)}
    assert all("waiting for a counsellor" in a.text or "venter på en rådgiver" in a.text
               for a in announcements.values())
    presses = [anna.presses("Tag samtalen"), bo.presses("Tag samtalen")]  # both queued before either is handled
    await bot.handled(*presses)
    answers = sorted(bot.fake.sent(user)[-1].text.split(".")[0] for user in (COUNSELLOR, COLLEAGUE))
    assert answers[0].startswith("Borger") and "taget af en kollega" in answers[0]
    assert answers[1].startswith("Du har samtalen")
    assert sum("overtaget samtalen" in call.text or "taken over" in call.text
               for call in bot.fake.sent(CITIZEN)) == 1  # the citizen is told once
