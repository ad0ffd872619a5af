"""Answers from the kvalitetsstandard, the honest out-of-scope answer and the rephrase fallback."""

from __future__ import annotations

from dataclasses import replace

from dialogs.context import Turn
from dialogs.replies import DECIDED
from dialogs.turn import Button, Reply
from dialogs.citizen.handover import TALK
from dialogs.citizen.slots import SLOT_ENTITIES, decided_office
from knowledge import render
from knowledge.municipality import ROUTING_RULE

MAX_SUGGESTIONS = 3
# When the classifier is unsure between two entries of the standard (the first below RUNNER_UP_UNSURE and the
# second within RUNNER_UP_MARGIN of it), the second entry's answer follows the first, introduced as the other
# reading ("Hvis du i stedet spørger: …"). Over 7,332 regression questions with an oracle of the entries whose
# answers hold their facts (2026-12-05), the right entry was second and close on 1.3% of them; end to end, 2.1% of
# the citizen questions get the second answer (docs/benchmarks.md).
RUNNER_UP_UNSURE = 0.7
RUNNER_UP_MARGIN = 0.15
NEAREST = 1  # the out-of-scope answer offers the nearest section
OFFICE_FOR_AGE = "utter_office_for_age"


def entry_replies(turn: Turn, entry_id: str) -> list[Reply]:
    """Return an entry's answer, its caveat (if any) and its source section, as one message."""
    answer, *rest = entry_parts(turn, entry_id)
    decided = decided_office(turn)
    params = answer.params | {"routing": decided}
    if decided and not names_office(turn, entry_id) and any(e.entity in SLOT_ENTITIES for e in turn.parse.entities):
        # The message said whose age it is about: where that person turns goes with any answer.
        rest.insert(0, Reply(OFFICE_FOR_AGE))
    choices = turn.deps.standard.entry(entry_id).choices
    buttons = tuple(Button(turn.deps.standard.entry(c).title[turn.lang], f"/faq/{c}") for c in choices)
    return [Reply(answer.key, params, sources=answer.sources, parts=tuple(rest), buttons=buttons)]


def names_office(turn: Turn, entry_id: str) -> bool:
    """Whether the entry's answer says whom to contact (it holds the routing rule)."""
    return "{" + ROUTING_RULE + "}" in turn.deps.standard.entry(entry_id).answer[turn.lang]


def without_office_line(replies: list[Reply]) -> list[Reply]:
    """The replies without the added office line (another answer in the message names the office)."""
    return [replace(r, parts=tuple(p for p in r.parts if p.key != OFFICE_FOR_AGE)) for r in replies]


def entry_parts(turn: Turn, entry_id: str) -> tuple[Reply, ...]:
    """Return an entry as the parts of a message: its answer, its caveat (if any) and its source section.

    Other dialogs quote an entry this way rather than keeping their own copy of what it says.
    """
    entry = turn.deps.standard.entry(entry_id)
    values = turn.deps.municipality.placeholders(turn.lang)
    parts = [Reply("utter_faq_answer", {"answer": render(entry.answer[turn.lang], values)}, sources=(entry.source,))]
    if entry.caveat is not None:
        parts.append(Reply("utter_caveat", {"caveat": render(entry.caveat.text[turn.lang], values),
                                            "source": entry.caveat.source}))
    parts.append(Reply("utter_source", {"section": entry.source}))
    return tuple(parts)


async def answer(turn: Turn) -> list[Reply]:
    """Answer a faq/<entry> intent from the quality standard."""
    return entry_replies(turn, turn.parse.intent.removeprefix("faq/"))


async def out_of_scope(turn: Turn) -> list[Reply]:
    """Say honestly that this is outside the standard, and give the municipality's number (the office for
    the person's age, when the message gave it); the nearest section of the standard is a button ("can I bring
    my dog to residential treatment?" offers the section on døgnbehandling)."""
    return [Reply("utter_out_of_scope", {DECIDED: decided_office(turn)}, buttons=_suggestions(turn, NEAREST))]


async def contact_details(turn: Turn) -> list[Reply]:
    """Say that the standard gives no addresses or opening hours, and give the numbers it does give."""
    return [Reply("utter_contact_details", {DECIDED: decided_office(turn, named=True)})]


async def rephrase(turn: Turn) -> list[Reply]:
    """Ask to rephrase, with at most three likely topics as buttons; never guess an answer."""
    return [Reply("utter_rephrase", {DECIDED: decided_office(turn)},
                  buttons=_suggestions(turn, MAX_SUGGESTIONS) + (TALK,))]


def _suggestions(turn: Turn, most: int) -> tuple[Button, ...]:
    """The classifier's likeliest sections of the standard as buttons, best first."""
    suggestions: list[str] = []
    for name, _ in turn.parse.ranking:
        if len(suggestions) == most:
            break
        if name.startswith("faq/") and name.removeprefix("faq/") in turn.deps.standard:
            suggestions.append(name.removeprefix("faq/"))
    return tuple(Button(turn.deps.standard.entry(s).title[turn.lang], f"/faq/{s}") for s in suggestions)


def close_runner_up(turn: Turn, answered: set[str]) -> str | None:
    """The entry the classifier ranks a close second to the one answered, when it is unsure of the first."""
    ranking = turn.parse.ranking
    if len(ranking) < 2 or ranking[0][0] != turn.parse.intent:
        return None
    (_, first), (intent, second) = ranking[0], ranking[1]
    entry = intent.removeprefix("faq/")
    if first >= RUNNER_UP_UNSURE or first - second >= RUNNER_UP_MARGIN or not intent.startswith("faq/") \
            or entry in answered or entry not in turn.deps.standard:
        return None
    return entry


def runner_up_replies(turn: Turn, entry_id: str) -> list[Reply]:
    """The other reading's answer, introduced by its question."""
    title = turn.deps.standard.entry(entry_id).title[turn.lang]
    return [Reply("utter_runner_up", {"question": title}), *entry_replies(turn, entry_id)]
