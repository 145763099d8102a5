"""``/v1/banks…``, ``/v1/hash`` and ``/v1/match``: banks of known content over HTTP.

Files are uploaded as the raw request body (``Content-Type: application/octet-stream``; the
body limit is the setting ``max_body_bytes``), hashed in a temporary file and discarded. A
hash, vPDQ text or statement is matched with a JSON body instead. Every change is audited and
every match logged, with the API key's name as the actor.
"""

# No ``from __future__ import annotations``: FastAPI must see ``Depends(require_key)``, a closure.

import tempfile
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from pydantic import ValidationError as PydanticError
from starlette.concurrency import run_in_threadpool

from nigehban.api.params import After, EntryFilter, RowId
from nigehban.api.strict_json import StrictJSONRoute
from nigehban.banks.documents import (
    bank_document,
    entry_document,
    match_document,
    record_document,
    summary_document,
)
from nigehban.banks.formats import Format
from nigehban.banks.model import (
    DEFAULT_PDQ_THRESHOLD,
    DEFAULT_TEXT_THRESHOLD,
    DEFAULT_VPDQ_FRAME_THRESHOLD,
    DEFAULT_VPDQ_MATCH_PERCENT,
    DEFAULT_VPDQ_TARGET_PERCENT,
    Labels,
    Thresholds,
    parse_signal_type,
)
from nigehban.errors import InputError, ValidationError
from nigehban.hashing.media import FileHashes
from nigehban.model.taxonomy import Category
from nigehban.settings import Settings
from nigehban.store.keys import ApiKey
from nigehban.store.store import Store
from nigehban.workflows.banks import BanksWorkflow, MatchReport

MAX_VALUES = 10_000
_BINARY: dict[str, Any] = {"schema": {"type": "string", "format": "binary"}}
_RAW_BODY: dict[str, Any] = {
    "requestBody": {"required": True, "content": {"application/octet-stream": _BINARY}}
}


class ThresholdsIn(BaseModel):
    pdq: Annotated[int, Field(description="Largest PDQ distance (bits of 256).")] = (
        DEFAULT_PDQ_THRESHOLD
    )
    vpdq_frame: Annotated[int, Field(description="Frame PDQ distance.")] = (
        DEFAULT_VPDQ_FRAME_THRESHOLD
    )
    vpdq_percent: Annotated[float, Field(description="Query frames found in the entry, %.")] = (
        DEFAULT_VPDQ_MATCH_PERCENT
    )
    vpdq_target_percent: Annotated[
        float, Field(description="Entry frames found in the query, % (0: excerpts match).")
    ] = DEFAULT_VPDQ_TARGET_PERCENT
    text: Annotated[float, Field(description="Smallest text similarity.")] = DEFAULT_TEXT_THRESHOLD


class BankIn(BaseModel):
    name: str
    description: str = ""
    enabled: bool = True
    thresholds: ThresholdsIn = Field(default_factory=ThresholdsIn)


class BankPatch(BaseModel):
    description: str | None = None
    enabled: bool | None = None
    thresholds: ThresholdsIn | None = None


class LabelsIn(BaseModel):
    group: str | None = None
    category: Category | None = None
    source: str | None = None
    note: str | None = None


class ValueIn(BaseModel):
    signal_type: str = Field(description="pdq, vpdq, md5, sha1, sha256, sha512 or text")
    value: str


class EntriesIn(BaseModel):
    values: list[ValueIn] = Field(description=f"Up to {MAX_VALUES} values, all or none added.")
    labels: LabelsIn = Field(default_factory=LabelsIn)


class EntryPatch(BaseModel):
    enabled: bool | None = None
    labels: LabelsIn | None = None


class MatchIn(BaseModel):
    signal_type: str | None = Field(
        None, description="pdq, vpdq, md5, sha1, sha256, sha512 or text (with `value`)"
    )
    value: str | None = None
    url: str | None = Field(
        None, description="Or: platform media to fetch (hosts in media_fetch_allowed_hosts)."
    )
    subject: str | None = Field(None, description="What is being matched (item key), logged.")


class WorkflowHolder:
    """One :class:`BanksWorkflow` (and its index) per tenant, built on first use."""

    def __init__(self, settings: Settings, store: Store) -> None:
        self._settings = settings
        self._store = store
        self._lock = threading.Lock()
        self._workflows: dict[str, BanksWorkflow] = {}

    def get(self, tenant: str) -> BanksWorkflow:
        """The tenant's workflow, its index rebuilt first where another process (the CLI,
        another server) has changed the banks since."""
        with self._lock:
            wf = self._workflows.get(tenant)
            if wf is None:
                wf = self._workflows[tenant] = BanksWorkflow.configured(
                    self._store, tenant, self._settings
                )
                return wf
        wf.refresh()
        return wf


