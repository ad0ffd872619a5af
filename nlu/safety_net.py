"""The learned safety net: how likely a message is a crisis, in words no pattern was written for.

A linear model over the same features as the intent classifier (folded stems, stem bigrams and
character n-grams), trained on `nlu/safety_data/*.yml` (Rasa NLU format, labels `suicide`,
`emergency`, `violence`, `concern` and the look-alikes `none`) with every citizen training sentence
of `nlu/data` added as `none` (together weighing as a fixed number of examples, CITIZEN_WEIGHT). It only
scores; what a score means for the reply (alarm, concern or nothing) is decided by the safety screen in
dialogs/, with thresholds kept beside the patterns.

The model is cached in the NLU cache directory under a hash of both data directories, so a changed
example retrains it on the next start, like the intent model.
"""

from __future__ import annotations

import hashlib
import logging
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol, Sequence

from nlu.classifier import IntentClassifier, load_cached, save_replacing, train
from nlu.errors import ModelError, TrainingDataError
from nlu.training_data import Example, load_training_data

log = logging.getLogger(__name__)

SAFETY_DATA_DIR = Path(__file__).parent / "safety_data"
ALARM_LABELS = ("suicide", "emergency", "violence")
CONCERN = "concern"
NONE = "none"
LABELS = (*ALARM_LABELS, CONCERN, NONE)
# Regularisation of the net's logistic regression, chosen on the validation split (bench/safety.py).
NET_C = 20.0
# The citizen sentences added as `none` weigh together as much as this many examples, however many there are.
# The net keeps its classes at their real sizes, so its crisis probabilities follow the share of `none`: without
# this, every new way of asking a citizen question (nlu/data) would lower every crisis probability, and messages
# near the thresholds, chosen on the validation split, would no longer be raised. About their number when the
# thresholds were last chosen (December 2026).
CITIZEN_WEIGHT = 3300.0


@dataclass(frozen=True, slots=True)
class NetScore:
    """The net's probability for each label of one message."""

    probabilities: dict[str, float]

    @property
    def crisis(self) -> float:
        """Probability that the message is any kind of crisis or concern (1 - p(none))."""
        return 1.0 - self.probabilities.get(NONE, 0.0)

    def leaning(self) -> str:
        """The most likely label other than `none`: what a concern is most likely about."""
        return max((*ALARM_LABELS, CONCERN), key=lambda name: self.probabilities.get(name, 0.0))

    def top_alarm(self) -> tuple[str, float]:
        """The most likely alarm category (suicide, emergency or violence) and its probability."""
        label = max(ALARM_LABELS, key=lambda name: self.probabilities.get(name, 0.0))
        return label, self.probabilities.get(label, 0.0)


class CrisisScorer(Protocol):
    """Anything that scores a message for crisis (the trained net, or a scripted one in tests)."""

    def score(self, text: str) -> NetScore: ...


class SafetyNet:
    """Scores messages with the trained model; never raises on odd text (empty gives the prior)."""

    def __init__(self, classifier: IntentClassifier) -> None:
        missing = set(LABELS) - set(classifier.intents)
        if missing:
            raise ModelError(f"safety net model lacks the labels {sorted(missing)}")
        self.classifier = classifier

    def score(self, text: str) -> NetScore:
        prediction = self.classifier.predict(text, top=len(LABELS))
        return NetScore(dict(prediction.ranking))


def training_examples(safety_dir: Path = SAFETY_DATA_DIR, citizen_dir: Path | None = None) -> list[Example]:
    """The labelled safety examples, plus the citizen sentences as `none` when a directory is given."""
    data = load_training_data(safety_dir)
    unknown = sorted(set(data.intents) - set(LABELS))
    if unknown:
        raise TrainingDataError(f"{safety_dir.name}: unknown safety labels {unknown}; use {list(LABELS)}")
    examples = list(data.examples)
    if citizen_dir is not None:
        examples += [Example(text=e.text, intent=NONE, file=e.file) for e in load_training_data(citizen_dir).examples]
    return examples


def fit(texts: Sequence[str], labels: Sequence[str], c: float = NET_C,
        weights: Sequence[float] | None = None) -> SafetyNet:
    """Train the net on labelled messages (`weights`: one per message, see `example_weights`).

    The classes keep their sizes (most messages are no crisis), so a message of words the net never
    saw leans to `none`. Weighting the classes equally measured about the same on the validation
    split (bench/safety.py, docs/safety.md) but raised unfamiliar everyday text to a concern.
    """
    return SafetyNet(train(texts, labels, c=c, weights=weights))


def example_weights(examples: Sequence[Example], citizen_files: set[str]) -> list[float]:
    """1 for a safety example; for a citizen sentence its share of CITIZEN_WEIGHT."""
    citizen = sum(e.file in citizen_files for e in examples)
    share = CITIZEN_WEIGHT / citizen if citizen else 1.0
    return [share if e.file in citizen_files else 1.0 for e in examples]


def fingerprint(safety_dir: Path, citizen_dir: Path) -> str:
    """A hash of both training directories (as the intent model's) and of the net's settings."""
    digest = hashlib.sha256()
    for directory in (safety_dir, citizen_dir):
        digest.update(load_training_data(directory).fingerprint().encode())
    digest.update(f"c={NET_C} citizen_weight={CITIZEN_WEIGHT}".encode())
    return digest.hexdigest()[:16]


def load_safety_net(cache_dir: Path, citizen_dir: Path, safety_dir: Path = SAFETY_DATA_DIR) -> SafetyNet:
    """Load the cached net for this data, or train and cache it (about three seconds)."""
    path = cache_dir / f"safety-net-{fingerprint(safety_dir, citizen_dir)}.npz"
    cached = load_cached(path)
    if cached is not None:
        return SafetyNet(cached)
    started = time.perf_counter()
    examples = training_examples(safety_dir, citizen_dir)
    citizen_files = {path.name for path in load_training_data(citizen_dir).files}
    net = fit([e.text for e in examples], [e.intent for e in examples],
              weights=example_weights(examples, citizen_files))
    save_replacing(net.classifier, path)
    log.info("safety net trained examples=%d seconds=%.2f", len(examples), time.perf_counter() - started)
    return net
