"""Benchmark the reminders on SQLite and PostgreSQL and print a table.

For each database: N generated pseudonymous cases with realistic event histories (seeded), then

- load: bulk insert of caseworkers, cases and events (not a product path, shown for scale);
- deadlines: `due_dates` for every case (pure) and the bulk write of the deadline rows;
- replan: `plan_all` over every open deadline (the start-up and daily replan);
- refresh: `refresh_deadlines` (which replans the case) for 1,000 cases, one transaction each;
- due query: `due_reminders(now, limit=100)` (the dispatcher's read), median of 50, and its plan;
- dispatch: reminders sent to the fake Bot API (tests/fakes/bot_api.py) through the production
  TelegramNotifier and Dispatcher: unlimited (no pacing, no rate limiter), and limited (the
  dispatcher's pacing at 29/s plus PTB's AIORateLimiter) while the fake enforces Telegram's 30
  messages/second (a 429 for a 31st within any second);
- memory: the process's peak RSS after the run.

Run: .venv/bin/python bench/reminders.py [--cases 100000] [--dispatch 2000] [--limited 300]
     [--postgres-url URL | --no-postgres]
Without --postgres-url a throw-away PostgreSQL 15 is started as tests/fakes/postgres.py does.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import pwd
import random
import resource
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# bench/ holds a telegram.py: drop this folder from the path so `import telegram` finds the library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from sqlalchemy import func, insert, select, text, update  # noqa: E402
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker  # noqa: E402
from telegram.ext import AIORateLimiter, ExtBot  # noqa: E402
from telegram.request import HTTPXRequest  # noqa: E402

from bot.storage import open_database  # noqa: E402
from bot.telegram.notifier import TelegramNotifier  # noqa: E402
from fakes.bot_api import FakeBotApi  # noqa: E402
from fakes.clock import FixedClock  # noqa: E402
from reminders import (COPENHAGEN, CaseEventRecord, CaseRecord, CaseworkerRecord, DeadlineRecord, EventKind,  # noqa: E402
                       ReminderRecord, due_dates, due_reminders, end_of_day, load_rules, refresh_deadlines)
from reminders.dispatch import DispatchSettings, Dispatcher  # noqa: E402
from reminders.planner import ReminderPolicy, plan_all  # noqa: E402
from reminders.rules import Event  # noqa: E402

TODAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=COPENHAGEN).astimezone(timezone.utc)
RULES = load_rules()
POLICY = ReminderPolicy()
CASEWORKERS = 400
CHUNK = 5000
K = EventKind


def history(rng: random.Random) -> list[tuple[EventKind, date]]:
    """A plausible case: a request, an assessment, a decision, treatment, sometimes a complaint, discharge, follow-up."""
    day = TODAY - timedelta(days=rng.randint(0, 400))
    events = [(K.HENVENDELSE, day)]

    def then(kind: EventKind, low: int, high: int, share: float) -> bool:
        nonlocal day
        if rng.random() >= share:
            return False
        day += timedelta(days=rng.randint(low, high))
        events.append((kind, day))
        return True

    then(K.UDREDENDE_SAMTALE, 1, 10, 0.9)
    if then(K.AFGOERELSE_SENDT, 3, 20, 0.8) and rng.random() < 0.08:
        then(K.KLAGE_MODTAGET, 3, 25, 1.0)
        then(K.AFGOERELSE_SENDT, 5, 35, 0.6)
    if then(K.BEHANDLING_STARTET, 1, 16, 0.75):
        then(K.BEHANDLINGSPLAN, 0, 14, 0.9)
        then(K.BEHANDLINGSPLAN, 150, 200, 0.3)
        then(K.BEHANDLINGSAFBRUD, 10, 60, 0.05)
        if then(K.UDSKREVET_FAERDIGBEHANDLET, 30, 200, 0.4):
            then(K.OPFOELGNING, 10, 40, 0.7)
            then(K.OPFOELGNING, 120, 200, 0.5)
    return [(kind, on) for kind, on in events if on <= TODAY]


async def load(sessions: async_sessionmaker[AsyncSession], cases: int) -> tuple[dict[int, list[Event]], float]:
    """Bulk insert caseworkers, cases and events with explicit ids; return each case's events."""
    rng = random.Random(7)
    started = time.perf_counter()
    events: dict[int, list[Event]] = {}
    event_rows: list[dict[str, Any]] = []
    next_event = 1
    for case_id in range(1, cases + 1):
        evs = []
        for kind, on in sorted(history(rng), key=lambda item: item[1]):
            evs.append(Event(kind=kind, on=on, id=next_event))
            event_rows.append({"id": next_event, "case_id": case_id, "kind": kind.value, "occurred_on": on,
                               "recorded_at": NOW})
            next_event += 1
        events[case_id] = evs
    async with sessions.begin() as session:
        await session.execute(insert(CaseworkerRecord), [
            {"id": n, "name": f"Sagsbehandler {n}", "team": f"team-{n % 8}", "telegram_user_id": 800_000 + n,
             "created_at": NOW, "language": "da"} for n in range(1, CASEWORKERS + 1)])
        for start in range(0, cases, CHUNK):
            await session.execute(insert(CaseRecord), [
                {"id": c, "reference": f"S-{c}", "caseworker_id": 1 + c % CASEWORKERS, "created_at": NOW}
                for c in range(start + 1, min(start + CHUNK, cases) + 1)])
        for start in range(0, len(event_rows), CHUNK):
            await session.execute(CaseEventRecord.__table__.insert(), event_rows[start:start + CHUNK])  # type: ignore[attr-defined]
        await _fix_sequences(session, ("caseworkers", "cases", "case_events"))
    return events, time.perf_counter() - started


