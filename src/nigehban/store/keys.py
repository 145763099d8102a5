"""API keys: shown once at creation, stored only as a SHA-256 of their secret part.

A key reads ``ngh_<id>_<secret>``: the id finds the row, the secret is compared in constant
time against its stored hash. Keys belong to a tenant; a request's tenant is its key's.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, update

from nigehban.audit.events import ApiKeyCreated, ApiKeyRevoked
from nigehban.errors import ConflictError, NotFoundError, ValidationError
from nigehban.store._sql import utc
from nigehban.store.audit_log import AuditLog
from nigehban.store.audited import emits, reads
from nigehban.store.schema import api_keys

_TOKEN = re.compile(r"ngh_([0-9a-f]{12})_([A-Za-z0-9_-]{43})")


@dataclass(frozen=True, slots=True)
class ApiKey:
    id: str
    tenant: str
    name: str
    created_at: datetime
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


class SqlKeyRepository:
    def __init__(self, conn: Connection, tenant: str, audit: AuditLog) -> None:
        self._conn = conn
        self._tenant = tenant
        self._audit = audit

    @emits(ApiKeyCreated)
    def create(self, name: str, at: datetime) -> tuple[ApiKey, str]:
        """A new key and its token; the token is not stored and cannot be shown again."""
        if not name.strip() or len(name) > 200:
            raise ValidationError("", "name", "a key needs a name of 1-200 characters")
        key_id = secrets.token_hex(6)
        secret = secrets.token_urlsafe(32)
        self._conn.execute(
            insert(api_keys).values(
                id=key_id,
                tenant_id=self._tenant,
                name=name,
                secret_hash=_hash(secret),
                created_at=at,
            )
        )
        self._audit.append(ApiKeyCreated(key_id), at)
        return ApiKey(key_id, self._tenant, name, at, None), f"ngh_{key_id}_{secret}"

    @emits(ApiKeyRevoked)
    def revoke(self, key_id: str, at: datetime) -> None:
        row = self._conn.execute(
            select(api_keys.c.revoked_at).where(
                api_keys.c.tenant_id == self._tenant, api_keys.c.id == key_id
            )
        ).first()
        if row is None:
            raise NotFoundError("API key", key_id[:16])
        if row.revoked_at is not None:
            raise ConflictError(f"API key {key_id[:16]} is already revoked")
        self._conn.execute(update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=at))
        self._audit.append(ApiKeyRevoked(key_id), at)

    @reads
    def list(self) -> list[ApiKey]:
        return [
            ApiKey(r.id, r.tenant_id, r.name, utc(r.created_at) or r.created_at, utc(r.revoked_at))
            for r in self._conn.execute(
                select(api_keys)
                .where(api_keys.c.tenant_id == self._tenant)
                .order_by(api_keys.c.created_at)
            )
        ]


def authenticate(conn: Connection, token: str) -> ApiKey | None:
    """The active key a token belongs to, or None. Constant-time on the secret."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        return None
    key_id, secret = match.groups()
    row = conn.execute(select(api_keys).where(api_keys.c.id == key_id)).first()
    if row is None or row.revoked_at is not None:
        return None
    if not hmac.compare_digest(row.secret_hash, _hash(secret)):
        return None
    return ApiKey(row.id, row.tenant_id, row.name, utc(row.created_at) or row.created_at, None)


def count_active(conn: Connection) -> int:
    """Active keys of every tenant: the server refuses non-local listening when zero."""
    return int(
        conn.execute(
            select(func.count()).select_from(api_keys).where(api_keys.c.revoked_at.is_(None))
        ).scalar_one()
    )
