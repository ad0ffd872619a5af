"""Two processes serving the web chat from one PostgreSQL database (two uvicorn servers with their own assistant,
as two workers would be): a reply reaches the event stream held by the other, in order; a stream resumes on
either; the turns of one conversation never run at the same time; nothing of the conversation is stored."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime, timezone

import pytest
from sqlalchemy import text

from bot.config import Settings
from bot.identity import conversation_key
from bot.storage import open_database
from dialogs import Deps, DialogEngine, Incoming
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from fakes.web_server import new_session, read_events, serve_web
from nlu import Parse

pytestmark = pytest.mark.asyncio


async def test_a_reply_reaches_the_stream_held_by_the_other_process(settings: Settings, postgres_url: str) -> None:
    async with serve_web(settings, database_url=postgres_url) as first, \
            serve_web(settings, database_url=postgres_url) as second, \
            first.client() as one, second.client() as two:
        session = await new_session(one)
        listening = asyncio.create_task(read_events(one, session, 2))  # the stream is held by the first
        await asyncio.sleep(0.3)
        await two.post(f"/chat/sessions/{session}/messages", json={"text": "hvem skal jeg ringe til", "id": "a"})
        await two.post(f"/chat/sessions/{session}/messages", json={"text": "jeg er 41", "id": "b"})
        (n1, e1), (n2, e2) = await listening
        assert (e1["reply_to"], e2["reply_to"]) == ("a", "b") and n1 < n2
        assert "Fortæller du mig alderen" in e1["text"] and "Visitationen" in e2["text"]
        # the same conversation on either process: its state is in the database
        await one.post(f"/chat/sessions/{session}/messages", json={"text": "koster det noget?", "id": "c"})
        resumed = await read_events(two, session, 1, last=n2)  # resumed on the second, after the first's last id
        assert [event["reply_to"] for _, event in resumed] == ["c"] and resumed[0][0] > n2


async def test_glem_mig_on_one_process_deletes_the_conversation_for_both(settings: Settings,
                                                                         postgres_url: str) -> None:
    async with serve_web(settings, database_url=postgres_url) as first, \
            serve_web(settings, database_url=postgres_url) as second, \
            first.client() as one, second.client() as two:
        session = await new_session(one)
        await one.post(f"/chat/sessions/{session}/messages", json={"text": "Jeg hedder Karen, hvem skal jeg ringe til"})
        await read_events(one, session, 1)
        key = conversation_key(second.app.secret, "web", session)
        assert (await second.app.engine.state_of(key, datetime.now(timezone.utc))).step == "ask_age"
        assert (await two.delete(f"/chat/sessions/{session}")).status_code == 204
        assert (await first.app.engine.state_of(key, datetime.now(timezone.utc))).step is None
    database, _ = await open_database(postgres_url)
    try:
        async with database.connect() as connection:
            rows = (await connection.execute(text("SELECT * FROM conversation_state"))).all()
    finally:
        await database.dispose()
    assert rows == [] and "Karen" not in repr(rows)


async def test_two_messages_of_one_conversation_are_never_answered_at_the_same_time(
        deps: Deps, postgres_url: str) -> None:
    class Slow:
        """A parser that takes 0.3 s, as if the model were slow."""

        async def parse(self, text: str) -> Parse:
            await asyncio.sleep(0.3)
            return Parse(text=text, intent="greet", confidence=1.0, entities=())

    database, sessions = await open_database(postgres_url)
    first, second = DialogEngine(deps, Slow(), sessions), DialogEngine(deps, Slow(), sessions)  # two processes' engines
    try:
        at = datetime.now(timezone.utc)
        started = time.perf_counter()
        await asyncio.gather(first.handle(Incoming(conv="same", text="hej", at=at)),
                             second.handle(Incoming(conv="same", text="hej", at=at)))
        one_after_the_other = time.perf_counter() - started
        started = time.perf_counter()
        await asyncio.gather(first.handle(Incoming(conv="one", text="hej", at=at)),
                             second.handle(Incoming(conv="other", text="hej", at=at)))
        side_by_side = time.perf_counter() - started
    finally:
        await database.dispose()
    assert one_after_the_other >= 0.6 and side_by_side < 0.55
