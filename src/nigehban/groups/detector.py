"""The group detector: one ``group_mention`` signal per group or state label named in a post.

A mention is evidence, not a verdict: the score says how sure the matcher is that the span
names the group (not whether the post is violating). The evidence tells policy what it needs
to stay within its rules: the group's kind (political parties and rights movements need legal
review), its jurisdictions and whether any designation is verified (an unverified designation
never grounds a removal), and for a state label the groups it refers to.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from nigehban.groups.matcher import MATCHER_VERSION, GroupHit, GroupMatcher
from nigehban.groups.registry import Registry, load_registry
from nigehban.model.items import Item, Post
from nigehban.model.signals import EvidenceValue, Signal, SignalKind
from nigehban.text.normaliser import VERSION as NORMALISER_VERSION

NAME = "groups"


class GroupDetector:
    """Detector over an immutable registry snapshot; safe to share between threads."""

    def __init__(self, matcher: GroupMatcher) -> None:
        self._matcher = matcher
        self._version = f"{NORMALISER_VERSION}.{MATCHER_VERSION}"
        sense = matcher.sense.digest if matcher.sense is not None else "cues"
        self._hash = hashlib.sha256(
            f"{matcher.registry.snapshot_hash}:{self._version}:{sense}".encode()
        ).hexdigest()

    @classmethod
    def from_directory(cls, directory: Path | None = None) -> GroupDetector:
        return cls(GroupMatcher(load_registry(directory)))

    @property
    def name(self) -> str:
        return NAME

    @property
    def version(self) -> str:
        return self._version

    @property
    def snapshot_hash(self) -> str:
        return self._hash

    @property
    def registry(self) -> Registry:
        return self._matcher.registry

    @property
    def matcher(self) -> GroupMatcher:
        return self._matcher

    def detect(self, item: Item) -> list[Signal]:
        if not isinstance(item, Post) or not item.text:
            return []
        return [self.signal(hit) for hit in self._matcher.match(item.text)]

    def signal(self, hit: GroupHit) -> Signal:
        registry = self._matcher.registry
        evidence: dict[str, EvidenceValue] = {
            "alias": hit.alias,
            "alias_lang": hit.alias_lang,
            "surface_script": hit.script,
            "ambiguous": hit.ambiguous,
            "state_label": hit.is_label,
        }
        if hit.cues:
            evidence["context"] = "; ".join(hit.cues)
        if hit.sense is not None:
            evidence["sense_probability"] = hit.sense
        if hit.evasion:
            evidence["evasion"] = ",".join(hit.evasion)
        if hit.is_label:
            label = registry.label(hit.entry_id)
            evidence["refers_to"] = ",".join(label.refers_to)
            evidence["verified"] = label.status.value == "verified"
            name = label.name
            what = f"the state label {label.name!r} (refers to {', '.join(label.refers_to)})"
        else:
            group = registry.group(hit.entry_id)
            listed = registry.designations_of(group.id)
            evidence["group_kind"] = group.kind.value
            evidence["needs_legal_review"] = group.kind.needs_legal_review
            evidence["jurisdictions"] = ",".join(sorted({d.jurisdiction for _, d in listed}))
            evidence["verified"] = any(d.status.value == "verified" for _, d in listed)
            inherited = sorted({holder for holder, _ in listed if holder != group.id})
            if inherited:
                evidence["designated_through"] = ",".join(inherited)
            name = group.name
            what = f"{group.name} ({group.kind.value.replace('_', ' ')})"
        how = f"as {hit.alias!r}" if hit.alias != name else "by name"
        extra = f"; spelling tricks: {', '.join(hit.evasion)}" if hit.evasion else ""
        return Signal(
            kind=SignalKind.GROUP_MENTION,
            score=_score(hit),
            label=hit.entry_id,
            detector=NAME,
            detector_version=self._version,
            explanation=f"mentions {what} {how}, in {hit.script} script{extra}",
            evidence=evidence,
            span=hit.span,
        )


def _score(hit: GroupHit) -> float:
    """How sure the matcher is that the span names the group (not a violation score)."""
    if not hit.resolved:
        return 0.2
    if hit.ambiguous and hit.sense is not None:
        return round(min(0.9, hit.sense), 4)
    if hit.ambiguous:
        support = sum(1 for cue in hit.cues if cue.startswith("+"))
        return min(0.85, 0.55 + 0.1 * support)
    return 0.95 if len(hit.surface) > 4 else 0.9
