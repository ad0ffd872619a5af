"""Conversations kept between turns in the one process that writes them (SQLite): written through, never stale."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timedelta, timezone

import pytest

from bot.storage import open_database
from conftest import Chat
from dialogs import Deps, DialogEngine
from dialogs.citizen import flows
from dialogs.citizen.flows import Remembered, Stored
from dialogs.turn import State
from nlu import LocalParser

AT = datetime(2026, 11, 23, 10, 0, tzinfo=timezone.utc)


@pytest.fixture
async def remembering(deps: Deps, local_parser: LocalParser) -> AsyncIterator[tuple[DialogEngine, Remembered]]:
    database, sessions = await open_database("sqlite+aiosqlite://")
    remembered = Remembered()
    yield DialogEngine(deps, local_parser, sessions, remembered=remembered), remembered
    await database.dispose()


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The conversations read from the database, in order."""
    seen: list[str] = []
    load = flows.load_stored

    async def counted(session: object, key: str, now: datetime) -> Stored:
        seen.append(key)
        return await load(session, key, now)  # type: ignore[arg-type]

    monkeypatch.setattr(flows, "load_stored", counted)
    return seen


async def test_a_further_turn_reads_nothing_and_the_database_has_every_change(
        remembering: tuple[DialogEngine, Remembered], reads: list[str]) -> None:
    engine, _ = remembering
    chat = Chat(engine, conv="kept", at=AT)
    await chat.say("hvem skal jeg ringe til")
    await chat.say("jeg er 41")
    assert reads == ["kept"]  # only the first turn read the conversation
    assert (await engine.state_of("kept", chat.at)).slots.get("age_band") == "adult"  # written through


async def test_a_failed_turn_forgets_what_was_remembered(remembering: tuple[DialogEngine, Remembered],
                                                         reads: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    engine, remembered = remembering
    chat = Chat(engine, conv="broken", at=AT)
    await chat.say("hvem skal jeg ringe til")
    save = flows.save

    async def failing(*args: object, **kwargs: object) -> bool:
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(flows, "save", failing)
    response = await chat.say("jeg er 41")
    assert response.keys == ["utter_technical_problem"] and len(remembered) == 0
    monkeypatch.setattr(flows, "save", save)
    await chat.say("jeg er 41")
    assert reads == ["broken", "broken"]  # read again from the database, which the failed turn left as it was
    assert (await engine.state_of("broken", chat.at)).slots.get("age_band") == "adult"


async def test_glem_forgets_the_remembered_conversation_too(remembering: tuple[DialogEngine, Remembered]) -> None:
    engine, remembered = remembering
    chat = Chat(engine, conv="forget-me", at=AT)
    await chat.say("hvem skal jeg ringe til")
    await engine.forget("forget-me")
    assert len(remembered) == 0
    assert (await engine.state_of("forget-me", chat.at)).step is None


async def test_a_remembered_conversation_expires_like_a_stored_one(remembering: tuple[DialogEngine, Remembered],
                                                                   deps: Deps) -> None:
    engine, _ = remembering
    chat = Chat(engine, conv="idle", at=AT)
    await chat.say("hvem skal jeg ringe til")
    chat.at += timedelta(minutes=deps.ttl_minutes + 1)
    response = await chat.say("41")
    assert response.route != "first_contact.ask_age"  # the question about the age is long gone
    assert (await engine.state_of("idle", chat.at)).step is None


def test_the_least_recently_used_conversation_is_forgotten_first() -> None:
    remembered = Remembered(size=2)
    for key in ("a", "b"):
        remembered.put(key, Stored(State(lang="da"), AT + timedelta(minutes=30)))
    assert remembered.get("a", AT) is not None  # "a" is now the most recently used
    remembered.put("c", Stored(State(lang="en"), AT + timedelta(minutes=30)))
    assert remembered.get("b", AT) is None and remembered.get("a", AT) is not None and len(remembered) == 2
    expired = remembered.get("c", AT + timedelta(hours=1))
    assert expired is not None and expired.state == State()


async def test_the_upsert_through_the_driver_stores_what_the_statement_stores() -> None:
    """SQLite's upsert goes to the driver as text; the row is the Core statement's to the byte, and it
    belongs to the turn's transaction."""
    from sqlalchemy import text

    database, sessions = await open_database("sqlite+aiosqlite://")
    state = State(lang="en", lang_chosen=True, flow="first_contact", step="ask_age", slots={"age_band": "adult"})
    expires = AT + timedelta(minutes=60)
    try:
        async with sessions.begin() as session:
            assert await flows.save(session, "through-driver", state, expires)
            await session.execute(flows._UPSERTS["sqlite"], {
                "key": "through-core", "lang": "en", "lang_chosen": True, "flow": "first_contact",
                "step": "ask_age", "slots": {"age_band": "adult"}, "expires_at": expires})
        async with sessions() as session:
            rows = {row[0]: row[1:] for row in await session.execute(text(
                "SELECT key, lang, lang_chosen, flow, step, slots, expires_at FROM conversation_state"))}
            assert rows["through-driver"] == rows["through-core"]
            assert (await flows.load_stored(session, "through-driver", AT)) == Stored(state, expires)
            assert (await flows.load_stored(session, "through-driver", expires)).state == State()  # expired
        with pytest.raises(RuntimeError):
            async with sessions.begin() as session:
                await flows.save(session, "rolled-back", state, expires)
                raise RuntimeError("the turn failed")
        async with sessions.begin() as session:
            assert (await flows.load_stored(session, "rolled-back", AT)).expires_at is None
            assert await flows.purge_expired(session, expires) == 2  # the stored expiry compares as a datetime
    finally:
        await database.dispose()
