"""Cases follow their item's latest decision and end once; the policy archive keeps documents by
their hash and refuses one that no longer matches it."""

from __future__ import annotations

import hashlib
import threading
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from nigehban.audit.digests import Digester
from nigehban.errors import ConflictError, ValidationError
from nigehban.store.cases import Opening
from nigehban.store.database import _alembic_config
from nigehban.store.schema import cases, items, policy_versions
from nigehban.store.store import Store
from nigehban.store.upgrade_steps import upgrade_steps
from tests.conftest import TENANT, TEST_KEY, make_database
from tests.store.test_audit import NOW, POST, decision, seed

DOC = '{"name":"p"}'
DOC_HASH = hashlib.sha256(DOC.encode()).hexdigest()


def test_opening_again_moves_the_open_case_and_keeps_its_deadline(store: Store) -> None:
    with store.session(TENANT, "test") as s:
        seed(s)
        first = s.decisions.record(decision())
        later = s.decisions.record(replace(decision(), revision=2))
        opened = s.cases.open(POST, first, "review", NOW, NOW + timedelta(hours=24))
        moved = s.cases.open(
            POST, later, "edited", NOW + timedelta(hours=1), NOW + timedelta(days=9)
        )
        same = s.cases.open(POST, later, "edited", NOW + timedelta(hours=2))
    assert opened.opened and not moved.opened and moved.case_id == opened.case_id
    assert moved.previous_decision_id == first and same.previous_decision_id == later
    with store.reading(TENANT) as s:
        case = s.cases.get(opened.case_id)
        names = [e.name for e in s.events()]
    assert case.decision_id == later and case.reason == "edited"
    assert case.deadline == NOW + timedelta(hours=24)
    assert names.count("case.updated") == 1  # the same decision again changes nothing


def test_a_case_ends_once_with_its_resolution(store: Store) -> None:
    with store.session(TENANT, "test") as s:
        seed(s)
        case_id = s.cases.open(POST, s.decisions.record(decision()), "review", NOW).case_id
        with pytest.raises(ValidationError, match="does not end a case"):
            s.cases.close(case_id, "x", NOW, state="open")
        with pytest.raises(ValidationError, match="resolution"):
            s.cases.close(case_id, "  ", NOW)
        ended = s.cases.close(case_id, "decided: remove", NOW, state="decided")
        assert (ended.state, ended.resolution, ended.closed_at) == (
            "decided",
            "decided: remove",
            NOW,
        )
        with pytest.raises(ConflictError, match="is decided, not open"):
            s.cases.close(case_id, "again", NOW)
        reopened = s.cases.open(POST, s.decisions.record(decision()), "new revision", NOW)
    assert reopened.opened and reopened.case_id != case_id
    with store.reading(TENANT) as s:
        assert [c.id for c in s.cases.listed(None)] == [case_id, reopened.case_id]
        assert s.cases.count() == 1 and s.cases.count(None) == 2


def test_the_policy_archive_keeps_a_document_once_and_checks_its_hash(store: Store) -> None:
    with store.session(TENANT, "test") as s:
        assert s.policies.keep(DOC_HASH, "p", "1", DOC, NOW)
        assert not s.policies.keep(DOC_HASH, "p", "1", DOC, NOW)
        with pytest.raises(ValidationError, match="does not hash to"):
            s.policies.keep(DOC_HASH, "p", "1", DOC + " ", NOW)
        with pytest.raises(ValidationError, match="not a SHA-256"):
            s.policies.keep("nope", "p", "1", DOC, NOW)
    with store.reading(TENANT) as s:
        assert s.policies.document(DOC_HASH) == DOC
        assert s.policies.document("0" * 64) is None
        assert [(v.name, v.version) for v in s.policies.listed()] == [("p", "1")]
        assert [e.name for e in s.events()].count("policy.recorded") == 1
    with store.db.write() as conn:
        conn.execute(update(policy_versions).values(document='{"name":"q"}'))
    with store.reading(TENANT) as s, pytest.raises(ConflictError, match="no longer matches"):
        s.policies.document(DOC_HASH)


def test_a_case_from_before_cases_named_their_policy_is_adopted(store: Store) -> None:
    """A database upgraded from 0003 holds open review cases with no policy: the next decision
    under a policy moves such a case instead of opening a second one beside it."""
    with store.session(TENANT, "test") as s:
        seed(s)
        old = s.cases.open(POST, s.decisions.record(decision()), "review", NOW)  # no policy
        later = s.decisions.record(replace(decision(), revision=2))
        assert s.cases.open_for(POST, "eu") == old.case_id
        moved = s.cases.open(POST, later, "edited", NOW, policy="eu")
        other = s.cases.open(POST, later, "edited", NOW, policy="pk")
    assert not moved.opened and moved.case_id == old.case_id and other.opened
    with store.reading(TENANT) as s:
        assert s.cases.get(old.case_id).policy == "eu"
        assert s.cases.open_ids(POST, "pk") == [other.case_id]


