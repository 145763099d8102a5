"""Telegram Bot API updates → items.

A payload is one ``Update`` (``update_id`` plus exactly one field naming what happened), a list
of them, the ``getUpdates`` response ``{"ok": true, "result": [Update, …]}``, or a Bot API error
body ``{"ok": false, "error_code", "description"}`` (a :class:`PlatformError`).

- ``message``, ``channel_post``, ``business_message`` and their ``edited_*`` twins carry a
  ``Message``; its post id is ``chat.id/message_id`` (message ids are only unique inside a chat,
  so two channels' message 7 are two posts). The surface comes from ``chat.type``. ``edited_*``
  messages carry ``edit_date`` → ``edited_at``; one without it (a synthetic fixture) keeps
  ``edited_at`` empty rather than guessing a time.
- The author is ``sender_chat`` when present (a channel post, an anonymous group admin, a channel
  speaking in its discussion group: the chat speaks as itself), else the ``from`` user; ``from``
  is optional. A channel post with neither (old payloads) is authored by the channel.
- Text is ``text`` or, on media, ``caption``; ``entities`` / ``caption_entities`` count UTF-16
  code units and are converted to code points. ``text_link`` keeps its hidden ``url``,
  ``text_mention`` the mentioned user's id, ``custom_emoji`` its id.
- Media: ``photo`` is a list of sizes of one picture; the largest (area, then bytes) is kept.
  ``animation`` messages repeat the file as ``document``; the duplicate is dropped. Thumbnails
  (``thumb`` before Bot API 6.6, ``thumbnail`` after) are not media items. A media item's id is
  ``file_unique_id`` (the same for every bot), else the bot-specific ``file_id`` (2017 payloads).
- Forwards (``forward_origin`` since Bot API 7.0; ``forward_from``, ``forward_from_chat``,
  ``forward_from_message_id``, ``forward_sender_name``, ``forward_date`` before) are pure
  shares: the carried text and media go on the origin post, the carrier keeps neither. An origin
  in a channel with a message id is ``chat_id/message_id``; any other (a user, a hidden user, a
  group speaking anonymously) gets a content-addressed stand-in id, and, where its own chat is
  unknown, the carrier's surface (the text was at least said there).
- ``reply_to_message`` is emitted as its own post and linked as the ``reply`` origin. A reply
  target that carries no content — the ``forum_topic_created`` service message every message of
  a forum topic points to — is skipped and not linked. ``external_reply`` (a reply to another
  chat) is linked by id when it gives one.
- Reactions, button presses, poll answers, membership changes and other contentless updates are
  skipped with a reason; ``deleted_business_messages`` become tombstones.
- A post in a public channel or supergroup gets its public link ``https://t.me/<username>/<id>``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from nigehban.errors import ValidationError
from nigehban.ingest.base import (
    ParseContext,
    ParseResult,
    PlatformError,
    Reader,
    Skip,
    Tombstone,
    join_path,
)
from nigehban.ingest.telegram_common import (
    BOT_API_SURFACES,
    account_url,
    entity_links,
    public_post_url,
)
from nigehban.model.items import Account, Entity, Media, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface, stand_in_id
from nigehban.model.spans import utf16_to_codepoints
from nigehban.privacy.masking import preview

MESSAGE_UPDATES = frozenset(
    {
        "message",
        "edited_message",
        "channel_post",
        "edited_channel_post",
        "business_message",
        "edited_business_message",
    }
)
"""Update fields that carry a ``Message``."""

SKIPPED_UPDATES: dict[str, str] = {
    "message_reaction": "reaction, no content",
    "message_reaction_count": "reaction counts, no content",
    "callback_query": "button press, no content",
    "inline_query": "inline query, no content",
    "chosen_inline_result": "inline result choice, no content",
    "shipping_query": "shipping query, no content",
    "pre_checkout_query": "payment check, no content",
    "purchased_paid_media": "paid media purchase, no content",
    "poll": "poll state, no content",
    "poll_answer": "poll answer, no content",
    "my_chat_member": "membership change, no content",
    "chat_member": "membership change, no content",
    "chat_join_request": "join request, no content",
    "chat_boost": "chat boost, no content",
    "removed_chat_boost": "chat boost removed, no content",
    "business_connection": "business connection change, no content",
}
"""Update fields that are recognised and deliberately not ingested, with the reason."""

_MEDIA_FIELDS: tuple[tuple[str, MediaKind], ...] = (
    ("animation", MediaKind.ANIMATION),
    ("video", MediaKind.VIDEO),
    ("video_note", MediaKind.VIDEO),
    ("audio", MediaKind.AUDIO),
    ("voice", MediaKind.VOICE),
    ("sticker", MediaKind.STICKER),
    ("document", MediaKind.DOCUMENT),
)

_UNINGESTED_CONTENT = (
    "poll",
    "location",
    "venue",
    "contact",
    "dice",
    "game",
    "story",
    "invoice",
    "giveaway",
    "paid_media",
    "checklist",
)
"""Message content that is neither text nor a file; such a message without a caption is skipped."""

_SERVICE_FIELDS = (
    "new_chat_members",
    "left_chat_member",
    "new_chat_title",
    "new_chat_photo",
    "delete_chat_photo",
    "group_chat_created",
    "supergroup_chat_created",
    "channel_chat_created",
    "message_auto_delete_timer_changed",
    "migrate_to_chat_id",
    "migrate_from_chat_id",
    "pinned_message",
    "forum_topic_created",
    "forum_topic_edited",
    "forum_topic_closed",
    "forum_topic_reopened",
    "general_forum_topic_hidden",
    "general_forum_topic_unhidden",
    "video_chat_scheduled",
    "video_chat_started",
    "video_chat_ended",
    "video_chat_participants_invited",
    "write_access_allowed",
    "users_shared",
    "chat_shared",
    "boost_added",
    "chat_background_set",
    "proximity_alert_triggered",
    "successful_payment",
    "refunded_payment",
    "giveaway_created",
    "giveaway_winners",
    "giveaway_completed",
    "web_app_data",
    "connected_website",
    "passport_data",
)


class TelegramBotAdapter:
    name: ClassVar[str] = "telegram.bot"
    platform: ClassVar[Platform] = Platform.TELEGRAM

    def sniff(self, payload: object) -> bool:
        if isinstance(payload, list):
            return bool(payload) and all(_is_update(u) for u in payload)
        if not isinstance(payload, Mapping):
            return False
        if _is_update(payload) or _is_error(payload):
            return True
        result = payload.get("result")
        return (
            payload.get("ok") is True
            and set(payload) <= {"ok", "result"}
            and isinstance(result, list)
            and all(_is_update(u) for u in result)
        )

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        out = ParseResult()
        if isinstance(payload, list):
            updates = [Reader(u, f"[{i}]", ctx.source) for i, u in enumerate(payload)]
        else:
            root = Reader(payload, "", ctx.source)
            if "update_id" in root.data:
                updates = [root]
            elif root.raw("ok") is False:
                out.errors.append(_platform_error(root))
                return out
            elif root.raw("ok") is True:
                updates = list(root.objs("result"))
            else:
                raise ValidationError(
                    ctx.source, "$", "expected an Update (update_id) or a getUpdates response (ok)"
                )
        messages = _Messages(ctx, out)
        for update in updates:
            _parse_update(update, messages)
        return out


def _is_update(value: object) -> bool:
    if not isinstance(value, Mapping):
        return False
    update_id = value.get("update_id")
    if not isinstance(update_id, int) or isinstance(update_id, bool):
        return False
    fields = [k for k, v in value.items() if k != "update_id" and v is not None]
    return len(fields) == 1 and isinstance(value[fields[0]], Mapping)


def _is_error(value: Mapping[Any, Any]) -> bool:
    code = value.get("error_code")
    return (
        value.get("ok") is False
        and isinstance(code, int)
        and not isinstance(code, bool)
        and isinstance(value.get("description"), str)
    )


def _platform_error(root: Reader) -> PlatformError:
    message = root.str("description")
    parameters = root.opt_obj("parameters")
    retry_after = None if parameters is None else parameters.opt_int("retry_after")
    if retry_after is not None:
        message = f"{message} (retry after {retry_after} s)"
    return PlatformError("$", str(root.int("error_code")), message)


def _parse_update(update: Reader, messages: _Messages) -> None:
    update.int("update_id")
    fields = [k for k, v in update.data.items() if k != "update_id" and v is not None]
    if len(fields) != 1:
        raise ValidationError(
            update.source,
            update.path or "$",
            f"expected one update field besides update_id, got {len(fields)}: "
            f"{preview(', '.join(fields))}",
        )
    key = fields[0]
    where = join_path(update.path, key)
    out = messages.out
    if key in MESSAGE_UPDATES:
        messages.message(update.obj(key))
    elif key == "deleted_business_messages":
        deleted = update.obj(key)
        chat_id = deleted.obj("chat").id("id")
        for i, message_id in enumerate(deleted.list("message_ids")):
            if isinstance(message_id, bool) or not isinstance(message_id, int):
                raise ValidationError(
                    update.source, f"{where}.message_ids[{i}]", "expected a message id (integer)"
                )
            ref = messages.ref(deleted, ItemKind.POST, f"{chat_id}/{message_id}")
            out.tombstones.append(Tombstone(ref, None, "deleted in a business account's chat"))
    elif key in SKIPPED_UPDATES:
        out.skipped.append(Skip(where, SKIPPED_UPDATES[key]))
    else:
        out.skipped.append(Skip(where, f"update type {key}, not handled"))


@dataclass(frozen=True, slots=True)
class _Forward:
    """Where a forwarded message came from, in either the 7.0 or the legacy fields."""

    date: datetime | None
    chat: Reader | None = None
    message_id: str | None = None
    user: Reader | None = None


class _Messages:
    """Turns ``Message`` objects into items, appending them to one result."""

    def __init__(self, ctx: ParseContext, out: ParseResult) -> None:
        self.ctx = ctx
        self.out = out

    def ref(self, r: Reader, kind: ItemKind, scoped_id: str) -> ItemRef:
        return r.ref(self.ctx, Platform.TELEGRAM, kind, scoped_id)

    def message(self, m: Reader) -> ItemRef | None:
        """Emit a message's items; its ref, or ``None`` when it carries no content (skipped)."""
        chat = m.obj("chat")
        chat_id = chat.id("id")
        message_id = m.id("message_id")
        surface = _surface(chat)
        ref = self.ref(m, ItemKind.POST, f"{chat_id}/{message_id}")
        text, entities = _text(m)
        media = self.media(m)
        if text is None and not media:
            self.out.skipped.append(Skip(m.path or "$", _no_content_reason(m)))
            return None
        author = self.author(m, chat)
        media_refs = tuple(item.ref for item in media)
        origins: list[Origin] = []
        forward = _forward(m)
        if forward is not None:
            origin = self.forward_origin(m, forward, text, entities, media_refs, surface)
            origins.append(Origin(Relation.SHARE, origin))
            text, entities, media_refs = None, (), ()
        reply = m.opt_obj("reply_to_message")
        if reply is not None:
            replied = self.message(reply)
            if replied is not None:
                origins.append(Origin(Relation.REPLY, replied))
        else:
            external = m.opt_obj("external_reply")
            external_chat = None if external is None else external.opt_obj("chat")
            external_id = None if external is None else external.opt_id("message_id")
            if external_chat is not None and external_id is not None:
                scoped = f"{external_chat.id('id')}/{external_id}"
                origins.append(Origin(Relation.REPLY, self.ref(m, ItemKind.POST, scoped)))
        self.out.add(
            Post(
                ref=ref,
                surface=surface,
                text=text,
                entities=entities,
                author=author,
                container=chat_id,
                container_title=chat.opt_str("title"),
                origins=tuple(origins),
                media=media_refs,
                links=entity_links(text, entities) if text else (),
                created_at=m.unix_time("date"),
                edited_at=m.unix_time("edit_date"),
                url=_post_url(chat, message_id),
            )
        )
        return ref

    def author(self, m: Reader, chat: Reader) -> ItemRef | None:
        sender_chat = m.opt_obj("sender_chat")
        user = m.opt_obj("from")
        if sender_chat is not None:
            account = self.chat_account(sender_chat)
        elif user is not None:
            account = self.user_account(user)
        elif chat.str("type") == "channel":
            account = self.chat_account(chat)
        else:
            return None
        self.out.add(account)
        return account.ref

    def user_account(self, user: Reader) -> Account:
        names = (user.opt_str("first_name"), user.opt_str("last_name"))
        username = user.opt_str("username")
        return Account(
            ref=self.ref(user, ItemKind.ACCOUNT, user.id("id")),
            handle=username,
            display_name=" ".join(n for n in names if n) or None,
            is_bot=user.opt_bool("is_bot"),
            url=account_url(username),
        )

    def chat_account(self, chat: Reader) -> Account:
        username = chat.opt_str("username")
        return Account(
            ref=self.ref(chat, ItemKind.ACCOUNT, chat.id("id")),
            handle=username,
            display_name=chat.opt_str("title"),
            url=account_url(username),
        )

    def media(self, m: Reader) -> list[Media]:
        found: list[Media] = []
        if m.list("photo"):
            found.append(self.media_item(_largest_photo(m), MediaKind.IMAGE))
        for key, kind in _MEDIA_FIELDS:
            if key == "document" and m.has("animation"):
                continue  # the animation's duplicate
            file = m.opt_obj(key)
            if file is not None:
                found.append(self.media_item(file, kind))
        for item in found:
            self.out.add(item)
        return found

    def media_item(self, file: Reader, kind: MediaKind) -> Media:
        duration = file.opt_int("duration")
        return Media(
            ref=self.ref(file, ItemKind.MEDIA, file.opt_id("file_unique_id") or file.id("file_id")),
            media_kind=kind,
            mime_type=file.opt_str("mime_type"),
            file_name=file.opt_str("file_name"),
            size_bytes=file.opt_int("file_size"),
            width=file.opt_int("width"),
            height=file.opt_int("height"),
            duration_s=None if duration is None else float(duration),
        )

    def forward_origin(
        self,
        m: Reader,
        forward: _Forward,
        text: str | None,
        entities: tuple[Entity, ...],
        media: tuple[ItemRef, ...],
        carrier_surface: Surface,
    ) -> ItemRef:
        """Emit the forwarded post (with the carried text and media) and its author."""
        stand_in = stand_in_id(Platform.TELEGRAM, text, tuple(r.scoped_id for r in media))
        url: str | None = None
        if forward.chat is not None:
            chat_id = forward.chat.id("id")
            surface = _surface(forward.chat)
            container: str | None = chat_id
            title = forward.chat.opt_str("title")
            account: Account | None = self.chat_account(forward.chat)
            scoped = stand_in
            if forward.message_id is not None:
                scoped = f"{chat_id}/{forward.message_id}"
                url = _post_url(forward.chat, forward.message_id)
        else:
            surface, container, title, scoped = carrier_surface, None, None, stand_in
            account = None if forward.user is None else self.user_account(forward.user)
        if account is not None:
            self.out.add(account)
        ref = self.ref(m, ItemKind.POST, scoped)
        self.out.add(
            Post(
                ref=ref,
                surface=surface,
                text=text,
                entities=entities,
                author=None if account is None else account.ref,
                container=container,
                container_title=title,
                media=media,
                links=entity_links(text, entities) if text else (),
                created_at=forward.date,
                url=url,
            )
        )
        return ref


