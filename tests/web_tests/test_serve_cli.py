"""`stifinder serve` as a person starts it: it answers on the port it was given and stops cleanly on SIGTERM,
an open event stream included; in Telegram's webhook mode it takes the webhook on the same port (the secret
token checked) against the local Bot API server; a wrong port or more than one worker is refused."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import httpx
import yaml

from conftest import ROOT
from fakes.bot_api import FakeBotApi
from fakes.cli import processes  # noqa: F401 (fixture)
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from fakes.telegram_fixtures import fake  # noqa: F401 (fixture)
from fakes.telegram_people import Person
from fakes.network import free_port
from fakes.web_server import read_events

START_TIMEOUT = 60.0  # the subprocess loads the NLU model and migrates a fresh database


def webhook_config(tmp_path: Path, port: int, **sections: Any) -> Path:
    """The repository's config.yml with Telegram in webhook mode on the port (and other sections replaced)."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["nlu"]["cache_dir"] = str(ROOT / "var" / "nlu")
    config["telegram"].update(mode="webhook", webhook={"url_path": "telegram", "url": f"http://127.0.0.1:{port}/telegram"})
    config.update(sections)
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def environment(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "STIFINDER_"))}
    env.update(STIFINDER_SECRET="cli-test-secret", STIFINDER_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/web.db")
    return env


async def test_serve_answers_and_stops_cleanly_on_sigterm(tmp_path: Path,
                                                          processes: list[asyncio.subprocess.Process]) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "serve", "--port", str(port), cwd=ROOT, env=environment(tmp_path),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    processes.append(process)
    base = f"http://127.0.0.1:{port}"
    async with httpx.AsyncClient(base_url=base, timeout=5) as client:
        deadline = asyncio.get_running_loop().time() + START_TIMEOUT
        while True:
            try:
                if (await client.get("/readyz")).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if process.returncode is not None:
                assert process.stderr is not None
                raise AssertionError("stifinder serve exited early:\n"
                                     + (await process.stderr.read()).decode()[-3000:])
            assert asyncio.get_running_loop().time() < deadline, "stifinder serve did not get ready"
            await asyncio.sleep(0.2)
        session = (await client.post("/chat/sessions")).json()["session"]
        await client.post(f"/chat/sessions/{session}/messages", json={"text": "koster det noget?"})
        async with client.stream("GET", f"/chat/sessions/{session}/events") as stream:
            lines = stream.aiter_lines()
            while not (await asyncio.wait_for(anext(lines), 10)).startswith("data: "):
                pass
            process.send_signal(signal.SIGTERM)  # with the stream still open
            _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()[-2000:]
    assert f"http://127.0.0.1:{port}/chat/" in stderr.decode()


def test_a_bad_port_or_several_workers_are_refused(tmp_path: Path) -> None:
    for arguments, says in ((["--port", "70000"], "--port must be from 1 to 65535"),
                            (["--workers", "2"], "run one worker")):
        result = subprocess.run([sys.executable, "-m", "bot.cli", "serve", *arguments], cwd=ROOT,
                                env=environment(tmp_path), capture_output=True, text=True, timeout=60)
        assert result.returncode == 2 and says in result.stderr, result.stderr


async def test_serve_takes_telegrams_webhook_on_the_same_port(
        fake: FakeBotApi, tmp_path: Path, processes: list[asyncio.subprocess.Process]) -> None:
    port = free_port()
    path = webhook_config(tmp_path, port)
    env = environment(tmp_path) | {"STIFINDER_CONFIG": str(path), "TELEGRAM_BOT_TOKEN": fake.token,
                                   "TELEGRAM_BASE_URL": fake.base_url, "TELEGRAM_WEBHOOK_SECRET": "hook-secret_123"}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "serve", "--port", str(port), cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    processes.append(process)
    await fake.wait_for(lambda: bool(fake.webhook.get("url")), START_TIMEOUT)
    assert fake.webhook["secret_token"] == "hook-secret_123"
    citizen = Person(fake, 3005)
    update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": citizen.chat, "from": citizen.user,
                                          "text": "koster det noget?"}}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        forged = await client.post("/telegram", json=update)
        assert forged.status_code == 403 and fake.sent() == []
        genuine = await client.post("/telegram", json=update, headers={"X-Telegram-Bot-Api-Secret-Token":
                                                                           "hook-secret_123"})
        assert genuine.status_code == 200
        await fake.wait_for(lambda: bool(fake.sent(citizen.chat_id)), 20)
        assert "gratis" in fake.sent(citizen.chat_id)[-1].text
        assert (await client.get("/readyz")).status_code == 200  # and the web chat on the same port
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    assert process.returncode == 0, stderr.decode()[-2000:]


async def test_two_workers_on_postgresql_serve_one_conversation(
        tmp_path: Path, postgres_url: str, processes: list[asyncio.subprocess.Process]) -> None:
    port = free_port()
    env = environment(tmp_path) | {"STIFINDER_DATABASE_URL": postgres_url}
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot.cli", "serve", "--port", str(port), "--workers", "2", cwd=ROOT, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    processes.append(process)
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as client:
        deadline = asyncio.get_running_loop().time() + START_TIMEOUT
        ready = 0
        while ready < 10:  # both workers up: ten ready answers in a row
            try:
                ready = ready + 1 if (await client.get("/readyz")).status_code == 200 else 0
            except httpx.TransportError:
                ready = 0
            if process.returncode is not None:
                assert process.stderr is not None
                raise AssertionError("stifinder serve exited early:\n"
                                     + (await process.stderr.read()).decode()[-3000:])
            assert asyncio.get_running_loop().time() < deadline, "stifinder serve did not get ready"
            await asyncio.sleep(0.1)
        session = (await client.post("/chat/sessions")).json()["session"]
        questions = ["hvem skal jeg ringe til", "jeg er 41", "koster det noget?", "hvad er frit valg?"]
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=10) as poster:
            for number, question in enumerate(questions):  # new connections: the workers take turns
                reply = asyncio.create_task(read_events(client, session, 1, last=0 if number == 0 else last))
                await asyncio.sleep(0.2)
                await poster.post(f"/chat/sessions/{session}/messages", json={"text": question, "id": f"m{number}"},
                                  headers={"Connection": "close"})
                [(last, event)] = await reply
                assert event["reply_to"] == f"m{number}"
                if number == 1:
                    assert "Visitationen" in event["text"]  # the guided contact went on, on whichever worker
    process.send_signal(signal.SIGTERM)
    await asyncio.wait_for(process.communicate(), 60)
