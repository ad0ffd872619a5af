"""The reminders' delivery trial: real `stifinder run` processes, kill -9, stalls and dropped answers.

Two worker processes on one PostgreSQL send N due pings to the fake Bot API (tests/fakes/bot_api.py)
while the trial

- stalls sends past the lease: a 429 whose retry_after (default 15 s) is longer than the lease
  (default 10 s), which python-telegram-bot's rate limiter waits out inside the send;
- drops connections after Telegram accepted a message (the known duplicate: no idempotency key);
- kills one worker with SIGKILL in the middle and starts it again.

It then counts, per ping (by the reminder id in its "done" button): lost (never delivered) and delivered
more than once, and prints them with the faults injected and the rate the fake saw. The goal: 0 lost,
0 duplicates from stalls; duplicates only from the kill (at most the pings in flight) and from the
dropped connections.

Run: .venv/bin/python bench/reminder_trial.py [--pings 1200] [--lease 10] [--retry-after 15]
     [--stalls 3] [--drops 5]
A throw-away PostgreSQL 15 is started as in bench/reminders.py. Takes a few minutes.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import signal
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
# bench/reminders.py would shadow the reminders package: take bench/ off the path (as bench/reminders.py does).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fakes.bot_api import FakeBotApi, Fault  # noqa: E402
from fakes.due_pings import delivered, seed_due_pings  # noqa: E402


def _throwaway_postgres() -> Any:
    """bench/reminders.py's throw-away PostgreSQL 15 (loaded by path: its module name is taken)."""
    spec = importlib.util.spec_from_file_location("reminders_bench", ROOT / "bench" / "reminders.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.postgres()

CHAT = 7001


def config(directory: Path, lease: float) -> Path:
    data = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
    data["nlu"]["cache_dir"] = str(ROOT / "var" / "nlu")
    data["reminders"] = {"enabled": True, "tick_seconds": 0.5, "lease_seconds": lease, "batch_size": 20,
                         "concurrency": 2, "digest_at": "off"}
    path = directory / "config.yml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


async def start(fake: FakeBotApi, config_path: Path, url: str) -> asyncio.subprocess.Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("TELEGRAM_", "STIFINDER_"))}
    env.update(STIFINDER_SECRET="trial-secret", STIFINDER_DATABASE_URL=url, STIFINDER_CONFIG=str(config_path),
               TELEGRAM_BOT_TOKEN=fake.token, TELEGRAM_BASE_URL=fake.base_url)
    return await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", "run", cwd=ROOT, env=env,
                                                stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def trial(url: str, args: argparse.Namespace) -> None:
    due = await seed_due_pings(url, args.pings, CHAT, prefix="T")
    fake = FakeBotApi()
    await fake.start()
    fake.flood_limit = 30  # Telegram's ~30 messages a second per bot
    peak = 0
    with tempfile.TemporaryDirectory() as directory:
        path = config(Path(directory), args.lease)
        workers = [await start(fake, path, url), await start(fake, path, url)]
        started = time.monotonic()
        try:
            stalls = drops = 0
            killed = False
            while set(delivered(fake, CHAT)) != due:
                if time.monotonic() - started > args.timeout:
                    break
                count = len(delivered(fake, CHAT))
                if stalls < args.stalls and count >= (stalls + 1) * len(due) // (args.stalls + 2):
                    fake.fail("sendMessage", Fault.RETRY_AFTER, retry_after=args.retry_after)
                    stalls += 1
                if drops < args.drops and count >= (drops + 1) * len(due) // (args.drops + 2):
                    fake.fail("sendMessage", Fault.DELIVER_DROP)
                    drops += 1
                if not killed and count >= len(due) // 2:
                    workers[0].send_signal(signal.SIGKILL)
                    await workers[0].wait()
                    workers[0] = await start(fake, path, url)
                    killed = True
                recent = [c for c in fake.calls("sendMessage") if c.at > time.perf_counter() - 1.0]
                peak = max(peak, len(recent))
                await asyncio.sleep(0.2)
            await asyncio.sleep(args.lease + 2)  # a row claimed twice would show up now
        finally:
            for process in workers:
                if process.returncode is None:
                    process.send_signal(signal.SIGTERM)
            for process in workers:
                await asyncio.wait_for(process.wait(), 60)
            await fake.close()
    counts = delivered(fake, CHAT)
    lost = len(due - set(counts))
    twice = sum(1 for n in counts.values() if n > 1)
    extra = sum(n - 1 for n in counts.values() if n > 1)
    floods = len(fake.calls("sendMessage", outcome="429-flood"))
    print(f"pings {len(due)}; workers 2 on PostgreSQL 15; lease {args.lease:g} s; killed 1 with SIGKILL and restarted")
    print(f"faults: {stalls} stall(s) of a 429 with retry_after {args.retry_after} s, {drops} connection(s) dropped "
          f"after acceptance")
    print(f"lost {lost}; delivered twice or more {twice} (extra messages {extra}); "
          f"expected at most: the dropped connections ({drops}) + the pings in flight at the kill")
    print(f"sends in any one second at most {peak}; 429 for flooding {floods}; "
          f"time {time.monotonic() - started:.0f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pings", type=int, default=1200)
    parser.add_argument("--lease", type=float, default=10.0)
    parser.add_argument("--retry-after", type=int, default=15)
    parser.add_argument("--stalls", type=int, default=3)
    parser.add_argument("--drops", type=int, default=5)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()
    with _throwaway_postgres() as url:
        asyncio.run(trial(url, args))


if __name__ == "__main__":
    main()