_T = TypeVar("_T")

UPLOAD = "upload"
"""How an uploaded file is named in responses and errors: never by the server's temporary
path."""


def hashes_doc(h: FileHashes, *, uploaded: bool = False) -> dict[str, Any]:
    doc = h.to_dict()
    if uploaded:
        doc["file"] = UPLOAD
    return doc


def report_doc(r: MatchReport, *, uploaded: bool = False) -> dict[str, Any]:
    doc: dict[str, Any] = {"subject": r.subject, "snapshot": r.snapshot_hash}
    if r.hashes is not None:
        doc["hashes"] = hashes_doc(r.hashes, uploaded=uploaded)
    doc["matches"] = [match_document(m) for m in r.matches]
    if r.skipped:
        doc["skipped"] = r.skipped
    return doc


def _thresholds(t: ThresholdsIn) -> Thresholds:
    return Thresholds(
        pdq=t.pdq,
        vpdq_frame=t.vpdq_frame,
        vpdq_percent=t.vpdq_percent,
        vpdq_target_percent=t.vpdq_target_percent,
        text=t.text,
    )


def _labels(labels: LabelsIn, actor: str) -> Labels:
    return Labels(
        group=labels.group,
        category=labels.category,
        source=labels.source,
        added_by=actor,
        note=labels.note,
    )


def _format(value: str | None) -> Format | None:
    if value is None:
        return None
    try:
        return Format(value)
    except ValueError:
        known = ", ".join(f.value for f in Format)
        raise ValidationError("query", "format", f"{value[:40]!r} is not one of {known}") from None


