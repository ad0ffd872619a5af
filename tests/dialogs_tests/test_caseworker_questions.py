"""Caseworkers' questions about the rules, the standard and their cases, scored through the one engine.

Each evaluation set is asked by a registered caseworker whose cases the questions name (each opened with
a request for treatment, so it has deadlines). A question passes when the answer is about the labelled
rule, standard section, case, the provider desk, or says it cannot answer ("none").
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import AsyncIterator

import pytest
import yaml
from sqlalchemy.ext.asyncio import async_sessionmaker

from bot.evaluation import evaluate_caseworker_questions, open_cases_for
from bot.config import Settings
from bot.wiring import App, build_app
from dialogs import Incoming, Role, Sender
from reminders import load_rules

EVAL = Path(__file__).resolve().parent.parent / "eval"
# Floors per set: a little under the set's figure now. caseworker_questions.yml is the project's own held-out
# set; each caseworker_blind_* set was written by a helper who saw no training data, measured once untouched and
# then kept as a regression set (untouched and current figures: docs/caseworkers.md §6a).
FLOORS = {"caseworker_questions.yml": 0.90, "caseworker_blind_2026_12.yml": 0.92, "caseworker_blind_2026_12b.yml": 0.89,
          "caseworker_blind_2026_12c.yml": 0.92, "caseworker_blind_2026_12d.yml": 0.92,
          "caseworker_blind_2026_12e.yml": 0.91, "caseworker_blind_2026_12f.yml": 0.94,
          "caseworker_blind_2026_12g.yml": 0.89, "caseworker_blind_2026_12h.yml": 0.89,
          "caseworker_blind_2026_12i.yml": 0.89}
RULE_IDS = {rule.id for rule in load_rules()}


@pytest.fixture
async def app(settings: Settings) -> AsyncIterator[App]:
    """The production wiring (the sample provider catalogue included) on a throw-away database."""
    built = await build_app(settings, database_url="sqlite+aiosqlite://")
    yield built
    await built.close()


@pytest.mark.parametrize("name", sorted(FLOORS))
async def test_caseworker_questions_are_answered(app: App, name: str) -> None:
    items = yaml.safe_load((EVAL / name).read_text(encoding="utf-8"))["items"]
    sessions = async_sessionmaker(app.database, expire_on_commit=False)
    worker = await open_cases_for(app.engine, sessions, items)
    outcomes = await evaluate_caseworker_questions(app.engine, items, worker, RULE_IDS)
    passed = sum(o.passed for o in outcomes)
    print(f"\n{name}: {passed}/{len(outcomes)} = {passed / len(outcomes):.1%}")
    for outcome in outcomes:
        if not outcome.passed:
            print(f"  {outcome.text[:70]!r}: want {outcome.want}, got {outcome.got}")
    assert passed / len(outcomes) >= FLOORS[name]


async def test_a_rule_question_names_its_deadline_basis_and_section(app: App) -> None:
    sender = Sender("ask", claimed=Role.CASEWORKER)
    response = await app.engine.handle(Incoming(conv="rule-q", text="hvornår skal vi senest følge op efter udskrivning?",
                                                at=datetime.now(timezone.utc), sender=sender))
    assert response.route == "caseworker.rule" and response.intent == "rule/opfoelgning_1_maaned"
    assert "1 måned efter" in response.text and "Bekendtgørelse nr. 1477" in response.text
    assert "»Opfølgning«" in response.text and "bortvist eller udeblevet" in response.text


async def test_a_question_of_when_takes_the_rule_close_behind_the_section(app: App) -> None:
    sender = Sender("ask", claimed=Role.CASEWORKER)
    for text, intent in (("planen fra døgnstedet, hvornår skal den være her", "rule/behandlingsplan_ved_start"),
                         ("hvad skal en behandlingsplan indeholde?", "standard/treatment_plan")):
        response = await app.engine.handle(Incoming(conv=f"timing-{intent}", text=text, at=datetime.now(timezone.utc),
                                                    sender=sender))
        assert response.intent == intent, text


async def test_a_case_question_without_a_registered_caseworker_says_what_is_needed(app: App) -> None:
    sender = Sender("ask", claimed=Role.CASEWORKER)  # the terminal's operator, no caseworker id
    for text in ("status på S-88", "hvornår udløber bg i S-14?"):
        response = await app.engine.handle(Incoming(conv=f"unregistered-{text}", text=text,
                                                    at=datetime.now(timezone.utc), sender=sender))
        assert response.route == "caseworker.unregistered" and "--as ID" in response.text, text


async def test_the_own_rusmiddelcenter_named_in_a_question_about_the_standard(app: App) -> None:
    """The municipality's own Rusmiddelcenter is the standard's too: a question about the standard that names
    it gets the standard, one about its details gets its card, and "Rusmiddelcenteret" is never an unknown place."""
    sender = Sender("ask", claimed=Role.CASEWORKER)
    expected = {"skal borgeren selv betale transport til Rusmiddelcenteret?": "caseworker.standard",
                "skal borgeren selv betale transport til Brønderslev Rusmiddelcenter?": "caseworker.standard",
                "hvad er telefonnummeret til Brønderslev Rusmiddelcenter?": "provider_desk.provider"}
    for text, route in expected.items():
        response = await app.engine.handle(Incoming(conv=f"own-{text}", text=text, at=datetime.now(timezone.utc),
                                                    sender=sender))
        assert response.route == route, text
        assert "ingen udbyder med det navn" not in response.text


async def test_office_life_is_not_a_provider_search_when_the_reader_is_sure(app: App) -> None:
    """The provider desk reads "køkkenet" as a kind of place; the question reader is sure it is office life."""
    sender = Sender("ask", claimed=Role.CASEWORKER)
    response = await app.engine.handle(Incoming(conv="office", text="hvem har opvasken i køkkenet i denne uge?",
                                                at=datetime.now(timezone.utc), sender=sender))
    assert response.route == "caseworker.not_understood"
    response = await app.engine.handle(Incoming(conv="search", text="døgntilbud til gravide med kokainmisbrug?",
                                                at=datetime.now(timezone.utc), sender=sender))
    assert response.route == "provider_desk.search"
