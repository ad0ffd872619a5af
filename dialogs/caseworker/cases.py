"""The caseworker's case commands: /ny_sag, /haendelse, /frister, /luk, /sager, and the confirm button.

Each function works inside the turn's unit of work for one registered caseworker and returns the
replies to render (no channel here). A caseworker reaches only their own and their team's cases
(reminders.access); a reference that looks like a CPR number or a name is refused with a reason and
never repeated back. Nothing of what the caseworker wrote is stored: only cases, event kinds and days.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.caseworker.texts import DOMAIN
from dialogs.turn import Button, Count, Param, Reply
from nlu import fold
from reminders import (CaseRecord, CaseworkerRecord, DuplicateCase, EventKind, Labels, Refusal, RefusedReference,
                       Recorded, Rule, Status, StoredDeadline, Text, UnknownCase, add_case, case_events, check_reference,
                       refresh_deadlines)
from reminders import record_event as record_and_refresh
from reminders.access import visible_case, visible_cases, visible_deadlines
from reminders.closing import close_case, reopen_case
from reminders.dates import parse_day
from reminders.planner import ReminderPolicy

CONFIRM = "cw:ev:"
CANCEL = "cw:no"
KINDS: tuple[EventKind, ...] = tuple(EventKind)


@dataclass(frozen=True, slots=True)
class CaseDeps:
    """What the case commands read: the deadline rules and the labels of kinds and statuses."""

    rules: tuple[Rule, ...]
    labels: Labels
    titles: dict[str, tuple[str, str]] = field(default_factory=dict)  # rule id → (da, en)
    policy: ReminderPolicy | None = None  # the configured reminder plan (None: the default plan)

    @classmethod
    def of(cls, rules: tuple[Rule, ...], labels: Labels, policy: ReminderPolicy | None = None) -> CaseDeps:
        return cls(rules=rules, labels=labels, titles={r.id: (r.title.da, r.title.en) for r in rules}, policy=policy)

    def title(self, rule_id: str) -> Text:
        da, en = self.titles.get(rule_id, (rule_id, rule_id))
        return Text(da, en)

    def kind(self, kind: EventKind) -> Text:
        """An event kind's label in both languages."""
        return Text(self.labels.kind(kind, "da"), self.labels.kind(kind, "en"))


@dataclass(frozen=True, slots=True)
class Result:
    """What a command answers, and the case it was about (remembered as the conversation's last case)."""

    reply: Reply
    case: str | None = None


def say(key: str, glue: str = "\n\n", parts: tuple[Reply, ...] = (), buttons: tuple[Button, ...] = (),
        **params: Param) -> Reply:
    """A reply of the caseworker domain."""
    return Reply(key, dict(params), buttons=buttons, parts=parts, domain=DOMAIN, glue=glue)


def one(key: str, remember: str | None = None, buttons: tuple[Button, ...] = (), **params: Param) -> Result:
    """Return a one-message result (`remember`: the case it was about)."""
    return Result(Reply(key, dict(params), buttons=buttons, domain=DOMAIN), remember)


def refusal(exc: RefusedReference) -> Result:
    """Say why a reference was refused, never repeating it."""
    key = {Refusal.CPR: "refused_cpr", Refusal.NAME: "refused_name"}.get(exc.reason, "refused_format")
    return one(key)


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


async def new_case(session: AsyncSession, who: CaseworkerRecord, args: list[str], now: datetime) -> Result:
    """Open a case under a pseudonymous reference for the caseworker (/ny_sag REF)."""
    if len(args) != 1:
        return one("usage_ny_sag")
    try:
        case = await add_case(session, args[0], now, caseworker_id=who.id)
    except RefusedReference as exc:
        return refusal(exc)
    except DuplicateCase:
        return one("case_exists", case=check_reference(args[0]))
    return one("case_created", case.reference, case=case.reference)


async def record_event(session: AsyncSession, who: CaseworkerRecord, args: list[str], now: datetime, today: date,
                       deps: CaseDeps) -> Result:
    """Record an event in a visible case and recompute its deadlines (/haendelse REF KIND [DATE])."""
    if len(args) < 2:
        return one("usage_haendelse", kinds=kind_names())
    kind = parse_kind(args[1])
    if kind is None:
        return one("unknown_kind", kinds=kind_names())
    day = today if len(args) == 2 else parse_day(" ".join(args[2:]), today)
    if day is None:
        return one("bad_date")
    return await record(session, who, args[0], kind, day, now, today, deps)


async def record(session: AsyncSession, who: CaseworkerRecord, reference: str, kind: EventKind, day: date,
                 now: datetime, today: date, deps: CaseDeps) -> Result:
    """Record one event (from a command or a confirmed proposal) and list the case's open deadlines."""
    if day > today:
        return one("future_date")
    found = await _visible(session, who, reference)
    if isinstance(found, Result):
        return found
    if found.closed_at is not None:
        return one("case_is_closed", found.reference, case=found.reference)
    outcome: tuple[Reply, ...] = ()
    if not any(event.kind is kind and event.on == day for event in await case_events(session, found)):
        # The same kind on the same day twice is a double press (or a repeat), not a second event.
        met = await record_and_refresh(session, found, kind, day, now, deps.rules, today, deps.policy)
        outcome = _what_it_met(met, deps)
    else:
        await refresh_deadlines(session, found, deps.rules, today, now, deps.policy)
    listing = await _deadline_listing(session, who, found.reference, today, deps)
    recorded = say("event_recorded", parts=outcome + (listing,), case=found.reference, kind=deps.kind(kind), date=day)
    return Result(recorded, found.reference)


