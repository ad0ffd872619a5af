"""The guided first contact: find the right office from age band and førtidspension only.

Shaped like python-telegram-bot's ConversationHandler, in channel-free code: a Step enum, entry
intents, one handler per step, a cancel fallback; the engine saves the state and it expires with
the conversation. Asks no identity questions. The flow is drawn in first_contact.mmd.
"""

from __future__ import annotations

import re
from enum import Enum

from dialogs.citizen import faq
from dialogs.citizen.handover import TALK
from dialogs.context import Turn
from dialogs.citizen.slots import ADULT, AGE_BAND, PENSION, UNDER_18, ages_on_both_sides, named_office, update_slots
from dialogs.turn import Button, Reply

FLOW = "first_contact"
ENTRY = ("need_help", "faq/contact_how_to_apply")
ASKED_FOR_NUMBER = ("faq/contact_how_to_apply", "faq/authority_who_decides")
SOURCE = "Hvordan får du social behandling af stofmisbrug? › Når du får behov for hjælp"
# Anonymous treatment is offered with the office's number in the knowledge entry's own words (its conditions,
# whom to contact, its caveat): one truth, in one place.
ANONYMOUS_ENTRY = "anonymous_treatment"


_DONT_KNOW = re.compile(
    r"\bved (?:jeg )?(?:ikke|ik|ikk)\b|\bvil (?:jeg )?(?:helst )?(?:ikke|ik) (?:sige|svare|oplyse|fortælle)|"
    r"\bhelst ikke\b|\baner (?:det )?ikke\b|\busikker\b|\bdon.?t know\b|\bnot sure\b|\brather not\b|"
    r"\bprefer not\b|\bno idea\b|\bdunno\b")


# Most who ask are writing for someone: whom to call always says that a relative or the doctor may call.
RELATIVE_MAY_CALL = Reply("utter_route_others", glue=" ")


class Step(str, Enum):
    ASK_AGE = "ask_age"
    ASK_PENSION = "ask_pension"


AGE_BUTTONS = (
    Button("button_age_under_18", '/inform{"age_band":"under_18"}'),
    Button("button_age_young", '/inform{"age_band":"young"}'),
    Button("button_age_adult", '/inform{"age_band":"adult"}'),
)
PENSION_BUTTONS = (
    Button("button_yes", '/inform{"pension":true}'),
    Button("button_no", '/inform{"pension":false}'),
    Button("button_dont_know", '/inform{"pension":"unknown"}'),
)


async def start(turn: Turn) -> list[Reply]:
    """Store what the message says about age and pension, then route or ask for what is missing."""
    if ages_on_both_sides(turn):
        return _route_both(turn)
    update_slots(turn)
    return _next(turn)


async def ask_age(turn: Turn) -> list[Reply]:
    """Store the age band from the answer, then route or ask about førtidspension."""
    if not update_slots(turn) and not dont_know(turn):
        named = named_office(turn)
        if named is not None:  # instead of the age, one office by name: "what's the number for UngeCenter?"
            return _route(turn, named)
        return [Reply("utter_ask_age_again", buttons=AGE_BUTTONS)]
    turn.answered_prompt = True
    if dont_know(turn) and AGE_BAND not in turn.state.slots:
        return _route_both(turn)
    return _next(turn)


async def ask_pension(turn: Turn) -> list[Reply]:
    """Store førtidspension yes/no from the answer (ja/nej or buttons), then route."""
    changed = update_slots(turn)
    if PENSION not in turn.state.slots:
        sure = turn.parse.confidence >= turn.deps.threshold  # "aaaa" must not count as "ja"
        if sure and turn.parse.intent == "affirm":
            turn.state.slots[PENSION] = True
        elif sure and turn.parse.intent == "deny":
            turn.state.slots[PENSION] = False
        elif dont_know(turn):
            turn.answered_prompt = True
            return _route_both(turn)
        elif not changed:
            return [Reply("utter_ask_pension_again", buttons=PENSION_BUTTONS)]
    turn.answered_prompt = True
    return _next(turn)


STEPS = {Step.ASK_AGE: ask_age, Step.ASK_PENSION: ask_pension}


