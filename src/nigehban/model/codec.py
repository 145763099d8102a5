"""Items to and from plain JSON-able dicts: the stored body, the API's output, the golden files.

The dict form leaves out empty fields (``None``, empty tuples) so hand-written expected files stay
short, and carries ``schema_version`` only at the document level (see ``store`` and ``api``).
:func:`content_hash` is the SHA-256 of an item's canonical form without its edit time: two
payloads with the same content give the same hash whatever the edit metadata says.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from typing import Any

import orjson

from nigehban.errors import ValidationError
from nigehban.model.decisions import Decision
from nigehban.model.digests import Digest
from nigehban.model.items import Account, Entity, Item, Media, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface
from nigehban.model.spans import Span
from nigehban.privacy.masking import preview

ITEM_SCHEMA_VERSION = 1

JsonDict = dict[str, Any]


def format_time(value: datetime) -> str:
    """UTC ISO-8601 with a ``Z``; naive datetimes are taken to be UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    text = value.astimezone(UTC).isoformat()
    return text.replace("+00:00", "Z")


def parse_time(value: str, field: str = "time") -> datetime:
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValidationError("", field, f"{preview(value)} is not an ISO-8601 time") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _ref_key(ref: ItemRef | None) -> str | None:
    return None if ref is None else ref.key


def item_to_dict(item: Item) -> JsonDict:
    """The compact dict form of an item (tenant left out: it is implied by context)."""
    out: JsonDict = {
        "kind": item.kind.value,
        "platform": item.ref.platform.value,
        "id": item.ref.scoped_id,
    }
    if isinstance(item, Post):
        out["surface"] = item.surface.value
        _put(out, "text", item.text)
        if item.entities:
            out["entities"] = [
                _compact(
                    {"kind": e.kind, "start": e.span.start, "end": e.span.end, "value": e.value}
                )
                for e in item.entities
            ]
        _put(out, "author", _ref_key(item.author))
        _put(out, "container", item.container)
        _put(out, "container_title", item.container_title)
        if item.origins:
            out["origins"] = [
                {"relation": o.relation.value, "ref": o.ref.key} for o in item.origins
            ]
        if item.media:
            out["media"] = [m.key for m in item.media]
        if item.links:
            out["links"] = list(item.links)
        _put(out, "url", item.url)
        _put(out, "lang_hint", item.lang_hint)
    elif isinstance(item, Media):
        out["media_kind"] = item.media_kind.value
        _put(out, "url", item.url)
        _put(out, "mime_type", item.mime_type)
        if item.digests:
            out["digests"] = [
                _compact({"algorithm": d.algorithm, "given": d.given, "hex": d.hex})
                for d in item.digests
            ]
        _put(out, "file_name", item.file_name)
        _put(out, "local_path", item.local_path)
        _put(out, "size_bytes", item.size_bytes)
        _put(out, "width", item.width)
        _put(out, "height", item.height)
        _put(out, "duration_s", item.duration_s)
    else:
        _put(out, "handle", item.handle)
        _put(out, "display_name", item.display_name)
        _put(out, "bio", item.bio)
        _put(out, "avatar_url", item.avatar_url)
        _put(out, "verified", item.verified)
        _put(out, "is_bot", item.is_bot)
        _put(out, "url", item.url)
    if item.created_at is not None:
        out["created_at"] = format_time(item.created_at)
    if item.edited_at is not None:
        out["edited_at"] = format_time(item.edited_at)
    return out


def item_from_dict(tenant: str, data: JsonDict) -> Item:
    """Inverse of :func:`item_to_dict`; raises :class:`ValidationError` naming the bad field."""
    try:
        platform = Platform(data["platform"])
        kind = ItemKind(data["kind"])
        ref = ItemRef.stored(tenant, f"{platform.value}/{kind.value}/{data['id']}")
        created = _time(data, "created_at")
        edited = _time(data, "edited_at")
        if kind is ItemKind.POST:
            return Post(
                ref=ref,
                surface=Surface(data["surface"]),
                text=data.get("text"),
                entities=tuple(
                    Entity(e["kind"], Span(e["start"], e["end"]), e.get("value"))
                    for e in data.get("entities", ())
                ),
                author=_ref(tenant, data.get("author")),
                container=data.get("container"),
                container_title=data.get("container_title"),
                origins=tuple(
                    Origin(Relation(o["relation"]), ItemRef.stored(tenant, o["ref"]))
                    for o in data.get("origins", ())
                ),
                media=tuple(ItemRef.stored(tenant, m) for m in data.get("media", ())),
                links=tuple(data.get("links", ())),
                created_at=created,
                edited_at=edited,
                url=data.get("url"),
                lang_hint=data.get("lang_hint"),
            )
        if kind is ItemKind.MEDIA:
            return Media(
                ref=ref,
                media_kind=MediaKind(data["media_kind"]),
                url=data.get("url"),
                mime_type=data.get("mime_type"),
                digests=tuple(
                    Digest(d["algorithm"], d["given"], d.get("hex"))
                    for d in data.get("digests", ())
                ),
                file_name=data.get("file_name"),
                local_path=data.get("local_path"),
                size_bytes=data.get("size_bytes"),
                width=data.get("width"),
                height=data.get("height"),
                duration_s=data.get("duration_s"),
                created_at=created,
                edited_at=edited,
            )
        return Account(
            ref=ref,
            handle=data.get("handle"),
            display_name=data.get("display_name"),
            bio=data.get("bio"),
            avatar_url=data.get("avatar_url"),
            verified=data.get("verified"),
            is_bot=data.get("is_bot"),
            created_at=created,
            edited_at=edited,
            url=data.get("url"),
        )
    except KeyError as exc:
        raise ValidationError("", str(exc.args[0]), "is missing") from None
    except (TypeError, ValueError) as exc:
        raise ValidationError("", "item", preview(str(exc))) from None


def content_hash(item: Item) -> str:
    """SHA-256 (hex) of the item's canonical form, edit time left out."""
    return content_hash_of(item_to_dict(item))


def content_hash_of(data: JsonDict) -> str:
    """:func:`content_hash` for an item already in dict form."""
    edited = data.pop("edited_at", None)
    try:
        return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()
    finally:
        if edited is not None:
            data["edited_at"] = edited


def dumps(data: object) -> bytes:
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)


def _time(data: JsonDict, key: str) -> datetime | None:
    value = data.get(key)
    return None if value is None else parse_time(value, key)


def _ref(tenant: str, key: str | None) -> ItemRef | None:
    return None if key is None else ItemRef.stored(tenant, key)


def _put(out: JsonDict, key: str, value: object) -> None:
    if value is not None:
        out[key] = value


def _compact(data: JsonDict) -> JsonDict:
    return {k: v for k, v in data.items() if v is not None}


def decision_document(decision_id: int, d: Decision) -> JsonDict:
    """A stored decision as the CLI and the API show it."""
    return {
        "id": decision_id,
        "item": d.item.key,
        "revision": d.revision,
        "content_hash": d.content_hash,
        "action": d.action.value,
        "categories": [c.value for c in d.categories],
        "confidence": d.confidence,
        "rules": list(d.rules),
        "ground": d.ground,
        "automated_detection": d.automated_detection,
        "automated_decision": d.automated_decision,
        "policy_hash": d.policy_hash,
        "model_hash": d.model_hash,
        "registry_hash": d.registry_hash,
        "bank_hash": d.bank_hash,
        "decided_at": format_time(d.decided_at),
        "details": dict(d.details),
    }
