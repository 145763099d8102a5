"""Nigehban's own generic record, one per line of a JSONL file (or a single JSON object).

For sources without an adapter of their own (a scraper's output, a research data set, a CSV
turned into JSONL). A record is recognised by its ``platform`` and ``id`` keys::

    {"platform": "x", "id": "1", "text": "…", "surface": "public",
     "author": {"id": "u1", "handle": "name", "display_name": "Name"},
     "created_at": "2025-07-14T10:00:00Z", "edited_at": null, "lang": "ur",
     "container": "…", "url": "…", "links": ["https://…"],
     "reply_to": "0", "quote_of": "0", "share_of": "0",
     "media": [{"id": "m1", "kind": "image", "url": "…", "sha256": "…", "md5": "…",
                "path": "relative/file.jpg", "mime_type": "image/jpeg"}]}

Only ``platform``, ``id`` and — unless ``share_of`` is given — ``text`` are required;
``surface`` defaults to ``public``. ``reply_to`` / ``quote_of`` / ``share_of`` name posts on
the same platform (links only: the record does not carry them). A record with ``share_of`` is
a pure share, so its ``text`` — if any — belongs to the origin and is emitted as that item.
``container`` is the platform's id of the channel, group or page the post was said in (a hold
on it names it so): a title in its place (white space), a URL or a look-alike id is refused at
``container``.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult, Reader
from nigehban.model.digests import Digest
from nigehban.model.items import Account, Media, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, Platform, Relation, Surface
from nigehban.privacy.masking import preview

E = TypeVar("E", Platform, Surface, MediaKind)


class GenericRecordAdapter:
    name: ClassVar[str] = "generic.jsonl"
    platform: ClassVar[Platform] = Platform.GENERIC

    def sniff(self, payload: object) -> bool:
        return (
            isinstance(payload, Mapping)
            and isinstance(payload.get("platform"), str)
            and "id" in payload
            and ("text" in payload or "share_of" in payload)
        )

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        r = Reader(payload, "", ctx.source)
        result = ParseResult()
        platform = _enum(r, "platform", Platform)
        surface = _enum(r, "surface", Surface) if r.has("surface") else Surface.PUBLIC
        post_ref = r.ref(ctx, platform, ItemKind.POST, r.id("id"), "id")
        author = None
        if (a := r.opt_obj("author")) is not None:
            author = a.ref(ctx, platform, ItemKind.ACCOUNT, a.id("id"), "id")
            result.add(
                Account(
                    ref=author,
                    handle=a.opt_str("handle"),
                    display_name=a.opt_str("display_name"),
                    bio=a.opt_str("bio"),
                )
            )
        elif (author_id := r.opt_id("author_id")) is not None:
            author = r.ref(ctx, platform, ItemKind.ACCOUNT, author_id, "author_id")
        media = []
        for m in r.objs("media"):
            digests = tuple(
                Digest.parse(alg, value)
                for alg in ("sha256", "md5")
                if (value := m.opt_str(alg)) is not None
            )
            item = Media(
                ref=m.ref(ctx, platform, ItemKind.MEDIA, m.id("id"), "id"),
                media_kind=_enum(m, "kind", MediaKind) if m.has("kind") else MediaKind.OTHER,
                url=m.opt_str("url"),
                mime_type=m.opt_str("mime_type"),
                digests=digests,
                local_path=m.opt_str("path"),
            )
            media.append(item.ref)
            result.add(item)
        links = tuple(_strings(r, "links"))
        text = r.opt_str("text")
        created = r.time("created_at")
        origins = []
        for key, relation in (("reply_to", Relation.REPLY), ("quote_of", Relation.QUOTE)):
            if (origin_id := r.opt_id(key)) is not None:
                origins.append(
                    Origin(relation, r.ref(ctx, platform, ItemKind.POST, origin_id, key))
                )
        if (share_id := r.opt_id("share_of")) is not None:
            origin_ref = r.ref(ctx, platform, ItemKind.POST, share_id, "share_of")
            origins.append(Origin(Relation.SHARE, origin_ref))
            if text is not None:
                result.add(Post(ref=origin_ref, surface=surface, text=text, media=tuple(media)))
            text, media = None, []
        elif text is None:
            raise ValidationError(ctx.source, "text", "is missing")
        result.add(
            Post(
                ref=post_ref,
                surface=surface,
                text=text,
                author=author,
                container=r.opt_container(platform),
                origins=tuple(origins),
                media=tuple(media),
                links=links,
                created_at=created,
                edited_at=r.time("edited_at"),
                url=r.opt_str("url"),
                lang_hint=r.opt_str("lang"),
            )
        )
        return result


def _enum(r: Reader, key: str, enum: type[E]) -> E:
    value = r.str(key)
    try:
        return enum(value)
    except ValueError:
        allowed = ", ".join(e.value for e in enum)
        raise ValidationError(
            r.source,
            f"{r.path}.{key}" if r.path else key,
            f"{preview(value)} is not one of {allowed}",
        ) from None


def _strings(r: Reader, key: str) -> list[str]:
    out = []
    for i, value in enumerate(r.list(key)):
        if not isinstance(value, str):
            raise ValidationError(
                r.source, f"{key}[{i}]", f"expected a string, got {preview(value)}"
            )
        out.append(value)
    return out
