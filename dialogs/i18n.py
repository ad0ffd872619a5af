"""Babel gettext catalogs (da, en) and Danish-style formatting of dates and durations.

Catalogs live in dialogs/locale/<lang>/LC_MESSAGES/<domain>.po and are compiled to .mo on install
(`make`). The citizen assistant's texts are the domain "messages"; each caseworker feature has its
own domain (e.g. "reminders", "caseworker", "providers"), so catalogs are reviewed and updated apart. When a .mo is missing or older than its .po (a fresh checkout), the .po is compiled in
memory so the texts are never silently untranslated.
"""

from __future__ import annotations

import gettext
import io
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

from babel.dates import format_date, format_time
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "messages"
SUPPORTED = ("da", "en")


def N_(message: str) -> str:
    """Mark a message for extraction (pybabel -k N_) without translating it yet."""
    return message


@lru_cache(maxsize=None)
def translations(lang: str, domain: str = DOMAIN) -> gettext.NullTranslations:
    """Return the catalog of a domain for a language ("da" or "en")."""
    if lang not in SUPPORTED:
        raise ValueError(f"unsupported language {lang!r}")
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    mo = po.with_suffix(".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return gettext.GNUTranslations(handle)
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: str, message: str, domain: str = DOMAIN) -> str:
    """Translate one message id."""
    return translations(lang, domain).gettext(message)


def ngettext_for(lang: str, singular: str, plural: str, n: int, domain: str = DOMAIN) -> str:
    """Translate a message id with a number in it, in the form for n ("1 udbyder", "2 udbydere")."""
    return translations(lang, domain).ngettext(singular, plural, n)


def long_date(day: date, lang: str) -> str:
    """Format a date as Danes write it: "fredag den 4. december 2026" (en: "Friday 4 December 2026")."""
    if lang == "da":
        return format_date(day, "EEEE 'den' d. MMMM y", locale="da")
    return format_date(day, "EEEE d MMMM y", locale="en_GB")


def moment(at: datetime, today: date, lang: str) -> str:
    """Say when something happens soon: "i dag kl. 13.00", "i morgen kl. 9.00", "mandag kl. 9.00", or
    "mandag den 4. januar kl. 9.00" a week or more ahead (en "today at 13:00", "on Monday at 09:00")."""
    locale = "da" if lang == "da" else "en_GB"
    clock = format_time(at.time(), "H.mm" if lang == "da" else "HH:mm", locale=locale)
    ahead = (at.date() - today).days
    words = translations(lang)
    if ahead == 0:
        return words.gettext("i dag kl. {time}").format(time=clock)
    if ahead == 1:
        return words.gettext("i morgen kl. {time}").format(time=clock)
    pattern = "EEEE" if ahead < 7 else ("EEEE 'den' d. MMMM" if lang == "da" else "EEEE d MMMM")
    return words.gettext("{day} kl. {time}").format(day=format_date(at.date(), pattern, locale=locale), time=clock)


def days(count: int, lang: str) -> str:
    """Format a number of calendar days exactly ("14 dage", "1 dag"), never rounded to weeks."""
    return translations(lang).ngettext("%(count)d dag", "%(count)d dage", count) % {"count": count}


def weeks(count: int, lang: str) -> str:
    """Format a number of weeks exactly ("4 uger", "1 uge")."""
    return translations(lang).ngettext("%(count)d uge", "%(count)d uger", count) % {"count": count}


def months(count: int, lang: str) -> str:
    """Format a number of months exactly ("1 måned", "6 måneder")."""
    return translations(lang).ngettext("%(count)d måned", "%(count)d måneder", count) % {"count": count}


def untranslated(lang: str, messages: list[str], domain: str = DOMAIN) -> list[str]:
    """Return the messages that have no (or only a fuzzy) translation in the language's .po file."""
    po = LOCALE_DIR / lang / "LC_MESSAGES" / f"{domain}.po"
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    missing = []
    for message in messages:
        entry = catalog.get(message)
        if entry is None or entry.fuzzy or not entry.string:
            missing.append(message)
    return missing
