"""What a caseworker reads in a reminder, a digest and after pressing a reminder's button (domain "reminders").

Danish is the source text (the gettext msgid); the English is in
dialogs/locale/en/LC_MESSAGES/reminders.po. A ping and a digest are plain lines (the Notifier escapes
them and marks the first as a heading); a button's answer is Reply values (`pressed_replies`), rendered
by dialogs.replies like every other answer. Dates are written the Danish way ("fredag den 4. december 2026").
"""

from __future__ import annotations

from datetime import date

from dialogs.i18n import N_, days, gettext_for, long_date
from dialogs.turn import Count, Param, Reply
from reminders import Status, Text, load_labels
from reminders.digest import Digest, DigestItem
from reminders.dispatch import Ping
from reminders.presses import Outcome, Pressed
from reminders.rules import Rule

DOMAIN = "reminders"
# A digest lists this many deadlines at most (Telegram's 4,096 characters), then says how many more.
DIGEST_LIMIT = 25

PINGS: dict[str, str] = {
    "ping_title": N_("Frist i sag {case}"),
    "due": N_("Frist: {date} ({standing})"),
    "opens": N_("Opfyldes tidligst {date}."),
    "in_days": N_("om {days}"),
    "today": N_("i dag"),
    "overdue": N_("overskredet med {days}"),
    "source": N_("Kilde: {source} · {basis}"),
    "button_done": N_("Udført"),
    "button_snooze": N_("Udsæt en arbejdsdag"),
    "button_case": N_("Vis sagen"),
    "done": N_("» Udført: »{deadline}« er opfyldt ({event} registreret {date})."),
    "done_not_yet": N_("» {event} registreret {date}, men »{deadline}« opfyldes tidligst {opens}: "
                       "fristen er stadig åben."),
    "done_already": N_("» Fristen er allerede lukket."),
    "snoozed": N_("» Udsat til {date} kl. {time}."),
    "refused": N_("Kun sagens sagsbehandler eller en kollega fra samme team kan bruge denne knap."),
    "gone": N_("Påmindelsen findes ikke længere."),
    "case_title": N_("Sag {case}"),
    "case_line": N_("{title}: {date} · {standing}"),
    "case_none": N_("Sagen har ingen frister."),
    "digest_title": N_("Dine frister {date}"),
    "team_digest_title": N_("Overskredne frister i teamets sager {date}"),
    "team_digest_footer": N_("Kun sagsreferencer. /frister_team stopper oversigten."),
    "digest_overdue": N_("Overskredne frister:"),
    "digest_open": N_("Åbne frister:"),
    "digest_line": N_("{case} · {title} · {date} ({standing})"),
    "digest_more": N_("… og {count} flere."),
}


def text(key: str, lang: str, **values: object) -> str:
    """Return one text of the reminders domain in a language, with its {placeholders} filled."""
    return gettext_for(lang, PINGS[key], DOMAIN).format(**values)


def standing(days_left: int, lang: str) -> str:
    """Say where an open deadline stands: "om 7 dage", "i dag", "overskredet med 3 dage"."""
    if days_left > 0:
        return text("in_days", lang, days=days(days_left, lang))
    if days_left == 0:
        return text("today", lang)
    return text("overdue", lang, days=days(-days_left, lang))


def ping_lines(ping: Ping) -> list[str]:
    """The reminder: case reference, deadline, due date with days left or overdue, and the rule's source."""
    lang = ping.language
    return [
        text("ping_title", lang, case=ping.case),
        ping.rule.title.get(lang),
        text("due", lang, date=long_date(ping.due, lang), standing=standing(ping.days_left, lang)),
        *_opens(ping.rule, ping.due, lang),
        text("source", lang, source=ping.rule.source, basis=ping.rule.legal_basis),
    ]


def _opens(rule: Rule, due: date, lang: str) -> list[str]:
    """The line saying from when the deadline can be met, for a rule with a window."""
    opens = rule.opens(due)
    return [text("opens", lang, date=long_date(opens, lang))] if opens is not None else []


def button_labels(lang: str) -> tuple[str, str, str]:
    """The labels of the done, snooze and show-case buttons."""
    return text("button_done", lang), text("button_snooze", lang), text("button_case", lang)


def digest_lines(digest: Digest) -> list[str]:
    """The daily digest: overdue deadlines first, then the open ones, at most DIGEST_LIMIT in all."""
    lang = digest.language
    title = "team_digest_title" if digest.team is not None else "digest_title"
    lines = [text(title, lang, date=long_date(digest.day, lang))]
    shown = 0
    for header, items in (("digest_overdue", digest.overdue), ("digest_open", digest.open)):
        visible = items[:max(DIGEST_LIMIT - shown, 0)]
        if visible:
            lines += ["", text(header, lang)] + [_digest_line(item, lang) for item in visible]
            shown += len(visible)
    if len(digest.items) > shown:
        lines += ["", text("digest_more", lang, count=len(digest.items) - shown)]
    if digest.team is not None:
        lines += ["", text("team_digest_footer", lang)]
    return lines


def _digest_line(item: DigestItem, lang: str) -> str:
    return text("digest_line", lang, case=item.case, title=item.rule.title.get(lang),
                date=long_date(item.due, lang), standing=standing(item.days_left, lang))


def _ping_reply(key: str, where: str = "message", glue: str = "\n", parts: tuple[Reply, ...] = (),
                **params: Param) -> Reply:
    return Reply(key, dict(params), parts=parts, domain=DOMAIN, glue=glue, where=where)


def pressed_replies(pressed: Pressed, today: date) -> list[Reply]:
    """What a reminder's button answers: a pop-up, a line under the ping, or the case's deadlines."""
    labels = load_labels()
    outcome = pressed.outcome
    if outcome in (Outcome.GONE, Outcome.REFUSED):
        return [_ping_reply(outcome.value, "alert")]
    if outcome is Outcome.CLOSED:
        return [_ping_reply("done_already", "note")]
    if outcome is Outcome.SNOOZED and pressed.snoozed_until is not None:
        at = pressed.snoozed_until
        return [_ping_reply("snoozed", "note", date=at.date(),
                            time=Text(at.strftime("%H.%M"), at.strftime("%H:%M")))]
    if outcome in (Outcome.DONE, Outcome.NOT_YET) and pressed.rule is not None and pressed.kind is not None:
        kind = pressed.kind
        event = Text(labels.kind(kind, "da"), labels.kind(kind, "en"))
        if outcome is Outcome.NOT_YET and pressed.opens is not None:
            return [_ping_reply("done_not_yet", "note", event=event, date=pressed.on or today,
                                deadline=pressed.rule.title, opens=pressed.opens)]
        return [_ping_reply("done", "note", deadline=pressed.rule.title, event=event, date=pressed.on or today)]
    lines: list[Reply] = []
    for listed in pressed.deadlines:
        title: Param = listed.rule.title if listed.rule else listed.rule_id
        if listed.status in (Status.OPEN, Status.OVERDUE):
            days_left = (listed.due - today).days
            where: Param = _standing_reply(days_left)
        else:
            where = Text(labels.status(listed.status, "da"), labels.status(listed.status, "en"))
        lines.append(_ping_reply("case_line", title=title, date=listed.due, standing=where))
    if not lines:
        lines.append(_ping_reply("case_none"))
    return [_ping_reply("case_title", parts=tuple(lines), case=pressed.case or "")]


def _standing_reply(days_left: int) -> Reply:
    if days_left > 0:
        return _ping_reply("in_days", days=Count(days_left))
    if days_left == 0:
        return _ping_reply("today")
    return _ping_reply("overdue", days=Count(-days_left))
