"""Errors of the provider catalogue.

    KnowledgeError
     └── CatalogueError        a catalogue file cannot be imported; `problems` lists every bad row and field
"""

from __future__ import annotations

from dataclasses import dataclass

from knowledge.errors import KnowledgeError


@dataclass(frozen=True, slots=True)
class Problem:
    """One problem of a catalogue file: where (line and field, when known) and what, in Danish."""

    line: int | None
    field: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(part for part in (f"linje {self.line}" if self.line else "",
                                            f"felt {self.field}" if self.field else "") if part)
        return f"{where}: {self.message}" if where else self.message


class CatalogueError(KnowledgeError):
    """A catalogue file cannot be imported; nothing of it was stored."""

    def __init__(self, source: str, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(f"{source}: {count} fejl" + "".join(f"\n  {p}" for p in problems[:20]))
        self.source = source
        self.problems = problems
