"""Events recorded for one named deadline, and the day a decision was received.

`case_events.target_rule_id` and `target_anchor_event_id` name the deadline an event was recorded for
(the reminder's "done" button, `stifinder cases event --deadline`): it meets that deadline and no
other. `deadlines.received_on` is the day the citizen received the decision a period counts from
(the complaint window), empty while only the sent day is known. Constraint names follow
knowledge.storage_types.NAMING.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("case_events") as batch:
        batch.add_column(sa.Column("target_rule_id", sa.String(64), nullable=True))
        batch.add_column(sa.Column("target_anchor_event_id", sa.Integer(), nullable=True))
        batch.create_foreign_key("fk_case_events_target_anchor_event_id_case_events", "case_events",
                                 ["target_anchor_event_id"], ["id"], ondelete="SET NULL")
    with op.batch_alter_table("deadlines") as batch:
        batch.add_column(sa.Column("received_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("deadlines") as batch:
        batch.drop_column("received_on")
    with op.batch_alter_table("case_events") as batch:
        batch.drop_constraint("fk_case_events_target_anchor_event_id_case_events", type_="foreignkey")
        batch.drop_column("target_anchor_event_id")
        batch.drop_column("target_rule_id")
