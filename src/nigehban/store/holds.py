"""Legal holds: a hold on an item or account blocks its purge and its erasure until released
(what it covers beyond its subject: ``workflows/preservation.py``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from nigehban.audit.events import LegalHoldKept, LegalHoldPlaced, LegalHoldReleased
from nigehban.errors import ConflictError, NotFoundError, ValidationError
from nigehban.model.refs import ItemRef
from nigehban.store._sql import chunks, utc
from nigehban.store.audit_log import AuditLog
from nigehban.store.audited import emits, reads
from nigehban.store.schema import legal_holds


@dataclass(frozen=True, slots=True)
class LegalHold:
    id: int
    subject: str
    reason: str
    placed_at: datetime
    released_at: datetime | None


class SqlHoldRepository:
    def __init__(self, conn: Connection, tenant: str, audit: AuditLog) -> None:
        self._conn = conn
        self._tenant = tenant
        self._audit = audit

    @emits(LegalHoldPlaced)
    def place(self, subject: ItemRef, reason: str, at: datetime) -> int:
        if not reason.strip() or len(reason) > 500:
            raise ValidationError("", "reason", "a legal hold needs a reason of 1-500 characters")
        hold_id = int(
            self._conn.execute(
                insert(legal_holds).values(
                    tenant_id=self._tenant, subject_key=subject.key, reason=reason, placed_at=at
                )
            ).inserted_primary_key[0]
        )
        self._audit.append(LegalHoldPlaced(hold_id, self._audit.subject(subject.key)), at)
        return hold_id

    @emits(LegalHoldReleased)
    def release(self, hold_id: int, at: datetime) -> None:
        row = self._conn.execute(
            select(legal_holds.c.released_at).where(
                legal_holds.c.tenant_id == self._tenant, legal_holds.c.id == hold_id
            )
        ).first()
        if row is None:
            raise NotFoundError("legal hold", str(hold_id))
        if row.released_at is not None:
            raise ConflictError(f"legal hold #{hold_id} is already released")
        self._conn.execute(
            update(legal_holds).where(legal_holds.c.id == hold_id).values(released_at=at)
        )
        self._audit.append(LegalHoldReleased(hold_id), at)

    @emits(LegalHoldKept)
    def note_kept(self, hold_id: int, items: int, at: datetime) -> None:
        """Record that a purge kept ``items`` items because of hold ``hold_id``."""
        self._audit.append(LegalHoldKept(hold_id, items), at)

    @reads
    def active(self, subjects: Sequence[ItemRef]) -> dict[str, int]:
        """Subject key → id of an active hold, for the subjects that have one."""
        held: dict[str, int] = {}
        keys = sorted({s.key for s in subjects})
        for part in chunks(keys):
            for row in self._conn.execute(
                select(legal_holds.c.id, legal_holds.c.subject_key).where(
                    legal_holds.c.tenant_id == self._tenant,
                    legal_holds.c.subject_key.in_(part),
                    legal_holds.c.released_at.is_(None),
                )
            ):
                held.setdefault(row.subject_key, row.id)
        return held

    @reads
    def list(self, include_released: bool = False) -> list[LegalHold]:
        query = select(legal_holds).where(legal_holds.c.tenant_id == self._tenant)
        if not include_released:
            query = query.where(legal_holds.c.released_at.is_(None))
        return [
            LegalHold(
                r.id, r.subject_key, r.reason, utc(r.placed_at) or r.placed_at, utc(r.released_at)
            )
            for r in self._conn.execute(query.order_by(legal_holds.c.id))
        ]
