"""The web chat's public API over a real server (uvicorn on loopback): answers as events, resuming, order,
"glem mig", clear errors, limits, health, the widget's files, and nothing of the conversation kept."""

from __future__ import annotations

import asyncio
import logging
import re
import sqlite3
from pathlib import Path

import pytest

from datetime import datetime, timezone

from bot.config import Settings
from bot.identity import conversation_key
from bot.web.app import CSP
from fakes.web_server import Served, new_session, read_events, serve_web

pytestmark = pytest.mark.asyncio


async def test_a_question_is_answered_as_events_with_growing_ids(settings: Settings) -> None:
    async with serve_web(settings) as web, web.client() as client:
        session = await new_session(client)
        assert re.fullmatch(r"[A-Za-z0-9_-]{43}", session)
        posted = await client.post(f"/chat/sessions/{session}/messages", json={"text": "hvem skal jeg ringe til"})
        assert posted.status_code == 202
        [(number, event)] = await read_events(client, session, 1)
        assert event["sender"] == "bot" and event["lang"] == "da" and "9945 4421" in event["text"]
        choice = event["buttons"][-1]  # the guided first contact asks for the age with buttons
        await client.post(f"/chat/sessions/{session}/messages", json={"payload": choice["payload"]})
        [(later, answer)] = await read_events(client, session, 1, last=number)
        assert later > number and "Visitationen" in answer["text"]


async def test_a_message_with_an_id_is_answered_by_events_naming_it(settings: Settings) -> None:
    async with serve_web(settings) as web, web.client() as client:
        session = await new_session(client)
        await client.post(f"/chat/sessions/{session}/messages", json={"text": "koster det noget?", "id": "m-1"})
        await client.post(f"/chat/sessions/{session}/messages", json={"text": "hej"})
        (_, first), (_, second) = await read_events(client, session, 2)
        assert first["reply_to"] == "m-1" and "reply_to" not in second
        bad = await client.post(f"/chat/sessions/{session}/messages", json={"text": "hej", "id": "not ok!"})
        assert bad.status_code == 400 and '"id"' in bad.json()["error"]


async def test_an_english_question_is_answered_in_english(settings: Settings) -> None:
    async with serve_web(settings) as web, web.client() as client:
        session = await new_session(client)
        await client.post(f"/chat/sessions/{session}/messages", json={"text": "does treatment cost anything?"})
        [(_, event)] = await read_events(client, session, 1)
        assert event["lang"] == "en" and "free" in event["text"]


async def test_a_dropped_stream_resumes_with_nothing_lost_or_repeated(settings: Settings) -> None:
    async with serve_web(settings) as web, web.client() as client:
        session = await new_session(client)
        await client.post(f"/chat/sessions/{session}/messages", json={"text": "koster det noget?"})
        first = await read_events(client, session, 1)  # then the stream is dropped
        for question in ("hvad er frit valg?", "kan jeg være anonym?"):  # answered while nobody listens
            await client.post(f"/chat/sessions/{session}/messages", json={"text": question})
        resumed = await read_events(client, session, 2, last=first[-1][0])
        numbers = [number for number, _ in first + resumed]
        assert numbers == sorted(set(numbers)) and len(numbers) == 3
        assert "frit valg" in resumed[0][1]["text"].lower() and "anonym" in resumed[1][1]["text"].lower()


async def test_the_messages_of_one_conversation_are_answered_in_their_order(settings: Settings) -> None:
    async with serve_web(settings) as web, web.client() as client:
        session = await new_session(client)
        questions = ["hvem skal jeg ringe til", "jeg er 41", "koster det noget?"]
        for question in questions:  # sent at once: each turn waits for the one before
            await client.post(f"/chat/sessions/{session}/messages", json={"text": question})
        texts = [event["text"] for _, event in await read_events(client, session, 3)]
        assert "Fortæller du mig alderen" in texts[0]
        assert "Visitationen" in texts[1] and "9945 4421" in texts[1] and "UngeCenter" not in texts[1]
        assert "gratis" in texts[2]


async def test_glem_mig_deletes_the_conversation_at_once(settings: Settings) -> None:
    async with serve_web(settings) as web, web.client() as client:
        session = await new_session(client)
        await client.post(f"/chat/sessions/{session}/messages", json={"text": "hvem skal jeg ringe til"})
        await read_events(client, session, 1)
        chat = web.app.engine
        key = _key(web, session)
        assert (await chat.state_of(key, _now())).step == "ask_age"
        reader = asyncio.create_task(read_events(client, session, 99, last=10**15))
        await asyncio.sleep(0.2)
        deleted = await client.delete(f"/chat/sessions/{session}")
        assert deleted.status_code == 204
        assert (await chat.state_of(key, _now())).step is None
        assert await asyncio.wait_for(reader, 5) == []  # the open stream ends instead of waiting for more


