"""Coarse slots from a parse: an age band relative to the routing age, and førtidspension yes/no.

The exact age is never stored: only under 18, young (under the routing age) or adult.
"""

from __future__ import annotations

from dialogs.context import Turn

AGE_BAND = "age_band"
PENSION = "pension"
UNDER_18 = "under_18"
YOUNG = "young"
ADULT = "adult"
BANDS = (UNDER_18, YOUNG, ADULT)
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
