"""A person's decision reaches the stored pure shares of its item in its own transaction, on
every store backend: the share is decided as a scan decides it, a quote is not, and a failure
while deciding the shares leaves the reviewer's decision unrecorded too."""

from __future__ import annotations

from pathlib import Path

import pytest

from nigehban.detectors.base import DetectorRegistry
from nigehban.errors import DependencyError
from nigehban.model.decisions import Action
from nigehban.model.items import Item
from nigehban.model.refs import ItemRef
from nigehban.model.signals import Signal
from nigehban.policy import load_policies
from nigehban.policy.model import Policy
from nigehban.settings import Settings, load_settings
from nigehban.store.store import Store
from nigehban.testing.fakes import KeywordDetector
from nigehban.workflows.detectors import DetectorSet
from nigehban.workflows.review import ScannerFor, decide_case
from nigehban.workflows.scan import Scanner
from tests.conftest import TENANT

POLICIES = load_policies()
SALUTE = {"platform": "x", "id": "20", "author": {"id": "u20"}, "text": "we salute the fidayeen"}
RETWEET = {"platform": "x", "id": "21", "author": {"id": "u21"}, "share_of": "20"}
QUOTE = {"platform": "x", "id": "22", "author": {"id": "u22"}, "quote_of": "20",
         "text": "they salute the fidayeen: report it"}  # fmt: skip


class _Failing:
    """A detector that fails on a post without text (a pure share) as a broken one would."""

    name, version, snapshot_hash = "failing", "1", "0" * 64

    def detect(self, item: Item) -> list[Signal]:
        if getattr(item, "text", "x") is None:
            raise DependencyError("the detector is gone")
        return []


def _detectors(*extra: _Failing) -> DetectorSet:
    return DetectorSet(DetectorRegistry([KeywordDetector({"salute": "glorification"}), *extra]))


def _scanners(store: Store, settings: Settings, detectors: DetectorSet) -> ScannerFor:
    def under(policy: Policy) -> Scanner:
        return Scanner(store, settings, policy, detectors, tenant=TENANT)

    return under


def _scanned(store: Store, tmp_path: Path) -> tuple[Settings, int]:
    """The salute, a retweet and a quote of it, scanned under ``eu``: the review case of the
    salute."""
    settings = load_settings(environ={}, data_dir=tmp_path, default_tenant=TENANT)
    scanner = Scanner(store, settings, POLICIES["eu"], _detectors(), tenant=TENANT)
    for record in (SALUTE, RETWEET, QUOTE):
        assert scanner.scan_payload(record, "test").ingest.ok
    with store.reading(TENANT) as s:
        case_id = s.cases.open_for(ItemRef.stored(TENANT, "x/post/20"), "eu")
    assert case_id is not None
    return settings, case_id


def _latest(store: Store, key: str) -> tuple[int, Action, dict[str, object]]:
    with store.reading(TENANT) as s:
        decision_id, d = s.decisions.with_ids(ItemRef.stored(TENANT, key))[-1]
    return decision_id, d.action, dict(d.details)


def test_the_retweet_follows_in_the_reviewers_transaction(store: Store, tmp_path: Path) -> None:
    settings, case_id = _scanned(store, tmp_path)
    retweet, quote = _latest(store, "x/post/21"), _latest(store, "x/post/22")
    assert retweet[1] is Action.REMOVE and retweet[2]["review_required"]  # eu: a person first
    outcome = decide_case(
        store, TENANT, case_id, Action.ALLOW, "amina", "a quotation", lambda: POLICIES,
        scanners=lambda: _scanners(store, settings, _detectors()),
    )  # fmt: skip
    [row] = outcome.shares
    assert (row.ref.key, row.verdict.decision.action) == ("x/post/21", Action.ALLOW)
    decision_id, action, details = _latest(store, "x/post/21")
    assert decision_id == row.decision_id != retweet[0] and action is Action.ALLOW
    assert details["origin_decision_id"] == outcome.decision_id
    assert _latest(store, "x/post/22") == quote
    with store.reading(TENANT) as s:
        # the retweet's case closed with the removal it reviewed; the quote's own stays
        assert [c.item for c in s.cases.listed("open", 10, 0)] == ["x/post/22"]


def test_a_failure_deciding_the_shares_records_no_reviewers_decision(
    store: Store, tmp_path: Path
) -> None:
    settings, case_id = _scanned(store, tmp_path)
    before = _latest(store, "x/post/20")
    with pytest.raises(DependencyError, match="the detector is gone"):
        decide_case(
            store, TENANT, case_id, Action.ALLOW, "amina", "a quotation", lambda: POLICIES,
            scanners=lambda: _scanners(store, settings, _detectors(_Failing())),
        )  # fmt: skip
    assert _latest(store, "x/post/20") == before
    with store.reading(TENANT) as s:
        assert s.cases.get(case_id).state == "open"
