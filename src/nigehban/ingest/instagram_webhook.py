"""Instagram webhooks (``object: instagram``): comment notifications and direct messages.

The envelope is ``{object: "instagram", entry[{id, time, changes[{field, value}] |
messaging[]}]}``. ``entry.id`` is the business account notified; ``entry.time`` is when Meta
sent the notification (Unix seconds for ``changes``, milliseconds for ``messaging``) — not when
anything was written — so it is not used as a creation time.

``changes[]`` by ``field``:

- ``comments`` / ``live_comments``: an IG Comment, parsed as the Graph object is (see
  :mod:`nigehban.ingest.instagram_graph`). The 2021+ shape has ``id``, ``text``,
  ``from{id, username}``, ``media{id, media_product_type}`` and ``parent_id`` (a reply to that
  comment; otherwise the comment replies to the media); the legacy shape has only ``id`` and
  ``text``, giving a post without author or origin. Neither carries a time.
- ``mentions``: only ``comment_id`` / ``media_id`` — the text must be fetched through the Graph
  API's ``mentioned_comment`` / ``mentioned_media``; skipped with that reason.
- ``messages`` (what the App Dashboard's test button sends): one messaging event as ``value``.
- anything else (``story_insights``…): skipped with the field's name.

``messaging[]`` events are Messenger-style: ``sender.id``, ``recipient.id``, ``timestamp`` in
milliseconds, and one of ``message``, ``message_edit``, ``reaction``, ``read``, ``postback``,
``referral``. A message is a :class:`Post` with ``Surface.PRIVATE`` (always emitted; whether it
is stored is the ingest workflow's decision): id = ``message.mid``, author = ``sender.id``, text
= ``message.text``. ``reply_to.mid`` is a reply to that message, ``reply_to.story{id, url}`` a
reply to a story, which becomes a post of its own with its URL as a media item. Attachments
(``payload.url``) are :class:`Media` items identified, having no id, like Facebook's by
``url:`` + SHA-256 of the URL (``reel_video_id`` for reels). An ``unsupported_type`` attachment
still carries a lookaside URL: it is kept as media of kind ``other`` on a post without text —
the message is content the platform could not describe, not an event without content.
``is_deleted`` is a :class:`Tombstone`; ``message_edit`` a new revision with ``edited_at``;
reactions, read receipts, postbacks and referrals are skipped with a reason.

The test messages the App Dashboard sends carry ``timestamp`` in seconds, as a string; a
timestamp below 10^11 is read as seconds (10^11 milliseconds is March 1973).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any, ClassVar

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult, Reader, Skip, Tombstone
from nigehban.ingest.instagram_graph import PLATFORM, author, comment, ref, story, url_media_id
from nigehban.model.items import Media, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface

OBJECT = "instagram"
MENTION_REASON = "mention notification without content (fetch the comment or media)"
_SECONDS_BELOW = 10**11

_ATTACHMENT_KINDS = {
    "image": MediaKind.IMAGE,
    "video": MediaKind.VIDEO,
    "audio": MediaKind.AUDIO,
    "file": MediaKind.DOCUMENT,
    "animated_image": MediaKind.ANIMATION,
    "ig_reel": MediaKind.VIDEO,
    "reel": MediaKind.VIDEO,
}

_EVENTS_WITHOUT_CONTENT = {
    "reaction": "message reaction, no content",
    "read": "read receipt, no content",
    "postback": "postback (a button the business defined), no content",
    "referral": "referral (an ad or link that opened the chat), no content",
    "optin": "messaging opt-in, no content",
}


def _time(r: Reader, key: str) -> datetime | None:
    """Messaging ``timestamp``: milliseconds (seconds below 10^11, see the module docstring)."""
    value = r.opt_int(key, within_64_bits=False)
    if value is None:
        return None
    try:
        if 0 <= value < _SECONDS_BELOW:
            return datetime.fromtimestamp(value, UTC)
        return datetime.fromtimestamp(value // 1000, UTC) + timedelta(milliseconds=value % 1000)
    except (OverflowError, OSError, ValueError):
        raise ValidationError(
            r.source, f"{r.path}.{key}", f"{value} is not a Unix time in milliseconds"
        ) from None


def _attachment(a: Reader, ctx: ParseContext, out: ParseResult, links: list[str]) -> ItemRef | None:
    kind_name = a.str("type")
    payload = a.opt_obj("payload")
    if payload is None:
        return None
    url = payload.opt_str("url")
    if kind_name == "fallback":
        if url:
            links.append(url)
        return None
    given_id = payload.opt_id("reel_video_id")
    if given_id is None and not url:
        return None
    media_ref = ref(payload, ctx, ItemKind.MEDIA, given_id or url_media_id(url or ""))
    out.add(Media(media_ref, _ATTACHMENT_KINDS.get(kind_name, MediaKind.OTHER), url=url or None))
    return media_ref


def _message(event: Reader, m: Reader, ctx: ParseContext, out: ParseResult) -> None:
    post = ref(m, ctx, ItemKind.POST, m.id("mid"))
    when = _time(event, "timestamp")
    if m.opt_bool("is_deleted"):
        out.tombstones.append(Tombstone(post, when, "message deleted by its sender"))
        return
    by = author(event.obj("sender"), ctx, out)
    origins: tuple[Origin, ...] = ()
    reply_to = m.opt_obj("reply_to")
    if reply_to is not None:
        about = reply_to.opt_obj("story")
        if about is not None:
            origins = (Origin(Relation.REPLY, story(about, ctx, out, "url")),)
        elif reply_to.has("mid"):
            origins = (
                Origin(Relation.REPLY, ref(reply_to, ctx, ItemKind.POST, reply_to.id("mid"))),
            )
    links: list[str] = []
    pictures: list[ItemRef] = []
    for a in m.objs("attachments"):
        found = _attachment(a, ctx, out, links)
        if found is not None:
            pictures.append(found)
    out.add(
        Post(
            post,
            Surface.PRIVATE,
            text=m.opt_str("text") or None,
            author=by,
            origins=origins,
            media=tuple(pictures),
            links=tuple(links),
            created_at=when,
        )
    )


def _edit(event: Reader, m: Reader, ctx: ParseContext, out: ParseResult) -> None:
    out.add(
        Post(
            ref(m, ctx, ItemKind.POST, m.id("mid")),
            Surface.PRIVATE,
            text=m.opt_str("text") or None,
            author=author(event.obj("sender"), ctx, out),
            edited_at=_time(event, "timestamp"),
        )
    )


def _event(event: Reader, ctx: ParseContext, out: ParseResult) -> None:
    """One ``messaging[]`` event."""
    found = event.opt_obj("message")
    if found is not None:
        _message(event, found, ctx, out)
        return
    found = event.opt_obj("message_edit")
    if found is not None:
        _edit(event, found, ctx, out)
        return
    for key, reason in _EVENTS_WITHOUT_CONTENT.items():
        if event.has(key):
            out.skipped.append(Skip(event.path, reason))
            return
    out.skipped.append(Skip(event.path, "messaging event without a message"))


def _change(change: Reader, ctx: ParseContext, out: ParseResult) -> None:
    field = change.str("field")
    if field in ("comments", "live_comments"):
        comment(change.obj("value"), ctx, out)
    elif field == "mentions":
        out.skipped.append(Skip(change.path, MENTION_REASON))
    elif field == "messages":
        _event(change.obj("value"), ctx, out)
    else:
        out.skipped.append(Skip(change.path, f"{field!r} notification, not content"))


class InstagramWebhookAdapter:
    """``instagram.webhook``: Instagram webhook bodies, ``changes[]`` and ``messaging[]``."""

    name: ClassVar[str] = "instagram.webhook"
    platform: ClassVar[Platform] = PLATFORM

    def sniff(self, payload: object) -> bool:
        return (
            isinstance(payload, Mapping)
            and payload.get("object") == OBJECT
            and isinstance(payload.get("entry"), list)
        )

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        out = ParseResult()
        root = Reader(payload, "", ctx.source)
        if root.str("object") != OBJECT:
            raise ValidationError(ctx.source, "object", f"expected {OBJECT!r}")
        if not root.has("entry"):
            raise ValidationError(ctx.source, "entry", "is missing")
        for entry in root.objs("entry"):
            for change in entry.objs("changes"):
                _change(change, ctx, out)
            for event in entry.objs("messaging"):
                _event(event, ctx, out)
        return out
