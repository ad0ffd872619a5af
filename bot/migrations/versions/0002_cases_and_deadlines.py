"""Caseworkers, pseudonymous cases, case events, deadlines and reminders.

Cases hold a pseudonymous reference only; events a kind and a calendar day. Instants are UTC.
Constraint names follow knowledge.storage_types.NAMING.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

UTC = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "caseworkers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(80), nullable=False),
        sa.Column("team", sa.String(40), nullable=True),
        sa.Column("telegram_user_id", sa.BigInteger(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_caseworkers"),
        sa.UniqueConstraint("telegram_user_id", name="uq_caseworkers_telegram_user_id"),
    )
    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(32), nullable=False),
        sa.Column("caseworker_id", sa.Integer(), nullable=True),
        sa.Column("created_at", UTC, nullable=False),
        sa.Column("closed_at", UTC, nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
        sa.UniqueConstraint("reference", name="uq_cases_reference"),
        sa.ForeignKeyConstraint(["caseworker_id"], ["caseworkers.id"], name="fk_cases_caseworker_id_caseworkers",
                                ondelete="SET NULL"),
    )
    op.create_index("ix_cases_caseworker_id", "cases", ["caseworker_id"])
    op.create_table(
        "case_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("occurred_on", sa.Date(), nullable=False),
        sa.Column("recorded_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_case_events"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_case_events_case_id_cases", ondelete="CASCADE"),
    )
    op.create_index("ix_case_events_case_id_occurred_on", "case_events", ["case_id", "occurred_on"])
    op.create_table(
        "deadlines",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("rule_id", sa.String(64), nullable=False),
        sa.Column("anchor_event_id", sa.Integer(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("closed_by_event_id", sa.Integer(), nullable=True),
        sa.Column("closed_on", sa.Date(), nullable=True),
        sa.Column("informational", sa.Boolean(), nullable=False),
        sa.Column("updated_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_deadlines"),
        sa.UniqueConstraint("case_id", "rule_id", "anchor_event_id", name="uq_deadlines_case_id_rule_id_anchor_event_id"),
        sa.CheckConstraint("state IN ('open', 'met', 'cancelled')", name="ck_deadlines_state"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name="fk_deadlines_case_id_cases", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["anchor_event_id"], ["case_events.id"],
                                name="fk_deadlines_anchor_event_id_case_events", ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["closed_by_event_id"], ["case_events.id"],
                                name="fk_deadlines_closed_by_event_id_case_events", ondelete="SET NULL"),
    )
    op.create_index("ix_deadlines_anchor_event_id", "deadlines", ["anchor_event_id"])
    op.create_index("ix_deadlines_state_due_on", "deadlines", ["state", "due_on"])
    op.create_table(
        "reminders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("deadline_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.String(32), nullable=False),
        sa.Column("due_at", UTC, nullable=False),
        sa.Column("sent_at", UTC, nullable=True),
        sa.Column("claimed_by", sa.String(64), nullable=True),
        sa.Column("claimed_until", UTC, nullable=True),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default=sa.text("0")),
        sa.Column("created_at", UTC, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_reminders"),
        sa.UniqueConstraint("deadline_id", "slot", name="uq_reminders_deadline_id_slot"),
        sa.ForeignKeyConstraint(["deadline_id"], ["deadlines.id"], name="fk_reminders_deadline_id_deadlines",
                                ondelete="CASCADE"),
    )
    # The due-reminders query reads only unsent rows in due order.
    op.create_index("ix_reminders_unsent_due_at", "reminders", ["due_at"],
                    postgresql_where=sa.text("sent_at IS NULL"), sqlite_where=sa.text("sent_at IS NULL"))


def downgrade() -> None:
    op.drop_index("ix_reminders_unsent_due_at", table_name="reminders")
    op.drop_table("reminders")
    op.drop_index("ix_deadlines_state_due_on", table_name="deadlines")
    op.drop_index("ix_deadlines_anchor_event_id", table_name="deadlines")
    op.drop_table("deadlines")
    op.drop_index("ix_case_events_case_id_occurred_on", table_name="case_events")
    op.drop_table("case_events")
    op.drop_index("ix_cases_caseworker_id", table_name="cases")
    op.drop_table("cases")
    op.drop_table("caseworkers")