async def _fix_sequences(session: AsyncSession, tables: tuple[str, ...]) -> None:
    if session.get_bind().dialect.name == "postgresql":
        for table in tables:
            await session.execute(text(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                                       f"(SELECT max(id) FROM {table}))"))


async def deadlines(sessions: async_sessionmaker[AsyncSession], events: dict[int, list[Event]]) -> tuple[float, float, int]:
    """Compute every case's deadlines (pure), then write them; return both times and the open count."""
    started = time.perf_counter()
    computed = {case_id: due_dates(evs, RULES, TODAY) for case_id, evs in events.items()}
    pure = time.perf_counter() - started
    rows = []
    for case_id, found in computed.items():
        for d in found:
            rows.append({"id": len(rows) + 1, "case_id": case_id, "rule_id": d.rule.id, "anchor_event_id": d.anchor.id,
                         "due_on": d.due, "due_at": end_of_day(d.due), "state": d.state.value,
                         "closed_by_event_id": d.closed_by.id if d.closed_by else None,
                         "closed_on": d.closed_by.on if d.closed_by else None,
                         "informational": d.rule.informational, "updated_at": NOW})
    started = time.perf_counter()
    async with sessions.begin() as session:
        for start in range(0, len(rows), CHUNK):
            await session.execute(DeadlineRecord.__table__.insert(), rows[start:start + CHUNK])  # type: ignore[attr-defined]
        await _fix_sequences(session, ("deadlines",))
    written = time.perf_counter() - started
    opened = sum(1 for r in rows if r["state"] == "open" and not r["informational"])
    return pure, written, opened


async def refresh_sample(sessions: async_sessionmaker[AsyncSession], count: int) -> float:
    """refresh_deadlines (and the replan it does) for `count` cases, one transaction each; ms per case."""
    started = time.perf_counter()
    for case_id in range(1, count + 1):
        async with sessions.begin() as session:
            case = await session.get(CaseRecord, case_id)
            assert case is not None
            await refresh_deadlines(session, case, RULES, TODAY, NOW, POLICY)
    return (time.perf_counter() - started) / count * 1000


async def due_query(sessions: async_sessionmaker[AsyncSession]) -> tuple[float, int, str]:
    """Median ms of the dispatcher's due query, the rows it found, and the database's plan."""
    times = []
    async with sessions() as session:
        found = 0
        for _ in range(50):
            started = time.perf_counter()
            found = len(await due_reminders(session, NOW, limit=100))
            times.append((time.perf_counter() - started) * 1000)
        if session.get_bind().dialect.name == "sqlite":
            plan = (await session.execute(text(
                "EXPLAIN QUERY PLAN SELECT id FROM reminders WHERE sent_at IS NULL AND gave_up_at IS NULL "
                "AND due_at <= :now ORDER BY due_at, id LIMIT 100"), {"now": NOW.replace(tzinfo=None)})).all()
            shown = " / ".join(str(row[-1]) for row in plan)
        else:
            plan = (await session.execute(text(
                "EXPLAIN SELECT id FROM reminders WHERE sent_at IS NULL AND gave_up_at IS NULL "
                "AND due_at <= :now ORDER BY due_at, id LIMIT 100"), {"now": NOW})).all()
            shown = " / ".join(str(row[0]).strip() for row in plan)
    return statistics.median(times), found, shown


