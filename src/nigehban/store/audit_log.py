"""Appending to and reading the per-tenant audit chain, inside the caller's transaction.

:class:`AuditLog` is handed to every repository of a write session: a repository's write
method calls :meth:`AuditLog.append` with its typed event, so the event commits or rolls back
with the change itself. Appends are buffered and flushed (chained and inserted in one batch)
before the transaction commits; the chain head row is locked for the duration on PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import orjson
from sqlalchemy import Connection, insert, select, update

from nigehban.audit.chain import GENESIS, ChainedEvent, event_hash
from nigehban.audit.digests import Digester
from nigehban.audit.events import AuditEvent, EventValue
from nigehban.errors import UsageError
from nigehban.store._sql import bulk_insert
from nigehban.store.schema import audit_events, audit_heads


class AuditLog:
    def __init__(
        self, conn: Connection, tenant: str, actor: str, digester: Digester, writable: bool = True
    ) -> None:
        self._conn = conn
        self._writable = writable
        self._tenant = tenant
        self._actor = actor
        self.digester = digester
        self._pending: list[tuple[str, datetime, dict[str, EventValue]]] = []

    def subject(self, ref_key: str) -> str:
        """The opaque digest audit events use to name an item or account."""
        return self.digester.digest(ref_key)

    def append(self, event: AuditEvent, at: datetime | None = None) -> None:
        if not self._writable:
            raise UsageError(f"cannot record {event.name} in a read-only session")
        self._pending.append((event.name, at or datetime.now(UTC), event.data()))

    def flush(self) -> int:
        """Chain and insert pending events; returns how many were written."""
        if not self._pending:
            return 0
        head = self._conn.execute(
            select(audit_heads.c.seq, audit_heads.c.hash)
            .where(audit_heads.c.tenant_id == self._tenant)
            .with_for_update()
        ).first()
        seq, prev = (head.seq, head.hash) if head else (0, GENESIS)
        rows = []
        for name, at, data in self._pending:
            seq += 1
            digest = event_hash(prev, self._tenant, seq, name, at, self._actor, data)
            rows.append(
                {
                    "tenant_id": self._tenant,
                    "seq": seq,
                    "name": name,
                    "at": at,
                    "actor": self._actor,
                    "data": orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode(),
                    "prev_hash": prev,
                    "hash": digest,
                }
            )
            prev = digest
        bulk_insert(self._conn, audit_events, rows)
        if head:
            self._conn.execute(
                update(audit_heads)
                .where(audit_heads.c.tenant_id == self._tenant)
                .values(seq=seq, hash=prev)
            )
        else:
            self._conn.execute(
                insert(audit_heads).values(tenant_id=self._tenant, seq=seq, hash=prev)
            )
        count = len(self._pending)
        self._pending.clear()
        return count


def read_events(
    conn: Connection, tenant: str, after: int = 0, limit: int | None = None
) -> Iterator[ChainedEvent]:
    query = (
        select(audit_events)
        .where(audit_events.c.tenant_id == tenant, audit_events.c.seq > after)
        .order_by(audit_events.c.seq)
    )
    if limit is not None:
        query = query.limit(limit)
    for row in conn.execute(query):
        at = row.at if row.at.tzinfo else row.at.replace(tzinfo=UTC)
        yield ChainedEvent(
            tenant=row.tenant_id,
            seq=row.seq,
            name=row.name,
            at=at,
            actor=row.actor,
            data=orjson.loads(row.data),
            prev_hash=row.prev_hash,
            hash=row.hash,
        )
