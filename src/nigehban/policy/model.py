"""The validated policy: what one platform or jurisdiction does with the detectors' signals.

A policy file (YAML, ``schema_version: 1``; see ``docs/policy.md``) is parsed into these frozen
models by :mod:`nigehban.policy.loader`, which also rejects contradictory rules with a
``file:line`` error. The models hold the rules as written; the per-language and per-surface
resolution (:meth:`CategoryRule.thresholds_for`, :meth:`Policy.grounds_for`) and the policy's
content hash live here, so the engine and the loader read the rules the same way.

The :attr:`Policy.digest` is the SHA-256 of a canonical JSON rendering of the *parsed* policy
(keys sorted, defaults filled in, no insignificant white space). Editing a comment or the layout
of a file does not change it; changing any value, the description included, does. In a language
or surface override, a threshold left out (inherited) and one written ``null`` (switched off)
act differently, so the rendering keeps them apart: an inherited one is absent. The rendering
reads back (:meth:`Policy.model_validate` of its JSON) into a policy with the same digest and
the same behaviour, which is what the store's policy archive relies on.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from functools import cached_property
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, Strict

from nigehban.model.decisions import Action
from nigehban.model.refs import Surface
from nigehban.model.signals import SignalKind
from nigehban.model.taxonomy import VIOLATING, Category, Language

SCHEMA_VERSION = 1

SEVERITY: dict[Action, int] = {
    Action.ALLOW: 0,
    Action.LABEL: 1,
    Action.REVIEW: 2,
    Action.RESTRICT: 3,
    Action.REMOVE: 4,
    Action.SUSPEND: 5,
    Action.ESCALATE: 6,
}
"""Actions from the mildest to the most severe; the engine applies the most severe one fired."""

THRESHOLD_ACTIONS: tuple[Action, ...] = (
    Action.LABEL,
    Action.REVIEW,
    Action.RESTRICT,
    Action.REMOVE,
)
"""The actions a stance score can reach, in the order their thresholds must be."""

ALWAYS_REVIEWED: frozenset[Action] = frozenset({Action.SUSPEND, Action.ESCALATE})
"""Actions that need a human whatever a policy file says."""

TCO_CITATION = re.compile(
    r"(?<!\d)(?:2021\W{0,3}(?:no\.?\W{0,2})?784|784\W{0,3}2021)(?!\d)"
    r"|\btco\b|terrorist\W+content\W+online",
    re.IGNORECASE,
)
"""A ground whose citation names Regulation (EU) 2021/784, which excludes private messages: the
number either way round with any separator ("2021/784", "2021–784", "No. 784/2021"), "TCO" or
"terrorist content online", read after compatibility folding (full-width digits, ligatures)."""

ASSOCIATION_CATEGORIES: tuple[Category, ...] = (
    Category.PROPAGANDA,
    Category.RECRUITMENT,
    Category.FINANCING,
)

Score = Annotated[float, Strict(), Field(ge=0.0, le=1.0)]
Text = Annotated[str, Strict(), Field(min_length=1)]
RuleId = Annotated[str, Strict(), Field(pattern=r"^[a-z0-9][a-z0-9._-]{0,63}$")]


def severity(action: Action) -> int:
    return SEVERITY[action]


def mildest(a: Action, b: Action) -> Action:
    return a if SEVERITY[a] <= SEVERITY[b] else b


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Ground(_Strict):
    """A legal provision or terms-of-service clause that a decision may cite."""

    citation: Text = Field(max_length=500)
    law_or_terms: Literal["law", "terms"]
    surfaces: tuple[Surface, ...] = Field(min_length=1)
    applies_to: tuple[Category, ...] = tuple(sorted(VIOLATING))
    reference_url: (
        Annotated[str, Strict(), Field(max_length=500, pattern=r"^https?://[^\s]+$")] | None
    ) = None
    """Where the provision can be read: an http(s) address, shown in statements of reasons."""
    note: str | None = None

    @property
    def is_tco(self) -> bool:
        """Whether this ground rests on Regulation (EU) 2021/784 (never for private messages)."""
        return bool(TCO_CITATION.search(unicodedata.normalize("NFKC", self.citation)))

    def allows(self, surface: Surface, category: Category | None) -> bool:
        if surface not in self.surfaces or (self.is_tco and surface is Surface.PRIVATE):
            return False
        return category is None or category in self.applies_to


class Thresholds(_Strict):
    """Scores (probability of violating) at or above which each action applies.

    A threshold that is absent in an override is inherited; ``null`` switches the action off.
    """

    label: Score | None = None
    review: Score | None = None
    restrict: Score | None = None
    remove: Score | None = None

    def explicit(self) -> dict[Action, float | None]:
        """The thresholds this block sets, ``None`` where it switches an action off."""
        return {
            action: getattr(self, action.value)
            for action in THRESHOLD_ACTIONS
            if action.value in self.model_fields_set
        }


class SurfaceOverride(Thresholds):
    """Thresholds (and optionally the grounds to cite) for one surface."""

    grounds: tuple[RuleId, ...] | None = Field(default=None, min_length=1)


class CategoryRule(_Strict):
    """What the stance score of one violating category leads to."""

    grounds: tuple[RuleId, ...] = Field(min_length=1)
    thresholds: Thresholds
    languages: dict[Language, Thresholds] = {}
    surfaces: dict[Surface, SurfaceOverride] = {}
    description: str | None = None

    def thresholds_for(self, language: Language, surface: Surface) -> dict[Action, float | None]:
        """Base thresholds, then the language's override, then the surface's."""
        merged: dict[Action, float | None] = dict.fromkeys(THRESHOLD_ACTIONS)
        merged.update(self.thresholds.explicit())
        if language in self.languages:
            merged.update(self.languages[language].explicit())
        if surface in self.surfaces:
            merged.update(self.surfaces[surface].explicit())
        return merged

    def ground_ids_for(self, surface: Surface) -> tuple[str, ...]:
        override = self.surfaces.get(surface)
        if override is not None and override.grounds is not None:
            return override.grounds
        return self.grounds


class BankRule(_Strict):
    """What a match against a bank (by name and/or by the entry's category) leads to."""

    id: RuleId
    bank: Text | None = None
    entry_category: Category | None = None
    min_score: Score = 0.0
    action: Action
    category: Category | None = None
    grounds: tuple[RuleId, ...] | None = Field(default=None, min_length=1)
    description: str | None = None

    def matches(self, bank: str, entry_category: Category | None, score: float) -> bool:
        if self.bank is not None and bank != self.bank:
            return False
        if self.entry_category is not None and entry_category is not self.entry_category:
            return False
        return score >= self.min_score


def _default_share_map() -> dict[Action, Action]:
    return {
        Action.REVIEW: Action.REVIEW,
        Action.RESTRICT: Action.RESTRICT,
        Action.REMOVE: Action.REMOVE,
        Action.SUSPEND: Action.REMOVE,
        Action.ESCALATE: Action.REMOVE,
    }


class ShareRule(_Strict):
    """A share without comment (retweet, forward) of a violating origin: origin action -> action."""

    origin_actions: dict[Action, Action] = Field(default_factory=_default_share_map)
    description: str | None = None


class EscalateRule(_Strict):
    """An imminent threat to life: escalate and notify the authorities.

    Fires when the stance is one of ``categories`` with a score of at least ``min_score``, or
    when the stance is violating, the ``threat_any`` score reaches ``threat_any_min``, the post
    names a group with a verified designation that is not a political party or rights movement,
    and the stance is one of ``categories`` (at any score) or the text sets a near time (an
    ``imminence`` signal). A claim of responsibility that promises more attacks, with no time,
    does not escalate; a protected stance never does.
    """

    categories: tuple[Category, ...] = (Category.THREAT, Category.INCITEMENT)
    min_score: Score = 0.97
    threat_any_min: Score | None = 0.9
    notify_authorities: Annotated[bool, Strict()] = True
    grounds: tuple[RuleId, ...] = Field(min_length=1)
    description: str | None = None


class AbstentionRule(_Strict):
    """What a classifier abstention (an unsupported language) leads to."""

    action: Action = Action.REVIEW


class ThreatAnyRule(_Strict):
    """A high interpersonal threat score (any threat of violence) goes to human review."""

    review: Score | None = 0.8


class GroupRule(_Strict):
    """Group mentions: what a mention alone does, and which categories rest on association."""

    min_score: Score = 0.5
    mention_action: Action = Action.ALLOW
    association_categories: tuple[Category, ...] = ASSOCIATION_CATEGORIES


class AccountRule(_Strict):
    """Account-level signals (``account_risk``, ``ban_evasion``): review or suspension."""

    signals: tuple[SignalKind, ...] = (SignalKind.ACCOUNT_RISK, SignalKind.BAN_EVASION)
    review: Score | None = None
    suspend: Score | None = None
    grounds: tuple[RuleId, ...] = Field(min_length=1)


class ReviewRule(_Strict):
    """Actions that always need a human before they take effect (suspend and escalate always)."""

    required_for: tuple[Action, ...] = (Action.SUSPEND, Action.ESCALATE)
    detectors_required: tuple[Text, ...] = ()


class Policy(_Strict):
    """One validated policy file. Build it with :func:`nigehban.policy.loader.load_policy`."""

    model_config = ConfigDict(extra="forbid", frozen=True, ignored_types=(cached_property,))

    schema_version: Literal[1]
    name: RuleId
    version: Text
    jurisdiction: Text
    description: Text
    grounds: dict[RuleId, Ground] = Field(min_length=1)
    categories: dict[Category, CategoryRule]
    banks: tuple[BankRule, ...] = ()
    shares: ShareRule = ShareRule()
    escalate: EscalateRule | None = None
    abstention: AbstentionRule = AbstentionRule()
    threat_any: ThreatAnyRule = ThreatAnyRule()
    groups: GroupRule = GroupRule()
    accounts: AccountRule | None = None
    review: ReviewRule = ReviewRule()

    @cached_property
    def digest(self) -> str:
        """SHA-256 of the canonical JSON of the parsed policy (comments do not change it)."""
        return _sha256(self.canonical_json())

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Self:
        """A copy (not validated, as with any pydantic copy) whose digest is computed afresh."""
        copy = super().model_copy(update=update, deep=deep)
        copy.__dict__.pop("digest", None)
        copy.__dict__.pop("legacy_digest", None)
        return copy

    def made(self, policy_hash: str) -> bool:
        """Whether a decision that records ``policy_hash`` was made by this policy."""
        return policy_hash in (self.digest, self.legacy_digest)

    @cached_property
    def legacy_digest(self) -> str:
        """The digest as release 0.1 computed it, where an override's inherited threshold and
        its ``null`` rendered alike; decisions recorded then carry it."""
        return _sha256(_canonical(self.model_dump(mode="json")))

    def canonical_json(self) -> str:
        doc = self.model_dump(mode="json")
        for category, rule in self.categories.items():
            entry = doc["categories"][category.value]
            for field, overrides in (("languages", rule.languages), ("surfaces", rule.surfaces)):
                for key, override in overrides.items():
                    dumped = entry[field][str(key)]
                    for action in THRESHOLD_ACTIONS:
                        if action.value not in override.model_fields_set:
                            del dumped[action.value]
        return _canonical(doc)

    def grounds_for(
        self, ground_ids: tuple[str, ...], surface: Surface, category: Category | None
    ) -> tuple[str, ...]:
        """The ids among ``ground_ids`` that may be cited on ``surface`` for ``category``."""
        return tuple(
            g for g in ground_ids if g in self.grounds and self.grounds[g].allows(surface, category)
        )

    def review_required_for(self, action: Action) -> bool:
        return action in ALWAYS_REVIEWED or action in self.review.required_for


def _canonical(doc: Any) -> str:
    return json.dumps(doc, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def policy_summary(policy: Policy) -> dict[str, Any]:
    """What the CLI and the API show of a policy: its name, version, grounds and hash."""
    return {
        "name": policy.name,
        "version": policy.version,
        "jurisdiction": policy.jurisdiction,
        "description": policy.description,
        "grounds": sorted(policy.grounds),
        "hash": policy.digest,
    }
