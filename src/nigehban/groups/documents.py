"""JSON documents for groups, state labels and hits, shared by the CLI and the API."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from nigehban.groups.matcher import GroupHit
from nigehban.groups.model import Group, StateLabel
from nigehban.groups.registry import Registry
from nigehban.model.spans import codepoints_to_utf16


def registry_summary(registry: Registry) -> dict[str, Any]:
    info = registry.info
    return {
        "snapshot_hash": registry.snapshot_hash,
        "as_of": info.as_of,
        "groups": len(registry),
        "labels": len(registry.labels()),
        "lists": info.lists,
        "files": info.files,
        "known_gaps": list(info.known_gaps),
    }


def group_summary(group: Group) -> dict[str, Any]:
    return {
        "id": group.id,
        "name": group.name,
        "kind": group.kind.value,
        "parent": group.parent,
        "jurisdictions": list(group.jurisdictions),
        "verified": group.verified,
        "aliases": len(group.aliases),
        "origin": group.origin,
    }


def group_detail(registry: Registry, group: Group) -> dict[str, Any]:
    data = asdict(group)
    data["kind"] = group.kind.value
    data["relation"] = group.relation.value if group.relation else None
    data["jurisdictions"] = list(group.jurisdictions)
    data["verified"] = group.verified
    data["needs_legal_review"] = group.kind.needs_legal_review
    data["children"] = [g.id for g in registry.children(group.id)]
    data["designated_through"] = sorted(
        {holder for holder, _ in registry.designations_of(group.id) if holder != group.id}
    )
    data["labels"] = [label.id for label in registry.labels_for(group.id)]
    data["context"] = {
        "positive": list(group.context.positive),
        "negative": list(group.context.negative),
    }
    return dict(_plain(data))


def label_detail(label: StateLabel) -> dict[str, Any]:
    data = asdict(label)
    data["kind"] = "state_label"
    return dict(_plain(data))


def hit_document(hit: GroupHit, text: str) -> dict[str, Any]:
    utf16_offset, utf16_length = codepoints_to_utf16(text, hit.span)
    return {
        "id": hit.entry_id,
        "state_label": hit.is_label,
        "alias": hit.alias,
        "alias_lang": hit.alias_lang,
        "start": hit.span.start,
        "end": hit.span.end,
        "utf16_offset": utf16_offset,
        "utf16_length": utf16_length,
        "surface": hit.surface,
        "script": hit.script,
        "ambiguous": hit.ambiguous,
        "resolved": hit.resolved,
        "sense_probability": hit.sense,
        "context": list(hit.cues),
        "evasion": list(hit.evasion),
    }


def _plain(value: Any) -> Any:
    """Enums to their values, tuples to lists, recursively."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return getattr(value, "value", value)
