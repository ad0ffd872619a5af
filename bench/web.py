"""The web chat under load, on loopback: browser-like sessions against `stifinder serve` as a subprocess.

Each session creates itself, holds its event stream open and sends a citizen question every few seconds
(with an id, so each reply is matched to its message). Printed: the round trip from the POST to the first
event of its reply (p50, p99), replies lost (none within 10 s) and out of order, requests refused, and the
server's RSS; then how much memory `--streams` idle open event streams take.

Goals: 0 lost, 0 out of order; p50 ≤ 15 ms at 100 sessions on one worker; 500 open event streams within
300 MB RSS. One worker on SQLite; with --postgres also one and two workers on PostgreSQL, side by side.

    .venv/bin/python bench/web.py [--sessions 100] [--seconds 30] [--every 3] [--streams 500] [--postgres]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

from fakes.network import free_port  # noqa: E402



def rss_mb(pid: int) -> float:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # the process has ended
        return 0.0
    for line in status.splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else float("nan")


class Tally:
    def __init__(self) -> None:
        self.trips: list[float] = []
        self.lost = 0
        self.out_of_order = 0
        self.refused = 0
        self.failed = 0
        self.sent = 0


async def one_session(client: httpx.AsyncClient, questions: list[str], seconds: float, every: float,
                      tally: Tally, number: int) -> None:
    session = (await client.post("/chat/sessions")).json()["session"]
    waiting: dict[str, asyncio.Future[float]] = {}
    order: list[str] = []
    seen: list[str] = []

    async def listen() -> None:
        try:
            await read()
        except httpx.HTTPError:  # the server stopped while the stream was open
            pass

    async def read() -> None:
        last_id = 0
        async with client.stream("GET", f"/chat/sessions/{session}/events") as stream:
            async for line in stream.aiter_lines():
                if line.startswith("id: "):
                    event_id = int(line[4:])
                    if event_id <= last_id:
                        tally.out_of_order += 1
                    last_id = event_id
                elif line.startswith("data: "):
                    ref = json.loads(line[6:]).get("reply_to")
                    if ref in waiting and not waiting[ref].done():
                        waiting[ref].set_result(time.perf_counter())
                        seen.append(ref)

    listener = asyncio.create_task(listen())
    await asyncio.sleep(random.uniform(0, every))  # the sessions do not all write at the same moment
    end = time.perf_counter() + seconds
    count = 0
    while time.perf_counter() < end:
        ref = f"s{number}-m{count}"
        count += 1
        waiting[ref] = asyncio.get_running_loop().create_future()
        order.append(ref)
        started = time.perf_counter()
        try:
            response = await client.post(f"/chat/sessions/{session}/messages",
                                         json={"text": random.choice(questions), "id": ref})
        except httpx.HTTPError:  # the connection failed: counted, and the session goes on
            tally.failed += 1
            waiting.pop(ref).cancel()
            order.pop()
            continue
        tally.sent += 1
        if response.status_code != 202:
            tally.refused += 1
            waiting.pop(ref).cancel()
            order.pop()
        else:
            try:
                tally.trips.append((await asyncio.wait_for(waiting[ref], 10) - started) * 1000)
            except TimeoutError:
                tally.lost += 1
        await asyncio.sleep(random.uniform(0.5, 1.5) * every)
    if seen != [ref for ref in order if ref in seen]:
        tally.out_of_order += 1
    listener.cancel()


async def idle_streams(client: httpx.AsyncClient, count: int) -> list[asyncio.Task[None]]:
    async def hold() -> None:
        session = (await client.post("/chat/sessions")).json()["session"]
        try:
            async with client.stream("GET", f"/chat/sessions/{session}/events") as stream:
                async for _ in stream.aiter_lines():
                    pass
        except httpx.HTTPError:  # the server stopped while the stream was open
            pass

    tasks = [asyncio.create_task(hold()) for _ in range(count)]
    await asyncio.sleep(3)
    return tasks


async def measure(name: str, args: argparse.Namespace, questions: list[str], env: dict[str, str],
                  workers: int) -> None:
    """Start `stifinder serve`, run the sessions and the open streams against it, print one block."""
    port = free_port()
    server = await asyncio.create_subprocess_exec(sys.executable, "-m", "bot.cli", "serve", "--port", str(port),
                                                  "--workers", str(workers), cwd=ROOT, env=env,
                                                  stderr=asyncio.subprocess.PIPE)
    limits = httpx.Limits(max_connections=args.sessions + args.streams + 50, max_keepalive_connections=None)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=30, limits=limits) as client:
            ready = 0
            for _ in range(600):
                if server.returncode is not None:
                    assert server.stderr is not None
                    said = (await server.stderr.read()).decode()[-1500:]
                    raise SystemExit(f"bench: stifinder serve exited with {server.returncode}:\n{said}")
                try:
                    ready = ready + 1 if (await client.get("/readyz")).status_code == 200 else 0
                except httpx.TransportError:
                    ready = 0
                if ready >= 10:  # every worker up
                    break
                await asyncio.sleep(0.1)
            assert server.stderr is not None
            drain = asyncio.create_task(server.stderr.read())  # a full pipe would stop the server
            idle_rss = server_rss(server.pid)
            tally = Tally()
            started = time.perf_counter()
            await asyncio.gather(*(one_session(client, questions, args.seconds, args.every, tally, n)
                                   for n in range(args.sessions)))
            took = time.perf_counter() - started
            busy_rss = server_rss(server.pid)
            print(f"{name}: {args.sessions} sessions, a question every ~{args.every:g} s for {args.seconds:g} s; "
                  f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
            print(f"  messages {tally.sent} ({tally.sent / took:.1f}/s), answered {len(tally.trips)}, lost {tally.lost}, "
                  f"out of order {tally.out_of_order}, refused {tally.refused}, failed to send {tally.failed}")
            print(f"  round trip POST → reply event: p50 {percentile(tally.trips, 0.5):.1f} ms, "
                  f"p99 {percentile(tally.trips, 0.99):.1f} ms, mean {statistics.mean(tally.trips):.1f} ms")
            print(f"  server RSS (all its processes): {idle_rss:.0f} MB ready, {busy_rss:.0f} MB after the run")
            holders = await idle_streams(client, args.streams)
            print(f"  {args.streams} open event streams: server RSS {server_rss(server.pid):.0f} MB")
            for task in holders:
                task.cancel()
            drain.cancel()
    finally:
        if server.returncode is None:
            server.send_signal(signal.SIGTERM)
            await asyncio.wait_for(server.wait(), 60)


def server_rss(pid: int) -> float:
    """The RSS of the server and its worker processes together, in MB."""
    total = rss_mb(pid)
    for child in Path("/proc").glob("[0-9]*"):
        try:
            if f"PPid:\t{pid}\n" in (child / "status").read_text():
                total += rss_mb(int(child.name))
        except OSError:
            continue
    return total


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--every", type=float, default=3, help="seconds between a session's messages (about)")
    parser.add_argument("--streams", type=int, default=500)
    parser.add_argument("--postgres", action="store_true",
                        help="also 1 and 2 workers on a throw-away PostgreSQL server (started as the tests do)")
    args = parser.parse_args()
    items = yaml.safe_load((ROOT / "tests" / "eval" / "citizen_questions.yml").read_text(encoding="utf-8"))
    questions = [item["text"] for item in items["questions"]]
    with tempfile.TemporaryDirectory() as tmp:
        # The limits are raised: the bench's sessions all come from one address.
        config = Path(tmp) / "config.yml"
        document = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf-8"))
        document["web"] = {**document.get("web", {}), "requests_per_minute": 100_000, "messages_per_minute": 1000}
        document["nlu"]["cache_dir"] = str((ROOT / document["nlu"]["cache_dir"]).resolve())  # the trained models
        config.write_text(yaml.safe_dump(document, allow_unicode=True), encoding="utf-8")
        env = {**os.environ, "STIFINDER_CONFIG": str(config), "STIFINDER_SECRET": "bench"}
        await measure("1 worker, SQLite", args, questions,
                      env | {"STIFINDER_DATABASE_URL": f"sqlite+aiosqlite:///{tmp}/web.db"}, 1)
        if args.postgres:
            from fakes.postgres import create_database, running_postgres

            with running_postgres() as server:
                for workers in (1, 2):
                    url = create_database(server, f"bench_{workers}")
                    await measure(f"{workers} worker{'s' if workers > 1 else ''}, PostgreSQL", args, questions,
                                  env | {"STIFINDER_DATABASE_URL": url}, workers)


if __name__ == "__main__":
    asyncio.run(main())
