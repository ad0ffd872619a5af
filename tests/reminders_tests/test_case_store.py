"""The store on real databases: SQLite migrated by Alembic, in-memory SQLite, and a real PostgreSQL 15
server started by the test suite. The same tests run on each."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fakes.databases import database_url_with_memory as database_url, sessions  # noqa: F401 (fixtures)
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from reminders import (CaseRecord, DeadlineRecord, DuplicateCase, EventKind, RefusedReference, Status, UnknownCase,
                       UnknownCaseworker, add_case, add_caseworker, add_event, add_reminder, due_reminders, get_case,
                       list_deadlines, load_rules, refresh_deadlines)

RULES = load_rules()
NOW = datetime(2026, 3, 3, 9, 0, tzinfo=timezone.utc)


async def record(session: AsyncSession, case: CaseRecord, kind: str, day: str) -> None:
    await add_event(session, case, EventKind(kind), date.fromisoformat(day), NOW)


async def test_a_case_is_stored_under_its_normalised_reference(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        worker = await add_caseworker(session, "Sagsbehandler 1", NOW, team="voksen")
        case = await add_case(session, " s-14 ", NOW, caseworker_id=worker.id)
    async with sessions() as session:
        found = await get_case(session, "S-14")
        assert found.id == case.id and found.reference == "S-14" and found.caseworker_id == worker.id
        assert found.created_at == NOW and found.created_at.tzinfo is not None


@pytest.mark.parametrize("reference", ["0101901234", "Jens-14", "S-14-heroin"])
async def test_a_refused_reference_stores_nothing(sessions: async_sessionmaker[AsyncSession], reference: str) -> None:
    async with sessions() as session:
        with pytest.raises(RefusedReference):
            await add_case(session, reference, NOW)
        await session.rollback()
        assert await session.scalar(select(func.count()).select_from(CaseRecord)) == 0


async def test_duplicates_and_unknown_caseworkers_and_cases_are_refused(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        await add_case(session, "S-14", NOW)
    async with sessions() as session:
        with pytest.raises(DuplicateCase):
            await add_case(session, "s-14", NOW)
        with pytest.raises(UnknownCaseworker):
            await add_case(session, "S-15", NOW, caseworker_id=999)
        with pytest.raises(UnknownCase):
            await get_case(session, "S-16")
        with pytest.raises(UnknownCase):
            await list_deadlines(session, "S-16")


async def test_deadlines_are_stored_and_updated_in_place_as_events_come(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        case = await add_case(session, "S-14", NOW)
        await record(session, case, "henvendelse", "2026-03-03")
        await refresh_deadlines(session, case, RULES, date(2026, 3, 3), NOW)
    async with sessions() as session:
        (stored,) = await list_deadlines(session)
        first_id = await session.scalar(select(DeadlineRecord.id))
    assert (stored.case, stored.rule_id, stored.anchor_kind, stored.due) == (
        "S-14", "behandlingsgaranti", EventKind.HENVENDELSE, date(2026, 3, 17))
    assert stored.state is Status.OPEN and stored.status(date(2026, 3, 17)) is Status.OPEN
    assert stored.status(date(2026, 3, 18)) is Status.OVERDUE

    async with sessions.begin() as session:
        case = await get_case(session, "S-14")
        await record(session, case, "behandling_startet", "2026-03-10")
        await record(session, case, "udredende_samtale", "2026-03-05")
        computed = await refresh_deadlines(session, case, RULES, date(2026, 3, 10), NOW + timedelta(days=7))
    assert [d.rule.id for d in computed] == ["behandlingsplan_ved_start", "behandlingsgaranti", "afgoerelse_ambulant"]
    async with sessions() as session:
        plan, guarantee, decision = await list_deadlines(session, "s-14")
        assert await session.scalar(select(DeadlineRecord.id).where(DeadlineRecord.rule_id == "behandlingsgaranti")) \
            == first_id
    assert guarantee.state is Status.MET and guarantee.closed_on == date(2026, 3, 10)
    assert guarantee.status(date(2026, 12, 1)) is Status.MET
    assert decision.rule_id == "afgoerelse_ambulant" and decision.due == date(2026, 3, 19)
    assert plan.rule_id == "behandlingsplan_ved_start" and plan.due == date(2026, 3, 10) and plan.state is Status.OPEN


async def test_refreshing_twice_changes_nothing(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        case = await add_case(session, "S-20", NOW)
        for kind, day in [("afgoerelse_sendt", "2026-01-31"), ("klage_modtaget", "2026-02-10"),
                          ("udskrevet_faerdigbehandlet", "2026-01-31")]:
            await record(session, case, kind, day)
        await refresh_deadlines(session, case, RULES, date(2026, 2, 11), NOW)
    async with sessions() as session:
        before = [(r.id, r.rule_id, r.due_on, r.state, r.updated_at)
                  for r in await session.scalars(select(DeadlineRecord).order_by(DeadlineRecord.id))]
    async with sessions.begin() as session:
        await refresh_deadlines(session, await get_case(session, "S-20"), RULES, date(2026, 2, 11),
                                NOW + timedelta(hours=5))
    async with sessions() as session:
        after = [(r.id, r.rule_id, r.due_on, r.state, r.updated_at)
                 for r in await session.scalars(select(DeadlineRecord).order_by(DeadlineRecord.id))]
    assert before == after and len(after) == 5


async def test_the_end_of_the_due_day_is_stored_in_utc_across_dst(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        case = await add_case(session, "S-30", NOW)
        await record(session, case, "henvendelse", "2026-03-15")    # due 29 March, the spring DST day
        await record(session, case, "afgoerelse_sendt", "2026-09-27")  # complaint window ends 25 October, autumn DST
        await refresh_deadlines(session, case, RULES, date(2026, 10, 23), NOW)
    async with sessions() as session:
        found = {d.rule_id: d for d in await list_deadlines(session, "S-30")}
    spring, autumn = found["behandlingsgaranti"], found["klagefrist"]
    assert spring.due == date(2026, 3, 29) and spring.due_at == datetime(2026, 3, 29, 22, 0, tzinfo=timezone.utc)
    assert autumn.due == date(2026, 10, 25) and autumn.due_at == datetime(2026, 10, 25, 23, 0, tzinfo=timezone.utc)
    assert spring.due_at.utcoffset() == timedelta(0)


async def test_due_reminders_are_unsent_unclaimed_and_in_due_order(sessions: async_sessionmaker[AsyncSession]) -> None:
    now = datetime(2026, 3, 16, 8, 0, tzinfo=timezone.utc)
    async with sessions.begin() as session:
        case = await add_case(session, "S-40", NOW)
        await record(session, case, "henvendelse", "2026-03-03")
        await refresh_deadlines(session, case, RULES, date(2026, 3, 3), NOW)
        deadline_id = await session.scalar(select(DeadlineRecord.id))
        assert deadline_id is not None
        late = await add_reminder(session, deadline_id, "before-2", now - timedelta(hours=1), NOW)
        early = await add_reminder(session, deadline_id, "before-7", now - timedelta(days=5), NOW)
        sent = await add_reminder(session, deadline_id, "before-9", now - timedelta(days=7), NOW)
        sent.sent_at = now - timedelta(days=7)
        leased = await add_reminder(session, deadline_id, "due-day", now - timedelta(minutes=5), NOW)
        leased.claimed_by, leased.claimed_until = "worker-a", now + timedelta(minutes=1)
        expired = await add_reminder(session, deadline_id, "overdue-1", now - timedelta(minutes=2), NOW)
        expired.claimed_by, expired.claimed_until = "worker-b", now - timedelta(seconds=1)
        await add_reminder(session, deadline_id, "future", now + timedelta(minutes=1), NOW)
    async with sessions() as session:
        due = await due_reminders(session, now)
        assert [r.slot for r in due] == [early.slot, late.slot, expired.slot]
        assert [r.slot for r in await due_reminders(session, now, limit=1)] == ["before-7"]
        assert due[0].due_at.tzinfo is not None and due[0].attempts == 0


async def test_the_due_reminders_query_uses_the_partial_index(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions() as session:
        bind = session.get_bind()
        if bind.dialect.name == "sqlite":
            plan = (await session.execute(text(
                "EXPLAIN QUERY PLAN SELECT id FROM reminders WHERE sent_at IS NULL AND due_at <= :now ORDER BY due_at"),
                {"now": "2026-03-16 08:00:00"})).all()
        else:
            await session.execute(text("SET LOCAL enable_seqscan = off"))
            plan = (await session.execute(text(
                "EXPLAIN SELECT id FROM reminders WHERE sent_at IS NULL AND due_at <= now() ORDER BY due_at"))).all()
    assert "ix_reminders_unsent_due_at" in " ".join(str(row) for row in plan)
