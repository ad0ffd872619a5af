"""The team questions of tests/eval/team_questions.yml, scored against the shipped sample catalogue.

Every question is scored on all of its expected fields (parse and first result). The floor is the
score measured when the set was written (before tuning), so a change can only keep or raise it.
"""

from __future__ import annotations

import pytest

from dialogs.providers.desk import ProviderDesk
from knowledge.providers.catalogue import sample_providers
from fakes.provider_desk import FixedCatalogue, load_eval, score

FLOOR = 0.90  # measured before tuning: 66/71 = 93.0 %


def test_the_eval_set_is_big_enough_and_covers_every_kind() -> None:
    questions = load_eval()
    assert len(questions) >= 60
    assert {q["kind"] for q in questions} == {"search", "provider", "frit_valg", "none"}
    assert len({q["text"] for q in questions}) == len(questions)


async def test_team_questions_are_understood_and_answered(capsys: pytest.CaptureFixture[str]) -> None:
    desk = ProviderDesk(FixedCatalogue(sample_providers(), is_sample=True))
    outcomes = await score(desk)
    passed = sum(1 for o in outcomes if not o.failed)
    rate = passed / len(outcomes)
    with capsys.disabled():
        print(f"\nteam questions: {passed}/{len(outcomes)} = {rate:.1%}")
        for outcome in outcomes:
            if outcome.failed:
                print(f"  FAIL {outcome.id} {outcome.text!r}: {', '.join(outcome.failed)}")
    assert rate >= FLOOR
