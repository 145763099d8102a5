"""The JSON documents the CLI (``--json``) and the API give for banks, entries and matches."""

from __future__ import annotations

from typing import Any

from nigehban.banks.index import BankMatch
from nigehban.banks.model import Bank, Entry, SignalType, Thresholds
from nigehban.model.codec import format_time
from nigehban.privacy.masking import preview
from nigehban.store.banks import BankSummary, MatchRecord, thresholds_to_json


def thresholds_document(t: Thresholds) -> dict[str, Any]:
    return thresholds_to_json(t)


def bank_document(bank: Bank) -> dict[str, Any]:
    return {
        "name": bank.name,
        "description": bank.description,
        "enabled": bank.enabled,
        "thresholds": thresholds_document(bank.thresholds),
        "created_at": format_time(bank.created_at) if bank.created_at else None,
        "updated_at": format_time(bank.updated_at) if bank.updated_at else None,
    }


def summary_document(s: BankSummary) -> dict[str, Any]:
    return {
        **bank_document(s.bank),
        "entries": s.entries,
        "enabled_entries": s.enabled_entries,
        "by_type": dict(s.by_type),
    }


def entry_document(e: Entry) -> dict[str, Any]:
    labels = e.labels
    return {
        "id": e.id,
        "bank": e.bank,
        "signal_type": e.signal_type.value,
        "value": e.value,
        "enabled": e.enabled,
        "group": labels.group,
        "category": labels.category.value if labels.category else None,
        "source": labels.source,
        "added_by": labels.added_by,
        "note": labels.note,
        "extra": dict(labels.extra),
        "created_at": format_time(e.created_at) if e.created_at else None,
        "updated_at": format_time(e.updated_at) if e.updated_at else None,
    }


def match_document(match: BankMatch) -> dict[str, Any]:
    entry = match.entry
    labels = entry.labels
    doc: dict[str, Any] = {
        "bank": entry.bank,
        "entry_id": entry.id,
        "signal_type": match.signal_type.value,
        "distance": match.distance,
        "probe": match.probe,
        "value": entry.value if match.signal_type is not SignalType.TEXT else preview(entry.value),
        "group": labels.group,
        "category": labels.category.value if labels.category else None,
        "source": labels.source,
        "note": labels.note,
    }
    if match.min_quality is not None:
        doc["min_quality"] = match.min_quality
    return doc


def record_document(r: MatchRecord) -> dict[str, Any]:
    return {
        "id": r.id,
        "subject": r.subject,
        "bank": r.bank,
        "entry_id": r.entry_id,
        "signal_type": r.signal_type.value,
        "distance": r.distance,
        "matched_at": format_time(r.matched_at),
    }
