"""The counsellor's side of a handover: "Tag samtalen", writing to the citizen, and /afslut.

A counsellor sees a pseudonym ("Borger 7") and the language, never who the citizen is. What they write goes
to the citizen's chat as a Notice for the channels, CPR numbers masked; nothing of it is stored or logged.
"""

from __future__ import annotations

import logging

from dialogs.caseworker.cases import say
from dialogs.context import Turn
from dialogs.turn import Notice, Reply
from dialogs.citizen.handover import announce, tell_the_queue
from handover import AlreadyTalking, claim, counsellors_on_duty, hand_back, leave, talking_with
from handover.models import HandoverRecord
from privacy import mask_cpr

log = logging.getLogger(__name__)

TAKE = "ho:take:"
END_COMMANDS = ("afslut", "end")


async def take(turn: Turn, counsellor_id: int, payload: str) -> list[Reply]:
    """"Tag samtalen": the first counsellor to press gets the chat, the others are told a colleague has it."""
    try:
        handover_id = int(payload.removeprefix(TAKE))
    except ValueError:
        return [say("stale_button")]
    try:
        taken = await claim(turn.db, handover_id, counsellor_id, turn.incoming.at)
    except AlreadyTalking:
        return [say("handover_busy")]
    if not taken:
        return [say("handover_taken_other", pseudonym=handover_id)]
    record = await turn.db.get(HandoverRecord, handover_id)
    if record is not None:
        turn.notices.append(Notice((Reply("utter_counsellor_joined"),), record.lang, conv=record.conv,
                                   channel=record.channel))
        await tell_the_queue(turn, record)
    for colleague in await counsellors_on_duty(turn.db):  # their "Tag samtalen" no longer applies
        if colleague.id != counsellor_id:
            turn.notices.append(Notice((say("handover_taken_other", pseudonym=handover_id),), colleague.language,
                                       caseworker_id=colleague.id))
    log.info("handover taken handover=%d counsellor=%d", handover_id, counsellor_id)
    return [say("handover_taken_you", pseudonym=handover_id)]


async def talk(turn: Turn, counsellor_id: int, command: str | None) -> list[Reply] | None:
    """A counsellor's message while they have a chat: /afslut ends it, other text goes to the citizen.

    None when they have no chat, or wrote another command (the caseworker side answers it).
    """
    record = await talking_with(turn.db, counsellor_id)
    if record is None:
        return [say("handover_none")] if command in END_COMMANDS else None
    if command in END_COMMANDS:
        await leave(turn.db, record.conv, turn.incoming.at)
        turn.notices.append(Notice((Reply("utter_handover_ended"),), record.lang, conv=record.conv,
                                   channel=record.channel))
        return [say("handover_you_ended", pseudonym=record.id)]
    if command is not None:
        return None
    record.counsellor_seen_at = turn.incoming.at
    text, _ = mask_cpr(turn.text)
    turn.notices.append(Notice((Reply("utter_from_counsellor", {"text": text}),), record.lang, conv=record.conv,
                                   channel=record.channel))
    return []



async def leaving_duty(turn: Turn, counsellor_id: int) -> list[Reply]:
    """A counsellor going off duty with a chat hands it back to the queue, first in line, with an apology to
    the citizen and the others on duty asked again."""
    record = await talking_with(turn.db, counsellor_id)
    if record is None:
        return []
    where = await hand_back(turn.db, record)
    turn.notices.append(Notice((Reply("utter_counsellor_gone", {"position": where.position or 1}),), record.lang,
                               conv=record.conv, channel=record.channel))
    await announce(turn, record, but=counsellor_id)
    return [say("handover_handed_back_off_duty", pseudonym=record.id)]
