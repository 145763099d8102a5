"""``/v1/groups``: the designated-group registry and the group matcher.

* ``GET /v1/groups`` lists groups (filter by ``kind``, ``jurisdiction``, ``q`` in any script),
  with the registry's snapshot hash and date; ``?labels=true`` lists state labels.
* ``GET /v1/groups/{id}`` is one group (designations, aliases, children, labels) or label.
* ``POST /v1/groups/match`` finds mentions in ``{"text": …}``; spans are code points, with
  UTF-16 offsets for platforms that count so.
* ``POST /v1/groups/reload`` re-reads the registry files; an invalid file is a 422 naming
  ``file:line`` and the field, and the registry in force stays.
"""

# No ``from __future__ import annotations``: FastAPI must see ``Depends(require_key)``, a closure.

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, Field
from starlette.concurrency import run_in_threadpool

from nigehban.api.strict_json import StrictJSONRoute
from nigehban.errors import ValidationError
from nigehban.groups.documents import (
    group_detail,
    group_summary,
    hit_document,
    label_detail,
    registry_summary,
)
from nigehban.groups.model import GroupKind
from nigehban.settings import Settings
from nigehban.store.keys import ApiKey
from nigehban.workflows.groups import GroupRegistryHolder


class MatchRequest(BaseModel):
    text: str = Field(description="The text to search, as written.")
    include_unresolved: bool = Field(
        False, description="Also return ambiguous hits the context did not support."
    )


def groups_router(
    settings: Settings, holder: GroupRegistryHolder, require_key: Callable[..., ApiKey]
) -> APIRouter:
    router = APIRouter(prefix="/v1/groups", tags=["groups"], route_class=StrictJSONRoute)

    @router.get("", summary="List designated groups (or state labels)")
    def list_groups(
        key: Annotated[ApiKey, Depends(require_key)],
        kind: GroupKind | None = None,
        jurisdiction: Annotated[str | None, Query(pattern="^(PK|UN|US|UK|EU)$")] = None,
        q: Annotated[str | None, Query(max_length=200, description="Part of a name")] = None,
        labels: bool = False,
        limit: Annotated[int, Query(ge=1, le=1000)] = 200,
        offset: Annotated[int, Query(ge=0)] = 0,
    ) -> dict[str, Any]:
        registry = holder.detector.registry
        summary = registry_summary(registry)
        if labels:
            found = [label_detail(label) for label in registry.labels()]
            return {
                "registry": summary,
                "total": len(found),
                "labels": found[offset : offset + limit],
            }
        groups = registry.search(kind=kind, jurisdiction=jurisdiction, query=q)
        page = groups[offset : offset + limit]
        return {
            "registry": summary,
            "total": len(groups),
            "groups": [group_summary(g) for g in page],
        }

    @router.get("/{group_id}", summary="One group or state label")
    def get_group(group_id: str, key: Annotated[ApiKey, Depends(require_key)]) -> dict[str, Any]:
        registry = holder.detector.registry
        if registry.is_label(group_id):
            return label_detail(registry.label(group_id))
        return group_detail(registry, registry.group(group_id))

    @router.post("/match", summary="Find group mentions in a text")
    async def match(
        request: MatchRequest, key: Annotated[ApiKey, Depends(require_key)]
    ) -> dict[str, Any]:
        if len(request.text) > settings.max_text_chars:
            raise ValidationError(
                "request body",
                "text",
                f"{len(request.text)} characters is over max_text_chars "
                f"({settings.max_text_chars})",
            )
        detector = holder.detector
        hits = await run_in_threadpool(
            detector.matcher.match, request.text, include_unresolved=request.include_unresolved
        )
        return {
            "snapshot_hash": detector.snapshot_hash,
            "hits": [hit_document(h, request.text) for h in hits],
        }

    @router.post("/reload", summary="Re-read the registry files; keep the old one on error")
    async def reload(key: Annotated[ApiKey, Depends(require_key)]) -> dict[str, Any]:
        detector = await run_in_threadpool(holder.reload)
        return {"reloaded": True, "registry": registry_summary(detector.registry)}

    return router
