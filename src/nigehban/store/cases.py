"""Cases: an item whose decision the policy sends to human review, with its reason and deadline.

This is the minimal aggregate the scan opens (state ``open``); the review workflow extends it by
migration. One open case per item: opening a case for an item that already has one open adds
nothing and returns the open case's id.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, Select, insert, select

from nigehban.audit.events import CaseOpened
from nigehban.errors import NotFoundError, ValidationError
from nigehban.model.refs import ItemRef
from nigehban.store._sql import item_id_of, utc
from nigehban.store.audit_log import AuditLog
from nigehban.store.audited import emits, reads
from nigehban.store.schema import cases, items

OPEN = "open"


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    item: str
    decision_id: int
    reason: str
    state: str
    opened_at: datetime
    deadline: datetime | None


def _case(row: RowMapping) -> Case:
    return Case(
        id=int(row["id"]),
        item=str(row["ref_key"]),
        decision_id=int(row["decision_id"]),
        reason=str(row["reason"]),
        state=str(row["state"]),
        opened_at=utc(row["opened_at"]) or row["opened_at"],
        deadline=utc(row["deadline"]),
    )


class SqlCaseRepository:
    def __init__(self, conn: Connection, tenant: str, audit: AuditLog) -> None:
        self._conn = conn
        self._tenant = tenant
        self._audit = audit

    def _item_id(self, ref: ItemRef) -> int:
        return item_id_of(self._conn, self._tenant, ref)

    def _select(self) -> Select[Any]:
        return (
            select(cases, items.c.ref_key)
            .join(items, items.c.id == cases.c.item_id)
            .where(cases.c.tenant_id == self._tenant)
        )

    @emits(CaseOpened)
    def open(
        self,
        ref: ItemRef,
        decision_id: int,
        reason: str,
        at: datetime,
        deadline: datetime | None = None,
    ) -> int:
        if not reason.strip():
            raise ValidationError("", "reason", "a case needs a reason")
        item_id = self._item_id(ref)
        existing = self._conn.execute(
            select(cases.c.id).where(
                cases.c.tenant_id == self._tenant,
                cases.c.item_id == item_id,
                cases.c.state == OPEN,
            )
        ).scalar()
        if existing is not None:
            return int(existing)
        case_id = int(
            self._conn.execute(
                insert(cases).values(
                    tenant_id=self._tenant,
                    item_id=item_id,
                    decision_id=decision_id,
                    reason=reason[:500],
                    state=OPEN,
                    opened_at=at,
                    deadline=deadline,
                )
            ).inserted_primary_key[0]
        )
        self._audit.append(CaseOpened(case_id, self._audit.subject(ref.key), decision_id), at)
        return case_id

    @reads
    def open_for(self, ref: ItemRef) -> int | None:
        """The id of the item's open case, if it has one."""
        row = self._conn.execute(
            select(cases.c.id)
            .join(items, items.c.id == cases.c.item_id)
            .where(
                cases.c.tenant_id == self._tenant,
                items.c.ref_key == ref.key,
                cases.c.state == OPEN,
            )
        ).scalar()
        return int(row) if row is not None else None

    @reads
    def get(self, case_id: int) -> Case:
        row = self._conn.execute(self._select().where(cases.c.id == case_id)).mappings().first()
        if row is None:
            raise NotFoundError("case", str(case_id))
        return _case(row)

    @reads
    def listed(self, state: str | None = OPEN, limit: int = 100) -> list[Case]:
        query = self._select().order_by(cases.c.deadline, cases.c.id).limit(limit)
        if state is not None:
            query = query.where(cases.c.state == state)
        return [_case(r) for r in self._conn.execute(query).mappings()]

    @reads
    def count(self, state: str | None = OPEN) -> int:
        query = select(cases.c.id).where(cases.c.tenant_id == self._tenant)
        if state is not None:
            query = query.where(cases.c.state == state)
        return len(self._conn.execute(query).all())
