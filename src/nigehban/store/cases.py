"""Cases: a unit of human work on an item's decision, with its reason, state and deadline.

A case is of kind ``review`` (the policy sends a decision to a person before it takes effect;
the scan opens these) or ``appeal`` (a user appeals a decision that took effect). It is
``open``, then ``decided`` by a reviewer or ``closed`` without a review decision; ending it
records its resolution and when it ended.

One open review case per item and policy (by name: an edited policy file keeps its cases), and
it reviews the item's latest decision under that policy that asks for review: opening a review
case where one is open moves that case to the new decision (``case.updated``) and keeps its
deadline, so an edit or a rescan never opens a second case and never pushes the deadline back;
a decision under another policy (``eu`` beside ``pk``) has a case of its own. One open appeal per
decision (``appeal.lodged``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Connection,
    RowMapping,
    Select,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from nigehban.audit.events import AppealLodged, CaseClosed, CaseOpened, CaseUpdated
from nigehban.errors import ConflictError, NotFoundError, ValidationError
from nigehban.model.codec import format_time
from nigehban.model.refs import ItemRef
from nigehban.store._sql import item_id_of, utc
from nigehban.store.audit_log import AuditLog
from nigehban.store.audited import emits, reads
from nigehban.store.schema import cases, items

REVIEW = "review"
"""A decision the policy sends to a person before it takes effect."""
APPEAL = "appeal"
"""A user's complaint against a decision that took effect (DSA Art. 20, EU 2021/784 Art. 10)."""
KINDS = (REVIEW, APPEAL)

OPEN = "open"
DECIDED = "decided"
"""A reviewer decided (the decision is recorded on its own; an appeal may reopen the matter)."""
CLOSED = "closed"
"""Ended without a review decision, e.g. superseded by a later revision that needs none."""
STATES = (OPEN, DECIDED, CLOSED)


