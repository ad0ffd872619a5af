"""Errors of the reminders package.

    RemindersError
     ├── RuleError            a rule file is malformed (names file, rule id and field, never a value)
     ├── RefusedReference     a case reference looks like a CPR number, a name or free text
     └── CaseError            a store operation cannot be done as asked
          ├── UnknownCase         no case has that reference
          ├── DuplicateCase       a case with that reference exists already
          └── UnknownCaseworker   no caseworker has that id
"""

from __future__ import annotations

from enum import StrEnum


class RemindersError(Exception):
    """Base class of reminders errors."""


class RuleError(RemindersError):
    """A deadline rule file is malformed."""

    def __init__(self, file: str, message: str, rule: str | None = None, field: str | None = None) -> None:
        where = file + (f" rule {rule!r}" if rule else "") + (f" field {field!r}" if field else "")
        super().__init__(f"{where}: {message}")
        self.file = file
        self.rule = rule
        self.field = field


class Refusal(StrEnum):
    """Why a case reference was refused."""

    EMPTY = "empty"
    FORMAT = "format"
    CPR = "cpr"
    NAME = "name"


class RefusedReference(RemindersError):
    """A case reference is not a pseudonymous code; the message never repeats the reference."""

    def __init__(self, reason: Refusal, message: str) -> None:
        super().__init__(message)
        self.reason = reason


class CaseError(RemindersError):
    """A store operation on cases cannot be done as asked."""


class UnknownCase(CaseError):
    """No case has that reference."""


class DuplicateCase(CaseError):
    """A case with that reference exists already."""


class UnknownCaseworker(CaseError):
    """No caseworker has that id."""
