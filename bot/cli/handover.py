"""`stifinder handover status [--at ISO-DATETIME] [--json]`: whether the counsellors are there, and when next,
how many are on duty and how many chats wait.

The hours come from config.yml's `handover:` section, the rest from the database; nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.config import ConfigError, Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


def add_parsers(sub: Any) -> None:
    """Add the `handover` subcommand to the top-level subparsers."""
    handover = sub.add_parser("handover", help="the handover to a counsellor: opening hours")
    handover_sub = handover.add_subparsers(dest="handover_command", required=True)
    status = handover_sub.add_parser("status", help="open now or not, until when, the next opening, counsellors on "
                                                    "duty and chats waiting")
    status.add_argument("--at", metavar="ISO-DATETIME",
                        help="another moment than now, e.g. 2026-12-24T10:00 (config.yml's timezone unless an "
                             "offset is given)")
    status.add_argument("--json", action="store_true", help="print JSON instead of text")
    status.set_defaults(func=handover_status)


def handover_status(args: argparse.Namespace, settings: Settings) -> int:
    """Print whether the counsellors are there at the moment, until when, and when they are next."""
    from bot.handover_settings import load_handover_settings

    zone = ZoneInfo(settings.timezone)
    try:
        at = datetime.fromisoformat(args.at) if args.at else datetime.now(timezone.utc)
    except ValueError:
        print("stifinder handover status: --at must be an ISO date and time, e.g. 2026-12-24T10:00", file=sys.stderr)
        return 2
    at = at.replace(tzinfo=zone) if at.tzinfo is None else at
    try:
        handover = load_handover_settings(settings)
    except ConfigError as exc:
        print(f"stifinder handover status: {exc}", file=sys.stderr)
        return 2
    if handover is None:
        print(f"stifinder handover status: {settings.path.name} has no 'handover:' section, so nobody is there to "
              "hand over to (docs/handover.md)", file=sys.stderr)
        return 2
    from bot.cli.cases import _run
    from handover import counsellors_on_duty, waiting_count

    async def work(session: AsyncSession) -> tuple[int, int]:
        return len(await counsellors_on_duty(session)), await waiting_count(session)

    counted = _run(settings, "handover status", work)
    if counted is None:
        return 2
    on_duty, waiting = counted
    hours = handover.hours
    closes, opens = hours.closes_at(at), hours.next_opening(at)
    local = at.astimezone(hours.tz)
    status = {
        "at": local.isoformat(timespec="minutes"),
        "open": closes is not None,
        "closes_at": closes.isoformat(timespec="minutes") if closes else None,
        "next_opening": opens.isoformat(timespec="minutes") if opens else None,
        "holiday": hours.holiday(local.date()),
        "timezone": str(hours.tz),
        "counsellors_on_duty": on_duty,
        "waiting": waiting,
    }
    if args.json:
        print(json.dumps(status, ensure_ascii=False, indent=2))
        return 0
    now = f"open until {closes:%H:%M}" if closes else "closed"
    holiday = f" ({status['holiday']})" if status["holiday"] else ""
    print(f"{local:%a %Y-%m-%d %H:%M} {hours.tz}{holiday}: {now}")
    print(f"next opening: {opens:%a %Y-%m-%d %H:%M}" if opens else "next opening: none within 60 days")
    print(f"counsellors on duty: {on_duty}; chats waiting: {waiting}")
    return 0