async def dispatch(sessions: async_sessionmaker[AsyncSession], count: int, limited: bool,
                   concurrency: int = 1) -> tuple[float, int, int]:
    """Make `count` reminders due and send them; return messages/second, sent and 429 answers."""
    async with sessions.begin() as session:
        await session.execute(update(ReminderRecord).values(due_at=NOW + timedelta(days=400)))
        # One unsent ping each of `count` open deadlines, turned into a ping snoozed to a past working day
        # (due now, and due by the plan too, which the dispatcher checks).
        ids = list(await session.scalars(select(func.min(ReminderRecord.id)).join(DeadlineRecord)
                                         .where(DeadlineRecord.state == "open", ReminderRecord.sent_at.is_(None),
                                                ReminderRecord.slot.like("before-%"))
                                         .group_by(ReminderRecord.deadline_id)
                                         .order_by(ReminderRecord.deadline_id).limit(count)))
        for start in range(0, len(ids), CHUNK):
            await session.execute(update(ReminderRecord).where(ReminderRecord.id.in_(ids[start:start + CHUNK]))
                                  .values(slot="snooze-2026-11-19" if limited else "snooze-2026-11-20",
                                          due_at=NOW - timedelta(minutes=1)))
    fake = FakeBotApi()
    await fake.start()
    fake.flood_limit = 30 if limited else None
    bot = ExtBot(fake.token, base_url=fake.base_url, request=HTTPXRequest(connection_pool_size=16),
                 rate_limiter=AIORateLimiter(max_retries=3) if limited else None)
    await bot.initialize()
    try:
        clock = FixedClock(NOW)
        dispatcher = Dispatcher(sessions, TelegramNotifier(bot), RULES, clock,
                                DispatchSettings(batch=50, concurrency=concurrency, digest_at=None,
                                                 max_per_second=29 if limited else None), POLICY)
        started = time.perf_counter()
        report = await dispatcher.send_reminders()
        seconds = time.perf_counter() - started
    finally:
        await bot.shutdown()
        await fake.close()
    floods = len(fake.calls("sendMessage", outcome="429-flood"))
    return report.sent / seconds if seconds else 0.0, report.sent, floods


