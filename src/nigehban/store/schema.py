"""The tables. Alembic migrations in ``migrations/versions`` create exactly these (a test
compares them); change both together."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)

metadata = MetaData()

TZ = DateTime(timezone=True)
ID = BigInteger().with_variant(Integer(), "sqlite")

tenants = Table(
    "tenants",
    metadata,
    Column("id", String(63), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("created_at", TZ, nullable=False),
)

items = Table(
    "items",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("tenant_id", String(63), ForeignKey("tenants.id"), nullable=False),
    Column("ref_key", String(600), nullable=False),
    Column("platform", String(20), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("state", String(10), nullable=False),  # active | deleted | erased
    Column("surface", String(10)),
    Column("author_key", String(600)),
    Column("current_revision", Integer),
    Column("current_order", TZ),
    Column("revisions", Integer, nullable=False),
    Column("has_conflict", Boolean, nullable=False),
    Column("first_seen", TZ, nullable=False),
    Column("last_seen", TZ, nullable=False),
    Column("deleted_at", TZ),
    Column("content_purged_at", TZ),
    UniqueConstraint("tenant_id", "ref_key", name="uq_items_tenant_ref"),
)
Index("ix_items_tenant_author", items.c.tenant_id, items.c.author_key)
Index("ix_items_tenant_kind_seen", items.c.tenant_id, items.c.kind, items.c.last_seen)

item_revisions = Table(
    "item_revisions",
    metadata,
    Column("item_id", ID, ForeignKey("items.id"), primary_key=True),
    Column("revision", Integer, primary_key=True),
    Column("tenant_id", String(63), ForeignKey("tenants.id"), nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("edited_at", TZ),
    Column("observed_at", TZ, nullable=False),
    Column("conflict", Boolean, nullable=False),
    Column("body", Text),  # JSON of the item (codec form); NULL once purged
)

item_links = Table(
    "item_links",
    metadata,
    Column("item_id", ID, ForeignKey("items.id"), primary_key=True),
    Column("relation", String(10), primary_key=True),  # share|quote|reply|media|author|container
    Column("target_key", String(600), primary_key=True),
    Column("tenant_id", String(63), ForeignKey("tenants.id"), nullable=False),
)
Index("ix_item_links_target", item_links.c.tenant_id, item_links.c.target_key)

legal_holds = Table(
    "legal_holds",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("tenant_id", String(63), ForeignKey("tenants.id"), nullable=False),
    Column("subject_key", String(600), nullable=False),  # an item key, or platform:container
    Column("reason", String(500), nullable=False),
    Column("placed_at", TZ, nullable=False),
    Column("released_at", TZ),
    Column("subject_type", String(10), nullable=False, server_default="item"),  # or container
)
Index("ix_legal_holds_subject", legal_holds.c.tenant_id, legal_holds.c.subject_key)

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", String(32), primary_key=True),
    Column("tenant_id", String(63), ForeignKey("tenants.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("created_at", TZ, nullable=False),
    Column("revoked_at", TZ),
)

decisions = Table(
    "decisions",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("tenant_id", String(63), ForeignKey("tenants.id"), nullable=False),
    Column("item_id", ID, ForeignKey("items.id"), nullable=False),
    Column("revision", Integer, nullable=False),
    Column("content_hash", String(64), nullable=False),
    Column("action", String(10), nullable=False),
    Column("categories", JSON, nullable=False),
    Column("confidence", Float, nullable=False),
    Column("rules", JSON, nullable=False),
    Column("ground", String(500)),
    Column("automated_detection", Boolean, nullable=False),
    Column("automated_decision", Boolean, nullable=False),
    Column("violating", Boolean, nullable=False),
    Column("policy_hash", String(64), nullable=False),
    Column("model_hash", String(64)),
    Column("registry_hash", String(64)),
    Column("bank_hash", String(64)),
    Column("decided_at", TZ, nullable=False),
    Column("details", JSON),
)
Index("ix_decisions_item", decisions.c.tenant_id, decisions.c.item_id)

audit_events = Table(
    "audit_events",
    metadata,
    Column("tenant_id", String(63), ForeignKey("tenants.id"), primary_key=True),
    Column("seq", ID, primary_key=True),
    Column("name", String(60), nullable=False),
    Column("at", TZ, nullable=False),
    Column("actor", String(100), nullable=False),
    Column("data", Text, nullable=False),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

audit_heads = Table(
    "audit_heads",
    metadata,
    Column("tenant_id", String(63), ForeignKey("tenants.id"), primary_key=True),
    Column("seq", ID, nullable=False),
    Column("hash", String(64), nullable=False),
)

banks = Table(
    "banks",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("tenant_id", String(63), ForeignKey("tenants.id"), nullable=False),
    Column("name", String(63), nullable=False),
    Column("description", String(500), nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("thresholds", JSON, nullable=False),
    Column("created_at", TZ, nullable=False),
    Column("updated_at", TZ, nullable=False),
    UniqueConstraint("tenant_id", "name", name="uq_banks_tenant_name"),
)

bank_entries = Table(
    "bank_entries",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("tenant_id", String(63), ForeignKey("tenants.id"), nullable=False),
    Column("bank_id", ID, ForeignKey("banks.id"), nullable=False),
    Column("signal_type", String(10), nullable=False),
    Column("value_key", String(128), nullable=False),  # the hex, or sha256 of text / vPDQ
    Column("value", Text, nullable=False),
    Column("labels", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False),
    Column("created_at", TZ, nullable=False),
    Column("updated_at", TZ, nullable=False),
    UniqueConstraint("bank_id", "signal_type", "value_key", name="uq_bank_entries_value"),
)
Index("ix_bank_entries_tenant", bank_entries.c.tenant_id, bank_entries.c.signal_type)

bank_revisions = Table(
    "bank_revisions",
    metadata,
    Column("tenant_id", String(63), ForeignKey("tenants.id"), primary_key=True),
    Column("revision", BigInteger, nullable=False),
)
"""Bumped with every change to a tenant's banks or entries (migration 0006)."""

