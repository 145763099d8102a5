"""Cases have a kind (review, appeal) and record how they ended; every policy version that
decided something is kept.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("cases") as batch:
        batch.add_column(sa.Column("kind", sa.String(20), nullable=False, server_default="review"))
        batch.add_column(sa.Column("policy", sa.String(64)))
        batch.add_column(sa.Column("closed_at", TZ))
        batch.add_column(sa.Column("resolution", sa.String(500)))
    op.create_index("ix_cases_decision", "cases", ["tenant_id", "decision_id"])
    op.create_table(
        "policy_versions",
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), primary_key=True),
        sa.Column("hash", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("version", sa.String(200), nullable=False),
        sa.Column("document", sa.Text, nullable=False),
        sa.Column("first_used_at", TZ, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("policy_versions")
    op.drop_index("ix_cases_decision", "cases")
    with op.batch_alter_table("cases") as batch:
        batch.drop_column("resolution")
        batch.drop_column("closed_at")
        batch.drop_column("policy")
        batch.drop_column("kind")
