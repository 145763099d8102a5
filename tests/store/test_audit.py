"""The audit trail: every write method emits its typed event; the chain detects any edit;
events never carry content or identifiers."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import insert, select, text, update

from nigehban.audit.chain import GENESIS, ChainedEvent, event_hash, verify
from nigehban.banks.model import Bank, Entry, SignalType
from nigehban.model.decisions import Action, Decision
from nigehban.model.items import Account, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Surface
from nigehban.model.taxonomy import Category
from nigehban.store.audited import unmarked_methods, write_methods
from nigehban.store.banks import MatchRecord, SqlBankRepository
from nigehban.store.cases import SqlCaseRepository
from nigehban.store.decisions import SqlDecisionRepository
from nigehban.store.holds import SqlHoldRepository
from nigehban.store.items import SqlItemRepository
from nigehban.store.keys import SqlKeyRepository
from nigehban.store.policies import SqlPolicyArchive
from nigehban.store.schema import audit_events, cases
from nigehban.store.store import Session, Store
from nigehban.store.tenants import SqlTenantRepository
from tests.conftest import TENANT

NOW = datetime(2025, 7, 14, 10, 0, tzinfo=UTC)
SECRET_TEXT = "a private message naming +92 300 1234567"
ACCOUNT = ItemRef(TENANT, Platform.X, ItemKind.ACCOUNT, "98765432101")
POST = ItemRef(TENANT, Platform.X, ItemKind.POST, "1811000000000000001")
OTHER = ItemRef(TENANT, Platform.X, ItemKind.POST, "1811000000000000002")

REPOSITORIES = [
    SqlItemRepository,
    SqlHoldRepository,
    SqlKeyRepository,
    SqlDecisionRepository,
    SqlTenantRepository,
    SqlBankRepository,
    SqlCaseRepository,
    SqlPolicyArchive,
]


def seed(s: Session) -> None:
    s.items.save(
        [
            Account(ref=ACCOUNT, handle="someone"),
            Post(ref=POST, surface=Surface.PUBLIC, text=SECRET_TEXT, author=ACCOUNT),
        ],
        NOW,
    )


def decision() -> Decision:
    return Decision(
        item=POST, revision=1, content_hash="0" * 64, action=Action.REVIEW,
        categories=(Category.GLORIFICATION,), confidence=0.7, rules=("r1",), ground="ToS 4.2",
        automated_detection=True, automated_decision=False, policy_hash="1" * 64,
        model_hash=None, registry_hash=None, bank_hash=None, decided_at=NOW,
    )  # fmt: skip


# One scenario per write method: (events expected, action). New write methods must add theirs.
SCENARIOS: dict[str, tuple[set[str], Callable[[Session], object]]] = {
    "SqlItemRepository.save": (
        {"item.created", "item.revised", "item.revision_conflict"},
        lambda s: (
            s.items.save([Post(ref=POST, surface=Surface.PUBLIC, text="edited", edited_at=NOW)], NOW),
            s.items.save([Post(ref=OTHER, surface=Surface.PUBLIC, text="one")], NOW),
            s.items.save([Post(ref=OTHER, surface=Surface.PUBLIC, text="two")], NOW),
        ),
    ),
    "SqlItemRepository.tombstone": ({"item.deleted"}, lambda s: s.items.tombstone(POST, NOW, "deleted", True, at=NOW)),
    "SqlItemRepository.purge_content": (
        {"item.content_purged"}, lambda s: s.items.purge_content(POST, "retention", NOW)
    ),
    "SqlItemRepository.erase": ({"account.erased"}, lambda s: s.items.erase(ACCOUNT, [POST], NOW)),
    "SqlHoldRepository.place": ({"legal_hold.placed"}, lambda s: s.holds.place(POST, "order", NOW)),
    "SqlHoldRepository.release": (
        {"legal_hold.released"}, lambda s: s.holds.release(s.holds.place(POST, "order", NOW), NOW)
    ),
    "SqlHoldRepository.note_kept": (
        {"legal_hold.kept"}, lambda s: s.holds.note_kept(s.holds.place(POST, "order", NOW), 3, NOW)
    ),
    "SqlKeyRepository.create": ({"api_key.created"}, lambda s: s.keys.create("k", NOW)),
    "SqlKeyRepository.revoke": (
        {"api_key.revoked"}, lambda s: s.keys.revoke(s.keys.create("k", NOW)[0].id, NOW)
    ),
    "SqlDecisionRepository.record": ({"decision.recorded"}, lambda s: s.decisions.record(decision())),
    "SqlTenantRepository.ensure": ({"tenant.created"}, lambda s: None),
    "SqlBankRepository.create": ({"bank.created"}, lambda s: s.banks.create(Bank("b"), NOW)),
    "SqlBankRepository.update": (
        {"bank.updated"}, lambda s: (s.banks.create(Bank("b"), NOW), s.banks.update("b", NOW, enabled=False))
    ),
    "SqlBankRepository.delete": (
        {"bank.deleted"}, lambda s: (s.banks.create(Bank("b"), NOW), s.banks.delete("b", NOW))
    ),
    "SqlBankRepository.add_entries": ({"bank.entries_added"}, lambda s: _bank_with_entry(s)),
    "SqlBankRepository.update_entry": (
        {"bank.entry_updated"}, lambda s: s.banks.update_entry(_bank_with_entry(s), NOW, enabled=False)
    ),
    "SqlBankRepository.delete_entry": (
        {"bank.entry_deleted"}, lambda s: s.banks.delete_entry(_bank_with_entry(s), NOW)
    ),
    "SqlCaseRepository.open": (
        {"case.opened"}, lambda s: s.cases.open(POST, s.decisions.record(decision()), "review", NOW)
    ),
    "SqlCaseRepository.appeal": (
        {"appeal.lodged"},
        lambda s: s.cases.appeal(POST, s.decisions.record(decision()), "appeal: it is news", NOW),
    ),
    "SqlCaseRepository.close": (
        {"case.closed"},
        lambda s: s.cases.close(
            s.cases.open(POST, s.decisions.record(decision()), "review", NOW).case_id, "done", NOW
        ),
    ),
    "SqlCaseRepository.close_reviews": (
        {"case.closed"},
        lambda s: (
            s.cases.open(POST, s.decisions.record(decision()), "review", NOW),
            s.cases.close_reviews(POST, "closed: content purged", NOW),
        ),
    ),
    "SqlCaseRepository.merge_open_duplicates": (
        {"case.updated", "case.closed"}, lambda s: _duplicate_cases(s)
    ),
    "SqlPolicyArchive.keep": (
        {"policy.recorded"},
        lambda s: s.policies.keep(hashlib.sha256(b"{}").hexdigest(), "p", "1", "{}", NOW),
    ),
    "SqlBankRepository.log_matches": (
        {"bank.matched"},
        lambda s: s.banks.log_matches(
            [MatchRecord(POST.key, "b", _bank_with_entry(s), SignalType.MD5, 0.0, NOW)]
        ),
    ),
}  # fmt: skip


def _duplicate_cases(s: Session) -> int:
    """Two open review cases of one item and policy, as a database before 0005 could hold."""
    s.conn.execute(text("DROP INDEX ux_cases_open_review"))
    first = s.cases.open(POST, s.decisions.record(decision()), "review", NOW, policy="eu")
    later = s.decisions.record(replace(decision(), revision=2))
    s.conn.execute(
        insert(cases).values(
            tenant_id=TENANT, item_id=s.conn.execute(select(cases.c.item_id)).scalar(),
            decision_id=later, reason="r", kind="review", policy="eu", state="open",
            opened_at=NOW,
        )
    )  # fmt: skip
    assert s.cases.merge_open_duplicates(NOW) == 1
    return first.case_id


def _bank_with_entry(s: Session) -> int:
    s.banks.create(Bank("b"), NOW)
    return s.banks.add_entries("b", [Entry("b", SignalType.MD5, "0" * 32)], NOW).added[0]


def test_every_public_method_is_marked_read_or_write() -> None:
    for repo in REPOSITORIES:
        assert unmarked_methods(repo) == [], repo.__name__


def test_every_write_method_has_a_scenario() -> None:
    declared = {f"{r.__name__}.{m}" for r in REPOSITORIES for m in write_methods(r)}
    assert declared == set(SCENARIOS)


@pytest.mark.parametrize("method", sorted(SCENARIOS))
def test_write_method_emits_its_events_in_the_same_transaction(store: Store, method: str) -> None:
    expected, action = SCENARIOS[method]
    with store.session(TENANT, "test") as s:
        seed(s)
    with store.reading(TENANT) as s:
        before = len(s.events())
    with store.session(TENANT, "test") as s:
        action(s)
    with store.reading(TENANT) as s:
        events = s.events()
        new = {e.name for e in events[before:]}
        if method == "SqlTenantRepository.ensure":
            new = {e.name for e in events[:1]}
        declared = {
            e.name
            for r in REPOSITORIES
            for m, evs in write_methods(r).items()
            if f"{r.__name__}.{m}" == method
            for e in evs
        }
        assert expected <= new, f"{method} emitted {sorted(new)}"
        assert expected <= declared, f"{method} does not declare {sorted(expected - declared)}"
        assert s.verify_chain() == []
        for event in events:
            blob = repr(event.data)
            assert "private message" not in blob and "3001234567" not in blob
            assert ACCOUNT.scoped_id not in blob and POST.scoped_id not in blob


def test_rolled_back_write_leaves_no_event(store: Store) -> None:
    with pytest.raises(RuntimeError), store.session(TENANT, "test") as s:
        s.keys.create("k", NOW)
        raise RuntimeError("abort")
    with store.reading(TENANT) as s:
        assert [e.name for e in s.events()] == ["tenant.created"]


def test_editing_a_stored_event_is_detected(store: Store) -> None:
    with store.session(TENANT, "test") as s:
        seed(s)
        s.keys.create("k", NOW)
    with store.db.write() as conn:
        conn.execute(
            update(audit_events)
            .where(audit_events.c.tenant_id == TENANT, audit_events.c.seq == 2)
            .values(actor="someone-else")
        )
    with store.reading(TENANT) as s:
        breaks = s.verify_chain()
    assert [b.seq for b in breaks] == [2]


def test_read_session_refuses_writes(store: Store) -> None:
    from nigehban.errors import UsageError

    with pytest.raises(UsageError), store.reading(TENANT) as s:
        s.keys.create("k", NOW)


def _chain(n: int) -> list[ChainedEvent]:
    out: list[ChainedEvent] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        data: dict[str, str | int | bool | None] = {"n": seq}
        h = event_hash(prev, "t", seq, "e", NOW, "a", data)
        out.append(ChainedEvent("t", seq, "e", NOW, "a", data, prev, h))
        prev = h
    return out


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 12), st.data())
def test_any_change_to_a_chain_is_detected(n: int, data: st.DataObject) -> None:
    chain = _chain(n)
    head = (chain[-1].seq, chain[-1].hash)
    assert verify(chain, head) == []
    i = data.draw(st.integers(0, n - 1))
    how = data.draw(st.sampled_from(["data", "drop", "swap", "actor"]))
    broken = list(chain)
    e = broken[i]
    if how == "data":
        broken[i] = ChainedEvent(
            e.tenant, e.seq, e.name, e.at, e.actor, {"n": -1}, e.prev_hash, e.hash
        )
    elif how == "actor":
        broken[i] = ChainedEvent(e.tenant, e.seq, e.name, e.at, "x", e.data, e.prev_hash, e.hash)
    elif how == "drop":
        if n == 1:
            return
        del broken[i]
    elif n > 1:
        j = (i + 1) % n
        broken[i], broken[j] = broken[j], broken[i]
    else:
        return
    assert verify(broken, head) != []
