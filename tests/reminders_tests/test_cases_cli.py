"""`stifinder cases add|event` and `stifinder deadlines` as an administrator runs them: real processes on a
temporary SQLite file (and once on PostgreSQL), honouring STIFINDER_DATABASE_URL."""

from __future__ import annotations

import asyncio
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from bot.storage import open_database
from conftest import ROOT
from fakes.cli import Cli
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from reminders import add_caseworker

@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    return Cli(f"sqlite+aiosqlite:///{tmp_path / 'cases.db'}")


def test_a_case_from_request_to_treatment_with_its_deadlines(cli: Cli) -> None:
    assert cli.ok("cases", "add", "s-14").strip() == "case S-14 added"
    assert "1 deadline(s) open" in cli.ok("cases", "event", "S-14", "henvendelse", "--date", "2026-03-03")
    cli.ok("cases", "event", "S-14", "udredende_samtale", "--date", "2026-03-05")
    cli.ok("cases", "event", "S-14", "behandling_startet", "--date", "2026-03-16")

    records = json.loads(cli.ok("deadlines", "--json", "--today", "2026-03-18"))
    assert [(r["case"], r["rule"], r["kind"], r["due"], r["status"]) for r in records] == [
        ("S-14", "behandlingsplan_ved_start", "behandling_startet", "2026-03-16", "overdue"),  # started with no plan
        ("S-14", "behandlingsgaranti", "henvendelse", "2026-03-17", "met"),
        ("S-14", "afgoerelse_ambulant", "udredende_samtale", "2026-03-19", "open"),
    ]
    guarantee = records[1]
    assert guarantee["source"] == "Bevilling af indsatsen › Behandlingsgaranti"
    assert guarantee["legal_basis"].startswith("SEL § 101, stk. 4") and guarantee["closed_on"] == "2026-03-16"
    assert json.loads(cli.ok("deadlines", "--json", "--today", "2026-03-20"))[2]["status"] == "overdue"

    text = cli.ok("deadlines", "--case", "S-14", "--today", "2026-03-18")
    assert "frist: tirsdag den 17. marts 2026 · opfyldt mandag den 16. marts 2026" in text
    assert "frist: torsdag den 19. marts 2026 · åben, om 1 dag" in text
    assert "kilde: Bevilling af indsatsen › Behandlingsgaranti · SEL § 101, stk. 4" in text


def test_follow_ups_after_discharge_and_their_month_arithmetic(cli: Cli) -> None:
    cli.ok("cases", "add", "UNG-2026-7")
    cli.ok("cases", "event", "UNG-2026-7", "udskrevet_faerdigbehandlet", "--date", "2026-01-31")
    cli.ok("cases", "event", "UNG-2026-7", "opfoelgning", "--date", "2026-02-20")
    records = json.loads(cli.ok("deadlines", "--json", "--case", "ung-2026-7", "--today", "2026-03-01"))
    assert [(r["rule"], r["due"], r["status"]) for r in records] == [
        ("opfoelgning_1_maaned", "2026-02-28", "met"), ("opfoelgning_6_maaneder", "2026-07-31", "open")]


def test_an_empty_list_says_so(cli: Cli) -> None:
    assert cli.ok("deadlines").strip() == "ingen frister"
    assert json.loads(cli.ok("deadlines", "--json")) == []


@pytest.mark.parametrize(("reference", "why"), [
    ("0101901234", "CPR number"), ("010190-1234", "CPR number"), ("Jens-14", "name"), ("S-14-Hansen", "name"),
])
def test_a_reference_that_could_identify_the_citizen_is_refused_and_not_repeated(
        cli: Cli, reference: str, why: str) -> None:
    message = cli.refused("cases", "add", reference)
    assert why in message and "S-14" in message
    assert reference not in message and "Hansen" not in message and "Jens" not in message
    message = cli.refused("cases", "event", reference, "henvendelse", "--date", "2026-03-03")
    assert reference not in message


