"""Safety screening: emergencies, suicidal messages and violence, before any classifier.

Matches reviewed patterns from dialogs/content/safety.yml on the raw text. It never competes on a
score: when a category fires, its reply comes first, whatever the NLU or an active flow says.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from knowledge import ContentError
from nlu import fold

SAFETY_FILE = Path(__file__).parent / "content" / "safety.yml"


@dataclass(frozen=True, slots=True)
class Category:
    """One kind of danger with the reply it gets and the patterns that find it."""

    id: str
    reply: str
    always: tuple[re.Pattern[str], ...]
    patterns: tuple[re.Pattern[str], ...]
    unless: tuple[re.Pattern[str], ...]
    together: tuple[tuple[tuple[re.Pattern[str], ...], tuple[re.Pattern[str], ...]], ...] = ()

    def fires(self, folded: str) -> bool:
        if any(p.search(folded) for p in self.always):
            return True
        found = any(p.search(folded) for p in self.patterns) or any(
            any(p.search(folded) for p in first) and any(p.search(folded) for p in second)
            for first, second in self.together)
        return found and not any(p.search(folded) for p in self.unless)


class SafetyScreen:
    """The reviewed categories, in the order their replies are given."""

    def __init__(self, categories: list[Category]) -> None:
        self.categories = categories

    def screen(self, text: str) -> list[Category]:
        """Return every category the text fires, in priority order (empty when none)."""
        folded = fold(" ".join(text.lower().split()))
        return [category for category in self.categories if category.fires(folded)]


def load_safety(path: Path = SAFETY_FILE) -> SafetyScreen:
    """Load and compile the safety patterns; a bad pattern fails at start-up, naming it."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or not isinstance(data.get("categories"), list):
        raise ContentError(path.name, "expected a 'categories' list")
    categories = []
    for raw in data["categories"]:
        cid = raw.get("id")
        if not isinstance(cid, str) or not isinstance(raw.get("reply"), str):
            raise ContentError(path.name, "a category needs 'id' and 'reply'")

        def compile_all(field: str, patterns: list[str] | None = None) -> tuple[re.Pattern[str], ...]:
            compiled = []
            for index, pattern in enumerate(patterns if patterns is not None else raw.get(field) or []):
                try:
                    compiled.append(re.compile(fold(pattern), re.IGNORECASE))
                except re.error:
                    raise ContentError(path.name, f"invalid regex at position {index}", entry=cid, field=field) from None
            return tuple(compiled)

        together = []
        for pair in raw.get("together") or []:
            if not isinstance(pair, dict) or set(pair) != {"signs", "context"}:
                raise ContentError(path.name, "'together' items need 'signs' and 'context' lists", entry=cid)
            together.append((compile_all("together.signs", pair["signs"]), compile_all("together.context", pair["context"])))
        categories.append(Category(cid, raw["reply"], compile_all("always"), compile_all("patterns"),
                                   compile_all("unless"), tuple(together)))
    return SafetyScreen(categories)
