"""Loads, saves and forgets conversation state. Only the engine calls these, inside its unit of work.

Core statements, not the ORM unit of work: a turn costs one SELECT by primary key and, when
something changed, one upsert (INSERT … ON CONFLICT DO UPDATE on SQLite and PostgreSQL). A turn
that changed nothing writes nothing, unless the stored expiry is more than REFRESH_SLACK older than
the new one: the idle time is then exact to within REFRESH_SLACK, and never longer than configured.

On SQLite the upsert is handed to the driver as its SQL text, compiled once from the same statement:
SQLAlchemy's aiosqlite adapter makes three trips to the driver's thread for one statement (cursor,
execute, close), the driver's own `execute` one. It runs on the turn's connection, inside the turn's
transaction, with each column's own bind conversion, so what is stored is what the statement would store.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from typing import Any, Callable
from weakref import WeakKeyDictionary

from sqlalchemy import Dialect, Insert, Select, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from dialogs.models import ConversationRecord
from dialogs.turn import State

# How stale a stored expiry may get before an unchanged turn rewrites it. A conversation may end up to
# this much earlier than `ttl` after its last message (never later): the privacy-safe direction.
REFRESH_SLACK = timedelta(minutes=1)

_COLUMNS = (ConversationRecord.lang, ConversationRecord.lang_chosen, ConversationRecord.flow,
            ConversationRecord.step, ConversationRecord.slots, ConversationRecord.expires_at)
_TABLE = ConversationRecord.__table__
_STATE_NAMES = ("lang", "lang_chosen", "flow", "step", "slots", "expires_at")


def _upsert(insert: Any) -> Insert:
    """The one upsert of a conversation's row, built once per dialect: each turn only binds its values."""
    statement = insert(_TABLE).values(key=bindparam("key"), **{name: bindparam(name) for name in _STATE_NAMES})
    return statement.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=[_TABLE.c.key], set_={name: statement.excluded[name] for name in _STATE_NAMES})


_UPSERTS: dict[str, Insert] = {"sqlite": _upsert(sqlite.insert), "postgresql": _upsert(postgresql.insert)}


@dataclass(frozen=True, slots=True)
class DriverStatement:
    """A statement as the DB-API driver takes it: its SQL text, its parameters' order and each one's bind
    conversion (JSON to text, a datetime to SQLite's stored form)."""

    sql: str
    names: tuple[str, ...]
    convert: tuple[Callable[[Any], Any] | None, ...]

    @classmethod
    def compile(cls, statement: Insert, dialect: Dialect) -> DriverStatement:
        compiled = statement.compile(dialect=dialect)
        names = tuple(compiled.positiontup or ())
        columns = statement.table.c
        return cls(str(compiled), names,
                   tuple(columns[name].type.dialect_impl(dialect).bind_processor(dialect) for name in names))

    def parameters(self, values: dict[str, Any]) -> tuple[Any, ...]:
        """The positional parameters for these values."""
        return tuple(values[name] if convert is None else convert(values[name])
                     for name, convert in zip(self.names, self.convert))


_DRIVER_UPSERT: WeakKeyDictionary[Dialect, DriverStatement] = WeakKeyDictionary()  # one per database engine


@dataclass(frozen=True, slots=True)
class Stored:
    """What the database held when the turn began: the state as loaded and its expiry (None: no row)."""

    state: State
    expires_at: datetime | None


