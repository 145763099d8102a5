"""Telegram Desktop export ``result.json`` → items.

Telegram Desktop (Settings → Advanced → Export Telegram data, JSON format) writes either one
chat — ``{"name", "type", "id", "messages": [...]}`` — or a whole account, whose chats are under
``chats.list`` (and the chats the account left under ``left_chats.list``). There is no public
sample file; the adapter follows the format as Telegram Desktop writes it:

- **Chat ids are bare.** The export writes a channel as ``1234567890`` where the Bot API writes
  ``-1001234567890``. Post ids are ``chat_id/message_id`` in the Bot API form (channels and
  supergroups ``-1000000000000 - id``, basic groups ``-id``, users as they are; see
  :mod:`~nigehban.ingest.telegram_common`), so one message exported and received by a bot is
  one item. ``from_id`` (``"user123"``, ``"chat123"``, ``"channel123"``) is converted alike.
- **Chat type → surface**: ``personal_chat``, ``bot_chat``, ``saved_messages`` → private;
  ``private_group``, ``private_supergroup``, ``public_supergroup`` → group; ``private_channel``,
  ``public_channel`` → channel. Private chats have no ``container_title`` (the export's chat
  ``name`` is the other person's name, and the Bot API gives private chats no title either). In an
  account export a chat of another type (``replies``, ``verification_codes``…) is skipped.
- **Times**: ``date`` is the exporting computer's local time without an offset; only
  ``date_unixtime`` / ``edited_unixtime`` (Unix seconds as strings) are used. Exports older than
  those fields leave the times empty rather than guessing a time zone.
- **Text** is a string, or a list of parts: plain strings and ``{"type", "text"}`` objects
  (``href`` on ``text_link``, ``user_id`` on ``mention_name``). There are no offsets: spans are
  code points counted while the parts are joined. Kinds take the Bot API's names (``link`` →
  ``url``, ``mention_name`` → ``text_mention``, ``phone`` → ``phone_number``) so both sources
  give the same entities. ``text_entities`` repeats the parts and is not read.
- **Media**: ``photo`` or ``file`` holds a path relative to the export folder, kept as
  ``local_path``; when the file was not downloaded it holds a notice in parentheses
  (``"(File not included. Change data exporting settings to download.)"``) and the media item
  is still emitted — kind, size, dimensions, name — without a path, so a reviewer knows the post
  had media. The export has no file ids: a media item's id is ``chat_id/message_id/media`` (a
  message has at most one file); it never equals a Bot API ``file_unique_id``.
- **Forwards** name only the original sender (``forwarded_from``): the carrier is a pure share of
  a stand-in origin post holding the text and media, on the carrier's surface, with no author.
- ``reply_to_message_id`` links a ``reply`` origin in the same chat (the replied-to message is
  in the export and is emitted in its own right). Service messages (``type: service``) and
  messages with neither text nor media (polls, locations, contacts) are skipped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult, Reader, Skip, join_path
from nigehban.ingest.telegram_common import PeerKind, bot_api_chat_id, entity_links
from nigehban.model.items import Account, Entity, Media, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface, stand_in_id
from nigehban.model.spans import Span
from nigehban.privacy.masking import preview

EXPORT_CHAT_TYPES: dict[str, tuple[PeerKind, Surface]] = {
    "personal_chat": (PeerKind.USER, Surface.PRIVATE),
    "bot_chat": (PeerKind.USER, Surface.PRIVATE),
    "saved_messages": (PeerKind.USER, Surface.PRIVATE),
    "private_group": (PeerKind.CHAT, Surface.GROUP),
    "private_supergroup": (PeerKind.CHANNEL, Surface.GROUP),
    "public_supergroup": (PeerKind.CHANNEL, Surface.GROUP),
    "private_channel": (PeerKind.CHANNEL, Surface.CHANNEL),
    "public_channel": (PeerKind.CHANNEL, Surface.CHANNEL),
}
"""Export chat ``type`` → the kind of its bare ``id`` and the surface of its messages."""

ENTITY_KINDS = {"link": "url", "mention_name": "text_mention", "phone": "phone_number"}
"""Export part types whose Bot API entity type differs; the others are the same."""

MEDIA_TYPES = {
    "animation": MediaKind.ANIMATION,
    "video_file": MediaKind.VIDEO,
    "video_message": MediaKind.VIDEO,
    "voice_message": MediaKind.VOICE,
    "audio_file": MediaKind.AUDIO,
    "sticker": MediaKind.STICKER,
}
"""Export ``media_type`` of a ``file``; a file without one is a document."""

_UNINGESTED_CONTENT = ("poll", "location_information", "contact_information", "game_title")

_ACCOUNT_SECTIONS = ("chats", "left_chats")


class TelegramExportAdapter:
    name: ClassVar[str] = "telegram.export"
    platform: ClassVar[Platform] = Platform.TELEGRAM

    def sniff(self, payload: object) -> bool:
        if not isinstance(payload, Mapping):
            return False
        chats = payload.get("chats")
        if isinstance(chats, Mapping) and isinstance(chats.get("list"), list):
            return True
        chat_id = payload.get("id")
        chat_type = payload.get("type")
        return (
            isinstance(chat_type, str)
            and chat_type in EXPORT_CHAT_TYPES
            and isinstance(chat_id, int)
            and not isinstance(chat_id, bool)
            and isinstance(payload.get("messages"), list)
        )

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        out = ParseResult()
        root = Reader(payload, "", ctx.source)
        if "messages" in root.data:
            _parse_chat(root, ctx, out)
            return out
        found = False
        for section in _ACCOUNT_SECTIONS:
            holder = root.opt_obj(section)
            if holder is None:
                continue
            found = True
            for chat in holder.objs("list"):
                chat_type = chat.raw("type")
                if isinstance(chat_type, str) and chat_type in EXPORT_CHAT_TYPES:
                    _parse_chat(chat, ctx, out)
                else:
                    out.skipped.append(
                        Skip(chat.path, f"chat type {preview(chat.raw('type'))}, not handled")
                    )
        if not found:
            raise ValidationError(
                ctx.source, "$", "expected one chat (messages) or an account export (chats.list)"
            )
        return out


def _parse_chat(chat: Reader, ctx: ParseContext, out: ParseResult) -> None:
    chat_type = chat.str("type")
    kinds = EXPORT_CHAT_TYPES.get(chat_type)
    if kinds is None:
        raise ValidationError(
            chat.source,
            join_path(chat.path, "type"),
            f"unknown chat type {preview(chat_type)} "
            f"(expected one of {', '.join(EXPORT_CHAT_TYPES)})",
        )
    peer_kind, surface = kinds
    bare_id = chat.int("id")
    if bare_id <= 0:
        raise ValidationError(
            chat.source, join_path(chat.path, "id"), f"{bare_id} is not a bare (positive) export id"
        )
    parser = _ChatParser(
        ctx=ctx,
        out=out,
        chat_id=str(bot_api_chat_id(peer_kind, bare_id)),
        surface=surface,
        title=None if surface is Surface.PRIVATE else chat.opt_str("name"),
        is_channel=surface is Surface.CHANNEL,
    )
    for message in chat.objs("messages"):
        parser.message(message)


class _ChatParser:
    """Turns the messages of one exported chat into items."""

    def __init__(
        self,
        *,
        ctx: ParseContext,
        out: ParseResult,
        chat_id: str,
        surface: Surface,
        title: str | None,
        is_channel: bool,
    ) -> None:
        self.ctx = ctx
        self.out = out
        self.chat_id = chat_id
        self.surface = surface
        self.title = title
        self.is_channel = is_channel

    def ref(self, r: Reader, kind: ItemKind, scoped_id: str) -> ItemRef:
        return r.ref(self.ctx, Platform.TELEGRAM, kind, scoped_id)

    def message(self, m: Reader) -> None:
        message_type = m.str("type")
        if message_type == "service":
            action = m.opt_str("action") or "unknown action"
            self.out.skipped.append(Skip(m.path, f"service message ({action}), no content"))
            return
        if message_type != "message":
            self.out.skipped.append(
                Skip(m.path, f"message type {preview(message_type)}, not handled")
            )
            return
        message_id = m.id("id")
        scoped = f"{self.chat_id}/{message_id}"
        text, entities = _text(m)
        media = self.media(m, scoped)
        if text is None and media is None:
            self.out.skipped.append(Skip(m.path, _no_content_reason(m)))
            return
        media_refs: tuple[ItemRef, ...] = () if media is None else (media.ref,)
        if media is not None:
            self.out.add(media)
        origins: list[Origin] = []
        if "forwarded_from" in m.data:
            m.opt_str("forwarded_from")  # a display name only: checked, not kept
            origin = self.forward_origin(m, text, entities, media_refs)
            origins.append(Origin(Relation.SHARE, origin))
            text, entities, media_refs = None, (), ()
        reply_id = m.opt_id("reply_to_message_id")
        if reply_id is not None:
            reply = self.ref(m, ItemKind.POST, f"{self.chat_id}/{reply_id}")
            origins.append(Origin(Relation.REPLY, reply))
        self.out.add(
            Post(
                ref=self.ref(m, ItemKind.POST, scoped),
                surface=self.surface,
                text=text,
                entities=entities,
                author=self.author(m),
                container=self.chat_id,
                container_title=self.title,
                origins=tuple(origins),
                media=media_refs,
                links=entity_links(text, entities) if text else (),
                created_at=m.unix_time("date_unixtime"),
                edited_at=m.unix_time("edited_unixtime"),
            )
        )

    def author(self, m: Reader) -> ItemRef | None:
        from_id = m.opt_str("from_id")
        if from_id is not None:
            account_id = str(_peer_id(m, "from_id", from_id))
            name = m.opt_str("from")
        elif self.is_channel:
            account_id, name = self.chat_id, self.title  # the channel speaks as itself
        else:
            return None
        account = Account(ref=self.ref(m, ItemKind.ACCOUNT, account_id), display_name=name)
        self.out.add(account)
        return account.ref

    def media(self, m: Reader, post_id: str) -> Media | None:
        photo = m.opt_str("photo")
        file = m.opt_str("file")
        if photo is not None:
            kind, where, size = MediaKind.IMAGE, photo, m.opt_int("photo_file_size")
        elif file is not None:
            media_type = m.opt_str("media_type")
            kind = (
                MediaKind.DOCUMENT
                if media_type is None
                else MEDIA_TYPES.get(media_type, MediaKind.OTHER)
            )
            where, size = file, m.opt_int("file_size")
        else:
            return None
        duration = m.opt_int("duration_seconds")
        return Media(
            ref=self.ref(m, ItemKind.MEDIA, f"{post_id}/media"),
            media_kind=kind,
            mime_type=m.opt_str("mime_type"),
            file_name=m.opt_str("file_name"),
            local_path=None if _is_notice(where) else where,
            size_bytes=size,
            width=m.opt_int("width"),
            height=m.opt_int("height"),
            duration_s=None if duration is None else float(duration),
        )

    def forward_origin(
        self, m: Reader, text: str | None, entities: tuple[Entity, ...], media: tuple[ItemRef, ...]
    ) -> ItemRef:
        ref = self.ref(
            m,
            ItemKind.POST,
            stand_in_id(Platform.TELEGRAM, text, tuple(r.scoped_id for r in media)),
        )
        self.out.add(
            Post(
                ref=ref,
                surface=self.surface,
                text=text,
                entities=entities,
                media=media,
                links=entity_links(text, entities) if text else (),
            )
        )
        return ref


def _is_notice(path: str) -> bool:
    """``"(File not included. …)"`` and the like stand where a file's path would be."""
    return path.startswith("(") and path.endswith(")")


