"""``/v1/items``: ingest a payload of any supported format, and read an item back.

``POST /v1/items`` takes the raw body of any platform payload (the format is detected, or forced
with ``?format=<adapter name>``) and ingests it into the key's tenant as actor ``api:<key id>``.
Decoding is strict: bad UTF-8 or bad JSON is a 422 naming the byte or the line and column (a
byte-order mark at the very start of the body is dropped, as ``nigehban ingest`` drops one at
the start of a file). An unknown format, an ambiguous one, or a payload the adapter refuses (a
field of the wrong type, a text over ``max_text_chars``) is a 422 in the error shape with the
ingest report added under ``"report"``; one payload is stored in one transaction, so a refused
payload stores nothing. When the database itself failed, the answer is 503 instead. Success is
200 with the ingest report.

``GET /v1/items/{platform}/{kind}/{scoped_id}`` returns the stored item; the scoped id may hold
``/`` (Telegram ``-1001/5``). ``?history=true`` adds every revision's metadata.
"""

# No ``from __future__ import annotations``: FastAPI must see ``Depends(require_key)``, a closure.

from collections.abc import Callable
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from nigehban.api.errors import error_response
from nigehban.api.health import check_database
from nigehban.api.strict_json import StrictJSONRoute
from nigehban.errors import InputError, NotFoundError
from nigehban.ingest.registry import AdapterRegistry
from nigehban.ingest.sources import decode_json, drop_bom
from nigehban.model.refs import ItemKind, ItemRef, Platform
from nigehban.privacy.masking import preview
from nigehban.settings import Settings
from nigehban.store.keys import ApiKey
from nigehban.store.store import Store
from nigehban.workflows.ingest import Ingestor, IngestReport

SOURCE = "request body"

_BODY_DOC: dict[str, object] = {
    "requestBody": {
        "required": True,
        "description": "A platform payload as the platform's API returns it, or a generic record.",
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


def refusal(report: IngestReport) -> InputError:
    """The error that names why a payload was not ingested (the first problem, and a count)."""
    source, problem = report.errors[0]
    more = f" (and {len(report.errors) - 1} more)" if len(report.errors) > 1 else ""
    return InputError(source, problem + more)


def items_router(
    settings: Settings,
    store: Store,
    registry: AdapterRegistry,
    require_key: Callable[..., ApiKey],
) -> APIRouter:
    router = APIRouter(prefix="/v1/items", tags=["items"], route_class=StrictJSONRoute)

    def ingest(key: ApiKey, payload: object, fmt: str | None) -> IngestReport:
        ingestor = Ingestor(
            store, settings, tenant=key.tenant, actor=f"api:{key.id}", registry=registry
        )
        # Resolve the format first so an unknown or ambiguous one raises its own error type.
        adapter = registry.get(fmt) if fmt else registry.detect(payload, SOURCE)
        report = ingestor.ingest_payload(payload, SOURCE, adapter.name)
        if not report.ok:
            check_database(store)
        return report

    @router.post(
        "",
        summary="Ingest one payload of any supported format",
        openapi_extra=_BODY_DOC,
        responses={422: {"description": "The payload was refused; nothing was stored."}},
    )
    async def post_item(
        request: Request,
        key: Annotated[ApiKey, Depends(require_key)],
        fmt: Annotated[
            str | None,
            Query(alias="format", description="Adapter name, e.g. `x.v2`; detected if absent."),
        ] = None,
    ) -> JSONResponse:
        body = await request.body()
        payload = decode_json(drop_bom(body), SOURCE)
        report = await run_in_threadpool(ingest, key, payload, fmt)
        if not report.ok:
            return error_response(refusal(report), extra={"report": report.to_dict()})
        return JSONResponse(report.to_dict())

    @router.get("/{platform}/{kind}/{scoped_id:path}", summary="Read one stored item")
    def get_item(
        platform: Platform,
        kind: ItemKind,
        scoped_id: str,
        key: Annotated[ApiKey, Depends(require_key)],
        history: Annotated[bool, Query(description="Add every revision's metadata.")] = False,
    ) -> dict[str, object]:
        ref = ItemRef.stored(key.tenant, f"{platform.value}/{kind.value}/{scoped_id}")
        with store.reading(key.tenant) as s:
            stored = s.items.get(ref, history=history)
        if stored is None:
            raise NotFoundError("item", preview(ref.key))
        return stored.to_dict(history)

    return router
