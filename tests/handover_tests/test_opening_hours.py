"""When a counsellor is there: weekly hours in local time, closed days, public holidays, DST, next opening."""

from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from handover import Interval, OpeningHours, parse_intervals

CPH = ZoneInfo("Europe/Copenhagen")
WEEKDAYS_9_TO_15 = {day: parse_intervals("09:00-15:00") for day in range(4)} | {4: parse_intervals("09:00-13:00")}


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CPH)  # type: ignore[misc]


def test_intervals_are_read_sorted_and_checked() -> None:
    assert parse_intervals("13:00-15:30, 09:00-12:00") == (
        Interval(*(datetime.strptime(t, "%H:%M").time() for t in ("09:00", "12:00"))),
        Interval(*(datetime.strptime(t, "%H:%M").time() for t in ("13:00", "15:30"))))
    assert parse_intervals("") == ()
    assert parse_intervals("20:00-24:00")[0].end is None  # until midnight


@pytest.mark.parametrize("text, problem", [
    ("9-15", "HH:MM-HH:MM"), ("15:00-09:00", "ends before it starts"), ("09:00-12:00, 11:00-13:00", "overlap"),
    ("25:00-26:00", "HH:MM-HH:MM"), ("20:00-24:30", "after midnight"),
])
def test_a_bad_interval_says_what_is_wrong(text: str, problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_intervals(text)


def test_open_from_the_first_minute_and_closed_from_the_last() -> None:
    hours = OpeningHours(WEEKDAYS_9_TO_15)
    assert not hours.is_open(local(2026, 12, 7, 8, 59))
    assert hours.is_open(local(2026, 12, 7, 9, 0))
    assert hours.closes_at(local(2026, 12, 7, 14, 59)) == local(2026, 12, 7, 15, 0)
    assert not hours.is_open(local(2026, 12, 7, 15, 0))
    assert hours.next_opening(local(2026, 12, 7, 8, 0)) == local(2026, 12, 7, 9, 0)
    assert hours.next_opening(local(2026, 12, 7, 9, 0)) == local(2026, 12, 8, 9, 0)  # the next one, not this


def test_the_weekend_and_a_public_holiday_are_closed_unless_listed() -> None:
    hours = OpeningHours(WEEKDAYS_9_TO_15)
    friday_afternoon = local(2027, 3, 19, 14, 0)  # after Friday's 13:00
    assert hours.next_opening(friday_afternoon) == local(2027, 3, 22, 9, 0)
    # Skærtorsdag, langfredag, 2. påskedag 2027: from Wednesday afternoon to Tuesday morning
    assert hours.holiday(date(2027, 3, 26)) == "Langfredag"
    assert hours.next_opening(local(2027, 3, 24, 16, 0)) == local(2027, 3, 30, 9, 0)
    listed = OpeningHours(WEEKDAYS_9_TO_15, open_on_holidays=frozenset({date(2027, 3, 25)}))
    assert listed.is_open(local(2027, 3, 25, 10, 0))  # skærtorsdag, open after all


def test_a_closed_day_of_the_municipality_is_closed() -> None:
    hours = OpeningHours(WEEKDAYS_9_TO_15, closed=frozenset({date(2026, 12, 24)}))
    assert not hours.is_open(local(2026, 12, 24, 10, 0))  # juleaftensdag is no public holiday, but closed here
    assert hours.next_opening(local(2026, 12, 23, 16, 0)) == local(2026, 12, 28, 9, 0)


def test_hours_are_wall_clock_time_across_the_change_to_summer_time() -> None:
    hours = OpeningHours(WEEKDAYS_9_TO_15)
    # Summer time begins on Sunday 28 March 2027: Monday's 09:00 is 07:00 UTC, Friday's was 08:00 UTC
    assert hours.next_opening(datetime(2027, 3, 26, 13, 0, tzinfo=timezone.utc)) == \
        datetime(2027, 3, 30, 7, 0, tzinfo=timezone.utc)  # Monday 29th is 2. påskedag
    assert hours.is_open(datetime(2027, 3, 30, 7, 0, tzinfo=timezone.utc))
    assert not hours.is_open(datetime(2027, 3, 30, 6, 59, tzinfo=timezone.utc))


def test_no_next_opening_when_closed_for_longer_than_two_months() -> None:
    assert OpeningHours({}).next_opening(local(2026, 12, 7, 9, 0)) is None