def _utc(moment: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything is stored in UTC.
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


class Remembered:
    """The conversations this process saved or loaded, as the database holds them, for the next turn.

    Only for a database whose conversations one process writes (SQLite: one server process, and every
    channel's conversation keys are its own): the next turn of a remembered conversation then needs no
    SELECT, and a turn that changes nothing no trip to the database at all. Written through: the database
    always has every change. With several workers (PostgreSQL) a conversation's turns may come to
    different processes, so nothing is remembered there. At most `size` conversations, the least
    recently used forgotten first.
    """

    def __init__(self, size: int = 10_000) -> None:
        self._size = size
        self._stored: OrderedDict[str, Stored] = OrderedDict()

    def get(self, key: str, now: datetime) -> Stored | None:
        """What the database holds for the conversation (an expired one as a fresh state), or None when
        this process does not know it."""
        stored = self._stored.get(key)
        if stored is None:
            return None
        self._stored.move_to_end(key)
        if stored.expires_at is not None and stored.expires_at <= _utc(now):
            return Stored(State(), stored.expires_at)
        return stored

    def put(self, key: str, stored: Stored) -> None:
        """Remember what the database holds after a committed turn."""
        self._stored[key] = stored
        self._stored.move_to_end(key)
        while len(self._stored) > self._size:
            self._stored.popitem(last=False)

    def drop(self, key: str) -> None:
        """Forget a conversation (deleted, or a turn that failed and left the database as it was)."""
        self._stored.pop(key, None)

    def __len__(self) -> int:
        return len(self._stored)


async def load_stored(session: AsyncSession, key: str, now: datetime) -> Stored:
    """Return the conversation's state (a fresh one when there is none or it has expired) and its row's expiry."""
    row = (await session.execute(select(*_COLUMNS).where(ConversationRecord.key == key))).first()
    if row is None:
        return Stored(State(), None)
    expires_at = _utc(row.expires_at)
    if expires_at <= _utc(now):
        return Stored(State(), expires_at)
    return Stored(State(lang=row.lang, lang_chosen=row.lang_chosen, flow=row.flow, step=row.step,
                        slots=dict(row.slots or {})), expires_at)


async def load(session: AsyncSession, key: str, now: datetime) -> State:
    """Return the conversation's state, or a fresh one when there is none or it has expired."""
    return (await load_stored(session, key, now)).state


def snapshot(stored: Stored) -> Stored:
    """Copy the loaded state, so the turn may change its own copy (slots is a dict)."""
    return replace(stored, state=replace(stored.state, slots=dict(stored.state.slots)))


async def save(session: AsyncSession, key: str, state: State, expires_at: datetime,
               stored: Stored | None = None) -> bool:
    """Store the state until `expires_at`, in one upsert; return whether anything was written.

    With `stored` (what the turn began with), nothing is written when the state is unchanged and the
    stored expiry is within REFRESH_SLACK of the new one.
    """
    expires_at = _utc(expires_at)
    if (stored is not None and stored.expires_at is not None and stored.state == state
            and expires_at - stored.expires_at < REFRESH_SLACK):
        return False
    values: dict[str, Any] = {"lang": state.lang, "lang_chosen": state.lang_chosen, "flow": state.flow,
                              "step": state.step, "slots": dict(state.slots), "expires_at": expires_at}
    dialect = session.get_bind().dialect
    if dialect.name == "sqlite" and dialect.driver == "aiosqlite":
        await _save_through_driver(session, dialect, {"key": key, **values})
    elif dialect.name in _UPSERTS:
        await session.execute(_UPSERTS[dialect.name], {"key": key, **values})
    else:  # another database: read, then insert or update
        await _save_portable(session, key, values)
    return True


async def _save_through_driver(session: AsyncSession, dialect: Dialect, values: dict[str, Any]) -> None:
    statement = _DRIVER_UPSERT.get(dialect)
    if statement is None:
        statement = _DRIVER_UPSERT[dialect] = DriverStatement.compile(_UPSERTS["sqlite"], dialect)
    connection = await (await session.connection()).get_raw_connection()
    driver: Any = connection.driver_connection  # aiosqlite's Connection
    await driver.execute(statement.sql, statement.parameters(values))


async def _save_portable(session: AsyncSession, key: str, values: dict[str, Any]) -> None:
    record = await session.get(ConversationRecord, key)
    if record is None:
        session.add(ConversationRecord(key=key, **values))
    else:
        for name, value in values.items():
            setattr(record, name, value)


async def forget(session: AsyncSession, key: str) -> None:
    """Delete everything held about the conversation."""
    await session.execute(delete(ConversationRecord).where(ConversationRecord.key == key))


def remembered_keys() -> Select[tuple[str]]:
    """The keys of the conversations held (a subquery for what must end with them)."""
    return select(ConversationRecord.key)


async def purge_expired(session: AsyncSession, now: datetime) -> int:
    """Delete every expired conversation; return how many."""
    expired = (await session.execute(
        select(ConversationRecord.key).where(ConversationRecord.expires_at <= _utc(now)))).scalars().all()
    if expired:
        await session.execute(delete(ConversationRecord).where(ConversationRecord.key.in_(expired)))
    return len(expired)
