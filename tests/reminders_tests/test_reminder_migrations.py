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


async def test_0005_keeps_the_events_and_deadlines_of_a_0004_database_and_goes_down_and_up(empty_database: str) -> None:
    engine = create_engine(empty_database)
    try:
        await alembic(engine, "upgrade", "0004")
        now = datetime(2026, 11, 23, 9, 0, tzinfo=timezone.utc)
        async with engine.begin() as conn:
            await conn.execute(text("INSERT INTO cases (id, reference, created_at) VALUES (1, 'S-14', :now)"),
                               {"now": now})
            await conn.execute(text("INSERT INTO case_events (id, case_id, kind, occurred_on, recorded_at) "
                                    "VALUES (1, 1, 'henvendelse', '2026-11-20', :now)"), {"now": now})
        await migrate(engine)
        async with engine.connect() as conn:
            row = (await conn.execute(text("SELECT kind, target_rule_id, target_anchor_event_id FROM case_events"))).one()
            assert tuple(row) == ("henvendelse", None, None)
        await alembic(engine, "downgrade", "0004")
        async with engine.connect() as conn:
            assert (await conn.execute(text("SELECT count(*) FROM case_events"))).scalar_one() == 1
        await alembic(engine, "upgrade", "head")
        assert await current_revision(engine) == LATEST_REVISION
    finally:
        await engine.dispose()


async def test_processes_starting_together_on_a_new_postgresql_database_migrate_it_once(postgres_url: str) -> None:
    import asyncio

    from bot.storage import open_database

    # as three workers start; without the migration lock they fail on Alembic's table or wait on each other
    opened = await asyncio.wait_for(asyncio.gather(*(open_database(postgres_url) for _ in range(3))), 60)
    try:
        assert {await current_revision(engine) for engine, _ in opened} == {LATEST_REVISION}
    finally:
        for engine, _ in opened:
            await engine.dispose()
