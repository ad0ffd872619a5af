"""The command line as a person or a script uses it: real processes, real content."""

from __future__ import annotations

import gc
import io
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.config import Settings
from bot.cli.terminal import TerminalChannel
from bot.wiring import build_app
from conftest import ROOT
from dialogs import Incoming

STIFINDER = [sys.executable, "-m", "bot.cli"]


def run(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {**os.environ, "STIFINDER_SECRET": "test-secret", **(env or {})}
    return subprocess.run([*STIFINDER, *args], input=stdin, capture_output=True, text=True, cwd=ROOT,
                          env=environ, timeout=120)


def test_ask_prints_the_answer_with_its_source() -> None:
    result = run("ask", "hvor lang tid har kommunen til at starte min behandling?")
    assert result.returncode == 0, result.stderr
    assert "14 dage" in result.stdout and "Kilde:" in result.stdout


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """`stifinder ask --jsonl < many | head -1`: when the reader goes, the command ends quietly."""
    lines = "".join(json.dumps({"chat": f"c{n}", "text": "hvad koster behandlingen?"}) + "\n" for n in range(300))
    process = subprocess.Popen([*STIFINDER, "ask", "--jsonl"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, cwd=ROOT, env={**os.environ, "STIFINDER_SECRET": "s"})
    assert process.stdin is not None and process.stdout is not None and process.stderr is not None
    process.stdin.write(lines.encode())
    process.stdin.close()
    assert json.loads(process.stdout.readline())["reply"]
    process.stdout.close()  # like `head -1`
    assert process.wait(timeout=120) == 1
    with process.stderr:
        assert "Traceback" not in process.stderr.read().decode()


def test_ask_without_a_question_says_how() -> None:
    result = run("ask")
    assert result.returncode == 2 and "--jsonl" in result.stderr


def test_ask_jsonl_keeps_state_per_chat_and_reports_bad_lines() -> None:
    lines = [
        {"chat": "a", "text": "hvem skal jeg ringe til"},
        {"chat": "b", "text": "hvem skal jeg ringe til"},
        {"chat": "a", "text": "jeg er 45"},
        "this is not json",
        {"chat": "b", "text": "22"},
        {"chat": "b", "text": "nej"},
        {"text": "does it cost anything?", "role": "citizen"},
        {"chat": "c", "text": "x", "role": "wizard"},
    ]
    stdin = "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n"
    result = run("ask", "--jsonl", stdin=stdin)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert result.returncode == 1  # some lines were bad, and said so
    assert len(out) == len(lines)
    assert out[0]["intent"].startswith("faq/contact") or out[0]["intent"] == "need_help"
    assert "9945 4421" in out[2]["reply"] and "9945 4705" not in out[2]["reply"]
    assert out[3] == {"line": 4, "error": "not valid JSON"}
    assert "9945 4705" in out[5]["reply"] and "9945 4421" not in out[5]["reply"]
    assert out[6]["lang"] == "en" and "free" in out[6]["reply"] and out[6]["sources"]
    assert out[7]["line"] == 8 and "wizard" in out[7]["error"]
    for record in out[:3]:
        assert {"chat", "text", "reply", "intent", "confidence", "sources"} <= set(record)


def test_check_passes_on_the_shipped_content() -> None:
    result = run("check")
    assert result.returncode == 0, result.stderr
    assert "content ok" in result.stdout


def test_a_broken_config_is_named(tmp_path: Path) -> None:
    bad = tmp_path / "config.yml"
    bad.write_text("municipality: {}\n", encoding="utf-8")
    result = run("ask", "hej", env={"STIFINDER_CONFIG": str(bad)})
    assert result.returncode == 2 and "municipality.offices' is missing" in result.stderr


async def test_terminal_chat_with_numbered_buttons(settings: Settings) -> None:
    app = await build_app(settings, database_url="sqlite+aiosqlite://")
    try:
        stdin = io.StringIO("jeg har brug for hjælp\n3\n/quit\n")
        stdout = io.StringIO()
        await TerminalChannel(app, stdin, stdout, chat_id="t").run()
    finally:
        await app.close()
    screen = stdout.getvalue()
    assert "Stifinder" in screen  # the greeting
    assert "[1] Under 18" in screen and "[3] 30 år eller ældre" in screen
    assert "9945 4421" in screen.split("[3] 30 år eller ældre")[-1]


async def test_what_the_app_loads_is_left_out_of_collections_until_it_closes(settings: Settings) -> None:
    assert gc.isenabled() and gc.get_freeze_count() == 0
    app = await build_app(settings, database_url="sqlite+aiosqlite://")
    try:
        assert gc.isenabled()  # paused while loading only
        assert gc.get_freeze_count() > 100_000  # the models, the patterns, the standard
        asked = Incoming(conv="heap", text="koster det noget?", at=datetime.now(timezone.utc))
        assert "gratis" in (await app.engine.handle(asked)).text
    finally:
        await app.close()
    assert gc.get_freeze_count() == 0  # a closed app's objects can be collected again


@pytest.mark.parametrize("args", [["nlu", "evaluate", "--folds", "1"]])
def test_bad_arguments_are_refused(args: list[str]) -> None:
    assert run(*args).returncode == 2


def test_export_rasa_writes_answers_with_the_numbers_spelled_out(tmp_path: Path) -> None:
    result = run("nlu", "export-rasa", str(tmp_path / "project"))
    assert result.returncode == 0, result.stderr
    domain = (tmp_path / "project" / "domain.yml").read_text(encoding="utf-8")
    assert "{routing_rule}" not in domain and "9945 4421" in domain and "9945 4705" in domain


def test_log_redaction_masks_tokens_in_urls() -> None:
    from privacy import redact

    line = redact("POST http://127.0.0.1:5005/model/parse?token=s3cr3t&x=1 via bot123456:AAAAAAAAAAAAAAAAAAAAAAAA")
    assert "s3cr3t" not in line and "AAAAAAAA" not in line


def test_check_names_a_bad_setting_of_the_caseworker_features(tmp_path: Path) -> None:
    from bot.cli.check import check_content
    from bot.config import load_settings

    config = (ROOT / "config.yml").read_text(encoding="utf-8")
    config = config.replace('  at: "08:00"', '  at: "25:00"').replace("  max_results: 5 ", "  max_results: -1 ")
    assert '"25:00"' in config and "max_results: -1" in config
    path = tmp_path / "config.yml"
    path.write_text(config, encoding="utf-8")
    problems = check_content(load_settings(path, environ={}))
    assert any(p.startswith("config reminders:") for p in problems), problems
    assert any(p.startswith("config providers:") for p in problems), problems
