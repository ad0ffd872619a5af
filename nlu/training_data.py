"""Reads training data in Rasa's NLU YAML format (version 3.1).

Accepts `intent` (with inline entity annotations), `synonym`, `regex` and `lookup` items and
treats any other key as an error, so a typo in a content file fails loudly at start-up.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

# libyaml's safe loader when PyYAML was built with it (its wheels are): the training data is ~50 files read at
# every start, and the pure-Python loader took most of a cold start. Both build the same plain data.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

from nlu.errors import TrainingDataError

# [text](entity) or [text](entity:value) or [text]{"entity": "x", "value": "y"}
_ANNOTATION = re.compile(r"\[(?P<text>[^\]]+)\](?:\((?P<short>[^)]+)\)|(?P<json>\{[^}]*\}))")
_ITEM_KINDS = ("intent", "synonym", "regex", "lookup")


@dataclass(frozen=True, slots=True)
class EntitySpan:
    """An entity marked in a training example."""

    entity: str
    value: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Example:
    """One training sentence with its intent and marked entities."""

    text: str
    intent: str
    entities: tuple[EntitySpan, ...] = ()
    file: str = ""


@dataclass(slots=True)
class TrainingData:
    """Everything read from a directory of Rasa NLU files."""

    examples: list[Example] = field(default_factory=list)
    synonyms: dict[str, str] = field(default_factory=dict)  # variant (lower-case) → value
    regexes: dict[str, list[str]] = field(default_factory=dict)
    lookups: dict[str, list[str]] = field(default_factory=dict)
    files: list[Path] = field(default_factory=list)

    @property
    def intents(self) -> list[str]:
        """Return the intent names in first-seen order."""
        return list(dict.fromkeys(example.intent for example in self.examples))

    def fingerprint(self) -> str:
        """Return a hash of the data, used to know when a cached model is stale."""
        digest = hashlib.sha256()
        for path in self.files:
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
        return digest.hexdigest()[:16]


def parse_example(line: str) -> tuple[str, tuple[EntitySpan, ...]]:
    """Strip Rasa's inline annotations from one example; return the plain text and its spans."""
    plain: list[str] = []
    spans: list[EntitySpan] = []
    pos = 0
    length = 0
    for match in _ANNOTATION.finditer(line):
        before = line[pos:match.start()]
        plain.append(before)
        length += len(before)
        text = match.group("text")
        entity, value = _annotation(match)
        spans.append(EntitySpan(entity, value or text, length, length + len(text)))
        plain.append(text)
        length += len(text)
        pos = match.end()
    plain.append(line[pos:])
    return "".join(plain), tuple(spans)


def _annotation(match: re.Match[str]) -> tuple[str, str | None]:
    if match.group("short"):
        entity, _, value = match.group("short").partition(":")
        return entity.strip(), (value.strip() or None)
    try:
        data = json.loads(match.group("json"))
    except json.JSONDecodeError:
        raise TrainingDataError(f"malformed entity annotation {match.group(0)[:40]!r}") from None
    if not isinstance(data, dict) or "entity" not in data:
        raise TrainingDataError("entity annotation without 'entity'")
    value = data.get("value")
    return str(data["entity"]), (str(value) if value is not None else None)


def load_training_data(directory: Path) -> TrainingData:
    """Read every `*.yml` file directly in `directory` (not sub-directories such as test/).

    The parser, the retriever and the safety net all read the citizen data at start-up: a directory is
    parsed once per process while its files are unchanged, and each caller gets its own lists to change.
    """
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise TrainingDataError(f"{directory}: no training files (*.yml)")
    stamp = tuple((path, path.stat().st_mtime_ns, path.stat().st_size) for path in files)
    read = _read_directory(stamp)
    return TrainingData(examples=list(read.examples), synonyms=dict(read.synonyms),
                        regexes={k: list(v) for k, v in read.regexes.items()},
                        lookups={k: list(v) for k, v in read.lookups.items()}, files=list(read.files))


@lru_cache(maxsize=16)
def _read_directory(stamp: tuple[tuple[Path, int, int], ...]) -> TrainingData:
    data = TrainingData(files=[path for path, _, _ in stamp])
    for path in data.files:
        _read_file(path, data)
    return data


def _read_file(path: Path, data: TrainingData) -> None:
    try:
        doc = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise TrainingDataError(f"{path.name}: not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(doc, dict):
        raise TrainingDataError(f"{path.name}: expected a mapping with 'version' and 'nlu'")
    unknown = set(doc) - {"version", "nlu"}
    if unknown:
        raise TrainingDataError(f"{path.name}: unknown top-level keys {sorted(unknown)}")
    items = doc.get("nlu") or []
    if not isinstance(items, list):
        raise TrainingDataError(f"{path.name}: 'nlu' must be a list")
    for index, item in enumerate(items):
        _read_item(path.name, index, item, data)


def _read_item(file: str, index: int, item: Any, data: TrainingData) -> None:
    if not isinstance(item, dict):
        raise TrainingDataError(f"{file}: item {index} is not a mapping")
    kinds = [kind for kind in _ITEM_KINDS if kind in item]
    unknown = set(item) - set(_ITEM_KINDS) - {"examples", "metadata"}
    if len(kinds) != 1 or unknown:
        raise TrainingDataError(f"{file}: item {index} needs exactly one of {_ITEM_KINDS} (unknown keys: {sorted(unknown)})")
    kind = kinds[0]
    name = item[kind]
    if not isinstance(name, str) or not name:
        raise TrainingDataError(f"{file}: item {index}: '{kind}' needs a name")
    lines = _example_lines(file, name, item.get("examples"))
    if kind == "intent":
        for line in lines:
            text, spans = parse_example(line)
            data.examples.append(Example(text=text, intent=name, entities=spans, file=file))
    elif kind == "synonym":
        for line in lines:
            data.synonyms[line.lower()] = name
    elif kind == "regex":
        for pattern in lines:
            try:
                re.compile(pattern)
            except re.error:
                raise TrainingDataError(f"{file}: regex {name!r} has an invalid pattern") from None
        data.regexes.setdefault(name, []).extend(lines)
    else:
        data.lookups.setdefault(name, []).extend(lines)


def _example_lines(file: str, name: str, block: Any) -> list[str]:
    if not isinstance(block, str):
        raise TrainingDataError(f"{file}: {name!r} needs an 'examples: |' block")
    lines = []
    for raw in block.splitlines():
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("- "):
            raise TrainingDataError(f"{file}: {name!r}: every example line starts with '- '")
        lines.append(line[2:].strip())
    if not lines:
        raise TrainingDataError(f"{file}: {name!r} has no examples")
    return lines
