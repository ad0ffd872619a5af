"""Danish text normalisation shared by the classifier, the entity extractors and retrieval.

Lower-cases, folds æ/ø/å and their ae/oe/aa spellings to one form, and stems Danish words with
the Snowball stemmer. Pure functions; no state but the stemmer.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "é": "e", "ü": "u", "ö": "oe", "ä": "ae"})
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
_DIGIT = re.compile(r"\d")
_stemmer = snowballstemmer.stemmer("danish")


def clean(text: str) -> str:
    """Return the text NFC-normalised and lower-cased with white space collapsed."""
    return " ".join(unicodedata.normalize("NFC", text).lower().split())


def fold(text: str) -> str:
    """Fold Danish letters to their two-letter spellings, so "døgn" and "doegn" meet."""
    return text.translate(_FOLD)


def words(text: str) -> list[str]:
    """Return the lower-cased words of the text (letters and digits, apostrophes kept inside)."""
    return _WORD.findall(clean(text))


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """Return the folded Snowball stem of one lower-case word."""
    return fold(_stemmer.stemWord(word))


def tokens(text: str) -> list[str]:
    """Return folded stems, digits shaped as 0, for matching and retrieval."""
    return [_DIGIT.sub("0", stem(word)) for word in words(text)]
