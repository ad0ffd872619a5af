"""Caseworker cases, deadline rules, reminder plans and their delivery.

Cases are pseudonymous; deadlines are computed by rules kept as data (rules/*.yml), each with its
source section of the quality standard and its legal basis. Never imports bot or dialogs.
"""

from reminders.calendar import (DANISH, WorkingCalendar, add_working_days, is_working_day, public_holiday_names,
                                working_days_before)
from reminders.clock import COPENHAGEN, Clock, SystemClock, end_of_day, local_date, local_instant, local_today
from reminders.errors import (CaseError, DuplicateCase, Refusal, RefusedReference, RemindersError, RuleError,
                              UnknownCase, UnknownCaseworker)
from reminders.kinds import COMPLETION_KINDS, ISSUE_KINDS, EventKind
from reminders.labels import Labels, load_labels
from reminders.models import Base as RemindersBase
from reminders.models import (CaseEventRecord, CaseRecord, CaseworkerRecord, DeadlineRecord, DigestRecord,
                              InviteRecord, ReminderRecord, TeamChatRecord)
from reminders.references import KNOWN_PREFIXES, check_reference
from reminders.rules import (RULES_DIR, Again, Deadline, Event, Offset, Rule, Status, Target, Text, Unit, due_dates,
                             load_rules, status_on)
from reminders.store import (Recorded, StoredDeadline, add_case, add_caseworker, add_event, add_reminder,
                             case_events, due_reminders, get_case, list_deadlines, record_event, refresh_deadlines)

__all__ = [
    "Again", "COMPLETION_KINDS", "COPENHAGEN", "CaseError", "CaseEventRecord", "CaseRecord", "CaseworkerRecord",
    "Clock", "DANISH", "Deadline", "DeadlineRecord", "DigestRecord", "InviteRecord", "TeamChatRecord", "DuplicateCase", "Event", "EventKind", "ISSUE_KINDS",
    "KNOWN_PREFIXES", "Labels", "Offset", "RULES_DIR", "Refusal", "RefusedReference", "ReminderRecord",
    "Recorded", "RemindersBase", "RemindersError", "Rule", "RuleError", "Status", "StoredDeadline", "SystemClock",
    "Target", "Text",
    "Unit", "UnknownCase", "UnknownCaseworker", "WorkingCalendar", "add_case", "add_caseworker", "add_event",
    "add_reminder", "add_working_days", "case_events", "check_reference", "due_dates", "due_reminders",
    "end_of_day", "get_case", "is_working_day", "list_deadlines", "load_labels", "load_rules", "local_date",
    "local_instant", "local_today", "public_holiday_names", "record_event", "refresh_deadlines", "status_on", "working_days_before",
]