def _next(turn: Turn) -> list[Reply]:
    previous_step = turn.state.step
    slots = turn.state.slots
    band = slots.get(AGE_BAND)
    pension = slots.get(PENSION)
    if band == UNDER_18:
        return _route_under_18(turn)
    routing = turn.deps.municipality.routing
    office = routing.office_for(adult=None if band is None else band == ADULT,
                                pension=pension if isinstance(pension, bool) else None)
    if office is not None:
        return _route(turn, office)
    named = named_office(turn) if band is None and pension is None else None
    if named is not None:  # "nummeret til UngeCenter": that office, with whom it is for
        return _route(turn, named)
    turn.state.flow = FLOW
    if band is None:
        turn.state.step = Step.ASK_AGE.value
        if turn.parse.intent in ASKED_FOR_NUMBER:
            # Asked whom to call: give the whole rule at once, and offer to narrow it down.
            return [Reply("utter_routing_rule", sources=(SOURCE,), buttons=AGE_BUTTONS,
                          parts=(RELATIVE_MAY_CALL, Reply("utter_ask_age_to_narrow")))]
        return [Reply("utter_ask_age", sources=(SOURCE,), buttons=AGE_BUTTONS,
                      parts=(RELATIVE_MAY_CALL, Reply("utter_ask_age_question")))]
    turn.state.step = Step.ASK_PENSION.value
    if turn.state.step == previous_step:
        return [Reply("utter_ask_pension", buttons=PENSION_BUTTONS)]
    # Under 30: most people have no førtidspension, so give that number now and ask about the exception.
    young = turn.deps.municipality.office(routing.young_office)
    return [Reply("utter_route_tentative", {"office": young.name, "phone": young.phone}, sources=(SOURCE,),
                  buttons=PENSION_BUTTONS,
                  parts=(*_from_birthday(turn), RELATIVE_MAY_CALL, Reply("utter_ask_pension_tentative")))]


def _from_birthday(turn: Turn) -> tuple[Reply, ...]:
    """The office from the birthday that crosses the age limit, when the message says it is near ("I turn 30 next
    month"): the person is told both where to call now and where after."""
    routing = turn.deps.municipality.routing
    if not any(e.entity == "age_turning" and e.value == routing.age_limit for e in turn.parse.entities):
        return ()
    adult = turn.deps.municipality.office(routing.adult_office)
    return (Reply("utter_route_from_birthday", {"office": adult.name, "phone": adult.phone}),)


def _route(turn: Turn, office_id: str) -> list[Reply]:
    municipality = turn.deps.municipality
    office = municipality.office(office_id)
    turn.state.clear_flow()
    reason = "utter_route_reason_adult" if office_id == municipality.routing.adult_office else "utter_route_reason_young"
    later = _from_birthday(turn) if office_id == municipality.routing.young_office else ()
    return [Reply("utter_route_office", {"office": office.name, "phone": office.phone, "routing": office_id},
                  sources=(SOURCE,),
                  parts=(Reply(reason), *later, Reply("utter_route_guarantee"), Reply("utter_route_others"),
                         Reply("utter_source", {"section": SOURCE}), *faq.entry_parts(turn, ANONYMOUS_ENTRY)),
                  buttons=(TALK,))]


def _route_under_18(turn: Turn) -> list[Reply]:
    municipality = turn.deps.municipality
    office = municipality.office(municipality.routing.young_office)
    turn.state.clear_flow()
    return [Reply("utter_route_under_18", {"office": office.name, "phone": office.phone}, sources=(SOURCE,),
                  parts=(Reply("utter_route_others"),), buttons=(TALK,))]


def _route_both(turn: Turn) -> list[Reply]:
    turn.state.clear_flow()
    return [Reply("utter_routing_rule", sources=(SOURCE,),
                  parts=(Reply("utter_route_guarantee"), Reply("utter_route_others"),
                         Reply("utter_source", {"section": SOURCE})), buttons=(TALK,))]


def dont_know(turn: Turn) -> bool:
    """Whether the message says the person does not know, or will not say ("det vil jeg ikke sige")."""
    if any(e.value == "unknown" for e in turn.parse.entities):
        return True
    return bool(_DONT_KNOW.search(turn.text.lower()))
