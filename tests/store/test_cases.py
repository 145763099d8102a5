"""Cases follow their item's latest decision and end once; the policy archive keeps documents by
their hash and refuses one that no longer matches it."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import update

from nigehban.errors import ConflictError, ValidationError
from nigehban.store.schema import policy_versions
from nigehban.store.store import Store
from tests.conftest import TENANT
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
