"""Parse results as plain dicts: the CLI's ``--json`` output and the golden expected files."""

from __future__ import annotations

from typing import Any

from nigehban.ingest.base import ParseResult
from nigehban.model.codec import format_time, item_to_dict


def result_to_dict(result: ParseResult) -> dict[str, Any]:
    out: dict[str, Any] = {"items": [item_to_dict(i) for i in result.unique_items()]}
    if result.tombstones:
        out["tombstones"] = [
            {
                "ref": t.ref.key,
                "reason": t.reason,
                **({"deleted_at": format_time(t.deleted_at)} if t.deleted_at else {}),
            }
            for t in result.tombstones
        ]
    if result.skipped:
        out["skipped"] = [{"where": s.where, "reason": s.reason} for s in result.skipped]
    if result.errors:
        out["errors"] = [
            {"where": e.where, "code": e.code, "message": e.message} for e in result.errors
        ]
    return out
