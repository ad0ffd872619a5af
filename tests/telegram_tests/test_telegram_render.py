"""Splitting long replies at sentence boundaries, HTML escaping, keyboards and callback data limits."""

from __future__ import annotations

from bot.telegram.rendering import MAX_MESSAGE, button_label, keyboard, split_message, to_html, units
from dialogs import Button


def test_a_short_text_is_one_message() -> None:
    assert split_message("Hej. Kort svar.") == ["Hej. Kort svar."]


def test_a_long_text_is_split_at_paragraphs_within_the_limit() -> None:
    paragraphs = ["Afsnit %d. " % n + "Sætning med ord. " * 60 for n in range(12)]
    text = "\n\n".join(p.strip() for p in paragraphs)
    chunks = split_message(text)
    assert len(chunks) > 1 and all(units(c) <= MAX_MESSAGE for c in chunks)
    assert "\n\n".join(chunks) == text  # nothing lost, nothing added
    assert all(c.startswith("Afsnit") for c in chunks)


def test_one_huge_paragraph_is_split_at_sentence_ends() -> None:
    text = " ".join(f"Dette er sætning nummer {n}, og den slutter her." for n in range(400))
    chunks = split_message(text)
    assert len(chunks) > 1 and all(units(c) <= MAX_MESSAGE for c in chunks)
    assert all(c.endswith("her.") for c in chunks)
    assert " ".join(chunks) == text


def test_emoji_count_as_two_units_like_telegram_counts_them() -> None:
    text = "🙂" * 3000  # 6,000 UTF-16 units, no boundary at all
    chunks = split_message(text)
    assert all(units(c) <= MAX_MESSAGE for c in chunks) and "".join(chunks) == text


def test_html_and_markdown_in_a_reply_are_shown_as_written() -> None:
    assert to_html("<b>fed</b> & *stjerne* _streg_") == "&lt;b&gt;fed&lt;/b&gt; &amp; *stjerne* _streg_"


def test_buttons_become_one_per_row_with_the_payload_as_callback_data() -> None:
    markup = keyboard((Button("Ja", '/inform{"pension":true}'), Button("Nej", '/inform{"pension":false}')))
    assert markup is not None
    assert [[b.callback_data for b in row] for row in markup.inline_keyboard] == [
        ['/inform{"pension":true}'], ['/inform{"pension":false}']]
    assert button_label(markup, '/inform{"pension":false}') == "Nej"
    assert keyboard(()) is None


def test_a_payload_over_64_bytes_is_left_out_not_truncated() -> None:
    markup = keyboard((Button("Lang", "/faq/" + "x" * 70), Button("Kort", "/faq/ok")))
    assert markup is not None and [row[0].text for row in markup.inline_keyboard] == ["Kort"]
