"""A byte-level shortcut for character folding: three C passes instead of a per-character
dictionary lookup.

``str.translate`` with a dictionary costs some 30-45 ns a character once a text is not pure
ASCII (an emoji is enough). Most posts, though, are written in a small alphabet: ASCII, the
Arabic letters of Urdu, Arabic, Persian and Pashto, their marks, digits and punctuation, and a
few typographic characters. :class:`ByteFold` gives each of up to 256 such characters a byte,
then folds a text with ``codecs.charmap_encode`` (a C trie lookup), ``bytes.translate`` with
deletion (fold many bytes onto one, drop marks) and ``codecs.charmap_decode``.

It is exact by construction: the byte table is computed from the same :class:`FoldTable` the
slow path uses, and only characters whose folding is empty or a single character of the
alphabet are admitted. A text holding any other character is folded the byte way only when every
such character folds to nothing or to spaces (emoji and most symbols do): an error handler
stands in for it; otherwise :meth:`ByteFold.fold` returns ``None`` and the caller uses
``str.translate``.
"""

from __future__ import annotations

import codecs
import re
from collections.abc import Iterable

from nigehban.text.folding import FoldTable

_REPLACEMENT = "?"  # charmap_encode's stand-in for an unencodable character; ASCII folds it


def _alphabet() -> list[str]:
    # byte 0 must decode to U+0000, or charmap_build falls back to a slow dictionary
    ascii_chars = ["\0", "\t", "\n", "\r", *(chr(i) for i in range(32, 128))]
    arabic = [
        *(chr(i) for i in range(0x0621, 0x0656)),  # letters, tatweel, harakat, hamza marks
        "\u0670",
        *(chr(i) for i in range(0x0660, 0x066E)),  # Arabic-Indic digits, % and separators
        *(chr(i) for i in range(0x06F0, 0x06FA)),  # extended digits
        "،",
        "؛",
        "؟",
        "۔",
        *"ٹپچڈڑژکگںھہۂۃیےۓ",  # Urdu and Persian
        *"ټځڅډړږښګڼۍې",  # Pashto
        *"ٱۀەڪ",
    ]
    extra = [
        "\u00a0",
        "\u00ad",
        "\u200b",
        "\u200c",
        "\u200d",
        "\u200e",
        "\u200f",
        "\ufe0f",
        "\ufeff",
        *"‘’“”–—…•«»",
        *"éèêëàâäçîïôöûüñáíóú",
    ]
    return list(dict.fromkeys(ascii_chars + arabic + extra))


class ByteFold:
    def __init__(self, table: FoldTable, candidates: Iterable[str] | None = None) -> None:
        chars = list(candidates if candidates is not None else _alphabet())
        folded = {ch: table.fold(ch) for ch in chars}
        alphabet = set(chars)
        admitted = [ch for ch in chars if len(folded[ch]) == 0 or folded[ch] in alphabet][:256]
        if table.fold(_REPLACEMENT) != " " or _REPLACEMENT not in admitted:
            raise ValueError("the fold table must map '?' to a space")
        code = {ch: i for i, ch in enumerate(admitted)}
        decoding = "".join(admitted).ljust(256, "\ufffe")
        self._encoding = codecs.charmap_build(decoding)
        self._decoding = decoding
        self._fold_bytes = bytes(
            code.get(folded[ch], 0) if folded[ch] else 0 for ch in admitted
        ).ljust(256, b"\0")
        self._delete = bytes(code[ch] for ch in admitted if not folded[ch])
        self._table = table
        self._errors = f"nigehban-bytefold-{id(self)}"
        codecs.register_error(self._errors, self._outside)
        self._errors_one = f"{self._errors}-one"
        codecs.register_error(self._errors_one, self._outside_one_to_one)
        self.alphabet = frozenset(admitted)
        deleted = "".join(re.escape(ch) for ch in admitted if not folded[ch])
        inside = "".join(re.escape(ch) for ch in admitted)
        self.irregular = re.compile(f"[{deleted}]|[^{inside}]")
        """Characters that may not fold to exactly one character: deleted ones of the
        alphabet, and every character outside it."""

    def fold(self, text: str) -> str | None:
        """``text`` folded, or ``None`` when it holds a character this shortcut cannot fold."""
        try:
            encoded = codecs.charmap_encode(text, self._errors, self._encoding)[0]
        except _NotFoldableError:
            return None
        return self._decode(encoded.translate(self._fold_bytes, self._delete))

    def fold_one_to_one(self, text: str) -> str | None:
        """``text`` folded when every character folds to exactly one character (so character
        ``i`` of the result comes from character ``i`` of ``text``); otherwise ``None``."""
        try:
            encoded = codecs.charmap_encode(text, self._errors_one, self._encoding)[0]
        except _NotFoldableError:
            return None
        if len(encoded.translate(None, self._delete)) != len(encoded):
            return None
        return self._decode(encoded.translate(self._fold_bytes))

    def _decode(self, data: bytes) -> str:
        # typeshed omits the decoding-table form of the mapping (a 256-character str)
        return codecs.charmap_decode(data, "strict", self._decoding)[0]  # type: ignore[arg-type]

    def _outside(self, error: UnicodeError, *, one_to_one: bool = False) -> tuple[str, int]:
        """Error handler for characters outside the alphabet: those that fold to nothing or to
        spaces are stood in for by as many ``?`` (which folds to a space); any other aborts."""
        if not isinstance(error, UnicodeEncodeError):
            raise error
        stand_in = []
        for ch in error.object[error.start : error.end]:
            folded = self._table.fold(ch)
            if folded.strip(" ") or (one_to_one and folded != " "):
                raise _NotFoldableError
            stand_in.append(_REPLACEMENT * len(folded))
        return "".join(stand_in), error.end

    def _outside_one_to_one(self, error: UnicodeError) -> tuple[str, int]:
        return self._outside(error, one_to_one=True)


class _NotFoldableError(Exception):
    """A character outside the alphabet folds to something other than spaces."""
