"""What the Telegram Bot API and Telegram Desktop exports share: chat ids, surfaces and links.

Telegram names a chat by one integer whose form depends on who writes it. The Bot API, and so
Nigehban's ``chat_id/message_id`` post ids, writes a user as its id, a basic group as ``-id`` and
a channel or supergroup as ``-1000000000000 - id`` (the familiar ``-100…`` prefix). MTProto clients
and Telegram Desktop exports write the bare positive id and say the kind elsewhere (the chat
``type``, or a ``user``/``chat``/``channel`` prefix on ``from_id``). :func:`bot_api_chat_id`
converts the bare form, so one message read from both sources has one
:class:`~nigehban.model.refs.ItemRef`.

Links are collected the same way for both sources from entities already converted to code points:
the text of ``url`` entities as written, and the hidden target of ``text_link`` entities.
"""

from __future__ import annotations

from enum import StrEnum

from nigehban.model.items import Entity
from nigehban.model.refs import Surface

CHANNEL_ID_OFFSET = 1_000_000_000_000
"""The Bot API writes channel and supergroup ``id`` as ``-(CHANNEL_ID_OFFSET + id)``."""

TELEGRAM_LINK = "https://t.me"

BOT_API_SURFACES: dict[str, Surface] = {
    "private": Surface.PRIVATE,
    "group": Surface.GROUP,
    "supergroup": Surface.GROUP,
    "channel": Surface.CHANNEL,
}
"""Bot API ``Chat.type`` → where a message in that chat was said."""


class PeerKind(StrEnum):
    """The three kinds of MTProto peer; exports name them in ``from_id`` prefixes."""

    USER = "user"
    CHAT = "chat"  # a basic group
    CHANNEL = "channel"  # a channel or a supergroup


def bot_api_chat_id(kind: PeerKind, bare_id: int) -> int:
    """The Bot API form of a bare (positive) MTProto peer id."""
    if kind is PeerKind.USER:
        return bare_id
    if kind is PeerKind.CHAT:
        return -bare_id
    return -(CHANNEL_ID_OFFSET + bare_id)


def public_post_url(chat_username: str | None, message_id: str) -> str | None:
    """``https://t.me/<username>/<id>``: the public link of a message in a public chat."""
    return None if not chat_username else f"{TELEGRAM_LINK}/{chat_username}/{message_id}"


def account_url(username: str | None) -> str | None:
    return None if not username else f"{TELEGRAM_LINK}/{username}"


def entity_links(text: str, entities: tuple[Entity, ...]) -> tuple[str, ...]:
    """URLs a text links to, in order, each once: ``url`` entities' text, ``text_link`` targets."""
    links: list[str] = []
    for entity in entities:
        if entity.kind == "url":
            link: str | None = entity.span.slice(text)
        elif entity.kind == "text_link":
            link = entity.value
        else:
            continue
        if link and link not in links:
            links.append(link)
    return tuple(links)
