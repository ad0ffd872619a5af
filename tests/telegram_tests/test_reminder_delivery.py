"""Reminders end to end against the fake Bot API: the production Application with the reminders'
scheduler started in post_init sends the ping; done, snooze and show-case buttons; who may press;
English; a blocked caseworker."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import date, datetime, time, timezone
from pathlib import Path
from typing import Any

import pytest

from bot.telegram import TelegramChannel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.reminders_config import RemindersConfig
from bot.telegram.notifier import CALLBACK, Reminders
from bot.wiring import App
from fakes.bot_api import FakeBotApi
from fakes.clock import FixedClock
from dialogs import Deps
from fakes.telegram_fixtures import fake  # noqa: F401 (fixtures)
from fakes.telegram_harness import Harness, make_app, start_bot, stop_bot
from nlu import LocalParser
from reminders import (COPENHAGEN, DeadlineRecord, EventKind, ReminderRecord, add_case, add_caseworker, add_event,
                       load_rules, refresh_deadlines)
from reminders.dispatch import DispatchSettings
from reminders.planner import ReminderPolicy
from reminders.scheduler import DISPATCH_JOB, REPLAN_JOB, ScheduleSettings

RULES = load_rules()
OWNER, COLLEAGUE, OUTSIDER, ENGLISH = 4242001, 4242002, 4242003, 4242004


def local(day: str, hour: int = 8, minute: int = 0) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour, minute), tzinfo=COPENHAGEN).astimezone(timezone.utc)


CONFIG = RemindersConfig(enabled=True, policy=ReminderPolicy(), dispatch=DispatchSettings(digest_at=None),
                         schedule=ScheduleSettings(tick_seconds=0.2))


@pytest.fixture
async def app(deps: Deps, local_parser: LocalParser, tmp_path: Path) -> AsyncIterator[App]:
    """The assistant on a SQLite file: the dispatcher's concurrent sessions need a real connection pool
    (the in-memory database shares one connection between all sessions)."""
    assistant = await make_app(deps, local_parser, f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}")
    yield assistant
    await assistant.close()


async def seed(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Two caseworkers of team voksne, one of team unge, one English-speaking; two cases."""
    created = local("2026-11-20", 10)
    async with sessions.begin() as session:
        people = {}
        for tg, name, team, lang in ((OWNER, "A", "voksne", "da"), (COLLEAGUE, "B", "voksne", "da"),
                                     (OUTSIDER, "C", "unge", "da"), (ENGLISH, "D", "unge", "en")):
            worker = await add_caseworker(session, name, created, team=team)
            worker.telegram_user_id, worker.language = tg, lang
            people[tg] = worker.id
        for reference, owner in (("S-30", OWNER), ("S-31", ENGLISH)):
            case = await add_case(session, reference, created, caseworker_id=people[owner])
            await add_event(session, case, EventKind.HENVENDELSE, date(2026, 11, 20), created)
            await refresh_deadlines(session, case, RULES, date(2026, 11, 20), created)


@pytest.fixture
async def running(fake: FakeBotApi, app: App) -> AsyncIterator[tuple[Harness, Reminders, FixedClock]]:
    sessions = async_sessionmaker(app.database, expire_on_commit=False)
    await seed(sessions)
    clock = FixedClock(local("2026-11-25", 8, 1))  # before-7 of both cases is due
    reminders = Reminders(CONFIG, sessions, RULES, clock)
    # Presses are turns of the engine at the channel's clock: the same fixed clock.
    harness = await start_bot(fake, app, reminders=reminders, channel=TelegramChannel(app, clock=clock.now))
    try:
        yield harness, reminders, clock
    finally:
        await reminders.stop()
        await stop_bot(harness)


def buttons(call: Any) -> dict[str, str]:
    return {b["text"]: b["callback_data"] for row in call.params["reply_markup"]["inline_keyboard"] for b in row}


async def press(harness: Harness, user_id: int, data: str, chat_id: int, message_id: int,
                edits: bool = False) -> dict[str, Any]:
    """Press a button as a user and wait for the bot's answer (and its edit of the ping); return the answer."""
    answered = len(harness.fake.calls("answerCallbackQuery"))
    edited = len(harness.fake.calls("editMessageText"))
    harness.person(user_id).press_payload(data, harness.fake.message(chat_id, message_id))
    await harness.fake.wait_for(lambda: len(harness.fake.calls("answerCallbackQuery")) > answered
                                and (not edits or len(harness.fake.calls("editMessageText")) > edited), timeout=10)
    return harness.fake.calls("answerCallbackQuery")[-1].params


async def eventually(check: Any, timeout: float = 10.0) -> None:
    """Wait until an async check holds (the dispatcher commits after Telegram answers), bounded."""
    async with asyncio.timeout(timeout):
        while not await check():
            await asyncio.sleep(0.05)


async def deadline_state(app: App) -> str:
    async with async_sessionmaker(app.database)() as session:
        state = await session.scalar(select(DeadlineRecord.state).order_by(DeadlineRecord.id).limit(1))
    return str(state)


async def unsent(app: App, rule_id: str = "behandlingsgaranti") -> list[str]:
    async with async_sessionmaker(app.database)() as session:
        rows = await session.scalars(select(ReminderRecord.slot).join(DeadlineRecord)
                                     .where(ReminderRecord.sent_at.is_(None), DeadlineRecord.case_id == 1,
                                            DeadlineRecord.rule_id == rule_id))
        return sorted(rows)


