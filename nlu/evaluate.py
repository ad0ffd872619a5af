"""Cross-validation of the embedded classifier, reported the way `rasa test nlu` reports it.

Stratified k-fold over the training examples: per-intent precision, recall, F1 and support,
macro and weighted averages, accuracy, and the most confused intent pairs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Callable

from nlu.classifier import train
from nlu.training_data import TrainingData


@dataclass(frozen=True, slots=True)
class IntentScore:
    intent: str
    precision: float
    recall: float
    f1: float
    support: int


@dataclass(frozen=True, slots=True)
class Report:
    """The result of a cross-validation."""

    folds: int
    accuracy: float
    macro_f1: float
    weighted_f1: float
    per_intent: tuple[IntentScore, ...]
    confused: tuple[tuple[str, str, int], ...]  # (true intent, predicted intent, count)

    def to_dict(self) -> dict[str, object]:
        return {
            "folds": self.folds, "accuracy": self.accuracy, "macro avg": {"f1-score": self.macro_f1},
            "weighted avg": {"f1-score": self.weighted_f1},
            "intents": {s.intent: {"precision": s.precision, "recall": s.recall, "f1-score": s.f1,
                                   "support": s.support} for s in self.per_intent},
            "confused": [{"intent": t, "predicted": p, "count": n} for t, p, n in self.confused],
        }

    def render(self, top_confused: int = 10) -> str:
        width = max(len(s.intent) for s in self.per_intent)
        lines = [f"{'intent':<{width}}  precision  recall  f1-score  support"]
        for s in sorted(self.per_intent, key=lambda s: s.f1):
            lines.append(f"{s.intent:<{width}}  {s.precision:9.3f}  {s.recall:6.3f}  {s.f1:8.3f}  {s.support:7d}")
        lines.append("")
        lines.append(f"accuracy {self.accuracy:.3f}   macro f1 {self.macro_f1:.3f}   weighted f1 {self.weighted_f1:.3f}"
                     f"   ({self.folds}-fold stratified cross-validation)")
        if self.confused:
            lines.append("")
            lines.append("most confused (true → predicted: count)")
            for true, predicted, count in self.confused[:top_confused]:
                lines.append(f"  {true} → {predicted}: {count}")
        return "\n".join(lines)


def cross_validate(data: TrainingData, folds: int = 5, seed: int = 0,
                   progress: Callable[[int, int], None] | None = None) -> Report:
    """Train on k-1 folds, predict the held-out fold, and score every example once."""
    from sklearn.model_selection import StratifiedKFold  # training-time dependency

    texts = [e.text for e in data.examples]
    labels = [e.intent for e in data.examples]
    predicted = [""] * len(texts)
    splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
    for fold, (train_idx, test_idx) in enumerate(splitter.split(texts, labels), 1):
        model = train([texts[i] for i in train_idx], [labels[i] for i in train_idx])
        for i in test_idx:
            predicted[i] = model.predict(texts[i]).intent
        if progress:
            progress(fold, folds)
    return score(labels, predicted, folds)


def score(labels: list[str], predicted: list[str], folds: int = 0) -> Report:
    """Compute precision, recall, F1 per intent and the confusion pairs."""
    intents = sorted(set(labels) | set(predicted))
    tp = Counter(t for t, p in zip(labels, predicted) if t == p)
    pred_count = Counter(predicted)
    true_count = Counter(labels)
    scores = []
    for intent in intents:
        if true_count[intent] == 0:
            continue
        precision = tp[intent] / pred_count[intent] if pred_count[intent] else 0.0
        recall = tp[intent] / true_count[intent]
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        scores.append(IntentScore(intent, precision, recall, f1, true_count[intent]))
    total = len(labels)
    confused = Counter((t, p) for t, p in zip(labels, predicted) if t != p)
    return Report(
        folds=folds,
        accuracy=sum(tp.values()) / total if total else 0.0,
        macro_f1=sum(s.f1 for s in scores) / len(scores) if scores else 0.0,
        weighted_f1=sum(s.f1 * s.support for s in scores) / total if total else 0.0,
        per_intent=tuple(scores),
        confused=tuple((t, p, n) for (t, p), n in confused.most_common()),
    )
