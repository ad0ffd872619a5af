"""Opening hours for tests that must find a counsellor there whatever the day they run (weekends and public
holidays included)."""

from __future__ import annotations

from datetime import date

from handover import OpeningHours, WEEKDAYS, parse_intervals
from reminders import public_holiday_names

__all__ = ["ALL_DAY", "holidays_this_year_and_next", "open_always"]

ALL_DAY = "00:00-24:00"


def holidays_this_year_and_next() -> list[date]:
    this_year = date.today().year
    return [day for year in (this_year, this_year + 1) for day in public_holiday_names(year)]


def open_always() -> OpeningHours:
    """Open every hour of every day, public holidays listed as open."""
    return OpeningHours({day: parse_intervals(ALL_DAY) for day in range(len(WEEKDAYS))},
                        open_on_holidays=frozenset(holidays_this_year_and_next()))
