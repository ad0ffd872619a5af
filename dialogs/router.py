"""Chooses the handler for a turn. Safety is decided before this, by the engine."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Awaitable, Callable

from dialogs.citizen import chitchat, compound, faq, first_contact, handover
from dialogs.context import Turn
from dialogs.citizen.slots import SLOT_ENTITIES
from dialogs.turn import Reply
from nlu.cues import asks_about_paying, asks_for_the_centres_number, outside_the_standard

Handler = Callable[[Turn], Awaitable[list[Reply]]]


@dataclass(frozen=True, slots=True)
class Route:
    """A handler with the name it is logged under."""

    name: str
    handler: Handler


CHITCHAT: dict[str, Route] = {
    "greet": Route("chitchat.greet", chitchat.greet),
    "help": Route("chitchat.help", chitchat.help_),
    "bot_challenge": Route("chitchat.bot_challenge", chitchat.bot_challenge),
    "ask_for_person": Route("handover.ask_for_person", handover.ask_for_person),
    "privacy": Route("chitchat.privacy", chitchat.privacy),
    "forget": Route("chitchat.forget", chitchat.forget),
    "thanks": Route("chitchat.thanks", chitchat.thanks),
    "goodbye": Route("chitchat.goodbye", chitchat.goodbye),
    "cancel": Route("chitchat.cancel", chitchat.cancel),
    "affirm": Route("chitchat.anything_else", chitchat.anything_else),
    "deny": Route("chitchat.anything_else", chitchat.anything_else),
}
FIRST_CONTACT = Route("first_contact.start", first_contact.start)
FAQ = Route("faq.answer", faq.answer)
OUT_OF_SCOPE = Route("faq.out_of_scope", faq.out_of_scope)
CONTACT_DETAILS = Route("faq.contact_details", faq.contact_details)
REPHRASE = Route("faq.rephrase", faq.rephrase)
CLAUSES = Route("faq.clauses", faq.answer)  # two clear questions in an unclear message (the engine answers both)
# Questions about whom to contact are answered for the person's own age when they give it.
CONTACT_WHEN_AGE_GIVEN = {"faq/contact_how_to_apply", "faq/authority_who_decides", "need_help", "inform"}
FLOW_ANSWERS = {"inform", "affirm", "deny"}
# Asked with an age, these are where to turn ("can he get help with you?" too): an unsure one goes to the first
# contact; any other unsure question with an age is answered when retrieval agrees on its entry.
WHERE_TO_TURN = CONTACT_WHEN_AGE_GIVEN | {"faq/eligibility"}
# A question that asks what the standard does not answer (nlu/cue_data/outside_standard.yml: "can I bring my dog
# to residential treatment?") gets the honest answer unless the classifier is at least this sure of an entry.
OUTSIDE_SURE = 0.9
OUTSIDE_WORDS = 25  # a longer message mentions many things on the way to its question
# Asked for the Rusmiddelcenter's own number ("misbrugscenter telefon"), a message read as one of these (or read
# unsurely) gets the section on turning to the centre directly, which gives that number.
CENTRE_ENTRY = "direct_contact_rusmiddelcenter"
ABOUT_CONTACT = {"faq/contact_how_to_apply", "need_help", "contact_details", "out_of_scope", "faq/primary_provider",
                 "faq/" + CENTRE_ENTRY}
# A question of what something costs or who pays, read as another topic of treatment ("do I pay anything for
# rehab?" as residential treatment), gets the entry on price or own payment when it is this close behind.
PAYMENT_ENTRIES = ("faq/treatment_cost", "faq/own_payment")
PAYMENT_RANK = 3
PAYMENT_CLOSE = 0.08
# Small talk needs more certainty than an answer from the standard: a greeting in reply to a question is no answer.
CHITCHAT_SURE = 0.3


def pick(turn: Turn) -> Route:
    """Return the route for the turn, possibly leaving an active flow for a clearly new question."""
    parse = turn.parse
    deps = turn.deps
    confident = parse.confidence >= deps.threshold
    has_slots = any(e.entity in SLOT_ENTITIES for e in parse.entities)
    state = turn.state

    if state.flow == first_contact.FLOW and state.step:
        if parse.intent == "cancel" and confident:
            return CHITCHAT["cancel"]
        # "det vil jeg ikke sige" answers the flow's question, whatever topic its words resemble
        new_question = confident and parse.intent not in FLOW_ANSWERS and not has_slots \
            and not first_contact.dont_know(turn)
        if not new_question or parse.intent in first_contact.ENTRY:
            step = first_contact.Step(state.step)
            return Route(f"first_contact.{step.value}", first_contact.STEPS[step])
        state.clear_flow()

    if (parse.intent in ABOUT_CONTACT or not confident) and CENTRE_ENTRY in deps.standard \
            and asks_for_the_centres_number(turn.text):
        turn.parse = replace(parse, intent="faq/" + CENTRE_ENTRY)
        return FAQ
    if paying := _payment_entry(turn):
        turn.parse = replace(parse, intent=paying)
        return FAQ
    if has_slots and (parse.intent in CONTACT_WHEN_AGE_GIVEN or not confident):
        if parse.intent not in WHERE_TO_TURN:
            # an unsure question with an age ("min datter på 24 har ventet over to uger, er der ikke en
            # frist?"): its answer when retrieval agrees on it (for that age's office), else the first contact
            retrieved = _retrieve(turn)
            if retrieved is not REPHRASE:
                return retrieved
        return FIRST_CONTACT
    if not confident:
        return OUT_OF_SCOPE if _outside(turn) else _retrieve(turn)
    if parse.intent in first_contact.ENTRY or parse.intent == "inform":
        # "what is UngeCenter's e-mail?", "how do I get a psychiatrist?": whom to call is not what is asked
        return OUT_OF_SCOPE if parse.confidence < OUTSIDE_SURE and _outside(turn) else FIRST_CONTACT
    if parse.intent in CHITCHAT:
        # a small-talk reply to what was a question ("bliver det regnvejr i morgen" read as a greeting) is no
        # answer at all: chit-chat needs more certainty than an answer from the standard
        return CHITCHAT[parse.intent] if parse.confidence >= CHITCHAT_SURE else _retrieve(turn)
    if parse.intent.startswith("faq/") and parse.intent.removeprefix("faq/") in deps.standard:
        return OUT_OF_SCOPE if parse.confidence < OUTSIDE_SURE and _outside(turn) else FAQ
    if parse.intent == "out_of_scope":
        return OUT_OF_SCOPE
    if parse.intent == "contact_details":
        return CONTACT_DETAILS
    return REPHRASE


def _payment_entry(turn: Turn) -> str | None:
    """The entry on price or own payment, for a single question of paying read as another entry of the
    standard with that entry close behind (among the first PAYMENT_RANK, at least PAYMENT_CLOSE)."""
    parse = turn.parse
    if parse.intent in PAYMENT_ENTRIES or not parse.intent.startswith("faq/") or not asks_about_paying(turn.text) \
            or _outside(turn):  # "hvad koster det kommunen?" is not the standard's
        return None
    if len(compound.clauses(turn.text)) > 1:  # "nummer til UngeCenter og koster det noget?": both are answered
        return None
    for intent, confidence in parse.ranking[:PAYMENT_RANK]:
        if intent in PAYMENT_ENTRIES and confidence >= PAYMENT_CLOSE \
                and intent.removeprefix("faq/") in turn.deps.standard:
            return intent
    return None


def _outside(turn: Turn) -> bool:
    """Whether a short message asks what the standard does not answer (nlu/cue_data/outside_standard.yml)."""
    return len(turn.text.split()) <= OUTSIDE_WORDS and outside_the_standard(turn.text)


def _retrieve(turn: Turn) -> Route:
    """Back an unsure classifier with retrieval: answer only when both point at the same entry."""
    hits = turn.deps.retriever.search(turn.text, top=1)
    if hits and hits[0].score >= turn.deps.retrieval_min_score:
        intent = "faq/" + hits[0].entry_id
        if turn.parse.intent == intent:
            turn.parse = replace(turn.parse, intent=intent)
            if intent in first_contact.ENTRY:
                return FIRST_CONTACT
            return Route("faq.retrieval", faq.answer)
    return REPHRASE
