"""The adapter contract: a payload in, a :class:`ParseResult` out.

An adapter recognises its own shape (:meth:`Adapter.sniff`, structural and cheap) and turns a
decoded JSON payload into items, tombstones for deletions, skips for events that carry no
content (delivery statuses, reactions) and platform errors reported in the body (an X 429).
Every quoted, shared, forwarded or replied-to post that a payload carries becomes an item of its
own, linked from the carrying post by an :class:`~nigehban.model.items.Origin`.

Adapters raise :class:`~nigehban.errors.ValidationError` naming the JSON path of a field that is
missing or of the wrong type; they never guess.
"""

from __future__ import annotations

import builtins
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar, Protocol

from nigehban.errors import ValidationError
from nigehban.model.ints import INT64_MAX, INT64_MIN
from nigehban.model.items import Item
from nigehban.model.refs import ContainerRef, ItemKind, ItemRef, Platform
from nigehban.privacy.masking import preview

_DIGITS = re.compile(r"-?[0-9]{1,40}")
"""An integer written as a string, as some platforms send counts and times. Forty digits is
beyond any 64-bit value or Unix time, and far below the 4,300 that ``int()`` refuses to read."""


@dataclass(frozen=True, slots=True)
class ParseContext:
    """What an adapter needs besides the payload."""

    tenant: str
    source: str = ""


@dataclass(frozen=True, slots=True)
class Tombstone:
    """A deletion the platform reported: the item is gone; its content must be purged."""

    ref: ItemRef
    deleted_at: datetime | None
    reason: str


@dataclass(frozen=True, slots=True)
class Skip:
    """An event recognised and deliberately not ingested, with the reason why."""

    where: str
    reason: str


@dataclass(frozen=True, slots=True)
class PlatformError:
    """An error the platform reported inside the payload (rate limit, not found…)."""

    where: str
    code: str
    message: str


@dataclass(slots=True)
class ParseResult:
    items: list[Item] = field(default_factory=list)
    tombstones: list[Tombstone] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    errors: list[PlatformError] = field(default_factory=list)

    def extend(self, other: ParseResult) -> None:
        self.items.extend(other.items)
        self.tombstones.extend(other.tombstones)
        self.skipped.extend(other.skipped)
        self.errors.extend(other.errors)

    def add(self, item: Item) -> None:
        self.items.append(item)

    def unique_items(self) -> list[Item]:
        """Items with exact duplicates dropped (payloads repeat authors), order preserved."""
        seen: set[Item] = set()
        out: list[Item] = []
        for item in self.items:
            if item not in seen:
                seen.add(item)
                out.append(item)
        return out


class Adapter(Protocol):
    """Turns one platform format into items. Registered by its unique ``name``."""

    name: ClassVar[str]
    platform: ClassVar[Platform]

    def sniff(self, payload: object) -> bool:
        """True when ``payload`` has this format's shape. Must not raise."""
        ...

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        """Parse a payload that :meth:`sniff` accepted."""
        ...


# -- helpers every adapter uses to read JSON with errors that name the path ------------------


