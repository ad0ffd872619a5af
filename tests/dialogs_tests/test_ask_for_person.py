"""Asking for a person: truthful about being a program, and about when the counsellors are there."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.storage import open_database
from dialogs import Deps, DialogEngine, Incoming
from handover import OpeningHours, parse_intervals
from nlu import LocalParser

CPH = ZoneInfo("Europe/Copenhagen")
HOURS = OpeningHours({day: parse_intervals("09:00-15:00") for day in range(5)})


async def ask(deps: Deps, parser: LocalParser, text: str, at: datetime, lang: str | None = None) -> str:
    database, sessions = await open_database("sqlite+aiosqlite://")
    try:
        response = await DialogEngine(deps, parser, sessions).handle(Incoming(conv="p", text=text, at=at, lang=lang))
    finally:
        await database.dispose()
    assert response.route == "handover.ask_for_person"
    return response.text


@pytest.mark.parametrize("text", ["kan jeg tale med et menneske?", "kan jeg snakke med en rådgiver i stedet",
                                  "can I talk to a real person?"])
async def test_asking_for_a_person_is_understood(deps: Deps, local_parser: LocalParser, text: str) -> None:
    await ask(replace(deps, opening_hours=HOURS), local_parser, text, datetime(2026, 12, 7, 10, tzinfo=CPH))


async def test_inside_the_hours_it_says_until_when_and_whom_to_call(deps: Deps, local_parser: LocalParser) -> None:
    text = await ask(replace(deps, opening_hours=HOURS), local_parser, "kan jeg tale med et menneske?",
                     datetime(2026, 12, 7, 10, 30, tzinfo=CPH))
    assert "computerprogram" in text and "til i dag kl. 15.00" in text
    assert "9945 4421" in text and "9945 4705" in text and "70 201 201" in text and "112" in text


@pytest.mark.parametrize("at, when", [
    (datetime(2026, 12, 7, 7, 0, tzinfo=CPH), "igen i dag kl. 9.00"),  # Monday morning, before opening
    (datetime(2026, 12, 7, 16, 0, tzinfo=CPH), "igen i morgen kl. 9.00"),  # after closing
    (datetime(2026, 12, 11, 16, 0, tzinfo=CPH), "igen mandag kl. 9.00"),  # Friday afternoon
    (datetime(2026, 12, 24, 21, 0, tzinfo=timezone.utc), "igen mandag kl. 9.00"),  # juleaften: 25th, 26th closed
    (datetime(2027, 3, 24, 16, 0, tzinfo=CPH), "igen tirsdag kl. 9.00"),  # before påske
])
async def test_outside_the_hours_it_names_the_next_opening_and_the_lines_always_open(
        deps: Deps, local_parser: LocalParser, at: datetime, when: str) -> None:
    text = await ask(replace(deps, opening_hours=HOURS), local_parser, "kan jeg tale med et menneske?", at)
    assert when in text
    assert "70 201 201" in text and "112" in text and "9945 4421" in text


async def test_in_english_and_more_than_a_week_ahead_with_the_date(deps: Deps, local_parser: LocalParser) -> None:
    hours = OpeningHours({0: parse_intervals("09:00-12:00")}, closed=frozenset({datetime(2026, 12, 14).date()}))
    text = await ask(replace(deps, opening_hours=hours), local_parser, "can I talk to a real person?",
                     datetime(2026, 12, 7, 13, 0, tzinfo=CPH))
    assert "back on Monday 21 December at 09:00" in text and "70 201 201" in text


async def test_without_hours_it_gives_the_numbers_to_call(deps: Deps, local_parser: LocalParser) -> None:
    text = await ask(deps, local_parser, "kan jeg tale med et menneske?", datetime(2026, 12, 7, 10, tzinfo=CPH))
    assert "computerprogram" in text and "9945 4421" in text
