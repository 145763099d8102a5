"""``POST /v1/scan`` and ``GET /v1/decisions``: decide one payload synchronously; read decisions.

``POST /v1/scan?policy=pk`` takes the raw body of any supported platform payload (as
``POST /v1/items`` does), ingests it, runs every detector and the policy, stores the decisions,
opens cases where the policy says review, and answers with one row per item decided and the
summary. ``POST /v1/scan/stored`` decides stored items again (``{"items": ["x/post/8"]}``),
without their payloads: under a new model or another policy (a reviewer's decision reaches the
item's shares by itself). ``GET /v1/decisions`` lists the tenant's latest
decisions, newest first, with the engine's details (rules fired with descriptions, review
reasons, absent detectors).
"""

# No ``from __future__ import annotations``: FastAPI must see ``Depends(require_key)``, a closure.

import threading
from collections.abc import Callable
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from nigehban.api.banks import WorkflowHolder
from nigehban.api.classify import ClassifierHolder
from nigehban.api.errors import error_response
from nigehban.api.items import refusal
from nigehban.api.params import Cursor, RowId
from nigehban.api.strict_json import StrictJSONRoute
from nigehban.errors import NigehbanError, NotFoundError, UsageError, ValidationError
from nigehban.ingest.sources import decode_json, drop_bom
from nigehban.model.codec import decision_document
from nigehban.model.decisions import Action
from nigehban.model.refs import ItemRef
from nigehban.policy.loader import PolicyHolder
from nigehban.policy.model import policy_summary
from nigehban.privacy.masking import redact
from nigehban.reasons import validate_transparency_record
from nigehban.settings import Settings
from nigehban.stance.classifier import Classifier
from nigehban.store.keys import ApiKey
from nigehban.store.store import Store
from nigehban.workflows.detectors import DetectorSet, build_detectors
from nigehban.workflows.notices import Notice, notice_for
from nigehban.workflows.scan import Scanner, ScanRow

SOURCE = "request body"
DEFAULT_POLICY = "platform-tos"
STORED_MAX = 1000
"""Items one synchronous request may decide again."""


class StoredIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    items: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=700)]],
        Field(
            min_length=1,
            max_length=STORED_MAX,
            description="Stored items to decide again, as platform/kind/scoped_id.",
        ),
    ]


def scan_detectors(
    settings: Settings, banks: WorkflowHolder, classifier: ClassifierHolder
) -> Callable[[str], DetectorSet]:
    """The detectors a scan runs for a tenant: its banks' match index, and the stance classifier
    where it can be built (else that detector is absent, as in any scan)."""
    lock = threading.Lock()

    def the_classifier() -> Classifier | None:
        with lock:
            try:
                return classifier.get()
            except NigehbanError:
                return None

    def detectors(tenant: str) -> DetectorSet:
        return build_detectors(settings, banks.get(tenant), the_classifier())

    return detectors


