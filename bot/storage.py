"""The database: an async SQLAlchemy engine, migrated with Alembic to the latest revision.

Alembic only runs when the database is not at LATEST_REVISION, so a normal start costs one query.
A new (or just migrated) database that never had a provider catalogue gets the shipped sample.
"""

from __future__ import annotations

import logging
from pathlib import Path
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

from sqlalchemy import MetaData, event, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.pool import StaticPool

log = logging.getLogger(__name__)
T = TypeVar("T")

MIGRATIONS = Path(__file__).parent / "migrations"
LATEST_REVISION = "0010"


def model_metadata() -> list[MetaData]:
    """Return the metadata of every package's tables: what Alembic migrates and tests compare against."""
    import handover  # noqa: F401  (its table is on the reminders' metadata: it refers to the caseworkers)
    from dialogs import DialogsBase
    from knowledge.providers import ProvidersBase
    from reminders import RemindersBase

    return [DialogsBase.metadata, RemindersBase.metadata, ProvidersBase.metadata]


def create_engine(url: str) -> AsyncEngine:
    """Create the engine; an in-memory SQLite database is shared by every session of the engine."""
    if url in ("sqlite+aiosqlite://", "sqlite+aiosqlite:///:memory:"):
        # one connection, and every unit of work ends in a commit or rollback of its own (no reset on return)
        return create_async_engine(url, poolclass=StaticPool, connect_args={"check_same_thread": False},
                                   pool_reset_on_return=None)
    if url.startswith("sqlite+aiosqlite:///"):
        Path(url.removeprefix("sqlite+aiosqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # Every unit of work ends in a commit or a rollback of its own, so the pool's extra rollback when a
        # connection is returned (one more trip to aiosqlite's thread per turn) is not needed. A local file
        # needs no pre-ping either.
        engine = create_async_engine(url, pool_reset_on_return=None)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    """Write-ahead log with synchronous=NORMAL: a commit no longer waits for an fsync of the whole file,
    and a crash of the process loses nothing committed (a power cut may lose the last moments); readers
    never block the writer; a second process waits up to 5 s for a lock instead of failing."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


async def current_revision(engine: AsyncEngine) -> str | None:
    """Return the Alembic revision the database is at, or None for a new database."""
    try:
        async with engine.connect() as conn:
            return (await conn.execute(text("SELECT version_num FROM alembic_version"))).scalar_one_or_none()
    except (OperationalError, ProgrammingError):
        return None


MIGRATION_LOCK = text("SELECT pg_advisory_xact_lock(7388160211)")  # any constant of our own


async def migrate(engine: AsyncEngine) -> None:
    """Bring the database to the latest revision with Alembic."""
    from alembic import command  # only when needed: it costs start-up time
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    async with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Several processes may start on a new database at once (`stifinder serve --workers N`, or `run`
            # beside `serve`): one migrates, the others wait and then find it at the latest revision.
            await conn.execute(MIGRATION_LOCK)

        def upgrade(sync_conn: object) -> None:
            config.attributes["connection"] = sync_conn
            command.upgrade(config, "head")

        await conn.run_sync(upgrade)
    log.info("database migrated to=%s", LATEST_REVISION)


async def open_database(url: str) -> tuple[AsyncEngine, async_sessionmaker[AsyncSession]]:
    """Create the engine, migrate if needed, and return it with a session factory."""
    engine = create_engine(url)
    if url in ("sqlite+aiosqlite://", "sqlite+aiosqlite:///:memory:"):
        # A throw-away database (`stifinder ask`, tests): create the tables directly, no history to keep. The
        # sample provider catalogue is loaded when the provider desk first needs it (DatabaseCatalogue).
        async with engine.begin() as conn:
            for metadata in model_metadata():
                await conn.run_sync(metadata.create_all)
        return engine, async_sessionmaker(engine, expire_on_commit=False)
    if await current_revision(engine) != LATEST_REVISION:
        await migrate(engine)
    else:
        return engine, async_sessionmaker(engine, expire_on_commit=False)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    await load_sample_catalogue(sessions)
    return engine, sessions


async def load_sample_catalogue(sessions: async_sessionmaker[AsyncSession]) -> None:
    """Load the shipped sample provider catalogue into a new or just migrated database that never had one."""
    from datetime import datetime, timezone

    from sqlalchemy.exc import IntegrityError

    from knowledge.providers import load_sample_if_new

    try:
        async with sessions.begin() as session:
            info = await load_sample_if_new(session, datetime.now(timezone.utc))
    except IntegrityError:  # another process loaded it at the same moment
        return
    if info is not None:
        log.info("provider catalogue: sample loaded count=%d", info.count)


async def in_one_transaction(url: str, work: Callable[[AsyncSession], Awaitable[T]]) -> T:
    """Open the database, run `work` in one transaction (committed when it returns), and close it.

    The command-line tools' unit of work: one command, one transaction, nothing left open.
    """
    engine, sessions = await open_database(url)
    try:
        async with sessions.begin() as session:
            return await work(session)
    finally:
        await engine.dispose()
