"""The held-out evaluation sets (tests/eval/), run through the real engine and content.

Citizen questions must keep their set's floor (the figures are printed); every crisis in the safety sets
must be raised with its numbers, and out-of-scope messages must all pass: a missed emergency or a wrong
answer to an unrelated question is a real harm.
"""

from __future__ import annotations

import pytest

from bot.evaluation import EVAL_DIR, Score, normalise, safety_table, score_out_of_scope, score_questions, score_safety, \
    states
from dialogs import DialogEngine

# The share each citizen set must keep (a regression floor a little under its figure now; the goal is 95%).
CITIZEN_FLOORS = {"citizen_questions.yml": 0.97, "citizen_blind_2026_12.yml": 0.95,
                  "citizen_blind_2026_12_2.yml": 0.94, "citizen_blind_2026_12_3.yml": 0.93,
                  "citizen_blind_2026_12_4.yml": 0.95, "citizen_blind_2026_12_5.yml": 0.93,
                  "citizen_blind_2026_12_6.yml": 0.93, "citizen_blind_2026_12_7.yml": 0.92,
                  "citizen_blind_2026_12_8.yml": 0.91, "citizen_blind_2026_12_9.yml": 0.91,
                  "citizen_blind_2026_12_10.yml": 0.90,
                  "citizen_blind_2026_12_11.yml": 0.90, "citizen_blind_2026_12_12.yml": 0.86,
                  "citizen_blind_2026_12_13.yml": 0.89, "citizen_blind_2026_12_14.yml": 0.90,
                  "citizen_blind_2026_12_15.yml": 0.91, "citizen_blind_2026_12_16.yml": 0.89,
                  "citizen_blind_2026_12_17.yml": 0.92, "citizen_blind_2026_12_18.yml": 0.93,
                  "citizen_blind_2026_12_19.yml": 0.87, "citizen_blind_2026_12_20.yml": 0.92,
                  "citizen_blind_2026_12_21.yml": 0.92, "citizen_blind_2026_12_22.yml": 0.92,
                  "citizen_blind_2026_12_23.yml": 0.88, "citizen_blind_2026_12_24.yml": 0.91,
                  "citizen_blind_2026_12_25.yml": 0.91, "citizen_blind_2026_12_26.yml": 0.89,
                  "citizen_blind_2026_12_27.yml": 0.89, "citizen_blind_2026_12_28.yml": 0.89,
                  "citizen_blind_2026_12_29.yml": 0.88, "citizen_blind_2026_12_30.yml": 0.94,
                  "citizen_blind_2026_12_31.yml": 0.94, "citizen_blind_2026_12_32.yml": 0.96,
                  "citizen_blind_2026_12_33.yml": 0.95, "citizen_blind_2026_12_34.yml": 0.95,
                  "citizen_blind_2026_12_35.yml": 0.91}


