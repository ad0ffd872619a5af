"""`stifinder cases add|event` and `stifinder deadlines`: cases and their deadlines from the command line.

Each command is one unit of work on the database of STIFINDER_DATABASE_URL (or database.url). A
mistake in the input is one line on stderr and exit code 2; a refused case reference is never
repeated back, because it may be a CPR number or a name. The parser is built for every command,
so the database, reminders and dialogs are imported only when one of these commands runs.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from collections.abc import Awaitable, Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar
from zoneinfo import ZoneInfo

from bot.config import Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from reminders import Rule, StoredDeadline

T = TypeVar("T")


def add_parsers(sub: Any) -> None:
    """Add the `cases` and `deadlines` subcommands to the top-level subparsers."""
    cases = sub.add_parser("cases", help="add pseudonymous cases and record their events")
    cases_sub = cases.add_subparsers(dest="cases_command", required=True)
    add = cases_sub.add_parser("add", help="open a case under a pseudonymous reference such as S-14")
    add.add_argument("reference", metavar="REF")
    add.add_argument("--caseworker", type=int, metavar="ID", help="the id of the caseworker who has the case")
    add.set_defaults(func=cases_add)
    event = cases_sub.add_parser("event", help="record an event of a case and recompute its deadlines",
                                 description="KIND is an event kind such as henvendelse, behandling_startet or "
                                 "udskrevet_faerdigbehandlet (docs/reminders.md lists them; an unknown KIND "
                                 "is answered with the list).")
    event.add_argument("reference", metavar="REF")
    event.add_argument("kind", metavar="KIND")
    event.add_argument("--date", required=True, metavar="YYYY-MM-DD", help="the day it happened (local time)")
    event.add_argument("--deadline", metavar="RULE",
                       help="record it for this deadline of the case (a rule id such as opfoelgning_6_maaneder): "
                       "it meets that deadline and no other")
    event.set_defaults(func=cases_event)
    for name, verb in (("close", "close a case: it keeps its history and its deadlines stop reminding"),
                       ("reopen", "reopen a closed case with its history: its open deadlines remind again")):
        command = cases_sub.add_parser(name, help=verb)
        command.add_argument("reference", metavar="REF")
        command.set_defaults(func=cases_close if name == "close" else cases_reopen)

    deadlines = sub.add_parser("deadlines", help="list the deadlines of one case or of all cases")
    deadlines.add_argument("--case", metavar="REF", help="only this case")
    deadlines.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    deadlines.add_argument("--today", metavar="YYYY-MM-DD",
                           help="work out open/overdue as of this day (default: today in the configured time zone)")
    deadlines.set_defaults(func=show_deadlines)


def cases_add(args: argparse.Namespace, settings: Settings) -> int:
    """Open a case."""
    from reminders import SystemClock, add_case

    async def work(session: AsyncSession) -> str:
        case = await add_case(session, args.reference, SystemClock().now(), caseworker_id=args.caseworker)
        return case.reference

    reference = _run(settings, "cases add", work)
    if reference is None:
        return 2
    print(f"case {reference} added")
    return 0


def cases_event(args: argparse.Namespace, settings: Settings) -> int:
    """Record an event and recompute the case's deadlines; say which deadline it met, or that it met none."""
    from bot.reminders_config import load_reminders_config
    from reminders import (CaseError, EventKind, Recorded, Status, SystemClock, Target, case_events, get_case,
                           load_rules, local_today, record_event, due_dates)

    try:
        kind = EventKind(args.kind)
    except ValueError:
        names = ", ".join(item.value for item in EventKind)
        return _fail("cases event", f"unknown event kind {args.kind!r}; KIND is one of: {names}")
    on = _parse_day(args.date)
    if on is None:
        return _fail("cases event", "--date must be a calendar date written YYYY-MM-DD, e.g. 2026-11-03")
    clock = SystemClock()
    today = local_today(clock, ZoneInfo(settings.timezone))
    if on > today:
        return _fail("cases event", "--date lies in the future: record an event when it has happened")
    rules = load_rules()
    policy = load_reminders_config(settings).policy  # plan with the configured ping hour and offsets
    by_id = {rule.id: rule for rule in rules}
    if args.deadline is not None:
        rule = by_id.get(args.deadline)
        if rule is None:
            return _fail("cases event", f"unknown deadline {args.deadline!r}; RULE is one of: {', '.join(by_id)}")
        if kind not in rule.met_by:
            return _fail("cases event", f"{kind.value} does not meet {rule.id}; it is met by: "
                         + ", ".join(item.value for item in rule.met_by))

    async def work(session: AsyncSession) -> tuple[str, Recorded]:
        case = await get_case(session, args.reference)
        target = None
        if args.deadline is not None:
            open_ones = [d for d in due_dates(await case_events(session, case), rules, today)
                         if d.rule.id == args.deadline and d.state is Status.OPEN]
            if not open_ones:
                raise CaseError(f"case {case.reference} has no open {args.deadline} deadline")
            target = Target(args.deadline, open_ones[0].anchor.id)  # the one due first
        return case.reference, await record_event(session, case, kind, on, clock.now(), rules, today, policy,
                                                  target=target)

    result = _run(settings, "cases event", work)
    if result is None:
        return 2
    reference, recorded = result
    still_open = sum(1 for d in recorded.deadlines if d.status in (Status.OPEN, Status.OVERDUE))
    print(f"case {reference}: {kind.value} on {on.isoformat()} recorded; {still_open} deadline(s) open")
    for deadline in recorded.closed:
        print(f"  it {'meets' if deadline.state is Status.MET else 'cancels'} {deadline.rule.id} "
              f"(due {deadline.due.isoformat()})")
    if recorded.met_nothing:
        print("  it meets no deadline")
        for deadline in recorded.not_yet:
            assert deadline.opens is not None
            print(f"  {deadline.rule.id} (due {deadline.due.isoformat()}) is met only from "
                  f"{deadline.opens.isoformat()}: record the {kind.value} that is held then")
    return 0


