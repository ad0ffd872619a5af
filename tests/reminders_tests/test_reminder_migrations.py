"""`alembic upgrade head` on SQLite and on a real PostgreSQL 15 server: the schema it builds matches the
ORM models exactly, 0002 goes down and up again, and an 0001 database keeps its rows."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text

from bot.storage import LATEST_REVISION, create_engine, current_revision, migrate, model_metadata
from fakes.databases import alembic, empty_database, tables  # noqa: F401 (fixture)
from fakes.postgres import postgres_server, postgres_url  # noqa: F401 (fixtures)

REMINDER_TABLES = {"caseworkers", "cases", "case_events", "deadlines", "reminders", "reminder_digests",
                   "caseworker_invites", "team_chats"}


async def test_upgrade_head_builds_exactly_the_models(empty_database: str) -> None:
    engine = create_engine(empty_database)
    try:
        assert await current_revision(engine) is None
        await migrate(engine)  # alembic upgrade head
        assert await current_revision(engine) == LATEST_REVISION
        assert REMINDER_TABLES | {"conversation_state"} <= await tables(engine)

        async with engine.connect() as conn:
            def differences(sync_conn: Connection) -> list[Any]:
                context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
                return list(compare_metadata(context, model_metadata()))  # type: ignore[arg-type]

            assert await conn.run_sync(differences) == []
    finally:
        await engine.dispose()


async def test_reminder_tables_go_down_and_up_again_and_keeps_the_conversations(empty_database: str) -> None:
    engine = create_engine(empty_database)
    try:
        await alembic(engine, "upgrade", "0001")
        expires = datetime(2026, 3, 29, 1, 30, tzinfo=timezone.utc)
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO conversation_state (key, lang_chosen, slots, expires_at) "
                                    "VALUES ('k1', false, '{}', :expires)"), {"expires": expires})
        await migrate(engine)
        assert REMINDER_TABLES <= await tables(engine)
        await alembic(engine, "downgrade", "0001")
        assert not REMINDER_TABLES & await tables(engine)
        assert await current_revision(engine) == "0001"
        await alembic(engine, "upgrade", "head")
        assert await current_revision(engine) == LATEST_REVISION
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT key FROM conversation_state"))).scalar_one() == "k1"
    finally:
        await engine.dispose()
