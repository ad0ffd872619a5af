"""Conversation state: language, flow step and coarse slots under a keyed hash. Never text.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "conversation_state",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("lang", sa.String(5), nullable=True),
        sa.Column("lang_chosen", sa.Boolean(), nullable=False),
        sa.Column("flow", sa.String(32), nullable=True),
        sa.Column("step", sa.String(32), nullable=True),
        sa.Column("slots", sa.JSON(), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_index("ix_conversation_state_expires_at", "conversation_state", ["expires_at"])


def downgrade() -> None:
    op.drop_index("ix_conversation_state_expires_at", table_name="conversation_state")
    op.drop_table("conversation_state")
