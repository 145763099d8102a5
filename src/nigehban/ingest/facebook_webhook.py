"""Facebook Page webhooks (``object: "page"``): feed and mention changes, Messenger events.

``{object: "page", entry: [{id, time, changes: [{field, value}]} | {id, time, messaging: [...]}]}``

**Feed and mention changes** (``value{item, verb, post_id, comment_id, parent_id, message,
from{id, name} | sender_id + sender_name, created_time, photo, photos, photo_id, video_id,
link, …}``). ``created_time`` and ``entry.time`` are Unix seconds; ids may be JSON numbers.

* ``verb: add`` of a status, post, photo, video, share, album or comment (a reply is a comment
  whose ``parent_id`` is a comment) is a public post: a post's id is ``post_id``, a comment's is
  ``comment_id`` with a reply origin to ``parent_id`` (else to ``post_id``, the post it is on).
  The container is the owner part of ``post_id`` (the page, or the profile a mention came from).
  ``photo`` / ``photos[]`` URLs become image media keyed by URL; ``photo_id`` / ``video_id`` are
  media ids whose URL is ``link`` when the item is that photo or video; any other ``link`` (a
  share) goes to ``links``. ``share_id`` is the shared post's own object id and adds nothing.
* ``verb: edited`` and ``verb: edit`` (both occur) are revisions: ``created_at`` stays the
  ``created_time`` the platform gives and ``edited_at`` is ``entry.time``, when Facebook
  reported the change — in ``webhook_feed_status_edited`` ``created_time`` is 25 s before
  ``entry.time``; the edit is not older than its report.
* ``verb: remove`` is a tombstone of the comment or post, at ``entry.time``.
* ``hide`` / ``unhide``, reactions and likes, other verbs and other items are skipped with the
  reason; fields other than ``feed`` and ``mention`` are skipped as unknown.

**Messenger** (``messaging[]``: ``sender``, ``recipient``, ``timestamp`` in milliseconds):
``message`` (``mid``, ``text``, ``attachments[{type, payload{url}}]``, ``reply_to.mid``) is a
private post; ``message_edit`` a revision of it; deliveries, reads, reactions, postbacks and
other events carry no message and are skipped. ``standby`` (handover) events are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any, ClassVar

from nigehban.ingest.base import ParseContext, ParseResult, Reader, Skip, Tombstone
from nigehban.ingest.facebook_common import (
    PLATFORM,
    add_author,
    container_of,
    ref,
    str_list,
    url_media_id,
)
from nigehban.model.items import Account, Media, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface

REMOVED = "removed on Facebook"
_CONTENT_FIELDS = frozenset({"feed", "mention"})
_CONTENT_ITEMS = frozenset(
    {"status", "post", "photo", "video", "share", "album", "comment", "reply"}
)
_COMMENT_ITEMS = frozenset({"comment", "reply"})
_REACTION_ITEMS = frozenset({"reaction", "like"})
_ADD_VERBS = frozenset({"add"})
_EDIT_VERBS = frozenset({"edited", "edit"})
_MESSENGER_MEDIA = {
    "image": MediaKind.IMAGE,
    "video": MediaKind.VIDEO,
    "audio": MediaKind.AUDIO,
    "file": MediaKind.DOCUMENT,
}
_MESSENGER_NO_CONTENT = {
    "delivery": "delivery receipt, no content",
    "read": "read receipt, no content",
    "reaction": "reaction, no content",
    "postback": "button press (postback), no content",
    "optin": "opt-in event, no content",
    "referral": "referral event, no content",
}


class FacebookWebhookAdapter:
    """Page webhooks: feed and mention changes, Messenger messaging events."""

    name: ClassVar[str] = "facebook.webhook"
    platform: ClassVar[Platform] = PLATFORM

    def sniff(self, payload: object) -> bool:
        return (
            isinstance(payload, Mapping)
            and payload.get("object") == "page"
            and isinstance(payload.get("entry"), list)
        )

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        result = ParseResult()
        root = Reader(payload, "", ctx.source)
        for entry in root.objs("entry"):
            for change in entry.objs("changes"):
                self._change(entry, change, ctx, result)
            for event in entry.objs("messaging"):
                self._messaging(event, ctx, result)
            for i, _ in enumerate(entry.list("standby")):
                where = f"{entry.path}.standby[{i}]"
                result.skipped.append(Skip(where, "standby (handover) event, not read"))
        return result

    # -- feed and mention changes --------------------------------------------------------------

    def _change(
        self, entry: Reader, change: Reader, ctx: ParseContext, result: ParseResult
    ) -> None:
        where = change.path
        field = change.str("field")
        if field not in _CONTENT_FIELDS:
            result.skipped.append(Skip(where, f"unknown webhook field '{field}'"))
            return
        value = change.obj("value")
        item = value.str("item")
        verb = value.str("verb")
        if item in _REACTION_ITEMS:
            result.skipped.append(Skip(where, f"{item}, no content"))
        elif item not in _CONTENT_ITEMS:
            result.skipped.append(Skip(where, f"unsupported {field} item '{item}'"))
        elif verb == "remove":
            target = self._own_ref(value, item, ctx)
            result.tombstones.append(Tombstone(target, entry.unix_time("time"), REMOVED))
        elif verb in ("hide", "unhide"):
            result.skipped.append(Skip(where, f"{item} {verb}: visibility change, no content"))
        elif verb in _ADD_VERBS or verb in _EDIT_VERBS:
            edited_at = entry.unix_time("time") if verb in _EDIT_VERBS else None
            self._content(value, item, edited_at, ctx, result)
        else:
            result.skipped.append(
                Skip(where, f"unsupported verb '{verb}' for {field} item '{item}'")
            )

    def _own_ref(self, value: Reader, item: str, ctx: ParseContext) -> ItemRef:
        key = "comment_id" if item in _COMMENT_ITEMS else "post_id"
        return ref(value, ctx, ItemKind.POST, value.id(key))

    def _content(
        self,
        value: Reader,
        item: str,
        edited_at: datetime | None,
        ctx: ParseContext,
        result: ParseResult,
    ) -> None:
        post_id = value.opt_id("post_id")
        own = self._own_ref(value, item, ctx)
        origins: tuple[Origin, ...] = ()
        if item in _COMMENT_ITEMS:
            parent = value.opt_id("parent_id") or post_id
            if parent is not None:
                origins = (Origin(Relation.REPLY, ref(value, ctx, ItemKind.POST, parent)),)

        media: list[ItemRef] = []
        links: list[str] = []

        def add(media_id: str, kind: MediaKind, url: str | None) -> None:
            item_ref = ref(value, ctx, ItemKind.MEDIA, media_id)
            result.add(Media(item_ref, kind, url=url))
            if item_ref not in media:
                media.append(item_ref)

        link = value.opt_str("link")
        photo_id = value.opt_id("photo_id")
        video_id = value.opt_id("video_id")
        if item == "photo" and link and photo_id is None:
            photo_id = url_media_id(link)
        if item == "video" and link and video_id is None:
            video_id = url_media_id(link)
        if photo_id is not None:
            add(photo_id, MediaKind.IMAGE, link if item == "photo" else None)
        if video_id is not None:
            add(video_id, MediaKind.VIDEO, link if item == "video" else None)
        for url in [value.opt_str("photo"), *str_list(value, "photos")]:
            if url:
                add(url_media_id(url), MediaKind.IMAGE, url)
        video_url = value.opt_str("video")
        if video_url:
            add(url_media_id(video_url), MediaKind.VIDEO, video_url)
        if link and item not in ("photo", "video"):
            links.append(link)

        result.add(
            Post(
                ref=own,
                surface=Surface.PUBLIC,
                text=value.opt_str("message"),
                author=self._author(value, ctx, result),
                container=container_of(post_id) if post_id else None,
                origins=origins,
                media=tuple(media),
                links=tuple(links),
                created_at=value.unix_time("created_time"),
                edited_at=edited_at,
            )
        )

    def _author(self, value: Reader, ctx: ParseContext, result: ParseResult) -> ItemRef | None:
        sender = value.opt_obj("from")
        if sender is not None:
            return add_author(sender, ctx, result)
        sender_id = value.opt_id("sender_id")
        if sender_id is None:
            return None
        author = ref(value, ctx, ItemKind.ACCOUNT, sender_id)
        result.add(Account(ref=author, display_name=value.opt_str("sender_name")))
        return author

    # -- Messenger -----------------------------------------------------------------------------

    def _messaging(self, event: Reader, ctx: ParseContext, result: ParseResult) -> None:
        message = event.opt_obj("message")
        edit = event.opt_obj("message_edit")
        if message is None and edit is None:
            kinds = sorted(k for k in event.data if k not in ("sender", "recipient", "timestamp"))
            kind = kinds[0] if kinds else "event"
            reason = _MESSENGER_NO_CONTENT.get(kind, f"Messenger '{kind}' event, no message")
            result.skipped.append(Skip(event.path, reason))
            return
        sender = event.obj("sender")
        author = ref(sender, ctx, ItemKind.ACCOUNT, sender.id("id"))
        result.add(Account(ref=author))
        sent_at = event.unix_millis("timestamp")
        if message is not None:
            self._message(message, author, sent_at, ctx, result)
        elif edit is not None:
            result.add(
                Post(
                    ref=ref(edit, ctx, ItemKind.POST, edit.id("mid")),
                    surface=Surface.PRIVATE,
                    text=edit.opt_str("text"),
                    author=author,
                    edited_at=sent_at,
                )
            )

    def _message(
        self,
        message: Reader,
        author: ItemRef,
        sent_at: datetime | None,
        ctx: ParseContext,
        result: ParseResult,
    ) -> None:
        media: list[ItemRef] = []
        links: list[str] = []
        for attachment in message.objs("attachments"):
            kind_name = attachment.opt_str("type") or ""
            payload = attachment.opt_obj("payload")
            url = payload.opt_str("url") if payload is not None else None
            url = url or attachment.opt_str("url")
            if kind_name == "fallback":
                if url and url not in links:
                    links.append(url)
                continue
            kind = _MESSENGER_MEDIA.get(kind_name)
            if kind is None or not url:
                continue  # location pins and templates carry no media
            if kind is MediaKind.IMAGE and payload is not None and payload.has("sticker_id"):
                kind = MediaKind.STICKER
            item_ref = ref(attachment, ctx, ItemKind.MEDIA, url_media_id(url))
            result.add(Media(item_ref, kind, url=url))
            if item_ref not in media:
                media.append(item_ref)
        reply_to = message.opt_obj("reply_to")
        origins: tuple[Origin, ...] = ()
        if reply_to is not None:
            origins = (
                Origin(Relation.REPLY, ref(reply_to, ctx, ItemKind.POST, reply_to.id("mid"))),
            )
        result.add(
            Post(
                ref=ref(message, ctx, ItemKind.POST, message.id("mid")),
                surface=Surface.PRIVATE,
                text=message.opt_str("text"),
                author=author,
                origins=origins,
                media=tuple(media),
                links=tuple(links),
                created_at=sent_at,
            )
        )
