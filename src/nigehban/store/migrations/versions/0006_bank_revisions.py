"""A revision number per tenant for its banks, bumped by every change to a bank or an entry in
the same transaction: a long-running process (the API server) compares it with the revision its
index was built at and rebuilds the index when another process (the CLI, another server) has
changed the banks since.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "bank_revisions",
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), primary_key=True),
        sa.Column("revision", sa.BigInteger(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("bank_revisions")
