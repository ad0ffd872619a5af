"""Who may use the caseworker features: invite codes, registered team chats, and which cases a caseworker sees.

Codes are random (the `secrets` module) and single-use; only their SHA-256 is stored, so a copy of
the database cannot register anyone. A caseworker sees their own cases and those of caseworkers of
the same team; a case without a caseworker is seen by nobody in Telegram (the CLI sees everything).
Every function takes the session first and never commits (the caller owns the unit of work).

    AccessError (RemindersError)
     ├── InvalidCode          unknown, already used or expired (one error: the person learns nothing more)
     ├── AlreadyRegistered    the Telegram user is another caseworker, or the chat is registered already
     └── WrongTeam            a caseworker tried to register another team's chat
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from reminders.errors import RemindersError, UnknownCase, UnknownCaseworker
from reminders.models import (CaseRecord, CaseworkerRecord, DeadlineRecord, InviteRecord,
                              TeamChatRecord)
from reminders.references import check_reference
from reminders.store import StoredDeadline, deadlines_query, read_deadlines

# 16 random bytes (128 bits) as URL-safe base64: 22 characters of A-Z a-z 0-9 _ -, which is what a
# t.me deep link's start parameter allows (at most 64 characters).
CODE_BYTES = 16
MAX_NAME = 80
MAX_TEAM = 40


class AccessError(RemindersError):
    """A caseworker or team-chat registration cannot be done."""


class InvalidCode(AccessError):
    """The code is unknown, already used or expired."""


class AlreadyRegistered(AccessError):
    """The Telegram user is registered as another caseworker, or the chat is registered already."""


class WrongTeam(AccessError):
    """The caseworker is not in the team the team-chat code is for."""


@dataclass(frozen=True, slots=True)
class Code:
    """A freshly made one-time code: shown once, never stored in clear."""

    code: str
    expires_at: datetime
    caseworker_id: int | None = None
    team: str | None = None


def code_hash(code: str) -> str:
    """Return the SHA-256 (hex) under which a code is stored."""
    return hashlib.sha256(code.strip().encode("utf-8")).hexdigest()


def _new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def _clean_label(value: str, limit: int, what: str) -> str:
    cleaned = " ".join(value.split())
    if not cleaned:
        raise AccessError(f"the {what} is empty")
    if len(cleaned) > limit:
        raise AccessError(f"the {what} is longer than {limit} characters")
    return cleaned


async def create_invite(session: AsyncSession, name: str, team: str | None, now: datetime,
                        ttl: timedelta) -> Code:
    """Add a caseworker and a one-time invite code for them.

    Args:
        name: what the administrator calls the caseworker (shown in `stifinder caseworkers list` only).
        team: the caseworker's team, or None for a caseworker who sees only their own cases.
        now: the current instant (aware).
        ttl: how long the code can be redeemed.

    Raises:
        AccessError: the name or team is empty or too long.
    """
    record = CaseworkerRecord(name=_clean_label(name, MAX_NAME, "name"),
                              team=_clean_label(team, MAX_TEAM, "team") if team is not None else None,
                              created_at=now)
    session.add(record)
    await session.flush()
    return await reinvite(session, record.id, now, ttl)


async def reinvite(session: AsyncSession, caseworker_id: int, now: datetime, ttl: timedelta) -> Code:
    """Make a new invite code for an existing caseworker (a new phone: redeeming it moves their registration).

    Raises:
        UnknownCaseworker: no caseworker has the id.
    """
    if await session.get(CaseworkerRecord, caseworker_id) is None:
        raise UnknownCaseworker(f"no caseworker has id {caseworker_id}")
    code = _new_code()
    expires = now + ttl
    session.add(InviteRecord(caseworker_id=caseworker_id, code_hash=code_hash(code), created_at=now,
                             expires_at=expires))
    await session.flush()
    return Code(code=code, expires_at=expires, caseworker_id=caseworker_id)


async def redeem_invite(session: AsyncSession, code: str, telegram_user_id: int, now: datetime) -> CaseworkerRecord:
    """Register the Telegram user as the invite's caseworker, and use the code up.

    A new invite for the same caseworker moves the registration to the Telegram user who redeems it.

    Raises:
        InvalidCode: no invite has the code, or it was used, or it has expired.
        AlreadyRegistered: the Telegram user is registered as another caseworker (the code stays usable).
    """
    invite: InviteRecord | None = await session.scalar(
        select(InviteRecord).where(InviteRecord.code_hash == code_hash(code)).with_for_update())
    if invite is None or invite.used_at is not None or invite.expires_at <= now:
        raise InvalidCode("the code is not valid")
    holder = await caseworker_by_telegram(session, telegram_user_id)
    if holder is not None and holder.id != invite.caseworker_id:
        raise AlreadyRegistered("this Telegram user is registered as another caseworker")
    caseworker = await session.get(CaseworkerRecord, invite.caseworker_id)
    if caseworker is None:  # deleted after the invite was made (ON DELETE CASCADE makes this rare)
        raise InvalidCode("the code is not valid")
    invite.used_at = now
    caseworker.telegram_user_id = telegram_user_id
    await session.flush()
    return caseworker


async def caseworker_by_telegram(session: AsyncSession, telegram_user_id: int) -> CaseworkerRecord | None:
    """Return the caseworker registered with this Telegram user id, if any."""
    found: CaseworkerRecord | None = await session.scalar(
        select(CaseworkerRecord).where(CaseworkerRecord.telegram_user_id == telegram_user_id))
    return found


async def list_caseworkers(session: AsyncSession) -> list[CaseworkerRecord]:
    """Return every caseworker, by team and name."""
    rows = await session.scalars(select(CaseworkerRecord).order_by(CaseworkerRecord.team, CaseworkerRecord.name,
                                                                   CaseworkerRecord.id))
    return list(rows)


async def create_team_chat_code(session: AsyncSession, team: str, now: datetime, ttl: timedelta) -> Code:
    """Make a one-time code that registers a Telegram group as the team's chat.

    Raises:
        AccessError: the team is empty or too long.
    """
    name = _clean_label(team, MAX_TEAM, "team")
    code = _new_code()
    expires = now + ttl
    session.add(TeamChatRecord(team=name, code_hash=code_hash(code), created_at=now, expires_at=expires))
    await session.flush()
    return Code(code=code, expires_at=expires, team=name)


async def register_team_chat(session: AsyncSession, code: str, chat_id: int, caseworker: CaseworkerRecord,
                             now: datetime) -> TeamChatRecord:
    """Register the group `chat_id` as a team chat; only a caseworker of that team may do it.

    Raises:
        InvalidCode: no team-chat code has it, or it was used, or it has expired.
        WrongTeam: the caseworker is not in the code's team (the code stays usable).
        AlreadyRegistered: the group is a team chat already.
    """
    record: TeamChatRecord | None = await session.scalar(
        select(TeamChatRecord).where(TeamChatRecord.code_hash == code_hash(code)).with_for_update())
    if record is None or record.registered_at is not None or record.expires_at <= now:
        raise InvalidCode("the code is not valid")
    if caseworker.team != record.team:
        raise WrongTeam("the caseworker is not in the team of this code")
    if await team_of_chat(session, chat_id) is not None:
        raise AlreadyRegistered("this group is a team chat already")
    record.telegram_chat_id = chat_id
    record.registered_at = now
    record.registered_by = caseworker.id
    await session.flush()
    return record


async def team_of_chat(session: AsyncSession, chat_id: int) -> str | None:
    """Return the team whose registered chat this is, or None."""
    team: str | None = await session.scalar(
        select(TeamChatRecord.team).where(TeamChatRecord.telegram_chat_id == chat_id))
    return team


async def is_team_chat(session: AsyncSession, chat_id: int) -> bool:
    """Tell whether the chat is a registered team chat."""
    return await team_of_chat(session, chat_id) is not None


async def list_team_chats(session: AsyncSession) -> list[TeamChatRecord]:
    """Return every team-chat code and registration, by team and creation."""
    rows = await session.scalars(select(TeamChatRecord).order_by(TeamChatRecord.team, TeamChatRecord.created_at))
    return list(rows)


def _visible_to(caseworker: CaseworkerRecord) -> ColumnElement[bool]:
    """The SQL condition of the cases a caseworker sees: their own, and their team's."""
    if caseworker.team is None:
        return CaseRecord.caseworker_id == caseworker.id
    team = select(CaseworkerRecord.id).where(CaseworkerRecord.team == caseworker.team)
    return or_(CaseRecord.caseworker_id == caseworker.id, CaseRecord.caseworker_id.in_(team))


