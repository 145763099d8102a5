"""At most one open review case per item and policy, and one open appeal per decision, enforced
by the database (two concurrent scans or appeals on PostgreSQL could each open one).

Open duplicates already stored are merged first: the oldest case stays open (so its deadline is
kept) and reviews the newest decision any of them reviewed, as a scan moving the case would
have left it; the others are closed as duplicates of it.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-04
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_REVIEW = sa.text("kind = 'review' AND state = 'open'")
_APPEAL = sa.text("kind = 'appeal' AND state = 'open'")
_cases = sa.table(
    "cases",
    sa.column("id", sa.BigInteger),
    sa.column("decision_id", sa.BigInteger),
    sa.column("state", sa.String),
    sa.column("closed_at", sa.DateTime(timezone=True)),
    sa.column("resolution", sa.String),
)


def _merge_duplicates() -> None:
    conn = op.get_bind()
    rows = conn.execute(
        sa.text(
            "SELECT id, tenant_id, item_id, decision_id, policy, kind FROM cases "
            "WHERE state = 'open' AND (kind = 'appeal' OR policy IS NOT NULL) ORDER BY id"
        )
    ).all()
    groups: dict[tuple[object, ...], list[sa.Row[tuple[object, ...]]]] = defaultdict(list)
    for row in rows:
        key = (
            (row.tenant_id, "review", row.item_id, row.policy)
            if row.kind == "review"
            else (row.tenant_id, "appeal", row.decision_id)
        )
        groups[key].append(row)
    now = datetime.now(UTC)
    for found in groups.values():
        if len(found) < 2:
            continue
        kept, *rest = found
        if kept.kind == "review":
            newest = max(int(r.decision_id) for r in found)
            conn.execute(sa.update(_cases).where(_cases.c.id == kept.id).values(decision_id=newest))
        for row in rest:
            conn.execute(
                sa.update(_cases)
                .where(_cases.c.id == row.id)
                .values(
                    state="closed",
                    closed_at=now,
                    resolution=f"closed: a duplicate of case {kept.id}",
                )
            )


def upgrade() -> None:
    _merge_duplicates()
    op.create_index(
        "ux_cases_open_review",
        "cases",
        ["tenant_id", "item_id", "policy"],
        unique=True,
        sqlite_where=_REVIEW,
        postgresql_where=_REVIEW,
    )
    op.create_index(
        "ux_cases_open_appeal",
        "cases",
        ["tenant_id", "decision_id"],
        unique=True,
        sqlite_where=_APPEAL,
        postgresql_where=_APPEAL,
    )


def downgrade() -> None:
    op.drop_index("ux_cases_open_appeal", "cases")
    op.drop_index("ux_cases_open_review", "cases")
