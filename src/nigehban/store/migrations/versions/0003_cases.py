"""Decisions keep the engine's details; cases open for review.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    with op.batch_alter_table("decisions") as batch:
        batch.add_column(sa.Column("details", sa.JSON))
    op.create_table(
        "cases",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("item_id", ID, sa.ForeignKey("items.id"), nullable=False),
        sa.Column("decision_id", ID, sa.ForeignKey("decisions.id"), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("opened_at", TZ, nullable=False),
        sa.Column("deadline", TZ),
    )
    op.create_index("ix_cases_tenant_state", "cases", ["tenant_id", "state", "deadline"])
    op.create_index("ix_cases_item", "cases", ["tenant_id", "item_id"])


def downgrade() -> None:
    op.drop_table("cases")
    with op.batch_alter_table("decisions") as batch:
        batch.drop_column("details")
