"""Asking for a person, and the chat while it waits for or talks with a counsellor.

Said truthfully, whatever the hour: that this is a program. Outside the counsellors' hours: when they are next
there, and the lines that are always open. Inside them, when a counsellor is on duty and the channels can relay
(`Deps.queue_size` > 0): a place in the queue, announced to the counsellors on duty with "Tag samtalen";
otherwise whom to call. While the chat waits, every message gets its place again (not the FAQ); while a
counsellor has it, the assistant is silent and the message goes to the counsellor, CPR numbers masked, with
a crisis the screen sees named to the counsellor. "afslut" (or the button) leaves the queue or ends the talk.
Nothing of what is written is stored: the relay is a Notice for the channels.
"""

from __future__ import annotations

from datetime import timedelta

from dialogs.citizen.slots import decided_office
from dialogs.context import Turn
from dialogs.replies import DECIDED
from dialogs.turn import Button, Moment, Notice, Param, Reply, State
from handover import (TALKING, HandoverRecord, QueueFull, counsellors_on_duty, hand_back, join, leave, open_handover,
                      place, waiting_behind)
from nlu import fold
from reminders import CaseworkerRecord

FLOW = "handover"
LEAVE_PAYLOAD = "/afslut"
# Sent by the web chat (not typed) when the citizen's tab was closed and not opened again within its grace:
# the handover ends as if they had left, unless they are back by then.
GONE_PAYLOAD = "/forladt"
# "Tal med en rådgiver": offered where the assistant cannot help well (rephrase, the caring check) and after
# the guided first contact; pressing it asks for a person (/raadgiver), answered from the hours.
TALK = Button("button_talk_to_counsellor", "/raadgiver")
# What ends the wait or the talk: the button, the word alone, or a command.
LEAVE_WORDS = {"afslut", "/afslut", "/annuller", "annuller", "forlad køen", "stop", "leave", "end", "quit", "/stop"}
CW = "caseworker"
# Slots the counsellor is shown when the chat asks for a person: what the assistant last answered (a catalogue
# entry's id, or FIRST_CONTACT) and the crisis signs its safety screen saw (a category, or "concern"; once
# seen, kept for the conversation). Coarse values, never text; they expire with the conversation.
TOPIC, CRISIS = "topic", "crisis"
FIRST_CONTACT = "first_contact"
# Routes whose answer says what the chat is about.
TOPIC_ROUTES = {"faq.answer", "faq.clauses", "faq.contact_details", "faq.retrieval"}
# The order in which crisis signs outrank each other: the one shown is the gravest seen.
CRISIS_RANK = ("concern", "violence", "emergency", "suicide")


def remember_topic(state: State, intent: str, route: str, crisis: str | None, queue_size: int) -> None:
    """Remember what a turn showed of the chat's subject, for a counsellor it may be handed to; nothing when no
    counsellors' queue is offered (`queue_size` 0): then nobody will be told, so nothing is kept.

    Args:
        intent: the turn's intent ("faq/<entry>" for an answer from the standard).
        route: the route that answered.
        crisis: the category the safety screen raised, "concern", or None.
    """
    if queue_size <= 0:
        return
    if crisis in CRISIS_RANK:
        seen = state.slots.get(CRISIS)
        if not isinstance(seen, str) or seen not in CRISIS_RANK or \
                CRISIS_RANK.index(crisis) > CRISIS_RANK.index(seen):
            state.slots[CRISIS] = crisis
    if route.startswith("first_contact."):
        state.slots[TOPIC] = FIRST_CONTACT
    elif route in TOPIC_ROUTES and intent.startswith("faq/"):
        state.slots[TOPIC] = intent.removeprefix("faq/")


def _slot(state: State, name: str) -> str | None:
    value = state.slots.get(name)
    return value if isinstance(value, str) else None


async def ask_for_person(turn: Turn) -> list[Reply]:
    """Answer "kan jeg tale med et menneske?" from the opening hours, with a place in the queue when a
    counsellor is on duty (without hours: the numbers to call)."""
    hours = turn.deps.opening_hours
    office = decided_office(turn, named=True)  # whom to call: for the person's age when it is known
    if hours is None:
        return [Reply("utter_bot", {DECIDED: office})]
    at = turn.incoming.at
    today = at.astimezone(hours.tz).date()
    closes = hours.closes_at(at)
    if closes is None:
        opens = hours.next_opening(at)
        if opens is None:
            return [Reply("utter_person_closed_long", {DECIDED: office})]
        return [Reply("utter_person_closed", {"opens": Moment(opens, today), DECIDED: office})]
    call = Reply("utter_person_open", {"closes": Moment(closes, today), DECIDED: office})
    sender = turn.incoming.sender
    if turn.deps.queue_size <= 0 or turn.session is None or sender is None \
            or sender.channel not in turn.deps.queue_channels:
        return [call]
    on_duty = await counsellors_on_duty(turn.db)
    if not on_duty:
        return [call]
    try:
        where = await join(turn.db, turn.incoming.conv, sender.channel, turn.lang, _slot(turn.state, TOPIC), at,
                           turn.deps.queue_size, _slot(turn.state, CRISIS))
    except QueueFull:
        return [Reply("utter_queue_full"), call]
    turn.state.flow, turn.state.step = FLOW, None
    record = await turn.db.get(HandoverRecord, where.handover_id)
    if record is not None:
        await announce(turn, record, on_duty)
    return [Reply("utter_queue_joined", {"position": where.position or 1},
                  buttons=(Button("button_leave_queue", LEAVE_PAYLOAD),))]