@pytest.mark.parametrize("path, body, status, says", [
    ("/chat/sessions/{s}/messages", b"not json", 400, "send JSON"),
    ("/chat/sessions/{s}/messages", b'["text"]', 400, "send JSON"),
    ("/chat/sessions/{s}/messages", b'{"text": "  "}', 400, "empty"),
    ("/chat/sessions/{s}/messages", b'{"text": "a", "payload": "/b"}', 400, "exactly one"),
    ("/chat/sessions/{s}/messages", b'{"payload": "no slash"}', 400, "payload"),
    ("/chat/sessions/{s}/messages", b'{"text": 5}', 400, "string"),
    ("/chat/sessions/{s}/messages", b'{"text": "hej", "lang": "de"}', 400, "lang"),
    ("/chat/sessions/{s}/messages", b'{"text": "' + b"x" * 5000 + b'"}', 413, "at most 4000"),
    ("/chat/sessions/not-a-session/messages", b'{"text": "hej"}', 404, "POST /chat/sessions"),
])
async def test_a_bad_request_gets_a_clear_error(settings: Settings, path: str, body: bytes, status: int,
                                                says: str) -> None:
    async with serve_web(settings) as web, web.client() as client:
        session = await new_session(client)
        response = await client.post(path.format(s=session), content=body, headers={"Content-Type": "application/json"})
        assert response.status_code == status and says in response.json()["error"]


async def test_a_bad_last_event_id_and_an_unknown_route_are_refused(settings: Settings) -> None:
    async with serve_web(settings) as web, web.client() as client:
        session = await new_session(client)
        bad = await client.get(f"/chat/sessions/{session}/events", headers={"Last-Event-ID": "yesterday"})
        assert bad.status_code == 400 and "Last-Event-ID" in bad.json()["error"]
        assert (await client.get("/chat/nothing-here")).status_code == 404


async def test_too_many_messages_are_refused_and_say_so(settings: Settings) -> None:
    async with serve_web(settings, messages_per_minute=2, requests_per_minute=5) as web, web.client() as client:
        session = await new_session(client)
        sent = [await client.post(f"/chat/sessions/{session}/messages", json={"text": "hej"}) for _ in range(3)]
        assert [r.status_code for r in sent] == [202, 202, 429] and "wait a minute" in sent[2].json()["error"]
        other = [await client.post("/chat/sessions") for _ in range(2)]  # the address's five are used up
        assert [r.status_code for r in other] == [201, 429]


async def test_health_and_readiness(settings: Settings) -> None:
    async with serve_web(settings) as web, web.client() as client:
        assert (await client.get("/healthz")).json() == {"ok": True}
        assert (await client.get("/readyz")).json() == {"ready": True, "database": True, "model": True}


async def test_the_widget_and_its_demo_page_work_under_a_strict_policy(settings: Settings) -> None:
    async with serve_web(settings) as web, web.client() as client:
        page = await client.get("/chat/")
        assert page.headers["content-security-policy"] == CSP and "'unsafe-inline'" not in CSP
        assert re.search(r"<script(?![^>]*\bsrc=)", page.text) is None  # no inline script
        assert "style=" not in page.text
        script = await client.get("/chat/widget.js")
        assert script.headers["content-type"].startswith("text/javascript")
        assert "innerHTML" not in script.text and "eval(" not in script.text  # replies are text, never markup
        css = await client.get("/chat/widget.css")
        assert css.headers["content-type"].startswith("text/css") and "prefers-reduced-motion" in css.text
        assert "server" not in {name.lower() for name in page.headers}
        texts = (await client.get("/chat/texts", params={"lang": "en"})).json()
        assert texts["disclosure"].startswith("You are writing with a chatbot – not a person.")
        assert "112" in texts["emergency"] and "70 201 201" in texts["emergency"]
        danish = (await client.get("/chat/texts")).json()
        assert danish["disclosure"].startswith("Du skriver med en chatbot – ikke et menneske.")


async def test_nothing_of_the_conversation_is_stored_or_logged(settings: Settings, tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    database = tmp_path / "web.db"
    secret_text = "Jeg hedder Karen Hansen og bor på Algade 7"
    async with serve_web(settings, database_url=f"sqlite+aiosqlite:///{database}") as web, web.client() as client:
        session = await new_session(client)
        for text in ("hvem skal jeg ringe til", secret_text, "jeg er 41"):
            await client.post(f"/chat/sessions/{session}/messages", json={"text": text})
        await read_events(client, session, 3)
    stored = b"".join(path.read_bytes() for path in tmp_path.iterdir() if path.is_file())
    with sqlite3.connect(database) as connection:
        rows = "\n".join(line for line in connection.iterdump())
    # What the server logged: not the test's own HTTP client (it logs its requests' URLs), and not uvicorn's
    # "running on http://127.0.0.1:PORT", the server's own address; the client's, also 127.0.0.1, must not appear.
    logged = "\n".join(record.getMessage() for record in caplog.records
                       if not record.name.startswith(("httpx", "httpcore"))
                       and not record.getMessage().startswith("Uvicorn running on"))
    for needle in ("Karen", "Algade", "ringe til", session, "127.0.0.1"):
        assert needle.encode() not in stored and needle not in rows and needle not in logged, needle
    assert "ask_age" not in rows  # the age answer finished the guided contact: only the language and age band


def _key(web: Served, session: str) -> str:
    return conversation_key(web.app.secret, "web", session)


def _now() -> datetime:
    return datetime.now(timezone.utc)