def _peer_id(m: Reader, key: str, value: str) -> int:
    for kind in PeerKind:
        digits = value.removeprefix(kind.value)
        # ASCII digits only ('²' is a digit to str.isdigit but not to int()), and no more
        # than an id can have
        if digits != value and digits.isascii() and digits.isdigit() and len(digits) <= 20:
            return bot_api_chat_id(kind, int(digits))
    raise ValidationError(
        m.source,
        join_path(m.path, key),
        f"{preview(value)} is not a peer id (user…, chat… or channel… and digits)",
    )


def _text(m: Reader) -> tuple[str | None, tuple[Entity, ...]]:
    raw = m.raw("text")
    if raw is None or isinstance(raw, str):
        return raw or None, ()
    if not isinstance(raw, list):
        raise ValidationError(
            m.source,
            join_path(m.path, "text"),
            f"expected a string or a list of parts, got {preview(raw)}",
        )
    pieces: list[str] = []
    entities: list[Entity] = []
    position = 0
    for i, part in enumerate(raw):
        if isinstance(part, str):
            pieces.append(part)
            position += len(part)
            continue
        p = Reader(part, f"{join_path(m.path, 'text')}[{i}]", m.source)
        part_type = p.str("type")
        part_text = p.str("text")
        pieces.append(part_text)
        start, position = position, position + len(part_text)
        if part_type == "plain":
            continue
        value: str | None = None
        if part_type == "text_link":
            value = p.str("href")
        elif part_type == "mention_name":
            value = p.id("user_id")
        entities.append(
            Entity(ENTITY_KINDS.get(part_type, part_type), Span(start, position), value)
        )
    text = "".join(pieces)
    return (text, tuple(entities)) if text else (None, ())


def _no_content_reason(m: Reader) -> str:
    for key in _UNINGESTED_CONTENT:
        if m.has(key):
            return f"{key} message, not ingested"
    return "message with no text or media"
