"""Time for the reminders: an injectable clock, and the line between UTC instants and local days.

Instants are timezone-aware and stored in UTC; deadlines are calendar days in the municipality's
time zone (Europe/Copenhagen). This module converts between the two and never formats anything.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta, timezone
from typing import Protocol
from zoneinfo import ZoneInfo

COPENHAGEN = ZoneInfo("Europe/Copenhagen")


class Clock(Protocol):
    """Tells the current instant."""

    def now(self) -> datetime:
        """Return the current instant, timezone-aware."""
        ...


class SystemClock:
    """The real clock."""

    def now(self) -> datetime:
        """Return the current instant in UTC."""
        return datetime.now(timezone.utc)


def local_date(instant: datetime, tz: ZoneInfo = COPENHAGEN) -> date:
    """Return the calendar day an instant falls on in the time zone.

    Raises:
        ValueError: the instant is naive.
    """
    if instant.tzinfo is None:
        raise ValueError("a naive datetime has no day: give it a time zone")
    return instant.astimezone(tz).date()


def local_today(clock: Clock, tz: ZoneInfo = COPENHAGEN) -> date:
    """Return today's date in the time zone."""
    return local_date(clock.now(), tz)


def local_instant(day: date, at: time, tz: ZoneInfo = COPENHAGEN) -> datetime:
    """Return the UTC instant of a local wall-clock time on a day (the hour of a reminder)."""
    return datetime.combine(day, at, tzinfo=tz).astimezone(timezone.utc)


def end_of_day(day: date, tz: ZoneInfo = COPENHAGEN) -> datetime:
    """Return the UTC instant a local day ends (the next local midnight), whatever DST does that day."""
    return local_instant(day + timedelta(days=1), time(0, 0), tz)
