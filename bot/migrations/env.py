"""Alembic environment: runs on the connection that bot.storage.migrate hands over."""

from __future__ import annotations

from alembic import context

from bot.storage import model_metadata

target_metadata = model_metadata()

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through bot.storage.migrate (stifinder db upgrade)")
context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
