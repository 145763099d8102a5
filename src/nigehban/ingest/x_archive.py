"""X archive ``tweets.js``: the account owner's own tweets from "Download an archive of your data".

The file is JavaScript, ``window.YTD.tweets.part0 = [ {"tweet": {...}}, ... ]`` (later parts
``part1``, ``part2``…); :mod:`nigehban.ingest.sources` strips the assignment, so the payload this
adapter sees is the list. Archives before 2020 (``window.YTD.tweet.part0``) list the tweet
objects bare, without the ``"tweet"`` wrapper; both forms are read.

Each tweet is a v1.1 tweet without ``user``: ``id_str``, ``full_text``, ``created_at`` in the
v1.1 form, ``entities`` / ``extended_entities`` with ``indices`` counting code points,
``in_reply_to_status_id_str``, ``lang``. Numbers are written as strings (``"indices": ["0",
"9"]``, ``"id": "1234"``, ``"duration_millis": "15015"``); ids are read from ``id_str``.

The owner is not named in ``tweets.js`` (their account is in ``account.js``, a separate payload),
so items have no author and their URL is ``https://x.com/i/status/<id>``. A retweet in an archive
has no ``retweeted_status``: it is the text ``RT @user: …`` and is kept as an ordinary post with
that text. Replies link to ``in_reply_to_status_id_str`` (not emitted); media become
:class:`~nigehban.model.items.Media` items keyed ``3_`` / ``7_`` / ``16_`` + ``id_str``.
Everything is public.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult, Reader
from nigehban.ingest.x_common import V1_TIME, legacy_body, ordered_origins, post_ref, post_url
from nigehban.model.items import Origin, Post
from nigehban.model.refs import Platform, Relation, Surface

WRAPPER = "tweet"


def _is_entry(value: object) -> bool:
    if not isinstance(value, Mapping):
        return False
    if WRAPPER in value:
        return isinstance(value[WRAPPER], Mapping)
    # a bare (pre-2020) archive tweet: a v1.1 tweet with full_text but no user
    return (
        "user" not in value
        and isinstance(value.get("id_str"), str)
        and isinstance(value.get("full_text"), str)
        and isinstance(value.get("created_at"), str)
    )


class XArchiveAdapter:
    """The tweets of an X archive part (``tweets.js``)."""

    name: ClassVar[str] = "x.archive"
    platform: ClassVar[Platform] = Platform.X

    def sniff(self, payload: object) -> bool:
        return isinstance(payload, list) and bool(payload) and all(_is_entry(e) for e in payload)

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        if not isinstance(payload, list):
            raise ValidationError(ctx.source, "$", "expected the list of an archive part")
        result = ParseResult()
        for i, raw in enumerate(payload):
            entry = Reader(raw, f"[{i}]", ctx.source)
            tweet = entry.obj(WRAPPER) if WRAPPER in entry.data else entry
            self._add(tweet, ctx, result)
        return result

    def _add(self, t: Reader, ctx: ParseContext, result: ParseResult) -> None:
        ref = post_ref(t, ctx, t.str("id_str"))
        body = legacy_body(t, ctx)
        origins: list[Origin] = []
        if body.quoted_id is not None:
            origins.append(Origin(Relation.QUOTE, post_ref(t, ctx, body.quoted_id)))
        if body.reply_to is not None:
            origins.append(Origin(Relation.REPLY, post_ref(t, ctx, body.reply_to)))
        for media in body.media:
            result.add(media)
        result.add(
            Post(
                ref=ref,
                surface=Surface.PUBLIC,
                text=body.text,
                entities=body.entities,
                origins=ordered_origins(origins),
                media=tuple(m.ref for m in body.media),
                links=body.links,
                created_at=t.time("created_at", V1_TIME),
                url=post_url(ref.scoped_id, None),
                lang_hint=t.opt_str("lang"),
            )
        )
