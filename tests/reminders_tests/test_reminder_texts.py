"""The reminders' gettext domain is complete in Danish and English, and the texts read as they should."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from dialogs.i18n import translations, untranslated
from dialogs.caseworker.pings import DIGEST_LIMIT, DOMAIN, PINGS, digest_lines, ping_lines, standing, text
from reminders import load_rules
from reminders.digest import Digest, DigestItem
from reminders.dispatch import Ping

RULES = {rule.id: rule for rule in load_rules()}
SAME_IN_ENGLISH = {"case_line", "digest_line"}  # only placeholders and punctuation


@pytest.mark.parametrize("lang", ["da", "en"])
def test_every_reminder_text_is_in_both_catalogs(lang: str) -> None:
    assert untranslated(lang, list(PINGS.values()), DOMAIN) == []


def test_the_english_catalog_really_is_english() -> None:
    english = translations("en", DOMAIN)
    same = {key for key, msgid in PINGS.items() if english.gettext(msgid) == msgid}
    assert same == SAME_IN_ENGLISH


def test_danish_is_the_source_text() -> None:
    danish = translations("da", DOMAIN)
    assert all(danish.gettext(msgid) == msgid for msgid in PINGS.values())


def test_days_left_today_and_overdue() -> None:
    assert [standing(n, "da") for n in (1, 7, 0, -1, -3)] == [
        "om 1 dag", "om 7 dage", "i dag", "overskredet med 1 dag", "overskredet med 3 dage"]
    assert [standing(n, "en") for n in (1, 0, -2)] == ["in 1 day", "today", "overdue by 2 days"]


def test_an_overdue_ping_in_danish() -> None:
    rule = RULES["afgoerelse_ambulant"]
    ping = Ping(reminder_id=1, deadline_id=1, chat_id=1, language="da", case="UNG-2026-7", rule=rule,
                due=date(2026, 12, 4), today=date(2026, 12, 8), slot="overdue-2026-12-08")
    assert ping_lines(ping)[0] == "Frist i sag UNG-2026-7"
    assert ping_lines(ping)[2] == "Frist: fredag den 4. december 2026 (overskredet med 4 dage)"
    assert ping_lines(ping)[3] == f"Kilde: {rule.source} · {rule.legal_basis}"


def test_the_digest_lists_overdue_first_and_is_bounded() -> None:
    rule = RULES["behandlingsgaranti"]
    today = date(2026, 11, 25)
    items = tuple(DigestItem(case=f"S-{n}", rule=rule, due=date(2026, 11, 20) + timedelta(days=n), today=today)
                  for n in range(40))
    lines = digest_lines(Digest(digest_id=1, caseworker_id=1, chat_id=1, language="da", day=today, items=items))
    assert lines[0] == "Dine frister onsdag den 25. november 2026"
    assert lines[2] == "Overskredne frister:" and lines[3].startswith("S-0 · Behandlingsgaranti")
    assert "Åbne frister:" in lines
    assert lines[-1] == f"… og {40 - DIGEST_LIMIT} flere."
    assert sum(1 for line in lines if line.startswith("S-")) == DIGEST_LIMIT
    assert text("digest_more", "en", count=3) == "… and 3 more."


@pytest.mark.parametrize(("lang", "line"), [("da", "Opfyldes tidligst onsdag den 10. juni 2026."),
                                            ("en", "Met at the earliest Wednesday 10 June 2026.")])
def test_a_ping_for_a_deadline_with_a_window_says_from_when_it_can_be_met(lang: str, line: str) -> None:
    ping = Ping(reminder_id=1, deadline_id=1, chat_id=1, language=lang, case="S-14",
                rule=RULES["opfoelgning_6_maaneder"], due=date(2026, 7, 10), today=date(2026, 6, 30), slot="before-7")
    assert ping_lines(ping)[3] == line
    plain = Ping(reminder_id=2, deadline_id=2, chat_id=1, language=lang, case="S-14",
                 rule=RULES["opfoelgning_1_maaned"], due=date(2026, 2, 10), today=date(2026, 2, 1), slot="before-7")
    assert len(ping_lines(plain)) == 4  # no window, no such line


def test_done_names_the_deadline_met_or_says_it_is_still_open() -> None:
    from dialogs.caseworker.pings import pressed_replies
    from dialogs.replies import render_text
    from reminders import EventKind
    from reminders.presses import Outcome, Pressed

    rule = RULES["opfoelgning_6_maaneder"]

    def done_line(rule: object, kind: EventKind, on: date, lang: str, opens: date | None = None) -> str:
        pressed = Pressed(Outcome.NOT_YET if opens else Outcome.DONE, rule=rule, kind=kind, on=on,  # type: ignore[arg-type]
                          opens=opens)
        (reply,) = pressed_replies(pressed, on)
        assert reply.where == "note"
        return render_text(reply, lang)

    assert done_line(rule, EventKind.OPFOELGNING, date(2026, 6, 20), "da") == (
        "» Udført: »Opfølgning 6 måneder efter udskrivning« er opfyldt (opfølgning gennemført registreret "
        "lørdag den 20. juni 2026).")
    assert done_line(rule, EventKind.OPFOELGNING, date(2026, 6, 1), "en", opens=date(2026, 6, 10)) == (
        "» follow-up held recorded Monday 1 June 2026, but \"Follow-up 6 months after discharge\" is met at the "
        "earliest Wednesday 10 June 2026: the deadline is still open.")