def _surface(chat: Reader) -> Surface:
    kind = chat.str("type")
    surface = BOT_API_SURFACES.get(kind)
    if surface is None:
        raise ValidationError(
            chat.source,
            join_path(chat.path, "type"),
            f"unknown chat type {preview(kind)} (expected one of {', '.join(BOT_API_SURFACES)})",
        )
    return surface


def _post_url(chat: Reader, message_id: str) -> str | None:
    if chat.str("type") not in ("channel", "supergroup"):
        return None  # a private chat's username is a person's, and basic groups have none
    return public_post_url(chat.opt_str("username"), message_id)


def _text(m: Reader) -> tuple[str | None, tuple[Entity, ...]]:
    for key, entities_key in (("text", "entities"), ("caption", "caption_entities")):
        text = m.opt_str(key)
        if text:
            return text, tuple(_entity(e, text) for e in m.objs(entities_key))
    return None, ()


def _entity(e: Reader, text: str) -> Entity:
    kind = e.str("type")
    try:
        span = utf16_to_codepoints(text, e.int("offset"), e.int("length"))
    except ValidationError as exc:
        if exc.source:
            raise
        raise ValidationError(e.source, e.path, exc.problem) from None
    value: str | None = None
    if kind == "text_link":
        value = e.str("url")
    elif kind == "text_mention":
        value = e.obj("user").id("id")
    elif kind == "custom_emoji":
        value = e.id("custom_emoji_id")
    return Entity(kind, span, value)


