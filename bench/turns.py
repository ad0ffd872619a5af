"""A turn's cost in one running process: the whole `DialogEngine.handle`, and the part that is not the answer.

Goal: the conversation's load and save (the database session, the transaction, reading and writing the
conversation's row, the purge check) cost ≤ 1 ms per further turn in one process. The citizen questions of
tests/eval/citizen_questions.yml are asked in 20 conversations (a conversation keeps to one language, as
people do), round after round, one turn a second, as `stifinder ask --jsonl` does; "answer" is the time in the engine's `_respond` (safety screen, NLU, router, handlers, rendering),
"conversation" the rest of `handle`, split into the turns that wrote the conversation (its state changed,
or its stored expiry was more than a minute old) and those that did not. SQLite in memory (as `ask`) and in a file (as `stifinder run`).

    .venv/bin/python bench/turns.py [--rounds 3]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT)]

from bot.config import load_settings  # noqa: E402
from bot.wiring import build_app  # noqa: E402
from dialogs import Incoming  # noqa: E402
from dialogs.citizen import flows  # noqa: E402

CONVERSATIONS = 20


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def measure(url: str, questions: list[tuple[str, str]], rounds: int) -> dict[str, list[float]]:
    app = await build_app(load_settings(), database_url=url)
    engine: Any = app.engine
    inner = engine._respond
    answering: list[float] = []

    async def timed_respond(*args: Any) -> Any:
        started = time.perf_counter()
        try:
            return await inner(*args)
        finally:
            answering.append((time.perf_counter() - started) * 1000)

    engine._respond = timed_respond
    save = flows.save
    wrote: list[bool] = []

    async def counted_save(*args: Any, **kwargs: Any) -> bool:
        written = await save(*args, **kwargs)
        wrote.append(written)
        return written

    flows.save = counted_save  # type: ignore[assignment]
    at = datetime.now(timezone.utc)
    totals: list[float] = []
    try:
        for number in range(CONVERSATIONS):  # first turns: not counted
            for lang in ("da", "en"):
                await engine.handle(Incoming(conv=f"{lang}-{number}", text="hej" if lang == "da" else "hello", at=at))
        answering.clear()
        wrote.clear()
        for _ in range(rounds):
            for number, (text, lang) in enumerate(questions):
                at += timedelta(seconds=1)
                started = time.perf_counter()
                await engine.handle(Incoming(conv=f"{lang}-{number % CONVERSATIONS}", text=text, at=at))
                totals.append((time.perf_counter() - started) * 1000)
    finally:
        flows.save = save  # type: ignore[assignment]
        await app.close()
    conversation = [t - a for t, a in zip(totals, answering)]
    return {"turn": totals, "answer": answering, "conversation": conversation,
            "  unchanged turn": [c for c, w in zip(conversation, wrote) if not w],
            "  written turn": [c for c, w in zip(conversation, wrote) if w]}


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    items = yaml.safe_load((ROOT / "tests" / "eval" / "citizen_questions.yml").read_text(encoding="utf-8"))
    questions = [(item["text"], item.get("lang", "da")) for item in items["questions"]]
    with tempfile.TemporaryDirectory() as tmp:
        urls = {"SQLite in memory": "sqlite+aiosqlite://", "SQLite file": f"sqlite+aiosqlite:///{tmp}/bench.db"}
        print(f"{len(questions)} questions × {args.rounds} rounds in {CONVERSATIONS} conversations; "
              f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
        print(f"{'database':<18}{'part':<18}{'turns':>6}{'p50 ms':>8}{'p90 ms':>8}{'mean ms':>9}")
        for name, url in urls.items():
            found = await measure(url, questions, args.rounds)
            for part, values in found.items():
                print(f"{name:<18}{part:<18}{len(values):>6}{percentile(values, 0.5):>8.2f}"
                      f"{percentile(values, 0.9):>8.2f}{statistics.mean(values):>9.2f}")


if __name__ == "__main__":
    asyncio.run(main())
