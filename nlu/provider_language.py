"""Understands a caseworker's question about providers: kind, offer type, group, age, region, order, names.

Rule-based over a reviewed lexicon (nlu/provider_data/lexicon.yml), so every decision can be
traced to a phrase: a team chat's questions are short and full of fixed terms ("døgn",
"dobbeltdiagnose", "Nordjylland", "billigste"), which a lexicon catches more reliably than a
classifier trained on a few hundred examples. Provider names are matched against the names the
caller passes in (the catalogue's), weighting each name word by how rare it is (so "Skovly" decides
and "Behandlingscenter" does not) and forgiving typos with rapidfuzz.

Produces plain strings (the catalogue's codes): nlu imports nothing of ours, and dialogs maps
the codes onto the catalogue's enums.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any, Iterable, Sequence

import yaml

from nlu.cues import about_elsewhere
from nlu.errors import TrainingDataError
from nlu.phrases import compile_phrases
from nlu.normalize import clean, fold

# libyaml's safe loader when PyYAML has it (several times faster), else the pure-Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

LEXICON = Path(__file__).parent / "provider_data" / "lexicon.yml"
AMBULANT = ("ambulant_individuel", "ambulant_gruppe")  # "ambulant" alone is either
YOUTH = ("unge_u18", "unge_18_25", "unge_u30")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
_AGE_UNDER = re.compile(r"\b(?:under|yngre end|younger than|below)\s+(\d{1,2})\b(?!\s*(?:dage|uger|km|kr|days|weeks))")
_AGE_OVER = re.compile(r"\b(?:over|aeldre end|older than|above|fyldt)\s+(\d{1,2})\b(?!\s*(?:dage|uger|km|kr|days|weeks))")
_AGE_RANGE = re.compile(r"\b(?:mellem\s+|between\s+)?(\d{1,2})\s*(?:-|–|til|to|and|og)\s*(\d{1,2})\s*(?:-?\s*aar\w*|years?|yrs?)\b")
_AGE_EXACT = re.compile(r"\b(\d{1,2})\s*(?:-\s*|\s)?(?:aarig\w*|aar gammel|aar\b|years? old|-year-old|yo\b)")
_AGE_AGED = re.compile(r"\b(?:aged?|paa|alder)\s+(\d{1,2})\b(?!\s*(?:dage|uger|km|kr|days|weeks|%))")
# A capitalised word with lower-case letters after its first ("Bakkehuset", "Kompasset"; not "KS" or "BG").
_CAPITALISED = re.compile(r"(?<![^\W_])[A-ZÆØÅ][a-zæøå][a-zæøåA-ZÆØÅ-]+")
_NAME_THRESHOLD = 0.6   # share of a name's weight its matched words must carry
_FUZZY_CUTOFF = 85      # rapidfuzz ratio for a misspelt name word ("skovlyy" → "skovly")
_GENERIC_WEIGHT = 0.25  # a name word that is also a question term ("døgnhuset") counts a quarter
_FUZZY_MIN_LENGTH = 5   # shorter words are too easily confused to be fuzzy-matched
_STOPWORDS = frozenset(fold(w) for w in (
    "og i på til med for af om er har vi de den det en et som der hvad hvem hvilke hvilken hvor hvordan "
    "kan skal vil noget nogen nogle ikke eller men fra hos ved pr per dag døgn the a an of to in for with at "
    "what who which how is are do does have has any our we koster pris prisen priser").split())


class Kind(StrEnum):
    """What kind of provider question a text is."""

    SEARCH = "search"          # which providers fit
    PROVIDER = "provider"      # about named providers (prices, waiting time, details)
    FRIT_VALG = "frit_valg"    # about the frit valg rules (with or without filters or names)
    NONE = "none"              # not a provider question


@dataclass(frozen=True, slots=True)
class ProviderRequest:
    """A caseworker's provider question, parsed. Codes are the catalogue's (record.py) values.

    Args:
        offer_types: any of these offer types.
        target_groups: each entry is a group requirement met by any of its codes.
        age_min, age_max: the citizen's age range, both inclusive; None is open.
        region: one of the five region names (record.Region values).
        sort: "price", "waiting", "distance" or None.
        names: catalogue names mentioned, best first.
        details: the question asks a place's details (the lexicon's `details` cue: phone, address, waiting time …).
        phrases: the lexicon kinds that fired (for tests and evaluation; never logged with values).
    """

    kind: Kind
    offer_types: tuple[str, ...] = ()
    target_groups: tuple[tuple[str, ...], ...] = ()
    age_min: int | None = None
    age_max: int | None = None
    region: str | None = None
    sort: str | None = None
    names: tuple[str, ...] = ()
    details: bool = False


@dataclass(frozen=True, slots=True)
class _Phrases:
    """One lexicon entry compiled: a code and the regex of its phrases."""

    code: str
    pattern: re.Pattern[str]


def _compile(phrases: Sequence[str], where: str) -> re.Pattern[str]:
    return compile_phrases(phrases, f"{LEXICON.name}: {where}")


def _entries(raw: Any, key: str) -> list[_Phrases]:
    table = raw.get(key) if isinstance(raw, dict) else None
    if not isinstance(table, dict):
        raise TrainingDataError(f"{LEXICON.name}: '{key}' must be a mapping of code to phrases")
    return [_Phrases(str(code), _compile(phrases, f"{key}.{code}")) for code, phrases in table.items()]


class Lexicon:
    """The compiled phrase tables of nlu/provider_data/lexicon.yml."""

    def __init__(self, path: Path = LEXICON) -> None:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
        self.offer_types = _entries(raw, "offer_types")
        self.target_groups = _entries(raw, "target_groups")
        self.regions = _entries(raw, "regions")
        self.sort = _entries(raw, "sort")
        cues = {entry.code: entry.pattern for entry in _entries(raw, "cues")}
        for needed in ("price", "frit_valg", "provider"):
            if needed not in cues:
                raise TrainingDataError(f"{LEXICON.name}: cues.{needed} is missing")
        self.cues = cues
        self.youth = _compile(raw.get("youth") or [], "youth")
        self.previous_stay = _compile(raw["previous_stay"], "previous_stay") if raw.get("previous_stay") else None
        self.near = _compile(raw["near"], "near") if raw.get("near") else None
        self.not_names = frozenset(fold(clean(word)) for word in raw.get("not_names") or [])
        self.words = self._vocabulary({key: value for key, value in raw.items() if key != "not_names"})

    @staticmethod
    def _vocabulary(raw: dict[str, Any]) -> frozenset[str]:
        """Return the folded words of every phrase: a question's own terms (places included), which weigh
        little in a provider name ("Klippebo Døgn Bornholm" is found by "Klippebo")."""
        found: set[str] = set()

        def walk(node: Any) -> None:
            if isinstance(node, dict):
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)
            elif isinstance(node, str) and not node.startswith("re:"):
                found.update(_WORD.findall(fold(clean(node.rstrip("*")))))

        walk(raw)
        return frozenset(found)


class NameIndex:
    """Catalogue names, findable in a question by their rarer words, typos forgiven."""

    def __init__(self, names: Iterable[str], known_words: frozenset[str] = frozenset()) -> None:
        self.names = tuple(dict.fromkeys(names))
        self._words: list[tuple[str, ...]] = []
        postings: dict[str, list[int]] = {}
        for position, name in enumerate(self.names):
            words = tuple(dict.fromkeys(_WORD.findall(fold(clean(name)))))
            self._words.append(words)
            for word in words:
                postings.setdefault(word, []).append(position)
        total = max(len(self.names), 1)
        self._idf = {word: math.log(1 + total / len(found)) * (_GENERIC_WEIGHT if _generic(word, known_words) else 1.0)
                     for word, found in postings.items()}
        self._postings = postings
        self._weight = [sum(self._idf[w] for w in words) for words in self._words]
        # Only words that can tell names apart are fuzzy-matched: not the question's own terms.
        self._fuzzy_vocabulary = [w for w in postings if len(w) >= _FUZZY_MIN_LENGTH and w not in known_words
                                  and w not in _STOPWORDS]
        self._known = known_words | _STOPWORDS

    def find(self, folded_words: Sequence[str], fuzzy: bool = True) -> tuple[str, ...]:
        """Return the names the words mention, best first (ties: the shorter name)."""
        if not self.names:
            return ()
        matched: dict[int, set[str]] = {}
        for word in dict.fromkeys(folded_words):
            target = word if word in self._postings else None
            if target is None and fuzzy and len(word) >= _FUZZY_MIN_LENGTH and word not in self._known:
                from rapidfuzz import fuzz, process  # imported on the first provider question, not at start-up

                best = process.extractOne(word, self._fuzzy_vocabulary, scorer=fuzz.ratio, score_cutoff=_FUZZY_CUTOFF)
                target = best[0] if best else None
            if target is None or target in _STOPWORDS:
                continue
            for position in self._postings[target]:
                matched.setdefault(position, set()).add(target)
        scored = []
        for position, words in matched.items():
            score = sum(self._idf[w] for w in words) / self._weight[position]
            if score >= _NAME_THRESHOLD:
                scored.append((-score, len(self.names[position]), position))
        scored.sort()
        return tuple(self.names[position] for _, _, position in scored)


def _generic(word: str, known_words: frozenset[str]) -> bool:
    """Tell whether a name word is a question term or a compound of one ("behandlingshjemmet", "rusmiddelcenter").

    A compound starts or ends with a known word of at least 4 letters: its prefixes and suffixes are
    looked up (a few set lookups per word, not a scan of the vocabulary for each of 5,000 names)."""
    if word in known_words or word in _STOPWORDS:
        return True
    return any(word[:end] in known_words or word[-end:] in known_words for end in range(4, len(word) + 1))


def _found(pattern: re.Pattern[str] | None, text: str) -> bool:
    return pattern is not None and pattern.search(text) is not None


def _codes(entries: Sequence[_Phrases], text: str) -> list[str]:
    return [entry.code for entry in entries if entry.pattern.search(text)]


def _age(text: str) -> tuple[int | None, int | None]:
    """Return the asked age range: "under 25" → (None, 24), "18-årig" → (18, 18), "18-25 år" → (18, 25)."""
    if match := _AGE_RANGE.search(text):
        first, last = int(match.group(1)), int(match.group(2))
        if first <= last:
            return first, last
    low: int | None = None
    high: int | None = None
    if match := _AGE_UNDER.search(text):
        high = int(match.group(1)) - 1
    if match := _AGE_OVER.search(text):
        low = int(match.group(1)) + 1 if "fyldt" not in match.group(0) else int(match.group(1))
    if low is not None or high is not None:
        return low, high
    if match := (_AGE_EXACT.search(text) or _AGE_AGED.search(text)):
        age = int(match.group(1))
        return age, age
    return None, None


class ProviderLanguage:
    """Parses caseworkers' provider questions. Build once per catalogue (the names and the home town change).

    Args:
        names: the catalogue's provider names.
        lexicon: the compiled lexicon (read from nlu/provider_data/lexicon.yml when not given).
        home: the municipality's own towns (distances are measured from there): after a `near` phrase
            ("tættest på Brønderslev") such a town orders by distance instead of filtering on its region.
    """

    def __init__(self, names: Iterable[str] = (), lexicon: Lexicon | None = None, home: Iterable[str] = ()) -> None:
        self.lexicon = lexicon or Lexicon()
        self.index = NameIndex(names, self.lexicon.words)
        towns = sorted({fold(clean(town)) for town in home if town.strip()}, key=len, reverse=True)
        near = self.lexicon.near
        self._near_home = re.compile(f"(?:{near.pattern})\\s+(?:{'|'.join(re.escape(t) for t in towns)})(?![^\\W_])") \
            if near is not None and towns else None

    def parse(self, text: str) -> ProviderRequest:
        """Return what the text asks about providers (Kind.NONE when it is not a provider question)."""
        lx = self.lexicon
        folded = fold(clean(text))
        offers = _codes(lx.offer_types, lx.previous_stay.sub(" ", folded) if lx.previous_stay else folded)
        if "ambulant" in offers:
            offers.remove("ambulant")
            if not any(code in offers for code in AMBULANT):
                offers.extend(AMBULANT)
        groups: list[tuple[str, ...]] = [(code,) for code in _codes(lx.target_groups, folded)]
        age_min, age_max = _age(folded)
        if age_min is None and age_max is None and lx.youth.search(folded):
            groups.append(YOUTH)
        regions = _codes(lx.regions, self._near_home.sub(" ", folded) if self._near_home else folded)
        region = regions[0] if len(regions) == 1 else None
        sorts = _codes(lx.sort, folded)
        sort = sorts[0] if sorts else None
        price_cue = bool(lx.cues["price"].search(folded))
        frit_valg = bool(lx.cues["frit_valg"].search(folded))
        provider_cue = bool(lx.cues["provider"].search(folded))
        names = self.index.find(_WORD.findall(folded))
        if not names and about_elsewhere(text):
            return ProviderRequest(Kind.NONE)  # another area: "sygedagpenge under døgnbehandling"
        asks_of_a_place = _found(lx.cues.get("details"), folded) or price_cue or provider_cue or bool(offers or groups)
        if not names and asks_of_a_place and self._unknown_place(text):
            return ProviderRequest(Kind.PROVIDER)  # "adresse på Bakkehuset": a place the catalogue does not know
        if price_cue and sort is None and not names and (offers or groups or provider_cue):
            sort = "price"  # "hvad koster døgn med dobbeltdiagnose?": the prices, cheapest first
        if frit_valg:
            kind = Kind.FRIT_VALG
        elif names and not (groups or region or (sort and sort != "waiting")):
            kind = Kind.PROVIDER
        elif offers or provider_cue or (groups and (region or sort or age_min is not None or age_max is not None)):
            kind = Kind.SEARCH
        elif names:
            kind = Kind.PROVIDER
        else:
            return ProviderRequest(Kind.NONE)
        return ProviderRequest(kind, tuple(dict.fromkeys(offers)), tuple(groups), age_min, age_max, region, sort,
                               names[:3] if kind is not Kind.SEARCH else (),
                               details=_found(lx.cues.get("details"), folded))

    def _details_first(self, text: str) -> bool:
        details = self.lexicon.cues.get("details")
        return details is not None and details.match(fold(clean(text))) is not None

    def _unknown_place(self, text: str) -> bool:
        """Whether the text names a place by a capitalised word that is no ordinary word of a question: not the
        first word of a sentence, not an abbreviation, not a region or a town, not in the lexicon's not_names."""
        for match in _CAPITALISED.finditer(text):
            before = text[:match.start()].rstrip()
            if not before or before[-1] in ".!?:;–-\n\"'(":
                # a sentence's first word is capitalised whatever it is, unless a dash, a colon or a place's
                # detail follows it as a heading: "Tranehuset – takst?", "Solvang tlf"
                after = text[match.end():].lstrip()
                if not (after[:1] in ("–", "-", ":") or self._details_first(after)):
                    continue
            word = fold(clean(match.group(0)))
            if word in self.lexicon.not_names or word in self.lexicon.words or word in _STOPWORDS:
                continue
            if any(entry.pattern.fullmatch(word) for entry in self.lexicon.regions):
                continue
            return True
        return False

