"""What the two Facebook formats share: authors, message tags, media ids, containers, permalinks.

* **Ids** arrive as strings or, in webhooks, as JSON numbers; :meth:`Reader.id` makes them
  strings. Post ids are compound ``{owner}_{post}`` where the owner is the page, profile or group
  the post lives on; that owner is the post's ``container``.
* **Media without an id** (a link preview image, a webhook ``photo`` URL) get
  ``url:`` + the first 40 hex digits of the SHA-256 of the URL, so the same URL is the same item.
* **Message tags** count UTF-16 code units; they are converted to code-point spans here and
  become ``mention`` entities whose value is the tagged profile's id. Graph v2.0 and older gave
  them as an object keyed by offset (``{"0": [{...}]}``), later versions as a list; both are read.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult, Reader
from nigehban.model.items import Account, Entity
from nigehban.model.refs import ItemKind, ItemRef, Platform
from nigehban.model.spans import utf16_length, utf16_to_codepoints
from nigehban.privacy.masking import preview

PLATFORM = Platform.FACEBOOK


def url_media_id(url: str) -> str:
    """The id of a media object known only by its URL."""
    return "url:" + hashlib.sha256(url.encode("utf-8")).hexdigest()[:40]


def container_of(object_id: str) -> str | None:
    """The owner part of a compound ``{owner}_{post}`` id, or ``None`` for a plain id."""
    head, sep, tail = object_id.partition("_")
    return head if sep and head.isdigit() and tail else None


def ref(reader: Reader, ctx: ParseContext, kind: ItemKind, scoped_id: str) -> ItemRef:
    return reader.ref(ctx, PLATFORM, kind, scoped_id)


def add_author(reader: Reader, ctx: ParseContext, result: ParseResult) -> ItemRef:
    """``{id, name}`` (``from`` in Graph objects and webhooks) -> an account item and its ref."""
    author = ref(reader, ctx, ItemKind.ACCOUNT, reader.id("id"))
    result.add(Account(ref=author, display_name=reader.opt_str("name")))
    return author


def str_list(reader: Reader, key: str) -> list[str]:
    """A list of strings (webhook ``photos``); each element's path is named on error."""
    out: list[str] = []
    for i, value in enumerate(reader.list(key)):
        if not isinstance(value, str) or not value:
            raise ValidationError(
                reader.source,
                f"{reader.at(key)}[{i}]",
                f"expected a URL, got {preview(value)}",
            )
        out.append(value)
    return out


def tag_entities(owner: Reader, key: str, text: str | None) -> tuple[Entity, ...]:
    """``message_tags`` -> ``mention`` entities in code points of ``text``."""
    raw = owner.raw(key)
    if raw is None or raw in ([], {}):
        return ()
    path = owner.at(key)
    if isinstance(raw, list):
        tags = list(owner.objs(key))
    elif isinstance(raw, Mapping):
        tags = []
        for offset in sorted(raw, key=lambda k: (len(str(k)), str(k))):
            group = Reader(raw, path, owner.source).objs(str(offset))
            tags.extend(group)
    else:
        raise ValidationError(
            owner.source, path, f"expected a list or an object, got {preview(raw)}"
        )
    if text is None:
        raise ValidationError(owner.source, path, "tags are given but the message is missing")
    entities: list[Entity] = []
    for tag in tags:
        offset, length = tag.int("offset"), tag.int("length")
        units = utf16_length(text)
        if offset < 0 or length < 0 or offset + length > units:
            raise ValidationError(
                tag.source,
                tag.path,
                f"UTF-16 range ({offset}, {length}) falls outside the message ({units} units)",
            )
        span = utf16_to_codepoints(text, offset, length)
        entities.append(Entity("mention", span, tag.opt_id("id")))
    return tuple(entities)


@dataclass(frozen=True, slots=True)
class Permalink:
    """What a facebook.com permalink says about the object it points to.

    ``https://www.facebook.com/{owner}/posts/{post}/?comment_id={c}&reply_comment_id={r}`` or
    ``https://www.facebook.com/groups/{group}/permalink/{post}/``. ``owner`` and ``post`` are set
    only when numeric: a vanity name (``/CGTN/posts/…``) cannot be turned into an id.
    """

    owner: str | None
    post: str | None
    in_group: bool
    comment: str | None
    reply: str | None

    @property
    def post_id(self) -> str | None:
        """The compound id of the post, when both parts are known."""
        return f"{self.owner}_{self.post}" if self.owner and self.post else None


def parse_permalink(url: str | None) -> Permalink | None:
    if not url:
        return None
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if host != "facebook.com" and not host.endswith(".facebook.com"):
        return None
    segments = [s for s in parts.path.split("/") if s]
    in_group = bool(segments) and segments[0] == "groups"
    if in_group:
        segments = segments[1:]
    owner = post = None
    if len(segments) >= 3 and segments[1] in ("posts", "permalink"):
        owner = segments[0] if segments[0].isdigit() else None
        post = segments[2] if segments[2].isdigit() else None
    query = parse_qs(parts.query)

    def _digits(name: str) -> str | None:
        values = query.get(name, [])
        return values[0] if len(values) == 1 and values[0].isdigit() else None

    return Permalink(owner, post, in_group, _digits("comment_id"), _digits("reply_comment_id"))
