"""A whole handover as people live it, in one `stifinder serve` with Telegram's webhook on the same port: a
citizen in the web chat asks for a person, a counsellor on duty in Telegram (the local Bot API server) takes
the chat with "Tag samtalen", they write to each other, the counsellor ends it and the assistant answers again.
Afterwards neither the database file nor the server's log holds a word of what they wrote."""

from __future__ import annotations

import asyncio
import json
import re
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.config import async_database_url
from bot.storage import create_engine, model_metadata
from conftest import ROOT
from fakes.bot_api import FakeBotApi
from fakes.cli import processes  # noqa: F401 (fixture)
from fakes.network import free_port
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from fakes.telegram_fixtures import fake  # noqa: F401 (fixture)
from fakes.telegram_people import Person
from fakes.web_server import new_session, read_events
from fakes.hours import ALL_DAY, holidays_this_year_and_next
from handover import WEEKDAYS
from web_tests.test_serve_cli import START_TIMEOUT, environment, webhook_config

SECRET = "hook-secret_123"
CLOSE = {"Connection": "close"}  # a new connection each time: with two workers, either may answer
CANARIES = ("mit liv er noget rod", "hvordan har du det i dag")


def always_open() -> dict[str, Any]:
    """The `handover:` section of a service open every hour of every day."""
    return {"hours": {day: ALL_DAY for day in WEEKDAYS}, "closed": [],
            "open_on_holidays": holidays_this_year_and_next(), "max_queue": 5}


def buttons_of(call: Any) -> list[str]:
    markup = call.params.get("reply_markup")
    markup = json.loads(markup) if isinstance(markup, str) else (markup or {})
    return [button["callback_data"] for row in markup.get("inline_keyboard", []) for button in row]


async def everything_stored(url: str) -> str:
    """Every row of every table, as text (the database after the conversation)."""
    engine = create_engine(async_database_url(url))
    try:
        async with engine.connect() as connection:
            rows = []
            for metadata in model_metadata():
                for table in metadata.sorted_tables:
                    rows += [str(tuple(row)) for row in (await connection.execute(table.select())).all()]
            return "\n".join(rows)
    finally:
        await engine.dispose()


@pytest.mark.parametrize("workers", [1, 2], ids=["one process on SQLite", "two workers on PostgreSQL"])
async def test_a_citizen_in_the_web_chat_talks_with_a_counsellor_in_telegram_and_nothing_is_kept(
        fake: FakeBotApi, tmp_path: Path, processes: list[asyncio.subprocess.Process], workers: int,
        request: pytest.FixtureRequest) -> None:
    port = free_port()
    path = webhook_config(tmp_path, port, handover=always_open())
    env = environment(tmp_path) | {"STIFINDER_CONFIG": str(path), "TELEGRAM_BOT_TOKEN": fake.token,
                                   "TELEGRAM_BASE_URL": fake.base_url, "TELEGRAM_WEBHOOK_SECRET": SECRET}
    if workers > 1:  # the webhook's and the web chat's requests reach either worker (new connections)
        env["STIFINDER_DATABASE_URL"] = request.getfixturevalue("postgres_url")
    invited = subprocess.run([sys.executable, "-m", "bot.cli", "caseworkers", "invite", "--name", "Anna",
                              "--counsellor"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert invited.returncode == 0, invited.stderr
    code = re.search(r"(?:start=|code: )(\S+)", invited.stdout)
    assert code is not None, invited.stdout
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--workers", str(workers), cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    processes.append(process)
    await fake.wait_for(lambda: len(fake.calls("setWebhook")) >= workers, START_TIMEOUT)
    anna = Person(fake, 4001)
    updates = iter(range(1, 100))

    async def telegram(client: httpx.AsyncClient, text: str | None = None, button: str | None = None,
                       under: dict[str, Any] | None = None, answered: bool = True) -> None:
        """Post one of Anna's updates to the webhook; wait for the bot's answer to her unless none is due."""
        number = next(updates)
        if button is None:
            update: dict[str, Any] = {"update_id": number, "message": {
                "message_id": number, "date": 0, "chat": anna.chat, "from": anna.user, "text": text}}
        else:
            update = {"update_id": number, "callback_query": {"id": str(number), "from": anna.user, "data": button,
                                                             "chat_instance": "1", "message": under}}
        sent = len(fake.sent(anna.chat_id))
        posted = await client.post("/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET,
                                                                      "Connection": "close"})
        assert posted.status_code == 200
        if answered:
            await fake.wait_for(lambda: len(fake.sent(anna.chat_id)) > sent, 20)

    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=20) as client:
        await telegram(client, f"/start {code.group(1)}")
        await telegram(client, "/vagt")
        assert "på vagt" in fake.sent(anna.chat_id)[-1].text

        session = await new_session(client)
        messages = f"/chat/sessions/{session}/messages"
        asked = await client.post(messages, json={"text": "kan jeg tale med et menneske?"}, headers=CLOSE)
        assert asked.status_code == 202
        (last, queued), = await read_events(client, session, 1)
        assert "nummer 1 i køen" in queued["text"]
        await fake.wait_for(lambda: "venter på en rådgiver" in fake.sent(anna.chat_id)[-1].text, 20)
        announcement = fake.sent(anna.chat_id)[-1]
        take = buttons_of(announcement)
        assert take and take[0].startswith("ho:take:")

        await telegram(client, button=take[0], under=announcement.result)
        assert "Du har samtalen" in fake.sent(anna.chat_id)[-1].text
        (last, joined), = await read_events(client, session, 1, last)
        assert "overtaget samtalen" in joined["text"] and joined["sender"] == "bot"

        sent = len(fake.sent(anna.chat_id))
        await telegram(client, f"Hej, {CANARIES[1]}?", answered=False)
        (last, words), = await read_events(client, session, 1, last)
        assert words["sender"] == "counsellor" and CANARIES[1] in words["text"]
        assert len(fake.sent(anna.chat_id)) == sent  # the counsellor is not answered by the assistant

        await client.post(messages, json={"text": f"ikke så godt, {CANARIES[0]}"}, headers=CLOSE)
        await fake.wait_for(lambda: CANARIES[0] in fake.sent(anna.chat_id)[-1].text, 20)
        assert fake.sent(anna.chat_id)[-1].text.startswith("Borger ")

        await telegram(client, "/afslut")
        (last, ended), = await read_events(client, session, 1, last)
        assert "slut" in ended["text"]
        await client.post(messages, json={"text": "koster det noget?"}, headers=CLOSE)
        (last, answer), = await read_events(client, session, 1, last)
        assert "gratis" in answer["text"]

    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()[-2000:]
    stored = await everything_stored(env["STIFINDER_DATABASE_URL"])
    for canary in CANARIES:
        assert canary not in stored and canary.encode() not in stderr
    for file in tmp_path.glob("web.db*"):  # and not in the SQLite file's pages either
        assert all(canary.encode() not in file.read_bytes() for canary in CANARIES)
