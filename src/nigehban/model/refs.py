"""Identity of items: :class:`ItemRef` = (tenant, platform, kind, scoped id).

The scoped id is unique on its platform. Where a platform's ids are only unique inside a
container it includes the container: Telegram ``chat_id/message_id``, WhatsApp
``phone_number_id/wamid``; Facebook's compound post ids are kept as given. An origin that the
platform does not identify (a WhatsApp forward, a Telegram hidden user) gets a content-addressed
stand-in id from :func:`stand_in_id`, so the same forwarded text always lands on the same item.

A :class:`ContainerRef` names where posts were said — a Telegram channel or group, a Facebook
page or group, a WhatsApp group — as ``platform:container``, the container exactly as the
platform's adapter stores it on a post (``telegram:-1001234567890``). A container is not an
item: it is the subject of a legal hold on a whole channel.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from nigehban.errors import ValidationError
from nigehban.privacy.masking import preview

MAX_SCOPED_ID = 512
STAND_IN_PREFIX = "standin:"
_SPACE = re.compile(r"\s")
# Control characters and lone surrogates (a JSON "\u0000", or a "\ud83d" cut from its pair):
# no platform id holds them, and PostgreSQL text cannot hold a NUL nor UTF-8 a lone surrogate.
_UNPRINTABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


class Platform(StrEnum):
    X = "x"
    FACEBOOK = "facebook"
    INSTAGRAM = "instagram"
    WHATSAPP = "whatsapp"
    TELEGRAM = "telegram"
    GENERIC = "generic"


class ItemKind(StrEnum):
    POST = "post"
    MEDIA = "media"
    ACCOUNT = "account"


class Surface(StrEnum):
    """Where an item was said; law and policy differ by surface."""

    PUBLIC = "public"
    CHANNEL = "channel"
    GROUP = "group"
    PRIVATE = "private"


class Relation(StrEnum):
    """How a post relates to the origin it carries."""

    SHARE = "share"
    QUOTE = "quote"
    REPLY = "reply"


@dataclass(frozen=True, slots=True, order=True)
class ItemRef:
    """The stable identity of an item inside one tenant."""

    tenant: str
    platform: Platform
    kind: ItemKind
    scoped_id: str

    def __post_init__(self) -> None:
        if not self.scoped_id or len(self.scoped_id) > MAX_SCOPED_ID:
            raise ValidationError(
                "",
                "scoped_id",
                f"{preview(self.scoped_id)} must be 1 to {MAX_SCOPED_ID} characters",
            )
        if _SPACE.search(self.scoped_id):
            raise ValidationError(
                "", "scoped_id", f"{preview(self.scoped_id)} must not contain white space"
            )
        if _UNPRINTABLE.search(self.scoped_id):
            raise ValidationError(
                "",
                "scoped_id",
                f"{preview(self.scoped_id)} must not contain control characters or lone surrogates",
            )
        if not self.scoped_id.isascii():
            _refuse_look_alikes(self.scoped_id)

    @property
    def key(self) -> str:
        """``platform/kind/scoped_id``: unique inside a tenant, used as the stored key."""
        return f"{self.platform.value}/{self.kind.value}/{self.scoped_id}"

    @property
    def is_stand_in(self) -> bool:
        return self.scoped_id.startswith(STAND_IN_PREFIX)

    @classmethod
    def stored(cls, tenant: str, key: str) -> ItemRef:
        """A ref read back from the store, or named to find, hold or erase a stored item: as
        :meth:`parse`, but accepting an id stored before look-alike characters were refused (so
        such an item can still be read, held and erased). New items are never made from it."""
        try:
            return cls.parse(tenant, key)
        except ValidationError:
            split = key.split("/", 2)
            if len(split) != 3:
                raise
            platform, kind, scoped = split
            if scoped.isascii() or _UNPRINTABLE.search(scoped) or _SPACE.search(scoped):
                raise  # refused for another reason: it was never stored
            try:
                parts = (tenant, Platform(platform), ItemKind(kind), scoped)
            except ValueError:
                raise ValidationError(
                    "", "ref", f"{preview(key)}: unknown platform or kind"
                ) from None
            ref = object.__new__(cls)
            for name, value in zip(("tenant", "platform", "kind", "scoped_id"), parts, strict=True):
                object.__setattr__(ref, name, value)
            return ref

    @classmethod
    def parse(cls, tenant: str, key: str) -> ItemRef:
        """Inverse of :attr:`key`; raises :class:`ValidationError` naming the bad part."""
        parts = key.split("/", 2)
        if len(parts) != 3:
            raise ValidationError("", "ref", f"{preview(key)} is not platform/kind/scoped_id")
        platform, kind, scoped = parts
        try:
            return cls(tenant, Platform(platform), ItemKind(kind), scoped)
        except ValueError as exc:
            raise ValidationError(
                "", "ref", f"{preview(key)}: unknown platform or kind ({exc})"
            ) from None


@dataclass(frozen=True, slots=True, order=True)
class ContainerRef:
    """A channel, group or page on a platform, as its posts record it (``Post.container``)."""

    platform: Platform
    container: str

    def __post_init__(self) -> None:
        problem = _id_problem(self.container)
        if problem is not None:
            raise ValidationError(
                "", "container", f"{preview(self.key)} is not a container: its id {problem}"
            )

    @property
    def key(self) -> str:
        """``platform:container``: the form a hold names it by and a post's link stores."""
        return f"{self.platform.value}:{self.container}"

    @classmethod
    def parse(cls, key: str) -> ContainerRef:
        """Inverse of :attr:`key`; raises :class:`ValidationError` naming the bad value."""
        platform, sep, container = key.partition(":")
        if not sep:
            raise ValidationError(
                "",
                "container",
                f"{preview(key)} is not platform:container (e.g. telegram:-1001234567890)",
            )
        try:
            known = Platform(platform)
        except ValueError:
            names = ", ".join(p.value for p in Platform)
            raise ValidationError(
                "",
                "container",
                f"{preview(key)}: unknown platform {preview(platform)} (one of {names})",
            ) from None
        return cls(known, container)

    @classmethod
    def of(cls, platform: Platform, container: str | None) -> ContainerRef | None:
        """The container of a post on ``platform``, or ``None`` if it has none or one no hold
        could name (an id with white space, control or look-alike characters, or too long)."""
        if container is None or _id_problem(container) is not None:
            return None
        return cls(platform, container)


