"""`stifinder caseworkers invite|list` and `stifinder teams add|list` as an administrator runs them: real
processes on a temporary SQLite file, honouring STIFINDER_DATABASE_URL and TELEGRAM_BOT_USERNAME."""

from __future__ import annotations

import asyncio
import json
import os
import re
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.storage import open_database
from fakes.cli import Cli
from reminders.access import redeem_invite

pytestmark = pytest.mark.slow  # a dozen real processes, about 30 s
LINK = re.compile(r"^https://t\.me/stifinder_kommune_bot\?start=([A-Za-z0-9_-]{22})$", re.MULTILINE)


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(f"sqlite+aiosqlite:///{tmp_path / 'access.db'}", drop_env=("TELEGRAM_BOT_USERNAME",))


def redeem(cli: Cli, code: str, user_id: int) -> str:
    async def run() -> str:
        engine, sessions = await open_database(cli.database_url)
        try:
            async with sessions.begin() as session:
                return (await redeem_invite(session, code, user_id, datetime.now(timezone.utc))).name
        finally:
            await engine.dispose()

    return asyncio.run(run())


def test_an_invite_prints_a_deep_link_that_registers_once(cli: Cli) -> None:
    result = cli("caseworkers", "invite", "--name", "Anne Holm", "--team", "nord",
                 TELEGRAM_BOT_USERNAME="stifinder_kommune_bot")
    assert result.returncode == 0, result.stderr
    match = LINK.search(result.stdout)
    assert match, result.stdout
    assert "caseworker 1: invite valid once, until" in result.stdout
    expires = datetime.strptime(result.stdout.split("until ")[1][:16], "%Y-%m-%d %H:%M")
    assert timedelta(hours=71) < expires - datetime.now() < timedelta(hours=74)  # 72 h from config.yml

    listed = json.loads(cli("caseworkers", "list", "--json").stdout)
    assert listed == [{"id": 1, "name": "Anne Holm", "team": "nord", "registered": False, "counsellor": False,
                      "on_duty": False}]
    assert redeem(cli, match.group(1), 31337) == "Anne Holm"
    assert json.loads(cli("caseworkers", "list", "--json").stdout)[0]["registered"] is True
    assert "31337" not in cli("caseworkers", "list").stdout


def test_without_a_bot_username_the_code_is_printed_with_what_to_set(cli: Cli) -> None:
    result = cli("caseworkers", "invite", "--name", "Bo")
    assert result.returncode == 0 and "code: " in result.stdout and "t.me" not in result.stdout
    assert "TELEGRAM_BOT_USERNAME" in result.stderr and "/start " in result.stderr


def test_a_new_code_for_an_existing_caseworker_and_mistakes(cli: Cli) -> None:
    assert cli("caseworkers", "invite", "--name", "Bo").returncode == 0
    again = cli("caseworkers", "invite", "--id", "1")
    assert again.returncode == 0 and again.stdout.startswith("caseworker 1:")
    for args, message in ((("--id", "7"), "no caseworker has id 7"), (("--name", " "), "the name is empty"),
                          (("--id", "1", "--team", "nord"), "--team goes with --name")):
        result = cli("caseworkers", "invite", *args)
        assert result.returncode == 2 and message in result.stderr, result.stderr
    bad = cli("caseworkers", "invite", "--name", "Cy", TELEGRAM_BOT_USERNAME="no spaces allowed")
    assert bad.returncode == 2 and "not a Telegram bot username" in bad.stderr


def test_a_team_code_and_the_list_of_team_chats(cli: Cli) -> None:
    result = cli("teams", "add", "nord")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^/team [A-Za-z0-9_-]{22}$", result.stdout, re.MULTILINE)
    listed = json.loads(cli("teams", "list", "--json").stdout)
    assert [(row["team"], row["state"], row["chat_id"]) for row in listed] == [("nord", "waiting", None)]
    assert "nord  waiting" in cli("teams", "list").stdout
