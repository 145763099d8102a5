"""X API v1.1 statuses: one status, a list of them, or a search response (``statuses``).

A v1.1 status embeds its author (``user``) and, for a retweet or a quote, the whole tweet it
carries (``retweeted_status``, ``quoted_status``). Every embedded tweet becomes an item of its own
with its own author; the user becomes an :class:`Account` (``screen_name`` as the handle).

Quirks this module follows:

- ids are read from ``id_str`` (``id`` is a 64-bit integer that JavaScript and float parsers
  round); ``created_at`` is ``Tue Feb 09 22:48:55 +0000 2021``;
- a retweet is a pure share: the carrier has no text (its ``RT @user: …`` text is X's cut-down
  rendering of the original), no entities, links or media, and one ``share`` origin; the original
  is emitted from ``retweeted_status``. A ``quoted_status`` next to a ``retweeted_status`` belongs
  to the original and is emitted, not linked, from the carrier;
- ``quoted_status`` is a ``quote`` origin (emitted); ``quoted_status_id_str`` alone (the quoted
  tweet unavailable) is linked but not emitted; ``in_reply_to_status_id_str`` is a ``reply``
  origin known only by id;
- ``truncated: true`` statuses keep the text given (ending in ``… https://t.co/…``); the full text
  is read when present (``full_text``, ``extended_tweet.full_text``);
- an old-style manual retweet (text ``RT @…`` without ``retweeted_status``) is an ordinary post;
- ``place`` and engagement counts are not content and are not read.

An error body ``{"errors": [{"code", "message"}]}`` (rate limit 88, not found 34…) gives one
:class:`PlatformError` per entry, with the numeric code as a string.

Text, entities and media are read by :func:`nigehban.ingest.x_common.legacy_body`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from nigehban.ingest.base import ParseContext, ParseResult, PlatformError, Reader
from nigehban.ingest.x_common import (
    V1_TIME,
    account_ref,
    account_url,
    legacy_body,
    or_none,
    ordered_origins,
    post_ref,
    post_url,
)
from nigehban.model.items import Account, Origin, Post
from nigehban.model.refs import ItemRef, Platform, Relation, Surface

_MESSAGE_LIMIT = 300


def _is_status(value: object) -> bool:
    return (
        isinstance(value, Mapping)
        and isinstance(value.get("user"), Mapping)
        and isinstance(value.get("created_at"), str)
        and any(k in value for k in ("text", "full_text", "extended_tweet"))
    )


def _is_error_body(value: Mapping[str, Any]) -> bool:
    errors = value.get("errors")
    return (
        set(value) == {"errors"}
        and isinstance(errors, list)
        and bool(errors)
        and all(
            isinstance(e, Mapping) and isinstance(e.get("message"), str) and "code" in e
            for e in errors
        )
    )


class XV1Adapter:
    """X API v1.1 statuses (timelines, lookups, search) and v1.1 error bodies."""

    name: ClassVar[str] = "x.v1"
    platform: ClassVar[Platform] = Platform.X

    def sniff(self, payload: object) -> bool:
        if isinstance(payload, list):
            return bool(payload) and all(_is_status(s) for s in payload)
        if not isinstance(payload, Mapping):
            return False
        if "statuses" in payload:
            return isinstance(payload.get("statuses"), list) and isinstance(
                payload.get("search_metadata"), Mapping
            )
        return _is_status(payload) or _is_error_body(payload)

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        result = ParseResult()
        if isinstance(payload, list):
            statuses = [Reader(s, f"[{i}]", ctx.source) for i, s in enumerate(payload)]
        else:
            root = Reader(payload, "", ctx.source)
            if root.has("statuses"):
                statuses = list(root.objs("statuses"))
            elif root.has("errors") and not root.has("user"):
                for e in root.objs("errors"):
                    code = e.opt_id("code") or "unknown"
                    message = e.str("message")[:_MESSAGE_LIMIT]
                    result.errors.append(PlatformError(e.path, code, message))
                return result
            else:
                statuses = [root]
        for status in statuses:
            _Statuses(ctx, result).add(status)
        return result


def add_status(status: Reader, ctx: ParseContext, result: ParseResult) -> ItemRef:
    """Add one v1.1 status, its author and every tweet it embeds to ``result``."""
    return _Statuses(ctx, result).add(status)


class _Statuses:
    """Adds a status, its author and every tweet it embeds to one result."""

    def __init__(self, ctx: ParseContext, result: ParseResult) -> None:
        self.ctx = ctx
        self.result = result

    def add(self, s: Reader) -> ItemRef:
        ref = post_ref(s, self.ctx, s.str("id_str"))
        user = s.obj("user")
        author = self._account(user)
        username = user.opt_str("screen_name")
        created = s.time("created_at", V1_TIME)
        url = post_url(ref.scoped_id, username)
        retweeted = s.opt_obj("retweeted_status")
        quoted = s.opt_obj("quoted_status")
        quoted_ref = self.add(quoted) if quoted is not None else None
        if retweeted is not None:
            origin = self.add(retweeted)
            self.result.add(
                Post(
                    ref=ref,
                    surface=Surface.PUBLIC,
                    author=author,
                    origins=(Origin(Relation.SHARE, origin),),
                    created_at=created,
                    url=url,
                )
            )
            return ref
        body = legacy_body(s, self.ctx)
        origins: list[Origin] = []
        if quoted_ref is not None:
            origins.append(Origin(Relation.QUOTE, quoted_ref))
        elif body.quoted_id is not None:
            origins.append(Origin(Relation.QUOTE, post_ref(s, self.ctx, body.quoted_id)))
        if body.reply_to is not None:
            origins.append(Origin(Relation.REPLY, post_ref(s, self.ctx, body.reply_to)))
        for media in body.media:
            self.result.add(media)
        self.result.add(
            Post(
                ref=ref,
                surface=Surface.PUBLIC,
                text=body.text,
                entities=body.entities,
                author=author,
                origins=ordered_origins(origins),
                media=tuple(m.ref for m in body.media),
                links=body.links,
                created_at=created,
                url=url,
                lang_hint=s.opt_str("lang"),
            )
        )
        return ref

    def _account(self, user: Reader) -> ItemRef:
        ref = account_ref(user, self.ctx, user.str("id_str"))
        handle = user.opt_str("screen_name")
        self.result.add(
            Account(
                ref=ref,
                handle=handle,
                display_name=or_none(user.opt_str("name")),
                bio=or_none(user.opt_str("description")),
                avatar_url=user.opt_str("profile_image_url_https")
                or user.opt_str("profile_image_url"),
                verified=user.opt_bool("verified"),
                created_at=user.time("created_at", V1_TIME),
                url=account_url(handle),
            )
        )
        return ref
