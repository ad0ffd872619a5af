"""The send rate shared by every worker of one bot token (reminders.pacing).

One row per bot ("telegram"): the wall-clock second (epoch) from which the next message may go.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    table = op.create_table(
        "send_budget",
        sa.Column("name", sa.String(32), nullable=False),
        sa.Column("next_at", sa.Float(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_send_budget"),
    )
    op.bulk_insert(table, [{"name": "telegram", "next_at": 0.0}])


def downgrade() -> None:
    op.drop_table("send_budget")
