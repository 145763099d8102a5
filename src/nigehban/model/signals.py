"""Signals: one detector's scored, explained finding about an item. Not a decision."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from nigehban.errors import ValidationError
from nigehban.model.spans import Span

DETECTOR_NAMES: tuple[str, ...] = ("groups", "stance", "imminence", "banks")
"""The detectors a scan runs, by name: a policy's ``review.detectors_required`` names some."""


class SignalKind(StrEnum):
    """The fixed vocabulary of signal kinds; policies match on these."""

    HASH_MATCH = "hash_match"
    GROUP_MENTION = "group_mention"
    STANCE = "stance"
    THREAT_ANY = "threat_any"
    IMMINENCE = "imminence"
    LANG = "lang"
    ABSTAINED = "abstained"
    ACCOUNT_RISK = "account_risk"
    BAN_EVASION = "ban_evasion"
    NETWORK = "network"


EvidenceValue = str | int | float | bool | None


@dataclass(frozen=True, slots=True)
class Signal:
    kind: SignalKind
    score: float
    label: str
    detector: str
    detector_version: str
    explanation: str
    evidence: Mapping[str, EvidenceValue] = field(default_factory=dict)
    span: Span | None = None

    def __post_init__(self) -> None:
        if not 0.0 <= self.score <= 1.0:
            raise ValidationError("", "score", f"{self.score!r} is outside [0, 1]")
