"""Every role in every channel, through the one engine: the terminal as a caseworker or a team, `ask --jsonl`
with a caseworker's id, and the engine's one error catch covering caseworker turns."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from datetime import datetime, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.cli.ask import ask_jsonl
from bot.config import Settings
from bot.cli.terminal import CHANNEL, TerminalChannel
from bot.wiring import App, build_app
from dialogs import Incoming, Role, Sender
from reminders import CaseRecord, add_caseworker

ROOT = Path(__file__).resolve().parent.parent.parent
NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)


@pytest.fixture
async def app(settings: Settings) -> App:
    built = await build_app(settings, database_url="sqlite+aiosqlite://")
    yield built  # type: ignore[misc]
    await built.close()


async def caseworker(app: App, name: str = "Anne", team: str | None = "nord") -> int:
    async with async_sessionmaker(app.database, expire_on_commit=False).begin() as session:
        return int((await add_caseworker(session, name, NOW, team=team)).id)


async def test_the_terminal_serves_a_caseworker_with_cases_and_rule_questions(app: App) -> None:
    worker = await caseworker(app)
    lines = "/ny_sag S-14\nsag S-14: borgeren henvendte sig i dag\n1\nhvornår udløber bg i S-14?\n" \
            "hvornår skal vi følge op efter udskrivning?\n"
    out = io.StringIO()
    sender = Sender(CHANNEL, account=worker, claimed=Role.CASEWORKER)
    await TerminalChannel(app, io.StringIO(lines), out, clock=lambda: NOW, sender=sender).run(greet=False)
    text = out.getvalue()
    assert "Sag S-14 er oprettet" in text
    assert "Skal jeg registrere i S-14: henvendelse om behandling" in text and "[1] Ja, registrér" in text
    assert "Registreret i S-14: henvendelse om behandling" in text  # the button pressed by its number
    assert "Sag S-14 · Behandlingsgaranti: behandlingen skal være startet:" in text
    assert "Bekendtgørelse nr. 1477" in text


async def test_the_terminal_serves_a_team_with_rule_and_provider_answers(app: App) -> None:
    out = io.StringIO()
    sender = Sender(CHANNEL, group=True, addressed=True, claimed=Role.TEAM, team="nord")
    lines = "hvilke døgntilbud tager imod gravide?\nkan borgeren være anonym?\n/frister S-14\n"
    await TerminalChannel(app, io.StringIO(lines), out, clock=lambda: NOW, sender=sender).run(greet=False)
    text = out.getvalue()
    assert "Lillebælt Behandlingshjem" in text and "Anonym ambulant stofbehandling" in text
    assert "kun i din private chat" in text  # cases are never handled in a team


async def test_ask_jsonl_takes_a_caseworkers_id_and_refuses_a_bad_one(app: App) -> None:
    worker = await caseworker(app)
    lines = [{"text": "/ny_sag S-3", "role": "caseworker", "as": worker, "chat": "a"},
             {"text": "/sager", "role": "caseworker", "as": worker, "chat": "a"},
             {"text": "/ny_sag S-4", "role": "caseworker", "chat": "b"},
             {"text": "hej", "role": "caseworker", "as": "Anne"}]
    out = io.StringIO()
    bad = await ask_jsonl(app, io.StringIO("\n".join(json.dumps(line) for line in lines)), out)
    created, listed, anonymous, refused = [json.loads(line) for line in out.getvalue().splitlines()]
    assert created["route"] == "caseworker.ny_sag" and "S-3" in listed["reply"]
    assert anonymous["route"] == "caseworker.unregistered"  # no cases without a caseworker's id
    assert bad == 1 and "'as'" in refused["error"]


async def test_a_failing_caseworker_turn_is_answered_and_changes_nothing(app: App,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    worker = await caseworker(app)
    desk = app.engine.caseworkers
    assert desk is not None

    async def broken(*args: object, **kwargs: object) -> object:
        raise RuntimeError("a bug in a caseworker handler")

    monkeypatch.setattr("dialogs.caseworker.desk.list_cases", broken)
    sender = Sender("ask", account=worker, claimed=Role.CASEWORKER)
    response = await app.engine.handle(Incoming(conv="crash", text="/sager", at=NOW, sender=sender))
    assert response.keys == ["utter_technical_problem"] and response.route == "engine.error"
    created = await app.engine.handle(Incoming(conv="crash", text="/ny_sag S-9", at=NOW, sender=sender))
    assert created.keys == ["case_created"]
    async with async_sessionmaker(app.database)() as session:
        assert await session.scalar(select(func.count()).select_from(CaseRecord)) == 1


def test_chat_as_an_unknown_caseworker_is_refused(tmp_path: Path) -> None:
    env = {**os.environ, "STIFINDER_SECRET": "test-secret",
           "STIFINDER_DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}
    result = subprocess.run([sys.executable, "-m", "bot.cli", "chat", "--as", "99"], input="", capture_output=True,
                            text=True, cwd=ROOT, env=env, timeout=120)
    assert result.returncode == 2 and "no caseworker with id 99" in result.stderr
