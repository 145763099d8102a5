"""Banks of known content: what a bank and an entry are, and the canonical form of each signal.

A *bank* is a named, labelled list of known content (a GIFCT or Tech Against Terrorism list, a
platform's own removals). Each *entry* holds one signal value of one :class:`SignalType` in its
canonical form (lower-case hex for hashes, the vPDQ text form for videos, the statement itself for
text) and the labels that say what it is: group, taxonomy category, source list, who added it.
Banks carry their own match thresholds; entries and banks can be disabled without being deleted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from nigehban.errors import ValidationError
from nigehban.model.taxonomy import Category
from nigehban.privacy.masking import preview


class SignalType(StrEnum):
    """The kinds of signal a bank entry can hold."""

    PDQ = "pdq"
    VPDQ = "vpdq"
    MD5 = "md5"
    SHA1 = "sha1"
    SHA256 = "sha256"
    SHA512 = "sha512"
    TEXT = "text"


DIGEST_HEX_CHARS = {
    SignalType.MD5: 32,
    SignalType.SHA1: 40,
    SignalType.SHA256: 64,
    SignalType.SHA512: 128,
}
"""Exact-match digests and the length of their hex form."""

PDQ_BITS = 256
PDQ_HEX_CHARS = PDQ_BITS // 4
MAX_PDQ_THRESHOLD = PDQ_BITS // 2
DEFAULT_PDQ_THRESHOLD = 31
"""The field's customary PDQ match distance (bits out of 256)."""

DEFAULT_VPDQ_FRAME_THRESHOLD = 31
DEFAULT_VPDQ_MATCH_PERCENT = 80.0
DEFAULT_VPDQ_TARGET_PERCENT = 0.0
DEFAULT_TEXT_THRESHOLD = 0.7
MAX_TEXT_CHARS = 20_000
MAX_LABEL_CHARS = 500
BANK_NAME = re.compile(r"[a-z0-9][a-z0-9_.-]{0,62}")
_HEX = re.compile(r"[0-9a-f]+")


def parse_signal_type(value: str, source: str = "") -> SignalType:
    """``'PDQ'``, ``'sha-256'``, ``'SHA256'`` → :class:`SignalType`; anything else is refused."""
    key = value.strip().lower().replace("-", "").replace("_", "")
    aliases = {
        "photopdq": "pdq",
        "videovpdq": "vpdq",
        "videomd5": "md5",
        "videosha256": "sha256",
        "rawtext": "text",
    }
    key = aliases.get(key, key)
    try:
        return SignalType(key)
    except ValueError:
        known = ", ".join(t.value for t in SignalType)
        raise ValidationError(
            source, "signal_type", f"{preview(value)} is not a known algorithm ({known})"
        ) from None


def canonical_value(signal_type: SignalType, value: str, source: str = "") -> str:
    """The canonical form of ``value`` for ``signal_type``, or a :class:`ValidationError`.

    Hashes become lower-case hex of the right length; text is kept as given (stripped) and
    must be non-empty; vPDQ values are checked by :func:`nigehban.hashing.video.parse_vpdq`.
    """
    if signal_type is SignalType.PDQ:
        hex_value = value.strip().lower()
        if len(hex_value) != PDQ_HEX_CHARS or not _HEX.fullmatch(hex_value):
            raise ValidationError(
                source,
                "value",
                f"{preview(value)} is not a PDQ hash (expected {PDQ_HEX_CHARS} hex characters)",
            )
        return hex_value
    if signal_type in DIGEST_HEX_CHARS:
        size = DIGEST_HEX_CHARS[signal_type]
        hex_value = value.strip().lower()
        if len(hex_value) != size or not _HEX.fullmatch(hex_value):
            raise ValidationError(
                source,
                "value",
                f"{preview(value)} is not an {signal_type.value.upper()} digest "
                f"(expected {size} hex characters)",
            )
        return hex_value
    if signal_type is SignalType.TEXT:
        text = value.strip()
        if not text:
            raise ValidationError(source, "value", "a text entry must not be empty")
        if len(text) > MAX_TEXT_CHARS:
            raise ValidationError(
                source,
                "value",
                f"a text entry is {len(text)} characters (at most {MAX_TEXT_CHARS})",
            )
        return text
    from nigehban.hashing.video import format_vpdq, parse_vpdq

    return format_vpdq(parse_vpdq(value, source))