def _id_problem(value: str) -> str | None:
    """What is wrong with a container id, or ``None``."""
    if not value or len(value) > MAX_SCOPED_ID:
        return f"must be 1 to {MAX_SCOPED_ID} characters"
    if _SPACE.search(value):
        return "must not contain white space"
    if _UNPRINTABLE.search(value):
        return "must not contain control characters or lone surrogates"
    if "://" in value:
        return "is a URL, not the platform's id of the channel, group or page"
    if not value.isascii():
        try:
            _refuse_look_alikes(value)
        except ValidationError as exc:
            return exc.detail.removeprefix(preview(value)).strip()
    return None


def _refuse_look_alikes(scoped_id: str) -> None:
    """Refuse an id another one would look identical to: one with an invisible formatting
    character (zero-width space or joiner, a bidirectional control, a soft hyphen), or one that
    Unicode compatibility folding changes (full-width digits, ligatures, Arabic presentation
    forms). "123\u200b" or "１２３" would otherwise be stored as an item apart from "123"."""
    if "\ufffd" in scoped_id:  # what ingest makes of a lone surrogate escape ("\ud83d")
        raise ValidationError(
            "",
            "scoped_id",
            f"{preview(scoped_id)} contains U+FFFD, the replacement character (a lone "
            "surrogate escape): the platform's id is lost, and another would read the same",
        )
    for char in scoped_id:
        if unicodedata.category(char) == "Cf":
            raise ValidationError(
                "",
                "scoped_id",
                f"{preview(scoped_id)} contains the invisible formatting character "
                f"U+{ord(char):04X}",
            )
    if not unicodedata.is_normalized("NFKC", scoped_id):
        first = next(
            (
                c
                for c in scoped_id
                if unicodedata.combining(c) or not unicodedata.is_normalized("NFKC", c)
            ),
            scoped_id[0],
        )
        raise ValidationError(
            "",
            "scoped_id",
            f"{preview(scoped_id)} has look-alike characters (full-width, ligatures, "
            f"presentation forms or a separate accent: U+{ord(first):04X} first); send the id "
            "in its plain form",
        )


def stand_in_id(platform: Platform, text: str | None, media_digests: tuple[str, ...] = ()) -> str:
    """A content-addressed id for an origin the platform does not identify."""
    h = hashlib.sha256()
    h.update(platform.value.encode())
    h.update(b"\x00")
    h.update((text or "").encode("utf-8", "surrogatepass"))
    for digest in media_digests:
        h.update(b"\x00")
        h.update(digest.encode())
    return STAND_IN_PREFIX + h.hexdigest()[:40]
