"""Turns a sentence into sparse features: folded stems, stem bigrams and character n-grams.

Character n-grams (inside word boundaries, as scikit-learn's `char_wb`) carry typos and
ae/oe/aa spellings; stems carry Danish inflection. Digits are shaped as 0 so "29" and "34" meet.
"""

from __future__ import annotations

from collections import Counter

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
    folded = fold(clean(text))
    for word in folded.split():
        word = "".join("0" if ch.isdigit() else ch for ch in word if ch.isalnum())
        if not word:
            continue
        padded = f" {word} "
        for size in range(CHAR_MIN, CHAR_MAX + 1):
            if size > len(padded):
                break
            for start in range(len(padded) - size + 1):
                counts["c:" + padded[start:start + size]] += 1
    return counts
