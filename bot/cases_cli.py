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
    event.set_defaults(func=cases_event)

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
    """Record an event and recompute the case's deadlines."""
    from reminders import (COMPLETION_KINDS, ISSUE_KINDS, EventKind, Status, SystemClock, add_event, get_case,
                           load_rules, local_today, refresh_deadlines)

    try:
        kind = EventKind(args.kind)
    except ValueError:
        names = ", ".join(item.value for item in (*ISSUE_KINDS, *COMPLETION_KINDS))
        return _fail("cases event", f"unknown event kind {args.kind!r}; KIND is one of: {names}")
    on = _parse_day(args.date)
    if on is None:
        return _fail("cases event", "--date must be a calendar date written YYYY-MM-DD, e.g. 2026-11-03")
    clock = SystemClock()
    today = local_today(clock, ZoneInfo(settings.timezone))
    if on > today:
        return _fail("cases event", "--date lies in the future: record an event when it has happened")
    rules = load_rules()

    async def work(session: AsyncSession) -> tuple[str, int]:
        case = await get_case(session, args.reference)
        await add_event(session, case, kind, on, clock.now())
        deadlines = await refresh_deadlines(session, case, rules, today, clock.now())
        return case.reference, sum(1 for d in deadlines if d.status in (Status.OPEN, Status.OVERDUE))

    result = _run(settings, "cases event", work)
    if result is None:
        return 2
    reference, still_open = result
    print(f"case {reference}: {kind.value} on {on.isoformat()} recorded; {still_open} deadline(s) open")
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
    lines = [
        f"{deadline.case}  {title}",
        f"  {labels.phrase('due')}: {long_date(deadline.due, 'da')} · {standing}",
        f"  {labels.phrase('started_by')}: {labels.kind(deadline.anchor_kind)} {long_date(deadline.anchor_on, 'da')}",
    ]
    if rule:
        lines.append(f"  {labels.phrase('source')}: {rule.source} · {rule.legal_basis}")
    return "\n".join(lines)


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
