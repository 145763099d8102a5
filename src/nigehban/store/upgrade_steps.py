"""Data steps of ``db upgrade`` that need the application, run between migrations.

A migration has the schema but not the audit key, so a change to stored records that must be
audited (every case state change writes its event) is a step here, which
:meth:`~nigehban.store.database.Database.upgrade` runs at the revision it names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from nigehban.audit.digests import Digester
from nigehban.store.schema import cases
from nigehban.store.store import Session

ACTOR = "db-upgrade"


def _merge_duplicate_cases(digester: Digester) -> Callable[[Connection], int]:
    """Before 0005 adds its one-open-case indexes: merge the open duplicates of each tenant
    with their ``case.updated`` and ``case.closed`` events (0005 merges silently only what this
    step did not see, e.g. under a bare ``alembic upgrade``)."""

    def step(conn: Connection) -> int:
        merged = 0
        for tenant in conn.execute(select(cases.c.tenant_id).distinct()).scalars().all():
            session = Session(conn, str(tenant), ACTOR, digester, writable=True)
            merged += session.cases.merge_open_duplicates(datetime.now(UTC))
            session.audit.flush()
        return merged

    return step


def upgrade_steps(digester: Digester) -> Mapping[str, Callable[[Connection], object]]:
    """The steps, by the revision after which each runs."""
    return {"0004": _merge_duplicate_cases(digester)}