def _largest_photo(m: Reader) -> Reader:
    """The biggest of a photo's sizes: by area, then by bytes; the first of equals."""
    best: Reader | None = None
    best_key = (-1, -1)
    for size in m.objs("photo"):
        key = (size.int("width") * size.int("height"), size.opt_int("file_size") or 0)
        if key > best_key:
            best, best_key = size, key
    if best is None:
        raise ValidationError(m.source, join_path(m.path, "photo"), "is empty")
    return best


def _forward(m: Reader) -> _Forward | None:
    origin = m.opt_obj("forward_origin")
    if origin is not None:
        kind = origin.str("type")
        date = origin.unix_time("date")
        if kind == "channel":
            return _Forward(date, chat=origin.obj("chat"), message_id=origin.id("message_id"))
        if kind == "chat":
            return _Forward(date, chat=origin.obj("sender_chat"))
        if kind == "user":
            return _Forward(date, user=origin.obj("sender_user"))
        if kind == "hidden_user":
            return _Forward(date)
        raise ValidationError(
            origin.source,
            join_path(origin.path, "type"),
            f"unknown forward origin {preview(kind)} (expected channel, chat, user or hidden_user)",
        )
    date = m.unix_time("forward_date")
    chat = m.opt_obj("forward_from_chat")
    if chat is not None:
        return _Forward(date, chat=chat, message_id=m.opt_id("forward_from_message_id"))
    user = m.opt_obj("forward_from")
    if user is not None:
        return _Forward(date, user=user)
    if date is not None or m.has("forward_sender_name"):
        return _Forward(date)
    return None


def _no_content_reason(m: Reader) -> str:
    for key in _UNINGESTED_CONTENT:
        if m.has(key):
            return f"{key} message, not ingested"
    for key in _SERVICE_FIELDS:
        if m.has(key):
            return f"service message ({key}), no content"
    return "message with no text or media"
