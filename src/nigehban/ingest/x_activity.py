"""X Account Activity API webhook deliveries.

A delivery names the subscribed account (``for_user_id``) and carries one kind of event list:

- ``tweet_create_events``: v1.1 statuses (read as ``x.v1`` reads them: retweets, quotes,
  replies, embedded originals and authors become items);
- ``tweet_delete_events``: ``{"status": {"id", "user_id"}, "timestamp_ms"}`` → a tombstone;
- ``direct_message_events``: ``message_create`` events → private posts (``users`` gives the
  accounts); ids are the event ids, times ``created_timestamp`` in milliseconds; entity
  ``indices`` count code points, as in v1.1;
- favourites, follows, blocks, mutes, typing and read indicators, revocations: skipped with the
  reason, since they carry no content.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from nigehban.ingest.base import ParseContext, ParseResult, Reader, Skip, Tombstone
from nigehban.ingest.x_common import (
    Entities,
    account_ref,
    account_url,
    indices,
    or_none,
    post_ref,
)
from nigehban.ingest.x_v1 import add_status
from nigehban.model.items import Account, Post
from nigehban.model.refs import Platform, Surface

CONTENTLESS = {
    "favorite_events": "like, no content",
    "follow_events": "follow, no content",
    "unfollow_events": "unfollow, no content",
    "block_events": "block, no content",
    "unblock_events": "unblock, no content",
    "mute_events": "mute, no content",
    "unmute_events": "unmute, no content",
    "user_event": "authorisation revoked, no content",
    "direct_message_indicate_typing_events": "typing indicator, no content",
    "direct_message_mark_read_events": "read receipt, no content",
}
CONTENT = ("tweet_create_events", "tweet_delete_events", "direct_message_events")


class XActivityAdapter:
    name: ClassVar[str] = "x.activity"
    platform: ClassVar[Platform] = Platform.X

    def sniff(self, payload: object) -> bool:
        if not isinstance(payload, Mapping) or not isinstance(payload.get("for_user_id"), str):
            return False
        return any(k in payload for k in (*CONTENT, *CONTENTLESS))

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        root = Reader(payload, "", ctx.source)
        root.str("for_user_id")
        result = ParseResult()
        for status in root.objs("tweet_create_events"):
            add_status(status, ctx, result)
        for event in root.objs("tweet_delete_events"):
            status = event.obj("status")
            result.tombstones.append(
                Tombstone(
                    post_ref(status, ctx, status.id("id")),
                    event.unix_millis("timestamp_ms"),
                    "deleted on X",
                )
            )
        users = root.opt_obj("users")
        for event in root.objs("direct_message_events"):
            self._direct_message(event, users, ctx, result)
        for key, reason in CONTENTLESS.items():
            value = root.raw(key)
            if isinstance(value, list):
                result.skipped.extend(Skip(f"{key}[{i}]", reason) for i in range(len(value)))
            elif value is not None:
                result.skipped.append(Skip(key, reason))
        return result

    def _direct_message(
        self, event: Reader, users: Reader | None, ctx: ParseContext, result: ParseResult
    ) -> None:
        kind = event.str("type")
        if kind != "message_create":
            result.skipped.append(Skip(event.path, f"direct message event {kind!r}, no content"))
            return
        create = event.obj("message_create")
        sender_id = create.id("sender_id")
        author = account_ref(create, ctx, sender_id)
        if users is not None and users.has(sender_id):
            user = users.obj(sender_id)
            handle = user.opt_str("screen_name")
            result.add(
                Account(
                    ref=author,
                    handle=handle,
                    display_name=or_none(user.opt_str("name")),
                    bio=or_none(user.opt_str("description")),
                    avatar_url=user.opt_str("profile_image_url_https"),
                    verified=user.opt_bool("verified"),
                    url=account_url(handle),
                )
            )
        data = create.obj("message_data")
        text = data.str("text")
        found = Entities.of(text)
        entities = data.opt_obj("entities")
        if entities is not None:
            for e in entities.objs("hashtags"):
                found.add(e, "indices", "hashtag", indices(e))
            for e in entities.objs("user_mentions"):
                found.add(e, "indices", "mention", indices(e), e.opt_str("id_str"))
            for e in entities.objs("urls"):
                found.add(e, "indices", "url", indices(e), e.opt_str("expanded_url"))
        result.add(
            Post(
                ref=post_ref(event, ctx, event.str("id")),
                surface=Surface.PRIVATE,
                text=text,
                entities=found.entities(),
                author=author,
                links=found.links(),
                created_at=event.unix_millis("created_timestamp"),
            )
        )
