"""Decisions: stored once per (item revision, policy run); earlier decisions are never changed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC
from typing import Any

from sqlalchemy import Connection, insert, select

from nigehban.audit.events import DecisionRecorded
from nigehban.errors import NotFoundError
from nigehban.model.decisions import Action, Decision
from nigehban.model.refs import ItemRef
from nigehban.model.taxonomy import Category
from nigehban.store._sql import chunks, item_id_of
from nigehban.store.audit_log import AuditLog
from nigehban.store.audited import emits, reads
from nigehban.store.schema import cases, decisions, items


class SqlDecisionRepository:
    def __init__(self, conn: Connection, tenant: str, audit: AuditLog) -> None:
        self._conn = conn
        self._tenant = tenant
        self._audit = audit

    def _item_id(self, ref: ItemRef) -> int:
        return item_id_of(self._conn, self._tenant, ref)

    @emits(DecisionRecorded)
    def record(self, decision: Decision) -> int:
        item_id = self._item_id(decision.item)
        decision_id = int(
            self._conn.execute(
                insert(decisions).values(
                    tenant_id=self._tenant,
                    item_id=item_id,
                    revision=decision.revision,
                    content_hash=decision.content_hash,
                    action=decision.action.value,
                    categories=[c.value for c in decision.categories],
                    confidence=decision.confidence,
                    rules=list(decision.rules),
                    ground=decision.ground,
                    automated_detection=decision.automated_detection,
                    automated_decision=decision.automated_decision,
                    violating=decision.violating,
                    policy_hash=decision.policy_hash,
                    model_hash=decision.model_hash,
                    registry_hash=decision.registry_hash,
                    bank_hash=decision.bank_hash,
                    decided_at=decision.decided_at,
                    details=dict(decision.details) or None,
                )
            ).inserted_primary_key[0]
        )
        self._audit.append(
            DecisionRecorded(
                decision_id,
                self._audit.subject(decision.item.key),
                decision.revision,
                decision.action.value,
            ),
            decision.decided_at,
        )
        return decision_id

    @reads
    def for_item(self, ref: ItemRef) -> list[Decision]:
        return [d for _, d in self.with_ids(ref)]

    @reads
    def with_ids(self, ref: ItemRef) -> list[tuple[int, Decision]]:
        """The item's decisions, oldest first, with their ids (none for an unknown item)."""
        item_id = self._conn.execute(
            select(items.c.id).where(items.c.tenant_id == self._tenant, items.c.ref_key == ref.key)
        ).scalar()
        if item_id is None:
            return []
        return [
            (int(r.id), _decision(ref, r))
            for r in self._conn.execute(
                select(decisions)
                .where(decisions.c.tenant_id == self._tenant, decisions.c.item_id == item_id)
                .order_by(decisions.c.id)
            )
        ]

    @reads
    def get(self, decision_id: int) -> Decision:
        row = self._conn.execute(
            select(decisions, items.c.ref_key)
            .join(items, items.c.id == decisions.c.item_id)
            .where(decisions.c.tenant_id == self._tenant, decisions.c.id == decision_id)
        ).first()
        if row is None:
            raise NotFoundError("decision", str(decision_id))
        return _decision(ItemRef.stored(self._tenant, row.ref_key), row)

    @reads
    def recent(
        self, limit: int = 100, action: Action | None = None, before_id: int | None = None
    ) -> list[tuple[int, Decision]]:
        """The tenant's latest decisions, newest first, with their ids."""
        query = (
            select(decisions, items.c.ref_key)
            .join(items, items.c.id == decisions.c.item_id)
            .where(decisions.c.tenant_id == self._tenant)
            .order_by(decisions.c.id.desc())
            .limit(limit)
        )
        if action is not None:
            query = query.where(decisions.c.action == action.value)
        if before_id is not None:
            query = query.where(decisions.c.id < before_id)
        return [
            (int(r.id), _decision(ItemRef.stored(self._tenant, r.ref_key), r))
            for r in self._conn.execute(query)
        ]

    @reads
    def violating(self, refs: Sequence[ItemRef]) -> set[str]:
        """Keys of the given items that have at least one violating decision in force.

        A violating decision a person has since decided on (its review case or its appeal is
        ``decided``: the person's own decision stands in its place) does not count, nor does one
        that waited for a person and never got one (no open review case reviews it any more):
        neither restricted anything, so neither is content EU 2021/784 Art. 6 preserves."""
        out: set[str] = set()
        keys = sorted({r.key for r in refs})
        for part in chunks(keys):
            rows = self._conn.execute(
                select(items.c.ref_key, decisions.c.id, decisions.c.details)
                .join(decisions, decisions.c.item_id == items.c.id)
                .where(
                    items.c.tenant_id == self._tenant,
                    items.c.ref_key.in_(part),
                    decisions.c.violating.is_(True),
                )
            ).all()
            if not rows:
                continue
            states: dict[int, set[str]] = {}
            for ids in chunks([int(r.id) for r in rows]):
                for case in self._conn.execute(
                    select(cases.c.decision_id, cases.c.state, cases.c.kind).where(
                        cases.c.tenant_id == self._tenant, cases.c.decision_id.in_(ids)
                    )
                ):
                    states.setdefault(int(case.decision_id), set()).add(f"{case.kind}:{case.state}")
            for row in rows:
                found = states.get(int(row.id), set())
                if "review:decided" in found or "appeal:decided" in found:
                    continue  # a person decided in its place
                if (row.details or {}).get("review_required") and "review:open" not in found:
                    continue  # it never took effect, and no one is reviewing it now
                out.add(row.ref_key)
        return out


def _decision(ref: ItemRef, r: Any) -> Decision:
    decided = r.decided_at if r.decided_at.tzinfo else r.decided_at.replace(tzinfo=UTC)
    return Decision(
        item=ref,
        revision=r.revision,
        content_hash=r.content_hash,
        action=Action(r.action),
        categories=tuple(Category(c) for c in r.categories),
        confidence=r.confidence,
        rules=tuple(r.rules),
        ground=r.ground,
        automated_detection=r.automated_detection,
        automated_decision=r.automated_decision,
        policy_hash=r.policy_hash,
        model_hash=r.model_hash,
        registry_hash=r.registry_hash,
        bank_hash=r.bank_hash,
        decided_at=decided,
        details=r.details or {},
    )
