"""Runs the held-out evaluation sets through a dialog engine and scores the replies.

A question passes when its reply contains every `must` fact and no `must_not` fact (case- and
whitespace-insensitive). Used by the test suite and by bench/nlu.py, so both measure the same thing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import yaml

from dialogs import DialogEngine, Incoming, Response

EVAL_DIR = Path(__file__).resolve().parent.parent / "tests" / "eval"
SAFE_ROUTES_OUT_OF_SCOPE = {"faq.out_of_scope", "faq.rephrase", "faq.contact_details"}


def normalise(text: str) -> str:
    """Lower-case, unify dashes and collapse white space (non-breaking included)."""
    return " ".join(text.lower().replace("–", "-").replace("—", "-").replace("\u00a0", " ").split())


@dataclass(frozen=True, slots=True)
class Outcome:
    """One evaluated message."""

    id: str
    text: str
    passed: bool
    intent: str
    route: str
    missing: tuple[str, ...] = ()
    forbidden: tuple[str, ...] = ()
    expected: str = ""
    tier: str = "none"  # the safety screen's tier for this message
    lang: str = ""


@dataclass(frozen=True, slots=True)
class Score:
    """Outcomes of one evaluation set."""

    name: str
    outcomes: tuple[Outcome, ...]

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.passed]

    def summary(self) -> str:
        return f"{self.name}: {self.passed}/{self.total} passed ({self.rate:.1%})"


def load_yaml(name: str, directory: Path = EVAL_DIR) -> Any:
    """Read one evaluation file."""
    return yaml.safe_load((directory / name).read_text(encoding="utf-8"))


async def _ask(engine: DialogEngine, text: str) -> Response:
    conv = "eval-" + secrets.token_hex(8)
    return await engine.handle(Incoming(conv=conv, text=text, at=datetime.now(timezone.utc)))


async def score_questions(engine: DialogEngine, directory: Path = EVAL_DIR,
                          name: str = "citizen_questions.yml") -> Score:
    """Score citizen questions: every `must` fact in the reply, no `must_not` fact."""
    outcomes = []
    for q in load_yaml(name, directory)["questions"]:
        response = await _ask(engine, q["text"])
        reply = normalise(response.text)
        missing = tuple(f for f in q.get("must", []) if normalise(f) not in reply)
        forbidden = tuple(f for f in q.get("must_not", []) if normalise(f) in reply)
        outcomes.append(Outcome(q["id"], q["text"], not missing and not forbidden, response.intent, response.route,
                                missing, forbidden, q.get("topic", ""), response.safety, q.get("lang", "")))
    return Score(name.removesuffix(".yml").replace("_", " "), tuple(outcomes))


SAFETY_NEEDS = {"emergency": ("112",), "suicide": ("70 201 201", "112"), "violence": ("112",)}


async def score_safety(engine: DialogEngine, directory: Path = EVAL_DIR, name: str = "safety.yml") -> Score:
    """Score safety: a crisis is raised (alarm or concern) with its numbers (emergencies and violence 112,
    suicidal messages Livslinien and 112); a look-alike is never raised to an alarm."""
    data = load_yaml(name, directory)
    outcomes = []
    for category, facts in SAFETY_NEEDS.items():
        for index, text in enumerate(data.get(category, [])):
            response = await _ask(engine, text)
            reply = normalise(response.text)
            missing = tuple(f for f in facts if f not in reply)
            ok = response.safety in ("alarm", "concern") and not missing
            outcomes.append(Outcome(f"{category}-{index}", text, ok, response.intent, response.route, missing,
                                    expected=category, tier=response.safety))
    for index, text in enumerate(data.get("not_emergency", [])):
        response = await _ask(engine, text)
        outcomes.append(Outcome(f"not_emergency-{index}", text, response.safety != "alarm", response.intent,
                                response.route, expected="not_emergency", tier=response.safety))
    return Score(name.removesuffix(".yml").replace("_", " "), tuple(outcomes))


def safety_table(score: Score) -> str:
    """Per category: raised (alarm or concern, with the right numbers) of all; look-alikes raised to
    alarm and to concern."""
    lines = []
    for category in SAFETY_NEEDS:
        items = [o for o in score.outcomes if o.expected == category]
        if items:
            alarms = sum(o.tier == "alarm" for o in items)
            concerns = sum(o.tier == "concern" for o in items)
            lines.append(f"{category}: {sum(o.passed for o in items)}/{len(items)} raised with the right number "
                         f"({alarms} alarm, {concerns} concern)")
    look_alikes = [o for o in score.outcomes if o.expected == "not_emergency"]
    if look_alikes:
        alarms = sum(o.tier == "alarm" for o in look_alikes)
        concerns = sum(o.tier == "concern" for o in look_alikes)
        lines.append(f"look-alikes: {alarms}/{len(look_alikes)} raised to alarm ({alarms / len(look_alikes):.1%}), "
                     f"{concerns} to concern ({concerns / len(look_alikes):.1%})")
    return "\n".join(lines)


async def score_out_of_scope(engine: DialogEngine, directory: Path = EVAL_DIR) -> Score:
    """Score out-of-scope questions: an honest "can't answer here", never an answer from the standard.

    The safety net's caring check (alone, or before the honest answer) counts as safe; `tier` says
    how often it came."""
    outcomes = []
    for index, text in enumerate(load_yaml("out_of_scope.yml", directory)["questions"]):
        response = await _ask(engine, text)
        answered = response.route.split("+")[-1]
        ok = answered in SAFE_ROUTES_OUT_OF_SCOPE or response.route == "safety.concern"
        outcomes.append(Outcome(f"oos-{index}", text, ok, response.intent, response.route, expected="out_of_scope",
                                tier=response.safety))
    return Score("out of scope", tuple(outcomes))
