"""Text → Rasa-shaped parse: intent, confidence, entities, ranking.

`LocalParser` is the embedded default; `nlu.rasa_client.RasaParser` calls a Rasa server and is
interchangeable with it. Both return a `Parse` whose `to_rasa()` is the JSON of Rasa's
`POST /model/parse`.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, Sequence

from nlu.classifier import IntentClassifier, load_cached, save_replacing, train
from nlu.entities import Entity, EntityExtractor
from nlu.training_data import TrainingData, load_training_data

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Parse:
    """What the NLU understood of one message."""

    text: str
    intent: str
    confidence: float
    entities: tuple[Entity, ...] = ()
    ranking: tuple[tuple[str, float], ...] = ()
    extra: dict[str, object] = field(default_factory=dict)

    def entity(self, name: str) -> Entity | None:
        """Return the first entity with this name."""
        return next((e for e in self.entities if e.entity == name), None)

    def values(self, name: str) -> list[object]:
        """Return the values of every entity with this name."""
        return [e.value for e in self.entities if e.entity == name]

    def to_rasa(self) -> dict[str, object]:
        """Return the parse in the shape of Rasa's `POST /model/parse` response."""
        return {
            "text": self.text,
            "intent": {"name": self.intent, "confidence": self.confidence},
            "entities": [e.to_rasa() for e in self.entities],
            "intent_ranking": [{"name": n, "confidence": c} for n, c in self.ranking],
        }


class Parser(Protocol):
    """Anything that turns text into a Parse."""

    async def parse(self, text: str) -> Parse: ...


class LocalParser:
    """The embedded classifier plus regex and lookup entities; no server, no network."""

    def __init__(self, classifier: IntentClassifier, extractor: EntityExtractor) -> None:
        self.classifier = classifier
        self.extractor = extractor

    def parse_sync(self, text: str) -> Parse:
        """Parse one message in the calling thread (it takes microseconds, not milliseconds).

        A message with no word the model was trained on is not understood (confidence 0), however its letters
        resemble the training data's: the ranking is kept, so the likeliest topics can still be offered.
        """
        prediction = self.classifier.predict(text)
        return Parse(
            text=text,
            intent=prediction.intent,
            confidence=prediction.confidence if prediction.knows_words else 0.0,
            entities=tuple(self.extractor.extract(text)),
            ranking=prediction.ranking,
        )

    async def parse(self, text: str) -> Parse:
        return self.parse_sync(text)


def model_path(cache_dir: Path, data: TrainingData) -> Path:
    """Return where the model for this training data is cached."""
    return cache_dir / f"intent-model-{data.fingerprint()}.npz"


def train_and_save(data: TrainingData, cache_dir: Path,
                   weights: Sequence[float] | None = None) -> tuple[IntentClassifier, float]:
    """Train on all examples (`weights`: one per example), save to the cache, and return the model and seconds."""
    started = time.perf_counter()
    classifier = train([e.text for e in data.examples], [e.intent for e in data.examples], weights=weights)
    seconds = time.perf_counter() - started
    save_replacing(classifier, model_path(cache_dir, data))
    log.info("nlu trained intents=%d examples=%d seconds=%.2f", len(classifier.intents), len(data.examples), seconds)
    return classifier, seconds


def is_trained(data_dir: Path, cache_dir: Path) -> bool:
    """Whether a cached model matches the training data (else the first parser built trains one)."""
    return model_path(cache_dir, load_training_data(data_dir)).exists()


def load_local_parser(data_dir: Path, cache_dir: Path) -> LocalParser:
    """Build the embedded parser, training it first when no cached model matches the data."""
    data = load_training_data(data_dir)
    classifier = load_cached(model_path(cache_dir, data))
    if classifier is None:
        classifier, _ = train_and_save(data, cache_dir)
    return LocalParser(classifier, EntityExtractor(data))
