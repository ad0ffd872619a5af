"""Database fixtures shared by the storage tests: each kind of database the code must work on.

- `database_url`: a new SQLite file and a new PostgreSQL database (both migrated by Alembic when
  opened); `database_url_with_memory` adds the in-memory SQLite of `stifinder ask`. A module that wants
  the three kinds imports it as `database_url`.
- `sessions`: a session factory on `database_url`, opened as `stifinder` opens it.
- `empty_database`: the same two kinds, not opened (for migration tests), with `alembic()` and `tables()`.

Test modules import the fixtures by name: `from fakes.databases import database_url, sessions`, and
the PostgreSQL fixtures with them (`from fakes.postgres import postgres_server, postgres_url`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, inspect
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from bot.storage import MIGRATIONS, open_database

__all__ = ["alembic", "database_url", "database_url_with_memory", "empty_database", "sessions", "tables"]


def _url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    kind = request.param
    if kind == "sqlite-file":
        return f"sqlite+aiosqlite:///{tmp_path / 'stifinder.db'}"
    if kind == "sqlite-memory":
        return "sqlite+aiosqlite://"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(params=["sqlite-file", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new database: a SQLite file, then PostgreSQL."""
    return _url(request, tmp_path)


@pytest.fixture(params=["sqlite-file", "sqlite-memory", "postgresql"])
def database_url_with_memory(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A new database: a SQLite file, in-memory SQLite, then PostgreSQL."""
    return _url(request, tmp_path)


@pytest.fixture
async def sessions(database_url: str) -> AsyncIterator[async_sessionmaker[AsyncSession]]:
    """A session factory on the database, opened (and migrated) as `stifinder` opens it."""
    engine, factory = await open_database(database_url)
    try:
        yield factory
    finally:
        await engine.dispose()


@pytest.fixture(params=["sqlite-file", "postgresql"])
def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no tables at all, for migration tests."""
    return _url(request, tmp_path)


async def alembic(engine: AsyncEngine, action: str, revision: str) -> None:
    """Run `alembic upgrade|downgrade REVISION` on the engine, as bot.storage.migrate does."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    async with engine.begin() as conn:
        def run(sync_conn: Connection) -> None:
            config.attributes["connection"] = sync_conn
            getattr(command, action)(config, revision)

        await conn.run_sync(run)


async def tables(engine: AsyncEngine) -> set[str]:
    """The names of the tables in the database."""
    async with engine.connect() as conn:
        return set(await conn.run_sync(lambda sync_conn: inspect(sync_conn).get_table_names()))
