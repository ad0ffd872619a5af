"""Turns a sentence into sparse features: folded stems, stem bigrams and character n-grams.

Character n-grams (inside word boundaries, as scikit-learn's `char_wb`) carry typos and
ae/oe/aa spellings; stems carry Danish inflection. Digits are shaped as 0 so "29" and "34" meet.
"""

from __future__ import annotations

from collections import Counter
from functools import lru_cache

from nlu.normalize import clean, fold, tokens

CHAR_MIN = 2
CHAR_MAX = 5


def features(text: str) -> Counter[str]:
    """Return the feature counts of one sentence."""
    counts: Counter[str] = Counter()
    stems = tokens(text)
    for stem in stems:
        counts["w:" + stem] += 1
    for left, right in zip(stems, stems[1:]):
        counts["b:" + left + "_" + right] += 1
    for word in fold(clean(text)).split():
        grams = char_grams(word)
        if grams:
            counts.update(grams)
    return counts


@lru_cache(maxsize=65536)
def char_grams(word: str) -> tuple[str, ...]:
    """Return the character n-gram features of one folded word (digits as 0, punctuation dropped).

    Cached: the same words come back in message after message, and this is most of a parse's time.
    """
    shaped = "".join("0" if ch.isdigit() else ch for ch in word if ch.isalnum())
    if not shaped:
        return ()
    padded = f" {shaped} "
    grams: list[str] = []
    for size in range(CHAR_MIN, CHAR_MAX + 1):
        if size > len(padded):
            break
        grams.extend("c:" + padded[start:start + size] for start in range(len(padded) - size + 1))
    return tuple(grams)