def cases_close(args: argparse.Namespace, settings: Settings) -> int:
    """Close a case."""
    from bot.reminders_config import load_reminders_config
    from reminders import SystemClock, get_case
    from reminders.closing import close_case

    policy = load_reminders_config(settings).policy

    async def work(session: AsyncSession) -> tuple[str, bool]:
        case = await get_case(session, args.reference)
        return case.reference, await close_case(session, case, SystemClock().now(), policy)

    result = _run(settings, "cases close", work)
    if result is None:
        return 2
    reference, changed = result
    print(f"case {reference} closed" if changed else f"case {reference} was closed already")
    return 0


def cases_reopen(args: argparse.Namespace, settings: Settings) -> int:
    """Reopen a closed case with its history."""
    from bot.reminders_config import load_reminders_config
    from reminders import Status, SystemClock, get_case, list_deadlines, load_rules, local_today
    from reminders.closing import reopen_case

    clock = SystemClock()
    today = local_today(clock, ZoneInfo(settings.timezone))

    policy = load_reminders_config(settings).policy

    async def work(session: AsyncSession) -> tuple[str, bool, int]:
        case = await get_case(session, args.reference)
        changed = await reopen_case(session, case, load_rules(), today, clock.now(), policy)
        still_open = sum(1 for d in await list_deadlines(session, case.reference) if not d.informational
                         and d.status(today) in (Status.OPEN, Status.OVERDUE))
        return case.reference, changed, still_open

    result = _run(settings, "cases reopen", work)
    if result is None:
        return 2
    reference, changed, still_open = result
    print(f"case {reference} reopened; {still_open} deadline(s) open" if changed else f"case {reference} is open")
    return 0


def show_deadlines(args: argparse.Namespace, settings: Settings) -> int:
    """Print the stored deadlines as text or JSON."""
    from reminders import SystemClock, list_deadlines, load_rules, local_today

    if args.today is None:
        today = local_today(SystemClock(), ZoneInfo(settings.timezone))
    else:
        parsed = _parse_day(args.today)
        if parsed is None:
            return _fail("deadlines", "--today must be a calendar date written YYYY-MM-DD")
        today = parsed
    rules = {rule.id: rule for rule in load_rules()}

    async def work(session: AsyncSession) -> list[StoredDeadline]:
        return await list_deadlines(session, args.case)

    found = _run(settings, "deadlines", work)
    if found is None:
        return 2
    if args.json:
        print(json.dumps([_as_json(d, rules.get(d.rule_id), today) for d in found], ensure_ascii=False, indent=2))
    elif not found:
        from reminders import load_labels

        print(load_labels().phrase("none"))
    else:
        print("\n\n".join(_as_text(d, rules.get(d.rule_id), today) for d in found))
    return 0


