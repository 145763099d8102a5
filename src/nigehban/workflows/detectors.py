"""The detectors a scan runs, built from settings: which are present, and why any is absent.

Groups (the registry shipped with the package or ``group_registry_dir``), stance (the shipped
or configured model; absent, with the reason, when it cannot be loaded), imminence (near-time
markers, always present) and banks (the tenant's match index). The policy works with whichever
are present and records which were absent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from nigehban.banks.detector import BankDetector
from nigehban.detectors.base import DetectorRegistry
from nigehban.detectors.imminence import ImminenceDetector
from nigehban.errors import NigehbanError
from nigehban.groups.detector import GroupDetector
from nigehban.model.signals import DETECTOR_NAMES
from nigehban.settings import Settings
from nigehban.stance.classifier import Classifier
from nigehban.stance.detector import StanceDetector
from nigehban.workflows.banks import BanksWorkflow

log = logging.getLogger(__name__)

EXPECTED = DETECTOR_NAMES


@dataclass
class DetectorSet:
    registry: DetectorRegistry
    absent: dict[str, str] = field(default_factory=dict)
    classifier: Classifier | None = None
    stance: StanceDetector | None = None
    banks: BanksWorkflow | None = None

    @property
    def present(self) -> tuple[str, ...]:
        return tuple(self.registry.names())


def build_detectors(
    settings: Settings, banks: BanksWorkflow | None, classifier: Classifier | None = None
) -> DetectorSet:
    detectors = DetectorSet(DetectorRegistry())
    try:
        detectors.registry.register(GroupDetector.from_directory(settings.group_registry_dir))
    except NigehbanError as exc:
        detectors.absent["groups"] = exc.message
    try:
        detectors.classifier = classifier or Classifier.from_settings(settings)
        detectors.stance = StanceDetector(detectors.classifier)
        detectors.registry.register(detectors.stance)
    except NigehbanError as exc:
        detectors.absent["stance"] = exc.message
    detectors.registry.register(ImminenceDetector())
    if banks is not None:
        detectors.banks = banks
        detectors.registry.register(
            BankDetector(
                banks.index,
                min_quality=settings.hash_min_quality,
                max_pixels=settings.max_image_pixels,
                max_bytes=settings.max_media_bytes,
            )
        )
    else:
        detectors.absent["banks"] = "no bank index for this scan"
    for name, reason in detectors.absent.items():
        log.warning("detector %s absent: %s", name, reason)
    return detectors