class Reader:
    """Typed access to a JSON object that names the JSON path in every error.

    ``Reader(obj, "entry[0].changes[1].value", source)``; ``r.str("id")`` returns a ``str`` or
    raises ``ValidationError(source, "entry[0].changes[1].value.id", "is missing")``.
    """

    __slots__ = ("data", "path", "source")

    def __init__(self, data: object, path: builtins.str, source: builtins.str) -> None:
        if not isinstance(data, Mapping):
            raise ValidationError(source, path or "$", f"expected an object, got {_kind(data)}")
        self.data: Mapping[str, Any] = data
        self.path: builtins.str = path
        self.source: builtins.str = source

    def at(self, key: builtins.str) -> builtins.str:
        """The JSON path of ``key`` inside this object (for error messages)."""
        return f"{self.path}.{key}" if self.path else key

    def has(self, key: builtins.str) -> builtins.bool:
        return self.data.get(key) is not None

    def raw(self, key: builtins.str) -> Any:
        return self.data.get(key)

    def str(self, key: builtins.str) -> builtins.str:
        value = self.opt_str(key)
        if value is None:
            raise ValidationError(self.source, self.at(key), "is missing")
        return value

    def opt_str(self, key: builtins.str) -> builtins.str | None:
        value = self.data.get(key)
        if value is None or isinstance(value, str):
            return value
        raise ValidationError(
            self.source, self.at(key), f"expected a string, got {_kind(value)} {preview(value)}"
        )

    def id(self, key: builtins.str) -> builtins.str:
        """An identifier given as a string or an integer (platforms mix both)."""
        value = self.opt_id(key)
        if value is None:
            raise ValidationError(self.source, self.at(key), "is missing")
        return value

    def opt_id(self, key: builtins.str) -> builtins.str | None:
        value = self.data.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, (str, int)):
            raise ValidationError(
                self.source, self.at(key), f"expected an id, got {_kind(value)} {preview(value)}"
            )
        text = str(value)
        if not text:
            raise ValidationError(self.source, self.at(key), "is empty")
        return text

    def int(self, key: builtins.str) -> builtins.int:
        value = self.opt_int(key)
        if value is None:
            raise ValidationError(self.source, self.at(key), "is missing")
        return value

    def opt_int(
        self, key: builtins.str, *, within_64_bits: builtins.bool = True
    ) -> builtins.int | None:
        """An integer, or a string of ASCII digits; within the 64-bit range unless the caller
        checks the value itself (a time, which gets its own message)."""
        value = self.data.get(key)
        if value is None:
            return None
        is_int = isinstance(value, int) and not isinstance(value, bool)
        if not is_int and not (isinstance(value, str) and _DIGITS.fullmatch(value)):
            raise ValidationError(
                self.source,
                self.at(key),
                f"expected an integer, got {_kind(value)} {preview(value)}",
            )
        number = builtins.int(value)
        if within_64_bits and not INT64_MIN <= number <= INT64_MAX:
            raise ValidationError(
                self.source, self.at(key), f"{preview(str(number))} is beyond the 64-bit range"
            )
        return number

    def opt_bool(self, key: builtins.str) -> builtins.bool | None:
        value = self.data.get(key)
        if value is None or isinstance(value, bool):
            return value
        raise ValidationError(
            self.source, self.at(key), f"expected true or false, got {preview(value)}"
        )

    def obj(self, key: builtins.str) -> Reader:
        if self.data.get(key) is None:
            raise ValidationError(self.source, self.at(key), "is missing")
        return Reader(self.data[key], self.at(key), self.source)

    def opt_obj(self, key: builtins.str) -> Reader | None:
        return None if self.data.get(key) is None else self.obj(key)

    def list(self, key: builtins.str) -> Sequence[Any]:
        value = self.data.get(key)
        if value is None:
            return ()
        if not isinstance(value, list):
            raise ValidationError(self.source, self.at(key), f"expected a list, got {_kind(value)}")
        return value

    def objs(self, key: builtins.str, required: builtins.bool = False) -> Iterator[Reader]:
        """The objects of list ``key``; a missing list is empty unless ``required``."""
        if required and self.data.get(key) is None:
            raise ValidationError(self.source, self.at(key), "is missing")
        for i, value in enumerate(self.list(key)):
            yield Reader(value, f"{self.at(key)}[{i}]", self.source)

    def unix_time(self, key: builtins.str) -> datetime | None:
        """Unix seconds given as an integer or a digit string."""
        value = self.opt_int(key, within_64_bits=False)
        if value is None:
            return None
        try:
            return datetime.fromtimestamp(value, UTC)
        except (OverflowError, OSError, ValueError):
            raise ValidationError(
                self.source, self.at(key), f"{value} is not a Unix time in seconds"
            ) from None

    def unix_millis(self, key: builtins.str) -> datetime | None:
        """Unix milliseconds given as an integer or a digit string."""
        value = self.opt_int(key, within_64_bits=False)
        if value is None:
            return None
        try:
            return datetime.fromtimestamp(value / 1000, UTC)
        except (OverflowError, OSError, ValueError):
            raise ValidationError(
                self.source, self.at(key), f"{value} is not a Unix time in milliseconds"
            ) from None

    def time(self, key: builtins.str, fmt: builtins.str | None = None) -> datetime | None:
        """A time string: ISO-8601 by default, else parsed with ``strptime(fmt)``."""
        value = self.opt_str(key)
        if value is None:
            return None
        try:
            if fmt is None:
                parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
            else:
                parsed = datetime.strptime(value, fmt)
        except ValueError:
            raise ValidationError(
                self.source, self.at(key), f"{preview(value)} is not a valid time"
            ) from None
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)

    def ref(
        self,
        ctx: ParseContext,
        platform: Platform,
        kind: ItemKind,
        scoped_id: builtins.str,
        key: builtins.str | None = None,
    ) -> ItemRef:
        """The item's ref; an id the ref refuses is reported at the path of its field: ``key``
        of this object when given, else the key whose value is the id, else this object."""
        try:
            return ItemRef(ctx.tenant, platform, kind, scoped_id)
        except ValidationError as exc:
            where = key if key is not None else self._key_of(scoped_id)
            field = self.at(where) if where is not None else self.path or "id"
            raise ValidationError(self.source, field, exc.detail) from None

    def opt_container(
        self, platform: Platform, key: builtins.str = "container"
    ) -> builtins.str | None:
        """The id of the channel, group or page a post was said in, as a hold would name it;
        one no hold could name (white space: a title in place of the id, a URL, control or
        look-alike characters) is reported at ``key``, as an item's id is."""
        value = self.opt_id(key)
        if value is None:
            return None
        try:
            ContainerRef(platform, value)
        except ValidationError as exc:
            raise ValidationError(self.source, self.at(key), exc.detail) from None
        return value

    def _key_of(self, scoped_id: builtins.str) -> builtins.str | None:
        """The key holding ``scoped_id`` as a string or an integer (for error messages)."""
        for key, value in self.data.items():
            is_id = isinstance(value, (builtins.str, builtins.int)) and not isinstance(value, bool)
            if is_id and builtins.str(value) == scoped_id:
                return builtins.str(key)
        return None


def join_path(path: str, key: str) -> str:
    """``path.key``, or ``key`` at the root: JSON paths as errors name them."""
    return f"{path}.{key}" if path else key


def _kind(value: object) -> str:
    return {
        dict: "an object",
        list: "a list",
        str: "a string",
        int: "an integer",
        float: "a number",
        bool: "a boolean",
        type(None): "null",
    }.get(type(value), type(value).__name__)