def _as_json(deadline: StoredDeadline, rule: Rule | None, today: date) -> dict[str, object]:
    """One deadline as a JSON object."""
    return {
        "case": deadline.case,
        "kind": deadline.anchor_kind.value,
        "anchor_date": deadline.anchor_on.isoformat(),
        "rule": deadline.rule_id,
        "title": rule.title.da if rule else None,
        "due": deadline.due.isoformat(),
        "status": deadline.status(today).value,
        "days_left": (deadline.due - today).days,
        "closed_on": deadline.closed_on.isoformat() if deadline.closed_on else None,
        "opens": opens.isoformat() if (opens := rule.opens(deadline.due) if rule else None) else None,
        "counted_from": _counted_from(deadline, rule),
        "informational": deadline.informational,
        "source": rule.source if rule else None,
        "legal_basis": rule.legal_basis if rule else None,
    }


def _as_text(deadline: StoredDeadline, rule: Rule | None, today: date) -> str:
    """One deadline as a few Danish lines: what, when and where it stands, what started it, its source."""
    from dialogs import days, long_date
    from reminders import Status, load_labels

    labels = load_labels()
    status = deadline.status(today)
    left = (deadline.due - today).days
    title = rule.title.da if rule else deadline.rule_id
    if deadline.informational:
        title += f" ({labels.phrase('informational')})"
    if status is Status.OPEN:
        standing = labels.status(status) + ", " + (labels.phrase("today") if left == 0
                                                    else labels.phrase("in_days", days=days(left, "da")))
    elif status is Status.OVERDUE:
        standing = labels.phrase("overdue_by", days=days(-left, "da"))
    elif deadline.closed_on is not None:
        standing = f"{labels.status(status)} {long_date(deadline.closed_on, 'da')}"
    else:
        standing = f"{labels.status(status)}, {labels.phrase('expired')}"
    due_line = f"  {labels.phrase('due')}: {long_date(deadline.due, 'da')} · {standing}"
    opens = rule.opens(deadline.due) if rule else None
    if opens is not None and status in (Status.OPEN, Status.OVERDUE):
        due_line += " · " + labels.phrase("opens", date=long_date(opens, "da"))
    lines = [
        f"{deadline.case}  {title}",
        due_line,
        f"  {labels.phrase('started_by')}: {labels.kind(deadline.anchor_kind)} {long_date(deadline.anchor_on, 'da')}",
    ]
    if rule is not None and rule.receipt:
        if deadline.received_on is not None:
            lines.append("  " + labels.phrase("counted_from_receipt", date=long_date(deadline.received_on, "da")))
        else:
            delivery = rule.delivery.count if rule.delivery else 0
            lines.append("  " + labels.phrase("counted_from_sent", date=long_date(deadline.anchor_on, "da"),
                                              days=days(delivery, "da")))
    if rule:
        lines.append(f"  {labels.phrase('source')}: {rule.source} · {rule.legal_basis}")
    return "\n".join(lines)


def _counted_from(deadline: StoredDeadline, rule: Rule | None) -> dict[str, object] | None:
    """For a period that counts from the citizen's receipt: the day it counts from, and whether the receipt
    was recorded or the sent day plus the delivery time stands in for it."""
    if rule is None or not rule.receipt:
        return None
    if deadline.received_on is not None:
        return {"day": deadline.received_on.isoformat(), "received": True}
    delivery = rule.delivery.count if rule.delivery else 0
    return {"day": (rule.delivery.after(deadline.anchor_on) if rule.delivery else deadline.anchor_on).isoformat(),
            "received": False, "sent": deadline.anchor_on.isoformat(), "delivery_days": delivery}


def _run(settings: Settings, command: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T | None:
    """Run one unit of work on the database; report an expected mistake and return None."""
    from sqlalchemy.exc import SQLAlchemyError

    from bot.storage import in_one_transaction
    from reminders import CaseError, RefusedReference

    try:
        return asyncio.run(in_one_transaction(settings.database_url, work))
    except (RefusedReference, CaseError) as exc:
        _fail(command, str(exc))
        return None
    except (OSError, SQLAlchemyError) as exc:
        # The URL may hold a password: name the kind of failure only.
        print(f"stifinder {command}: cannot use the database ({exc.__class__.__name__}); "
              "check STIFINDER_DATABASE_URL or database.url", file=sys.stderr)
        raise SystemExit(1) from None


def _parse_day(text: str) -> date | None:
    """Read a YYYY-MM-DD date, or None when it is not one."""
    try:
        return date.fromisoformat(text) if len(text) == 10 else None
    except ValueError:
        return None


def _fail(command: str, message: str) -> int:
    """Print one line on stderr and return the usage exit code."""
    print(f"stifinder {command}: {message}", file=sys.stderr)
    return 2
