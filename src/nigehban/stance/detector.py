"""The stance detector: a :class:`~nigehban.detectors.base.Detector` over the classifier.

For a post with text it emits a ``lang`` signal, then either an ``abstained`` signal (a
language the classifier does not support: policy decides, by default review) or a ``stance``
signal (score: probability of violating at the deployment prior; label: the primary
category; evidence: the label, the probability at the training prior, the secondary
category, the tier used) and a ``threat_any`` signal. Group mentions come from the group
detector, not from here, so a mention is never counted twice.
"""

from __future__ import annotations

from nigehban.model.items import Item, Post
from nigehban.model.signals import EvidenceValue, Signal, SignalKind
from nigehban.stance.classifier import Classification, Classifier

NAME = "stance"


class StanceDetector:
    def __init__(self, classifier: Classifier) -> None:
        self._classifier = classifier
        self._version = str(classifier.model.meta.get("version", "0"))

    @property
    def name(self) -> str:
        return NAME

    @property
    def version(self) -> str:
        return self._version

    @property
    def snapshot_hash(self) -> str:
        return self._classifier.snapshot_hash

    def detect(self, item: Item) -> list[Signal]:
        if not isinstance(item, Post) or not item.text:
            return []
        hint = item.lang_hint
        return self.signals(self._classifier.classify([item.text], [hint])[0])

    def signals(self, result: Classification) -> list[Signal]:
        out = [
            Signal(
                kind=SignalKind.LANG,
                score=1.0,
                label=result.lang,
                detector=NAME,
                detector_version=self._version,
                explanation=f"language {result.lang}",
            )
        ]
        if result.abstained:
            out.append(
                Signal(
                    kind=SignalKind.ABSTAINED,
                    score=1.0,
                    label=result.lang,
                    detector=NAME,
                    detector_version=self._version,
                    explanation=f"no stance: {result.reason}",
                )
            )
            return out
        evidence: dict[str, EvidenceValue] = {
            "label": result.label,
            "probability_at_training_prior": round(result.probability or 0.0, 6),
            "secondary": result.secondary,
            "tier": result.tier,
            "prior": self._classifier.prior,
        }
        out.append(
            Signal(
                kind=SignalKind.STANCE,
                score=min(1.0, max(0.0, result.score or 0.0)),
                label=result.category or "other",
                detector=NAME,
                detector_version=self._version,
                explanation=(
                    f"{result.label}: {result.category}"
                    + (f" (also {result.secondary})" if result.secondary else "")
                    + f", probability {result.score:.3f} at prior {self._classifier.prior}"
                ),
                evidence=evidence,
            )
        )
        out.append(
            Signal(
                kind=SignalKind.THREAT_ANY,
                score=min(1.0, max(0.0, result.threat_any or 0.0)),
                label="threat_any",
                detector=NAME,
                detector_version=self._version,
                explanation=f"threat of violence (any): {result.threat_any:.3f}",
            )
        )
        return out
