"""Asking for a person: whether the municipality's counsellors are there now, and when they are next.

Said truthfully, whatever the hour: that this is a program; inside the hours, until when the counsellors are
there and whom to call; outside them, when they are next there, and the lines that are always open.
"""

from __future__ import annotations

from dialogs.context import Turn
from dialogs.turn import Moment, Reply


async def ask_for_person(turn: Turn) -> list[Reply]:
    """Answer "kan jeg tale med et menneske?" from the opening hours (without hours: the numbers to call)."""
    hours = turn.deps.opening_hours
    if hours is None:
        return [Reply("utter_bot")]
    at = turn.incoming.at
    today = at.astimezone(hours.tz).date()
    closes = hours.closes_at(at)
    if closes is not None:
        return [Reply("utter_person_open", {"closes": Moment(closes, today)})]
    opens = hours.next_opening(at)
    if opens is None:
        return [Reply("utter_person_closed_long")]
    return [Reply("utter_person_closed", {"opens": Moment(opens, today)})]
