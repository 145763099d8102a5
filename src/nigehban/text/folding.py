"""Character folding tables for the normaliser, one lazily filled table per stage.

Each table is a ``dict`` subclass whose ``__missing__`` computes the folding of a character on
first use and caches it, so :meth:`str.translate` runs the whole stage in C while the slow,
offset-tracking path looks up exactly the same entries character by character. Both paths
therefore agree by construction on every character-level step.

Every table maps a character to a *fixed point*: folding the output again changes nothing.
That is what makes each normalisation level idempotent (a property test holds us to it).

Stages:

* ``LIGHT``: compatibility forms (NFKC of the character: full-width letters, ligatures,
  Arabic presentation forms), zero-width and other format characters and tatweel dropped,
  Arabic diacritics (harakat) dropped, Arabic keyboard letters ي ك ى folded to their Urdu
  forms, Arabic-Indic and Urdu digits to ASCII. Case and Latin accents are kept.
* ``SHAPE``: the case-preserving part of aggressive folding: compatibility decomposition
  (NFKD) with every combining mark dropped, then Latin look-alikes (Cyrillic, Greek, small
  capitals, dotless i…) to ASCII letters. Used where case still matters (is an acronym written
  in capitals?).
* ``MATCH``: aggressive folding: ``SHAPE`` after case folding, plus the Arabic-script letter
  variants that Urdu, Arabic, Persian and Pashto spell differently (ي/ی/ى/ے, ك/ک/گ, ه/ہ/ھ/ة,
  hamza carriers, Pashto letters to their Urdu counterparts), every decimal digit to ASCII, and
  every character that is then not a letter or digit to a space.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

# Latin look-alikes, case preserved: Cyrillic, Greek, small capitals and other lookalikes.
_HOMOGLYPHS: dict[str, str] = {
    **dict(zip("АВСЕНІЈКМОРЅТУХԀԚԜҮӀЬ", "ABCEHIJKMOPSTYXDQWYIb", strict=True)),
    **dict(zip("авсеніјкморѕтухԁԛԝүӏь", "abcehijkmopstyxdqwylb", strict=True)),
    **dict(zip("ΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "ABEZHIKMNOPTYX", strict=True)),
    **dict(zip("αβεικνορτυχϲ", "abeiknoptyxc", strict=True)),
    **dict(zip("ᴀʙᴄᴅᴇꜰɢʜɪᴊᴋʟᴍɴᴏᴘʀꜱᴛᴜᴠᴡʏᴢ", "abcdefghijklmnoprstuvwyz", strict=True)),
    "ı": "i",
    "ł": "l",
    "Ł": "L",
    "ø": "o",
    "Ø": "O",
    "đ": "d",
    "Đ": "D",
    "ð": "d",
    "ɑ": "a",
    "ɡ": "g",
    "ʋ": "v",
    "ꞵ": "b",
}

# Arabic-script letters that different orthographies (and keyboards) write differently.
_ARABIC_VARIANTS: dict[str, str] = {
    "ي": "ی",  # Arabic yeh -> Farsi/Urdu yeh
    "ى": "ی",  # alef maksura
    "ې": "ی",  # Pashto
    "ۍ": "ی",  # Pashto
    "ے": "ی",  # Urdu bari ye
    "ك": "ک",  # Arabic kaf -> keheh
    "ڪ": "ک",
    "ګ": "ک",  # Pashto gaf
    "گ": "ک",  # gaf: Arabic spells Urdu names with ك
    "ه": "ہ",  # Arabic heh -> Urdu heh goal
    "ھ": "ہ",  # do-chashmi heh
    "ە": "ہ",
    "ة": "ہ",  # teh marbuta
    "ۃ": "ہ",
    "ٱ": "ا",  # alef wasla
    "ټ": "ٹ",  # Pashto -> Urdu retroflex letters
    "ډ": "ڈ",
    "ړ": "ڑ",
    "ڼ": "ن",
    "ښ": "ش",
    "ږ": "ژ",
    "څ": "چ",
    "ځ": "ز",
}
_LIGHT_ARABIC: dict[str, str] = {"ي": "ی", "ى": "ی", "ك": "ک"}

_DIGITS: dict[str, str] = {
    **{chr(0x0660 + i): str(i) for i in range(10)},  # Arabic-Indic
    **{chr(0x06F0 + i): str(i) for i in range(10)},  # Extended (Urdu, Persian)
}

_HAMZA = "\u0621"
_TATWEEL = "\u0640"


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch) in ("Mn", "Me") or unicodedata.combining(ch) != 0


def _is_dropped(ch: str) -> bool:
    """Zero-width, bidi and other format characters, tatweel and the bare hamza."""
    return unicodedata.category(ch) == "Cf" or ch in (_TATWEEL, _HAMZA)


def _is_arabic_diacritic(ch: str) -> bool:
    cp = ord(ch)
    return 0x064B <= cp <= 0x065F or cp == 0x0670 or 0x06D6 <= cp <= 0x06ED


def _shape(ch: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKD", ch):
        if _is_mark(c):
            continue
        out.append(_HOMOGLYPHS.get(c, c))
    return "".join(out)


def _match(ch: str) -> str:
    out = []
    for c in _shape(ch.casefold()).casefold():
        if _is_dropped(c):
            continue
        letter = _ARABIC_VARIANTS.get(c, c)
        digit = unicodedata.decimal(letter, None)
        folded = letter if digit is None else str(digit)
        out.append(folded if folded.isalnum() else " ")
    return "".join(out)


def _light(ch: str) -> str:
    out = []
    for c in unicodedata.normalize("NFKC", ch):
        if _is_dropped(c) or _is_arabic_diacritic(c):
            continue
        letter = _LIGHT_ARABIC.get(c, c)
        out.append(_DIGITS.get(letter, letter))
    return "".join(out)


def _to_fixed_point(fold: Callable[[str], str], ch: str) -> str:
    """Fold ``ch`` until folding each output character again changes nothing."""
    current = fold(ch)
    for _ in range(4):
        again = "".join(fold(c) for c in current)
        if again == current:
            return current
        current = again
    return current


class FoldTable(dict[int, str]):
    """A :meth:`str.translate` table that computes and caches each character's folding."""

    def __init__(self, fold: Callable[[str], str]) -> None:
        super().__init__()
        self._fold = fold

    def __missing__(self, codepoint: int) -> str:
        folded = _to_fixed_point(self._fold, chr(codepoint))
        self[codepoint] = folded
        return folded

    def fold(self, ch: str) -> str:
        return self[ord(ch)]


LIGHT = FoldTable(_light)
SHAPE = FoldTable(_shape)
MATCH = FoldTable(_match)
ASCII_MATCH: dict[int, str] = {i: _match(chr(i)) for i in range(128)}
"""``MATCH`` for ASCII characters, as a plain table: ``str.translate`` runs it in its fast path."""
