"""Migrations create exactly the tables of ``schema.py``; stored shapes of this release load."""

from __future__ import annotations

from pathlib import Path

import pytest
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


@pytest.mark.parametrize("backend", ["sqlite-file", "postgresql"])
def test_0007_links_stored_posts_to_their_containers_and_keeps_holds_on_items(
    tmp_path: Path, backend: str
) -> None:
    """Posts stored before container holds get a container link per revision from their bodies
    (a purged revision has none to read), and holds placed before are holds on items."""
    import json
    from datetime import UTC, datetime

    from alembic import command
    from sqlalchemy import select

    from nigehban.audit.digests import Digester
    from nigehban.store.database import _alembic_config
    from nigehban.store.schema import item_links, legal_holds, tenants
    from tests.conftest import TEST_KEY, make_database

    db = make_database(backend, tmp_path)
    config = _alembic_config()
    now = datetime(2025, 7, 14, tzinfo=UTC)
    body = json.loads(GOLDEN.read_text(encoding="utf-8"))
    with db.write() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0006")
        conn.execute(insert(tenants).values(id=TENANT, name=TENANT, created_at=now))
        for n, (container, text) in enumerate(
            [("-1001234567890", body), ("-1009876543210", body), ("-1001111111111", None)]
        ):
            item_id = conn.execute(
                insert(items).values(
                    tenant_id=TENANT, ref_key=f"telegram/post/{container}/{n}",
                    platform="telegram", kind="post", state="active", surface="channel",
                    current_revision=1, revisions=1, has_conflict=False, first_seen=now,
                    last_seen=now,
                )
            ).inserted_primary_key[0]  # fmt: skip
            stored = None if text is None else json.dumps({**text, "container": container})
            conn.execute(
                insert(item_revisions).values(
                    item_id=item_id, revision=1, tenant_id=TENANT, content_hash="0" * 64,
                    observed_at=now, conflict=False, body=stored,
                )
            )  # fmt: skip
        conn.execute(
            insert(legal_holds).values(
                tenant_id=TENANT, subject_key="telegram/post/-1001234567890/0", reason="order",
                placed_at=now,
            )
        )  # fmt: skip
    db.upgrade()
    with db.read() as conn:
        links = conn.execute(
            select(item_links.c.target_key).where(item_links.c.relation == "container")
        ).scalars()
        assert sorted(links) == ["telegram:-1001234567890", "telegram:-1009876543210"]
        assert conn.execute(select(legal_holds.c.subject_type)).scalars().all() == ["item"]
    store = Store(db, Digester(TEST_KEY))
    with store.reading(TENANT) as s:
        assert s.items.referrers(["telegram:-1001234567890"], ("container",)) == {
            "telegram:-1001234567890": {"telegram/post/-1001234567890/0"}}  # fmt: skip
    store.close()
