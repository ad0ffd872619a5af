"""Deadline rules as data, and the pure computation of a case's deadlines from its events.

A rule says: when an anchor event happens, something is due a calendar offset later (days, weeks
or months, in Europe/Copenhagen; 31 January + 1 month is 28 or 29 February). Later events meet it
or cancel it. A rule may also say

- `window`: a meeting event counts only from this long before the due day (the 6-month follow-up is not
  met by a call in the first week);
- `met_before`: a meeting event up to this long before the anchor meets it at once (a plan made in the
  weeks before treatment starts);
- `next_working_day`: a due day on a weekend or public holiday moves to the next working day;
- `receipt` and `delivery`: the period counts from when the citizen received the decision (an event of a
  `receipt` kind), and until one is recorded from the sent day plus the normal delivery time.

An event recorded for one named deadline (`Event.target`, the "done" button) meets exactly that deadline
and no other; it still starts the deadlines its kind starts.

The rules live in reminders/rules/*.yml so that a caseworker can review them, each with the
quality-standard section it comes from and its legal basis. `load_rules` validates them
at start-up and names the file, rule and field of a mistake, never a value.

`due_dates(events, rules, today)` is pure: no clock, no database, no I/O.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any

import yaml
from dateutil.relativedelta import relativedelta  # type: ignore[import-untyped]

from reminders.calendar import add_working_days
from reminders.errors import RuleError
from reminders.kinds import EventKind

# libyaml's safe loader when PyYAML has it (several times faster), else the pure-Python one.
_LOADER: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

RULES_DIR = Path(__file__).parent / "rules"


@dataclass(frozen=True, slots=True)
class Text:
    """A text in Danish and English."""

    da: str
    en: str

    def get(self, lang: str) -> str:
        """Return the text in a language ("da" or "en"); Danish for anything else."""
        return self.en if lang == "en" else self.da


class Unit(StrEnum):
    """The unit of an offset. Months are calendar months: the day is kept or clipped to the month's end."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"


@dataclass(frozen=True, slots=True)
class Offset:
    """How long after the anchor a deadline falls, in calendar days, weeks or months."""

    count: int
    unit: Unit

    def after(self, day: date) -> date:
        """Return the day this offset after `day` (31 January + 1 month = 28/29 February)."""
        step: date = day + relativedelta(**{self.unit.value: self.count})
        return step

    def before(self, day: date) -> date:
        """Return the day this offset before `day` (31 March - 1 month = 28/29 February)."""
        step: date = day - relativedelta(**{self.unit.value: self.count})
        return step

    def __str__(self) -> str:
        return f"{self.count} {self.unit.value}"


class Again(StrEnum):
    """What a later anchor event does when the rule has already started a deadline."""

    EACH = "each"                  # every anchor event starts its own deadline
    IF_NONE_OPEN = "if_none_open"  # only when no deadline of the rule is still open
    AFTER_RESET = "after_reset"    # only when a reset_by event came after the last start


@dataclass(frozen=True, slots=True)
class Rule:
    """One deadline rule, as reviewed in reminders/rules/*.yml."""

    id: str
    file: str
    title: Text
    anchor: tuple[EventKind, ...]
    offset: Offset
    met_by: tuple[EventKind, ...]
    cancelled_by: tuple[EventKind, ...]
    source: str
    legal_basis: str
    again: Again = Again.EACH
    reset_by: tuple[EventKind, ...] = ()
    repeat: bool = False
    informational: bool = False
    series: str = ""
    note: Text | None = None
    window: Offset | None = None
    met_before: Offset | None = None
    next_working_day: bool = False
    receipt: tuple[EventKind, ...] = ()
    delivery: Offset | None = None

    def due_after(self, day: date) -> date:
        """Return the due day of a deadline counted from `day` (moved to a working day when the rule says so)."""
        due = self.offset.after(day)
        return add_working_days(due, 0) if self.next_working_day else due

    def opens(self, due: date) -> date | None:
        """Return the first day a meeting event counts for a deadline due on `due` (None: from its start)."""
        return self.window.before(due) if self.window is not None else None

    @property
    def group(self) -> str:
        """The series whose deadlines share meeting events (one event meets one deadline per series)."""
        return self.series or self.id


@dataclass(frozen=True, slots=True)
class Target:
    """One deadline named by its rule and the id of the event that started it."""

    rule_id: str
    anchor_id: int


@dataclass(frozen=True, slots=True)
class Event:
    """A case event as the rules see it: kind, local calendar day, and an id that orders same-day events.

    `target` names the one deadline the event was recorded for (the "done" button, `--deadline`): it meets
    that deadline and no other.
    """

    kind: EventKind
    on: date
    id: int
    target: Target | None = None


class Status(StrEnum):
    """Where a deadline stands on a given day."""

    OPEN = "open"
    MET = "met"
    CANCELLED = "cancelled"
    OVERDUE = "overdue"


