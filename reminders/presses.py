"""What a reminder's buttons do, and who may press them: the domain side of "Udført", "Udsæt" and "Vis sagen".

A reminder's buttons may be pressed by the case's caseworker or a registered caseworker of the same
team (`may_press`), checked here once for every channel. "done" records the event that meets the
deadline (the rule's first `met_by` kind, today) *for that deadline* (`Event.target`), so it meets
exactly the deadline pressed; the deadline row is locked first, so two presses at once (two workers)
record one event. "snooze" plans one more ping on the next working day at the ping hour. "case"
returns the case's deadlines. Nothing is rendered here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from reminders.kinds import EventKind
from reminders.models import CaseRecord, CaseworkerRecord, DeadlineRecord, ReminderRecord
from reminders.planner import ReminderPolicy, snooze
from reminders.rules import Rule, Status, Target, status_on
from reminders.store import record_event


class Action(StrEnum):
    """What a reminder's button asks for."""

    DONE = "done"
    SNOOZE = "snooze"
    CASE = "case"


class Outcome(StrEnum):
    """What came of a press."""

    GONE = "gone"  # the reminder (or its rule) no longer exists
    REFUSED = "refused"  # neither the case's caseworker nor a colleague of the same team
    SHOWN = "shown"
    CLOSED = "closed"  # the deadline was already met, cancelled or closed
    DONE = "done"
    NOT_YET = "not_yet"  # recorded, but the deadline's window opens later: it stays open
    SNOOZED = "snoozed"


@dataclass(frozen=True, slots=True)
class CaseDeadline:
    """One deadline of a case as "Vis sagen" lists it."""

    rule: Rule | None
    rule_id: str
    due: date
    status: Status


@dataclass(frozen=True, slots=True)
class Pressed:
    """The outcome of a press, with what its answer needs."""

    outcome: Outcome
    rule: Rule | None = None
    kind: EventKind | None = None
    on: date | None = None
    opens: date | None = None
    snoozed_until: datetime | None = None
    case: str | None = None
    deadlines: tuple[CaseDeadline, ...] = field(default_factory=tuple)


def may_press(presser: CaseworkerRecord | None, owner: CaseworkerRecord | None) -> bool:
    """The case's caseworker, or a registered caseworker of the same team."""
    if presser is None or owner is None:
        return False
    return presser.id == owner.id or (presser.team is not None and presser.team == owner.team)


async def press(session: AsyncSession, action: Action, reminder_id: int, presser_id: int | None,
                rules: list[Rule], now: datetime, today: date, policy: ReminderPolicy) -> Pressed:
    """Do what a reminder's button says, inside the caller's unit of work."""
    by_id = {rule.id: rule for rule in rules}
    found = (await session.execute(
        select(ReminderRecord, DeadlineRecord, CaseRecord)
        .join(DeadlineRecord, DeadlineRecord.id == ReminderRecord.deadline_id)
        .join(CaseRecord, CaseRecord.id == DeadlineRecord.case_id)
        .where(ReminderRecord.id == reminder_id)
        # Two presses at once (two workers): the second waits here and then finds the deadline closed.
        .with_for_update(of=DeadlineRecord))).first()
    if found is None:
        return Pressed(Outcome.GONE)
    _, deadline, case = found
    presser = await session.get(CaseworkerRecord, presser_id) if presser_id is not None else None
    owner = await session.get(CaseworkerRecord, case.caseworker_id) if case.caseworker_id else None
    if not may_press(presser, owner):
        return Pressed(Outcome.REFUSED)
    if action is Action.CASE:
        rows = await session.scalars(select(DeadlineRecord).where(DeadlineRecord.case_id == case.id)
                                     .order_by(DeadlineRecord.due_on, DeadlineRecord.id))
        listed = tuple(CaseDeadline(by_id.get(row.rule_id), row.rule_id, row.due_on,
                                    status_on(Status(row.state), row.due_on, row.informational, today))
                       for row in rows)
        return Pressed(Outcome.SHOWN, case=case.reference, deadlines=listed)
    if deadline.state != Status.OPEN.value:
        return Pressed(Outcome.CLOSED)
    if action is Action.DONE:
        rule = by_id.get(deadline.rule_id)
        if rule is None or not rule.met_by:
            return Pressed(Outcome.GONE)
        kind = rule.met_by[0]
        recorded = await record_event(session, case, kind, today, now, rules, today, policy,
                                      target=Target(deadline.rule_id, deadline.anchor_event_id))
        if not recorded.closed:  # its window is not open yet: recorded, and the deadline stays open
            return Pressed(Outcome.NOT_YET, rule=rule, kind=kind, on=today, opens=rule.opens(deadline.due_on))
        return Pressed(Outcome.DONE, rule=rule, kind=kind, on=today)
    planned = await snooze(session, deadline.id, now, policy)
    return Pressed(Outcome.SNOOZED, snoozed_until=planned.due_at.astimezone(policy.tz))
