"""Items: what Nigehban judges — a :class:`Post`, a :class:`Media` object or an :class:`Account`.

Items are immutable values produced by adapters and read back from the store. A post carries
references (not copies) to its author, its media and the origins it shares, quotes or replies
to; each of those is an item of its own. Media bytes are never part of an item: a media item
holds a reference (platform id, URL or local path) and any digests the platform supplied.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from nigehban.model.digests import Digest
from nigehban.model.refs import ItemKind, ItemRef, Relation, Surface
from nigehban.model.spans import Span


class MediaKind(StrEnum):
    IMAGE = "image"
    VIDEO = "video"
    ANIMATION = "animation"
    AUDIO = "audio"
    VOICE = "voice"
    DOCUMENT = "document"
    STICKER = "sticker"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Entity:
    """A marked-up part of a post's text: ``kind`` as the platform names it (``mention``,
    ``hashtag``, ``url``, ``text_link``, ``bold`` …), its span in code points, and the value it
    points to where the text alone does not say (a hidden link's URL, a mentioned user's id)."""

    kind: str
    span: Span
    value: str | None = None


@dataclass(frozen=True, slots=True)
class Origin:
    """The post this one shares, quotes or replies to."""

    relation: Relation
    ref: ItemRef


@dataclass(frozen=True, slots=True)
class Post:
    ref: ItemRef
    surface: Surface
    text: str | None = None
    entities: tuple[Entity, ...] = ()
    author: ItemRef | None = None
    container: str | None = None
    container_title: str | None = None
    origins: tuple[Origin, ...] = ()
    media: tuple[ItemRef, ...] = ()
    links: tuple[str, ...] = ()
    created_at: datetime | None = None
    edited_at: datetime | None = None
    url: str | None = None
    lang_hint: str | None = None
    kind: ItemKind = field(default=ItemKind.POST, init=False)


@dataclass(frozen=True, slots=True)
class Media:
    ref: ItemRef
    media_kind: MediaKind
    url: str | None = None
    mime_type: str | None = None
    digests: tuple[Digest, ...] = ()
    file_name: str | None = None
    local_path: str | None = None
    size_bytes: int | None = None
    width: int | None = None
    height: int | None = None
    duration_s: float | None = None
    created_at: datetime | None = None
    edited_at: datetime | None = None
    kind: ItemKind = field(default=ItemKind.MEDIA, init=False)


@dataclass(frozen=True, slots=True)
class Account:
    ref: ItemRef
    handle: str | None = None
    display_name: str | None = None
    bio: str | None = None
    avatar_url: str | None = None
    verified: bool | None = None
    is_bot: bool | None = None
    created_at: datetime | None = None
    edited_at: datetime | None = None
    url: str | None = None
    kind: ItemKind = field(default=ItemKind.ACCOUNT, init=False)


Item = Post | Media | Account
