"""Initial schema: tenants, items with revisions and links, legal holds, API keys, decisions,
and the per-tenant audit chain.

Revision ID: 0001
Revises:
Create Date: 2026-11-28
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)
ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "tenants",
        sa.Column("id", sa.String(63), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
    )
    op.create_table(
        "items",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("ref_key", sa.String(600), nullable=False),
        sa.Column("platform", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(10), nullable=False),
        sa.Column("state", sa.String(10), nullable=False),
        sa.Column("surface", sa.String(10)),
        sa.Column("author_key", sa.String(600)),
        sa.Column("current_revision", sa.Integer),
        sa.Column("current_order", TZ),
        sa.Column("revisions", sa.Integer, nullable=False),
        sa.Column("has_conflict", sa.Boolean, nullable=False),
        sa.Column("first_seen", TZ, nullable=False),
        sa.Column("last_seen", TZ, nullable=False),
        sa.Column("deleted_at", TZ),
        sa.Column("content_purged_at", TZ),
        sa.UniqueConstraint("tenant_id", "ref_key", name="uq_items_tenant_ref"),
    )
    op.create_index("ix_items_tenant_author", "items", ["tenant_id", "author_key"])
    op.create_index("ix_items_tenant_kind_seen", "items", ["tenant_id", "kind", "last_seen"])
    op.create_table(
        "item_revisions",
        sa.Column("item_id", ID, sa.ForeignKey("items.id"), primary_key=True),
        sa.Column("revision", sa.Integer, primary_key=True),
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("edited_at", TZ),
        sa.Column("observed_at", TZ, nullable=False),
        sa.Column("conflict", sa.Boolean, nullable=False),
        sa.Column("body", sa.Text),
    )
    op.create_table(
        "item_links",
        sa.Column("item_id", ID, sa.ForeignKey("items.id"), primary_key=True),
        sa.Column("relation", sa.String(10), primary_key=True),
        sa.Column("target_key", sa.String(600), primary_key=True),
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), nullable=False),
    )
    op.create_index("ix_item_links_target", "item_links", ["tenant_id", "target_key"])
    op.create_table(
        "legal_holds",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("subject_key", sa.String(600), nullable=False),
        sa.Column("reason", sa.String(500), nullable=False),
        sa.Column("placed_at", TZ, nullable=False),
        sa.Column("released_at", TZ),
    )
    op.create_index("ix_legal_holds_subject", "legal_holds", ["tenant_id", "subject_key"])
    op.create_table(
        "api_keys",
        sa.Column("id", sa.String(32), primary_key=True),
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("secret_hash", sa.String(64), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("revoked_at", TZ),
    )
    op.create_table(
        "decisions",
        sa.Column("id", ID, primary_key=True, autoincrement=True),
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), nullable=False),
        sa.Column("item_id", ID, sa.ForeignKey("items.id"), nullable=False),
        sa.Column("revision", sa.Integer, nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("action", sa.String(10), nullable=False),
        sa.Column("categories", sa.JSON, nullable=False),
        sa.Column("confidence", sa.Float, nullable=False),
        sa.Column("rules", sa.JSON, nullable=False),
        sa.Column("ground", sa.String(500)),
        sa.Column("automated_detection", sa.Boolean, nullable=False),
        sa.Column("automated_decision", sa.Boolean, nullable=False),
        sa.Column("violating", sa.Boolean, nullable=False),
        sa.Column("policy_hash", sa.String(64), nullable=False),
        sa.Column("model_hash", sa.String(64)),
        sa.Column("registry_hash", sa.String(64)),
        sa.Column("bank_hash", sa.String(64)),
        sa.Column("decided_at", TZ, nullable=False),
    )
    op.create_index("ix_decisions_item", "decisions", ["tenant_id", "item_id"])
    op.create_table(
        "audit_events",
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), primary_key=True),
        sa.Column("seq", ID, primary_key=True),
        sa.Column("name", sa.String(60), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(100), nullable=False),
        sa.Column("data", sa.Text, nullable=False),
        sa.Column("prev_hash", sa.String(64), nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )
    op.create_table(
        "audit_heads",
        sa.Column("tenant_id", sa.String(63), sa.ForeignKey("tenants.id"), primary_key=True),
        sa.Column("seq", ID, nullable=False),
        sa.Column("hash", sa.String(64), nullable=False),
    )


def downgrade() -> None:
    for name in (
        "audit_heads",
        "audit_events",
        "decisions",
        "api_keys",
        "legal_holds",
        "item_links",
        "item_revisions",
        "items",
        "tenants",
    ):
        op.drop_table(name)
