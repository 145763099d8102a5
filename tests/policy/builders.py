"""Signals, posts and contexts as the detectors and the scan workflow make them, for policy
tests. Evidence keys follow the stance, group and bank detectors."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nigehban.model.decisions import Action, Decision
from nigehban.model.items import Media, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface
from nigehban.model.signals import EvidenceValue, Signal, SignalKind
from nigehban.model.taxonomy import Category
from nigehban.policy import DecisionContext, Policy, load_policy

POLICY_DIR = Path(__file__).resolve().parents[2] / "src" / "nigehban" / "policy" / "data"
SHIPPED = ("platform-tos", "pk", "eu")
WHEN = datetime(2025, 7, 25, 9, 30, tzinfo=UTC)

GROUPS: dict[str, dict[str, EvidenceValue]] = {
    "ttp": {"group_kind": "armed_group", "needs_legal_review": False, "verified": True},
    "bla": {"group_kind": "armed_group", "needs_legal_review": False, "verified": True},
    "tlp": {"group_kind": "political_party", "needs_legal_review": True, "verified": True},
    "ptm": {"group_kind": "rights_movement", "needs_legal_review": True, "verified": True},
    "unverified-front": {
        "group_kind": "front_organisation",
        "needs_legal_review": False,
        "verified": False,
    },
}


def policy(name: str) -> Policy:
    return load_policy(POLICY_DIR / f"{name}.yaml")


def lang(code: str = "en") -> Signal:
    return Signal(SignalKind.LANG, 1.0, code, "stance", "1", f"language {code}")


def stance(category: str, score: float, secondary: str | None = None) -> Signal:
    violating = Category(category).violating
    return Signal(
        SignalKind.STANCE,
        score,
        category,
        "stance",
        "1",
        f"{category} {score}",
        {
            "label": "violating" if violating else "protected",
            "secondary": secondary,
            "tier": "fast",
            "prior": 0.01,
        },
    )


def threat_any(score: float) -> Signal:
    return Signal(SignalKind.THREAT_ANY, score, "threat_any", "stance", "1", f"threat {score}")


def imminence(cue: str = "tonight") -> Signal:
    return Signal(
        SignalKind.IMMINENCE, 1.0, "time", "imminence", "1", f"near time {cue}", {"cue": cue}
    )


def abstained(code: str = "sd") -> Signal:
    return Signal(SignalKind.ABSTAINED, 1.0, code, "stance", "1", f"no stance: {code}")


def mention(group: str, score: float = 0.95, **evidence: EvidenceValue) -> Signal:
    fields: dict[str, EvidenceValue] = {"alias": group.upper(), "state_label": False}
    fields.update(GROUPS.get(group, {}))
    fields.update(evidence)
    return Signal(
        SignalKind.GROUP_MENTION, score, group, "groups", "1", f"mentions {group}", fields
    )


def state_label(label: str = "fitna-al-khawarij") -> Signal:
    return Signal(
        SignalKind.GROUP_MENTION,
        0.95,
        label,
        "groups",
        "1",
        f"mentions the state label {label}",
        {"state_label": True, "verified": True, "refers_to": "ttp"},
    )


def bank_match(
    category: str | None, score: float = 1.0, bank: str = "tcap", entry_id: int = 7
) -> Signal:
    return Signal(
        SignalKind.HASH_MATCH,
        score,
        bank,
        "banks",
        "1",
        f"matches entry {entry_id} of bank {bank!r}",
        {
            "bank": bank,
            "entry_id": entry_id,
            "signal_type": "pdq",
            "distance": 4.0,
            "group": "ttp",
            "category": category,
            "source": "tat",
        },
    )


def account_risk(score: float) -> Signal:
    return Signal(SignalKind.ACCOUNT_RISK, score, "account_risk", "accounts", "1", "risk")


def ref(scoped: str = "p1", kind: ItemKind = ItemKind.POST) -> ItemRef:
    return ItemRef("t", Platform.X, kind, scoped)


def post(
    text: str | None = "post text",
    surface: Surface = Surface.PUBLIC,
    relation: Relation | None = None,
    scoped: str = "p1",
) -> Post:
    origins = (Origin(relation, ref("origin")),) if relation is not None else ()
    return Post(ref(scoped), surface, text=text, origins=origins)


def media() -> Media:
    return Media(ref("m1", ItemKind.MEDIA), MediaKind.IMAGE)


def context(**overrides: Any) -> DecisionContext:
    fields: dict[str, Any] = {
        "revision": 1,
        "content_hash": "c0ffee",
        "decided_at": WHEN,
        "model_hash": "model-1",
        "registry_hash": "registry-1",
        "bank_hash": "bank-1",
    }
    fields.update(overrides)
    return DecisionContext(**fields)


def origin_decision(action: Action, category: str, confidence: float = 0.95) -> Decision:
    return Decision(
        item=ref("origin"),
        revision=1,
        content_hash="origin-hash",
        action=action,
        categories=(Category(category),),
        confidence=confidence,
        rules=(f"stance.{category}",),
        ground=None,
        automated_detection=True,
        automated_decision=True,
        policy_hash="p",
        model_hash=None,
        registry_hash=None,
        bank_hash=None,
        decided_at=WHEN,
    )
