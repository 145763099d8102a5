"""Parts shared by the three X formats: URLs, media keys, entity spans, the v1.1 tweet body.

X names a post by its tweet id, an account by its user id and a media object by its
``media_key``: v2 gives the key (``3_…`` photo, ``7_…`` video, ``13_…`` amplify video, ``16_…``
animated GIF); v1.1 and the archive give only ``type`` and ``id_str``, from which the key is built
with the prefix of its type (``photo`` 3, ``video`` 7, ``animated_gif`` 16). An amplify video read
through v1.1 therefore gets ``7_<id>`` where v2 says ``13_<id>``: v1.1 does not tell them apart.

Entity offsets count code points in every X format (v2 ``start``/``end``, v1.1 and archive
``indices``), against the text exactly as given (HTML-escaped ``&amp;`` included), so they are
used as they are; one that falls outside the text is a :class:`ValidationError`. Entities are
returned deduplicated (X repeats a URL entity once per attached photo) and sorted by position;
links are the URL entities' ``expanded_url`` (else the ``t.co`` URL), once each, in text order.

The v1.1 tweet body (:func:`legacy_body`) is shared by ``x.v1`` and ``x.archive``: the archive's
``tweets.js`` holds v1.1-shaped tweets without ``user``, with numbers written as strings
(``"indices": ["0", "9"]``). Its text is ``extended_tweet.full_text``, else ``full_text``, else
``text`` (140-character compat text, kept as given when ``truncated``); entities and media come
from the same object as the text. Media are read from ``extended_entities.media`` (all of them,
with their real type); only when that is absent from ``entities.media`` (the first photo only; an
animated GIF or a video is typed ``photo`` there). Their URL is ``media_url_https`` (a video's
still, like v2's ``preview_image_url``); dimensions only from ``original_info`` (``sizes`` are
resized renditions), a duration from ``video_info.duration_millis``.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, Reader
from nigehban.model.items import Entity, Media, MediaKind, Origin
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation
from nigehban.model.spans import Span
from nigehban.privacy.masking import preview

SITE = "https://x.com"
V1_TIME = "%a %b %d %H:%M:%S %z %Y"
"""v1.1 and archive ``created_at``: ``Tue Feb 09 22:48:55 +0000 2021``."""

MEDIA_KINDS = {
    "photo": MediaKind.IMAGE,
    "video": MediaKind.VIDEO,
    "animated_gif": MediaKind.ANIMATION,
}
MEDIA_KEY_PREFIX = {"photo": "3", "video": "7", "animated_gif": "16"}

_RELATION_ORDER = {Relation.SHARE: 0, Relation.QUOTE: 1, Relation.REPLY: 2}


def post_url(tweet_id: str, username: str | None) -> str:
    if username:
        return f"{SITE}/{username}/status/{tweet_id}"
    return f"{SITE}/i/status/{tweet_id}"


def account_url(username: str | None) -> str | None:
    return f"{SITE}/{username}" if username else None


def or_none(value: str | None) -> str | None:
    """Profile text X sends as ``""`` when there is none (``description``) becomes ``None``."""
    return value if value else None


def post_ref(r: Reader, ctx: ParseContext, tweet_id: str) -> ItemRef:
    return r.ref(ctx, Platform.X, ItemKind.POST, tweet_id)


def account_ref(r: Reader, ctx: ParseContext, user_id: str) -> ItemRef:
    return r.ref(ctx, Platform.X, ItemKind.ACCOUNT, user_id)


def media_ref(r: Reader, ctx: ParseContext, media_key: str) -> ItemRef:
    return r.ref(ctx, Platform.X, ItemKind.MEDIA, media_key)


def media_kind(r: Reader, key: str = "type") -> MediaKind:
    """``photo`` / ``video`` / ``animated_gif``; a type X may add later is ``other``."""
    return MEDIA_KINDS.get(r.str(key), MediaKind.OTHER)


def built_media_key(r: Reader) -> str:
    """``<prefix>_<id_str>`` for a v1.1 / archive media entry (never the integer ``id``)."""
    kind = r.str("type")
    prefix = MEDIA_KEY_PREFIX.get(kind)
    if prefix is None:
        raise ValidationError(
            r.source,
            r.at("type"),
            f"unknown media type {preview(kind)} (photo, video, animated_gif)",
        )
    return f"{prefix}_{r.str('id_str')}"


def ordered_origins(origins: Iterable[Origin]) -> tuple[Origin, ...]:
    """Origins once each, share first, then quote, then reply (payload order within each)."""
    unique = list(dict.fromkeys(origins))
    return tuple(sorted(unique, key=lambda o: _RELATION_ORDER[o.relation]))


# -- entities -----------------------------------------------------------------------------------


@dataclass(slots=True)
class Entities:
    """Collects a text's entities (validated against it) and the links its URL entities name."""

    text: str
    found: list[tuple[Entity, str | None]]

    @classmethod
    def of(cls, text: str) -> Entities:
        return cls(text, [])

    def add(
        self, r: Reader, key: str, kind: str, span: tuple[int, int], value: str | None = None
    ) -> None:
        """Add an entity found at ``r``; ``key`` names the offsets' field for errors."""
        start, end = span
        if start < 0 or end < start or end > len(self.text):
            raise ValidationError(
                r.source,
                r.at(key),
                f"[{start}, {end}) is not inside the text ({len(self.text)} code points)",
            )
        link = None
        if kind == "url":
            link = value or r.opt_str("url")
        self.found.append((Entity(kind, Span(start, end), value), link))

    def entities(self) -> tuple[Entity, ...]:
        unique = dict.fromkeys(e for e, _ in self.found)
        return tuple(sorted(unique, key=lambda e: (e.span, e.kind, e.value or "")))

    def links(self) -> tuple[str, ...]:
        ordered = sorted(self.found, key=lambda f: (f[0].span, f[0].kind))
        return tuple(dict.fromkeys(link for _, link in ordered if link))


