"""CPR numbers in what a person writes: found (ddmmyy-xxxx with a valid date), masked, and dropped.

A CPR number is never stored, logged or repeated back: the channels and the engines mask it before
anything else reads the text, and tell the person not to write it.
"""

from __future__ import annotations

import re
from datetime import date

CPR_MASK = "[CPR]"
_CPR = re.compile(r"(?<!\d)(\d{2})(\d{2})(\d{2})[-.\s/]?(\d{4})(?!\d)")


def find_cpr(text: str) -> list[tuple[int, int]]:
    """Return the spans of CPR-like numbers (ddmmyy-xxxx with a valid date)."""
    spans = []
    for match in _CPR.finditer(text):
        day, month, year = (int(match.group(i)) for i in (1, 2, 3))
        if _valid_date(day, month, year):
            spans.append(match.span())
    return spans


def mask_cpr(text: str) -> tuple[str, bool]:
    """Return the text with CPR numbers replaced by a mask, and whether any was found."""
    spans = find_cpr(text)
    for start, end in reversed(spans):
        text = text[:start] + CPR_MASK + text[end:]
    return text, bool(spans)


_CPR_MENTION = re.compile(
    r"(?:\b(?:mit|min|my|her\s+er)\s+)?\b(?:cpr|personnummer|personal\s+number)"
    r"(?:[-\s]?(?:nr\.?|nummer|number))?(?:\s+(?:er|is))?\s*:?\s*" + re.escape(CPR_MASK)
    + r"|" + re.escape(CPR_MASK), re.IGNORECASE)


def without_cpr(masked: str) -> str:
    """Drop masked CPR numbers and the words that announce them ("mit cpr er [CPR]"), for the classifier.

    What is left is the question itself: "mit cpr er [CPR], hvad koster det?" → ", hvad koster det?".
    """
    return " ".join(_CPR_MENTION.sub(" ", masked).split())


def _valid_date(day: int, month: int, year: int) -> bool:
    for century in (1900, 2000):
        try:
            date(century + year, month, day)
            return True
        except ValueError:
            continue
    return False
