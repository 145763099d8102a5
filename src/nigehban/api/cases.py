"""``/v1/cases``: the review queue, appeals, and a reviewer's decision on a case.

``GET /v1/cases?state=open&kind=appeal`` lists cases by deadline, the most urgent first; ``GET
/v1/cases/{id}`` shows one with the decision it reviews; ``POST /v1/cases/{id}/decision`` records
the reviewer's decision (:func:`~nigehban.workflows.review.decide_case`), which the item's stored
pure shares follow at once, decided as ``POST /v1/scan`` decides them (``shares`` in the answer).
The body names the reviewer (the person at the platform's review tool); the audit log records
the API key too.
``POST /v1/decisions/{id}/appeal`` lodges a user's appeal, which the platform relays
(:func:`~nigehban.workflows.review.lodge_appeal`).
"""

# No ``from __future__ import annotations``: FastAPI must see ``Depends(require_key)``, a closure.

from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from pydantic import BaseModel, ConfigDict, Field

from nigehban.api.params import RowId
from nigehban.api.strict_json import StrictJSONRoute
from nigehban.model.decisions import Action
from nigehban.model.ints import INT64_MAX
from nigehban.model.taxonomy import Category
from nigehban.policy.loader import PolicyHolder
from nigehban.policy.model import Policy
from nigehban.settings import Settings
from nigehban.store.keys import ApiKey
from nigehban.store.store import Store
from nigehban.workflows.detectors import DetectorSet
from nigehban.workflows.review import (
    APPEAL_NOTE_MAX,
    ScannerFor,
    case_document,
    decide_case,
    lodge_appeal,
)
from nigehban.workflows.scan import Scanner

ReviewAction = Literal["allow", "label", "restrict", "remove", "suspend", "escalate"]


class AppealIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    note: Annotated[
        str, Field(min_length=1, max_length=APPEAL_NOTE_MAX, description="The user's reasons.")
    ]


class ReviewIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: ReviewAction
    reviewer: Annotated[str, Field(min_length=1, max_length=100, description="Who decided.")]
    note: Annotated[str, Field(min_length=1, max_length=500, description="Why.")]
    category: Category | None = Field(
        default=None, description="The primary category, where the reviewer differs."
    )
    ground: Annotated[
        str | None, Field(min_length=1, max_length=64, description="A ground id to cite.")
    ] = None


def cases_router(
    settings: Settings,
    store: Store,
    policies: PolicyHolder,
    detectors: Callable[[str], DetectorSet],
    require_key: Callable[..., ApiKey],
) -> APIRouter:
    """``detectors`` gives a scan's detectors for a tenant: a decided item's shares follow
    the decision through them."""
    router = APIRouter(prefix="/v1", tags=["cases"], route_class=StrictJSONRoute)

    def scanners(tenant: str) -> ScannerFor:
        found = detectors(tenant)

        def under(policy: Policy) -> Scanner:
            # as POST /v1/scan: a media "path" names no file the server may open
            return Scanner(store, settings, policy, found, tenant=tenant, read_local_media=False)

        return under

    @router.get("/cases", summary="Cases by deadline, the most urgent first")
    def list_cases(
        key: Annotated[ApiKey, Depends(require_key)],
        state: Literal["open", "decided", "closed", "all"] = "open",
        kind: Literal["review", "appeal"] | None = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
        offset: Annotated[int, Query(ge=0, le=INT64_MAX)] = 0,
    ) -> list[dict[str, Any]]:
        with store.reading(key.tenant) as s:
            found = s.cases.listed(None if state == "all" else state, limit, offset, kind=kind)
        return [c.to_dict() for c in found]

    @router.get("/cases/{case_id}", summary="One case with the decision it reviews")
    def get_case(case_id: RowId, key: Annotated[ApiKey, Depends(require_key)]) -> Any:
        with store.reading(key.tenant) as s:
            case = s.cases.get(case_id)
            decision = s.decisions.get(case.decision_id)
        return case_document(case, decision)

    @router.post(
        "/cases/{case_id}/decision",
        summary="Record a reviewer's decision on an open case",
        status_code=201,
    )
    def post_decision(
        case_id: RowId, body: ReviewIn, key: Annotated[ApiKey, Depends(require_key)]
    ) -> dict[str, Any]:
        outcome = decide_case(
            store,
            key.tenant,
            case_id,
            Action(body.action),
            body.reviewer,
            body.note,
            lambda: policies.policies,
            category=body.category.value if body.category else None,
            ground=body.ground,
            actor=f"api:{key.id[:20]} reviewer:{body.reviewer[:60]}",
            scanners=lambda: scanners(key.tenant),
        )
        return outcome.to_dict()

    @router.post(
        "/decisions/{decision_id}/appeal",
        summary="Lodge a user's appeal against a decision that took effect",
        status_code=201,
    )
    def post_appeal(
        decision_id: RowId, body: AppealIn, key: Annotated[ApiKey, Depends(require_key)]
    ) -> dict[str, Any]:
        case = lodge_appeal(
            store,
            key.tenant,
            decision_id,
            body.note,
            settings.appeal_days,
            settings.appeal_decision_days,
            actor=f"api:{key.id[:20]}",
        )
        return case.to_dict()

    return router