def check_bank_name(name: str, source: str = "") -> str:
    if not BANK_NAME.fullmatch(name):
        raise ValidationError(
            source,
            "bank",
            f"{preview(name)} is not a bank name "
            "(1-63 of a-z, 0-9, '_', '.', '-', starting with a letter or digit)",
        )
    return name


@dataclass(frozen=True, slots=True)
class Thresholds:
    """How close a query must be to an entry of this bank to match it."""

    pdq: int = DEFAULT_PDQ_THRESHOLD
    """Largest Hamming distance (bits of 256) for a PDQ match."""
    vpdq_frame: int = DEFAULT_VPDQ_FRAME_THRESHOLD
    """Largest PDQ distance for two video frames to count as the same frame."""
    vpdq_percent: float = DEFAULT_VPDQ_MATCH_PERCENT
    """Share of the query video's unique frames found in the entry's video, in percent."""
    vpdq_target_percent: float = DEFAULT_VPDQ_TARGET_PERCENT
    """Share of the entry video's unique frames found in the query, in percent. 0 (the
    python-threatexchange rule) lets an excerpt of a known video match."""
    text: float = DEFAULT_TEXT_THRESHOLD
    """Smallest text similarity in [0, 1] for a near-duplicate match."""

    def __post_init__(self) -> None:
        if not 0 <= self.pdq <= MAX_PDQ_THRESHOLD:
            raise ValidationError(
                "", "thresholds.pdq", f"{self.pdq!r} is outside 0..{MAX_PDQ_THRESHOLD}"
            )
        if not 0 <= self.vpdq_frame <= MAX_PDQ_THRESHOLD:
            raise ValidationError(
                "",
                "thresholds.vpdq_frame",
                f"{self.vpdq_frame!r} is outside 0..{MAX_PDQ_THRESHOLD}",
            )
        if not 0.0 < self.vpdq_percent <= 100.0:
            raise ValidationError(
                "", "thresholds.vpdq_percent", f"{self.vpdq_percent!r} is outside (0, 100]"
            )
        if not 0.0 <= self.vpdq_target_percent <= 100.0:
            raise ValidationError(
                "",
                "thresholds.vpdq_target_percent",
                f"{self.vpdq_target_percent!r} is outside [0, 100]",
            )
        if not 0.0 < self.text <= 1.0:
            raise ValidationError("", "thresholds.text", f"{self.text!r} is outside (0, 1]")


@dataclass(frozen=True, slots=True)
class Bank:
    name: str
    description: str = ""
    enabled: bool = True
    thresholds: Thresholds = field(default_factory=Thresholds)
    created_at: datetime | None = None
    updated_at: datetime | None = None

    def __post_init__(self) -> None:
        check_bank_name(self.name)


@dataclass(frozen=True, slots=True)
class Labels:
    """What an entry is. ``extra`` keeps every other field a source list supplied (for Tech
    Against Terrorism: ideology, file_type, deleted, created/updated on their side)."""

    group: str | None = None
    category: Category | None = None
    source: str | None = None
    added_by: str | None = None
    note: str | None = None
    extra: Mapping[str, str] = field(default_factory=dict)


def check_labels(labels: Labels, source: str = "") -> Labels:
    """``labels`` if every label (and every ``extra`` value) fits :data:`MAX_LABEL_CHARS`, the
    limit the import formats apply, so that whatever is stored can be exported and imported
    again; else a :class:`ValidationError` naming the label."""
    named = {
        "group": labels.group,
        "source": labels.source,
        "added_by": labels.added_by,
        "note": labels.note,
        **{f"extra.{key}": value for key, value in labels.extra.items()},
    }
    for name, value in named.items():
        if value is not None and len(value) > MAX_LABEL_CHARS:
            raise ValidationError(
                source, name, f"{len(value)} characters (at most {MAX_LABEL_CHARS})"
            )
    return labels


@dataclass(frozen=True, slots=True)
class Entry:
    """One known signal value in one bank. ``id`` is ``None`` until stored."""

    bank: str
    signal_type: SignalType
    value: str
    labels: Labels = field(default_factory=Labels)
    enabled: bool = True
    id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
