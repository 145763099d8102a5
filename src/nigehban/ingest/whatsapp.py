"""WhatsApp Business Cloud API webhooks (``object: whatsapp_business_account``).

The envelope is ``{object, entry[{id, changes[{field, value}]}]}``. ``field: messages`` carries
inbound ``messages[]``, delivery/read ``statuses[]`` and change-level ``errors[]`` in the same
``value``, next to ``metadata{display_phone_number, phone_number_id}`` (the business number that
received them) and ``contacts[]`` (the senders' ``profile.name``, matched by ``wa_id`` or by the
business-scoped ``user_id``). Coexistence sends what the business itself typed in the WhatsApp
Business app as ``field: smb_message_echoes`` with ``message_echoes[]``. Any other field (template
status, account updates…) is skipped with its name.

Everything is a string: ids, phone numbers, and ``timestamp`` (Unix seconds). Values are kept as
given, placeholders (``<WHATSAPP_MESSAGE_ID>``) and backslash-escaped MIME types included.

Identity and place:

- post ``phone_number_id/wamid``; 1:1 chats are ``Surface.PRIVATE`` with the business's
  ``phone_number_id`` as container, group messages (``group_id`` ``…@g.us``) ``Surface.GROUP``
  with the group id as container;
- author: ``from`` (the sender's ``wa_id``) else ``from_user_id`` else ``user_id`` (2025+
  business-scoped ids ``US.…`` in groups); one :class:`Account` per author, named from
  ``contacts[]``. Echoes are written by the business: their author is the business's own WhatsApp
  number ``metadata.display_phone_number`` (the id space of ``wa_id`` and ``context.from``);
  the echo's ``from``/``to`` are not read, as fixtures copied from docs swap them.

Content by ``type``: ``text.body``; ``image|video|audio|document|sticker`` become a
:class:`Media` (media ``id``, ``mime_type``, the base64 ``sha256`` as a :class:`Digest` kept with
its validity flag, ``url`` when given, ``filename``) with the ``caption`` as the post's text;
``audio.voice: true`` is a voice note; ``order.text`` is kept when present. Messages without
user-written text are skipped with a reason: reactions, locations (a place's name and address
come from the map, and coordinates of private people are not content), shared contact cards,
interactive replies (buttons, lists, forms the business defined) and template button replies,
system notices and ``unsupported``. ``errors[]`` on a message, a status or a change become
:class:`PlatformError`; unknown message types are skipped with their name.

Origins: ``context.forwarded`` / ``context.frequently_forwarded`` make a pure share — the carrier
has no text or media; the forwarded text and media are an origin post with a content-addressed
stand-in id (WhatsApp never names the original; media count by their digest, hex when valid,
else as given, else by media id), the carrier's surface, and no author, container or time: the
same forward seen in many chats is one item. ``context.id`` is a reply, linked to
``phone_number_id/context.id`` but not emitted (the quoted message is not in the payload).

Edits (``type: edit``) are a new revision of the original post ``phone_number_id/
edit.original_message_id`` built from the nested ``edit.message``, with ``edited_at`` the edit's
``timestamp`` (the nested one when the outer is absent) and no creation time; the nested
``context.id`` is read as a reply like any other. Revokes (``type: revoke``) are a tombstone for
``revoke.original_message_id``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, ClassVar

from nigehban.errors import ValidationError
from nigehban.ingest.base import ParseContext, ParseResult, PlatformError, Reader, Skip, Tombstone
from nigehban.model.digests import Digest
from nigehban.model.items import Account, Media, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface, stand_in_id
from nigehban.privacy.masking import preview

OBJECT = "whatsapp_business_account"
MESSAGES_FIELD = "messages"
ECHOES_FIELD = "smb_message_echoes"
_MESSAGE_KEYS = {MESSAGES_FIELD: "messages", ECHOES_FIELD: "message_echoes"}

_MEDIA_KINDS = {
    "image": MediaKind.IMAGE,
    "video": MediaKind.VIDEO,
    "audio": MediaKind.AUDIO,
    "document": MediaKind.DOCUMENT,
    "sticker": MediaKind.STICKER,
}

_NO_CONTENT = {
    "reaction": "reaction, no content",
    "location": "location share, no text content",
    "contacts": "contact card share, no text content",
    "interactive": "interactive reply (button, list or form response), no message text",
    "button": "template button reply (a business-defined option), no user text",
    "system": "system notice, no content",
    "request_welcome": "welcome request, no content",
    "unsupported": "unsupported message type, no content",
}

_AUTHOR_KEYS = ("from", "from_user_id", "user_id")


@dataclass(frozen=True, slots=True)
class _Profile:
    name: str | None
    username: str | None


@dataclass(frozen=True, slots=True)
class _Content:
    """What a message says: its text and its media (not yet placed or attributed)."""

    text: str | None
    media: tuple[Media, ...]
    reply_to: str | None

    def digest_keys(self) -> tuple[str, ...]:
        """Media fingerprints for a stand-in id: valid digests as hex, others as given, else id."""
        keys: list[str] = []
        for media in self.media:
            if media.digests:
                keys.extend(d.hex or d.given for d in media.digests)
            else:
                keys.append(media.ref.scoped_id)
        return tuple(keys)


@dataclass(frozen=True, slots=True)
class _Scope:
    """One change's ``value``: the receiving business number and the senders' profiles."""

    ctx: ParseContext
    value: Reader
    phone_number_id: str
    display_phone_number: str | None
    profiles: Mapping[str, _Profile]

    @classmethod
    def read(cls, value: Reader, ctx: ParseContext) -> _Scope:
        metadata = value.obj("metadata")
        profiles: dict[str, _Profile] = {}
        for contact in value.objs("contacts"):
            profile_obj = contact.opt_obj("profile")
            profile = _Profile(
                profile_obj.opt_str("name") if profile_obj else None,
                profile_obj.opt_str("username") if profile_obj else None,
            )
            for key in ("wa_id", "user_id"):
                contact_id = contact.opt_id(key)
                if contact_id is not None:
                    profiles.setdefault(contact_id, profile)
        return cls(
            ctx,
            value,
            metadata.id("phone_number_id"),
            metadata.opt_id("display_phone_number"),
            profiles,
        )

    def post_ref(self, at: Reader, wamid: str) -> ItemRef:
        return at.ref(self.ctx, Platform.WHATSAPP, ItemKind.POST, f"{self.phone_number_id}/{wamid}")

    def place(self, message: Reader) -> tuple[Surface, str]:
        group_id = message.opt_id("group_id")
        if group_id is not None:
            return Surface.GROUP, group_id
        return Surface.PRIVATE, self.phone_number_id

    def author(self, message: Reader, echo: bool) -> Account:
        if echo:
            business = self.display_phone_number
            if business is None:
                raise ValidationError(
                    message.source,
                    f"{self.value.path}.metadata.display_phone_number",
                    "is missing (the author of a message echo)",
                )
            ref = message.ref(self.ctx, Platform.WHATSAPP, ItemKind.ACCOUNT, business)
            return Account(ref)
        ids: list[str] = []
        for key in _AUTHOR_KEYS:
            given = message.opt_id(key)
            if given is not None:
                ids.append(given)
        if not ids:
            raise ValidationError(
                message.source,
                f"{message.path}.from",
                "is missing, and so are from_user_id and user_id",
            )
        profile = next((self.profiles[i] for i in ids if i in self.profiles), _Profile(None, None))
        ref = message.ref(self.ctx, Platform.WHATSAPP, ItemKind.ACCOUNT, ids[0])
        return Account(ref, handle=profile.username, display_name=profile.name)


class WhatsAppWebhookAdapter:
    """``whatsapp.cloud``: WhatsApp Business Cloud API webhook bodies."""

    name: ClassVar[str] = "whatsapp.cloud"
    platform: ClassVar[Platform] = Platform.WHATSAPP

    def sniff(self, payload: object) -> bool:
        return (
            isinstance(payload, Mapping)
            and payload.get("object") == OBJECT
            and isinstance(payload.get("entry"), list)
        )

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        root = Reader(payload, "", ctx.source)
        if root.raw("object") != OBJECT:
            raise ValidationError(
                ctx.source, "object", f"expected {OBJECT!r}, got {preview(root.raw('object'))}"
            )
        result = ParseResult()
        for entry in root.objs("entry", required=True):
            for change in entry.objs("changes", required=True):
                _parse_change(change, ctx, result)
        return result


def _parse_change(change: Reader, ctx: ParseContext, result: ParseResult) -> None:
    field = change.str("field")
    value = change.obj("value")
    key = _MESSAGE_KEYS.get(field)
    if key is None:
        result.skipped.append(
            Skip(change.path, f"webhook field {preview(field)} carries no messages")
        )
        return
    for status in value.objs("statuses"):
        state = status.opt_str("status")
        reason = (
            f"delivery status {state!r}, no content" if state else "delivery status, no content"
        )
        result.skipped.append(Skip(status.path, reason))
        result.errors.extend(_platform_errors(status))
    result.errors.extend(_platform_errors(value))
    messages = list(value.objs(key))
    if messages:
        scope = _Scope.read(value, ctx)
        for message in messages:
            _parse_message(message, scope, result, echo=field == ECHOES_FIELD)
    elif not value.list("statuses") and not value.list("errors"):
        result.skipped.append(Skip(change.path, f"{field} change without {key} or statuses"))


def _platform_errors(at: Reader) -> list[PlatformError]:
    """``errors[{code, title, message, error_data{details}}]`` as reported by the platform."""
    out: list[PlatformError] = []
    for error in at.objs("errors"):
        head = error.opt_str("title") or error.opt_str("message")
        data = error.opt_obj("error_data")
        details = data.opt_str("details") if data else None
        if head and details and details != head:
            message = f"{head}: {details}"
        else:
            message = head or details or ""
        out.append(PlatformError(error.path, error.id("code"), message))
    return out


def _parse_message(message: Reader, scope: _Scope, result: ParseResult, *, echo: bool) -> None:
    message_id = message.id("id")
    kind = message.str("type")
    when = message.unix_time("timestamp")
    result.errors.extend(_platform_errors(message))
    if kind == "revoke":
        original = message.obj("revoke").id("original_message_id")
        result.tombstones.append(
            Tombstone(scope.post_ref(message, original), when, "revoked by sender")
        )
        return
    if kind == "edit":
        _parse_edit(message, scope, result, echo=echo, when=when)
        return
    content = _content(message, kind, scope)
    if isinstance(content, str):
        result.skipped.append(Skip(message.path, content))
        return
    surface, container = scope.place(message)
    author = scope.author(message, echo)
    ref = scope.post_ref(message, message_id)
    reply = _reply(message, scope, content)
    forwarded = _forwarded(message)
    result.add(author)
    result.items.extend(content.media)
    if forwarded:
        origin_id = stand_in_id(Platform.WHATSAPP, content.text, content.digest_keys())
        origin = Post(
            ref=message.ref(scope.ctx, Platform.WHATSAPP, ItemKind.POST, origin_id),
            surface=surface,
            text=content.text,
            media=tuple(m.ref for m in content.media),
        )
        result.add(origin)
        result.add(
            Post(
                ref=ref,
                surface=surface,
                author=author.ref,
                container=container,
                origins=(Origin(Relation.SHARE, origin.ref), *reply),
                created_at=when,
            )
        )
        return
    result.add(
        Post(
            ref=ref,
            surface=surface,
            text=content.text,
            author=author.ref,
            container=container,
            origins=reply,
            media=tuple(m.ref for m in content.media),
            created_at=when,
        )
    )


def _parse_edit(
    message: Reader, scope: _Scope, result: ParseResult, *, echo: bool, when: datetime | None
) -> None:
    """A new revision of the original post, from the nested ``edit.message``."""
    edit = message.obj("edit")
    original = edit.id("original_message_id")
    inner = edit.obj("message")
    edited_at = when or inner.unix_time("timestamp")
    if edited_at is None:
        raise ValidationError(message.source, f"{message.path}.timestamp", "is missing (edit time)")
    content = _content(inner, inner.str("type"), scope)
    if isinstance(content, str):
        result.skipped.append(Skip(message.path, f"edit to a message without content: {content}"))
        return
    surface, container = scope.place(message)
    author = scope.author(message, echo)
    result.add(author)
    result.items.extend(content.media)
    result.add(
        Post(
            ref=scope.post_ref(message, original),
            surface=surface,
            text=content.text,
            author=author.ref,
            container=container,
            origins=_reply(inner, scope, content),
            media=tuple(m.ref for m in content.media),
            edited_at=edited_at,
        )
    )


def _forwarded(message: Reader) -> bool:
    context = message.opt_obj("context")
    if context is None:
        return False
    return bool(context.opt_bool("forwarded") or context.opt_bool("frequently_forwarded"))


def _reply(message: Reader, scope: _Scope, content: _Content) -> tuple[Origin, ...]:
    if content.reply_to is None:
        return ()
    return (Origin(Relation.REPLY, scope.post_ref(message, content.reply_to)),)


def _content(message: Reader, kind: str, scope: _Scope) -> _Content | str:
    """The text and media of a message of ``kind``, or the reason it has none."""
    context = message.opt_obj("context")
    reply_to = context.opt_id("id") if context else None
    if kind == "text":
        return _Content(message.obj("text").str("body"), (), reply_to)
    media_kind = _MEDIA_KINDS.get(kind)
    if media_kind is not None:
        body = message.obj(kind)
        if media_kind is MediaKind.AUDIO and body.opt_bool("voice"):
            media_kind = MediaKind.VOICE
        return _Content(body.opt_str("caption"), (_media(body, media_kind, scope),), reply_to)
    if kind == "order":
        text = message.obj("order").opt_str("text")
        return "product order, no text content" if text is None else _Content(text, (), reply_to)
    reason = _NO_CONTENT.get(kind)
    if reason is not None:
        return reason
    return f"message type {preview(kind)} is not supported"


def _media(body: Reader, kind: MediaKind, scope: _Scope) -> Media:
    sha256 = body.opt_str("sha256")
    return Media(
        ref=body.ref(scope.ctx, Platform.WHATSAPP, ItemKind.MEDIA, body.id("id")),
        media_kind=kind,
        url=body.opt_str("url"),
        mime_type=body.opt_str("mime_type"),
        digests=(Digest.parse("sha256", sha256),) if sha256 else (),
        file_name=body.opt_str("filename"),
    )