async def visible_case(session: AsyncSession, caseworker: CaseworkerRecord, reference: str) -> CaseRecord:
    """Return the case with the reference if the caseworker may see it.

    Raises:
        RefusedReference: the reference could never be a case's.
        UnknownCase: no case has it, or the caseworker may not see it (the same error: nothing leaks).
    """
    normalised = check_reference(reference)
    found: CaseRecord | None = await session.scalar(
        select(CaseRecord).where(CaseRecord.reference == normalised, _visible_to(caseworker)))
    if found is None:
        raise UnknownCase(f"no case {normalised} that this caseworker may see")
    return found


async def visible_cases(session: AsyncSession, caseworker: CaseworkerRecord, *,
                        include_closed: bool = False) -> list[CaseRecord]:
    """Return the cases the caseworker sees (open ones unless `include_closed`), by reference."""
    query = select(CaseRecord).where(_visible_to(caseworker)).order_by(CaseRecord.reference)
    if not include_closed:
        query = query.where(CaseRecord.closed_at.is_(None))
    return list(await session.scalars(query))


async def visible_deadlines(session: AsyncSession, caseworker: CaseworkerRecord,
                            reference: str | None = None) -> list[StoredDeadline]:
    """Return the stored deadlines of the open cases the caseworker sees (or of one of them), by due day.

    Raises:
        RefusedReference, UnknownCase: as visible_case, when a reference is given.
    """
    query = deadlines_query().where(_visible_to(caseworker), CaseRecord.closed_at.is_(None))
    if reference is not None:
        case = await visible_case(session, caseworker, reference)
        query = query.where(DeadlineRecord.case_id == case.id)
    return await read_deadlines(session, query)


async def toggle_team_digest(session: AsyncSession, chat_id: int, caseworker: CaseworkerRecord) -> bool | None:
    """Turn the team chat's daily digest of overdue deadlines on or off; return the new setting, or None when
    the caseworker is not of the chat's team (only the team's own caseworkers decide what its chat gets)."""
    record: TeamChatRecord | None = await session.scalar(
        select(TeamChatRecord).where(TeamChatRecord.telegram_chat_id == chat_id).with_for_update())
    if record is None or caseworker.team != record.team:
        return None
    record.digest = not record.digest
    await session.flush()
    return record.digest
