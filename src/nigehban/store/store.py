"""The store: sessions that bundle one transaction, its repositories and its audit log.

``with store.session(tenant, actor) as s:`` opens a write transaction; ``s.items``, ``s.holds``,
``s.keys``, ``s.decisions``, ``s.tenants``, ``s.banks``, ``s.cases`` and ``s.policies`` write
through ``s.audit``, whose events are chained and inserted just before the commit — the change
and its audit events commit together or not at all. ``store.reading(tenant)`` gives the same
repositories on a read transaction; a write there raises instead of silently skipping its audit
event.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from nigehban.audit.chain import GENESIS, ChainBreak, ChainedEvent, verify
from nigehban.audit.digests import Digester
from nigehban.settings import Settings
from nigehban.store.audit_log import AuditLog, read_events
from nigehban.store.banks import SqlBankRepository
from nigehban.store.cases import SqlCaseRepository
from nigehban.store.database import Database
from nigehban.store.decisions import SqlDecisionRepository
from nigehban.store.holds import SqlHoldRepository
from nigehban.store.interfaces import (
    BankRepository,
    CaseRepository,
    DecisionRepository,
    HoldRepository,
    ItemRepository,
    KeyRepository,
    PolicyArchive,
    TenantRepository,
)
from nigehban.store.items import SqlItemRepository
from nigehban.store.keys import ApiKey, SqlKeyRepository, authenticate, count_active
from nigehban.store.policies import SqlPolicyArchive
from nigehban.store.schema import audit_heads
from nigehban.store.tenants import SqlTenantRepository


class Session:
    def __init__(
        self, conn: Connection, tenant: str, actor: str, digester: Digester, writable: bool
    ) -> None:
        self.conn = conn
        self.tenant = tenant
        self.audit = AuditLog(conn, tenant, actor, digester, writable)
        self.items: ItemRepository = SqlItemRepository(conn, tenant, self.audit)
        self.holds: HoldRepository = SqlHoldRepository(conn, tenant, self.audit)
        self.keys: KeyRepository = SqlKeyRepository(conn, tenant, self.audit)
        self.decisions: DecisionRepository = SqlDecisionRepository(conn, tenant, self.audit)
        self.tenants: TenantRepository = SqlTenantRepository(conn, tenant, self.audit)
        self.banks: BankRepository = SqlBankRepository(conn, tenant, self.audit)
        self.cases: CaseRepository = SqlCaseRepository(conn, tenant, self.audit)
        self.policies: PolicyArchive = SqlPolicyArchive(conn, tenant, self.audit)

    def events(self, after: int = 0, limit: int | None = None) -> list[ChainedEvent]:
        return list(read_events(self.conn, self.tenant, after, limit))

    def verify_chain(self) -> list[ChainBreak]:
        row = self.conn.execute(
            select(audit_heads.c.seq, audit_heads.c.hash).where(
                audit_heads.c.tenant_id == self.tenant
            )
        ).first()
        head = (int(row.seq), str(row.hash)) if row else (0, GENESIS)
        return verify(read_events(self.conn, self.tenant), head)


class Store:
    def __init__(self, db: Database, digester: Digester) -> None:
        self.db = db
        self.digester = digester

    @classmethod
    def open(cls, settings: Settings) -> Store:
        """Open the configured database (it must already be migrated: ``db upgrade``)."""
        db = Database(settings.effective_database_url)
        db.require_current()
        return cls(db, Digester(settings.audit_key()))

    @contextmanager
    def session(self, tenant: str, actor: str) -> Iterator[Session]:
        with self.db.write() as conn:
            session = Session(conn, tenant, actor, self.digester, writable=True)
            yield session
            session.audit.flush()

    @contextmanager
    def reading(self, tenant: str) -> Iterator[Session]:
        with self.db.read() as conn:
            yield Session(conn, tenant, "reader", self.digester, writable=False)

    def ensure_tenant(self, tenant: str, name: str | None = None, actor: str = "system") -> bool:
        with self.session(tenant, actor) as s:
            return s.tenants.ensure(name or tenant, datetime.now(UTC))

    def authenticate(self, token: str) -> ApiKey | None:
        with self.db.read() as conn:
            return authenticate(conn, token)

    def active_key_count(self) -> int:
        with self.db.read() as conn:
            return count_active(conn)

    def close(self) -> None:
        self.db.dispose()
