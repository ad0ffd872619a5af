"""Caseworkers' questions about the rules, answered from the rule files and the quality standard.

"hvornår skal vi senest følge op efter udskrivning?" → the rule's deadline (offset, anchor and what
meets it, from reminders/rules/*.yml), its note, its legal basis and the standard's section.
"kan borgeren være anonym?" → the standard's own words (the entry's facts, quoted in Danish) and
its section. "hvornår udløber bg i S-14?" → that case's deadlines of the rule. Everything said is
data with its source: nothing here knows a deadline of its own.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.caseworker.cases import CaseDeps, Result, deadline_line, one, refusal, say, show_deadlines
from dialogs.turn import Count, Param, Reply
from knowledge import Standard
from nlu.rule_language import RULE_PREFIX, STANDARD_PREFIX
from reminders import (CaseworkerRecord, EventKind, Offset, RefusedReference, Rule, Status, Text, UnknownCase,
                       check_reference)
from reminders.access import visible_case, visible_deadlines


def _offset(offset: Offset) -> Count:
    return Count(offset.count, offset.unit.value)


def _kinds(deps: CaseDeps, kinds: tuple[EventKind, ...]) -> Text:
    labels = [deps.kind(kind) for kind in kinds]
    return Text(" / ".join(label.da for label in labels), " / ".join(label.en for label in labels))


def rule_answer(rule: Rule, deps: CaseDeps) -> Reply:
    """The rule in caseworker language: when, what meets it, the note, the legal basis and the section."""
    parts: list[Reply] = []
    if rule.window is not None:
        parts.append(say("rule_window", "\n", window=_offset(rule.window)))
    if rule.next_working_day:
        parts.append(say("rule_next_working_day", "\n"))
    note: Param = rule.note if rule.note is not None else ""
    parts.append(say("rule_basis", note=note, basis=rule.legal_basis, source=rule.source))
    params: dict[str, Param] = {"title": rule.title, "offset": _offset(rule.offset), "anchor": _kinds(deps, rule.anchor)}
    if rule.informational:
        return Reply("rule_when_informational", params, parts=tuple(parts), domain="caseworker", sources=(rule.source,))
    params["met_by"] = _kinds(deps, rule.met_by)
    key = "rule_when_same_day" if rule.offset.count == 0 else "rule_when"
    return Reply(key, params, parts=tuple(parts), domain="caseworker", sources=(rule.source,))


def standard_answer(standard: Standard, entry_id: str) -> Reply:
    """The standard's own words on a topic (its facts, in Danish), with its section."""
    entry = standard.entry(entry_id)
    facts = "\n".join(f"• {fact}" for fact in entry.facts)
    params: dict[str, Param] = {"title": Text(entry.title["da"], entry.title.get("en", entry.title["da"])),
                                "facts": facts, "source": entry.source}
    return Reply("standard_answer", params, domain="caseworker", sources=(entry.source,))


def topic_answer(topic: str, deps: CaseDeps, standard: Standard) -> Reply | None:
    """The answer to a topic ("rule/<id>" or "standard/<id>"), or None when the topic is unknown here."""
    if topic.startswith(RULE_PREFIX):
        rule = next((r for r in deps.rules if r.id == topic.removeprefix(RULE_PREFIX)), None)
        return rule_answer(rule, deps) if rule is not None else None
    entry = topic.removeprefix(STANDARD_PREFIX)
    if topic.startswith(STANDARD_PREFIX) and entry in standard:
        return standard_answer(standard, entry)
    return None


async def case_answer(session: AsyncSession, who: CaseworkerRecord, reference: str, topic: str, today: date,
                      deps: CaseDeps) -> Result:
    """A question about one case: its deadlines of the rule asked about, or all its open deadlines."""
    if not topic.startswith(RULE_PREFIX):
        return await show_deadlines(session, who, [reference], today, deps)
    try:
        case = await visible_case(session, who, reference)
    except RefusedReference as exc:
        return refusal(exc)
    except UnknownCase:
        return one("case_unknown", case=check_reference(reference))
    rule_id = topic.removeprefix(RULE_PREFIX)
    rule = next((r for r in deps.rules if r.id == rule_id), None)
    rows = [d for d in await visible_deadlines(session, who, case.reference) if d.rule_id == rule_id]
    title = deps.title(rule_id)
    if not rows:
        parts = (rule_answer(rule, deps),) if rule is not None else ()
        return Result(say("case_rule_none", parts=parts, case=case.reference, title=title), case.reference)
    lines = []
    for deadline in rows:
        status = deadline.status(today)
        if status in (Status.OPEN, Status.OVERDUE) and not deadline.informational:
            lines.append(deadline_line(deadline, today, deps))
        else:
            where = Text(deps.labels.status(status, "da"), deps.labels.status(status, "en"))
            lines.append(say("case_rule_closed", case=case.reference, title=title, due=deadline.due, status=where))
    return Result(say("case_rule_header", parts=tuple(lines), case=case.reference, title=title), case.reference)
