"""Case references: pseudonymous codes such as S-14, never a CPR number, a name or a description.

`check_reference` normalises a reference (trimmed, upper case) or refuses it with a message that
says why and how to write one, and that never repeats the refused text (it may be personal data).
"""

from __future__ import annotations

import re

from privacy import find_cpr
from reminders.errors import Refusal, RefusedReference

MAX_LENGTH = 32

KNOWN_PREFIXES = frozenset({
    "sag", "sagsnr", "ref", "nr", "id", "case", "ung", "uc", "voksen", "vis", "amb", "dag", "doegn", "døgn",
    "klage", "brs",
})
"""Words a reference may start with or contain although they look like words (compared case-insensitively)."""

# Upper-case abbreviations of this length or shorter (S, UC, BRS, VISO) are codes, not names.
_MAX_ABBREVIATION = 4
_ALLOWED = re.compile(r"^[0-9A-Za-zÆØÅæøåÄÖÜäöüÉé._/-]+$")
_DIGIT_RUN = re.compile(r"\d{11,}")
_WORD = re.compile(r"[A-Za-zÆØÅæøåÄÖÜäöüÉé]+")
_EXAMPLE = "use a pseudonymous code such as S-14 or UNG-2026-7"


def check_reference(text: str, prefixes: frozenset[str] = KNOWN_PREFIXES) -> str:
    """Return the reference normalised (trimmed, upper case), or refuse it.

    Args:
        text: the reference as typed.
        prefixes: words allowed in a reference although they look like words or names.

    Raises:
        RefusedReference: the reference is empty, too long, has other characters than letters,
            digits and - _ / ., has no digit, looks like a CPR number, or contains a name-like word.
    """
    reference = text.strip()
    if not reference:
        raise RefusedReference(Refusal.EMPTY, f"the case reference is empty: {_EXAMPLE}")
    if _looks_like_cpr(reference):
        raise RefusedReference(Refusal.CPR, "the case reference looks like a CPR number, which must never be "
                                            f"stored: {_EXAMPLE}")
    for word in _WORD.findall(reference):
        if _name_like(word, prefixes):
            raise RefusedReference(Refusal.NAME, "the case reference contains a word that looks like a name or "
                                                 f"a description; a reference must not identify the citizen: "
                                                 f"{_EXAMPLE}")
    if len(reference) > MAX_LENGTH:
        raise RefusedReference(Refusal.FORMAT, f"the case reference is longer than {MAX_LENGTH} characters: "
                                               f"{_EXAMPLE}")
    if not _ALLOWED.match(reference):
        raise RefusedReference(Refusal.FORMAT, "the case reference may contain only letters, digits and "
                                               f"- _ / . (no spaces): {_EXAMPLE}")
    if not any(char.isdigit() for char in reference):
        raise RefusedReference(Refusal.FORMAT, f"the case reference needs a number: {_EXAMPLE}")
    return reference.upper()


def _name_like(word: str, prefixes: frozenset[str]) -> bool:
    """Tell whether a word could be a name (or free text): anything but a known prefix or a short abbreviation."""
    if word.casefold() in prefixes:
        return False
    if len(word) == 1 or (word.isupper() and len(word) <= _MAX_ABBREVIATION):
        return False
    return True


def _looks_like_cpr(text: str) -> bool:
    """Tell whether the text holds a CPR-like number (a valid ddmmyy date and four digits) or a long digit run."""
    return bool(_DIGIT_RUN.search(text)) or bool(find_cpr(text))


