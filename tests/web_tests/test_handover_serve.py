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


class Served:
    """`stifinder serve` with Telegram's webhook, and Anna: a counsellor on duty, writing in Telegram."""

    def __init__(self, fake: FakeBotApi, port: int, env: dict[str, str],
                 process: asyncio.subprocess.Process) -> None:
        self.fake, self.port, self.env, self.process = fake, port, env, process
        self.anna = Person(fake, 4001)
        self._updates = iter(range(1, 1000))

    @property
    def to_anna(self) -> list[Any]:
        return self.fake.sent(self.anna.chat_id)

    async def telegram(self, client: httpx.AsyncClient, text: str | None = None, button: str | None = None,
                       under: dict[str, Any] | None = None, answered: bool = True, by: Person | None = None) -> None:
        """Post one of Anna's updates (or another person's) to the webhook; wait for the bot's answer unless
        none is due."""
        number = next(self._updates)
        anna = by or self.anna
        if button is None:
            update: dict[str, Any] = {"update_id": number, "message": {
                "message_id": number, "date": 0, "chat": anna.chat, "from": anna.user, "text": text}}
        else:
            update = {"update_id": number, "callback_query": {"id": str(number), "from": anna.user, "data": button,
                                                             "chat_instance": "1", "message": under}}
        sent = len(self.fake.sent(anna.chat_id))
        posted = await client.post("/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token": SECRET,
                                                                      "Connection": "close"})
        assert posted.status_code == 200
        if answered:
            await self.fake.wait_for(lambda: len(self.fake.sent(anna.chat_id)) > sent, 20)

    async def takes_the_next_chat(self, client: httpx.AsyncClient) -> None:
        """Wait for the announcement of a waiting chat, and press "Tag samtalen"."""
        await self.fake.wait_for(lambda: "venter på en rådgiver" in self.to_anna[-1].text, 20)
        announcement = self.to_anna[-1]
        take = buttons_of(announcement)
        assert take and take[0].startswith("ho:take:")
        await self.telegram(client, button=take[0], under=announcement.result)
        assert "Du har samtalen" in self.to_anna[-1].text

    async def stop(self) -> bytes:
        """SIGTERM; the server's log."""
        self.process.send_signal(signal.SIGTERM)
        _, stderr = await asyncio.wait_for(self.process.communicate(), 30)
        assert self.process.returncode == 0, stderr.decode()[-2000:]
        return stderr


async def serve_with_a_counsellor(fake: FakeBotApi, tmp_path: Path, processes: list[asyncio.subprocess.Process],
                                  workers: int, request: pytest.FixtureRequest, **sections: Any) -> Served:
    """Serve (with PostgreSQL when there are several workers), and put Anna on duty."""
    port = free_port()
    path = webhook_config(tmp_path, port, handover=always_open(), **sections)
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
    served = Served(fake, port, env, process)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=20) as client:
        await served.telegram(client, f"/start {code.group(1)}")
        await served.telegram(client, "/vagt")
        assert "på vagt" in served.to_anna[-1].text
    return served


ROUNDS = 6
WORKERS = pytest.mark.parametrize("workers", [1, 2], ids=["one process on SQLite", "two workers on PostgreSQL"])


@WORKERS
async def test_a_citizen_in_the_web_chat_talks_with_a_counsellor_in_telegram_and_nothing_is_kept(
        fake: FakeBotApi, tmp_path: Path, processes: list[asyncio.subprocess.Process], workers: int,
        request: pytest.FixtureRequest) -> None:
    served = await serve_with_a_counsellor(fake, tmp_path, processes, workers, request)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{served.port}", timeout=20) as client:
        session = await new_session(client)
        messages = f"/chat/sessions/{session}/messages"
        asked = await client.post(messages, json={"text": "kan jeg tale med et menneske?"}, headers=CLOSE)
        assert asked.status_code == 202
        (last, queued), = await read_events(client, session, 1)
        assert "nummer 1 i køen" in queued["text"]
        await served.takes_the_next_chat(client)
        (last, joined), = await read_events(client, session, 1, last)
        assert "overtaget samtalen" in joined["text"] and joined["sender"] == "bot"

        sent = len(served.to_anna)
        await served.telegram(client, f"Hej, {CANARIES[1]}?", answered=False)
        (last, words), = await read_events(client, session, 1, last)
        assert words["sender"] == "counsellor" and CANARIES[1] in words["text"]
        assert len(served.to_anna) == sent  # the counsellor is not answered by the assistant

        await client.post(messages, json={"text": f"ikke så godt, {CANARIES[0]}"}, headers=CLOSE)
        await fake.wait_for(lambda: CANARIES[0] in served.to_anna[-1].text, 20)
        assert served.to_anna[-1].text.startswith("Borger ")

        await served.telegram(client, "/afslut")
        (last, ended), = await read_events(client, session, 1, last)
        assert "slut" in ended["text"]
        await client.post(messages, json={"text": "koster det noget?"}, headers=CLOSE)
        (last, answer), = await read_events(client, session, 1, last)
        assert "gratis" in answer["text"]

    stderr = await served.stop()
    stored = await everything_stored(served.env["STIFINDER_DATABASE_URL"])
    for canary in CANARIES:
        assert canary not in stored and canary.encode() not in stderr
    for file in tmp_path.glob("web.db*"):  # and not in the SQLite file's pages either
        assert all(canary.encode() not in file.read_bytes() for canary in CANARIES)


