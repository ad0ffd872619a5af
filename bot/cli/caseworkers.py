"""`stifinder caseworkers invite|list` and `stifinder teams add|list`: who may use the caseworker features.

Each command is one unit of work on the database of STIFINDER_DATABASE_URL (or database.url). An
invite prints a t.me deep link with a one-time code (only its SHA-256 is stored, so it is shown
once); a team code is sent in the group as `/team CODE` by a registered caseworker of that team.
Settings come from config.yml's `caseworkers:` section; TELEGRAM_BOT_USERNAME overrides bot_username.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo


from bot.cli.cases import _fail, _run
from bot.config import ConfigError, Settings

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession

    from reminders.access import Code

USERNAME = re.compile(r"^[A-Za-z][A-Za-z0-9_]{3,31}$")


@dataclass(frozen=True, slots=True)
class CaseworkerSettings:
    """The `caseworkers:` section of config.yml."""

    bot_username: str
    invite_ttl: timedelta
    team_code_ttl: timedelta


def load_caseworker_settings(settings: Settings, environ: Mapping[str, str] | None = None) -> CaseworkerSettings:
    """Read the `caseworkers:` section (all keys optional) and TELEGRAM_BOT_USERNAME.

    Raises:
        ConfigError: a key has the wrong type or range (named, never its value).
    """
    env = os.environ if environ is None else environ
    cfg = settings.optional("caseworkers")
    username = str(env.get("TELEGRAM_BOT_USERNAME") or cfg.get("bot_username", str, "")).strip().removeprefix("@")
    if username and not USERNAME.match(username):
        raise ConfigError("caseworkers.bot_username (or TELEGRAM_BOT_USERNAME) is not a Telegram bot username")
    hours = {key: cfg.number(key, default, above=0, at_most=24 * 90)
             for key, default in (("invite_ttl_hours", 72), ("team_code_ttl_hours", 24))}
    return CaseworkerSettings(username, timedelta(hours=hours["invite_ttl_hours"]),
                              timedelta(hours=hours["team_code_ttl_hours"]))


def add_parsers(sub: Any) -> None:
    """Add the `caseworkers` and `teams` subcommands to the top-level subparsers."""
    caseworkers = sub.add_parser("caseworkers", help="invite caseworkers (one-time t.me links) and list them")
    cw_sub = caseworkers.add_subparsers(dest="caseworkers_command", required=True)
    invite = cw_sub.add_parser("invite", help="add a caseworker and print a one-time t.me invite link")
    who = invite.add_mutually_exclusive_group(required=True)
    who.add_argument("--name", metavar="N", help="the new caseworker's name (seen by administrators only)")
    who.add_argument("--id", type=int, metavar="ID", help="a new code for an existing caseworker (a new phone)")
    invite.add_argument("--team", metavar="T", help="the caseworker's team: they see the team's cases")
    invite.add_argument("--counsellor", action="store_true",
                        help="also a counsellor, who takes over citizens' chats when on duty (/vagt, /fri)")
    invite.set_defaults(func=caseworkers_invite)
    listing = cw_sub.add_parser("list", help="list caseworkers: id, name, team, registered or not")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(func=caseworkers_list)

    teams = sub.add_parser("teams", help="register Telegram groups as team chats")
    teams_sub = teams.add_subparsers(dest="teams_command", required=True)
    add = teams_sub.add_parser("add", help="print a one-time code a caseworker of TEAM sends in the group as /team CODE")
    add.add_argument("team", metavar="TEAM")
    add.set_defaults(func=teams_add)
    team_list = teams_sub.add_parser("list", help="list team-chat codes and registered team chats")
    team_list.add_argument("--json", action="store_true")
    team_list.set_defaults(func=teams_list)


def caseworkers_invite(args: argparse.Namespace, settings: Settings) -> int:
    """Add a caseworker (or take an existing one) and print the invite link and its expiry."""
    from reminders import SystemClock
    from reminders.access import AccessError, create_invite, reinvite

    try:
        config = load_caseworker_settings(settings)
    except ConfigError as exc:
        return _fail("caseworkers invite", str(exc))
    if args.id is not None and args.team is not None:
        return _fail("caseworkers invite", "--team goes with --name (a new caseworker), not with --id")
    now = SystemClock().now()

    async def work(session: AsyncSession) -> Code:
        from handover import make_counsellor

        if args.id is not None:
            code = await reinvite(session, args.id, now, config.invite_ttl)
        else:
            code = await create_invite(session, args.name, args.team, now, config.invite_ttl)
        if args.counsellor and code.caseworker_id is not None:
            await make_counsellor(session, code.caseworker_id)
        return code

    try:
        code = _run(settings, "caseworkers invite", work)
    except AccessError as exc:
        return _fail("caseworkers invite", str(exc))
    if code is None:
        return 2
    expires = _local(code.expires_at, settings)
    role = " (a counsellor: /vagt and /fri in the chat with the bot)" if args.counsellor else ""
    print(f"caseworker {code.caseworker_id}{role}: invite valid once, until {expires}")
    if config.bot_username:
        print(f"https://t.me/{config.bot_username}?start={code.code}")
    else:
        print(f"code: {code.code}")
        print("set caseworkers.bot_username in config.yml or TELEGRAM_BOT_USERNAME to print a t.me link; "
              f"meanwhile the caseworker sends /start {code.code} to the bot", file=sys.stderr)
    return 0


def caseworkers_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print every caseworker: id, name, team, and whether they have registered in Telegram."""
    from reminders.access import list_caseworkers

    async def work(session: AsyncSession) -> list[dict[str, object]]:
        return [{"id": c.id, "name": c.name, "team": c.team, "registered": c.telegram_user_id is not None,
                 "counsellor": c.counsellor, "on_duty": c.on_duty_since is not None}
                for c in await list_caseworkers(session)]

    rows = _run(settings, "caseworkers list", work)
    if rows is None:
        return 2
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
    elif not rows:
        print("no caseworkers (add one with: stifinder caseworkers invite --name N --team T)")
    for row in [] if args.json else rows:
        state = "registered" if row["registered"] else "not registered yet"
        counsellor = ("  counsellor, on duty" if row["on_duty"] else "  counsellor") if row["counsellor"] else ""
        print(f"{row['id']:>4}  {row['name']}  team: {row['team'] or '-'}  {state}{counsellor}")
    return 0


