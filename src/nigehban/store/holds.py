"""Legal holds: a hold on an item or account, or on a container (a channel, group or page: the
posts said in it), blocks their purge and their erasure until released (what it covers beyond
its subject: ``workflows/preservation.py``).

A hold's subject is an item key (``subject_type`` ``item``) or a container key, ``platform:id``
(``container``); the two never look alike (an item key has a ``/`` after the platform), and each
lookup asks for its own type.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, insert, select, update

from nigehban.audit.events import LegalHoldKept, LegalHoldPlaced, LegalHoldReleased
from nigehban.errors import ConflictError, NotFoundError, ValidationError
from nigehban.model.refs import ContainerRef, ItemRef
from nigehban.store._sql import chunks, utc
from nigehban.store.audit_log import AuditLog
from nigehban.store.audited import emits, reads
from nigehban.store.schema import legal_holds


@dataclass(frozen=True, slots=True)
class LegalHold:
    id: int
    subject: str
    """An item key, or for a hold on a container its key (``telegram:-1001234567890``)."""
    reason: str
    placed_at: datetime
    released_at: datetime | None
    subject_type: str = "item"
    """``item`` (an item or an account) or ``container`` (a channel, group or page)."""


class SqlHoldRepository:
    def __init__(self, conn: Connection, tenant: str, audit: AuditLog) -> None:
        self._conn = conn
        self._tenant = tenant
        self._audit = audit

    @emits(LegalHoldPlaced)
    def place(self, subject: ItemRef | ContainerRef, reason: str, at: datetime) -> int:
        if not reason.strip() or len(reason) > 500:
            raise ValidationError("", "reason", "a legal hold needs a reason of 1-500 characters")
        hold_id = int(
            self._conn.execute(
                insert(legal_holds).values(
                    tenant_id=self._tenant,
                    subject_key=subject.key,
                    subject_type=_type_of(subject),
                    reason=reason,
                    placed_at=at,
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
        return self._active(sorted({s.key for s in subjects}), "item")

    @reads
    def active_on_containers(self, keys: Sequence[str]) -> dict[str, int]:
        """Container key (``platform:id``) → id of an active hold on that container, for the
        containers that have one."""
        return self._active(sorted(set(keys)), "container")

    def _active(self, keys: list[str], subject_type: str) -> dict[str, int]:
        held: dict[str, int] = {}
        for part in chunks(keys):
            for row in self._conn.execute(
                select(legal_holds.c.id, legal_holds.c.subject_key)
                .where(
                    legal_holds.c.tenant_id == self._tenant,
                    legal_holds.c.subject_key.in_(part),
                    legal_holds.c.subject_type == subject_type,
                    legal_holds.c.released_at.is_(None),
                )
                .order_by(legal_holds.c.id)
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
                r.id,
                r.subject_key,
                r.reason,
                utc(r.placed_at) or r.placed_at,
                utc(r.released_at),
                r.subject_type,
            )
            for r in self._conn.execute(query.order_by(legal_holds.c.id))
        ]


def _type_of(subject: ItemRef | ContainerRef) -> str:
    return "container" if isinstance(subject, ContainerRef) else "item"