def banks_router(
    settings: Settings, holder: WorkflowHolder, require_key: Callable[..., ApiKey]
) -> APIRouter:
    router = APIRouter(prefix="/v1", tags=["banks"], route_class=StrictJSONRoute)
    key_type = Annotated[ApiKey, Depends(require_key)]

    def actor(key: ApiKey) -> str:
        return f"api:{key.name}"[:100]

    @router.get("/banks", summary="List banks with entry counts")
    def list_banks(key: key_type) -> list[dict[str, Any]]:
        return [summary_document(s) for s in holder.get(key.tenant).summaries()]

    @router.post("/banks", status_code=201, summary="Create a bank")
    def create_bank(body: BankIn, key: key_type) -> dict[str, Any]:
        bank = holder.get(key.tenant).create(
            body.name,
            actor(key),
            description=body.description,
            thresholds=_thresholds(body.thresholds),
            enabled=body.enabled,
        )
        return bank_document(bank)

    @router.get("/banks/matches", summary="The match log, newest first")
    def match_log(
        key: key_type,
        subject: str | None = None,
        entry: EntryFilter = None,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        return [record_document(r) for r in holder.get(key.tenant).match_log(subject, entry, limit)]

    @router.get("/banks/{name}", summary="A bank")
    def get_bank(name: str, key: key_type) -> dict[str, Any]:
        return bank_document(holder.get(key.tenant).get(name))

    @router.patch("/banks/{name}", summary="Change a bank's description, thresholds or state")
    def patch_bank(name: str, body: BankPatch, key: key_type) -> dict[str, Any]:
        bank = holder.get(key.tenant).update(
            name,
            actor(key),
            description=body.description,
            enabled=body.enabled,
            thresholds=_thresholds(body.thresholds) if body.thresholds else None,
        )
        return bank_document(bank)

    @router.delete("/banks/{name}", summary="Delete a bank and its entries")
    def delete_bank(name: str, key: key_type) -> dict[str, Any]:
        return {"deleted": name, "entries": holder.get(key.tenant).delete(name, actor(key))}

    @router.get("/banks/{name}/entries", summary="A bank's entries, by id")
    def list_entries(
        name: str,
        key: key_type,
        signal_type: str | None = None,
        after: After = 0,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    ) -> list[dict[str, Any]]:
        kind = parse_signal_type(signal_type, "query") if signal_type else None
        return [entry_document(e) for e in holder.get(key.tenant).entries(name, kind, after, limit)]

    @router.post("/banks/{name}/entries", status_code=201, summary="Add entries")
    def add_entries(name: str, body: EntriesIn, key: key_type) -> dict[str, Any]:
        if len(body.values) > MAX_VALUES:
            raise ValidationError("body", "values", f"{len(body.values)} values (at most 10000)")
        outcome = holder.get(key.tenant).add(
            name,
            [(v.signal_type, v.value) for v in body.values],
            actor(key),
            _labels(body.labels, actor(key)),
            source="api",
        )
        return {"added": outcome.added, "duplicates": outcome.duplicates}

    @router.patch("/banks/entries/{entry_id}", summary="Enable, disable or relabel an entry")
    def patch_entry(entry_id: RowId, body: EntryPatch, key: key_type) -> dict[str, Any]:
        # only the labels the body names change: a source list's own fields (``extra``: a TAT
        # record's id, ideology, file type), who added the entry and the labels left out stay
        entry = holder.get(key.tenant).set_entry(
            entry_id,
            actor(key),
            enabled=body.enabled,
            relabel=body.labels.model_dump(exclude_unset=True) if body.labels else None,
        )
        return entry_document(entry)

    @router.delete("/banks/entries/{entry_id}", summary="Delete an entry")
    def delete_entry(entry_id: RowId, key: key_type) -> dict[str, Any]:
        return entry_document(holder.get(key.tenant).delete_entry(entry_id, actor(key)))

    @router.post(
        "/banks/{name}/import",
        summary="Import entries from the request body",
        openapi_extra=_RAW_BODY,
    )
    async def import_entries(
        name: str,
        request: Request,
        key: key_type,
        format: str | None = None,
        filename: str = "",
        all_or_nothing: bool = False,
    ) -> dict[str, Any]:
        data = await request.body()
        report = await run_in_threadpool(
            holder.get(key.tenant).import_file,
            name,
            data,
            actor(key),
            fmt=_format(format),
            filename=filename,
            all_or_nothing=all_or_nothing,
        )
        return report.to_dict()

    @router.get("/banks/{name}/export", summary="Export a bank's entries")
    def export_entries(name: str, key: key_type, format: str = "generic-csv") -> Response:
        chosen = _format(format) or Format.GENERIC_CSV
        data = holder.get(key.tenant).export(name, chosen)
        media = "application/json" if "json" in chosen.value else "text/csv"
        return Response(data, media_type=media)

    async def _on_upload(request: Request, work: Callable[[Path], _T]) -> _T:
        """``work`` on the request's body saved to a temporary file, which is removed after;
        an error names the file ``upload``, not its temporary path."""
        data = await request.body()
        if not data:
            raise ValidationError("body", "file", "the upload is empty (send the file as body)")
        with tempfile.NamedTemporaryFile(prefix="nigehban-upload-", delete=False) as handle:
            handle.write(data)
        path = Path(handle.name)
        try:
            return await run_in_threadpool(work, path)
        except InputError as exc:
            raise InputError(UPLOAD, exc.problem) from None
        finally:
            path.unlink(missing_ok=True)

    @router.post(
        "/hash",
        summary="Hash an uploaded file (raw body): MD5, SHA-256, PDQ and quality, vPDQ",
        openapi_extra=_RAW_BODY,
    )
    async def hash_upload(request: Request, key: key_type) -> dict[str, Any]:
        hashes = await _on_upload(request, holder.get(key.tenant).hash_file)
        return hashes_doc(hashes, uploaded=True)

    @router.post(
        "/match",
        summary="Match an uploaded file (raw body) or a hash/text (JSON body) against the banks",
        openapi_extra={
            "requestBody": {
                "required": True,
                "content": {
                    "application/octet-stream": _BINARY,
                    "application/json": {"schema": MatchIn.model_json_schema()},
                },
            }
        },
    )
    async def match(request: Request, key: key_type, subject: str | None = None) -> dict[str, Any]:
        wf = holder.get(key.tenant)
        if request.headers.get("content-type", "").startswith("application/json"):
            try:
                body = MatchIn.model_validate_json(await request.body())
            except PydanticError as exc:
                problem = "; ".join(
                    f"{'.'.join(str(p) for p in e['loc']) or 'body'}: {e['msg']}"
                    for e in exc.errors()[:5]
                )
                raise ValidationError("body", "match", problem[:300]) from None
            if body.url is not None:
                report = await run_in_threadpool(
                    wf.match_url, body.url, actor(key), body.subject or subject
                )
                return report_doc(report)
            if body.signal_type is None or body.value is None:
                raise ValidationError("body", "match", "give signal_type and value, or url")
            kind = parse_signal_type(body.signal_type, "body")
            report = await run_in_threadpool(
                wf.match_value, kind, body.value, actor(key), body.subject or subject
            )
            return report_doc(report)
        report = await _on_upload(
            request, lambda path: wf.match_file(path, actor(key), subject, True)
        )
        return report_doc(report, uploaded=True)

    return router
