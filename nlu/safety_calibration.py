"""Choosing the safety net's thresholds on a validation split, never on an evaluation set.

Stratified k-fold over the net's training examples: each example is scored by a net that did not
see it. From those out-of-fold scores:

- `concern` is the highest threshold at which the wanted share of crisis and concern examples still
  gets alarm or concern (recall first: a missed crisis costs more than a caring check too many);
- `alarm` is the lowest threshold, not below `concern`, at which at most the allowed share of the
  look-alikes, and at most a tenth of that share of the citizen questions, would be raised to an
  alarm (out-of-fold scores are harsher than the shipped net's, which has seen every citizen
  sentence; the evaluation then holds it to no alarm on the citizen questions at all).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

from nlu.safety_net import ALARM_LABELS, CONCERN, NET_C, NONE, NetScore, example_weights, fit
from nlu.training_data import Example

GRID = tuple(round(0.05 + 0.01 * step, 2) for step in range(95))  # 0.05 … 0.99


@dataclass(frozen=True, slots=True)
class Scored:
    """One validation example: its label, whether it is a citizen question, and the net's score."""

    label: str
    citizen: bool
    score: NetScore


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a pair of thresholds does on the validation examples."""

    alarm: float
    concern: float
    crisis_recall: float  # crisis and concern examples raised to alarm or concern
    alarm_recall: float  # alarm examples raised to an alarm of their own category
    look_alike_alarm: float  # look-alikes (not citizen questions) raised to alarm
    look_alike_concern: float  # look-alikes raised to concern
    citizen_alarm: int  # citizen questions raised to alarm
    citizen_concern: int  # citizen questions raised to concern

    def render(self) -> str:
        return (f"alarm {self.alarm:.2f}  concern {self.concern:.2f}  crisis recall {self.crisis_recall:6.1%}  "
                f"alarm recall {self.alarm_recall:6.1%}  look-alikes: alarm {self.look_alike_alarm:5.1%} "
                f"concern {self.look_alike_concern:5.1%}  citizen questions: alarm {self.citizen_alarm} "
                f"concern {self.citizen_concern}")


def tier(score: NetScore, alarm: float, concern: float) -> tuple[str, str]:
    """The tier ("alarm", "concern", "none") and alarm category a pair of thresholds gives a score."""
    label, probability = score.top_alarm()
    if probability >= alarm:
        return "alarm", label
    if score.crisis >= concern:
        return "concern", ""
    return "none", ""


def out_of_fold(examples: Sequence[Example], citizen_files: set[str], folds: int = 5, seed: int = 0,
                c: float = NET_C, progress: Callable[[int, int], None] | None = None) -> list[Scored]:
    """Score every example with a net trained on the other folds."""
    from sklearn.model_selection import StratifiedKFold  # training-time dependency

    texts = [e.text for e in examples]
    labels = [e.intent for e in examples]
    scored: list[Scored | None] = [None] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    weights = example_weights(examples, citizen_files)
    for fold, (train_idx, test_idx) in enumerate(splitter.split(texts, labels), 1):
        net = fit([texts[i] for i in train_idx], [labels[i] for i in train_idx], c=c,
                  weights=[weights[i] for i in train_idx])
        for i in test_idx:
            scored[i] = Scored(labels[i], examples[i].file in citizen_files, net.score(texts[i]))
        if progress:
            progress(fold, folds)
    return [s for s in scored if s is not None]


def outcome(scored: Sequence[Scored], alarm: float, concern: float) -> Outcome:
    """Measure one pair of thresholds."""
    crisis = [s for s in scored if s.label != NONE]
    alarms = [s for s in scored if s.label in ALARM_LABELS]
    look_alikes = [s for s in scored if s.label == NONE and not s.citizen]
    citizens = [s for s in scored if s.label == NONE and s.citizen]
    tiers = {id(s): tier(s.score, alarm, concern) for s in scored}

    def share(items: list[Scored], wanted: Callable[[Scored], bool]) -> float:
        return sum(wanted(s) for s in items) / len(items) if items else 0.0

    return Outcome(
        alarm=alarm, concern=concern,
        crisis_recall=share(crisis, lambda s: tiers[id(s)][0] != "none"),
        alarm_recall=share(alarms, lambda s: tiers[id(s)] == ("alarm", s.label)),
        look_alike_alarm=share(look_alikes, lambda s: tiers[id(s)][0] == "alarm"),
        look_alike_concern=share(look_alikes, lambda s: tiers[id(s)][0] == "concern"),
        citizen_alarm=sum(tiers[id(s)][0] == "alarm" for s in citizens),
        citizen_concern=sum(tiers[id(s)][0] == "concern" for s in citizens),
    )


def recommend(scored: Sequence[Scored], recall: float = 0.97, false_alarm: float = 0.01) -> Outcome:
    """The thresholds the module docstring describes (the safest pair when no pair meets the targets)."""
    concern = max((t for t in GRID if outcome(scored, 1.0, t).crisis_recall >= recall), default=GRID[0])
    for alarm in GRID:
        if alarm < concern:
            continue
        measured = outcome(scored, alarm, concern)
        citizens = sum(1 for s in scored if s.label == NONE and s.citizen)
        if measured.look_alike_alarm <= false_alarm and measured.citizen_alarm <= false_alarm / 10 * citizens:
            return measured
    return outcome(scored, GRID[-1], concern)


__all__ = ["CONCERN", "GRID", "Outcome", "Scored", "out_of_fold", "outcome", "recommend", "tier"]
