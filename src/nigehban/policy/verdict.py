"""What the engine takes besides the signals (:class:`DecisionContext`) and what it returns
(:class:`Verdict`: the :class:`~nigehban.model.decisions.Decision` with its reasons).

The context carries what makes a decision reproducible and is not in the item or its signals:
the revision and content hash of the item, the time, the snapshot hashes of the model, group
registry and bank index, which detectors ran, and the origin's decision for a share.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from nigehban.errors import UsageError
from nigehban.model.decisions import Decision
from nigehban.model.refs import Surface
from nigehban.model.taxonomy import Category

DEFAULT_DETECTORS: tuple[str, ...] = ("stance", "groups", "banks")
"""The detectors a full scan runs (by their registered names)."""


@dataclass(frozen=True, slots=True)
class DecisionContext:
    """Everything about a decision that does not come from the item or its signals.

    ``origin`` is the decision already taken on the post this one shares (used for a share
    without comment). ``surface`` is used for items that carry none (media, accounts).
    """

    revision: int
    content_hash: str
    decided_at: datetime
    model_hash: str | None = None
    registry_hash: str | None = None
    bank_hash: str | None = None
    detectors_present: tuple[str, ...] = DEFAULT_DETECTORS
    detectors_expected: tuple[str, ...] = DEFAULT_DETECTORS
    origin: Decision | None = None
    surface: Surface | None = None

    def __post_init__(self) -> None:
        if self.decided_at.tzinfo is None:
            raise UsageError("decided_at must carry a time zone (use UTC)")


@dataclass(frozen=True, slots=True)
class RuleFired:
    id: str
    description: str


@dataclass(frozen=True, slots=True)
class Verdict:
    """A decision with its reasons.

    ``ground_id`` names the policy ground whose citation is ``decision.ground``;
    ``legal_review`` is set when the action rests only on association with a political party
    or rights movement and needs a human legal review.
    """

    decision: Decision
    secondary_categories: tuple[Category, ...]
    rules_fired: tuple[RuleFired, ...]
    review_required: bool
    review_reasons: tuple[str, ...]
    notify_authorities: bool
    absent_detectors: tuple[str, ...]
    explanation: tuple[str, ...]
    ground_id: str | None = None
    legal_review: bool = False
