"""Benchmark the NLU backends on the same evaluation set, in one run.

    .venv/bin/python bench/nlu.py [--no-rasa] [--json FILE] [--parses N] [--rasa-parses N]

For the embedded classifier: the citizen questions' pass rate (bot.evaluation.score_questions),
parse latency (LocalParser.parse_sync, one thread, warm), training time (nlu.train_and_save), and
the cold start and peak RSS of `.venv/bin/stifinder ask "koster det noget?"` with its model cache
warm. For Rasa 3.6.21 with the DIET pipeline and with the light one (both from nlu.rasa_export):
the same pass rate through Stifinder's engine with the Rasa backend, parse latency over HTTP (warm,
through RasaParser), `rasa train nlu` time, the server's start-to-ready time and its RSS.

Progress goes to stderr, the table to stdout. Everything is written under a temporary directory
(the CLI runs against a copy of config.yml), so nothing lands in the repository unless --json asks.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import Settings, load_settings  # noqa: E402
from bot.evaluation import EVAL_DIR, load_yaml, score_questions  # noqa: E402
from bot.storage import open_database  # noqa: E402
from bot.wiring import build_retriever, build_safety  # noqa: E402
from dialogs import Deps, DialogEngine, SafetyScreen  # noqa: E402
from knowledge import load_standard, render  # noqa: E402
from nlu import EntityExtractor, LocalParser, Parser, load_training_data, train_and_save  # noqa: E402
from nlu.rasa_client import RasaParser  # noqa: E402
from nlu.rasa_export import export_project  # noqa: E402

RASA_VERSION = "3.6.21"
RASA_ENV = Path(os.environ.get("STIFINDER_RASA_ENV") or Path.home() / ".cache" / "stifinder" / f"rasa-{RASA_VERSION}")
RASA_CONFIGS = (("Rasa 3.6.21, DIET pipeline", "config.yml"), ("Rasa 3.6.21, light pipeline", "config-light.yml"))
COLD_START_QUESTION = "koster det noget?"


def progress(message: str) -> None:
    print(f"bench: {message}", file=sys.stderr, flush=True)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def eval_texts() -> list[str]:
    return [q["text"] for q in load_yaml("citizen_questions.yml", EVAL_DIR)["questions"]]


def make_deps(settings: Settings) -> Deps:
    standard = load_standard(settings.standard_dir, settings.municipality.standard_title)
    return Deps(standard=standard, municipality=settings.municipality,
                retriever=build_retriever(standard, settings.nlu_data_dir), safety=build_safety(settings),
                threshold=settings.nlu_threshold, ttl_minutes=settings.conversation_ttl_minutes,
                default_lang=settings.default_lang)


async def pass_rate(deps: Deps, parser: Parser) -> tuple[int, int]:
    """Score the citizen questions through a dialog engine with this parser."""
    database, sessions = await open_database("sqlite+aiosqlite://")
    try:
        score = await score_questions(DialogEngine(deps, parser, sessions))
    finally:
        await database.dispose()
    return score.passed, score.total


# --- the embedded classifier ------------------------------------------------------------------

def bench_embedded(settings: Settings, deps: Deps, work: Path, parses: int) -> dict[str, Any]:
    data = load_training_data(settings.nlu_data_dir)
    progress(f"embedded: training on {len(data.examples)} examples (3 runs) ...")
    seconds = []
    for run in range(3):
        classifier, took = train_and_save(data, work / f"embedded-{run}")
        seconds.append(took)
    parser = LocalParser(classifier, EntityExtractor(data))
    progress("embedded: scoring the citizen questions ...")
    passed, total = asyncio.run(pass_rate(deps, parser))
    texts = eval_texts()
    for text in texts:  # warm
        parser.parse_sync(text)
    progress(f"embedded: timing {parses} parses ...")
    latencies: list[float] = []
    while len(latencies) < parses:
        for text in texts:
            started = time.perf_counter_ns()
            parser.parse_sync(text)
            latencies.append((time.perf_counter_ns() - started) / 1000)
    net_p50, screen_p50 = bench_safety_net(deps.safety, texts, parses)
    cold, rss = cold_start(work)
    return {"name": "embedded (char n-grams + linear)", "passed": passed, "total": total,
            "safety_net_p50_us": net_p50, "safety_screen_p50_us": screen_p50,
            "p50_us": percentile(latencies, 0.5), "p99_us": percentile(latencies, 0.99), "parses": len(latencies),
            "train_s": statistics.median(seconds), "start_s": cold, "rss_mb": rss,
            "start_what": "`stifinder ask` process, start to answer", "rss_what": "peak RSS of `stifinder ask`"}


def bench_safety_net(screen: SafetyScreen, texts: list[str], parses: int) -> tuple[float, float]:
    """What the learned net adds to a turn: p50 of the whole screen minus p50 of the patterns alone (µs)."""
    progress(f"embedded: timing the safety screen with and without the net ({parses} each) ...")
    for text in texts:  # warm
        screen.screen(text)
    timings: dict[bool, list[float]] = {True: [], False: []}
    while len(timings[True]) < parses:
        for text in texts:
            for learned in (True, False):
                started = time.perf_counter_ns()
                screen.screen(text, learned=learned)
                timings[learned].append((time.perf_counter_ns() - started) / 1000)
    with_net = percentile(timings[True], 0.5)
    return with_net - percentile(timings[False], 0.5), with_net


def cold_start(work: Path, runs: int = 5) -> tuple[float, float]:
    """Time `stifinder ask` from process start to answer (median) and its peak RSS in MB (median)."""
    home = work / "cli"
    home.mkdir()
    shutil.copy(ROOT / "config.yml", home / "config.yml")  # var/ (model cache, secret) lands in `home`
    env = {**os.environ, "STIFINDER_CONFIG": str(home / "config.yml")}
    command = [str(ROOT / ".venv" / "bin" / "stifinder"), "ask", COLD_START_QUESTION]
    progress("embedded: warming the CLI's model cache ...")
    subprocess.run(command, env=env, cwd=home, check=True, capture_output=True)
    walls, peaks = [], []
    rss_file = home / "rss.txt"
    for run in range(runs):
        progress(f"embedded: cold start {run + 1}/{runs} ...")
        with (home / "ask.log").open("w") as log:
            started = time.perf_counter()
            # /usr/bin/time measures the peak RSS of `stifinder ask` itself. The rusage of a child forked from
            # this (large) benchmark process would count the parent's pages copied at fork time before exec.
            done = subprocess.run(["/usr/bin/time", "-f", "%M", "-o", str(rss_file), *command], env=env, cwd=home,
                                  stdout=log, stderr=subprocess.STDOUT, check=False)
            walls.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"bench: `stifinder ask` failed with {done.returncode}:\n{tail(home / 'ask.log')}")
        peaks.append(int(rss_file.read_text().split()[-1]) / 1024)  # KiB
    return statistics.median(walls), statistics.median(peaks)


# --- Rasa ---------------------------------------------------------------------------------------

def rasa_environ() -> dict[str, str]:
    return {**os.environ, "RASA_TELEMETRY_ENABLED": "false", "RASA_MAX_CACHE_SIZE": "0",
            "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}


def tail(path: Path, lines: int = 30) -> str:
    return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])


def export(settings: Settings, project: Path) -> None:
    standard = load_standard(settings.standard_dir, settings.municipality.standard_title)
    values = settings.municipality.placeholders()
    export_project(project, settings.nlu_data_dir,
                   {f"utter_faq/{e.id}": render(e.answer["da"], values) for e in standard})


def train_rasa(project: Path, config: str) -> tuple[Path, float]:
    name = Path(config).stem
    log = project / f"train-{name}.log"
    rasa = RASA_ENV / "bin" / "rasa"
    started = time.perf_counter()
    with log.open("w") as out:
        done = subprocess.run([str(rasa), "train", "nlu", "--config", config, "--nlu", "data/nlu.yml",
                               "--domain", "domain.yml", "--out", "models", "--fixed-model-name", name,
                               "--num-threads", str(min(os.cpu_count() or 1, 4))],
                              cwd=project, env=rasa_environ(), stdout=out, stderr=subprocess.STDOUT, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"bench: rasa train nlu --config {config} failed:\n{tail(log)}")
    return project / "models" / f"{name}.tar.gz", seconds


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def tree_rss_mb(pid: int) -> tuple[float, float]:
    """Return the RSS and peak RSS (VmHWM) of a process and its descendants, in MB."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    rss = peak = 0.0
    todo = [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            fields = dict(line.split(":", 1) for line in (Path("/proc") / str(current) / "status").read_text().splitlines())
        except OSError:
            continue
        rss += int(fields["VmRSS"].split()[0]) / 1024
        peak += int(fields["VmHWM"].split()[0]) / 1024
    return rss, peak


def serve(model: Path, project: Path, name: str) -> tuple[subprocess.Popen[bytes], str, str, float]:
    port, token = free_port(), secrets.token_urlsafe(16)
    log = project / f"run-{name}.log"
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    with log.open("w") as out:
        process = subprocess.Popen([str(RASA_ENV / "bin" / "rasa"), "run", "--enable-api", "-i", "127.0.0.1",
                                    "--port", str(port), "--model", str(model), f"--auth-token={token}"],
                                   cwd=project, env=rasa_environ(), stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 300
    with httpx.Client(timeout=2.0) as client:
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise SystemExit(f"bench: rasa run exited with {process.returncode}:\n{tail(log)}")
            try:
                status = client.get(f"{url}/status", params={"token": token})
                if status.is_success and status.json().get("model_file"):
                    return process, url, token, time.perf_counter() - started
            except httpx.TransportError:
                pass
            time.sleep(0.2)
    stop(process)
    raise SystemExit(f"bench: rasa run not ready within 300 s:\n{tail(log)}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=20)


async def rasa_numbers(deps: Deps, url: str, token: str, parses: int) -> tuple[int, int, list[float]]:
    parser = RasaParser(url, token=token, timeout=30.0)
    try:
        passed, total = await pass_rate(deps, parser)
        texts = eval_texts()
        for text in texts:  # warm
            await parser.parse(text)
        latencies: list[float] = []
        while len(latencies) < parses:
            for text in texts:
                started = time.perf_counter_ns()
                await parser.parse(text)
                latencies.append((time.perf_counter_ns() - started) / 1000)
    finally:
        await parser.aclose()
    return passed, total, latencies


def bench_rasa(settings: Settings, deps: Deps, work: Path, parses: int) -> list[dict[str, Any]]:
    project = work / "rasa"
    export(settings, project)
    rows = []
    for label, config in RASA_CONFIGS:
        progress(f"{label}: rasa train nlu --config {config} (minutes) ...")
        model, train_s = train_rasa(project, config)
        progress(f"{label}: trained in {train_s:.0f} s; starting rasa run ...")
        process, url, token, start_s = serve(model, project, Path(config).stem)
        try:
            progress(f"{label}: ready in {start_s:.1f} s; scoring and timing {parses} parses over HTTP ...")
            passed, total, latencies = asyncio.run(rasa_numbers(deps, url, token, parses))
            rss, peak = tree_rss_mb(process.pid)
        finally:
            stop(process)
        rows.append({"name": label, "passed": passed, "total": total, "p50_us": percentile(latencies, 0.5),
                     "p99_us": percentile(latencies, 0.99), "parses": len(latencies), "train_s": train_s,
                     "start_s": start_s, "rss_mb": rss, "peak_rss_mb": peak,
                     "start_what": "`rasa run` start to GET /status ready", "rss_what": "server RSS after the run"})
    return rows


# --- output -------------------------------------------------------------------------------------

def table(rows: list[dict[str, Any]], meta: dict[str, Any]) -> str:
    head = ("backend", "eval pass", "parse p50", "parse p99", "train", "cold start", "RSS")
    lines = [tuple(head)]
    for r in rows:
        rss = f"{r['rss_mb']:,.0f} MB" + (f" (peak {r['peak_rss_mb']:,.0f})" if "peak_rss_mb" in r else "")
        lines.append((r["name"], f"{r['passed']}/{r['total']} {r['passed'] / r['total']:.1%}",
                      f"{r['p50_us']:,.0f} µs", f"{r['p99_us']:,.0f} µs", f"{r['train_s']:.1f} s",
                      f"{r['start_s']:.2f} s", rss))
    widths = [max(len(line[i]) for line in lines) for i in range(len(head))]
    out = [f"NLU benchmark, {meta['date']}, {meta['cpus']} CPUs, Python {meta['python']}; "
           f"eval set tests/eval/citizen_questions.yml"]
    for index, line in enumerate(lines):
        out.append("  ".join(cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(line)))
        if index == 0:
            out.append("  ".join("-" * w for w in widths))
    out.append("")
    for r in rows:
        out.append(f"{r['name']}: latency over {r['parses']} parses; cold start = {r['start_what']}; "
                   f"RSS = {r['rss_what']}")
        if "safety_net_p50_us" in r:
            out.append(f"safety screen per turn: p50 {r['safety_screen_p50_us']:,.0f} µs, of which the learned net "
                       f"adds {r['safety_net_p50_us']:,.0f} µs (goal ≤ 300 µs)")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--no-rasa", action="store_true", help="skip Rasa (no Python 3.10 environment needed)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON to this file")
    parser.add_argument("--parses", type=int, default=2000, help="embedded parses to time (default 2000)")
    parser.add_argument("--rasa-parses", type=int, default=1000, help="Rasa parses over HTTP to time (default 1000)")
    args = parser.parse_args(argv)
    settings = load_settings(ROOT / "config.yml", environ={})
    deps = make_deps(settings)
    meta = {"date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), "cpus": os.cpu_count(),
            "python": platform.python_version(), "machine": platform.machine()}
    with tempfile.TemporaryDirectory(prefix="stifinder-bench-") as tmp:
        work = Path(tmp)
        rows = [bench_embedded(settings, deps, work, args.parses)]
        if not args.no_rasa:
            if not (RASA_ENV / ".stifinder-complete").exists():
                progress(f"no Rasa environment at {RASA_ENV}: run `make rasa-env` (or pass --no-rasa)")
                return 2
            rows += bench_rasa(settings, deps, work, args.rasa_parses)
    print(table(rows, meta))
    if args.json:
        args.json.write_text(json.dumps({"meta": meta, "rows": rows}, indent=2, ensure_ascii=False) + "\n",
                             encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
