"""`stifinder reminders due --at ISO-DATETIME [--json]`: which reminders would go out at an instant.

A dry run on the database of STIFINDER_DATABASE_URL (or database.url): in one transaction that is
rolled back, every open deadline is planned as of AT (config.yml `reminders:`), and the unsent
reminders due at or before AT whose deadline is open and non-informational are listed, oldest
first: what a dispatcher starting at AT would send (at most one per deadline, since passed slots
collapse into the latest). Nothing is written and nothing is sent.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.config import ConfigError, Settings


def add_parsers(sub: Any) -> None:
    """Add the `reminders` subcommand to the top-level subparsers."""
    reminders = sub.add_parser("reminders", help="inspect caseworker reminders")
    reminders_sub = reminders.add_subparsers(dest="reminders_command", required=True)
    due = reminders_sub.add_parser("due", help="list the reminders that would be sent at an instant (dry run)")
    due.add_argument("--at", required=True, metavar="ISO-DATETIME",
                     help="e.g. 2026-12-01T08:00 (local time of config.yml's timezone unless an offset is given)")
    due.add_argument("--json", action="store_true", help="print a JSON list instead of text")
    due.set_defaults(func=reminders_due)


def reminders_due(args: argparse.Namespace, settings: Settings) -> int:
    """Print the reminders due at --at, after planning as of then."""
    try:
        at = datetime.fromisoformat(args.at)
    except ValueError:
        print("stifinder reminders due: --at must be an ISO date and time, e.g. 2026-12-01T08:00", file=sys.stderr)
        return 2
    if at.tzinfo is None:
        at = at.replace(tzinfo=ZoneInfo(settings.timezone))
    from bot.reminders_config import load_reminders_config

    try:
        config = load_reminders_config(settings)
    except ConfigError as exc:
        print(f"stifinder reminders due: {exc}", file=sys.stderr)
        return 2
    found = asyncio.run(_due(settings, at, config.policy))
    if args.json:
        print(json.dumps(found, ensure_ascii=False, indent=2))
    elif not found:
        print("no reminders due")
    else:
        for item in found:
            print(f"{item['due_at']}  {item['case']}  {item['rule']}  {item['slot']}  "
                  f"(deadline {item['deadline_due']}, caseworker {item['caseworker']})")
    return 0


async def _due(settings: Settings, at: datetime, policy: Any) -> list[dict[str, object]]:
    from sqlalchemy import select

    from bot.storage import open_database
    from reminders import CaseRecord, CaseworkerRecord, DeadlineRecord, ReminderRecord
    from reminders.leases import claimable
    from reminders.planner import plan_all

    engine, sessions = await open_database(settings.database_url)
    try:
        async with sessions() as session:
            transaction = await session.begin()
            try:
                await plan_all(session, at, policy)
                rows = (await session.execute(
                    select(ReminderRecord.id, ReminderRecord.slot, ReminderRecord.due_at, DeadlineRecord.rule_id,
                           DeadlineRecord.due_on, CaseRecord.reference, CaseRecord.caseworker_id,
                           CaseworkerRecord.telegram_user_id.is_not(None))
                    .join(DeadlineRecord, DeadlineRecord.id == ReminderRecord.deadline_id)
                    .join(CaseRecord, CaseRecord.id == DeadlineRecord.case_id)
                    .outerjoin(CaseworkerRecord, CaseworkerRecord.id == CaseRecord.caseworker_id)
                    .where(claimable(ReminderRecord, at), DeadlineRecord.state == "open",
                           DeadlineRecord.informational.is_(False), CaseRecord.closed_at.is_(None))
                    .order_by(ReminderRecord.due_at, ReminderRecord.id))).all()
            finally:
                await transaction.rollback()  # a dry run: the plan made here is not kept
    finally:
        await engine.dispose()
    tz = ZoneInfo(settings.timezone)
    return [{"case": reference, "rule": rule_id, "slot": slot, "due_at": due_at.astimezone(tz).isoformat(),
             "deadline_due": due_on.isoformat(), "caseworker": caseworker, "registered": bool(registered)}
            for _, slot, due_at, rule_id, due_on, reference, caseworker, registered in rows]