@contextmanager
def postgres() -> Iterator[str]:
    """A throw-away PostgreSQL 15 on 127.0.0.1 (as tests/fakes/postgres.py starts it)."""
    def tool(name: str) -> str:
        found = shutil.which(name) or shutil.which(name, path="/usr/lib/postgresql/15/bin")
        if found is None:
            raise SystemExit(f"{name} not found: install PostgreSQL 15 or pass --postgres-url / --no-postgres")
        return found

    def as_server(command: list[str]) -> list[str]:
        return command if os.geteuid() != 0 else ["runuser", "-u", "postgres", "--", *command]

    base = Path(tempfile.mkdtemp(prefix="stifinder-bench-pg-"))
    data, sockets = base / "data", base / "sockets"
    sockets.mkdir()
    if os.geteuid() == 0:
        owner = pwd.getpwnam("postgres")
        for path in (base, sockets):
            os.chown(path, owner.pw_uid, owner.pw_gid)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    subprocess.run(as_server([tool("initdb"), "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                              "--locale=C"]), check=True, capture_output=True)
    options = f"-p {port} -k {sockets} -c listen_addresses=127.0.0.1"
    subprocess.run(as_server([tool("pg_ctl"), "-D", str(data), "-l", str(base / "log"), "-w", "-o", options,
                              "start"]), check=True, capture_output=True)
    try:
        subprocess.run([tool("createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "postgres", "bench"], check=True)
        yield f"postgresql+asyncpg://postgres@127.0.0.1:{port}/bench"
    finally:
        subprocess.run(as_server([tool("pg_ctl"), "-D", str(data), "-m", "fast", "-w", "stop"]), capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


async def run(name: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    engine, sessions = await open_database(url)
    try:
        events, loaded = await load(sessions, args.cases)
        pure, written, opened = await deadlines(sessions, events)
        started = time.perf_counter()
        async with sessions.begin() as session:
            planned = await plan_all(session, NOW, POLICY)
        replan = time.perf_counter() - started
        started = time.perf_counter()
        async with sessions.begin() as session:
            again = await plan_all(session, NOW, POLICY)
        replan_again = time.perf_counter() - started
        refresh_ms = await refresh_sample(sessions, min(1000, args.cases))
        async with sessions() as session:
            reminders = await session.scalar(select(func.count()).select_from(ReminderRecord))
        query_ms, found, plan = await due_query(sessions)
        free_rate, free_sent, _ = await dispatch(sessions, args.dispatch, limited=False, concurrency=args.concurrency)
        limited_rate, limited_sent, floods = await dispatch(sessions, args.limited, limited=True, concurrency=args.concurrency)
    finally:
        await engine.dispose()
    return {"database": name, "cases": args.cases, "events": sum(len(e) for e in events.values()),
            "open": opened, "reminders": reminders, "load_s": loaded, "due_dates_s": pure, "write_s": written,
            "replan_s": replan, "replan_added": planned.added, "replan_again_s": replan_again,
            "replan_again_added": again.added, "refresh_ms": refresh_ms, "query_ms": query_ms, "query_rows": found,
            "plan": plan, "free_rate": free_rate, "free_sent": free_sent, "limited_rate": limited_rate,
            "limited_sent": limited_sent, "floods": floods}


def table(results: list[dict[str, Any]]) -> str:
    rows = [
        ("cases / events / open deadlines", lambda r: f"{r['cases']:,} / {r['events']:,} / {r['open']:,}"),
        ("bulk load of cases and events (s)", lambda r: f"{r['load_s']:.1f}"),
        ("due_dates for every case, pure (s)", lambda r: f"{r['due_dates_s']:.1f}"),
        ("write the deadline rows (s)", lambda r: f"{r['write_s']:.1f}"),
        ("plan_all: first plan (s) / rows added", lambda r: f"{r['replan_s']:.1f} / {r['replan_added']:,}"),
        ("plan_all again, nothing to do (s)", lambda r: f"{r['replan_again_s']:.1f} ({r['replan_again_added']} added)"),
        ("refresh_deadlines + replan, per case (ms)", lambda r: f"{r['refresh_ms']:.2f}"),
        ("due-reminders query, limit 100 (ms, median)", lambda r: f"{r['query_ms']:.2f} ({r['query_rows']} rows)"),
        ("dispatch, unlimited (msg/s)", lambda r: f"{r['free_rate']:.0f} ({r['free_sent']} sent)"),
        ("dispatch, paced 29/s + AIORateLimiter, fake at 30/s (msg/s)",
         lambda r: f"{r['limited_rate']:.1f} ({r['limited_sent']} sent, {r['floods']} × 429)"),
    ]
    head = "| measure | " + " | ".join(r["database"] for r in results) + " |"
    lines = [head, "| --- |" + " ---: |" * len(results)]
    lines += [f"| {label} | " + " | ".join(cell(r) for r in results) + " |" for label, cell in rows]
    return "\n".join(lines)


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--dispatch", type=int, default=2000, help="reminders sent without a rate limiter")
    parser.add_argument("--limited", type=int, default=300, help="reminders sent with the rate limiter")
    parser.add_argument("--postgres-url", help="an empty PostgreSQL database (default: start a throw-away server)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--concurrency", type=int, default=1,
                        help="sends in flight (config.yml reminders.concurrency; 1 = at most one duplicate per crash)")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(await run("SQLite (file, WAL)", f"sqlite+aiosqlite:///{tmp}/bench.db", args))
    if args.postgres_url:
        results.append(await run("PostgreSQL", args.postgres_url, args))
    elif not args.no_postgres:
        with postgres() as url:
            results.append(await run("PostgreSQL 15", url, args))
    print(table(results))
    for r in results:
        print(f"\n{r['database']} due-query plan: {r['plan']}")
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\npeak RSS of the whole run: {peak_mb:.0f} MB")


if __name__ == "__main__":
    asyncio.run(main())
