from __future__ import annotations

from datetime import date

import pytest

from dialogs import TEXTS, days, long_date, translations, weeks
from dialogs.i18n import untranslated


def test_dates_are_written_the_danish_way() -> None:
    assert long_date(date(2026, 12, 4), "da") == "fredag den 4. december 2026"
    assert long_date(date(2026, 12, 4), "en") == "Friday 4 December 2026"


@pytest.mark.parametrize("count, da, en", [(1, "1 dag", "1 day"), (10, "10 dage", "10 days"), (14, "14 dage", "14 days")])
def test_days_are_exact_not_rounded_to_weeks(count: int, da: str, en: str) -> None:
    assert days(count, "da") == da
    assert days(count, "en") == en


def test_weeks() -> None:
    assert weeks(16, "da") == "16 uger" and weeks(1, "en") == "1 week"


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_message_is_in_both_catalogs(lang: str) -> None:
    assert untranslated(lang, list(TEXTS.values())) == []


def test_english_catalog_really_is_english() -> None:
    english = translations("en")
    assert english.gettext(TEXTS["utter_greet"]).startswith("Hi!")
    same = [key for key, msgid in TEXTS.items() if english.gettext(msgid) == msgid]
    # the same word in both languages: a placeholder only, "Under 18", the web chat's "Send" and "Chatbot"
    assert set(same) <= {"utter_faq_answer", "button_age_under_18", "web_send", "web_bot", "web_new_reply"}


def test_unknown_language_is_refused() -> None:
    with pytest.raises(ValueError):
        translations("de")
