"""Two questions in one message: "hvor tit er samtalerne, og koster det noget?".

People often ask two things at once, or compare two things ("forskellen på dagbehandling og
døgnbehandling": the answers of both sides); the classifier picks one intent for the whole message, so the
second question went unanswered. The message is cut into clauses at sentence ends and question marks, and
at "og"/"and" or a comma before a question word; a clause the classifier is confident about, and that asks about
another entry of the standard, gets that entry's answer after the first one. At most one extra answer,
so a reply stays short; an unsure clause adds nothing (never a guess). A message the classifier is unsure of as
a whole, whose clauses each ask clearly about a different entry, gets those two answers instead of "please
rephrase".
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
_ASKING = re.compile(rf"(?:(?:og|and|men|but|so|så)\s+)?(?:{_QUESTION_WORDS})\b", re.IGNORECASE)
# "forskellen på dagbehandling og døgnbehandling", "difference between day and residential treatment": each
# side of a comparison is a question of its own, however short.
_COMPARISON = re.compile(r"\b(?:forskel(?:len)?|difference|diff\w*)\s+(?:på|mellem|paa|between|of)\s+"
                         r"(?P<first>[^,.;!?]+?)\s+(?:og|and|or|eller)\s+(?P<second>[^,.;!?]+)", re.IGNORECASE)


def clauses(text: str) -> list[str]:
    """The message's clauses that could be questions of their own (at least two words each)."""
    parts = [part.strip(" ,.;!") for part in _CLAUSE_BREAK.split(text)]
    return [part for part in parts if len(part.split()) >= MIN_CLAUSE_WORDS]


def questions(text: str) -> list[str]:
    """The clauses that ask something: followed by a question mark, or opening with a question word. "Vi bor i
    Brønderslev" in a parent's story is what the question is about, not a second question."""
    asked = []
    for part in clauses(text):
        end = text.find(part) + len(part)
        opening = part.rsplit(":", 1)[-1].strip()  # "to ting: hvad koster det"
        if _ASKING.match(opening) or text[end:end + 3].lstrip(" ,.;!").startswith("?"):
            asked.append(part)
    return asked


# A clause that opens with a verb asks only with a subject after it ("kan jeg", "er der nogen", "can you"): "har
# ikke sovet", "kan ikke mere", "vil bare væk" are statements that leave the subject out.
_WH_OPENING = re.compile(r"^(?:(?:og|and|men|but|so|så)\s+)?(?:hvad|hvor|hvem|hvordan|hvornår|hvorfor|hvilke|hvilken|"
                         r"what|where|who|how|when|why|which)\b", re.IGNORECASE)
_VERB_AND_SUBJECT = re.compile(
    r"^(?:(?:og|and|men|but|so|så)\s+)?\S+\s+(?:jeg|du|man|i|der|han|hun|de|vi|det|den|nogen|noget|min|mit|mine|din|"
    r"dit|dine|hans|hendes|vores|jeres|deres|en|et|you|we|he|she|they|it|there|someone|anyone|my|your|his|her|the|a)\b",
    re.IGNORECASE)


# Asked inside a sentence, without a question mark: a question word with its verb and subject after it ("im 27 who
# do i even talk to", "kan ik sove hvad gør jeg"; not "ved ikke hvad jeg skal", where the subject comes first), or
# a verb of asking with its subject and "så" ("hvis jeg skifter, mister jeg så min garanti"; not "det gjorde jeg så").
_ASKED_INSIDE = re.compile(
    r"\b(?:hvad|hvor|hvem|hvordan|hvornår|hvorfor|hvilke|hvilken|what|where|who|how|when|why|which)\s+\S+\s+"
    r"(?:jeg|du|man|i|vi|de|han|hun|det|der|you|we|they|he|she|it|there)\b"
    r"|\b(?:kan|skal|får|mister|må|bliver|vil|kommer|gælder|betaler|koster|beholder|taber)\s+"
    r"(?:jeg|man|du|vi|han|hun|de|det|der)\s+så\b", re.IGNORECASE)


def asks(text: str) -> bool:
    """Whether the message asks something: a question mark, a clause opening with a question word, a verb with
    its subject after it ("er der nogen der kan hjælpe mig, jeg er 22"), or a question inside a sentence
    (_ASKED_INSIDE); not a statement without a subject ("har ikke sovet i tre døgn", "kan ikke mere, vil bare
    væk")."""
    if "?" in text or _ASKED_INSIDE.search(text):
        return True
    return any(_WH_OPENING.match(part.strip()) or _VERB_AND_SUBJECT.match(part.strip()) for part in questions(text))


async def compared_entries(turn: Turn, parser: Parser) -> tuple[str, str] | None:
    """The two entries a comparison asks about ("forskellen på dagbehandling og døgnbehandling"), when the
    classifier is sure of each side and they differ: the answer is both, not the overview of everything."""
    compared = _COMPARISON.search(turn.text)
    if compared is None:
        return None
    entries = []
    for side in (compared.group("first"), compared.group("second")):
        parse = await parser.parse(side.strip())
        entry = parse.intent.removeprefix("faq/")
        if not parse.intent.startswith("faq/") or entry not in turn.deps.standard \
                or parse.confidence < turn.deps.threshold:
            return None
        entries.append(entry)
    return (entries[0], entries[1]) if entries[0] != entries[1] else None


async def second_entry(turn: Turn, parser: Parser, answered: set[str]) -> str | None:
    """The entry a second question in the message asks about (none of `answered`), when the classifier is
    sure of it; of several such clauses the one it is surest of ("jeg er 40 og vil gerne afgiftes … og koster
    det noget?": the price, not the wish)."""
    if len(clauses(turn.text)) < 2:
        return None
    parts = questions(turn.text)
    best: tuple[float, str] | None = None
    for part in parts:
        parse = await parser.parse(part)
        entry = parse.intent.removeprefix("faq/")
        if (parse.intent.startswith("faq/") and entry not in answered and entry in turn.deps.standard
                and parse.confidence >= turn.deps.threshold and (best is None or parse.confidence > best[0])):
            best = (parse.confidence, entry)
    return None if best is None else best[1]


async def clause_entries(turn: Turn, parser: Parser) -> list[str]:
    """The entries two clauses of an unclear message each ask about clearly ("how long do I wait for
    outpatient treatment and do I need to pay?"): the message as a whole was unsure, its parts are not.
    Empty unless at least two clauses are each sure of a different entry."""
    entries: list[str] = []
    for part in clauses(turn.text):
        parse = await parser.parse(part)
        entry = parse.intent.removeprefix("faq/")
        if (parse.intent.startswith("faq/") and entry in turn.deps.standard and entry not in entries
                and parse.confidence >= turn.deps.threshold):
            entries.append(entry)
    return entries[:2] if len(entries) >= 2 else []
