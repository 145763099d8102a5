"""Legal holds on a container (a Telegram channel or group, a Facebook page or group, a WhatsApp
group): ``legal_holds.subject_type`` says what ``subject_key`` names, an item key (``item``, every
hold before this revision) or a container key (``container``: ``platform:container``); and each
stored post gets a ``container`` link to the container of each of its revisions, so a purge finds
the posts of a held container through the links' target index, as it finds a held account's.

The links of posts stored before are read from their revision bodies, a page of posts at a time;
a revision whose content was purged has no body and gets none (its content is gone already).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-04
"""

from __future__ import annotations

import orjson
import sqlalchemy as sa
from alembic import op

from nigehban.model.refs import ContainerRef, Platform

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

PAGE = 1000

_items = sa.table(
    "items",
    sa.column("id", sa.BigInteger),
    sa.column("kind", sa.String),
    sa.column("platform", sa.String),
)
_revisions = sa.table(
    "item_revisions",
    sa.column("item_id", sa.BigInteger),
    sa.column("tenant_id", sa.String),
    sa.column("body", sa.Text),
)
_links = sa.table(
    "item_links",
    sa.column("item_id", sa.BigInteger),
    sa.column("relation", sa.String),
    sa.column("target_key", sa.String),
    sa.column("tenant_id", sa.String),
)


def _link_containers() -> None:
    conn = op.get_bind()
    after = 0
    while True:
        ids = (
            conn.execute(
                sa.select(_items.c.id)
                .where(_items.c.kind == "post", _items.c.id > after)
                .order_by(_items.c.id)
                .limit(PAGE)
            )
            .scalars()
            .all()
        )
        if not ids:
            return
        after = int(ids[-1])
        found: set[tuple[int, str, str]] = set()
        for row in conn.execute(
            sa.select(
                _revisions.c.item_id, _revisions.c.tenant_id, _items.c.platform, _revisions.c.body
            )
            .join(_items, _items.c.id == _revisions.c.item_id)
            .where(_revisions.c.item_id.in_(ids), _revisions.c.body.is_not(None))
        ):
            container = orjson.loads(row.body).get("container")
            try:
                ref = ContainerRef.of(Platform(row.platform), container)
            except ValueError:
                continue
            if ref is not None:
                found.add((int(row.item_id), str(row.tenant_id), ref.key))
        if found:
            conn.execute(
                sa.insert(_links),
                [
                    {"item_id": i, "tenant_id": t, "relation": "container", "target_key": k}
                    for i, t, k in sorted(found)
                ],
            )


def upgrade() -> None:
    with op.batch_alter_table("legal_holds") as batch:
        batch.add_column(
            sa.Column("subject_type", sa.String(10), nullable=False, server_default="item")
        )
    _link_containers()


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM item_links WHERE relation = 'container'"))
    op.execute(sa.text("DELETE FROM legal_holds WHERE subject_type = 'container'"))
    with op.batch_alter_table("legal_holds") as batch:
        batch.drop_column("subject_type")
