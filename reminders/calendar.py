"""Danish working days: Monday to Friday, except public holidays and the municipality's days off.

Public holidays (påske, Kristi himmelfartsdag, pinse, jul, nytår, and store bededag until 2023) come
from the maintained `holidays` package, so movable feasts and law changes are not ours to keep.
Grundlovsdag, juleaftensdag and nytårsaftensdag are not public holidays but are days off under the
municipal collective agreements; they are extra days off by default (verify locally). Deadlines
themselves are calendar days; working days decide only when a reminder is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

GRUNDLOVSDAG = (6, 5)
JULEAFTENSDAG = (12, 24)
NYTAARSAFTENSDAG = (12, 31)

# Reminders look a few weeks ahead at most; a bound keeps a bad count from looping for ever.
_MAX_STEPS = 3660


@dataclass(frozen=True, slots=True)
class WorkingCalendar:
    """Which days are working days.

    Args:
        extra_days_off: fixed (month, day) pairs that are days off besides the public holidays.
            Defaults to grundlovsdag, juleaftensdag and nytårsaftensdag.
    """

    extra_days_off: frozenset[tuple[int, int]] = frozenset({GRUNDLOVSDAG, JULEAFTENSDAG, NYTAARSAFTENSDAG})

    def is_working_day(self, day: date) -> bool:
        """Tell whether the day is a working day."""
        if day.weekday() >= 5 or (day.month, day.day) in self.extra_days_off:
            return False
        return day not in _public_holidays(day.year)


DANISH = WorkingCalendar()
"""The default calendar: Danish public holidays plus grundlovsdag, juleaftensdag and nytårsaftensdag."""


@lru_cache(maxsize=64)
def _public_holidays(year: int) -> frozenset[date]:
    import holidays  # imported on first use: it costs ~60 ms, and most commands never need it

    return frozenset(holidays.country_holidays("DK", years=year, categories=("public",)))


@lru_cache(maxsize=64)
def public_holiday_names(year: int) -> dict[date, str]:
    """Return the Danish public holidays of a year with their Danish names (a shared dict: do not change it)."""
    import holidays

    found = holidays.country_holidays("DK", years=year, categories=("public",), language="da")
    return dict(sorted(found.items()))


def is_working_day(day: date, calendar: WorkingCalendar = DANISH) -> bool:
    """Tell whether the day is a Danish working day."""
    return calendar.is_working_day(day)


def add_working_days(day: date, count: int, calendar: WorkingCalendar = DANISH) -> date:
    """Return the working day `count` working days after `day`; with 0, the first working day on or after it.

    Raises:
        ValueError: count is negative.
    """
    if count < 0:
        raise ValueError("count must not be negative (use working_days_before)")
    return _walk(day, count, 1, calendar)


def working_days_before(day: date, count: int, calendar: WorkingCalendar = DANISH) -> date:
    """Return the working day `count` working days before `day`; with 0, the last working day on or before it.

    "7 working days before a deadline on Monday 6 April 2026" skips påske and the weekends.

    Raises:
        ValueError: count is negative.
    """
    if count < 0:
        raise ValueError("count must not be negative (use add_working_days)")
    return _walk(day, count, -1, calendar)


def _walk(day: date, count: int, step: int, calendar: WorkingCalendar) -> date:
    """Step over working days; count 0 means the nearest working day in the direction of travel."""
    current = day
    remaining = count
    if remaining == 0:
        for _ in range(_MAX_STEPS):
            if calendar.is_working_day(current):
                return current
            current += timedelta(days=step)
        raise ValueError("no working day within ten years")
    for _ in range(_MAX_STEPS):
        current += timedelta(days=step)
        if calendar.is_working_day(current):
            remaining -= 1
            if remaining == 0:
                return current
    raise ValueError("count is too large")