async def test_the_ping_names_case_deadline_danish_date_days_left_and_source(
        running: tuple[Harness, Reminders, FixedClock]) -> None:
    harness, reminders, _ = running
    await harness.fake.wait_for(lambda: bool(harness.fake.sent(OWNER)), timeout=10)
    assert reminders.scheduler is not None and {DISPATCH_JOB, REPLAN_JOB} <= set(reminders.scheduler.jobs())
    ping = harness.fake.sent(OWNER)[0]
    assert ping.text.splitlines() == [
        "Frist i sag S-30",
        "Behandlingsgaranti: behandlingen skal være startet",
        "Frist: fredag den 4. december 2026 (om 9 dage)",
        "Kilde: Bevilling af indsatsen › Behandlingsgaranti · "
        "SEL § 101, stk. 4 (frit valg ophæver fristen: SEL § 101, stk. 6)",
    ]
    assert ping.params["parse_mode"] == "HTML" and "<b>Frist i sag S-30</b>" in ping.params["text"]
    payloads = buttons(ping)
    assert list(payloads) == ["Udført", "Udsæt en arbejdsdag", "Vis sagen"]
    assert all(CALLBACK.match(p) and len(p.encode()) <= 64 for p in payloads.values())

    async def marked() -> bool:
        async with async_sessionmaker(harness.app.database)() as session:
            row = await session.scalar(select(ReminderRecord).where(ReminderRecord.slot == "before-7")
                                       .order_by(ReminderRecord.id).limit(1))
        return row is not None and row.sent_at is not None and row.message_id == ping.result["message_id"]

    await eventually(marked)


async def test_an_english_caseworker_gets_english(running: tuple[Harness, Reminders, FixedClock]) -> None:
    harness, _, _ = running
    await harness.fake.wait_for(lambda: bool(harness.fake.sent(ENGLISH)), timeout=10)
    ping = harness.fake.sent(ENGLISH)[0]
    assert ping.text.splitlines()[:3] == ["Deadline in case S-31", "Treatment guarantee: treatment must have started",
                                          "Due: Friday 4 December 2026 (in 9 days)"]
    assert list(buttons(ping)) == ["Done", "Snooze one working day", "Show the case"]


async def test_the_three_buttons_and_who_may_press_them(running: tuple[Harness, Reminders, FixedClock]) -> None:
    harness, _, _ = running
    fake = harness.fake
    await fake.wait_for(lambda: bool(fake.sent(OWNER)), timeout=10)
    ping = fake.sent(OWNER)[0]
    message_id = ping.result["message_id"]
    payloads = buttons(ping)

    refused = await press(harness, OUTSIDER, payloads["Udført"], OWNER, message_id)
    assert refused["text"] == ("Kun sagens sagsbehandler eller en kollega fra samme team kan bruge denne knap.")
    assert refused["show_alert"] is True and await deadline_state(harness.app) == "open"

    await press(harness, COLLEAGUE, payloads["Udsæt en arbejdsdag"], OWNER, message_id, edits=True)
    edited = fake.message(OWNER, message_id)
    assert edited["text"].endswith("» Udsat til torsdag den 26. november 2026 kl. 08.00.")
    assert "reply_markup" not in edited
    assert "snooze-2026-11-26" in await unsent(harness.app)

    shown = len(fake.sent(OWNER))
    await press(harness, OWNER, payloads["Vis sagen"], OWNER, message_id)
    await fake.wait_for(lambda: len(fake.sent(OWNER)) > shown, timeout=10)
    assert fake.sent(OWNER)[-1].text.splitlines() == [
        "Sag S-30", "Behandlingsgaranti: behandlingen skal være startet: fredag den 4. december 2026 · om 9 dage"]

    await press(harness, OWNER, payloads["Udført"], OWNER, message_id, edits=True)
    assert fake.message(OWNER, message_id)["text"].endswith(
        "» Udført: »Behandlingsgaranti: behandlingen skal være startet« er opfyldt "
        "(behandling startet registreret onsdag den 25. november 2026).")
    assert await deadline_state(harness.app) == "met"
    assert await unsent(harness.app) == []  # the snoozed and the planned pings are gone

    again = await press(harness, OWNER, payloads["Udført"], OWNER, message_id, edits=True)
    assert again.get("text") is None  # answered; the ping says the deadline is closed
    gone = await press(harness, OWNER, "rem:done:999999", OWNER, message_id)
    assert gone["text"] == "Påmindelsen findes ikke længere."
    # The citizen assistant never saw a rem: payload.
    assert all(not c.text.startswith("Hej!") for c in fake.sent(OWNER))


async def test_a_blocked_caseworker_is_given_up(fake: FakeBotApi, app: App) -> None:
    sessions = async_sessionmaker(app.database, expire_on_commit=False)
    await seed(sessions)
    fake.blocked.add(OWNER)
    reminders = Reminders(CONFIG, sessions, RULES, FixedClock(local("2026-11-25", 8, 1)))
    harness = await start_bot(fake, app, reminders=reminders)
    try:
        await fake.wait_for(lambda: bool(fake.sent(ENGLISH)) and bool(fake.calls("sendMessage", outcome="403")),
                            timeout=10)
        await fake.wait_for(lambda: reminders.scheduler is not None and reminders.scheduler.last_tick is not None,
                            timeout=10)
    finally:
        await reminders.stop()
        await stop_bot(harness)
    async with sessions() as session:
        gave_up = list(await session.scalars(select(ReminderRecord.slot).where(ReminderRecord.gave_up_at.is_not(None))))
    assert gave_up == ["before-7"]