def indices(r: Reader, key: str = "indices") -> tuple[int, int]:
    """A v1.1 / archive ``[start, end]`` pair; the archive writes the numbers as strings."""
    raw = r.raw(key)
    if raw is None:
        raise ValidationError(r.source, r.at(key), "is missing")
    if not isinstance(raw, list) or len(raw) != 2:
        raise ValidationError(r.source, r.at(key), f"expected [start, end], got {preview(raw)}")
    pair = Reader({"start": raw[0], "end": raw[1]}, r.at(key), r.source)
    return pair.int("start"), pair.int("end")


# -- the v1.1 tweet body (x.v1 and x.archive) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class LegacyBody:
    """What a v1.1-shaped tweet says, without its author or embedded tweets."""

    text: str
    entities: tuple[Entity, ...]
    links: tuple[str, ...]
    media: tuple[Media, ...]
    reply_to: str | None
    quoted_id: str | None


def legacy_body(status: Reader, ctx: ParseContext) -> LegacyBody:
    """Text, entities, links, media and the ids it replies to / quotes, of a v1.1 tweet."""
    source = status.opt_obj("extended_tweet") or status
    if source is not status:
        text = source.str("full_text")
    elif status.has("full_text"):
        text = status.str("full_text")
    else:
        text = status.str("text")
    found = Entities.of(text)
    entities = source.opt_obj("entities")
    if entities is not None:
        _legacy_entities(entities, found)
    return LegacyBody(
        text=text,
        entities=found.entities(),
        links=found.links(),
        media=tuple(legacy_media(source, ctx)),
        reply_to=status.opt_str("in_reply_to_status_id_str") or None,
        quoted_id=status.opt_str("quoted_status_id_str") or None,
    )


def _legacy_entities(block: Reader, found: Entities) -> None:
    for e in block.objs("hashtags"):
        found.add(e, "indices", "hashtag", indices(e))
    for e in block.objs("symbols"):
        found.add(e, "indices", "cashtag", indices(e))
    for e in block.objs("user_mentions"):
        found.add(e, "indices", "mention", indices(e), e.opt_str("id_str"))
    for e in block.objs("urls"):
        found.add(e, "indices", "url", indices(e), e.opt_str("expanded_url"))
    for e in block.objs("media"):
        found.add(e, "indices", "url", indices(e), e.opt_str("expanded_url"))


def _media_entries(source: Reader) -> Sequence[Reader]:
    extended = source.opt_obj("extended_entities")
    if extended is not None and extended.list("media"):
        return list(extended.objs("media"))
    entities = source.opt_obj("entities")
    return list(entities.objs("media")) if entities is not None else []


def legacy_media(source: Reader, ctx: ParseContext) -> list[Media]:
    """One :class:`Media` per ``extended_entities.media`` entry (else ``entities.media``)."""
    out: list[Media] = []
    for m in _media_entries(source):
        original = m.opt_obj("original_info")
        video = m.opt_obj("video_info")
        millis = video.opt_int("duration_millis") if video is not None else None
        out.append(
            Media(
                ref=media_ref(m, ctx, built_media_key(m)),
                media_kind=media_kind(m),
                url=m.opt_str("media_url_https") or m.opt_str("media_url"),
                width=original.opt_int("width") if original is not None else None,
                height=original.opt_int("height") if original is not None else None,
                duration_s=millis / 1000 if millis is not None else None,
            )
        )
    return out
