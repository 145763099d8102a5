"""Spans: positions in an item's original text, in Unicode code points.

Inside Nigehban every span counts code points (Python string indices). Some platforms count
UTF-16 code units (Telegram entities, Facebook ``message_tags``); adapters convert at the edge
with :func:`utf16_to_codepoints` and output facing such a platform converts back with
:func:`codepoints_to_utf16`.
"""

from __future__ import annotations

from dataclasses import dataclass

from nigehban.errors import ValidationError


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """Half-open ``[start, end)`` in code points of the original text."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValidationError("", "span", f"[{self.start}, {self.end}) is not a valid span")

    def slice(self, text: str) -> str:
        return text[self.start : self.end]


def _utf16_index(text: str) -> list[int]:
    """``index[u]`` = code point index at UTF-16 offset ``u`` (for every unit boundary)."""
    index: list[int] = []
    for cp, ch in enumerate(text):
        index.append(cp)
        if ord(ch) > 0xFFFF:
            index.append(cp)  # the low surrogate maps to the same code point
    index.append(len(text))
    return index


def utf16_length(text: str) -> int:
    return sum(2 if ord(ch) > 0xFFFF else 1 for ch in text)


def utf16_to_codepoints(text: str, offset: int, length: int) -> Span:
    """Convert a UTF-16 ``(offset, length)`` pair into a code-point span of ``text``.

    Raises :class:`ValidationError` when the pair falls outside the text.
    """
    total = utf16_length(text)
    if offset < 0 or length < 0 or offset + length > total:
        raise ValidationError(
            "", "entity", f"UTF-16 range ({offset}, {length}) exceeds the text ({total} units)"
        )
    index = _utf16_index(text)
    return Span(index[offset], index[offset + length])


def codepoints_to_utf16(text: str, span: Span) -> tuple[int, int]:
    """Convert a code-point span of ``text`` into a UTF-16 ``(offset, length)`` pair."""
    if span.end > len(text):
        raise ValidationError("", "span", f"{span} exceeds the text ({len(text)} code points)")
    offset = utf16_length(text[: span.start])
    return offset, utf16_length(text[span.start : span.end])
