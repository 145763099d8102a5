"""The ``Detector`` protocol and the registry that builds the set a scan runs.

A detector is built from settings and files and holds an immutable snapshot (a model, a group
registry, a bank index); ``snapshot_hash`` identifies that snapshot so every decision can record
exactly what produced its signals. ``detect`` is pure and thread-safe: item in, signals out.
Registries reject a duplicate name with :class:`~nigehban.errors.ConflictError`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, runtime_checkable

from nigehban.errors import ConflictError, NotFoundError
from nigehban.model.items import Item
from nigehban.model.signals import Signal


@runtime_checkable
class Detector(Protocol):
    @property
    def name(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def snapshot_hash(self) -> str: ...

    def detect(self, item: Item) -> list[Signal]: ...


class DetectorRegistry:
    """Detectors by unique name, in registration order."""

    def __init__(self, detectors: Iterable[Detector] = ()) -> None:
        self._detectors: dict[str, Detector] = {}
        for detector in detectors:
            self.register(detector)

    def register(self, detector: Detector) -> None:
        if detector.name in self._detectors:
            raise ConflictError(f"a detector named {detector.name!r} is already registered")
        self._detectors[detector.name] = detector

    def get(self, name: str) -> Detector:
        try:
            return self._detectors[name]
        except KeyError:
            raise NotFoundError("detector", name[:80]) from None

    def names(self) -> list[str]:
        return list(self._detectors)

    def __iter__(self) -> Iterator[Detector]:
        return iter(self._detectors.values())

    def __len__(self) -> int:
        return len(self._detectors)

    def detect(self, item: Item) -> list[Signal]:
        """Every registered detector's signals for ``item``, in registration order."""
        return [signal for d in self._detectors.values() for signal in d.detect(item)]
