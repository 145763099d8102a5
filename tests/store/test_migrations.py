"""Migrations create exactly the tables of ``schema.py``; stored shapes of this release load."""

from __future__ import annotations

from pathlib import Path

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert

from nigehban.model.items import Post
from nigehban.model.refs import ItemKind, ItemRef, Platform
from nigehban.store.schema import item_revisions, items, metadata
from nigehban.store.store import Store
from tests.conftest import TENANT

GOLDEN = Path(__file__).resolve().parent.parent / "data" / "golden" / "item_body_v1.json"


def test_migrations_match_the_schema(store: Store) -> None:
    with store.db.read() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), metadata)
    assert diff == []


def test_a_version_1_stored_body_still_loads(store: Store) -> None:
    """A revision body exactly as release 0.1 writes it (golden file) reads back."""
    from datetime import UTC, datetime

    now = datetime(2025, 7, 14, tzinfo=UTC)
    with store.db.write() as conn:
        item_id = conn.execute(
            insert(items).values(
                tenant_id=TENANT, ref_key="telegram/post/-1001234567890/42", platform="telegram",
                kind="post", state="active", surface="channel", current_revision=1, revisions=1,
                has_conflict=False, first_seen=now, last_seen=now,
            )
        ).inserted_primary_key[0]  # fmt: skip
        conn.execute(
            insert(item_revisions).values(
                item_id=item_id, revision=1, tenant_id=TENANT, content_hash="0" * 64,
                observed_at=now, conflict=False, body=GOLDEN.read_text(encoding="utf-8"),
            )
        )  # fmt: skip
    ref = ItemRef(TENANT, Platform.TELEGRAM, ItemKind.POST, "-1001234567890/42")
    with store.reading(TENANT) as s:
        stored = s.items.get(ref)
    assert stored is not None and isinstance(stored.item, Post)
    assert stored.item.text == "پشاور میں آج بارش ہوئی 🌧️ #موسم"
    assert stored.item.entities[0].span.slice(stored.item.text) == "#موسم"
