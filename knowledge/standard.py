"""The kvalitetsstandard as structured entries loaded from YAML.

Loads and validates `knowledge/standard/*.yml` (schema in docs/content-contract.md) into frozen
dataclasses. Never decides what to say: dialogs does that.
"""

from __future__ import annotations

import re
import string
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterator

import yaml

from knowledge.errors import ContentError

# libyaml's safe loader when PyYAML has it (several times faster), else the pure-Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LANGUAGES = ("da", "en")
_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_ENTRY_KEYS = {"id", "title", "source", "answer", "facts", "caveat", "related", "keywords", "choices"}
_CAVEAT_KEYS = {*LANGUAGES, "source", "facts"}


@dataclass(frozen=True, slots=True)
class Caveat:
    """Where the standard is outdated, silent or in conflict with national guidance or the law.

    `source` names the document and its section; `facts` quote that document verbatim.
    """

    text: dict[str, str]
    source: str
    facts: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Entry:
    """One answerable topic of the standard, with its source section."""

    id: str
    section: str
    title: dict[str, str]
    source: str
    answer: dict[str, str]
    facts: tuple[str, ...]
    caveat: Caveat | None
    related: tuple[str, ...]
    keywords: tuple[str, ...]
    file: str
    # An overview's narrower entries, offered as buttons after its answer ("klage?": over a decision, the case
    # handling or the medical treatment).
    choices: tuple[str, ...] = ()


class Standard:
    """All entries of one municipality's quality standard."""

    def __init__(self, entries: list[Entry], title: str = "") -> None:
        self._entries = {entry.id: entry for entry in entries}
        self.title = title

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self._entries.values())

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._entries

    def entry(self, entry_id: str) -> Entry:
        """Return the entry with this id."""
        return self._entries[entry_id]

    @property
    def ids(self) -> list[str]:
        """Return every entry id, in file order."""
        return list(self._entries)


def load_standard(directory: Path, title: str = "") -> Standard:
    """Load every `*.yml` file in `directory` into a Standard.

    Raises:
        ContentError: a file or entry is malformed, an id repeats, or `related` or `choices` names no entry.
    """
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise ContentError(str(directory), "no *.yml files with knowledge entries")
    entries: list[Entry] = []
    seen: set[str] = set()
    for path in files:
        for entry in _load_file(path):
            if entry.id in seen:
                raise ContentError(path.name, "duplicate id", entry=entry.id)
            seen.add(entry.id)
            entries.append(entry)
    for entry in entries:
        for field, others in (("related", entry.related), ("choices", entry.choices)):
            for other in others:
                if other not in seen or other == entry.id:
                    raise ContentError(entry.file, f"{field} id {other!r} is not another entry", entry=entry.id,
                                       field=field)
    return Standard(entries, title)


def _load_file(path: Path) -> list[Entry]:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise ContentError(path.name, f"not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
        raise ContentError(path.name, "expected a mapping with 'section' and an 'entries' list")
    section = data.get("section")
    if not isinstance(section, str) or not section.strip():
        raise ContentError(path.name, "missing 'section'", field="section")
    return [_entry(path.name, section, raw) for raw in data["entries"]]


def _entry(file: str, section: str, raw: Any) -> Entry:
    if not isinstance(raw, dict):
        raise ContentError(file, "an entry must be a mapping")
    entry_id = raw.get("id")
    if not isinstance(entry_id, str) or not _ID.match(entry_id):
        raise ContentError(file, "missing or malformed id (snake_case)", field="id")
    unknown = set(raw) - _ENTRY_KEYS
    if unknown:
        raise ContentError(file, f"unknown fields {sorted(unknown)}", entry=entry_id)
    caveat = None
    if raw.get("caveat") is not None:
        cav = raw["caveat"]
        if not isinstance(cav, dict):
            raise ContentError(file, "caveat must be a mapping", entry=entry_id, field="caveat")
        unknown = set(cav) - _CAVEAT_KEYS
        if unknown:
            raise ContentError(file, f"unknown fields {sorted(unknown)}", entry=entry_id, field="caveat")
        caveat = Caveat(_texts(file, entry_id, "caveat", cav), _text(file, entry_id, "caveat.source", cav.get("source")),
                        _strings(file, entry_id, "caveat.facts", cav.get("facts")))
    return Entry(
        id=entry_id,
        section=section,
        title=_texts(file, entry_id, "title", raw.get("title")),
        source=_text(file, entry_id, "source", raw.get("source")),
        answer=_texts(file, entry_id, "answer", raw.get("answer")),
        facts=_strings(file, entry_id, "facts", raw.get("facts"), required=True),
        caveat=caveat,
        related=_strings(file, entry_id, "related", raw.get("related")),
        keywords=_strings(file, entry_id, "keywords", raw.get("keywords")),
        file=file,
        choices=_strings(file, entry_id, "choices", raw.get("choices")),
    )


def _text(file: str, entry_id: str, field: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(file, "missing text", entry=entry_id, field=field)
    return " ".join(value.split())


def _texts(file: str, entry_id: str, field: str, value: Any) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ContentError(file, "expected a mapping with da and en", entry=entry_id, field=field)
    texts = {lang: _text(file, entry_id, f"{field}.{lang}", value.get(lang)) for lang in LANGUAGES}
    for lang, text in texts.items():
        _check_placeholders(file, entry_id, f"{field}.{lang}", text)
    return texts


def _strings(file: str, entry_id: str, field: str, value: Any, required: bool = False) -> tuple[str, ...]:
    if value is None and not required:
        return ()
    if not isinstance(value, list) or (required and not value) or not all(isinstance(v, str) and v for v in value):
        raise ContentError(file, "expected a list of strings", entry=entry_id, field=field)
    return tuple(" ".join(v.split()) for v in value)


def _check_placeholders(file: str, entry_id: str, field: str, text: str) -> None:
    try:
        list(string.Formatter().parse(text))
    except ValueError:
        raise ContentError(file, "unbalanced { } in text", entry=entry_id, field=field) from None


def render(text: str, values: dict[str, str]) -> str:
    """Fill `{placeholder}`s in content text; unknown names are an error, not a silent blank."""
    return text.format_map(_Strict(values))


class _Strict(dict[str, str]):
    def __missing__(self, key: str) -> str:
        raise KeyError(f"unknown placeholder {{{key}}}")
