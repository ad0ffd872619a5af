"""The caseworker's case commands: /ny_sag, /haendelse, /frister, /luk, /sager, and the confirm button.

Each function works inside the caller's unit of work for one registered caseworker and returns the
messages to send (no channel here). A caseworker reaches only their own and their team's cases
(reminders.access); a reference that looks like a CPR number or a name is refused with a reason and
never repeated back. Nothing of what the caseworker wrote is stored: only cases, event kinds and days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.i18n import days, long_date
from dialogs.caseworker.texts import say
from dialogs.turn import Button, Outgoing
from nlu import fold
from reminders import (CaseRecord, CaseworkerRecord, DuplicateCase, EventKind, Labels, Refusal, RefusedReference,
                       Recorded, Rule, Status, StoredDeadline, UnknownCase, add_case, case_events, check_reference,
                       refresh_deadlines)
from reminders import record_event as record_and_refresh
from reminders.access import visible_case, visible_cases, visible_deadlines
from reminders.closing import close_case, reopen_case
from reminders.dates import parse_day

CONFIRM = "cw:ev:"
CANCEL = "cw:no"
KINDS: tuple[EventKind, ...] = tuple(EventKind)


@dataclass(frozen=True, slots=True)
class CaseDeps:
    """What the case commands read: the deadline rules and the labels of kinds and statuses."""

    rules: tuple[Rule, ...]
    labels: Labels
    titles: dict[str, tuple[str, str]] = field(default_factory=dict)  # rule id → (da, en)

    @classmethod
    def of(cls, rules: tuple[Rule, ...], labels: Labels) -> CaseDeps:
        return cls(rules=rules, labels=labels, titles={r.id: (r.title.da, r.title.en) for r in rules})

    def title(self, rule_id: str, lang: str) -> str:
        da, en = self.titles.get(rule_id, (rule_id, rule_id))
        return en if lang == "en" else da


@dataclass(frozen=True, slots=True)
class Result:
    """What a command answers, and the case it was about (remembered as the conversation's last case)."""

    messages: tuple[Outgoing, ...]
    case: str | None = None


def one(key: str, text: str, case: str | None = None, buttons: tuple[Button, ...] = ()) -> Result:
    """Return a one-message result."""
    return Result((Outgoing(key=key, text=text, buttons=buttons),), case)


def refusal(exc: RefusedReference, lang: str) -> Result:
    """Say why a reference was refused, never repeating it."""
    key = {Refusal.CPR: "refused_cpr", Refusal.NAME: "refused_name"}.get(exc.reason, "refused_format")
    return one(key, say(lang, key))


def kind_names() -> str:
    """Return the event kinds as the caseworker types them."""
    return ", ".join(kind.value for kind in KINDS)


def parse_kind(word: str) -> EventKind | None:
    """Read an event kind: its identifier, with æ/ø/å or ae/oe/aa, or an unambiguous part of it ("startet")."""
    key = fold(word.strip().lower()).replace("-", "_")
    if not key:
        return None
    for kind in KINDS:
        if kind.value == key:
            return kind
    matches = [kind for kind in KINDS if key in kind.value.split("_") or kind.value.startswith(key)]
    return matches[0] if len(matches) == 1 else None


def confirm_payload(reference: str, kind: EventKind, day: date) -> str:
    """Return the confirm button's payload: cw:ev:<ref>:<kind index>:<yyyymmdd> (at most 50 bytes)."""
    return f"{CONFIRM}{reference}:{KINDS.index(kind)}:{day:%Y%m%d}"


def read_confirm(payload: str) -> tuple[str, EventKind, date] | None:
    """Read a confirm payload back, or None when it is malformed."""
    parts = payload.removeprefix(CONFIRM).split(":")
    if len(parts) != 3 or not parts[1].isdigit() or int(parts[1]) >= len(KINDS) or len(parts[2]) != 8:
        return None
    try:
        day = date(int(parts[2][:4]), int(parts[2][4:6]), int(parts[2][6:]))
    except ValueError:
        return None
    return parts[0], KINDS[int(parts[1])], day


async def new_case(session: AsyncSession, who: CaseworkerRecord, args: list[str], lang: str,
                   now: datetime) -> Result:
    """Open a case under a pseudonymous reference for the caseworker (/ny_sag REF)."""
    if len(args) != 1:
        return one("usage_ny_sag", say(lang, "usage_ny_sag"))
    try:
        case = await add_case(session, args[0], now, caseworker_id=who.id)
    except RefusedReference as exc:
        return refusal(exc, lang)
    except DuplicateCase:
        reference = check_reference(args[0])
        return one("case_exists", say(lang, "case_exists", case=reference))
    return one("case_created", say(lang, "case_created", case=case.reference), case.reference)


async def record_event(session: AsyncSession, who: CaseworkerRecord, args: list[str], lang: str, now: datetime,
                       today: date, deps: CaseDeps) -> Result:
    """Record an event in a visible case and recompute its deadlines (/haendelse REF KIND [DATE])."""
    if len(args) < 2:
        return one("usage_haendelse", say(lang, "usage_haendelse", kinds=kind_names()))
    kind = parse_kind(args[1])
    if kind is None:
        return one("unknown_kind", say(lang, "unknown_kind", kinds=kind_names()))
    day = today if len(args) == 2 else parse_day(" ".join(args[2:]), today)
    if day is None:
        return one("bad_date", say(lang, "bad_date"))
    return await record(session, who, args[0], kind, day, lang, now, today, deps)


async def record(session: AsyncSession, who: CaseworkerRecord, reference: str, kind: EventKind, day: date, lang: str,
                 now: datetime, today: date, deps: CaseDeps) -> Result:
    """Record one event (from a command or a confirmed proposal) and list the case's open deadlines."""
    if day > today:
        return one("future_date", say(lang, "future_date"))
    found = await _visible(session, who, reference, lang)
    if isinstance(found, Result):
        return found
    if found.closed_at is not None:
        return one("case_is_closed", say(lang, "case_is_closed", case=found.reference), found.reference)
    outcome = ""
    if not any(event.kind is kind and event.on == day for event in await case_events(session, found)):
        # The same kind on the same day twice is a double press (or a repeat), not a second event.
        outcome = _what_it_met(await record_and_refresh(session, found, kind, day, now, deps.rules, today), lang, deps)
    else:
        await refresh_deadlines(session, found, deps.rules, today, now)
    recorded = say(lang, "event_recorded", case=found.reference, kind=deps.labels.kind(kind, lang),
                   date=long_date(day, lang))
    listing = await _deadline_text(session, who, found.reference, lang, today, deps)
    return one("event_recorded", recorded + outcome + "\n\n" + listing, found.reference)


def _what_it_met(recorded: Recorded, lang: str, deps: CaseDeps) -> str:
    """The deadline the event met, or that it met none (and from when the waiting one can be met)."""
    lines = [say(lang, "event_meets", title=d.rule.title.get(lang)) for d in recorded.closed
             if d.state is Status.MET]
    if recorded.met_nothing:
        lines.append(say(lang, "event_meets_nothing"))
        lines += [say(lang, "event_not_yet", title=d.rule.title.get(lang), due=long_date(d.due, lang),
                      opens=long_date(d.opens, lang), kind=deps.labels.kind(recorded.event.kind, lang))
                  for d in recorded.not_yet if d.opens is not None]
    return "".join(" " + line for line in lines)


async def show_deadlines(session: AsyncSession, who: CaseworkerRecord, args: list[str], lang: str, today: date,
                         deps: CaseDeps) -> Result:
    """List the open deadlines of the caseworker's and their team's cases, or of one case (/frister [REF])."""
    reference = args[0] if args else None
    if reference is not None:
        found = await _visible(session, who, reference, lang)
        if isinstance(found, Result):
            return found
        reference = found.reference
    return one("deadlines", await _deadline_text(session, who, reference, lang, today, deps), reference)


async def close(session: AsyncSession, who: CaseworkerRecord, args: list[str], lang: str, now: datetime) -> Result:
    """Close a visible case: its deadlines stop reminding (/luk REF)."""
    if len(args) != 1:
        return one("usage_luk", say(lang, "usage_luk"))
    found = await _visible(session, who, args[0], lang)
    if isinstance(found, Result):
        return found
    if not await close_case(session, found, now):
        return one("case_already_closed", say(lang, "case_already_closed", case=found.reference))
    return one("case_closed", say(lang, "case_closed", case=found.reference))


async def reopen(session: AsyncSession, who: CaseworkerRecord, args: list[str], lang: str, now: datetime, today: date,
                 deps: CaseDeps) -> Result:
    """Reopen a visible closed case with its history; list its open deadlines (/genaabn REF)."""
    if len(args) != 1:
        return one("usage_genaabn", say(lang, "usage_genaabn"))
    found = await _visible(session, who, args[0], lang)
    if isinstance(found, Result):
        return found
    if not await reopen_case(session, found, deps.rules, today, now):
        return one("case_not_closed", say(lang, "case_not_closed", case=found.reference), found.reference)
    listing = await _deadline_text(session, who, found.reference, lang, today, deps)
    return one("case_reopened", say(lang, "case_reopened", case=found.reference) + "\n\n" + listing, found.reference)


async def list_cases(session: AsyncSession, who: CaseworkerRecord, lang: str, today: date) -> Result:
    """List the open cases the caseworker sees, each with its number of open deadlines (/sager)."""
    cases = await visible_cases(session, who)
    if not cases:
        return one("cases_none", say(lang, "cases_none"))
    counts: dict[str, int] = {case.reference: 0 for case in cases}
    for deadline in await visible_deadlines(session, who):
        if deadline.status(today) in (Status.OPEN, Status.OVERDUE):
            counts[deadline.case] = counts.get(deadline.case, 0) + 1
    lines = [say(lang, "cases_header")]
    lines += [say(lang, "cases_line", case=reference, count=str(count)) for reference, count in counts.items()]
    return one("cases", "\n".join(lines))


async def _visible(session: AsyncSession, who: CaseworkerRecord, reference: str, lang: str) -> CaseRecord | Result:
    """Return the visible case, or the message that says why not."""
    try:
        return await visible_case(session, who, reference)
    except RefusedReference as exc:
        return refusal(exc, lang)
    except UnknownCase:
        normalised = check_reference(reference)
        return one("case_unknown", say(lang, "case_unknown", case=normalised))


async def _deadline_text(session: AsyncSession, who: CaseworkerRecord, reference: str | None, lang: str, today: date,
                         deps: CaseDeps) -> str:
    """Render the open and overdue deadlines (of one case or of all visible ones)."""
    rows = [d for d in await visible_deadlines(session, who, reference)
            if not d.informational and d.status(today) in (Status.OPEN, Status.OVERDUE)]
    if not rows:
        return say(lang, "deadlines_none")
    return "\n\n".join([say(lang, "deadlines_header")] + [_line(d, lang, today, deps) for d in rows])


def _line(deadline: StoredDeadline, lang: str, today: date, deps: CaseDeps) -> str:
    left = (deadline.due - today).days
    if left > 0:
        standing = say(lang, "standing_in", days=days(left, lang))
    elif left == 0:
        standing = say(lang, "standing_today")
    else:
        standing = say(lang, "standing_overdue", days=days(-left, lang))
    line = say(lang, "deadline_line", case=deadline.case, title=deps.title(deadline.rule_id, lang),
               due=long_date(deadline.due, lang), standing=standing)
    rule = next((r for r in deps.rules if r.id == deadline.rule_id), None)
    opens = rule.opens(deadline.due) if rule is not None else None
    if opens is not None and opens > today:
        line += " · " + say(lang, "deadline_opens", date=long_date(opens, lang))
    return line
