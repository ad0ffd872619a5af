"""Benchmark the Telegram channel through the whole stack and print a table.

Path measured: the fake Bot API server on 127.0.0.1 (tests/fakes/bot_api.py) → getUpdates →
python-telegram-bot 22 (the production Application from bot.telegram.application.build_application) →
TelegramChannel → DialogEngine (NLU, routing, SQLite) → sendMessage back to the fake.

- latency: one message at a time; end to end is from queuing the update to the fake receiving the
  last sendMessage of its reply. "Added beyond NLU" subtracts the NLU parse of that message.
- throughput: a burst of messages from many chats queued at once, until every reply is received;
  without a rate limiter (the stack's own capacity) and with the production AIORateLimiter
  (Telegram's 30 messages/second overall), which caps it by design.

Run: .venv/bin/python bench/telegram.py [--messages 300] [--burst 1000] [--database file|memory]
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This file is named telegram.py: drop its own folder from the path so `import telegram` finds the library.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from telegram.ext import AIORateLimiter  # noqa: E402

from bot.config import Secret, load_settings  # noqa: E402
from bot.storage import open_database  # noqa: E402
from bot.telegram.config import TelegramSettings  # noqa: E402
from bot.reminders_config import load_reminders_config  # noqa: E402
from bot.wiring import App, build_engine, build_retriever, build_safety  # noqa: E402
from dialogs import Deps, DialogEngine, Incoming, Response  # noqa: E402
from fakes.bot_api import FakeBotApi  # noqa: E402
from fakes.telegram_harness import Harness, start_bot, stop_bot  # noqa: E402
from knowledge import load_standard  # noqa: E402
from nlu import Parse, Parser, load_local_parser  # noqa: E402

QUESTIONS = [
    "koster det noget?", "hvor lang tid går der før jeg kan starte behandling?", "kan jeg være anonym?",
    "hvem skal jeg ringe til", "jeg er 34", "hvordan klager jeg over en afgørelse?", "/start", "tak for hjælpen",
    "what does it cost?", "kan jeg vælge et andet behandlingssted?",
]
SETTINGS = TelegramSettings(poll_timeout=5, retry_backoff=0.05)


class TimedParser:
    """A Parser that records how long each parse took (seconds)."""

    def __init__(self, parser: Parser) -> None:
        self._parser = parser
        self.seconds: list[float] = []

    async def parse(self, text: str) -> Parse:
        started = time.perf_counter()
        try:
            return await self._parser.parse(text)
        finally:
            self.seconds.append(time.perf_counter() - started)


def timed(handle: Callable[[Incoming], Awaitable[Response]], into: list[float]) -> Callable[[Incoming], Awaitable[Response]]:
    """Wrap engine.handle so each turn's duration is recorded."""
    async def wrapper(incoming: Incoming) -> Response:
        started = time.perf_counter()
        try:
            return await handle(incoming)
        finally:
            into.append(time.perf_counter() - started)
    return wrapper


async def build(database_url: str, citizen_only: bool) -> tuple[App, TimedParser, list[float]]:
    settings = load_settings(ROOT / "config.yml", environ={})
    standard = load_standard(settings.standard_dir, settings.municipality.standard_title)
    local = load_local_parser(settings.nlu_data_dir, settings.nlu_cache_dir)
    deps = Deps(standard=standard, municipality=settings.municipality,
                retriever=build_retriever(standard, settings.nlu_data_dir), safety=build_safety(settings),
                threshold=settings.nlu_threshold, ttl_minutes=settings.conversation_ttl_minutes)
    parser = TimedParser(local)
    database, sessions = await open_database(database_url)
    # As `stifinder run` builds it: the engine asks its Directory who wrote every message.
    engine = DialogEngine(deps, parser, sessions) if citizen_only else build_engine(
        settings, deps, parser, sessions, None, load_reminders_config(settings).policy)
    turns: list[float] = []
    engine.handle = timed(engine.handle, turns)  # type: ignore[method-assign]
    app = App(engine=engine, database=database, secret=Secret("bench"), local_parser=local)
    return app, parser, turns