def test_the_database_holds_one_open_case_per_item_and_policy_and_one_appeal_per_decision(
    store: Store,
) -> None:
    with store.session(TENANT, "test") as s:
        seed(s)
        first = s.decisions.record(decision())
        s.cases.open(POST, first, "review", NOW, policy="eu")
        s.cases.open(POST, first, "review", NOW, policy="pk")  # another policy: its own case
        s.cases.appeal(POST, first, "appeal: a poem", NOW)
        item_id = s.conn.execute(select(cases.c.item_id)).scalar()
    row = {"tenant_id": TENANT, "item_id": item_id, "decision_id": first, "reason": "r",
           "state": "open", "opened_at": NOW}  # fmt: skip
    for duplicate in ({"kind": "review", "policy": "eu"}, {"kind": "appeal"}):
        with pytest.raises(IntegrityError), store.db.write() as conn:
            conn.execute(insert(cases).values(**row, **duplicate))
    with store.db.write() as conn:  # ended cases are not limited
        ended = {**row, "state": "closed", "kind": "review", "policy": "eu"}
        conn.execute(insert(cases).values(ended))


def test_concurrent_openings_of_one_items_case_share_it(store: Store) -> None:
    """Two scans deciding the same item at once: the second sees the first's case once it is
    committed and moves it (on PostgreSQL its insert waits on the unique index)."""
    with store.session(TENANT, "test") as s:
        seed(s)
        first = s.decisions.record(decision())
        later = s.decisions.record(replace(decision(), revision=2))
    opened = threading.Event()
    results: dict[str, Opening] = {}

    def scan(name: str, decision_id: int, wait: threading.Event | None) -> None:
        if wait is not None:
            wait.wait(5)
        with store.session(TENANT, name) as s:
            results[name] = s.cases.open(POST, decision_id, name, NOW, policy="eu")
            if wait is None:
                opened.set()
                time.sleep(0.5)  # the other transaction looks, and inserts, meanwhile

    threads = [
        threading.Thread(target=scan, args=("one", first, None)),
        threading.Thread(target=scan, args=("two", later, opened)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(20)
    assert results["one"].opened and not results["two"].opened
    assert results["two"].case_id == results["one"].case_id
    with store.reading(TENANT) as s:
        [case] = s.cases.listed()
    assert case.decision_id == later


@pytest.mark.parametrize("audited", [True, False])
@pytest.mark.parametrize("backend", ["sqlite-file", "postgresql"])
def test_the_0005_migration_merges_open_duplicates(
    backend: str, audited: bool, tmp_path: Path
) -> None:
    """``db upgrade`` merges them with their audit events before 0005; a bare migration
    (no audit key) merges them silently."""
    db = make_database(backend, tmp_path)
    config = _alembic_config()
    with db.write() as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, "0004")
    store = Store(db, Digester(TEST_KEY))
    try:
        store.ensure_tenant(TENANT)
        with store.session(TENANT, "test") as s:
            seed(s)
            first = s.decisions.record(decision())
            later = s.decisions.record(replace(decision(), revision=2))
            item_id = s.conn.execute(select(items.c.id).where(items.c.ref_key == POST.key)).scalar()
        with store.db.write() as conn:
            for decision_id, kind, at in [
                (first, "review", NOW),
                (later, "review", NOW + timedelta(hours=1)),
                (first, "appeal", NOW),
                (first, "appeal", NOW),
            ]:
                conn.execute(
                    insert(cases).values(
                        tenant_id=TENANT, item_id=item_id, decision_id=decision_id, reason="r",
                        kind=kind, policy="eu" if kind == "review" else None, state="open",
                        opened_at=at, deadline=at + timedelta(days=1),
                    )
                )  # fmt: skip
        db.upgrade(upgrade_steps(Digester(TEST_KEY)) if audited else None)
        with store.reading(TENANT) as s:
            found = s.cases.listed(state=None)
            events = [e.name for e in s.events()]
            assert s.verify_chain() == []
    finally:
        store.close()
    review, later_review, appeal, second_appeal = sorted(found, key=lambda c: c.id)
    assert (review.state, review.decision_id, review.deadline) == (
        "open",
        later,
        NOW + timedelta(days=1),
    )
    assert later_review.state == "closed" and later_review.resolution == (
        f"closed: a duplicate of case {review.id}"
    )
    assert appeal.state == "open" and second_appeal.state == "closed"
    expected = ["case.updated", "case.closed", "case.closed"] if audited else []
    assert [e for e in events if e.startswith("case.")] == expected
