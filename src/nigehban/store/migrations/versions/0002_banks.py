"""Hash banks: banks, their entries, and the match log.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "banks",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("name", sa.String(63), nullable=False),
        sa.Column("description", sa.String(500), nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("thresholds", sa.JSON, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("tenant_id", "name", name="uq_banks_tenant_name"),
    )
    op.create_table(
        "bank_entries",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("bank_id", ID, sa.ForeignKey("banks.id"), nullable=False),
        sa.Column("signal_type", sa.String(10), nullable=False),
        sa.Column("value_key", sa.String(128), nullable=False),
        sa.Column("value", sa.Text, nullable=False),
        sa.Column("labels", sa.JSON, nullable=False),
        sa.Column("enabled", sa.Boolean, nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.UniqueConstraint("bank_id", "signal_type", "value_key", name="uq_bank_entries_value"),
    )
    op.create_index("ix_bank_entries_tenant", "bank_entries", ["tenant_id", "signal_type"])
    op.create_table(
        "bank_matches",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("subject", sa.String(600), nullable=False),
        sa.Column("bank", sa.String(63), nullable=False),
        sa.Column("entry_id", ID, nullable=False),
        sa.Column("signal_type", sa.String(10), nullable=False),
        sa.Column("distance", sa.Float, nullable=False),
        sa.Column("matched_at", TZ, nullable=False),
    )
    op.create_index("ix_bank_matches_subject", "bank_matches", ["tenant_id", "subject"])
    op.create_index("ix_bank_matches_entry", "bank_matches", ["tenant_id", "entry_id"])


def downgrade() -> None:
    for name in ("bank_matches", "bank_entries", "banks"):
        op.drop_table(name)
