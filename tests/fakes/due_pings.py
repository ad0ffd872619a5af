"""Due pings for the delivery tests and the delivery trial: seeded cases, and what reached the caseworker.

Each case gets a henvendelse today and a ping of its guarantee due since the last working day (a snoozed
one), so `stifinder run` sends it at once. `delivered` counts the pings by the reminder id in their
"done" button.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime, timezone

from sqlalchemy import select

from bot.storage import open_database
from fakes.bot_api import FakeBotApi
from reminders import (DeadlineRecord, EventKind, add_case, add_caseworker, add_event, add_reminder, load_rules,
                       local_date, refresh_deadlines, working_days_before)
from reminders.planner import ReminderPolicy, snooze_slot

DONE = re.compile(r"^rem:done:(\d+)$")


async def seed_due_pings(url: str, cases: int, chat: int, prefix: str = "R") -> set[int]:
    """One registered caseworker (Telegram id `chat`) with `cases` open deadlines, each with a ping due at once;
    return the reminders' ids."""
    rules = load_rules()
    now = datetime.now(timezone.utc)
    today = local_date(now)
    past = working_days_before(today, 1)
    policy = ReminderPolicy()
    engine, sessions = await open_database(url)
    ids = set()
    try:
        async with sessions.begin() as session:
            worker = await add_caseworker(session, "Sagsbehandler", now, team="voksne")
            worker.telegram_user_id = chat
            for n in range(cases):
                case = await add_case(session, f"{prefix}-{n + 1}", now, caseworker_id=worker.id)
                await add_event(session, case, EventKind.HENVENDELSE, today, now)  # due in 14 days
                await refresh_deadlines(session, case, rules, today, now, policy)
                deadline = (await session.execute(select(DeadlineRecord.id).where(DeadlineRecord.case_id == case.id)
                                                  )).scalar_one()
                ids.add((await add_reminder(session, deadline, snooze_slot(past), policy.instant(past), now)).id)
    finally:
        await engine.dispose()
    return ids


def delivered(fake: FakeBotApi, chat: int) -> Counter[int]:
    """How often each reminder (by the id in its done button) reached the chat."""
    seen: Counter[int] = Counter()
    for call in fake.sent(chat):
        for row in (call.params.get("reply_markup") or {}).get("inline_keyboard", []):
            for button in row:
                match = DONE.match(button.get("callback_data", ""))
                if match:
                    seen[int(match.group(1))] += 1
    return seen
