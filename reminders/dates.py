"""Calendar days as caseworkers write them in Danish (and plain English): "i går", "15. marts", "3/11", "i mandags".

A small explicit parser, not dateparser: with languages=["da"], DATE_ORDER DMY, PREFER_DATES_FROM
past and a fixed RELATIVE_BASE (Monday 23 November 2026), dateparser 1.2 reads "3.11" as today,
returns nothing for "i forgårs", "i mandags" and "i fredags", and its search_dates finds no date
in "S-22 behandling startet i mandags" (docs/caseworkers.md has the measurement). The forms are a
closed list, so they are spelled out here and tested with fixed "todays" across month and year ends.

Rules: a date without a year is the latest such day not after today (events are recorded when they
have happened), except that words that name the future ("i morgen") keep it. "mandag" is the latest
Monday on or before today; "i mandags" and "sidste mandag" the latest one strictly before today.
Pure: "today" is always given; no clock, no I/O.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

MONTHS = {
    "januar": 1, "jan": 1, "january": 1, "februar": 2, "feb": 2, "february": 2, "marts": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4, "maj": 5, "may": 5, "juni": 6, "jun": 6, "june": 6, "juli": 7, "jul": 7, "july": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10, "okt": 10, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}
WEEKDAYS = {
    "mandag": 0, "monday": 0, "tirsdag": 1, "tuesday": 1, "onsdag": 2, "wednesday": 2, "torsdag": 3,
    "thursday": 3, "fredag": 4, "friday": 4, "lørdag": 5, "loerdag": 5, "lordag": 5, "saturday": 5,
    "søndag": 6, "soendag": 6, "sondag": 6, "sunday": 6,
}
RELATIVE = {
    "i dag": 0, "idag": 0, "today": 0, "i går": -1, "igår": -1, "i gaar": -1, "igaar": -1, "i gar": -1,
    "yesterday": -1, "i forgårs": -2, "iforgårs": -2, "forgårs": -2, "i forgaars": -2, "forgaars": -2,
    "the day before yesterday": -2, "i morgen": 1, "imorgen": 1, "tomorrow": 1, "i overmorgen": 2,
}
NUMBER_WORDS = {"en": 1, "et": 1, "én": 1, "a": 1, "an": 1, "one": 1, "to": 2, "two": 2, "tre": 3, "three": 3,
                "fire": 4, "four": 4, "fem": 5, "five": 5, "seks": 6, "six": 6, "syv": 7, "seven": 7}

_B = r"(?<![\w/.-])"          # not inside a word, a reference (S-14) or another date
_E = r"(?![\w/-]|\.\d)"        # and not followed by more of one
_MONTH_NAMES = "|".join(sorted(MONTHS, key=len, reverse=True))
_WEEKDAY_NAMES = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
_RELATIVE_NAMES = "|".join(re.escape(k) for k in sorted(RELATIVE, key=len, reverse=True))
_NUMBER = r"(?P<n>\d{1,3}|" + "|".join(NUMBER_WORDS) + ")"

_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("iso", re.compile(_B + r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _E)),
    ("numeric", re.compile(_B + r"(?P<d>\d{1,2})[./-](?P<m>\d{1,2})(?:[./-](?P<y>\d{4}|\d{2}))?" + _E + r"(?!\.\d)")),
    ("named", re.compile(_B + r"(?:d\.\s*|den\s+)?(?P<d>\d{1,2})\.?\s*(?P<mn>" + _MONTH_NAMES + r")\.?(?:\s+(?P<y>\d{4}))?"
                         + r"(?![\w])")),
    ("relative", re.compile(_B + r"(?P<rel>" + _RELATIVE_NAMES + r")(?![\w])")),
    ("ago", re.compile(_B + r"(?:for\s+)?" + _NUMBER + r"\s+(?P<unit>dage?|uger?|days?|weeks?)\s+(?:siden|ago)(?![\w])")),
    ("weekday", re.compile(_B + r"(?P<last>i\s+|sidste\s+|last\s+)?(?P<wd>" + _WEEKDAY_NAMES
                           + r")(?P<s>s)?(?:\s+i\s+sidste\s+uge)?(?![\w])")),
)


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A day found in a text, and where (so the caller can cut it out)."""

    day: date
    start: int
    end: int


def parse_day(text: str, today: date) -> date | None:
    """Return the day the whole text names ("i går", "3/11", "2026-11-03"), or None when it names none."""
    cleaned = " ".join(text.strip().lower().split()).rstrip(".,!?")
    found = find_day(cleaned, today)
    if found is None or found.start != 0 or found.end != len(cleaned):
        return None
    return found.day


def find_day(text: str, today: date) -> FoundDate | None:
    """Return the first day named in a sentence, or None.

    Args:
        text: the sentence (any case).
        today: the local calendar day to read relative words against.
    """
    lowered = text.lower()
    best: FoundDate | None = None
    for kind, pattern in _PATTERNS:
        for match in pattern.finditer(lowered):
            day = _day(kind, match, today)
            if day is not None and (best is None or match.start() < best.start):
                best = FoundDate(day, match.start(), match.end())
                break
    return best


def unreadable_day(text: str, today: date) -> bool:
    """Tell whether the sentence writes a date that is no real day ("31/2", "2026-13-01", "30. februar").

    Only a day and month written with a slash count among the numeric forms: "14.30" is a time of day and
    "24-48" a span as often as they are dates.
    """
    lowered = text.lower()
    for kind, pattern in _PATTERNS:
        if kind not in ("iso", "numeric", "named"):
            continue
        for match in pattern.finditer(lowered):
            if kind == "numeric" and "/" not in match.group(0):
                continue
            if _day(kind, match, today) is None:
                return True
    return False


def _day(kind: str, match: re.Match[str], today: date) -> date | None:
    """Turn one match into a day, or None when it is no real date (31/2, 14.30 o'clock)."""
    groups = match.groupdict()
    if kind == "relative":
        return today + timedelta(days=RELATIVE[" ".join(groups["rel"].split())])
    if kind == "ago":
        raw = groups["n"]
        count = int(raw) if raw.isdigit() else NUMBER_WORDS[raw]
        return today - timedelta(days=count * (7 if groups["unit"].startswith(("u", "w")) else 1))
    if kind == "weekday":
        back = (today.weekday() - WEEKDAYS[groups["wd"]]) % 7
        strictly_before = bool(groups["s"]) or (groups["last"] or "").strip() in ("sidste", "last") \
            or match.group(0).endswith("sidste uge")
        if strictly_before and back == 0:
            back = 7
        return today - timedelta(days=back)
    day_number = int(groups["d"])
    month = MONTHS[groups["mn"]] if kind == "named" else int(groups["m"])
    year_text = groups.get("y")
    if year_text:
        year = int(year_text) + (2000 if len(year_text) == 2 else 0)
        return _safe_date(year, month, day_number)
    this_year = _safe_date(today.year, month, day_number)
    if this_year is not None and this_year <= today:
        return this_year
    # Without a year, the latest such day not after today (29/2 may be years back).
    for year in range(today.year - 1, today.year - 8, -1):
        candidate = _safe_date(year, month, day_number)
        if candidate is not None:
            return candidate
    return None


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None
