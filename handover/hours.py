"""When a counsellor is there: weekly opening hours, closed days and Danish public holidays.

The hours are wall-clock times in the service's time zone (Europe/Copenhagen), so "09:00-15:00" is nine to
three in winter and in summer alike; a public holiday is closed unless it is listed as open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from reminders import public_holiday_names

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_INTERVAL = re.compile(r"^\s*([01]?\d|2[0-3])[:.]([0-5]\d)\s*-\s*([01]?\d|2[0-4])[:.]([0-5]\d)\s*$")
# How far ahead the next opening is looked for: a service closed longer than this has no next opening.
LOOK_AHEAD_DAYS = 60


@dataclass(frozen=True, slots=True)
class Interval:
    """Open from `start` to `end` on one day (end after start; "24:00" is the end of the day)."""

    start: time
    end: time | None  # None: midnight at the end of the day


def parse_intervals(text: str) -> tuple[Interval, ...]:
    """Read "09:00-15:00" or "09:00-12:00, 13:00-16:00" (empty: closed all day).

    Raises:
        ValueError: an interval is not "HH:MM-HH:MM", ends before it starts, or overlaps another.
    """
    intervals: list[Interval] = []
    for part in (piece for piece in text.split(",") if piece.strip()):
        match = _INTERVAL.match(part)
        if match is None:
            raise ValueError(f'"{part.strip()}" is not an interval written "HH:MM-HH:MM"')
        start = time(int(match.group(1)), int(match.group(2)))
        end_hour, end_minute = int(match.group(3)), int(match.group(4))
        if end_hour == 24 and end_minute:
            raise ValueError(f'"{part.strip()}" ends after midnight')
        end = None if end_hour == 24 else time(end_hour, end_minute)
        if end is not None and end <= start:
            raise ValueError(f'"{part.strip()}" ends before it starts')
        intervals.append(Interval(start, end))
    intervals.sort(key=lambda interval: interval.start)
    for before, after in zip(intervals, intervals[1:]):
        if before.end is None or before.end > after.start:
            raise ValueError("two intervals of the same day overlap")
    return tuple(intervals)


@dataclass(frozen=True)
class OpeningHours:
    """The weekly hours (weekday 0 is Monday), the days closed besides them, and the public holidays on
    which the service is open after all."""

    weekly: dict[int, tuple[Interval, ...]]
    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("Europe/Copenhagen"))
    closed: frozenset[date] = frozenset()
    open_on_holidays: frozenset[date] = frozenset()

    def holiday(self, day: date) -> str | None:
        """The Danish name of the public holiday on the day, if it is one."""
        return public_holiday_names(day.year).get(day)

    def intervals(self, day: date) -> tuple[Interval, ...]:
        """The day's hours: none on a closed day or a public holiday that is not listed as open."""
        if day in self.closed or (self.holiday(day) is not None and day not in self.open_on_holidays):
            return ()
        return self.weekly.get(day.weekday(), ())

    def _spans(self, day: date) -> list[tuple[datetime, datetime]]:
        spans = []
        for interval in self.intervals(day):
            start = datetime.combine(day, interval.start, self.tz)
            end = (datetime.combine(day + timedelta(days=1), time(0), self.tz) if interval.end is None
                   else datetime.combine(day, interval.end, self.tz))
            spans.append((start, end))
        return spans

    def is_open(self, at: datetime) -> bool:
        """Whether a counsellor is there at the moment (an aware datetime)."""
        return self.closes_at(at) is not None

    def closes_at(self, at: datetime) -> datetime | None:
        """When the current opening ends, or None when it is closed now."""
        local = at.astimezone(self.tz)
        for start, end in self._spans(local.date()):
            if start <= local < end:
                return end
        return None

    def next_opening(self, at: datetime) -> datetime | None:
        """The next moment after `at` when it opens (in the service's time zone), or None when it does not
        open within LOOK_AHEAD_DAYS."""
        local = at.astimezone(self.tz)
        for offset in range(LOOK_AHEAD_DAYS + 1):
            for start, _ in self._spans(local.date() + timedelta(days=offset)):
                if start > local:
                    return start
        return None
