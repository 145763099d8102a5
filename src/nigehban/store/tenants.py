"""Tenants: created explicitly; the embedded setup creates the default one at start."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select

from nigehban.audit.events import TenantCreated
from nigehban.model.tenants import Tenant, validate_tenant_id
from nigehban.store._sql import utc
from nigehban.store.audit_log import AuditLog
from nigehban.store.audited import emits, reads
from nigehban.store.schema import tenants


class SqlTenantRepository:
    def __init__(self, conn: Connection, tenant: str, audit: AuditLog) -> None:
        self._conn = conn
        self._tenant = tenant
        self._audit = audit

    @emits(TenantCreated)
    def ensure(self, name: str, at: datetime) -> bool:
        """Create this session's tenant unless it exists; True when created."""
        validate_tenant_id(self._tenant)
        exists = self._conn.execute(
            select(tenants.c.id).where(tenants.c.id == self._tenant)
        ).first()
        if exists:
            return False
        self._conn.execute(insert(tenants).values(id=self._tenant, name=name, created_at=at))
        self._audit.append(TenantCreated(self._tenant), at)
        return True

    @reads
    def get(self) -> Tenant | None:
        row = self._conn.execute(select(tenants).where(tenants.c.id == self._tenant)).first()
        if row is None:
            return None
        return Tenant(row.id, row.name, utc(row.created_at) or row.created_at)
