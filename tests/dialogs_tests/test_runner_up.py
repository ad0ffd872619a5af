"""Unsure between two entries of the standard, the answer gives both: the likelier first, then the other reading
introduced by its question. Sure of one, or with the second far behind, one answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import datetime, timezone

import pytest

from bot.storage import open_database
from dialogs import DialogEngine, Incoming
from dialogs.citizen.faq import RUNNER_UP_MARGIN, RUNNER_UP_UNSURE, close_runner_up
from dialogs.context import Deps, Turn
from dialogs.turn import State
from nlu import Parse

TEXT = "hvad med betalingen"


class RankingParser:
    """Reads every message with the ranking the test gives it."""

    def __init__(self) -> None:
        self.ranking: tuple[tuple[str, float], ...] = ()

    async def parse(self, text: str) -> Parse:
        return Parse(text, self.ranking[0][0], self.ranking[0][1], ranking=self.ranking)


def turn_with(deps: Deps, ranking: tuple[tuple[str, float], ...]) -> Turn:
    return Turn(Incoming(conv="c", text=TEXT, at=datetime.now(timezone.utc)), TEXT,
                Parse(TEXT, ranking[0][0], ranking[0][1], ranking=ranking), State(), "da", deps)


@pytest.mark.parametrize("ranking, expected", [
    ((("faq/treatment_cost", 0.45), ("faq/own_payment", 0.40)), "own_payment"),
    ((("faq/treatment_cost", RUNNER_UP_UNSURE), ("faq/own_payment", 0.29)), None),  # sure enough of the first
    ((("faq/treatment_cost", 0.50), ("faq/own_payment", 0.50 - RUNNER_UP_MARGIN)), None),  # the second far behind
    ((("faq/treatment_cost", 0.45), ("out_of_scope", 0.40)), None),  # the second is no entry of the standard
    ((("faq/treatment_cost", 0.45), ("faq/treatment_cost_elsewhere", 0.40)), None),  # nor an entry we have
])
def test_the_other_reading_is_a_close_second_entry_when_the_first_is_unsure(
        deps: Deps, ranking: tuple[tuple[str, float], ...], expected: str | None) -> None:
    assert close_runner_up(turn_with(deps, ranking), {"treatment_cost"}) == expected


def test_no_other_reading_when_the_answer_is_not_the_classifiers_first(deps: Deps) -> None:
    turn = turn_with(deps, (("faq/treatment_cost", 0.45), ("faq/own_payment", 0.40)))
    turn.parse = Parse(TEXT, "faq/direct_contact_rusmiddelcenter", 0.45, ranking=turn.parse.ranking)  # a rule's choice
    assert close_runner_up(turn, {"direct_contact_rusmiddelcenter"}) is None


@pytest.fixture
async def engine(deps: Deps) -> AsyncIterator[tuple[DialogEngine, RankingParser]]:
    parser = RankingParser()
    database, sessions = await open_database("sqlite+aiosqlite://")
    yield DialogEngine(deps, parser, sessions), parser
    await database.dispose()


async def test_both_answers_are_given_the_likelier_first(engine: tuple[DialogEngine, RankingParser]) -> None:
    chat, parser = engine
    parser.ranking = (("faq/treatment_cost", 0.45), ("faq/own_payment", 0.40), ("faq/free_choice", 0.05))
    response = await chat.handle(Incoming(conv="two", text=TEXT, at=datetime.now(timezone.utc)))
    assert response.keys == ["utter_faq_answer", "utter_runner_up", "utter_faq_answer"]
    assert response.route == "faq.answer" and response.intent == "faq/treatment_cost"
    assert "Hvis du i stedet spørger: Skal jeg selv betale for transport eller kost og logi?" in response.text
    assert response.text.index("gratis") < response.text.index("Hvis du i stedet")


async def test_one_answer_when_sure(engine: tuple[DialogEngine, RankingParser]) -> None:
    chat, parser = engine
    parser.ranking = (("faq/treatment_cost", 0.85), ("faq/own_payment", 0.10))
    response = await chat.handle(Incoming(conv="one", text=TEXT, at=datetime.now(timezone.utc)))
    assert response.keys == ["utter_faq_answer"]
