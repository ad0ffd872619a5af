"""Caseworker invites, team chats, reminder delivery fields and daily digests.

Caseworkers get a language (da/en) for their pings.

Invite and team codes are stored as SHA-256 hashes only. Constraint names follow knowledge.storage_types.NAMING.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("caseworkers") as batch:
        batch.add_column(sa.Column("language", sa.String(8), nullable=False, server_default=sa.text("'da'")))
    with op.batch_alter_table("reminders") as batch:
        batch.add_column(sa.Column("gave_up_at", UTC, nullable=True))
        batch.add_column(sa.Column("message_id", sa.BigInteger(), nullable=True))
    op.create_table(
        "reminder_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("caseworker_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_until", UTC, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("gave_up_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_reminder_digests"),
        sa.UniqueConstraint("caseworker_id", "day", name="uq_reminder_digests_caseworker_id_day"),
        sa.ForeignKeyConstraint(["caseworker_id"], ["caseworkers.id"],
                                name="fk_reminder_digests_caseworker_id_caseworkers", ondelete="CASCADE"),
    )
    op.create_table(
        "caseworker_invites",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("caseworker_id", sa.Integer(), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("used_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_caseworker_invites"),
        sa.UniqueConstraint("code_hash", name="uq_caseworker_invites_code_hash"),
        sa.ForeignKeyConstraint(["caseworker_id"], ["caseworkers.id"],
                                name="fk_caseworker_invites_caseworker_id_caseworkers", ondelete="CASCADE"),
    )
    op.create_index("ix_caseworker_invites_caseworker_id", "caseworker_invites", ["caseworker_id"])
    op.create_table(
        "team_chats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team", sa.String(40), nullable=False),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("telegram_chat_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("expires_at", UTC, nullable=False),
        sa.Column("registered_at", UTC, nullable=True),
        sa.Column("registered_by", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_team_chats"),
        sa.UniqueConstraint("code_hash", name="uq_team_chats_code_hash"),
        sa.UniqueConstraint("telegram_chat_id", name="uq_team_chats_telegram_chat_id"),
        sa.ForeignKeyConstraint(["registered_by"], ["caseworkers.id"], name="fk_team_chats_registered_by_caseworkers",
                                ondelete="SET NULL"),
    )


def downgrade() -> None:
    op.drop_table("team_chats")
    op.drop_index("ix_caseworker_invites_caseworker_id", table_name="caseworker_invites")
    op.drop_table("caseworker_invites")
    op.drop_table("reminder_digests")
    with op.batch_alter_table("reminders") as batch:
        batch.drop_column("message_id")
        batch.drop_column("gave_up_at")
    with op.batch_alter_table("caseworkers") as batch:
        batch.drop_column("language")