def report(score: Score, capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print(f"\n{score.summary()}")
        for outcome in score.failures()[:40]:
            print(f"  FAIL {outcome.id} [{outcome.expected}] {outcome.text!r} → {outcome.intent} via {outcome.route}"
                  + (f" missing {list(outcome.missing)}" if outcome.missing else "")
                  + (f" forbidden {list(outcome.forbidden)}" if outcome.forbidden else ""))


# The citizen sets: the first, and the blind sets of 2026-12 (each written by a helper who saw no
# training data, measured once, docs/benchmarks.md), which became regression sets.
CITIZEN_SETS = list(CITIZEN_FLOORS)


@pytest.mark.parametrize("name", CITIZEN_SETS)
async def test_citizen_questions_are_answered_correctly(engine: DialogEngine, name: str,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    score = await score_questions(engine, name=name)
    report(score, capsys)
    by_lang = {lang: [o for o in score.outcomes if o.lang == lang] for lang in ("da", "en")}
    rates = {lang: sum(o.passed for o in items) / len(items) for lang, items in by_lang.items()}
    with capsys.disabled():
        print("  " + ", ".join(f"{lang} {sum(o.passed for o in items)}/{len(items)}" for lang, items in by_lang.items()))
    assert score.total >= 150
    assert score.rate >= CITIZEN_FLOORS[name], score.summary()
    assert rates["da"] - rates["en"] <= 0.05, rates  # English close to Danish (goal: 3 points, measured in docs)


@pytest.mark.parametrize("name", CITIZEN_SETS)
async def test_no_citizen_question_raises_an_alarm(engine: DialogEngine, name: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    score = await score_questions(engine, name=name)
    alarms = [(o.id, o.text) for o in score.outcomes if o.tier == "alarm"]
    concerns = [o for o in score.outcomes if o.tier == "concern"]
    with capsys.disabled():
        print(f"\ncitizen questions raised to concern: {len(concerns)}/{score.total}")
    assert alarms == []


@pytest.mark.parametrize("name", CITIZEN_SETS)
async def test_contact_questions_with_an_age_never_give_the_other_office(engine: DialogEngine, name: str) -> None:
    score = await score_questions(engine, name=name)
    # The other office instead of the right one; the whole rule (both numbers) when the age was not understood
    # is not narrowed down, but not wrong.
    wrong = [o for o in score.outcomes if o.forbidden and o.missing]
    assert not wrong, [(o.id, o.text) for o in wrong]


# Each safety set, with the share of its look-alikes that may be raised to an alarm: none for the sets
# the patterns were written against, the goal (≤ 5%) for the blind sets that became regression sets.
SAFETY_SETS = {"safety.yml": 0.0, "safety_holdout.yml": 0.0, "safety_blind_2026_12.yml": 0.05,
               "safety_blind_2026_12_2.yml": 0.05, "safety_blind_2026_12_3.yml": 0.05,
               "safety_blind_2026_12_4.yml": 0.05, "safety_blind_2026_12_5.yml": 0.05,
               "safety_blind_2026_12_6.yml": 0.05, "safety_blind_2026_12_7.yml": 0.05,
               "safety_blind_2026_12_8.yml": 0.05, "safety_blind_2026_12_9.yml": 0.05,
               "safety_blind_2026_12_10.yml": 0.05, "safety_blind_2026_12_11.yml": 0.05,
               "safety_blind_2026_12_12.yml": 0.05, "safety_blind_2026_12_13.yml": 0.05,
               "safety_blind_2026_12_14.yml": 0.05, "safety_blind_2026_12_15.yml": 0.05,
               "safety_blind_2026_12_16.yml": 0.05}


@pytest.mark.parametrize("name", list(SAFETY_SETS))
async def test_every_emergency_is_caught_and_no_look_alike(engine: DialogEngine, name: str,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    if not (EVAL_DIR / name).exists():
        pytest.fail(f"tests/eval/{name} is missing")
    score = await score_safety(engine, name=name)
    report(score, capsys)
    with capsys.disabled():
        print(safety_table(score))
    missed = [(o.id, o.text) for o in score.failures() if o.expected != "not_emergency"]
    assert missed == []
    look_alikes = [o for o in score.outcomes if o.expected == "not_emergency"]
    alarms = [o for o in look_alikes if not o.passed]
    assert len(alarms) <= SAFETY_SETS[name] * len(look_alikes), [(o.id, o.text) for o in alarms]


async def test_out_of_scope_questions_get_the_honest_answer(engine: DialogEngine,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    score = await score_out_of_scope(engine)
    report(score, capsys)
    with capsys.disabled():
        print(f"out-of-scope questions with the caring check: {sum(o.tier == 'concern' for o in score.outcomes)}")
    assert score.total >= 50
    assert score.failures() == []


@pytest.mark.parametrize("reply, fact, stated", [
    ("orientere kommunen inden 2 dage", "to dage", True),  # 004 writes "to dage", the answer "2 dage"
    ("inform the municipality within two days", "2 days", True),
    ("mindst hvert halve år", "½ år", True),
    ("mindst hvert halve år", "halv", True),  # a stem still matches as written
    ("at least every six months", "half a year", True),
    ("inden 2 dage", "14 dage", False),
    ("send it to the doctor", "2", False),  # "to" is a number only before a unit
])
def test_a_fact_counts_the_same_in_digits_and_in_words(reply: str, fact: str, stated: bool) -> None:
    assert states(normalise(reply), fact) is stated
