"""Whether a caseworker's question is about another area of the municipality, another law or office life.

The phrases are reviewed content (nlu/elsewhere_data/elsewhere.yml), matched as the provider lexicon's are
(nlu.phrases). The rule questions and the provider desk both ask here, so that "sygedagpenge under
døgnbehandling" is neither a rule of § 101 nor a list of residential providers.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml

from nlu.errors import TrainingDataError
from nlu.normalize import clean, fold
from nlu.phrases import compile_phrases

ELSEWHERE = Path(__file__).parent / "elsewhere_data" / "elsewhere.yml"
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@lru_cache(maxsize=1)
def _pattern(path: Path = ELSEWHERE) -> re.Pattern[str]:
    raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    if not isinstance(raw, dict) or not all(isinstance(v, list) for v in raw.values()):
        raise TrainingDataError(f"{path.name}: each key must hold a list of phrases")
    return compile_phrases([phrase for phrases in raw.values() for phrase in phrases], path.name)


def about_elsewhere(text: str) -> bool:
    """Whether the text asks about another area, another law or office life."""
    return _pattern().search(fold(clean(text))) is not None
