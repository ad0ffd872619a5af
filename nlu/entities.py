"""Entity extraction with regexes and lookup tables: age, førtidspension, substance, offer type,
CPR numbers and language.

CPR numbers are detected (privacy.find_cpr) so they can be refused: the entity's value is always
masked.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from nlu.language import detect
from nlu.normalize import clean, fold
from nlu.training_data import TrainingData
from privacy import CPR_MASK, find_cpr, mask_cpr

# The person a message is about: relatives and the people professionals write about ("min kursist på 34",
# "a patient of 45"), with compounds ("bonussøn", "stedfar", "brother-in-law", "stepdad").
_RELATIVE = (r"(?:(?:bonus|pleje|sted|step|half-?|ex-?)?(?:søn|datter|mand|kone|kæreste|kaereste|partner|samlever|"
             r"mor|far|bror|søster|lillebror|lillesøster|storebror|storesøster|svigerfar|svigermor|svigersøn|"
             r"svigerdatter|svoger|svigerinde|onkel|tante|fætter|kusine|nevø|niece|ven|veninde|kammerat|nabo|barn|"
             r"dreng|pige|fyr|gut|knægt|kvinde|kollega|elev|kursist|patient|klient|borger|lejer|beboer|medarbejder|"
             r"son|daughter|husband|wife|boyfriend|girlfriend|mum|mom|mother|dad|father|brother|sister|friend|uncle|"
             r"aunt|cousin|nephew|child|kid|boy|girl|guy|woman|lady|colleague|coworker|co-worker|pupil|student|client|resident|"
             r"employee|flatmate|roommate|neighbou?r)(?:-in-law|s|er|e)?)"
)
# An age given roughly ("på omkring 20", "is about 25") is an age all the same: the office is chosen by it.
_ABOUT = r"(?:(?:omkring|cirka|circa|about|around|roughly|sådan)\s+|ca\.?\s*)?"
# Ages of the person it concerns: a relative's age ("min søn på 22", "my son is 24") comes first.
# "min søn på 22", "my son is 24", "single dad, 26,", "my father (63)", "en ung fyr på omkring 20"
_RELATIVE_AGE = re.compile(_RELATIVE + r"(?:\s+(?:er\s+(?:lige\s+(?:blevet\s+)?|snart\s+|kun\s+)?|på\s+|paa\s+|is\s+|who\s+is\s+|of\s+)"
                           r"|\s*,\s*|\s*\(\s*)" + _ABOUT +
                           r"(\d{1,3})\b(?!\s*(?:dage|uger|måned|kr|gange|%|:|\d|days|weeks))")
_AGE_PATTERNS = (
    # "29 år", "29-årig", "29 years old", "a 47-year-old", "29 yo"
    re.compile(r"(?<![\d,.])(\d{1,3})\s?(?:-?\s?år(?:ig|ige)?\b|aar\b|-?aarig|-?years?\b|-?yrs?\b|yo\b|y/o)"),
    # "an expat (41)", "Hanne (52) skriver": a number alone in brackets is a person's age
    re.compile(r"\(\s*(\d{2,3})\s*(?:år|aar|years?|y/o)?\s*\)"),
    # "jeg er 29", "han er 22", "i'm 31", "she is 45", "er 45 og ..." at the start
    re.compile(r"(?:\b(?:jeg|han|hun|du|vi|hende|ham|mig)\s+|(?:^|[,.!?;:]|\bog)\s*(?:hej\s*,?\s*)?)(?:er|bliver|fylder|fyldte|blev|var)\s+(?:lige\s+(?:blevet\s+)?|snart\s+|kun\s+|næsten\s+)?" + _ABOUT + r"(\d{1,3})\b(?!\s*(?:dage|uger|måned|kr|gange|%|:|\d))"),
    # "min mand er 51", "vores lejer er 40", "my stepson is 19": a possessive and a noun before the age
    re.compile(r"\b(?:min|mit|vores|my|our)\s+[\w-]{2,20}\s+(?:er|is|fylder|bliver|turns|is turning)\s+(?:lige\s+(?:blevet\s+)?|snart\s+|kun\s+|just\s+|only\s+)?"
               + _ABOUT + r"(\d{1,3})\b(?!\s*(?:dage|uger|måned|kr|gange|timer|procent|%|:|\d|days|weeks|months|hours|times|percent))"),
    re.compile(r"\b(?:i'?m|i am|im|he'?s|he is|she'?s|she is|they'?re|turned|aged?)\s+" + _ABOUT + r"(\d{1,3})\b(?!\s*(?:days|weeks|months|%|\d))"),
    # an age about to be reached: "turning 30 next month", "min søn bliver snart 30", "he's almost 30" (_age_now)
    re.compile(r"\b(?:turning|turns|turn|will turn|will be|.ll be|almost|nearly|soon to be|bliver snart|fylder snart)\s+(\d{1,3})\b"
               r"(?!\s*(?:dage|uger|måned|minutter|kr|gange|%|:|\d|days|weeks|months|minutes|hours|times|percent|euro|dollars))"),
    re.compile(r"\b(?:på|of|alder|age)\s+(\d{1,3})\s*(?:år|aar|years)?\b(?=\s*(?:$|[,.!?]|og\b|and\b|der\b|som\b|who\b|,))"),
    re.compile(r"^\s*(\d{1,2})\s*(?:år|aar)?\s*(?:og|and|,)\s"),
    # an age said last or on its own: "… hvem ringer jeg til er 35", "… at weekends. 37", "I'm British, 38"
    re.compile(r"(?:\ber|\bis|[.!?,]|\bi'?m\s+[a-zæøå]+\s*,)\s*(\d{2})\s*(?:år|aar|years?(?: old)?)?\s*[.!?]*\s*$"),
    re.compile(r"(?:^|[.!?]\s+)(\d{2})\s*(?:år|aar)?\s*[.!]\s+(?=\S)"),
    re.compile(r"\bi'?m\s+[a-zæøå]+\s*,\s*(\d{2})\b(?!\s*(?:days|weeks|months|%|\d))"),
)
# An age not yet reached is the age below it: "er næsten 30", "almost 30", "fylder 30 om to uger", "turning 30
# next month", "bliver snart 30" are 29 (the office is chosen by the age the person has now). "fylder 30 i dag"
# and a bare "jeg fylder 30" are 30.
_ALMOST_BEFORE = re.compile(r"\b(?:næsten|naesten|snart|almost|nearly|soon to be|not yet|ikke engang)\s+$")
_TURNING_BEFORE = re.compile(r"\b(?:fylder|bliver|turns?|turning|will turn|will be|.ll be)\s+$")
_LATER_AFTER = re.compile(
    r"^(?:\s*år)?\s+(?:om\b|i næste\b|i naeste\b|næste\b|naeste\b|til\b|i morgen\b|i år\b|next\b|in\b|soon\b|"
    r"snart\b|senere\b|later\b|tomorrow\b|this\b|efter\b|after\b|på\s+\w+dag\b|on\s+\w+day\b|"
    r"i\s+(?:januar|februar|marts|april|maj|juni|juli|august|september|oktober|november|december)\b)")


def _turning(now: int, said: int, start: int, end: int) -> list[Entity]:
    """The age about to be reached ("fylder 30 i næste måned"), beside the age the person has now."""
    return [Entity("age_turning", said, start, end)] if said != now else []


def _age_now(lowered: str, start: int, end: int, age: int) -> int:
    """The age a person has now, when the message gives one not yet reached ("næsten 30", "fylder 30 om to
    uger"): one below it."""
    before = lowered[max(0, start - 20):start]
    if _ALMOST_BEFORE.search(before):
        return age - 1
    turning = _TURNING_BEFORE.search(before.removesuffix("snart ").removesuffix("soon "))
    if turning and _LATER_AFTER.match(lowered[end:end + 30]):
        return age - 1
    return age


_THIRD_PERSON = re.compile(r"(?:og\s+)?(?:han|hun|ham|hende|he|she|he'?s|she'?s)\b")
_AGE_BAND = re.compile(
    r"\b(?P<dir>under|over|fyldt|ældre end|aeldre end|yngre end|younger than|older than|mindst|at least|above|below)\s+(?P<n>\d{1,3})\b")
# "i 10 år", "for 5 år siden", "in 3 years": a duration, not an age
_DURATION_BEFORE = re.compile(r"\b(?:i|for|in|gennem|de sidste|the last|efter|after|omkring|om|ca\.?|cirka|snart|within|inden for|indenfor)\s+$")
_BARE_NUMBER = re.compile(r"^\s*(\d{1,3})\s*(?:år|aar|years?)?\s*[.!]?\s*$")
_PENSION = re.compile(
    r"f(?:ø|oe|o)rtids?\s?pension(?:ist|en)?|(?<![\w-])pension\b(?!ist|s?kasse|sopsparing)|\bf(?:ø|oe|o)rtidspensionist\b|disability pension|early[ -]retirement(?: pension)?|\bførtid\b")
_NEGATION = re.compile(
    r"\b(?:ikke|ik|ikk|ike|ingen|nej|uden|not|no|don'?t|doesn'?t|isn'?t|aren'?t|haven'?t|hasn'?t|never|aldrig)\b")
# Førtidspension applied for, waited for or refused is not førtidspension: "har søgt førtidspension men ikke
# fået den endnu", "venter på svar om førtidspension", "applied for disability pension".
_PENSION_PENDING_BEFORE = re.compile(
    r"\b(?:søgt|soegt|ansøgt|ansoegt|søger|soeger|ansøger|venter|håber|haaber|afslag|applied|applying|waiting|"
    r"hoping|refused|rejected|denied)\b")
_PENSION_PENDING_AFTER = re.compile(
    r"^[^.,;!?]{0,40}?\b(?:ikke (?:fået|faaet|faet|tilkendt|bevilget)|endnu ikke|afslag|afvist|not (?:yet |been )*"
    r"(?:granted|approved|got)|haven'?t (?:got|been granted)|pending|rejected|refused)")
_BUILT_IN = frozenset({"age", "age_turning", "age_band", "pension", "cpr", "language"})
_WORD_BOUNDARY = r"(?<![^\W_]){}(?![^\W_])"


@dataclass(frozen=True, slots=True)
class Entity:
    """One extracted entity, Rasa-shaped."""

    entity: str
    value: str | int | bool
    start: int
    end: int
    role: str | None = None  # "concerned": the age of the person the message is about (a relative)

    def to_rasa(self) -> dict[str, object]:
        data: dict[str, object] = {"entity": self.entity, "value": self.value, "start": self.start, "end": self.end,
                                   "extractor": "StifinderExtractor"}
        if self.role:
            data["role"] = self.role
        return data


class EntityExtractor:
    """Regex and lookup-table entities, built from the training data's lookups and synonyms."""

    def __init__(self, data: TrainingData | None = None) -> None:
        self._synonyms = {fold(k): v for k, v in (data.synonyms if data else {}).items()}
        self._lookups: list[tuple[str, re.Pattern[str]]] = []
        for name, values in (data.lookups if data else {}).items():
            if name in _BUILT_IN:  # age and pension have their own extractors (negation, bands)
                continue
            variants = sorted({fold(clean(v)) for v in values} | {k for k, v in self._synonyms.items()
                                                                 if name == "offer_type"}, key=len, reverse=True)
            pattern = "|".join(re.escape(v) for v in variants if v)
            if pattern:
                self._lookups.append((name, re.compile(_WORD_BOUNDARY.format(f"(?:{pattern})"))))

    def extract(self, text: str) -> list[Entity]:
        """Return the entities found in the text (positions refer to the text as given)."""
        entities: list[Entity] = []
        for start, end in find_cpr(text):
            entities.append(Entity("cpr", "masked", start, end))
        lowered = text.lower()
        entities.extend(self._ages(lowered))
        entities.extend(self._pension(lowered))
        entities.extend(self._lookup_entities(lowered))
        language = detect(text)
        if language:
            entities.append(Entity("language", language, 0, len(text)))
        return entities

    def _ages(self, lowered: str) -> list[Entity]:
        found: list[Entity] = []
        masked, _ = mask_cpr(lowered)
        if len(masked) != len(lowered):
            return found
        for match in _AGE_BAND.finditer(lowered):
            n = int(match.group("n"))
            if not 10 <= n <= 110:
                continue
            direction = match.group("dir")
            older = direction in {"over", "fyldt", "ældre end", "aeldre end", "older than", "mindst", "at least", "above"}
            # "over 30" means 31+, "fyldt 30" and "mindst 30" mean 30+, "under 30" means 29 or less
            value = ("ge" if older else "lt") + ":" + str(n + 1 if direction in {"over", "older than", "above", "ældre end", "aeldre end"} else n)
            found.append(Entity("age_band", value, match.start(), match.end()))
        taken = [(e.start, e.end) for e in found]
        for match in _RELATIVE_AGE.finditer(lowered):
            start, end = match.span(1)
            age = _age_now(lowered, start, end, int(match.group(1)))
            if 15 <= age <= 110 and not any(s <= start < e for s, e in taken):
                found.append(Entity("age", age, start, end, role="concerned"))
                found.extend(_turning(age, int(match.group(1)), start, end))
                taken.append((start, end))
        for pattern in _AGE_PATTERNS:
            for match in pattern.finditer(lowered):
                start, end = match.span(1)
                age = _age_now(lowered, start, end, int(match.group(1)))
                if pattern is _AGE_PATTERNS[0] and _DURATION_BEFORE.search(lowered[max(0, start - 16):start]):
                    continue
                if 10 <= age <= 110 and not any(s <= start < e for s, e in taken):
                    # "han er 32", "she's 19": the person asked about, before the writer's own age ("jeg er 25")
                    about = _THIRD_PERSON.match(match.group(0).lstrip(" ,.!?;:"))
                    found.append(Entity("age", age, start, end, role="concerned" if about else None))
                    found.extend(_turning(age, int(match.group(1)), start, end))
                    taken.append((start, end))
        if not found:
            bare = _BARE_NUMBER.match(lowered)
            if bare and 10 <= int(bare.group(1)) <= 110:
                found.append(Entity("age", int(bare.group(1)), *bare.span(1)))
        return found

    def _pension(self, lowered: str) -> list[Entity]:
        found = []
        for match in _PENSION.finditer(lowered):
            window = lowered[max(0, match.start() - 40):match.start()]
            clause = re.split(r"[,.;!?]|\bmen\b|\bbut\b|\bog\b|\band\b", window)[-1]
            pending = bool(_PENSION_PENDING_BEFORE.search(clause)) or bool(
                _PENSION_PENDING_AFTER.search(lowered[match.end():match.end() + 60]))
            negated = pending or bool(_NEGATION.search(clause))
            found.append(Entity("pension", not negated, match.start(), match.end()))
        return found

    def _lookup_entities(self, lowered: str) -> list[Entity]:
        folded, origin = _fold_with_offsets(lowered)
        found = []
        for name, pattern in self._lookups:
            for match in pattern.finditer(folded):
                raw = match.group(0)
                value = self._synonyms.get(raw, raw)
                found.append(Entity(name, value, origin[match.start()], origin[match.end() - 1] + 1))
        return found


def _fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """Fold the text and return, for each folded character, its index in the original."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        folded = fold(ch)
        out.append(folded)
        origin.extend([i] * len(folded))
    return "".join(out), origin
