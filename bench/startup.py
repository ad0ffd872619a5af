"""Cold start of `stifinder ask`: the whole process, from exec to the printed answer, with its phases.

Goal: ≤ 1.0 s. The model caches are warm (a first run trains them and is not counted), and so is Python's
bytecode cache: a deployed assistant has its `.pyc` files (pip writes them on install, Python on first run),
so the bench lifts PYTHONDONTWRITEBYTECODE for its children, which some shells set. Wall time depends on
what else the machine runs, so the CPU time of the process (user + system) is printed beside it; the
phases come from one more run in this process, timed around each step of `build_app`.

    .venv/bin/python bench/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
STIFINDER = [sys.executable, "-m", "bot.cli", "ask", "koster det noget?"]


# A deployment's processes find their bytecode written; a shell that forbids writing it measures the compiler.
CHILD_ENV = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}


def one_process() -> tuple[float, float]:
    """Run `stifinder ask` once; return its wall time and CPU time in seconds."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(STIFINDER, cwd=ROOT, check=True, stdout=subprocess.DEVNULL, env=CHILD_ENV)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


PHASES = r'''
import asyncio, time, sys
t0 = time.perf_counter()
from bot.config import load_settings
from bot import wiring
from bot.cli.ask import ask_one
t1 = time.perf_counter()
marks = {}
def timed(name, function):
    def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            marks[name] = marks.get(name, 0.0) + time.perf_counter() - started
    return wrapper
def timed_async(name, function):
    async def wrapper(*args, **kwargs):
        started = time.perf_counter()
        try:
            return await function(*args, **kwargs)
        finally:
            marks[name] = marks.get(name, 0.0) + time.perf_counter() - started
    return wrapper
for name in ("load_standard", "load_local_parser", "build_retriever", "build_safety", "build_engine",
             "build_provider_desk", "load_reminders_config"):
    setattr(wiring, name, timed(name, getattr(wiring, name)))
wiring.open_database = timed_async("open_database", wiring.open_database)
async def main():
    settings = load_settings()
    t2 = time.perf_counter()
    app = await wiring.build_app(settings, database_url="sqlite+aiosqlite://")
    t3 = time.perf_counter()
    from dialogs import Incoming
    from datetime import datetime, timezone
    await app.engine.handle(Incoming(conv="bench", text="koster det noget?", at=datetime.now(timezone.utc)))
    t4 = time.perf_counter()
    await app.close()
    print(f"imports {(t1 - t0) * 1000:.0f}")
    print(f"build_app {(t3 - t2) * 1000:.0f}")
    for name, seconds in sorted(marks.items(), key=lambda item: -item[1]):
        print(f"  {name} {seconds * 1000:.0f}")
    print(f"first answer {(t4 - t3) * 1000:.0f}")
asyncio.run(main())
'''


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    one_process()  # warms the model caches and the file system
    walls, cpus = [], []
    for run in range(args.runs):
        wall, cpu = one_process()
        walls.append(wall)
        cpus.append(cpu)
        print(f"\rrun {run + 1}/{args.runs}", end="", file=sys.stderr, flush=True)
    print(file=sys.stderr)
    print(f"`stifinder ask` over {args.runs} runs (load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)")
    print(f"  wall  median {statistics.median(walls):.2f} s  min {min(walls):.2f} s  max {max(walls):.2f} s")
    print(f"  CPU   median {statistics.median(cpus):.2f} s  min {min(cpus):.2f} s  max {max(cpus):.2f} s")
    phases = subprocess.run([sys.executable, "-c", PHASES], cwd=ROOT, check=True, capture_output=True, text=True,
                            env=CHILD_ENV)
    print("phases of one run in ms (Python's own start-up, about 20 ms, not included):")
    for line in phases.stdout.splitlines():
        print("  " + line)


if __name__ == "__main__":
    main()
