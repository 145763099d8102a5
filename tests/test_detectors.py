"""The Detector protocol, its registry, and the shipped contract run against the shipped fake."""

from __future__ import annotations

import pytest

from nigehban.detectors.base import Detector, DetectorRegistry
from nigehban.errors import ConflictError, NotFoundError
from nigehban.model.items import Account, Item, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Surface
from nigehban.model.signals import SignalKind
from nigehban.testing.detector_contract import DetectorContract
from nigehban.testing.fakes import KeywordDetector

REF = ItemRef("t", Platform.X, ItemKind.POST, "1")


def items() -> list[Item]:
    return [
        Post(ref=REF, surface=Surface.PUBLIC, text="Join the caravan today"),
        Post(ref=REF, surface=Surface.PUBLIC, text="پشاور میں بارش"),
        Post(ref=REF, surface=Surface.PUBLIC),
        Account(ref=ItemRef("t", Platform.X, ItemKind.ACCOUNT, "2"), handle="h"),
    ]


class TestKeywordDetectorContract(DetectorContract):
    def make_detector(self) -> Detector:
        return KeywordDetector({"join the caravan": "recruitment", "بارش": "other"})

    def sample_items(self) -> list[Item]:
        return items()


def test_keyword_detector_reports_span_in_original_text() -> None:
    detector = KeywordDetector({"caravan": "recruitment"})
    (signal,) = detector.detect(items()[0])
    assert signal.kind is SignalKind.STANCE and signal.label == "recruitment"
    assert signal.span is not None and signal.span.slice("Join the caravan today") == "caravan"


def test_registry_rejects_duplicates_and_names_unknown() -> None:
    registry = DetectorRegistry([KeywordDetector({"zzz": "b"})])
    with pytest.raises(ConflictError, match="keyword"):
        registry.register(KeywordDetector({"c": "d"}))
    with pytest.raises(NotFoundError, match="nope"):
        registry.get("nope")
    registry.register(KeywordDetector({"caravan": "recruitment"}, name="second"))
    assert registry.names() == ["keyword", "second"]
    assert [s.detector for s in registry.detect(items()[0])] == ["second"]