def teams_add(args: argparse.Namespace, settings: Settings) -> int:
    """Print a one-time team-chat code and what to do with it."""
    from reminders import SystemClock
    from reminders.access import AccessError, create_team_chat_code

    try:
        config = load_caseworker_settings(settings)
    except ConfigError as exc:
        return _fail("teams add", str(exc))
    now = SystemClock().now()

    async def work(session: AsyncSession) -> Code:
        return await create_team_chat_code(session, args.team, now, config.team_code_ttl)

    try:
        code = _run(settings, "teams add", work)
    except AccessError as exc:
        return _fail("teams add", str(exc))
    if code is None:
        return 2
    print(f"team {code.team}: add the bot to the team's Telegram group; then a registered caseworker of the team "
          f"sends there, once, until {_local(code.expires_at, settings)}:")
    print(f"/team {code.code}")
    return 0


def teams_list(args: argparse.Namespace, settings: Settings) -> int:
    """Print team-chat codes and registrations."""
    from reminders import SystemClock
    from reminders.access import list_team_chats

    now = SystemClock().now()

    async def work(session: AsyncSession) -> list[dict[str, object]]:
        rows: list[dict[str, object]] = []
        for chat in await list_team_chats(session):
            state = "registered" if chat.registered_at else ("expired" if chat.expires_at <= now else "waiting")
            rows.append({"team": chat.team, "state": state, "chat_id": chat.telegram_chat_id,
                         "registered_at": chat.registered_at.isoformat() if chat.registered_at else None,
                         "registered_by": chat.registered_by, "expires_at": chat.expires_at.isoformat()})
        return rows

    rows = _run(settings, "teams list", work)
    if rows is None:
        return 2
    if args.json:
        print(json.dumps(rows, ensure_ascii=False, indent=2))
        return 0
    if not rows:
        print("no team chats (add one with: stifinder teams add TEAM)")
    for row in rows:
        detail = f"chat {row['chat_id']} by caseworker {row['registered_by']}" if row["state"] == "registered" \
            else f"code valid until {row['expires_at']}"
        print(f"{row['team']}  {row['state']}  {detail}")
    return 0


def _local(instant: datetime, settings: Settings) -> str:
    """Format an instant in the municipality's time zone, to the minute."""
    return instant.astimezone(ZoneInfo(settings.timezone)).strftime("%Y-%m-%d %H:%M %Z")
