"""The contract every detector must honour, as a test mixin.

Subclass :class:`DetectorContract` in a test module, supply ``make_detector`` and
``sample_items``, and pytest runs the whole contract against your detector::

    class TestMyDetector(DetectorContract):
        def make_detector(self) -> Detector: ...
        def sample_items(self) -> list[Item]: ...
"""

from __future__ import annotations

from nigehban.detectors.base import Detector
from nigehban.model.items import Item, Post
from nigehban.model.signals import SignalKind


class DetectorContract:
    def make_detector(self) -> Detector:
        raise NotImplementedError

    def sample_items(self) -> list[Item]:
        raise NotImplementedError

    def test_identity(self) -> None:
        d = self.make_detector()
        assert isinstance(d, Detector)
        assert d.name and d.name == d.name.strip()
        assert d.version
        assert len(d.snapshot_hash) >= 16

    def test_same_snapshot_same_hash(self) -> None:
        assert self.make_detector().snapshot_hash == self.make_detector().snapshot_hash

    def test_signals_are_well_formed(self) -> None:
        d = self.make_detector()
        for item in self.sample_items():
            for signal in d.detect(item):
                assert isinstance(signal.kind, SignalKind)
                assert 0.0 <= signal.score <= 1.0
                assert signal.detector == d.name
                assert signal.explanation
                if signal.span is not None:
                    assert isinstance(item, Post) and item.text is not None
                    assert signal.span.end <= len(item.text)

    def test_deterministic(self) -> None:
        d = self.make_detector()
        for item in self.sample_items():
            assert d.detect(item) == d.detect(item)