async def in_handover(turn: Turn, crisis: str | None) -> list[Reply] | None:
    """A message of a chat in the handover flow; None when its handover has ended (the assistant answers).
    The web chat's GONE_PAYLOAD ends it when the citizen is still away, and is otherwise answered by nothing.

    Args:
        crisis: the category the safety screen raised for the message (None: none), named to the counsellor.
    """
    gone = turn.incoming.button and turn.text == GONE_PAYLOAD
    record = await open_handover(turn.db, turn.incoming.conv)
    if record is None:
        if turn.state.flow == FLOW:
            turn.state.clear_flow()
        return [] if gone else None
    if gone:
        return await end(turn, record) if record.citizen_away_since is not None else []
    if fold(turn.text.lower()).strip(" .!") in {fold(word) for word in LEAVE_WORDS}:
        return await end(turn, record)
    if record.state != TALKING:
        where = await place(turn.db, record)
        return [Reply("utter_queue_waiting", {"position": where.position or 1},
                      buttons=(Button("button_leave_queue", LEAVE_PAYLOAD),))]
    idle = timedelta(minutes=turn.deps.counsellor_idle_minutes)
    if record.claimed_by is not None and record.counsellor_seen_at is not None \
            and turn.incoming.at - record.counsellor_seen_at > idle:  # read back aware (UtcDateTime)
        return await gone_silent(turn, record)
    if record.claimed_by is not None:
        relayed = [Reply("handover_from_citizen", {"pseudonym": record.id, "text": turn.text}, domain=CW)]
        if crisis is not None:
            label = Reply(f"crisis_{crisis}", domain=CW)
            relayed.insert(0, Reply("handover_crisis", {"pseudonym": record.id, "category": label}, domain=CW))
        turn.notices.append(Notice(tuple(relayed), await _language_of(turn, record.claimed_by),
                                   caseworker_id=record.claimed_by))
    return []


async def announce(turn: Turn, record: HandoverRecord, on_duty: list[CaseworkerRecord] | None = None,
                   but: int | None = None) -> None:
    """Tell every counsellor on duty (but one) that a chat waits, with its channel, language, topic and the
    crisis signs seen (never who it is), and "Tag samtalen". `on_duty`: the counsellors on duty, when the
    caller has just read them."""
    for counsellor in on_duty if on_duty is not None else await counsellors_on_duty(turn.db):
        if counsellor.id != but:
            params: dict[str, Param] = {"pseudonym": record.id, "lang": Reply(f"language_{record.lang}", domain=CW),
                                        "channel": Reply(f"channel_{record.channel}", domain=CW)}
            parts = (_topic_line(turn, record.topic, counsellor.language),) + (
                (Reply("handover_crisis_seen", {"category": Reply(f"crisis_{record.crisis}", domain=CW)},
                       domain=CW, glue="\n"),) if record.crisis in CRISIS_RANK else ())
            turn.notices.append(Notice((Reply("handover_waiting", params, parts=parts,
                                              buttons=(Button("button_take", f"ho:take:{record.id}"),),
                                              domain=CW),), counsellor.language, caseworker_id=counsellor.id))


def _topic_line(turn: Turn, topic: str | None, lang: str) -> Reply:
    """"Emne: …": the catalogue entry's question in the counsellor's language, the first contact, or unknown."""
    standard = turn.deps.standard
    if topic is not None and topic in standard:
        entry = standard.entry(topic)
        title = entry.title.get(lang) or entry.title.get("da") or entry.id
        return Reply("handover_topic", {"topic": title}, domain=CW, glue="\n")
    if topic == FIRST_CONTACT:
        return Reply("handover_topic", {"topic": Reply("handover_topic_first_contact", domain=CW)}, domain=CW,
                     glue="\n")
    return Reply("handover_topic_unknown", domain=CW, glue="\n")


async def tell_the_queue(turn: Turn, gone: HandoverRecord) -> None:
    """The chats waiting behind one that was taken or left move up: each is told its new place."""
    for moved in await waiting_behind(turn.db, gone):
        record = await turn.db.get(HandoverRecord, moved.handover_id)
        if record is not None and record.conv != turn.incoming.conv:
            turn.notices.append(Notice((Reply("utter_queue_moved", {"position": moved.position or 1}),), record.lang,
                                       conv=record.conv, channel=record.channel))


async def gone_silent(turn: Turn, record: HandoverRecord) -> list[Reply]:
    """The counsellor has not written for too long: the chat goes back to the queue, first in line, with an
    apology; the silent counsellor is told, the others on duty are asked again."""
    silent = record.claimed_by
    where = await hand_back(turn.db, record)
    if silent is not None:
        turn.notices.append(Notice((Reply("handover_handed_back", {"pseudonym": record.id,
                                                                   "minutes": turn.deps.counsellor_idle_minutes},
                                          domain=CW),), await _language_of(turn, silent), caseworker_id=silent))
    await announce(turn, record, but=silent)
    return [Reply("utter_counsellor_gone", {"position": where.position or 1},
                  buttons=(Button("button_leave_queue", LEAVE_PAYLOAD),))]


async def end(turn: Turn, record: HandoverRecord) -> list[Reply]:
    """The citizen leaves the queue or ends the talk; the counsellor is told."""
    talking = record.state == TALKING
    await leave(turn.db, turn.incoming.conv, turn.incoming.at)
    turn.state.clear_flow()
    if not talking:
        await tell_the_queue(turn, record)
    if talking and record.claimed_by is not None:
        turn.notices.append(Notice((Reply("handover_citizen_ended", {"pseudonym": record.id}, domain=CW),),
                                   await _language_of(turn, record.claimed_by), caseworker_id=record.claimed_by))
        return [Reply("utter_handover_ended")]
    return [Reply("utter_queue_left")]


async def _language_of(turn: Turn, caseworker_id: int) -> str:
    record = await turn.db.get(CaseworkerRecord, caseworker_id)
    return record.language if record is not None else "da"