bank_matches = Table(
    "bank_matches",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("tenant_id", String(63), ForeignKey("tenants.id"), nullable=False),
    Column("subject", String(600), nullable=False),  # an item key, or sha256:<hex> of a file
    Column("bank", String(63), nullable=False),
    Column("entry_id", ID, nullable=False),
    Column("signal_type", String(10), nullable=False),
    Column("distance", Float, nullable=False),
    Column("matched_at", TZ, nullable=False),
)
Index("ix_bank_matches_subject", bank_matches.c.tenant_id, bank_matches.c.subject)
Index("ix_bank_matches_entry", bank_matches.c.tenant_id, bank_matches.c.entry_id)

cases = Table(
    "cases",
    metadata,
    Column("id", ID, primary_key=True, autoincrement=True),
    Column("tenant_id", String(63), ForeignKey("tenants.id"), nullable=False),
    Column("item_id", ID, ForeignKey("items.id"), nullable=False),
    Column("decision_id", ID, ForeignKey("decisions.id"), nullable=False),
    Column("reason", String(500), nullable=False),
    Column("kind", String(20), nullable=False, server_default="review"),  # review, appeal
    Column("policy", String(64)),  # the name of the policy whose decision a review case reviews
    Column("state", String(20), nullable=False),  # open, decided, closed
    Column("opened_at", TZ, nullable=False),
    Column("deadline", TZ),
    Column("closed_at", TZ),
    Column("resolution", String(500)),
)
Index("ix_cases_tenant_state", cases.c.tenant_id, cases.c.state, cases.c.deadline)
Index("ix_cases_item", cases.c.tenant_id, cases.c.item_id)
Index("ix_cases_decision", cases.c.tenant_id, cases.c.decision_id)
_OPEN_REVIEW = text("kind = 'review' AND state = 'open'")
_OPEN_APPEAL = text("kind = 'appeal' AND state = 'open'")
Index(  # one open review case per item and policy (cases from before 0004 have no policy)
    "ux_cases_open_review",
    cases.c.tenant_id,
    cases.c.item_id,
    cases.c.policy,
    unique=True,
    sqlite_where=_OPEN_REVIEW,
    postgresql_where=_OPEN_REVIEW,
)
Index(  # one open appeal per decision
    "ux_cases_open_appeal",
    cases.c.tenant_id,
    cases.c.decision_id,
    unique=True,
    sqlite_where=_OPEN_APPEAL,
    postgresql_where=_OPEN_APPEAL,
)

policy_versions = Table(
    "policy_versions",
    metadata,
    Column("tenant_id", String(63), ForeignKey("tenants.id"), primary_key=True),
    Column("hash", String(64), primary_key=True),  # SHA-256 of the canonical JSON document
    Column("name", String(64), nullable=False),
    Column("version", String(200), nullable=False),
    Column("document", Text, nullable=False),
    Column("first_used_at", TZ, nullable=False),
)
