"""The provider catalogue: one row per provider, and one row that says what was loaded.

Sets, lists and prices are JSON columns; enum values are plain strings checked by the importer.
The sample catalogue is loaded by bot.storage.open_database, not here: a migration stays the same
while the sample file changes. Constraint names follow knowledge.storage_types.NAMING.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "providers",
        sa.Column("id", sa.String(64), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("ownership", sa.String(40), nullable=False),
        sa.Column("offer_types", sa.JSON(), nullable=False),
        sa.Column("region", sa.String(20), nullable=False),
        sa.Column("municipality", sa.String(80), nullable=False),
        sa.Column("address", sa.String(300), nullable=False),
        sa.Column("socialtilsyn_approved", sa.Boolean(), nullable=False),
        sa.Column("tilbudsportalen_id", sa.String(40), nullable=True),
        sa.Column("intake_phone", sa.String(40), nullable=False),
        sa.Column("contract_status", sa.String(40), nullable=False),
        sa.Column("is_primary", sa.Boolean(), nullable=False),
        sa.Column("doegn_profile", sa.String(40), nullable=True),
        sa.Column("target_groups", sa.JSON(), nullable=False),
        sa.Column("age_min", sa.Integer(), nullable=False),
        sa.Column("age_max", sa.Integer(), nullable=True),
        sa.Column("methods", sa.JSON(), nullable=False),
        sa.Column("medical_staff", sa.String(40), nullable=False),
        sa.Column("dual_diagnosis", sa.Boolean(), nullable=False),
        sa.Column("capacity_places", sa.Integer(), nullable=True),
        sa.Column("free_places", sa.Integer(), nullable=True),
        sa.Column("free_places_updated", sa.Date(), nullable=True),
        sa.Column("waiting_time_days", sa.Integer(), nullable=True),
        sa.Column("waiting_time_updated", sa.Date(), nullable=True),
        sa.Column("prices_per_day", sa.JSON(), nullable=False),
        sa.Column("board_and_lodging_per_day", sa.Integer(), nullable=True),
        sa.Column("payment_unplanned_end", sa.Text(), nullable=True),
        sa.Column("distance_km", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_providers"),
    )
    op.create_table(
        "provider_catalogue",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("source", sa.String(255), nullable=False),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("is_sample", sa.Boolean(), nullable=False),
        sa.Column("provider_count", sa.Integer(), nullable=False),
        sa.CheckConstraint("id = 1", name="ck_provider_catalogue_single_row"),
        sa.PrimaryKeyConstraint("id", name="pk_provider_catalogue"),
    )


def downgrade() -> None:
    op.drop_table("provider_catalogue")
    op.drop_table("providers")
