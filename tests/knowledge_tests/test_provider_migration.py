"""Migration 0004 on SQLite and a real PostgreSQL 15: an existing 0003 database gets the catalogue tables and
the sample when `stifinder` opens it; 0004 goes down and up again. (That `upgrade head` builds exactly the
models, these tables included, is tests/reminders_tests/test_reminder_migrations.py, over model_metadata().)"""

from __future__ import annotations


from sqlalchemy import text

from bot.storage import LATEST_REVISION, create_engine, current_revision, open_database
from fakes.databases import alembic, empty_database, tables  # noqa: F401 (fixture)
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)
from knowledge.providers import catalogue_info, load_providers

PROVIDER_TABLES = {"providers", "provider_catalogue"}


async def test_a_0003_database_gets_the_catalogue_and_the_sample_when_opened(empty_database: str) -> None:
    engine = create_engine(empty_database)
    try:
        await alembic(engine, "upgrade", "0003")
        assert not PROVIDER_TABLES & await tables(engine)
    finally:
        await engine.dispose()
    engine, sessions = await open_database(empty_database)
    try:
        assert await current_revision(engine) == LATEST_REVISION
        async with sessions() as session:
            info = await catalogue_info(session)
            assert info is not None and info.is_sample and len(await load_providers(session)) == info.count
    finally:
        await engine.dispose()


async def test_0004_goes_down_and_up_again(empty_database: str) -> None:
    engine, _ = await open_database(empty_database)
    try:
        assert PROVIDER_TABLES <= await tables(engine)
        await alembic(engine, "downgrade", "0003")
        assert not PROVIDER_TABLES & await tables(engine)
        assert await current_revision(engine) == "0003"
        await alembic(engine, "upgrade", "head")
        assert PROVIDER_TABLES <= await tables(engine)
        async with engine.connect() as conn:  # the tables came back empty: opening loads the sample again
            assert (await conn.execute(text("SELECT count(*) FROM provider_catalogue"))).scalar_one() == 0
    finally:
        await engine.dispose()
