"""Coarse slots from a parse: an age band relative to the routing age, and førtidspension yes/no.

The exact age is never stored: only under 18, young (under the routing age) or adult.
"""

from __future__ import annotations

import re

from dialogs.context import Turn
from dialogs.replies import NAMED_OFFICE
from nlu import fold

AGE_BAND = "age_band"
PENSION = "pension"
UNDER_18 = "under_18"
YOUNG = "young"
ADULT = "adult"
BANDS = (UNDER_18, YOUNG, ADULT)
# The prefix of an office asked for by name, not decided by the person's age (decided_office).
NAMED = NAMED_OFFICE
# The entities a message can carry the slots in.
SLOT_ENTITIES = {"age", "age_band", "pension"}


def band_for_age(age: int, limit: int) -> str:
    """Return the band of an age."""
    if age < 18:
        return UNDER_18
    return ADULT if age >= limit else YOUNG


def band_for_bound(bound: str, limit: int) -> str | None:
    """Return the band of "ge:N" (N or older) or "lt:N" (younger than N), when it decides one."""
    kind, _, number = bound.partition(":")
    if not number.isdigit():
        return None
    n = int(number)
    if kind == "ge":
        return ADULT if n >= limit else None
    if kind == "lt":
        if n <= 18:
            return UNDER_18
        return YOUNG if n <= limit else None
    return None


# "Begge", "both": the message asks for two people at once ("me and my gf both use, she's 26 and I'm 31").
_BOTH = re.compile(r"\b(?:begge|both|hver isaer|each of us)\b")  # matched on folded text


def ages_on_both_sides(turn: Turn) -> bool:
    """Whether the message asks for two people whose ages belong to different offices ("vi bruger begge, hun er
    26 og jeg er 31"): then both offices are named, not the one of whichever age came first."""
    limit = turn.deps.municipality.routing.age_limit
    bands = {band_for_age(int(e.value), limit) for e in turn.parse.entities
             if e.entity == "age" and isinstance(e.value, int)}
    return len(bands) > 1 and _BOTH.search(fold(turn.text.lower())) is not None


def update_slots(turn: Turn) -> bool:
    """Copy age band and pension from the parse into the state; return whether anything was found."""
    limit = turn.deps.municipality.routing.age_limit
    slots = turn.state.slots
    found = False
    ages = [e for e in turn.parse.entities if e.entity == "age" and isinstance(e.value, int)]
    # A relative's age ("min søn på 22") decides over the writer's own ("jeg er 52").
    ages.sort(key=lambda e: e.role != "concerned")
    if ages:
        slots[AGE_BAND] = band_for_age(int(ages[0].value), limit)
        found = True
    for entity in turn.parse.entities:
        if entity.entity == "age":
            continue
        elif entity.entity == "age_band" and isinstance(entity.value, str) and not ages:
            # An age decides over a bound: in "UngeCenter er for under 30, ikke? Jeg er 35" the bound is
            # the office's, the age is the person's.
            band = entity.value if entity.value in BANDS else band_for_bound(entity.value, limit)
            if band is not None:
                slots[AGE_BAND] = band
                found = True
        elif entity.entity == "pension":
            if isinstance(entity.value, bool):
                slots[PENSION] = entity.value
                found = True
    return found


def decided_office(turn: Turn, named: bool = False) -> str:
    """Return the office id the person's age band and førtidspension decide, "young" when only likely, ""
    when nothing decides it.

    Args:
        named: when the age does not decide, an office the message asks for by name ("nummeret til
            visitationen") is given, as NAMED + its id.
    """
    update_slots(turn)
    routing = turn.deps.municipality.routing
    band = turn.state.slots.get(AGE_BAND)
    if named and band is None and (asked := named_office(turn)) is not None:
        return NAMED + asked
    pension = turn.state.slots.get(PENSION)
    if band == UNDER_18:
        return routing.young_office
    office = routing.office_for(adult=None if band is None else band == ADULT,
                                pension=pension if isinstance(pension, bool) else None)
    if office is not None:
        return office
    return "young" if band is not None else ""


def named_office(turn: Turn) -> str | None:
    """The routing office the message names ("ungecentret", "Visitationen"), when it names exactly one."""
    municipality = turn.deps.municipality
    text = fold(turn.text.lower())
    named = [office for office in (municipality.routing.adult_office, municipality.routing.young_office)
             if re.search(r"\b" + re.escape(fold(municipality.office(office).name.split()[0].lower())[:7]), text)]
    return named[0] if len(named) == 1 else None
