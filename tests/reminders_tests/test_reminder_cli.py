"""`stifinder reminders due --at` as a real process on SQLite and PostgreSQL: plans as of the instant,
lists what would be sent, writes nothing; and the `reminders:` section of config.yml."""

from __future__ import annotations

import json
import os
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest
import yaml

from bot.config import ConfigError, Settings, load_settings
from bot.reminders_config import load_reminders_config
from reminders import COPENHAGEN
from conftest import ROOT
from fakes.cli import Cli
from fakes.databases import database_url  # noqa: F401 (fixture)
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)


def cli(database_url: str) -> Cli:
    """The command line on the database, with the repository's config.yml (STIFINDER_CONFIG unset)."""
    return Cli(database_url, drop_env=("STIFINDER_CONFIG",))


def test_reminders_due_lists_what_would_be_sent_and_changes_nothing(database_url: str) -> None:
    admin = cli(database_url)
    admin.ok("cases", "add", "S-14")
    admin.ok("cases", "event", "S-14", "henvendelse", "--date", "2026-11-20")  # due 4 December
    admin.ok("cases", "add", "S-15")
    admin.ok("cases", "event", "S-15", "afgoerelse_sendt", "--date", "2026-11-20")  # informational only

    due = json.loads(admin.ok("reminders", "due", "--at", "2026-11-25T08:00", "--json"))
    assert due == [{"case": "S-14", "rule": "behandlingsgaranti", "slot": "before-7",
                    "due_at": "2026-11-25T08:00:00+01:00", "deadline_due": "2026-12-04", "caseworker": None,
                    "registered": False}]
    assert json.loads(admin.ok("reminders", "due", "--at", "2026-11-25T07:59", "--json")) == []
    # Down for days: one overdue ping per deadline, not a burst.
    late = json.loads(admin.ok("reminders", "due", "--at", "2026-12-10T09:00+01:00", "--json"))
    assert [(d["slot"], d["due_at"]) for d in late] == [("overdue-2026-12-10", "2026-12-10T08:00:00+01:00")]
    # A dry run: the first question still has the same answer.
    assert json.loads(admin.ok("reminders", "due", "--at", "2026-11-25T08:00", "--json")) == due
    text = admin.ok("reminders", "due", "--at", "2026-11-25T08:00")
    assert "S-14  behandlingsgaranti  before-7" in text

    admin.ok("cases", "event", "S-14", "behandlingsplan", "--date", "2026-11-23")  # the plan, then the start
    admin.ok("cases", "event", "S-14", "behandling_startet", "--date", "2026-11-23")
    assert admin.ok("reminders", "due", "--at", "2026-12-10T09:00").strip() == "no reminders due"


def test_a_bad_instant_is_one_line(tmp_path: Path) -> None:
    result = cli(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")("reminders", "due", "--at", "tomorrow")
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1 and "--at" in result.stderr


def settings_with(tmp_path: Path, section: object) -> Settings:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["reminders"] = section
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return load_settings(path, environ={})


def test_the_shipped_config_and_the_defaults(settings: Settings, tmp_path: Path) -> None:
    shipped = load_reminders_config(settings)
    defaults = load_reminders_config(settings_with(tmp_path, None))
    assert shipped == defaults
    assert shipped.policy.at == time(8, 0) and shipped.policy.before == (7, 2) and shipped.enabled
    assert shipped.dispatch.digest_at == time(7, 30) and shipped.schedule.tick_seconds == 30
    custom = load_reminders_config(settings_with(tmp_path, {"at": "09:15", "before_working_days": [5],
                                                            "digest_at": "off", "retry": {"max_attempts": 3}}))
    assert custom.policy.at == time(9, 15) and custom.policy.before == (5,)
    assert custom.dispatch.digest_at is None and custom.dispatch.max_attempts == 3
    assert custom.dispatch.lease == timedelta(seconds=120)


@pytest.mark.parametrize("section, key", [
    ({"at": 800}, "reminders.at"),            # unquoted 08:00 is read by YAML as a number
    ({"at": "25:00"}, "reminders.at"),
    ({"before_working_days": [0]}, "reminders.before_working_days"),
    ({"tick_seconds": -1}, "reminders.tick_seconds"),
    ({"retry": {"max_attempts": "many"}}, "reminders.retry.max_attempts"),
    ({"enabled": "yes please"}, "reminders.enabled"),
    ([1, 2], "reminders"),
])
def test_a_malformed_key_is_named(tmp_path: Path, section: object, key: str) -> None:
    with pytest.raises(ConfigError, match=key.replace(".", r"\.")):
        load_reminders_config(settings_with(tmp_path, section))


def test_cases_event_plans_with_the_configured_ping_hour(tmp_path: Path) -> None:
    """`stifinder cases event` plans the pings with config.yml's hour, not the default 08:00."""
    import asyncio

    from sqlalchemy import select

    from bot.storage import open_database
    from reminders import ReminderRecord

    url = f"sqlite+aiosqlite:///{tmp_path / 'cases.db'}"
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["reminders"] = {"at": "09:15"}
    config["database"]["url"] = url
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    run = Cli(url)
    run.ok("cases", "add", "S-14", STIFINDER_CONFIG=str(path))
    # yesterday in Copenhagen: the guarantee's deadline and its pings before it are still ahead, whatever today is
    yesterday = (datetime.now(COPENHAGEN).date() - timedelta(days=1)).isoformat()
    run.ok("cases", "event", "S-14", "henvendelse", "--date", yesterday, STIFINDER_CONFIG=str(path))

    async def planned() -> set[str]:
        engine, sessions = await open_database(url)
        try:
            async with sessions() as session:
                return {r.due_at.astimezone(COPENHAGEN).strftime("%H:%M") for r in await session.scalars(
                    select(ReminderRecord).where(ReminderRecord.slot.startswith("before-")))}
        finally:
            await engine.dispose()

    assert asyncio.run(planned()) == {"09:15"}
