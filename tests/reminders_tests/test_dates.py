"""Danish dates as caseworkers write them, read against fixed "todays" across month and year ends."""

from __future__ import annotations

from datetime import date

import pytest

from reminders.dates import find_day, parse_day, unreadable_day

MONDAY = date(2026, 11, 23)


@pytest.mark.parametrize("text, expected", [
    ("i dag", date(2026, 11, 23)), ("idag", date(2026, 11, 23)), ("I går", date(2026, 11, 22)),
    ("igår", date(2026, 11, 22)), ("i gaar", date(2026, 11, 22)), ("i forgårs", date(2026, 11, 21)),
    ("i morgen", date(2026, 11, 24)), ("15. marts", date(2026, 3, 15)), ("15 marts", date(2026, 3, 15)),
    ("d. 4. dec 2025", date(2025, 12, 4)), ("3/11", date(2026, 11, 3)), ("3.11", date(2026, 11, 3)),
    ("3/11/2025", date(2025, 11, 3)), ("3.11.25", date(2025, 11, 3)), ("2026-11-03", date(2026, 11, 3)),
    ("mandag", date(2026, 11, 23)), ("i mandags", date(2026, 11, 16)), ("sidste mandag", date(2026, 11, 16)),
    ("fredag", date(2026, 11, 20)), ("i fredags", date(2026, 11, 20)), ("søndag", date(2026, 11, 22)),
    ("for 3 dage siden", date(2026, 11, 20)), ("for en uge siden", date(2026, 11, 16)),
    ("yesterday", date(2026, 11, 22)), ("15 March", date(2026, 3, 15)),
])
def test_danish_forms_on_a_monday(text: str, expected: date) -> None:
    assert parse_day(text, MONDAY) == expected


@pytest.mark.parametrize("today, text, expected", [
    # Month end: yesterday of the 1st is the last of the previous month.
    (date(2026, 12, 1), "i går", date(2026, 11, 30)),
    (date(2026, 3, 1), "i forgårs", date(2026, 2, 27)),
    (date(2028, 3, 1), "i går", date(2028, 2, 29)),
    # Year end: a day without a year is the latest such day not after today.
    (date(2027, 1, 2), "30/12", date(2026, 12, 30)),
    (date(2027, 1, 2), "15. december", date(2026, 12, 15)),
    (date(2027, 1, 2), "2/1", date(2027, 1, 2)),
    (date(2027, 1, 1), "i går", date(2026, 12, 31)),
    (date(2026, 12, 31), "i morgen", date(2027, 1, 1)),
    (date(2027, 1, 1), "i mandags", date(2026, 12, 28)),
    # 29 February without a year: the latest leap day.
    (date(2027, 3, 10), "29/2", date(2024, 2, 29)),
])
def test_month_and_year_ends(today: date, text: str, expected: date) -> None:
    assert parse_day(text, today) == expected


@pytest.mark.parametrize("text", ["31/2", "kl 14.30", "S-14", "32. marts", "13/13", "mandagsmøde", "hej"])
def test_no_date_is_invented(text: str) -> None:
    assert parse_day(text, MONDAY) is None


def test_a_date_inside_a_sentence_is_found_with_its_position() -> None:
    sentence = "sag S-14: borgeren henvendte sig i går"
    found = find_day(sentence, MONDAY)
    assert found is not None and found.day == date(2026, 11, 22)
    assert sentence[found.start:found.end] == "i går"


def test_a_case_reference_is_not_read_as_a_date() -> None:
    assert find_day("UNG-2026-7 behandling startet", MONDAY) is None
    assert find_day("S-22 behandling startet i mandags", MONDAY).day == date(2026, 11, 16)  # type: ignore[union-attr]


def test_the_earliest_date_in_a_sentence_wins() -> None:
    found = find_day("udskrevet 3/11, opfølgning i dag", MONDAY)
    assert found is not None and found.day == date(2026, 11, 3)


@pytest.mark.parametrize("text, unreadable", [
    ("S-15 henvendelse 31/2", True), ("henvendelse 2026-13-01", True), ("udskrevet 30. februar", True),
    ("S-14 henvendelse 3/11", False), ("mødet kl. 14.30", False), ("besked inden 24-48 timer", False),
    ("UNG-2026-7 startede i går", False),
])
def test_a_written_date_that_is_no_day_is_noticed(text: str, unreadable: bool) -> None:
    assert unreadable_day(text, MONDAY) is unreadable

