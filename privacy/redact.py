"""The redaction every log record goes through: tokens, CPR-like numbers, long digit runs, and the values
of fields that carry a person's name or words (first_name, text, caption, …) wherever an object's repr or
JSON lands in a message, as python-telegram-bot's Update and Message do.
"""

from __future__ import annotations

import re

_PATTERNS = (
    (re.compile(r"bot\d{5,}:[A-Za-z0-9_-]{20,}"), "bot<token>"),
    (re.compile(r"(?i)([?&](?:token|secret|api_key)=)[^&\s]+"), r"\1<secret>"),
    (re.compile(r"(?<!\d)\d{6}[-\s]?\d{4}(?!\d)"), "<cpr?>"),
    (re.compile(r"(?<![\w.])\+?\d[\d ]{6,}\d(?![\w.])"), "<number>"),
)
# Fields of Telegram's objects (and ours) whose values are a person's name, words or number.
_PERSONAL_FIELDS = ("first_name", "last_name", "username", "full_name", "name", "title", "text", "caption",
                    "phone_number", "vcard", "bio", "query", "data")
_FIELD_VALUE = re.compile(
    r"""(?P<key>['"]?\b(?:%s)['"]?\s*[=:]\s*)(?P<value>'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
    % "|".join(_PERSONAL_FIELDS))


def redact(text: str) -> str:
    """Mask tokens, CPR-like numbers and long digit runs."""
    text = _FIELD_VALUE.sub(lambda m: f"{m['key']}'<redacted>'", text)
    for pattern, mask in _PATTERNS:
        text = pattern.sub(mask, text)
    return text
