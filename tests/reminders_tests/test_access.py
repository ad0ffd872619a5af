"""Invites, team chats and visibility on SQLite (migrated and in memory) and a real PostgreSQL 15."""

from __future__ import annotations

import hashlib
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from fakes.databases import database_url_with_memory as database_url, sessions  # noqa: F401 (fixtures)
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from reminders import (CaseRecord, CaseworkerRecord, DeadlineRecord, ReminderRecord, EventKind, InviteRecord, TeamChatRecord, UnknownCase,
                       UnknownCaseworker, add_case, add_event, load_rules, refresh_deadlines)
from reminders.access import (AlreadyRegistered, InvalidCode, WrongTeam, caseworker_by_telegram, create_invite,
                              create_team_chat_code, is_team_chat, redeem_invite, register_team_chat, reinvite,
                              team_of_chat, visible_case, visible_cases, visible_deadlines)
from reminders.closing import close_case

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
TTL = timedelta(hours=72)
RULES = load_rules()


async def test_an_invite_stores_only_the_hash_and_registers_once(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        code = await create_invite(session, "Anne Testsen", "nord", NOW, TTL)
    assert len(code.code) >= 20 and code.expires_at == NOW + TTL
    async with sessions() as session:
        stored = list(await session.scalars(select(InviteRecord)))
    assert [row.code_hash for row in stored] == [hashlib.sha256(code.code.encode()).hexdigest()]
    assert code.code not in repr([(r.code_hash, r.id) for r in stored])

    async with sessions.begin() as session:
        caseworker = await redeem_invite(session, code.code, 555001, NOW + timedelta(hours=1))
        assert caseworker.team == "nord"
    async with sessions.begin() as session:
        assert (await caseworker_by_telegram(session, 555001)) is not None
        with pytest.raises(InvalidCode):
            await redeem_invite(session, code.code, 555002, NOW + timedelta(hours=2))
    async with sessions() as session:
        assert await caseworker_by_telegram(session, 555002) is None


async def test_expired_and_unknown_codes_are_refused(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        code = await create_invite(session, "Bo", None, NOW, TTL)
    async with sessions.begin() as session:
        with pytest.raises(InvalidCode):
            await redeem_invite(session, code.code, 555003, NOW + TTL)
        with pytest.raises(InvalidCode):
            await redeem_invite(session, "not-a-code", 555003, NOW)
        # One character off is as unknown as anything else.
        with pytest.raises(InvalidCode):
            await redeem_invite(session, code.code[:-1] + ("A" if code.code[-1] != "A" else "B"), 555003, NOW)


async def test_a_registered_user_cannot_take_another_caseworkers_invite(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        first = await create_invite(session, "Anne", "nord", NOW, TTL)
        second = await create_invite(session, "Bo", "nord", NOW, TTL)
        await redeem_invite(session, first.code, 555010, NOW)
    async with sessions.begin() as session:
        with pytest.raises(AlreadyRegistered):
            await redeem_invite(session, second.code, 555010, NOW)
    async with sessions.begin() as session:  # the refused code is still usable by its caseworker
        bo = await redeem_invite(session, second.code, 555011, NOW)
        assert bo.name == "Bo"


async def test_a_new_invite_moves_the_registration_to_a_new_account(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        first = await create_invite(session, "Anne", "nord", NOW, TTL)
        anne = await redeem_invite(session, first.code, 555020, NOW)
        again = await reinvite(session, anne.id, NOW, TTL)
        await redeem_invite(session, again.code, 555021, NOW)
    async with sessions() as session:
        assert await caseworker_by_telegram(session, 555020) is None
        assert (await caseworker_by_telegram(session, 555021)) is not None
        with pytest.raises(UnknownCaseworker):
            await reinvite(session, 9999, NOW, TTL)


async def _registered(session: AsyncSession, name: str, team: str | None, user_id: int) -> CaseworkerRecord:
    code = await create_invite(session, name, team, NOW, TTL)
    return await redeem_invite(session, code.code, user_id, NOW)


async def test_only_a_caseworker_of_the_team_registers_its_chat(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        nord = await _registered(session, "Anne", "nord", 555030)
        syd = await _registered(session, "Bo", "syd", 555031)
        code = await create_team_chat_code(session, "nord", NOW, timedelta(hours=24))
        with pytest.raises(WrongTeam):
            await register_team_chat(session, code.code, -100777, syd, NOW)
        assert not await is_team_chat(session, -100777)
        record = await register_team_chat(session, code.code, -100777, nord, NOW)
        assert record.registered_by == nord.id
        assert await team_of_chat(session, -100777) == "nord"
        with pytest.raises(InvalidCode):  # used
            await register_team_chat(session, code.code, -100778, nord, NOW)
        again = await create_team_chat_code(session, "nord", NOW, timedelta(hours=24))
        with pytest.raises(AlreadyRegistered):
            await register_team_chat(session, again.code, -100777, nord, NOW)
        late = await create_team_chat_code(session, "nord", NOW, timedelta(hours=24))
        with pytest.raises(InvalidCode):
            await register_team_chat(session, late.code, -100779, nord, NOW + timedelta(hours=24))
    async with sessions() as session:
        rows = list(await session.scalars(select(TeamChatRecord)))
        assert all(len(row.code_hash) == 64 for row in rows)


async def test_a_caseworker_sees_own_and_team_cases_only(sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        anne = await _registered(session, "Anne", "nord", 555040)
        bo = await _registered(session, "Bo", "nord", 555041)
        cy = await _registered(session, "Cy", "syd", 555042)
        solo = await _registered(session, "Solo", None, 555043)
        for reference, owner in (("S-1", anne), ("S-2", bo), ("S-3", cy), ("S-4", solo)):
            await add_case(session, reference, NOW, caseworker_id=owner.id)
        await add_case(session, "S-5", NOW)  # nobody's: only the CLI sees it
        assert [c.reference for c in await visible_cases(session, anne)] == ["S-1", "S-2"]
        assert [c.reference for c in await visible_cases(session, cy)] == ["S-3"]
        assert [c.reference for c in await visible_cases(session, solo)] == ["S-4"]
        assert (await visible_case(session, bo, "s-1")).reference == "S-1"
        for who, reference in ((anne, "S-3"), (cy, "S-1"), (solo, "S-1"), (anne, "S-5"), (anne, "S-99")):
            with pytest.raises(UnknownCase):
                await visible_case(session, who, reference)


async def test_a_closed_case_leaves_the_lists_and_its_deadlines_stop(
        sessions: async_sessionmaker[AsyncSession]) -> None:
    async with sessions.begin() as session:
        anne = await _registered(session, "Anne", "nord", 555050)
        case = await add_case(session, "S-14", NOW, caseworker_id=anne.id)
        await add_event(session, case, EventKind.HENVENDELSE, date(2026, 11, 20), NOW)
        await refresh_deadlines(session, case, RULES, date(2026, 11, 23), NOW)
        assert [d.case for d in await visible_deadlines(session, anne)] == ["S-14"]
        assert await _unsent_reminders(session, case) > 0
        assert await close_case(session, case, NOW)
        assert await _unsent_reminders(session, case) == 0
        assert not await close_case(session, case, NOW)
        assert await visible_deadlines(session, anne) == []
        assert await visible_cases(session, anne) == []
        assert [c.reference for c in await visible_cases(session, anne, include_closed=True)] == ["S-14"]
    async with sessions() as session:
        stored = await session.scalar(select(CaseRecord).where(CaseRecord.reference == "S-14"))
        assert stored is not None and stored.closed_at is not None


async def _unsent_reminders(session: AsyncSession, case: CaseRecord) -> int:
    count = await session.scalar(select(func.count()).select_from(ReminderRecord)
                                 .join(DeadlineRecord, DeadlineRecord.id == ReminderRecord.deadline_id)
                                 .where(DeadlineRecord.case_id == case.id, ReminderRecord.sent_at.is_(None)))
    return int(count or 0)
