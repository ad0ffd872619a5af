"""`stifinder run` as real processes against the fake Bot API: killed with SIGKILL in the middle of
dispatch and started again, every due reminder is delivered and at most one twice (the ping whose
answer was lost with the process); two processes on one PostgreSQL never send the same reminder.

The reminders are made due in the past (a snoozed ping of the last working day), so they are due at
once; the process reads a copy of config.yml with a fast tick, a short lease and one send at a time.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
import yaml
from sqlalchemy import select

from bot.storage import open_database
from conftest import ROOT
from fakes.cli import processes  # noqa: F401 (fixture)
from fakes.bot_api import FakeBotApi, Fault
from fakes.due_pings import DONE, seed_due_pings
from fakes.due_pings import delivered as delivered_to
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from fakes.telegram_fixtures import fake  # noqa: F401 (fixtures)
from reminders import (CaseEventRecord, DeadlineRecord, EventKind, add_case, add_caseworker, add_event, add_reminder,
                       load_rules, local_date, refresh_deadlines, working_days_before)
from reminders.planner import ReminderPolicy, snooze_slot

START_TIMEOUT = 90.0
CHAT = 7001
RULES = load_rules()


def write_config(tmp_path: Path, **reminders: object) -> Path:
    """config.yml with a fast reminders section, and the NLU cache of the checkout (no retraining)."""
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    config["nlu"]["cache_dir"] = str(ROOT / "var" / "nlu")
    config["reminders"] = {"enabled": True, "tick_seconds": 0.3, "lease_seconds": 3, "batch_size": 4,
                           "concurrency": 1, "digest_at": "off", **reminders}
    path = tmp_path / "config.yml"
    path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    return path


def environment(fake: FakeBotApi, config: Path, url: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "STIFINDER_"))}
    env.update(STIFINDER_SECRET="restart-test-secret", STIFINDER_DATABASE_URL=url, STIFINDER_CONFIG=str(config),
               TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_BASE_URL=fake.base_url)
    return env


async def seed(url: str, cases: int) -> set[int]:
    return await seed_due_pings(url, cases, CHAT)


def delivered(fake: FakeBotApi) -> Counter[int]:
    """How often each reminder (by the id in its done button) reached the caseworker."""
    return delivered_to(fake, CHAT)


async def run(env: dict[str, str]) -> asyncio.subprocess.Process:
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", "run", cwd=ROOT, env=env,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.PIPE)


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{tmp_path / 'bot.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.mark.slow
async def test_sigkill_during_dispatch_then_restart_delivers_everything_at_most_one_twice(
        fake: FakeBotApi, tmp_path: Path, database_url: str, processes: list[asyncio.subprocess.Process]) -> None:
    due = await seed(database_url, cases=10)
    env = environment(fake, write_config(tmp_path), database_url)
    first = await run(env)
    processes.append(first)
    await fake.wait_for(lambda: len(delivered(fake)) >= 3, START_TIMEOUT)
    # The next ping reaches Telegram, but its answer never comes back: the process dies waiting.
    fake.fail("sendMessage", Fault.DELIVER_STALL, stall_seconds=120)
    await fake.wait_for(lambda: not fake._faults.get("sendMessage"), 20)
    first.send_signal(signal.SIGKILL)
    await first.wait()
    before = delivered(fake)
    assert set(before) < due  # killed in the middle of the work

    second = await run(env)
    processes.append(second)
    await fake.wait_for(lambda: set(delivered(fake)) == due, START_TIMEOUT)
    await asyncio.sleep(4)  # longer than the lease: a row claimed twice would show up now
    second.send_signal(signal.SIGTERM)
    _, stderr = await asyncio.wait_for(second.communicate(), 30)
    assert second.returncode == 0, stderr.decode()[-2000:]
    counts = delivered(fake)
    assert set(counts) == due
    # The ping whose answer was lost is sent again after its lease: the documented one duplicate.
    twice = [rid for rid, n in counts.items() if n > 1]
    assert len(twice) == 1 and counts[twice[0]] == 2
    assert fake.token not in stderr.decode()


@pytest.mark.slow
async def test_two_processes_on_one_postgresql_never_send_a_reminder_twice(
        fake: FakeBotApi, tmp_path: Path, postgres_url: str, processes: list[asyncio.subprocess.Process]) -> None:
    due = await seed(postgres_url, cases=40)
    env = environment(fake, write_config(tmp_path, concurrency=2, batch_size=3), postgres_url)
    # Migrated by seed(); both start on the same database at the same time.
    processes.extend(await asyncio.gather(run(env), run(env)))
    await fake.wait_for(lambda: set(delivered(fake)) == due, START_TIMEOUT)
    await asyncio.sleep(4)
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        await asyncio.wait_for(process.wait(), 30)
    counts = delivered(fake)
    assert set(counts) == due and all(n == 1 for n in counts.values())
    assert all(p.returncode == 0 for p in processes)


async def seed_two_decisions(url: str) -> None:
    """A case with two open decisions of one series (residential applied for first, then an assessment
    interview), each with a ping due at once."""
    now = datetime.now(timezone.utc)
    today = local_date(now)
    past = working_days_before(today, 1)
    policy = ReminderPolicy()
    engine, sessions = await open_database(url)
    try:
        async with sessions.begin() as session:
            worker = await add_caseworker(session, "Sagsbehandler", now, team="voksne")
            worker.telegram_user_id = CHAT
            case = await add_case(session, "S-14", now, caseworker_id=worker.id)
            await add_event(session, case, EventKind.DOEGN_ANSOEGNING, today, now)
            await add_event(session, case, EventKind.UDREDENDE_SAMTALE, today, now)
            await refresh_deadlines(session, case, RULES, today, now, policy)
            for deadline in (await session.scalars(select(DeadlineRecord.id))).all():
                await add_reminder(session, deadline, snooze_slot(past), policy.instant(past), now)
    finally:
        await engine.dispose()


@pytest.mark.slow
async def test_done_on_two_processes_meets_exactly_the_deadline_pressed(
        fake: FakeBotApi, tmp_path: Path, postgres_url: str, processes: list[asyncio.subprocess.Process]) -> None:
    """Two open decisions of one series; "Udført" on the residential one's ping, handled by one of two
    processes on one PostgreSQL, meets the residential decision and leaves the assessment decision open
    (the old behaviour met the one due first)."""
    await seed_two_decisions(postgres_url)
    env = environment(fake, write_config(tmp_path), postgres_url)
    processes.extend(await asyncio.gather(run(env), run(env)))
    await fake.wait_for(lambda: len(delivered(fake)) == 2, START_TIMEOUT)
    (doegn,) = [call for call in fake.sent(CHAT) if "døgnbehandling" in call.params["text"]]
    message = fake.message(CHAT, doegn.result["message_id"])
    data = next(button["callback_data"] for row in message["reply_markup"]["inline_keyboard"] for button in row
                if DONE.match(button["callback_data"]))
    fake.push("callback_query", {"id": "press-1", "from": {"id": CHAT, "is_bot": False, "first_name": "Anne"},
                                 "chat_instance": f"ci{CHAT}", "data": data, "message": dict(message)})
    await fake.wait_for(lambda: len(fake.calls("answerCallbackQuery")) == 1, START_TIMEOUT)
    await fake.wait_for(lambda: "er opfyldt" in fake.message(CHAT, doegn.result["message_id"])["text"], 20)
    assert "»Afgørelse om døgnbehandling" in fake.message(CHAT, doegn.result["message_id"])["text"]
    for process in processes:
        process.send_signal(signal.SIGTERM)
    for process in processes:
        await asyncio.wait_for(process.wait(), 30)
    engine, sessions = await open_database(postgres_url)
    try:
        async with sessions() as session:
            states = dict((await session.execute(select(DeadlineRecord.rule_id, DeadlineRecord.state))).all())
            recorded = list(await session.scalars(select(CaseEventRecord.kind).where(
                CaseEventRecord.kind == EventKind.AFGOERELSE_SENDT.value)))
    finally:
        await engine.dispose()
    assert states["afgoerelse_doegn"] == "met" and states["afgoerelse_ambulant"] == "open"
    # Both pollers may get the press (one bot token should have one poller; many workers use the webhook):
    # the second finds the deadline closed and records nothing.
    assert recorded == ["afgoerelse_sendt"]