def test_bad_kinds_dates_and_cases_are_one_line_with_exit_2(cli: Cli) -> None:
    cli.ok("cases", "add", "S-14")
    assert "case S-14 exists already" in cli.refused("cases", "add", "S-14")
    message = cli.refused("cases", "event", "S-14", "udskrevet", "--date", "2026-03-03")
    assert "unknown event kind 'udskrevet'" in message and "udskrevet_faerdigbehandlet" in message
    assert "graviditetskontrakt" in message
    for bad in ("2026-3-3", "2026-02-30"):
        assert "YYYY-MM-DD" in cli.refused("cases", "event", "S-14", "henvendelse", "--date", bad)
    assert "future" in cli.refused("cases", "event", "S-14", "henvendelse", "--date", "2999-01-01")
    assert "no case S-15" in cli.refused("cases", "event", "S-15", "henvendelse", "--date", "2026-03-03")
    assert "no case S-15" in cli.refused("deadlines", "--case", "S-15")
    assert "--today" in cli.refused("deadlines", "--today", "tomorrow")
    assert "no caseworker has id 99" in cli.refused("cases", "add", "S-16", "--caseworker", "99")


def test_every_kind_of_the_issue_is_accepted(cli: Cli, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main
    from reminders import ISSUE_KINDS

    # In this process, to keep eighteen commands fast; the subprocess tests above cover the real thing.
    monkeypatch.setenv("STIFINDER_DATABASE_URL", cli.database_url)
    monkeypatch.chdir(ROOT)
    monkeypatch.setattr("bot.cli.commands.setup_logging", lambda level: None)  # leave the test process's logging alone
    assert main(["cases", "add", "S-50"]) == 0
    for kind in ISSUE_KINDS:
        assert main(["cases", "event", "S-50", kind.value, "--date", "2026-01-31"]) == 0, kind
    capsys.readouterr()
    assert main(["deadlines", "--json", "--today", "2026-02-01"]) == 0
    rules = {r["rule"] for r in json.loads(capsys.readouterr().out)}
    assert {"behandlingsgaranti", "afgoerelse_doegn", "klagefrist", "opfoelgning_6_maaneder",
            "graviditetskontrakt_slut", "afbrud_orientering"} <= rules


def test_a_case_can_be_given_to_a_caseworker(cli: Cli) -> None:
    cli.ok("deadlines")  # creates and migrates the database

    async def add() -> int:
        engine, sessions = await open_database(cli.database_url)
        try:
            async with sessions.begin() as session:
                return (await add_caseworker(session, "Sagsbehandler 1", datetime.now(timezone.utc))).id
        finally:
            await engine.dispose()

    worker = asyncio.run(add())
    assert cli.ok("cases", "add", "S-14", "--caseworker", str(worker)).strip() == "case S-14 added"


def test_the_command_line_works_on_postgresql(postgres_url: str) -> None:
    cli = Cli(postgres_url)
    cli.ok("cases", "add", "S-14")
    cli.ok("cases", "event", "S-14", "klage_modtaget", "--date", "2026-02-02")
    records = json.loads(cli.ok("deadlines", "--json", "--today", "2026-02-03"))
    assert [(r["rule"], r["due"], r["status"]) for r in records] == [
        ("klage_genvurdering", "2026-03-02", "open"), ("klage_til_ankestyrelsen", "2026-03-02", "open")]


def test_a_follow_up_outside_every_window_is_recorded_and_the_caseworker_is_told(cli: Cli) -> None:
    cli.ok("cases", "add", "S-14")
    cli.ok("cases", "event", "S-14", "udskrevet_faerdigbehandlet", "--date", "2026-01-10")
    first = cli.ok("cases", "event", "S-14", "opfoelgning", "--date", "2026-01-20")
    assert "it meets opfoelgning_1_maaned (due 2026-02-10)" in first
    second = cli.ok("cases", "event", "S-14", "opfoelgning", "--date", "2026-02-05")
    assert "it meets no deadline" in second
    assert "opfoelgning_6_maaneder (due 2026-07-10) is met only from 2026-06-10" in second
    records = json.loads(cli.ok("deadlines", "--json", "--case", "S-14", "--today", "2026-02-06"))
    assert [(r["rule"], r["status"], r["opens"]) for r in records] == [
        ("opfoelgning_1_maaned", "met", None), ("opfoelgning_6_maaneder", "open", "2026-06-10")]
    text = cli.ok("deadlines", "--case", "S-14", "--today", "2026-02-06")
    assert "frist: fredag den 10. juli 2026 · åben, om 154 dage · opfyldes tidligst onsdag den 10. juni 2026" in text


def test_an_event_recorded_for_a_named_deadline_meets_that_one(cli: Cli) -> None:
    cli.ok("cases", "add", "S-15")
    cli.ok("cases", "event", "S-15", "doegn_ansoegning", "--date", "2026-01-05")
    cli.ok("cases", "event", "S-15", "udredende_samtale", "--date", "2026-02-02")
    out = cli.ok("cases", "event", "S-15", "afgoerelse_sendt", "--date", "2026-02-10", "--deadline", "afgoerelse_doegn")
    assert "it meets afgoerelse_doegn (due 2026-04-27)" in out
    records = {r["rule"]: r["status"] for r in
               json.loads(cli.ok("deadlines", "--json", "--case", "S-15", "--today", "2026-02-11"))}
    assert records["afgoerelse_doegn"] == "met" and records["afgoerelse_ambulant"] == "open"
    assert "opfoelgning does not meet afgoerelse_doegn; it is met by: afgoerelse_sendt" in cli.refused(
        "cases", "event", "S-15", "opfoelgning", "--date", "2026-02-10", "--deadline", "afgoerelse_doegn")
    assert "unknown deadline 'fristen'" in cli.refused(
        "cases", "event", "S-15", "afgoerelse_sendt", "--date", "2026-02-10", "--deadline", "fristen")
    assert "has no open opfoelgning_1_maaned deadline" in cli.refused(
        "cases", "event", "S-15", "opfoelgning", "--date", "2026-02-10", "--deadline", "opfoelgning_1_maaned")


def test_the_complaint_window_says_what_it_counts_from(cli: Cli) -> None:
    cli.ok("cases", "add", "S-16")
    cli.ok("cases", "event", "S-16", "afgoerelse_sendt", "--date", "2026-03-02")
    (sent,) = json.loads(cli.ok("deadlines", "--json", "--case", "S-16", "--today", "2026-03-03"))
    assert sent["due"] == "2026-03-30" and sent["counted_from"] == {
        "day": "2026-03-02", "received": False, "sent": "2026-03-02", "delivery_days": 0}
    assert "regnet fra modtagelsen; ikke registreret, så fra afsendelsen mandag den 2. marts 2026 + leveringstid 0 dage" \
        in cli.ok("deadlines", "--case", "S-16", "--today", "2026-03-03")
    cli.ok("cases", "event", "S-16", "afgoerelse_modtaget", "--date", "2026-03-06")
    (received,) = json.loads(cli.ok("deadlines", "--json", "--case", "S-16", "--today", "2026-03-07"))
    assert received["due"] == "2026-04-03" and received["counted_from"] == {"day": "2026-03-06", "received": True}


def test_a_closed_case_is_reopened_with_its_history(cli: Cli) -> None:
    cli.ok("cases", "add", "S-17")
    cli.ok("cases", "event", "S-17", "henvendelse", "--date", "2026-03-03")
    assert cli.ok("cases", "close", "S-17").strip() == "case S-17 closed"
    assert cli.ok("cases", "close", "S-17").strip() == "case S-17 was closed already"
    assert cli.ok("cases", "reopen", "S-17").startswith("case S-17 reopened; ")
    assert cli.ok("cases", "reopen", "S-17").strip() == "case S-17 is open"
    records = json.loads(cli.ok("deadlines", "--json", "--case", "S-17", "--today", "2026-03-04"))
    assert [(r["rule"], r["due"], r["status"]) for r in records] == [("behandlingsgaranti", "2026-03-17", "open")]
    assert "no case S-99" in cli.refused("cases", "reopen", "S-99")
