"""What a caseworker's sentence says about a case: its reference, and which kind of event it records.

"sag S-14: borgeren henvendte sig i går" → reference "S-14", kind "henvendelse". The kind comes from
the embedded classifier trained on nlu/case_data/*.yml (intents "event/<kind>" and "none"); the
reference from patterns (after "sag"/"case", or a code such as S-14, UNG-2026-7, BRS14). The
reference is returned as written, unchecked: whether it may be stored (no CPR number, no name) is
decided by the caller. Dates are read by the caller too (reminders.dates) and cut out with `cut`.
Knows nothing of cases or storage; keeps nothing of the text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from nlu.classifier import IntentClassifier
from nlu.parser import load_local_parser

CASE_DATA_DIR = Path(__file__).parent / "case_data"
EVENT_PREFIX = "event/"
NONE = "none"
DEFAULT_THRESHOLD = 0.5

_LETTERS = "A-Za-zÆØÅæøåÄÖÜäöüÉé"
# "sag S-14", "sagen 14", "sagsnr. 2026/7", "sagsid 88213", "ID 7781", "file 151", "case UC-3", "ref: S-9", and a
# journal number after "j.nr." or
# "journalnr." (KL's journal plan: "j.nr. 27.12.00-G01-5-26")
_AFTER_KEYWORD = re.compile(r"(?<![\w])(?:sag(?:en|snr|snummer|s-?id)?|case|ref(?:erence)?|j\.\s?nr|jnr|journal(?:nr|nummer)?|"
                            r"id|file|fil)"
                            r"\.?\s*(?:nr\.?\s*)?[:#]?\s*"
                            rf"(?P<ref>[0-9{_LETTERS}][0-9{_LETTERS}._/-]*\d[0-9{_LETTERS}._/-]*)", re.IGNORECASE)
# A code on its own: letters, a dash, and a number ("S-14", "UNG-2026-7"), or upper-case letters glued to one ("S14")
_CODE = re.compile(rf"(?<![\w/.-])(?P<ref>[{_LETTERS}]{{1,12}}-\d[0-9{_LETTERS}_/-]*|[A-ZÆØÅ]{{1,5}}\d[0-9A-Z_/-]*)")
_TRAILING = ".,:;!?)-/"


@dataclass(frozen=True, slots=True)
class Span:
    """Where something was found in a text."""

    start: int
    end: int


@dataclass(frozen=True, slots=True)
class CaseSentence:
    """What a sentence says about a case.

    Attributes:
        reference: the case reference as written (unchecked), or None.
        reference_span: where it stands in the text.
        kind: the event kind ("henvendelse", ...) when the classifier is confident, else None.
        confidence: the classifier's confidence in its best intent (event or "none").
        ranking: the best intents with their confidence.
    """

    reference: str | None
    reference_span: Span | None
    kind: str | None
    confidence: float
    ranking: tuple[tuple[str, float], ...]


def find_reference(text: str) -> tuple[str, Span] | None:
    """Return the first case reference in a sentence, as written, and where it stands."""
    found: list[tuple[int, int, str]] = []
    for pattern in (_AFTER_KEYWORD, _CODE):
        match = pattern.search(text)
        if match:
            raw = match.group("ref")
            stripped = raw.rstrip(_TRAILING)
            if any(char.isdigit() for char in stripped):
                found.append((match.start("ref"), match.start("ref") + len(stripped), stripped))
    if not found:
        return None
    start, end, reference = min(found)
    return reference, Span(start, end)


class CaseLanguage:
    """Reads caseworkers' sentences with a classifier trained on nlu/case_data.

    Args:
        classifier: the trained event-kind classifier.
        threshold: the confidence below which no kind is proposed. Defaults to 0.5.
    """

    def __init__(self, classifier: IntentClassifier, threshold: float = DEFAULT_THRESHOLD) -> None:
        self._classifier = classifier
        self._threshold = threshold

    @property
    def kinds(self) -> list[str]:
        """Return the event kinds the classifier knows."""
        return [intent.removeprefix(EVENT_PREFIX) for intent in self._classifier.intents
                if intent.startswith(EVENT_PREFIX)]

    def read(self, text: str, cut: Sequence[Span] = ()) -> CaseSentence:
        """Find the reference and classify the event kind of one sentence.

        Args:
            text: the sentence.
            cut: spans to leave out before classifying (a date the caller found).
        """
        found = find_reference(text)
        spans = list(cut) + ([found[1]] if found else [])
        rest = without(text, spans)
        prediction = self._classifier.predict(rest, top=4)
        intent, confidence = prediction.intent, prediction.confidence
        kind = intent.removeprefix(EVENT_PREFIX) if intent.startswith(EVENT_PREFIX) and confidence >= self._threshold \
            else None
        return CaseSentence(reference=found[0] if found else None, reference_span=found[1] if found else None,
                            kind=kind, confidence=confidence, ranking=prediction.ranking)


def without(text: str, spans: Sequence[Span]) -> str:
    """Return the text with the spans blanked out (so positions elsewhere keep their meaning)."""
    chars = list(text)
    for span in spans:
        for index in range(max(0, span.start), min(len(chars), span.end)):
            chars[index] = " "
    return "".join(chars)


def load_case_language(cache_dir: Path, data_dir: Path = CASE_DATA_DIR,
                       threshold: float = DEFAULT_THRESHOLD) -> CaseLanguage:
    """Train (or load from the cache) the event-kind classifier and return the reader.

    The model is cached in its own sub-directory, because the citizen model's training removes
    every other model in its cache directory.
    """
    parser = load_local_parser(data_dir, cache_dir / "case_events")
    return CaseLanguage(parser.classifier, threshold)