@dataclass(frozen=True, slots=True)
class Deadline:
    """One deadline of a case: which rule, which event started it, when it is due, where it stands."""

    rule: Rule
    anchor: Event
    due: date
    status: Status
    closed_by: Event | None = None
    opens: date | None = None
    counted_from: date | None = None
    received: Event | None = None

    @property
    def state(self) -> Status:
        """Return what the events alone say, whatever the day: met or cancelled by an event, else open."""
        return self.status if self.closed_by is not None else Status.OPEN

    def days_left(self, today: date) -> int:
        """Return the calendar days from today to the due day (negative when overdue)."""
        return (self.due - today).days


def due_dates(events: Iterable[Event], rules: Iterable[Rule], today: date) -> list[Deadline]:
    """Compute every deadline the events give under the rules, with its status on `today`.

    Events are taken in order of day, then id. An event meets or cancels at most one deadline per
    series (a rule is its own series unless it names one): the open one due first, among those
    started before the event. A deadline still open after its due day is overdue, except an
    informational one (the citizen's own time limit), which then counts as met.
    """
    ordered = sorted(events, key=lambda event: (event.on, event.id))
    rule_list = list(rules)
    series: dict[str, list[Rule]] = {}
    for rule in rule_list:
        series.setdefault(rule.group, []).append(rule)
    found: list[Deadline] = []
    for members in series.values():
        found.extend(_replay(members, ordered, today))
    order = {rule.id: index for index, rule in enumerate(rule_list)}
    return sorted(found, key=lambda d: (d.due, order[d.rule.id], d.anchor.on, d.anchor.id))


class _Pending:
    """A deadline being worked out: mutable while the events are replayed."""

    __slots__ = ("rule", "anchor", "due", "status", "closed_by", "counted_from", "received")

    def __init__(self, rule: Rule, anchor: Event) -> None:
        self.rule = rule
        self.anchor = anchor
        self.received: Event | None = None
        self.counted_from = rule.delivery.after(anchor.on) if rule.delivery is not None else anchor.on
        self.due = rule.due_after(self.counted_from)
        self.status = Status.OPEN
        self.closed_by: Event | None = None

    def receive(self, event: Event) -> None:
        """Count the period from the day the citizen received the decision."""
        self.received = event
        self.counted_from = event.on
        self.due = self.rule.due_after(event.on)

    def takes(self, event: Event) -> bool:
        """Whether the event, by its kind and day, may meet or cancel this open deadline."""
        if self.status is not Status.OPEN:
            return False
        if event.kind in self.rule.cancelled_by:
            return True
        opens = self.rule.opens(self.due)
        return event.kind in self.rule.met_by and (opens is None or event.on >= opens)


def _replay(members: list[Rule], ordered: list[Event], today: date) -> list[Deadline]:
    """Replay the events through the rules of one series."""
    pending: list[_Pending] = []
    last_start: dict[str, int] = {}
    closers: set[int] = set()  # events that met or cancelled a deadline of this series
    for index, event in enumerate(ordered):
        _receive(pending, event)
        restarted = _close_one(pending, event)
        if restarted is not None:
            closers.add(event.id)
            if restarted is not _NOTHING_RESTARTS:
                pending.append(_Pending(restarted, event))
                last_start[restarted.id] = index
        for rule in members:
            if rule is restarted or event.kind not in rule.anchor:
                continue
            mine = [item for item in pending if item.rule is rule]
            if _starts(rule, mine, ordered, last_start.get(rule.id), index):
                started = _Pending(rule, event)
                _meet_from_before(started, ordered[:index], closers)
                pending.append(started)
                last_start[rule.id] = index
    return [_finish(item, today) for item in pending]


# `_close_one`'s answer when it closed a deadline that does not repeat.
_NOTHING_RESTARTS = Rule(id="none", file="", title=Text("", ""), anchor=(), offset=Offset(0, Unit.DAYS), met_by=(),
                         cancelled_by=(), source="", legal_basis="")


def _receive(pending: list[_Pending], event: Event) -> None:
    """A receipt moves the count of the latest open deadline counted from a decision not yet received."""
    waiting = [item for item in pending if item.status is Status.OPEN and item.received is None
               and event.kind in item.rule.receipt and event.on >= item.anchor.on]
    if waiting:
        max(waiting, key=lambda item: (item.anchor.on, item.anchor.id)).receive(event)


