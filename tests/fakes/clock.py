"""A clock that stands still until a test moves it (style: time is frozen by injection)."""

from __future__ import annotations

from datetime import datetime, timedelta


class FixedClock:
    """Tells the instant it was given; `advance()` moves it on."""

    def __init__(self, now: datetime) -> None:
        if now.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware instant")
        self._now = now

    def now(self) -> datetime:
        return self._now

    def advance(self, **delta: float) -> None:
        """Move the clock on, e.g. advance(hours=1)."""
        self._now += timedelta(**delta)
