"""Renders the engine's messages in Telegram's medium: HTML-escaped chunks and inline keyboards.

Pure functions, no network and no decisions about what to say. Telegram refuses a message longer
than 4,096 characters (counted in UTF-16 code units after entity parsing) and callback data longer
than 64 bytes, so long texts are split at paragraph, then sentence, then word boundaries, and a
button whose payload does not fit is left out rather than truncated into a different payload.
"""

from __future__ import annotations

import html
import logging
import re
from collections.abc import Iterable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from dialogs import Button

log = logging.getLogger(__name__)

MAX_MESSAGE = 4096  # Telegram's limit for one message's text (telegram.constants.MessageLimit.MAX_TEXT_LENGTH)
MAX_CALLBACK_DATA = 64  # bytes (telegram.constants.InlineKeyboardButtonLimit.MAX_CALLBACK_DATA)
_SENTENCE_END = re.compile(r"(?<=[.!?…:;])\s+")


def units(text: str) -> int:
    """Return the length of a text as Telegram counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def to_html(text: str) -> str:
    """Escape a plain text for parse_mode=HTML, so <, > and & in an answer are shown as written."""
    return html.escape(text, quote=False)


def split_message(text: str, limit: int = MAX_MESSAGE) -> list[str]:
    """Split a text into chunks of at most `limit` units, preferring paragraph and sentence ends.

    Args:
        text: the plain (not yet escaped) text of one message.
        limit: the most units per chunk. Defaults to Telegram's 4,096.

    Returns:
        The chunks in order; joining them with the separators they were split at gives the text back.
    """
    if units(text) <= limit:
        return [text]
    pieces: list[str] = []
    for paragraph in text.split("\n\n"):
        pieces.extend(_fit(paragraph, limit))
    return _pack(pieces, "\n\n", limit)


def _fit(paragraph: str, limit: int) -> list[str]:
    """Return the paragraph whole, or its sentences (then words, then hard cuts) packed to the limit."""
    if units(paragraph) <= limit:
        return [paragraph]
    sentences: list[str] = []
    for sentence in _SENTENCE_END.split(paragraph):
        if units(sentence) <= limit:
            sentences.append(sentence)
            continue
        words = [w for word in sentence.split(" ") for w in _hard_cut(word, limit)]
        sentences.extend(_pack(words, " ", limit))
    return _pack(sentences, " ", limit)


def _hard_cut(word: str, limit: int) -> list[str]:
    """Cut a single over-long word into pieces that fit (a last resort: no boundary exists)."""
    if units(word) <= limit:
        return [word]
    cuts: list[str] = []
    current = ""
    for char in word:
        if units(current + char) > limit:
            cuts.append(current)
            current = ""
        current += char
    return cuts + [current]


def _pack(parts: Iterable[str], separator: str, limit: int) -> list[str]:
    """Join consecutive parts with the separator as long as the result stays within the limit."""
    chunks: list[str] = []
    current: str | None = None
    for part in parts:
        candidate = part if current is None else current + separator + part
        if current is not None and units(candidate) > limit:
            chunks.append(current)
            current = part
        else:
            current = candidate
    if current is not None:
        chunks.append(current)
    return [chunk for chunk in chunks if chunk.strip()] or [""]


def keyboard(buttons: tuple[Button, ...], key: str = "") -> InlineKeyboardMarkup | None:
    """Return an inline keyboard with one button per row, or None when there are no buttons.

    The button's payload (Rasa's `/intent{"entity":"value"}` form) is the callback data, so a
    press goes back to the engine exactly as if the person had typed it.
    """
    rows = []
    for button in buttons:
        if len(button.payload.encode()) > MAX_CALLBACK_DATA:
            log.warning("telegram button left out: payload over %d bytes key=%s", MAX_CALLBACK_DATA, key)
            continue
        rows.append([InlineKeyboardButton(button.label, callback_data=button.payload)])
    return InlineKeyboardMarkup(rows) if rows else None


def button_label(markup: InlineKeyboardMarkup | None, payload: str) -> str | None:
    """Return the label of the button in a keyboard that carries the payload, if there is one."""
    if markup is None:
        return None
    for row in markup.inline_keyboard:
        for button in row:
            if button.callback_data == payload:
                return button.text
    return None
