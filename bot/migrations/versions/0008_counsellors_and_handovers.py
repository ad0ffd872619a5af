"""Counsellors and the handover queue: a caseworker may be a counsellor, on duty or not; a citizen's chat waits
for one in `handovers` (no message text: a pseudonym number, the channel, the language, the topic understood).

Revision ID: 0008
Revises: 0007
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("caseworkers") as batch:
        batch.add_column(sa.Column("counsellor", sa.Boolean(), nullable=False, server_default=sa.text("false")))
        batch.add_column(sa.Column("on_duty_since", UTC, nullable=True))
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("conv", sa.String(64), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("lang", sa.String(5), nullable=False),
        sa.Column("topic", sa.String(64), nullable=True),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("queued_at", UTC, nullable=False),
        sa.Column("claimed_by", sa.Integer(), nullable=True),
        sa.Column("claimed_at", UTC, nullable=True),
        sa.Column("ended_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_handovers"),
        sa.ForeignKeyConstraint(["claimed_by"], ["caseworkers.id"], name="fk_handovers_claimed_by_caseworkers",
                                ondelete="SET NULL"),
        sa.CheckConstraint("state IN ('waiting', 'talking', 'ended')", name="ck_handovers_state"),
    )
    op.create_index("ix_handovers_state", "handovers", ["state"])
    # one open handover per conversation: waiting or talking
    op.create_index("uq_handovers_open_conv", "handovers", ["conv"], unique=True,
                    sqlite_where=sa.text("state != 'ended'"), postgresql_where=sa.text("state != 'ended'"))


def downgrade() -> None:
    op.drop_index("uq_handovers_open_conv", table_name="handovers")
    op.drop_index("ix_handovers_state", table_name="handovers")
    op.drop_table("handovers")
    with op.batch_alter_table("caseworkers") as batch:
        batch.drop_column("on_duty_since")
        batch.drop_column("counsellor")