async def latency(bot: Harness, parser: TimedParser, turns: list[float], count: int) -> dict[str, list[float]]:
    """Send `count` messages one at a time; return per-message timings in milliseconds."""
    result: dict[str, list[float]] = {"end to end": [], "NLU parse": [], "added beyond NLU": [],
                                      "engine without NLU": [], "channel + PTB + HTTP": []}
    for n in range(count):
        person = bot.person(100_000 + n % 20)
        parses_before, turns_before, sent_before = len(parser.seconds), len(turns), len(bot.fake.sent())
        started = time.perf_counter()
        await bot.handled(person.says(QUESTIONS[n % len(QUESTIONS)]))
        finished = bot.fake.sent()[-1].at
        assert len(bot.fake.sent()) > sent_before
        parse = sum(parser.seconds[parses_before:])  # commands and payloads are not parsed
        turn = sum(turns[turns_before:])
        total = finished - started
        for key, value in (("end to end", total), ("NLU parse", parse), ("added beyond NLU", total - parse),
                           ("engine without NLU", turn - parse), ("channel + PTB + HTTP", total - turn)):
            result[key].append(value * 1000)
    return result


async def throughput(bot: Harness, count: int, chats: int) -> float:
    """Queue `count` messages from `chats` chats at once; return replies per second until all arrived."""
    people = [bot.person(200_000 + n) for n in range(chats)]
    started = time.perf_counter()
    updates = [people[n % chats].says(QUESTIONS[n % len(QUESTIONS)]) for n in range(count)]
    await bot.handled(*updates, timeout=600)
    return count / (time.perf_counter() - started)


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{tmp}/bench.db" if args.database == "file" else "sqlite+aiosqlite://"
        app, parser, turns = await build(url, args.citizen_only)
        fake = FakeBotApi()
        await fake.start()
        unlimited = AIORateLimiter(overall_max_rate=0, group_max_rate=0, max_retries=3)
        bot = await start_bot(fake, app, SETTINGS, rate_limiter=unlimited)
        try:
            await latency(bot, parser, turns, 20)  # warm-up
            timings = await latency(bot, parser, turns, args.messages)
            free = await throughput(bot, args.burst, args.chats)
        finally:
            await stop_bot(bot)
        bot = await start_bot(fake, app, SETTINGS)  # the production rate limiter
        try:
            limited = await throughput(bot, args.limited_burst, args.chats)
        finally:
            await stop_bot(bot)
            await fake.close()
            await app.close()
    print(table(timings, free, limited, args))


def table(timings: dict[str, list[float]], free: float, limited: float, args: argparse.Namespace) -> str:
    def pct(values: list[float], q: float) -> float:
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]

    handlers = "TelegramChannel" if args.citizen_only else "TelegramChannel (Directory: every role)"
    lines = [f"Telegram round trip: fake Bot API (127.0.0.1) → PTB 22.8 → {handlers} → DialogEngine → reply",
             f"SQLite {args.database}; latency over {args.messages} messages sent one at a time (after 20 warm-up)",
             "", f"| {'per message (ms)':<24} | {'p50':>7} | {'p99':>7} | {'mean':>7} |",
             f"|{'-' * 26}|{'-' * 9}|{'-' * 9}|{'-' * 9}|"]
    for key, values in timings.items():
        lines.append(f"| {key:<24} | {pct(values, 0.5):7.2f} | {pct(values, 0.99):7.2f} | "
                     f"{statistics.fmean(values):7.2f} |")
    lines += ["", f"| {'throughput':<58} | {'msg/s':>7} |", f"|{'-' * 60}|{'-' * 9}|",
              f"| {f'burst of {args.burst} from {args.chats} chats, no rate limiter':<58} | {free:7.1f} |",
              f"| {f'burst of {args.limited_burst}, production AIORateLimiter (30/s)':<58} | {limited:7.1f} |"]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--burst", type=int, default=1000)
    parser.add_argument("--limited-burst", type=int, default=300)
    parser.add_argument("--chats", type=int, default=100)
    parser.add_argument("--database", choices=("file", "memory"), default="file")
    parser.add_argument("--citizen-only", action="store_true",
                        help="an engine without the Directory (citizens only)")
    logging.basicConfig(level=logging.WARNING)
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
