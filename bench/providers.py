"""Provider desk latency: NLU + query + rendering per question over a generated 5,000-provider catalogue.

Usage: .venv/bin/python bench/providers.py [--providers 5000] [--rounds 20]
Runs every question of tests/eval/team_questions.yml `rounds` times against
tests/fakes/providers.py's generate_catalogue(n, seed=1) and prints p50/p99 per stage.
Goal (issue 5): p50 ≤ 2 ms for NLU + query + rendering.

Wall-clock times include whatever else the machine runs; the last row is the same answers measured
in this thread's CPU time, which a busy machine barely moves, so a p99 far above its CPU p99 is
the machine's noise rather than the desk's work. The load average is printed with the results.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from dialogs.providers.desk import ProviderDesk  # noqa: E402
from dialogs.replies import render_message  # noqa: E402
from fakes.provider_desk import NOW, FixedCatalogue, load_eval  # noqa: E402
from fakes.providers import generate_catalogue  # noqa: E402
from knowledge.providers.query import search  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--providers", type=int, default=5000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    started = time.perf_counter()
    providers = generate_catalogue(args.providers, 1)
    desk = ProviderDesk(FixedCatalogue(providers))
    await desk.answer("døgn", now=NOW)  # builds the index and the name index once
    build = time.perf_counter() - started
    texts = [(q["text"], q.get("lang", "da")) for q in load_eval()]
    nlu: list[float] = []
    query: list[float] = []
    total: list[float] = []
    cpu: list[float] = []
    for _ in range(args.rounds):
        for text, lang in texts:
            t0 = time.perf_counter()
            request = desk.parse(text)
            t1 = time.perf_counter()
            if request.kind.value == "search":
                # the query stage alone: filter, count, order and build the shown page
                search(desk._index, desk.to_query(request)).page(0, desk.settings.max_results)
            t2 = time.perf_counter()
            c2 = time.thread_time()
            answer = await desk.answer(text, now=NOW)  # parse + query, then rendering: end to end
            if answer is not None:
                render_message(answer.reply, lang)
            t3 = time.perf_counter()
            cpu.append((time.thread_time() - c2) * 1000)
            nlu.append((t1 - t0) * 1000)
            query.append((t2 - t1) * 1000)
            total.append((t3 - t2) * 1000)
    print(f"catalogue: {args.providers} providers, index + name index built in {build * 1000:.0f} ms "
          f"(incl. generation); {len(texts)} questions × {args.rounds} rounds; "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'stage':<34}{'p50 ms':>8}{'p99 ms':>8}{'mean ms':>9}")
    for name, values in (("NLU (parse)", nlu), ("query (search + first page)", query),
                         ("NLU + query + rendering (answer)", total), ("answer, CPU time of the thread", cpu)):
        print(f"{name:<34}{percentile(values, 0.5):>8.3f}{percentile(values, 0.99):>8.3f}{statistics.mean(values):>9.3f}")


if __name__ == "__main__":
    asyncio.run(main())
