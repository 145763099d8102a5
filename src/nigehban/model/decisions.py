"""Decisions: the policy's verdict on one revision of an item, with what makes it reproducible."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from nigehban.errors import ValidationError
from nigehban.model.refs import ItemRef
from nigehban.model.taxonomy import Category


class Action(StrEnum):
    ALLOW = "allow"
    LABEL = "label"
    REVIEW = "review"
    RESTRICT = "restrict"
    REMOVE = "remove"
    SUSPEND = "suspend"
    ESCALATE = "escalate"


@dataclass(frozen=True, slots=True)
class Decision:
    item: ItemRef
    revision: int
    content_hash: str
    action: Action
    categories: tuple[Category, ...]
    confidence: float
    rules: tuple[str, ...]
    ground: str | None
    automated_detection: bool
    automated_decision: bool
    policy_hash: str
    model_hash: str | None
    registry_hash: str | None
    bank_hash: str | None
    decided_at: datetime
    details: Mapping[str, Any] = field(default_factory=dict)
    """What else the policy engine recorded: secondary categories, review reasons, whether the
    authorities must be notified, detectors that were absent, the explanation."""

    def __post_init__(self) -> None:
        if not 0.0 <= self.confidence <= 1.0:
            raise ValidationError("", "confidence", f"{self.confidence!r} is outside [0, 1]")
        if self.revision < 1:
            raise ValidationError("", "revision", f"{self.revision!r} must be 1 or more")

    @property
    def violating(self) -> bool:
        return any(c.violating for c in self.categories) and self.action not in (
            Action.ALLOW,
            Action.LABEL,
        )
