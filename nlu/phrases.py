"""Reviewed phrase lists as one regular expression: how the lexicons a non-programmer edits are matched.

A phrase is matched on whole words after lower-casing and folding æ/ø/å (nlu.normalize), a trailing * matches
any ending ("døgn*" also matches "døgnbehandling"), and a phrase starting with "re:" is a regular expression
over the folded text, for the few words that need context.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from nlu.errors import TrainingDataError
from nlu.normalize import clean, fold


def compile_phrases(phrases: Sequence[str], where: str) -> re.Pattern[str]:
    """One regular expression for the phrases.

    Raises:
        TrainingDataError: a phrase is empty or not text, or a "re:" phrase is not a regular expression;
            `where` names the file and key.
    """
    parts = []
    for phrase in phrases:
        if not isinstance(phrase, str) or not phrase.strip():
            raise TrainingDataError(f"{where}: every phrase must be a non-empty string")
        if phrase.startswith("re:"):
            parts.append(phrase.removeprefix("re:"))
            continue
        text = fold(clean(phrase))
        body = r"[^\W_]*".join(re.escape(piece) for piece in text.split("*"))
        parts.append(r"(?<![^\W_])" + body + ("" if text.endswith("*") else r"(?![^\W_])"))
    try:
        return re.compile("|".join(parts))
    except re.error:
        raise TrainingDataError(f"{where}: a 're:' phrase is not a valid regular expression") from None
