"""Names of event kinds and deadline statuses in Danish and English, read from labels.yml.

Validated at load: every kind, every status and every phrase has a non-empty label in both languages.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from reminders.errors import RuleError
from reminders.kinds import EventKind
from reminders.rules import Status, Text

# libyaml's safe loader when PyYAML has it (several times faster), else the pure-Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LABELS_FILE = Path(__file__).parent / "labels.yml"
PHRASES = ("due", "started_by", "source", "today", "in_days", "overdue_by", "informational", "expired", "none", "opens",
           "counted_from_receipt", "counted_from_sent")


@dataclass(frozen=True, slots=True)
class Labels:
    """Labels of event kinds and statuses."""

    kinds: dict[EventKind, Text]
    statuses: dict[Status, Text]
    phrases: dict[str, Text]

    def kind(self, kind: EventKind, lang: str = "da") -> str:
        """Return what an event kind is called."""
        return self.kinds[kind].get(lang)

    def status(self, status: Status, lang: str = "da") -> str:
        """Return what a status is called."""
        return self.statuses[status].get(lang)

    def phrase(self, key: str, lang: str = "da", **values: str) -> str:
        """Return a phrase with its {placeholders} filled."""
        return self.phrases[key].get(lang).format(**values)


@lru_cache(maxsize=4)
def load_labels(path: Path = LABELS_FILE) -> Labels:
    """Load and validate the labels file.

    Raises:
        RuleError: a label is missing or malformed (names the key, never a value).
    """
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise RuleError(path.name, f"not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict) or raw.get("version") != "1":
        raise RuleError(path.name, "needs version \"1\", kinds, statuses and phrases")
    kinds = {kind: _text(path.name, raw, "kinds", kind.value) for kind in EventKind}
    statuses = {status: _text(path.name, raw, "statuses", status.value) for status in Status}
    phrases = {key: _text(path.name, raw, "phrases", key) for key in PHRASES}
    return Labels(kinds=kinds, statuses=statuses, phrases=phrases)


def _text(file: str, raw: dict[str, Any], section: str, key: str) -> Text:
    """Read one label with both languages."""
    entries = raw.get(section)
    entry = entries.get(key) if isinstance(entries, dict) else None
    if not isinstance(entry, dict) or not all(isinstance(entry.get(lang), str) and entry[lang] for lang in ("da", "en")):
        raise RuleError(file, "needs a label in da and en", field=f"{section}.{key}")
    return Text(da=entry["da"], en=entry["en"])
