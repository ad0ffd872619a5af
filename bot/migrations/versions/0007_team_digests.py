"""A team chat may subscribe to its caseworkers' overdue deadlines as one daily digest (/frister_team).

`team_chats.digest` is the opt-in; `team_digests` holds one row per team chat and local day, claimed and
sent like `reminder_digests`. Constraint names follow knowledge.storage_types.NAMING.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("team_chats") as batch:
        batch.add_column(sa.Column("digest", sa.Boolean(), nullable=False, server_default=sa.text("false")))
    op.create_table(
        "team_digests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_chat_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_until", UTC, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("gave_up_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_team_digests"),
        sa.UniqueConstraint("team_chat_id", "day", name="uq_team_digests_team_chat_id_day"),
        sa.ForeignKeyConstraint(["team_chat_id"], ["team_chats.id"],
                                name="fk_team_digests_team_chat_id_team_chats", ondelete="CASCADE"),
    )


def downgrade() -> None:
    op.drop_table("team_digests")
    with op.batch_alter_table("team_chats") as batch:
        batch.drop_column("digest")