def _close_one(pending: list[_Pending], event: Event) -> Rule | None:
    """Meet or cancel the open deadline due first that the event may close (or exactly the one it was
    recorded for); return its rule if it repeats, `_NOTHING_RESTARTS` if it closed one that does not, and
    None when it closed nothing."""
    candidates = [item for item in pending if item.takes(event)]
    if event.target is not None:
        candidates = [item for item in candidates
                      if (item.rule.id, item.anchor.id) == (event.target.rule_id, event.target.anchor_id)]
    if not candidates:
        return None
    target = min(candidates, key=lambda item: (item.due, item.anchor.on, item.anchor.id))
    target.status = Status.MET if event.kind in target.rule.met_by else Status.CANCELLED
    target.closed_by = event
    return target.rule if target.rule.repeat and target.status is Status.MET else _NOTHING_RESTARTS


def _meet_from_before(started: _Pending, earlier: list[Event], closers: set[int]) -> None:
    """A rule with `met_before`: a meeting event that came shortly before the anchor (and closed nothing else
    of the series) meets the new deadline at once."""
    reach = started.rule.met_before
    if reach is None:
        return
    since = reach.before(started.anchor.on)
    for event in reversed(earlier):
        if event.on < since:
            return
        if event.kind in started.rule.met_by and event.id not in closers and event.target is None:
            started.status = Status.MET
            started.closed_by = event
            closers.add(event.id)
            return


def _starts(rule: Rule, mine: list[_Pending], ordered: list[Event], last_start: int | None, index: int) -> bool:
    """Tell whether an anchor event starts a new deadline under the rule's `again` policy."""
    if last_start is None or rule.again is Again.EACH:
        return True
    if rule.again is Again.IF_NONE_OPEN:
        return all(item.status is not Status.OPEN for item in mine)
    return any(event.kind in rule.reset_by for event in ordered[last_start + 1:index])


def _finish(item: _Pending, today: date) -> Deadline:
    """Freeze a worked-out deadline with its status on `today`."""
    status = status_on(item.status, item.due, item.rule.informational, today)
    return Deadline(rule=item.rule, anchor=item.anchor, due=item.due, status=status, closed_by=item.closed_by,
                    opens=item.rule.opens(item.due), counted_from=item.counted_from, received=item.received)


def status_on(state: Status, due: date, informational: bool, today: date) -> Status:
    """Return a deadline's status on a day from its state (open, met or cancelled by events).

    An open deadline is overdue from the day after its due day; an informational one then counts as met.
    """
    if state is Status.OPEN and today > due:
        return Status.MET if informational else Status.OVERDUE
    return state


_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
_FIELDS = {"id", "title", "anchor", "again", "reset_by", "offset", "met_by", "cancelled_by", "repeat",
           "informational", "series", "source", "legal_basis", "note", "window", "met_before", "next_working_day",
           "receipt", "delivery"}
_REQUIRED = ("id", "title", "anchor", "offset", "source", "legal_basis")


def load_rules(directory: Path = RULES_DIR) -> tuple[Rule, ...]:
    """Load and validate every rule file (*.yml) in the directory, in file-name order.

    Raises:
        RuleError: a file is missing, malformed or inconsistent; the message names the file, the
            rule id and the field, never a value.
    """
    files = sorted(directory.glob("*.yml"))
    if not files:
        raise RuleError(directory.name, "no rule files (*.yml) found")
    rules: list[Rule] = []
    seen: set[str] = set()
    for path in files:
        for rule in _load_file(path):
            if rule.id in seen:
                raise RuleError(path.name, "rule id is used twice", rule.id, "id")
            seen.add(rule.id)
            rules.append(rule)
    return tuple(rules)


def _load_file(path: Path) -> list[Rule]:
    """Parse one rule file."""
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_LOADER)
    except yaml.YAMLError as exc:
        raise RuleError(path.name, f"not valid YAML ({exc.__class__.__name__})") from None
    if not isinstance(raw, dict) or set(raw) != {"version", "rules"}:
        raise RuleError(path.name, "the file must have exactly the keys 'version' and 'rules'")
    if raw["version"] != "1":
        raise RuleError(path.name, "unsupported version (expected \"1\")", field="version")
    if not isinstance(raw["rules"], list) or not raw["rules"]:
        raise RuleError(path.name, "'rules' must be a non-empty list", field="rules")
    return [_parse_rule(path.name, index, item) for index, item in enumerate(raw["rules"], start=1)]


def _parse_rule(file: str, index: int, raw: Any) -> Rule:
    """Validate one rule mapping and freeze it."""
    if not isinstance(raw, dict):
        raise RuleError(file, f"rule number {index} must be a mapping")
    rule_id = raw.get("id")
    if not isinstance(rule_id, str) or not _ID.match(rule_id):
        raise RuleError(file, f"rule number {index} needs an id of lower-case letters, digits and _", field="id")
    fields = _Fields(file, rule_id, raw)
    again = fields.choice("again", Again, Again.EACH)
    rule = Rule(
        id=rule_id,
        file=file,
        title=fields.text("title"),
        anchor=fields.kinds("anchor", required=True),
        offset=fields.offset("offset", minimum=0),
        met_by=fields.kinds("met_by"),
        cancelled_by=fields.kinds("cancelled_by"),
        source=fields.string("source"),
        legal_basis=fields.string("legal_basis"),
        again=again,
        reset_by=fields.kinds("reset_by"),
        repeat=fields.flag("repeat"),
        informational=fields.flag("informational"),
        series=fields.string("series") if "series" in raw else "",
        note=fields.text("note") if "note" in raw else None,
        window=fields.offset("window") if "window" in raw else None,
        met_before=fields.offset("met_before") if "met_before" in raw else None,
        next_working_day=fields.flag("next_working_day"),
        receipt=fields.kinds("receipt"),
        delivery=fields.offset("delivery", minimum=0) if "delivery" in raw else None,
    )
    _check_consistency(rule)
    return rule


