"""Who wrote: the Directory over the caseworker registry (reminders.access).

A Telegram account is a caseworker when it redeemed an invite; a Telegram group is a team chat when
a caseworker of the team registered it. A local tool (the terminal chat, `stifinder ask`) runs with
the database's own rights, so the role its operator asks for is taken, and a caseworker is named by
their registry id. "Not a caseworker" is remembered for a short while, keyed by a salted hash (never
the account id), so a citizen's messages do not each cost a query.
"""

from __future__ import annotations

import hashlib
import secrets
import time
from datetime import timedelta

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from dialogs.turn import CITIZEN, Identity, Role, Sender
from reminders import CaseworkerRecord, UnknownCaseworker
from reminders.access import caseworker_by_telegram, team_of_chat

LOCAL_CHANNELS = ("terminal", "ask")
NOT_STAFF_CACHE_SIZE = 50_000


class RegistryDirectory:
    """The Directory of registered caseworkers and team chats.

    Args:
        sessions: the database's session factory.
        not_staff_ttl: how long "this account is not a caseworker" is remembered. A caseworker registered
            through another process is recognised here after at most this long; one registered here, at once.
    """

    def __init__(self, sessions: async_sessionmaker[AsyncSession],
                 not_staff_ttl: timedelta = timedelta(seconds=60)) -> None:
        self._sessions = sessions
        self._not_staff: dict[bytes, float] = {}
        self._ttl = not_staff_ttl.total_seconds()
        self._salt = secrets.token_bytes(16)

    async def identify(self, sender: Sender) -> Identity:
        """Return the sender's role and, for a caseworker, their id, language and team.

        Raises:
            UnknownCaseworker: a local tool named a caseworker id that is not registered.
        """
        if sender.channel in LOCAL_CHANNELS:
            return await self._local(sender)
        worker = await self._caseworker(sender.account)
        if not sender.group:
            if worker is None:
                return CITIZEN
            return Identity(Role.CASEWORKER, worker.id, _lang(worker), worker.team)
        team = None
        if sender.chat is not None:
            async with self._sessions() as session:
                team = await team_of_chat(session, sender.chat)
        worker_id = worker.id if worker is not None else None
        lang = _lang(worker) if worker is not None else None
        return Identity(Role.TEAM if team is not None else Role.GROUP, worker_id, lang, team)

    def changed(self, sender: Sender) -> None:
        if sender.account is not None:
            self._not_staff.pop(self._key(sender.account), None)

    async def _local(self, sender: Sender) -> Identity:
        if sender.account is None:
            return Identity(sender.claimed, team=sender.team)
        async with self._sessions() as session:
            worker = await session.get(CaseworkerRecord, sender.account)
        if worker is None:
            raise UnknownCaseworker(f"no caseworker with id {sender.account}")
        role = Role.TEAM if sender.claimed is Role.TEAM else Role.CASEWORKER
        return Identity(role, worker.id, _lang(worker), sender.team or worker.team)

    async def _caseworker(self, account: int | None) -> CaseworkerRecord | None:
        if account is None:
            return None
        key = self._key(account)
        now = time.monotonic()
        if self._not_staff.get(key, 0.0) > now:
            return None
        async with self._sessions() as session:
            worker = await caseworker_by_telegram(session, account)
        if worker is None:
            if len(self._not_staff) >= NOT_STAFF_CACHE_SIZE:
                self._not_staff.clear()
            self._not_staff[key] = now + self._ttl
        return worker

    def _key(self, account: int) -> bytes:
        return hashlib.blake2b(str(account).encode(), key=self._salt, digest_size=16).digest()


def _lang(worker: CaseworkerRecord) -> str:
    return "en" if worker.language == "en" else "da"