@dataclass(frozen=True, slots=True)
class Case:
    id: int
    item: str
    decision_id: int
    reason: str
    state: str
    opened_at: datetime
    deadline: datetime | None
    closed_at: datetime | None = None
    resolution: str | None = None
    kind: str = REVIEW
    policy: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The case as the CLI and the API show it."""
        return {
            "id": self.id,
            "kind": self.kind,
            "policy": self.policy,
            "item": self.item,
            "decision_id": self.decision_id,
            "reason": self.reason,
            "state": self.state,
            "opened_at": format_time(self.opened_at),
            "deadline": format_time(self.deadline) if self.deadline else None,
            "closed_at": format_time(self.closed_at) if self.closed_at else None,
            "resolution": self.resolution,
        }


@dataclass(frozen=True, slots=True)
class Opening:
    """What :meth:`SqlCaseRepository.open` did: opened a case, or moved the open one."""

    case_id: int
    opened: bool
    previous_decision_id: int | None = None


def _case(row: RowMapping) -> Case:
    return Case(
        id=int(row["id"]),
        item=str(row["ref_key"]),
        decision_id=int(row["decision_id"]),
        reason=str(row["reason"]),
        state=str(row["state"]),
        opened_at=utc(row["opened_at"]) or row["opened_at"],
        deadline=utc(row["deadline"]),
        closed_at=utc(row["closed_at"]),
        resolution=row["resolution"],
        kind=str(row["kind"]),
        policy=row["policy"],
    )


def _of_policy(policy: str | None) -> ColumnElement[bool]:
    """Review cases of ``policy``, and those opened before cases recorded their policy (a
    database upgraded from 0003 held one open review case per item, whatever the policy)."""
    if policy is None:
        return cases.c.policy.is_(None)
    return or_(cases.c.policy == policy[:64], cases.c.policy.is_(None))


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

    @emits(CaseOpened, CaseUpdated)
    def open(
        self,
        ref: ItemRef,
        decision_id: int,
        reason: str,
        at: datetime,
        deadline: datetime | None = None,
        policy: str | None = None,
    ) -> Opening:
        """Open a review case on ``decision_id`` (made under ``policy``), or move the item's
        open one under that policy to it."""
        if not reason.strip():
            raise ValidationError("", "reason", "a case needs a reason")
        item_id = self._item_id(ref)
        for _ in range(2):  # a concurrent scan may open the case between our look and insert
            existing = self._conn.execute(
                select(cases.c.id, cases.c.decision_id).where(
                    cases.c.tenant_id == self._tenant,
                    cases.c.item_id == item_id,
                    cases.c.kind == REVIEW,
                    cases.c.state == OPEN,
                    _of_policy(policy),
                )
            ).first()
            if existing is not None:
                return self._move(ref, int(existing.id), int(existing.decision_id), decision_id,
                                  reason, policy, at)  # fmt: skip
            case_id = self._insert(item_id, decision_id, reason, REVIEW, at, deadline, policy)
            if case_id is not None:
                self._audit.append(
                    CaseOpened(case_id, self._audit.subject(ref.key), decision_id), at
                )
                return Opening(case_id, opened=True)
        raise ConflictError(f"the review case of {self._audit.subject(ref.key)} keeps changing")

    def _move(
        self,
        ref: ItemRef,
        case_id: int,
        previous: int,
        decision_id: int,
        reason: str,
        policy: str | None,
        at: datetime,
    ) -> Opening:
        if previous != decision_id:
            self._conn.execute(
                update(cases)
                .where(cases.c.id == case_id)
                .values(decision_id=decision_id, reason=reason[:500], policy=policy)
            )
            self._audit.append(
                CaseUpdated(case_id, self._audit.subject(ref.key), decision_id, previous), at
            )
        return Opening(case_id, opened=False, previous_decision_id=previous)

    @emits(AppealLodged)
    def appeal(
        self,
        ref: ItemRef,
        decision_id: int,
        reason: str,
        at: datetime,
        deadline: datetime | None = None,
        policy: str | None = None,
    ) -> int:
        """Open an appeal case against ``decision_id`` (made under ``policy``, by name); one
        open appeal per decision."""
        if not reason.strip():
            raise ValidationError("", "reason", "an appeal needs the user's reasons")
        existing = self._conn.execute(
            select(cases.c.id).where(
                cases.c.tenant_id == self._tenant,
                cases.c.decision_id == decision_id,
                cases.c.kind == APPEAL,
                cases.c.state == OPEN,
            )
        ).scalar()
        if existing is not None:
            raise ConflictError(
                f"decision {decision_id} is already under appeal in case {existing}"
            )
        case_id = self._insert(
            self._item_id(ref), decision_id, reason, APPEAL, at, deadline, policy
        )
        if case_id is None:  # lodged concurrently
            raise ConflictError(f"decision {decision_id} is already under appeal")
        self._audit.append(AppealLodged(case_id, self._audit.subject(ref.key), decision_id), at)
        return case_id

    def _insert(
        self,
        item_id: int,
        decision_id: int,
        reason: str,
        kind: str,
        at: datetime,
        deadline: datetime | None,
        policy: str | None = None,
    ) -> int | None:
        """Insert an open case; None where the database already holds the open case this one
        would duplicate (one per item and policy, one appeal per decision)."""
        dialect = postgresql if self._conn.dialect.name == "postgresql" else sqlite
        done = self._conn.execute(
            dialect.insert(cases)
            .values(
                tenant_id=self._tenant,
                item_id=item_id,
                decision_id=decision_id,
                reason=reason[:500],
                kind=kind,
                policy=policy[:64] if policy else None,
                state=OPEN,
                opened_at=at,
                deadline=deadline,
            )
            .on_conflict_do_nothing()
            .returning(cases.c.id)
        ).scalar()
        return None if done is None else int(done)

    @emits(CaseClosed)
    def close(self, case_id: int, resolution: str, at: datetime, state: str = CLOSED) -> Case:
        """End an open case as ``decided`` or ``closed``, saying why; it stays ended."""
        if state not in (DECIDED, CLOSED):
            raise ValidationError("", "state", f"{state[:20]!r} does not end a case")
        if not resolution.strip():
            raise ValidationError("", "resolution", "ending a case needs a resolution")
        case = self.get(case_id)
        if case.state != OPEN:
            raise ConflictError(f"case {case_id} is {case.state}, not open")
        ended = self._conn.execute(
            update(cases)
            .where(cases.c.id == case_id, cases.c.tenant_id == self._tenant, cases.c.state == OPEN)
            .values(state=state, closed_at=at, resolution=resolution[:500])
        )
        if ended.rowcount != 1:  # another reviewer ended it since it was read
            raise ConflictError(f"case {case_id} was ended by someone else just now")
        self._audit.append(
            CaseClosed(case_id, self._audit.subject(case.item), state, resolution[:200]), at
        )
        return self.get(case_id)

    @emits(CaseUpdated, CaseClosed)
    def merge_open_duplicates(self, at: datetime) -> int:
        """Merge open cases a database without the one-open-case indexes (before 0005) could
        hold twice — review cases of one item and policy, appeals of one decision: the oldest
        stays open (its deadline kept) on the newest decision any of them reviewed; the others
        close as its duplicates. How many were closed."""
        rows = self._conn.execute(
            select(cases.c.id, cases.c.item_id, cases.c.decision_id, cases.c.policy, cases.c.kind)
            .where(
                cases.c.tenant_id == self._tenant,
                cases.c.state == OPEN,
                or_(cases.c.kind == APPEAL, cases.c.policy.is_not(None)),
            )
            .order_by(cases.c.id)
        ).all()
        groups: dict[tuple[object, ...], list[Any]] = {}
        for row in rows:
            key = (
                (REVIEW, row.item_id, row.policy)
                if row.kind == REVIEW
                else (APPEAL, row.decision_id)
            )
            groups.setdefault(key, []).append(row)
        closed = 0
        for found in groups.values():
            if len(found) < 2:
                continue
            kept, *rest = found
            newest = max(int(r.decision_id) for r in found)
            if kept.kind == REVIEW and newest != int(kept.decision_id):
                subject = self._audit.subject(self.get(int(kept.id)).item)
                self._conn.execute(
                    update(cases).where(cases.c.id == kept.id).values(decision_id=newest)
                )
                self._audit.append(
                    CaseUpdated(int(kept.id), subject, newest, int(kept.decision_id)), at
                )
            for row in rest:
                self.close(int(row.id), f"closed: a duplicate of case {kept.id}", at)
                closed += 1
        return closed

    @emits(CaseClosed)
    def close_reviews(self, ref: ItemRef, resolution: str, at: datetime) -> int:
        """Close every open review case of the item (its content is gone); how many."""
        found = self.open_ids(ref)
        for case_id in found:
            self.close(case_id, resolution, at)
        return len(found)

    @reads
    def open_for(self, ref: ItemRef, policy: str | None = None) -> int | None:
        """The id of the item's open review case under ``policy``, if it has one."""
        found = self.open_ids(ref, policy)
        return found[0] if found else None

    @reads
    def open_ids(self, ref: ItemRef, policy: str | None = None) -> list[int]:
        """The ids of the item's open review cases (under ``policy`` only, when given)."""
        query = (
            select(cases.c.id)
            .join(items, items.c.id == cases.c.item_id)
            .where(
                cases.c.tenant_id == self._tenant,
                items.c.ref_key == ref.key,
                cases.c.kind == REVIEW,
                cases.c.state == OPEN,
            )
            .order_by(cases.c.id)
        )
        if policy is not None:
            query = query.where(_of_policy(policy))
        return [int(i) for i in self._conn.execute(query).scalars()]

    @reads
    def get(self, case_id: int) -> Case:
        row = self._conn.execute(self._select().where(cases.c.id == case_id)).mappings().first()
        if row is None:
            raise NotFoundError("case", str(case_id))
        return _case(row)

    @reads
    def listed(
        self,
        state: str | None = OPEN,
        limit: int = 100,
        offset: int = 0,
        kind: str | None = None,
        decision_id: int | None = None,
    ) -> list[Case]:
        """Cases by deadline (the most urgent first; none last), then by id."""
        query = (
            self._select()
            .order_by(cases.c.deadline.is_(None), cases.c.deadline, cases.c.id)
            .limit(limit)
            .offset(offset)
        )
        if state is not None:
            query = query.where(cases.c.state == state)
        if kind is not None:
            query = query.where(cases.c.kind == kind)
        if decision_id is not None:
            query = query.where(cases.c.decision_id == decision_id)
        return [_case(r) for r in self._conn.execute(query).mappings()]

    @reads
    def count(self, state: str | None = OPEN) -> int:
        query = select(func.count()).select_from(cases).where(cases.c.tenant_id == self._tenant)
        if state is not None:
            query = query.where(cases.c.state == state)
        return int(self._conn.execute(query).scalar_one())
