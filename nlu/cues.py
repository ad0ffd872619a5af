"""Cues in a question: reviewed phrase lists that steer how the question is read.

- elsewhere (nlu/cue_data/elsewhere.yml): the question is about another area of the municipality, another law
  or office life, so that "sygedagpenge under døgnbehandling" is neither a rule of § 101 nor a list of
  residential providers. The rule questions and the provider desk both ask.
- timing (nlu/cue_data/timing.yml): the question asks when, how long or how soon ("beh.plan frist?", "hvor
  mange mdr?"), so a deadline rule close behind the standard's section on the same topic is the better answer.
- case overview (nlu/cue_data/case_overview.yml): the question asks for the state of a case as a whole
  ("status på S-88?"), so with a case reference it is answered with the case's deadlines.
- the centre's number (nlu/cue_data/centre_number.yml): a citizen asks for the Rusmiddelcenter's own phone number
  ("misbrugscenter telefon"), so the answer is the standard's section on turning to the centre directly, which
  gives it, not the municipality's two offices alone.
- outside the standard (nlu/cue_data/outside_standard.yml, with elsewhere.yml's benefits and other treatments): a
  citizen's question names the standard's topics but asks what it does not answer ("can I bring my dog to
  residential treatment?"), so the citizen router gives the honest answer, not the nearest section's.

The phrases are matched as the provider lexicon's are (nlu.phrases).
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from nlu.errors import TrainingDataError
from nlu.normalize import clean, fold
from nlu.phrases import compile_phrases

CUE_DATA_DIR = Path(__file__).parent / "cue_data"
ELSEWHERE = CUE_DATA_DIR / "elsewhere.yml"
TIMING = CUE_DATA_DIR / "timing.yml"
CASE_OVERVIEW = CUE_DATA_DIR / "case_overview.yml"
OUTSIDE_STANDARD = CUE_DATA_DIR / "outside_standard.yml"
CENTRE_NUMBER = CUE_DATA_DIR / "centre_number.yml"
PAYMENT = CUE_DATA_DIR / "payment.yml"
# elsewhere.yml's groups that are outside the standard for a citizen too: a benefit asked about itself, other
# treatments (not the other areas, where "cash benefits" is often only the citizen's situation; not office life;
# not general law: "persondata" and "tavshedspligt" are asked about the standard's own sections).
CITIZEN_ELSEWHERE = ("benefits", "other_treatments")
CUE_FILES = (ELSEWHERE, TIMING, CASE_OVERVIEW, OUTSIDE_STANDARD, CENTRE_NUMBER, PAYMENT)
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=8)
def cue_pattern(path: Path, groups: tuple[str, ...] | None = None) -> re.Pattern[str]:
    """One pattern for every phrase of a cue file (a mapping of group names to lists of phrases), or of the
    named groups only.

    Raises:
        TrainingDataError: the file is not such a mapping, a named group is missing, or a phrase is not valid.
    """
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise TrainingDataError(f"{path.name}: each key must hold a list of phrases")
    missing = [group for group in groups or () if group not in raw]
    if missing:
        raise TrainingDataError(f"{path.name}: no group {', '.join(missing)}")
    chosen = [raw[group] for group in groups] if groups is not None else list(raw.values())
    return compile_phrases([phrase for phrases in chosen for phrase in phrases], path.name)


def about_elsewhere(text: str) -> bool:
    """Whether the text asks about another area, another law or office life."""
    return cue_pattern(ELSEWHERE).search(fold(clean(text))) is not None


def asks_when(text: str) -> bool:
    """Whether the text asks when, how long or how soon (a deadline's question)."""
    return cue_pattern(TIMING).search(fold(clean(text))) is not None


def asks_for_overview(text: str) -> bool:
    """Whether the text asks for the state of a case as a whole (status, overview, what is next)."""
    return cue_pattern(CASE_OVERVIEW).search(fold(clean(text))) is not None


def outside_the_standard(text: str) -> bool:
    """Whether a citizen's question asks what the standard does not answer (daily life at a place, practical
    matters, kroner and benefits, records, what drugs do), or about another area or treatment."""
    folded = fold(clean(text))
    return (cue_pattern(OUTSIDE_STANDARD).search(folded) is not None
            or cue_pattern(ELSEWHERE, CITIZEN_ELSEWHERE).search(folded) is not None)


def asks_for_the_centres_number(text: str) -> bool:
    """Whether a citizen asks for the Rusmiddelcenter's own phone number (names the centre and a number)."""
    folded = fold(clean(text))
    return (cue_pattern(CENTRE_NUMBER, ("centre",)).search(folded) is not None
            and cue_pattern(CENTRE_NUMBER, ("number",)).search(folded) is not None)


def asks_about_paying(text: str) -> bool:
    """Whether a citizen asks what something costs or who pays ("er det gratis?", "do I pay for rehab?")."""
    return cue_pattern(PAYMENT).search(fold(clean(text))) is not None
