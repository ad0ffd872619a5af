"""The crisis signs the safety screen saw in a chat before it asked for a person, shown to the counsellor; and
since when a web chat citizen has been away (the tab closed), so that the handover ends if they do not return.

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("handovers") as batch:
        batch.add_column(sa.Column("crisis", sa.String(16), nullable=True))
        batch.add_column(sa.Column("citizen_away_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("handovers") as batch:
        batch.drop_column("citizen_away_since")
        batch.drop_column("crisis")
