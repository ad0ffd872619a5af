"""Two questions in one message: "hvor tit er samtalerne, og koster det noget?".

People often ask two things at once; the classifier picks one intent for the whole message, so the
second question went unanswered. The message is cut into clauses at sentence ends and question marks, and
at "og"/"and" or a comma before a question word; a clause the classifier is confident about, and that asks about
another entry of the standard, gets that entry's answer after the first one. At most one extra answer,
so a reply stays short; an unsure clause adds nothing (never a guess).
"""

from __future__ import annotations

import re

from dialogs.context import Turn
from nlu import Parser

_QUESTION_WORDS = (
    r"hvad|hvor|hvem|hvordan|hvornår|hvorfor|hvilke|hvilken|kan|skal|koster|er|har|får|må|bliver|vil|"
    r"what|where|who|how|when|why|which|can|do|does|is|are|will|would|should|must|have|has"
)
_CLAUSE_BREAK = re.compile(rf"\?+|[.!]\s+|[,;]\s*(?:og |and )?(?=(?:{_QUESTION_WORDS})\b)"
                           rf"|\s+(?:og|and)\s+(?=(?:{_QUESTION_WORDS})\b)", re.IGNORECASE)
MIN_CLAUSE_WORDS = 2


def clauses(text: str) -> list[str]:
    """The message's clauses that could be questions of their own (at least two words each)."""
    parts = [part.strip(" ,.;!") for part in _CLAUSE_BREAK.split(text)]
    return [part for part in parts if len(part.split()) >= MIN_CLAUSE_WORDS]


async def second_entry(turn: Turn, parser: Parser, answered: set[str]) -> str | None:
    """The entry a second question in the message asks about (none of `answered`), when the classifier is
    sure of it."""
    parts = clauses(turn.text)
    if len(parts) < 2:
        return None
    for part in parts:
        parse = await parser.parse(part)
        entry = parse.intent.removeprefix("faq/")
        if (parse.intent.startswith("faq/") and entry not in answered and entry in turn.deps.standard
                and parse.confidence >= turn.deps.threshold):
            return entry
    return None
