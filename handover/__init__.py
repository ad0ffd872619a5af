"""Handing a citizen's chat to a person: when a counsellor is there (`hours`)."""

from handover.hours import WEEKDAYS, Interval, OpeningHours, parse_intervals

__all__ = ["WEEKDAYS", "Interval", "OpeningHours", "parse_intervals"]
