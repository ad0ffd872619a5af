"""Errors of the knowledge package.

    KnowledgeError
     └── ContentError      a content file is malformed (names file, entry and field, never a value)
"""

from __future__ import annotations


class KnowledgeError(Exception):
    """Base class of knowledge errors."""


class ContentError(KnowledgeError):
    """A knowledge file is malformed."""

    def __init__(self, file: str, message: str, entry: str | None = None, field: str | None = None) -> None:
        where = file + (f" entry {entry!r}" if entry else "") + (f" field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")
        self.file = file
        self.entry = entry
        self.field = field
