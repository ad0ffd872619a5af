"""Cues in a caseworker's question: reviewed phrase lists that steer how the question is read.

- elsewhere (nlu/cue_data/elsewhere.yml): the question is about another area of the municipality, another law
  or office life, so that "sygedagpenge under døgnbehandling" is neither a rule of § 101 nor a list of
  residential providers. The rule questions and the provider desk both ask.
- timing (nlu/cue_data/timing.yml): the question asks when, how long or how soon ("beh.plan frist?", "hvor
  mange mdr?"), so a deadline rule close behind the standard's section on the same topic is the better answer.
- case overview (nlu/cue_data/case_overview.yml): the question asks for the state of a case as a whole
  ("status på S-88?"), so with a case reference it is answered with the case's deadlines.

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
CUE_FILES = (ELSEWHERE, TIMING, CASE_OVERVIEW)
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=4)
def cue_pattern(path: Path) -> re.Pattern[str]:
    """One pattern for every phrase of a cue file (a mapping of group names to lists of phrases).

    Raises:
        TrainingDataError: the file is not such a mapping, or a phrase is not valid.
    """
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise TrainingDataError(f"{path.name}: each key must hold a list of phrases")
    return compile_phrases([phrase for phrases in raw.values() for phrase in phrases], path.name)


def about_elsewhere(text: str) -> bool:
    """Whether the text asks about another area, another law or office life."""
    return cue_pattern(ELSEWHERE).search(fold(clean(text))) is not None


def asks_when(text: str) -> bool:
    """Whether the text asks when, how long or how soon (a deadline's question)."""
    return cue_pattern(TIMING).search(fold(clean(text))) is not None


def asks_for_overview(text: str) -> bool:
    """Whether the text asks for the state of a case as a whole (status, overview, what is next)."""
    return cue_pattern(CASE_OVERVIEW).search(fold(clean(text))) is not None