def scan_router(
    settings: Settings,
    store: Store,
    banks: WorkflowHolder,
    classifier: ClassifierHolder,
    policies: PolicyHolder,
    require_key: Callable[..., ApiKey],
) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["scan"], route_class=StrictJSONRoute)
    detectors_for = scan_detectors(settings, banks, classifier)

    def scanner(key: ApiKey, policy_name: str, rows: list[ScanRow]) -> Scanner:
        policy = policies.get(policy_name)
        detectors = detectors_for(key.tenant)
        return Scanner(
            store,
            settings,
            policy,
            detectors,
            tenant=key.tenant,
            actor=f"api:{key.id}",
            on_row=rows.append,
            # a media "path" in a request names a file on the caller's machine, never one the
            # server may open: media are matched by the digests the platform sends
            read_local_media=False,
        )

    def scan(key: ApiKey, payload: object, policy_name: str, fmt: str | None) -> dict[str, Any]:
        rows: list[ScanRow] = []
        report = scanner(key, policy_name, rows).scan_payload(payload, SOURCE, fmt)
        if not report.ingest.ok:
            raise refusal(report.ingest)
        return {"summary": report.to_dict(), "decisions": [r.to_dict() for r in rows]}

    def rescan(key: ApiKey, keys: list[str], policy_name: str) -> dict[str, Any]:
        """Every key must be well formed, then name a stored item (else nothing is decided)."""
        rows: list[ScanRow] = []
        chosen = scanner(key, policy_name, rows)
        refs = []
        for index, item in enumerate(keys):
            try:
                refs.append(ItemRef.stored(key.tenant, item))
            except ValidationError as exc:
                raise ValidationError("body", f"items[{index}]", exc.detail) from None
        with store.reading(key.tenant) as s:
            for ref in refs:
                if s.items.get(ref) is None:
                    raise NotFoundError("item", redact(ref.key, 120))
        report = chosen.scan_stored(keys)
        return {"summary": report.to_dict(), "decisions": [r.to_dict() for r in rows]}

    @router.post(
        "/scan",
        summary="Ingest one payload, detect and decide (synchronous)",
        openapi_extra={
            "requestBody": {
                "required": True,
                "description": "A platform payload as the platform's API returns it.",
                "content": {"application/json": {"schema": {"type": "object"}}},
            }
        },
    )
    async def post_scan(
        request: Request,
        key: Annotated[ApiKey, Depends(require_key)],
        policy: Annotated[str, Query(description="Policy name, e.g. `pk`, `eu`.")] = (
            DEFAULT_POLICY
        ),
        fmt: Annotated[str | None, Query(alias="format", description="Adapter name.")] = None,
    ) -> JSONResponse:
        payload = decode_json(drop_bom(await request.body()), SOURCE)
        try:
            result = await run_in_threadpool(scan, key, payload, policy, fmt)
        except NigehbanError as exc:
            return error_response(exc)
        return JSONResponse(result)

    @router.post("/scan/stored", summary="Decide stored items again (synchronous)")
    async def post_scan_stored(
        body: StoredIn,
        key: Annotated[ApiKey, Depends(require_key)],
        policy: Annotated[str, Query(description="Policy name, e.g. `pk`, `eu`.")] = (
            DEFAULT_POLICY
        ),
    ) -> JSONResponse:
        try:
            result = await run_in_threadpool(rescan, key, body.items, policy)
        except NigehbanError as exc:
            return error_response(exc)
        return JSONResponse(result)

    @router.get("/policies", summary="The policies in force")
    def list_policies(key: Annotated[ApiKey, Depends(require_key)]) -> list[dict[str, Any]]:
        return [policy_summary(p) for _, p in sorted(policies.policies.items())]

    @router.post(
        "/policies/reload",
        summary="Re-read the policy files; an invalid file is refused and the old ones stay",
    )
    def reload_policies(key: Annotated[ApiKey, Depends(require_key)]) -> list[dict[str, Any]]:
        return [policy_summary(p) for _, p in sorted(policies.reload().items())]

    @router.get("/decisions", summary="The latest decisions, newest first")
    def list_decisions(
        key: Annotated[ApiKey, Depends(require_key)],
        action: str | None = None,
        before: Cursor = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        chosen = None
        if action is not None:
            try:
                chosen = Action(action)
            except ValueError:
                known = ", ".join(a.value for a in Action)
                raise ValidationError(
                    "query", "action", f"{action[:40]!r} is not one of {known}"
                ) from None
        with store.reading(key.tenant) as s:
            found = s.decisions.recent(limit, chosen, before)
        return [decision_document(i, d) for i, d in found]

    def _notice(key: ApiKey, decision_id: int) -> Notice:
        with store.reading(key.tenant) as s:
            return notice_for(s, decision_id, lambda: policies.policies)

    @router.get("/decisions/{decision_id}", summary="One decision with the engine's details")
    def get_decision(decision_id: RowId, key: Annotated[ApiKey, Depends(require_key)]) -> Any:
        with store.reading(key.tenant) as s:
            return decision_document(decision_id, s.decisions.get(decision_id))

    @router.get(
        "/decisions/{decision_id}/statement",
        summary="The statement of reasons the user receives (en, ur, ur-Latn or ps)",
    )
    def get_statement(
        decision_id: RowId,
        key: Annotated[ApiKey, Depends(require_key)],
        lang: Annotated[
            Literal["en", "ur", "ur-Latn", "ps"] | None,
            Query(description="Default: the post's language."),
        ] = None,
    ) -> dict[str, Any]:
        statement = _notice(key, decision_id).statement(settings, lang)
        if statement is None:
            raise UsageError(f"decision {decision_id} restricts nothing: no statement is sent")
        return statement.document()

    @router.get(
        "/decisions/{decision_id}/transparency",
        summary="The DSA Transparency Database statement of reasons, validated",
    )
    def get_transparency(
        decision_id: RowId, key: Annotated[ApiKey, Depends(require_key)]
    ) -> dict[str, Any]:
        record = _notice(key, decision_id).transparency(settings)
        problems = validate_transparency_record(record)
        if problems:
            raise UsageError("the record does not validate: " + "; ".join(problems[:5]))
        return record

    return router
