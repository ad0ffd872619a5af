"""Danish working days (holidays from the `holidays` package) and the line between UTC and local days,
across påske, Kristi himmelfart, pinse, jul, grundlovsdag, year ends and both DST changes."""

from __future__ import annotations

from datetime import date, datetime, time, timezone

import pytest

from fakes.clock import FixedClock
from reminders import (WorkingCalendar, add_working_days, end_of_day, is_working_day, local_date, local_instant,
                       local_today, public_holiday_names, working_days_before)

D = date.fromisoformat


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


@pytest.mark.parametrize(("day", "working"), [
    ("2026-04-01", True),    # Wednesday before påske
    ("2026-04-02", False),   # skærtorsdag
    ("2026-04-03", False),   # langfredag
    ("2026-04-05", False),   # påskedag (a Sunday anyway)
    ("2026-04-06", False),   # anden påskedag
    ("2026-04-07", True),
    ("2026-05-14", False),   # Kristi himmelfartsdag
    ("2026-05-15", True),    # the Friday after: a working day in law (many take it off)
    ("2026-05-25", False),   # anden pinsedag
    ("2026-06-05", False),   # grundlovsdag: a day off under the municipal agreements
    ("2026-12-24", False),   # juleaftensdag: likewise
    ("2026-12-25", False),   # juledag
    ("2026-12-28", True),
    ("2026-12-31", False),   # nytårsaftensdag
    ("2027-01-01", False),   # nytårsdag
    ("2026-03-28", False),   # Saturday (the DST night follows)
    ("2026-03-30", True),
    ("2023-05-05", False),   # store bededag, while it existed
    ("2024-04-26", True),    # ... and after it was abolished
    ("2028-02-29", True),    # leap day, a Tuesday
])
def test_working_days(day: str, working: bool) -> None:
    assert is_working_day(D(day)) is working


def test_the_public_holidays_come_from_the_holidays_package_with_danish_names() -> None:
    names = public_holiday_names(2026)
    assert names[D("2026-04-05")] == "Påskedag" and names[D("2026-05-14")] == "Kristi himmelfartsdag"
    assert names[D("2026-12-25")] == "Juledag" and D("2026-06-05") not in names


def test_grundlovsdag_and_christmas_eve_are_working_days_without_extra_days_off() -> None:
    plain = WorkingCalendar(extra_days_off=frozenset())
    assert is_working_day(D("2026-06-05"), plain) and is_working_day(D("2026-12-24"), plain)
    assert not is_working_day(D("2026-12-25"), plain)


@pytest.mark.parametrize(("start", "count", "expected"), [
    ("2026-04-01", 1, "2026-04-07"),    # over påske
    ("2026-05-13", 1, "2026-05-15"),    # over Kristi himmelfartsdag
    ("2026-06-04", 1, "2026-06-08"),    # over grundlovsdag and the weekend
    ("2026-12-23", 1, "2026-12-28"),    # over jul
    ("2026-12-30", 1, "2027-01-04"),    # over the year end
    ("2026-03-27", 1, "2026-03-30"),    # over the spring DST weekend
    ("2026-10-23", 1, "2026-10-26"),    # over the autumn DST weekend
    ("2026-04-01", 5, "2026-04-13"),
    ("2026-04-04", 0, "2026-04-07"),    # 0: the first working day on or after
    ("2026-04-07", 0, "2026-04-07"),
])
def test_add_working_days(start: str, count: int, expected: str) -> None:
    assert add_working_days(D(start), count) == D(expected)


@pytest.mark.parametrize(("due", "count", "expected"), [
    ("2026-04-07", 2, "2026-03-31"),    # back over påske
    ("2026-05-26", 7, "2026-05-13"),    # back over pinse and Kristi himmelfartsdag
    ("2026-12-28", 2, "2026-12-22"),    # back over jul and juleaftensdag
    ("2027-01-04", 1, "2026-12-30"),    # back over the year end
    ("2026-06-08", 1, "2026-06-04"),    # back over grundlovsdag
    ("2026-03-30", 1, "2026-03-27"),    # back over the spring DST weekend
    ("2026-04-05", 0, "2026-04-01"),    # 0: the morning of a due day on påskedag is the last working day before
    ("2026-04-01", 0, "2026-04-01"),
])
def test_working_days_before(due: str, count: int, expected: str) -> None:
    assert working_days_before(D(due), count) == D(expected)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(ValueError):
        add_working_days(D("2026-04-01"), -1)
    with pytest.raises(ValueError):
        working_days_before(D("2026-04-01"), -1)


@pytest.mark.parametrize(("instant", "day"), [
    ("2026-03-28T22:59:00", "2026-03-28"),   # 23:59 CET
    ("2026-03-28T23:00:00", "2026-03-29"),   # midnight CET: the day the clocks go forward
    ("2026-03-29T01:30:00", "2026-03-29"),   # 03:30 CEST, just after the change
    ("2026-03-29T22:00:00", "2026-03-30"),   # midnight CEST
    ("2026-10-24T21:59:00", "2026-10-24"),   # 23:59 CEST
    ("2026-10-24T22:00:00", "2026-10-25"),   # midnight CEST: the day the clocks go back
    ("2026-10-25T22:59:00", "2026-10-25"),   # 23:59 CET
    ("2026-12-31T23:00:00", "2027-01-01"),   # New Year in Copenhagen an hour before UTC
])
def test_the_local_day_of_an_instant_follows_copenhagen_time(instant: str, day: str) -> None:
    assert local_date(utc(instant)) == D(day)


@pytest.mark.parametrize(("day", "end"), [
    ("2026-03-28", "2026-03-28T23:00:00"),   # ends at midnight CET
    ("2026-03-29", "2026-03-29T22:00:00"),   # a 23-hour day: ends at midnight CEST
    ("2026-10-24", "2026-10-24T22:00:00"),
    ("2026-10-25", "2026-10-25T23:00:00"),   # a 25-hour day
    ("2028-02-29", "2028-02-29T23:00:00"),
])
def test_a_due_day_ends_at_local_midnight_stored_in_utc(day: str, end: str) -> None:
    assert end_of_day(D(day)) == utc(end)


@pytest.mark.parametrize(("day", "instant"), [
    ("2026-03-27", "2026-03-27T08:00:00"),   # 09:00 CET
    ("2026-03-30", "2026-03-30T07:00:00"),   # 09:00 CEST
    ("2026-10-23", "2026-10-23T07:00:00"),
    ("2026-10-26", "2026-10-26T08:00:00"),
])
def test_a_local_hour_on_either_side_of_dst(day: str, instant: str) -> None:
    assert local_instant(D(day), time(9, 0)) == utc(instant)


def test_today_comes_from_the_injected_clock_in_local_time() -> None:
    clock = FixedClock(utc("2026-03-28T22:30:00"))
    assert local_today(clock) == D("2026-03-28")
    clock.advance(hours=1)
    assert local_today(clock) == D("2026-03-29")


def test_a_naive_instant_has_no_day() -> None:
    with pytest.raises(ValueError):
        local_date(datetime(2026, 3, 29, 12, 0))
