"""The policy archive: every policy version that decided something, kept by its hash.

A decision records the SHA-256 of the policy that made it. Policy files change (a threshold is
tuned, a ground added), and a statement of reasons for an earlier decision must still cite the
rules and grounds in force when it was made. So the first time a policy version decides for a
tenant, its canonical document is stored here under its hash (``policy.recorded``), and later
statements read it back. The hash is checked when it is read: a document that no longer matches
it is refused, never cited.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from nigehban.audit.events import PolicyRecorded
from nigehban.errors import ConflictError, ValidationError
from nigehban.store._sql import insert_ignore, utc
from nigehban.store.audit_log import AuditLog
from nigehban.store.audited import emits, reads
from nigehban.store.schema import policy_versions

_HEX = frozenset("0123456789abcdef")


@dataclass(frozen=True, slots=True)
class PolicyVersion:
    hash: str
    name: str
    version: str
    first_used_at: datetime


def _check_hash(value: str) -> None:
    if len(value) != 64 or not set(value) <= _HEX:
        raise ValidationError("", "policy hash", f"{value[:70]!r} is not a SHA-256 hex digest")


class SqlPolicyArchive:
    def __init__(self, conn: Connection, tenant: str, audit: AuditLog) -> None:
        self._conn = conn
        self._tenant = tenant
        self._audit = audit

    @emits(PolicyRecorded)
    def keep(self, hash: str, name: str, version: str, document: str, at: datetime) -> bool:
        """Store the policy document under its hash unless it is there; True if it was new."""
        _check_hash(hash)
        if hashlib.sha256(document.encode("utf-8")).hexdigest() != hash:
            raise ValidationError("", "policy document", f"does not hash to {hash[:12]}")
        if self.document(hash) is not None:
            return False
        inserted = insert_ignore(
            self._conn,
            policy_versions,
            [
                {
                    "tenant_id": self._tenant,
                    "hash": hash,
                    "name": name[:64],
                    "version": version[:200],
                    "document": document,
                    "first_used_at": at,
                }
            ],
        )
        if not inserted:  # kept by a concurrent transaction just now
            return False
        self._audit.append(PolicyRecorded(name[:64], version[:200], hash), at)
        return True

    @reads
    def document(self, hash: str) -> str | None:
        """The canonical JSON document of the policy with this hash, if it was kept."""
        row = self._conn.execute(
            select(policy_versions.c.document).where(
                policy_versions.c.tenant_id == self._tenant, policy_versions.c.hash == hash
            )
        ).scalar()
        if row is None:
            return None
        document = str(row)
        if hashlib.sha256(document.encode("utf-8")).hexdigest() != hash:
            raise ConflictError(f"the stored policy {hash[:12]} no longer matches its hash")
        return document

    @reads
    def name_of(self, hash: str) -> str | None:
        """The name of the policy kept under this hash, if it was kept."""
        row = self._conn.execute(
            select(policy_versions.c.name).where(
                policy_versions.c.tenant_id == self._tenant, policy_versions.c.hash == hash
            )
        ).scalar()
        return None if row is None else str(row)

    @reads
    def listed(self) -> list[PolicyVersion]:
        """The kept versions, oldest first."""
        rows = self._conn.execute(
            select(policy_versions)
            .where(policy_versions.c.tenant_id == self._tenant)
            .order_by(policy_versions.c.first_used_at, policy_versions.c.name)
        ).mappings()
        return [
            PolicyVersion(
                str(r["hash"]),
                str(r["name"]),
                str(r["version"]),
                utc(r["first_used_at"]) or r["first_used_at"],
            )
            for r in rows
        ]