def _check_consistency(rule: Rule) -> None:
    """Refuse rules that could never close or that contradict themselves."""
    def fail(message: str, field: str) -> RuleError:
        return RuleError(rule.file, message, rule.id, field)

    if set(rule.met_by) & set(rule.cancelled_by):
        raise fail("an event kind cannot both meet and cancel the deadline", "cancelled_by")
    if not rule.met_by and not rule.informational:
        raise fail("a deadline that is not informational needs at least one event that meets it", "met_by")
    if rule.repeat and not rule.met_by:
        raise fail("a repeating rule needs the event that meets it (and starts the next)", "repeat")
    if (rule.again is Again.AFTER_RESET) != bool(rule.reset_by):
        raise fail("reset_by is required with again: after_reset, and only then", "reset_by")
    if rule.series and not _ID.match(rule.series):
        raise fail("a series is named with lower-case letters, digits and _", "series")
    if (rule.delivery is None) != (not rule.receipt):
        raise fail("receipt and delivery go together: the receipt event, and the delivery time until it comes",
                   "delivery")
    if (rule.window is not None or rule.met_before is not None) and not rule.met_by:
        raise fail("window and met_before need an event that meets the deadline", "met_by")


class _Fields:
    """Typed getters over one rule mapping; errors name the field, never its value."""

    def __init__(self, file: str, rule_id: str, raw: dict[str, Any]) -> None:
        self._file = file
        self._rule = rule_id
        self._raw = raw
        unknown = sorted(set(raw) - _FIELDS)
        if unknown:
            raise self._error("unknown field", unknown[0])
        for key in _REQUIRED:
            if raw.get(key) in (None, "", [], {}):
                raise self._error("is missing", key)

    def _error(self, message: str, field: str) -> RuleError:
        return RuleError(self._file, message, self._rule, field)

    def string(self, key: str) -> str:
        value = self._raw.get(key)
        if not isinstance(value, str) or not value.strip():
            raise self._error("must be a non-empty string", key)
        return value.strip()

    def flag(self, key: str) -> bool:
        value = self._raw.get(key, False)
        if not isinstance(value, bool):
            raise self._error("must be true or false", key)
        return value

    def text(self, key: str) -> Text:
        value = self._raw.get(key)
        if not isinstance(value, dict) or set(value) != {"da", "en"}:
            raise self._error("must have exactly the languages da and en", key)
        if not all(isinstance(v, str) and v.strip() for v in value.values()):
            raise self._error("must have a non-empty text per language", key)
        return Text(da=value["da"].strip(), en=value["en"].strip())

    def kinds(self, key: str, required: bool = False) -> tuple[EventKind, ...]:
        value = self._raw.get(key, [])
        if not isinstance(value, list) or (required and not value):
            raise self._error("must be a list of event kinds" + (" (at least one)" if required else ""), key)
        known = {kind.value for kind in EventKind}
        kinds: list[EventKind] = []
        for position, item in enumerate(value, start=1):
            if not isinstance(item, str) or item not in known:
                raise self._error(f"item {position} is not a known event kind (see reminders/kinds.py)", key)
            if EventKind(item) in kinds:
                raise self._error(f"item {position} repeats an event kind", key)
            kinds.append(EventKind(item))
        return tuple(kinds)

    def offset(self, key: str, minimum: int = 1) -> Offset:
        value = self._raw.get(key)
        if not isinstance(value, dict) or len(value) != 1:
            raise self._error("must have exactly one of days, weeks or months", key)
        ((unit, count),) = value.items()
        if unit not in {u.value for u in Unit}:
            raise self._error("must have exactly one of days, weeks or months", key)
        if not isinstance(count, int) or isinstance(count, bool) or count < minimum:
            raise self._error(f"must be a whole number of at least {minimum}", key)
        return Offset(count, Unit(unit))

    def choice(self, key: str, enum: type[Again], default: Again) -> Again:
        value = self._raw.get(key, default.value)
        if value not in {member.value for member in enum}:
            raise self._error("must be one of " + ", ".join(member.value for member in enum), key)
        return enum(value)