@WORKERS
async def test_a_closed_tab_ends_the_talk_and_a_reload_does_not(
        fake: FakeBotApi, tmp_path: Path, processes: list[asyncio.subprocess.Process], workers: int,
        request: pytest.FixtureRequest) -> None:
    served = await serve_with_a_counsellor(fake, tmp_path, processes, workers, request, web={"away_seconds": 2})
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{served.port}", timeout=20) as client:
        session = await new_session(client)
        await client.post(f"/chat/sessions/{session}/messages", json={"text": "can I talk to a person?"},
                          headers=CLOSE)
        (last, _), = await read_events(client, session, 1)
        await served.takes_the_next_chat(client)
        (last, _), = await read_events(client, session, 1, last)

        # A reload: the page leaves (the beacon), and the new page listens again at once.
        assert (await client.post(f"/chat/sessions/{session}/away", headers=CLOSE)).status_code == 202
        listened, _ = await asyncio.gather(read_events(client, session, 1, last, timeout=15),
                                           _after(3, served, client))
        assert listened[0][1]["sender"] == "counsellor"  # after the grace, still talking
        assert not any("afsluttet samtalen" in m.text for m in served.to_anna)

        # The tab is closed: nothing listens again, and the counsellor is told the citizen has left.
        assert (await client.post(f"/chat/sessions/{session}/away", headers=CLOSE)).status_code == 202
        await fake.wait_for(lambda: "afsluttet samtalen" in served.to_anna[-1].text, 20)
        assert (await client.post("/chat/sessions/not-a-session/away", headers=CLOSE)).status_code == 404
    await served.stop()


async def _after(seconds: float, served: Served, client: httpx.AsyncClient) -> None:
    """The counsellor writes after the tab's grace has passed."""
    await asyncio.sleep(seconds)
    await served.telegram(client, "are you still there?", answered=False)


async def test_a_citizen_in_telegram_reaches_a_counsellor_across_workers_and_hears_each_word_once(
        fake: FakeBotApi, tmp_path: Path, processes: list[asyncio.subprocess.Process],
        request: pytest.FixtureRequest) -> None:
    """Each update reaches any of three workers (a new connection each): the worker that answered the citizen
    last knows their chat, the others let go of it, and the counsellor's words reach it through PostgreSQL."""
    served = await serve_with_a_counsellor(fake, tmp_path, processes, 3, request)
    carl = Person(fake, 4002)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{served.port}", timeout=20) as client:
        await served.telegram(client, "kan jeg tale med et menneske?", by=carl)
        assert "nummer 1 i køen" in fake.sent(carl.chat_id)[-1].text
        await served.takes_the_next_chat(client)
        await fake.wait_for(lambda: "overtaget samtalen" in fake.sent(carl.chat_id)[-1].text, 20)
        for round_ in range(ROUNDS):  # both sides write, on whichever worker each update reaches
            await served.telegram(client, f"ord nummer {round_} fra rådgiveren", answered=False)
            await fake.wait_for(lambda: f"ord nummer {round_} fra" in fake.sent(carl.chat_id)[-1].text, 20)
            await served.telegram(client, f"svar nummer {round_} fra borgeren", answered=False, by=carl)
            await fake.wait_for(lambda: f"svar nummer {round_} fra" in served.to_anna[-1].text, 20)
        await served.telegram(client, "afslut", by=carl)
        await fake.wait_for(lambda: "afsluttet samtalen" in served.to_anna[-1].text, 20)
        await asyncio.sleep(1)  # a word sent twice would have arrived by now
    to_carl = [m.text for m in fake.sent(carl.chat_id)]
    for round_ in range(ROUNDS):
        assert sum(f"ord nummer {round_} fra" in text for text in to_carl) == 1, to_carl
    assert sum("overtaget samtalen" in text for text in to_carl) == 1
    await served.stop()