def _what_it_met(recorded: Recorded, deps: CaseDeps) -> tuple[Reply, ...]:
    """The deadline the event met, or that it met none (and from when the waiting one can be met)."""
    lines = [say("event_meets", " ", title=d.rule.title) for d in recorded.closed if d.state is Status.MET]
    if recorded.met_nothing:
        lines.append(say("event_meets_nothing", " "))
        lines += [say("event_not_yet", " ", title=d.rule.title, due=d.due, opens=d.opens,
                      kind=deps.kind(recorded.event.kind))
                  for d in recorded.not_yet if d.opens is not None]
    return tuple(lines)


async def show_deadlines(session: AsyncSession, who: CaseworkerRecord, args: list[str], today: date,
                         deps: CaseDeps) -> Result:
    """List the open deadlines of the caseworker's and their team's cases, or of one case (/frister [REF])."""
    reference = args[0] if args else None
    if reference is not None:
        found = await _visible(session, who, reference)
        if isinstance(found, Result):
            return found
        reference = found.reference
    return Result(await _deadline_listing(session, who, reference, today, deps), reference)


async def close(session: AsyncSession, who: CaseworkerRecord, args: list[str], now: datetime,
                deps: CaseDeps) -> Result:
    """Close a visible case: its deadlines stop reminding (/luk REF)."""
    if len(args) != 1:
        return one("usage_luk")
    found = await _visible(session, who, args[0])
    if isinstance(found, Result):
        return found
    if not await close_case(session, found, now, deps.policy):
        return one("case_already_closed", case=found.reference)
    return one("case_closed", case=found.reference)


async def reopen(session: AsyncSession, who: CaseworkerRecord, args: list[str], now: datetime, today: date,
                 deps: CaseDeps) -> Result:
    """Reopen a visible closed case with its history; list its open deadlines (/genaabn REF)."""
    if len(args) != 1:
        return one("usage_genaabn")
    found = await _visible(session, who, args[0])
    if isinstance(found, Result):
        return found
    if not await reopen_case(session, found, deps.rules, today, now, deps.policy):
        return one("case_not_closed", found.reference, case=found.reference)
    listing = await _deadline_listing(session, who, found.reference, today, deps)
    return Result(say("case_reopened", parts=(listing,), case=found.reference), found.reference)


async def list_cases(session: AsyncSession, who: CaseworkerRecord, today: date) -> Result:
    """List the open cases the caseworker sees, each with its number of open deadlines (/sager)."""
    cases = await visible_cases(session, who)
    if not cases:
        return one("cases_none")
    counts: dict[str, int] = {case.reference: 0 for case in cases}
    for deadline in await visible_deadlines(session, who):
        if deadline.status(today) in (Status.OPEN, Status.OVERDUE):
            counts[deadline.case] = counts.get(deadline.case, 0) + 1
    lines = tuple(say("cases_line", "\n", case=reference, count=count) for reference, count in counts.items())
    return Result(say("cases_header", parts=lines))


async def _visible(session: AsyncSession, who: CaseworkerRecord, reference: str) -> CaseRecord | Result:
    """Return the visible case, or the message that says why not."""
    try:
        return await visible_case(session, who, reference)
    except RefusedReference as exc:
        return refusal(exc)
    except UnknownCase:
        return one("case_unknown", case=check_reference(reference))


async def _deadline_listing(session: AsyncSession, who: CaseworkerRecord, reference: str | None, today: date,
                            deps: CaseDeps) -> Reply:
    """The open and overdue deadlines (of one case or of all visible ones)."""
    rows = [d for d in await visible_deadlines(session, who, reference)
            if not d.informational and d.status(today) in (Status.OPEN, Status.OVERDUE)]
    if not rows:
        return say("deadlines_none")
    return say("deadlines_header", parts=tuple(deadline_line(d, today, deps) for d in rows))


def standing(due: date, today: date) -> Reply:
    """Where a deadline stands: "om 9 dage", "i dag", "overskredet med 3 dage"."""
    left = (due - today).days
    if left > 0:
        return say("standing_in", days=Count(left))
    if left == 0:
        return say("standing_today")
    return say("standing_overdue", days=Count(-left))


def deadline_line(deadline: StoredDeadline, today: date, deps: CaseDeps) -> Reply:
    """One deadline: its case, title, due day and where it stands (and from when it can be met)."""
    rule = next((r for r in deps.rules if r.id == deadline.rule_id), None)
    opens = rule.opens(deadline.due) if rule is not None else None
    parts = (say("deadline_opens", " · ", date=opens),) if opens is not None and opens > today else ()
    return say("deadline_line", parts=parts, case=deadline.case, title=deps.title(deadline.rule_id),
               due=deadline.due, standing=standing(deadline.due, today))
