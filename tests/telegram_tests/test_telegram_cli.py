"""`stifinder run` as a person starts it: the missing-token line, polling and webhook mode, SIGTERM.

The bot runs as a real subprocess against the fake Bot API server (TELEGRAM_BASE_URL); waits are
bounded and on conditions (the fake's records, the process's exit), never blind sleeps.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import httpx
import pytest
import yaml

from bot.config import ConfigError, Secret, Settings
from bot.telegram.application import serve
from bot.telegram.config import WebhookSettings, load_telegram_settings, webhook_secret
from conftest import ROOT
from fakes.telegram_fixtures import fake  # noqa: F401 (fixtures)
from fakes.cli import processes  # noqa: F401 (fixture)
from fakes.bot_api import FakeBotApi
from fakes.network import free_port
from fakes.telegram_people import Person

START_TIMEOUT = 60.0  # the subprocess loads the NLU model and migrates a fresh database


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "STIFINDER_"))}
    env.update(STIFINDER_SECRET="cli-test-secret", STIFINDER_DATABASE_URL=f"sqlite+aiosqlite:///{tmp_path}/bot.db")
    env.update(extra)
    return env


def test_run_without_a_token_says_what_to_set_in_one_line(tmp_path: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "bot.cli", "run"], cwd=ROOT, env=environment(tmp_path),
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "TELEGRAM_BOT_TOKEN" in lines[0] and "stifinder chat" in lines[0]


def test_the_base_url_comes_from_the_environment_before_the_config(settings: Settings) -> None:
    assert load_telegram_settings(settings, environ={}).base_url == "https://api.telegram.org/bot"
    local = load_telegram_settings(settings, environ={"TELEGRAM_BASE_URL": "http://127.0.0.1:8081/bot"})
    assert local.base_url == "http://127.0.0.1:8081/bot" and local.file_url == "http://127.0.0.1:8081/file/bot"


def test_webhook_mode_refuses_to_start_without_its_url_or_secret(settings: Settings) -> None:
    webhook = replace(load_telegram_settings(settings, environ={}), mode="webhook")
    with pytest.raises(ConfigError, match="webhook.url"):
        serve(settings, webhook, Secret("1:x"), Secret("s"))
    with_url = replace(webhook, webhook=WebhookSettings(url="https://bot.example.dk/telegram"))
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        serve(settings, with_url, Secret("1:x"), None)
    with pytest.raises(ConfigError, match="TELEGRAM_WEBHOOK_SECRET"):
        webhook_secret({"TELEGRAM_WEBHOOK_SECRET": "has spaces"})


async def start(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", "run", cwd=ROOT, env=env,
                                                stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)


async def stop(process: asyncio.subprocess.Process) -> tuple[int, str]:
    """Send SIGTERM and return the exit code and what the process wrote to stderr."""
    process.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(process.communicate(), 30)
    return int(process.returncode or 0), stderr.decode()


async def test_run_polls_answers_and_stops_cleanly_on_sigterm(
        fake: FakeBotApi, tmp_path: Path, processes: list[asyncio.subprocess.Process]) -> None:
    process = await start(environment(tmp_path, TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_BASE_URL=fake.base_url))
    processes.append(process)
    await fake.wait_for(lambda: len(fake.calls("setMyCommands")) == 2 and bool(fake.calls("deleteWebhook")),
                        START_TIMEOUT)
    citizen = Person(fake, 3003)
    citizen.says("/start")
    await fake.wait_for(lambda: bool(fake.sent(citizen.chat_id)), 20)
    code, stderr = await stop(process)
    assert code == 0
    assert fake.token not in stderr and fake.token.split(":")[1] not in stderr



async def test_webhook_mode_checks_telegrams_secret_token(
        fake: FakeBotApi, tmp_path: Path, processes: list[asyncio.subprocess.Process]) -> None:
    port = free_port()
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["nlu"]["cache_dir"] = str(ROOT / "var" / "nlu")
    config["telegram"].update(mode="webhook", webhook={"listen": "127.0.0.1", "port": port, "url_path": "hook",
                                                        "url": f"http://127.0.0.1:{port}/hook"})
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    env = environment(tmp_path, STIFINDER_CONFIG=str(path), TELEGRAM_BOT_TOKEN=fake.token,
                      TELEGRAM_BASE_URL=fake.base_url, TELEGRAM_WEBHOOK_SECRET="hook-secret_123")
    process = await start(env)
    processes.append(process)
    await fake.wait_for(lambda: bool(fake.webhook.get("url")), START_TIMEOUT)
    assert fake.webhook["secret_token"] == "hook-secret_123"

    citizen = Person(fake, 3004)
    update = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": citizen.chat, "from": citizen.user,
                                          "text": "/start", "entities": [{"type": "bot_command", "offset": 0,
                                                                          "length": 6}]}}
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}") as client:
        async with asyncio.timeout(START_TIMEOUT):
            while True:  # the webhook server may come up just after setWebhook
                try:
                    forged = await client.post("/hook", json=update)
                    break
                except httpx.ConnectError:
                    await asyncio.sleep(0.05)
        assert forged.status_code == 403 and fake.sent() == []
        genuine = await client.post("/hook", json=update,
                                    headers={"X-Telegram-Bot-Api-Secret-Token": "hook-secret_123"})
        assert genuine.status_code == 200
    await fake.wait_for(lambda: bool(fake.sent(citizen.chat_id)), 20)
    code, _ = await stop(process)
    assert code == 0
