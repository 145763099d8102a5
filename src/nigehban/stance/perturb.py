"""Evasion tricks, applied deterministically to a text, for the perturbation test.

Each trick is what evaders do to slip past filters; the model card reports, for each, how
much recall falls and how much the false-positive rate on protected posts rises when every
text of a set is rewritten with it:

* ``zero_width``: a zero-width space or joiner inside every longer word;
* ``homoglyph``: Latin letters replaced by Cyrillic look-alikes (а е о р с х у і);
* ``spaced_acronym``: acronyms written with dots (TTP → T.T.P);
* ``tatweel_diacritics``: Arabic-script words stretched with tatweel and marked with harakat;
* ``arabic_letters``: Urdu letters replaced by their Arabic counterparts (ی→ي, ک→ك, ہ→ه);
* ``emoji_padding``: emoji between words;
* ``group_hashtag``: the group's hashtag appended (``#TTP``), as supporters tag their posts.
"""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable

_CYRILLIC = str.maketrans("aeopcxyiAEOPCXYIKMHTB", "аеорсхуіАЕОРСХУІКМНТВ")
_URDU_TO_ARABIC = str.maketrans({"ی": "ي", "ک": "ك", "ہ": "ه", "ۃ": "ة", "ے": "ي", "گ": "ك"})
_ACRONYM = re.compile(r"\b[A-Z]{2,5}s?\b")
_WORD = re.compile(r"\w{4,}")
_ARABIC_WORD = re.compile(r"[\u0620-\u064a\u0679-\u06d3]{3,}")
_EMOJI = ("🔥", "💯", "🙏", "⚔️", "🇵🇰", "✅", "👇", "🌹")


def _seed(text: str) -> int:
    return zlib.crc32(text.encode())


def zero_width(text: str) -> str:
    marks = ("\u200b", "\u200c", "\u200d")

    def insert(m: re.Match[str]) -> str:
        w = m.group()
        k = _seed(w) % (len(w) - 1) + 1
        return w[:k] + marks[_seed(w) % 3] + w[k:]

    return _WORD.sub(insert, text)


def homoglyph(text: str) -> str:
    return text.translate(_CYRILLIC)


def spaced_acronym(text: str) -> str:
    return _ACRONYM.sub(lambda m: ".".join(m.group()), text)


def tatweel_diacritics(text: str) -> str:
    def stretch(m: re.Match[str]) -> str:
        w = m.group()
        k = len(w) // 2
        return w[:k] + "\u0640\u0640" + w[k] + "\u064e" + w[k + 1 :]

    return _ARABIC_WORD.sub(stretch, text)


def arabic_letters(text: str) -> str:
    return text.translate(_URDU_TO_ARABIC)


def emoji_padding(text: str) -> str:
    words = text.split(" ")
    seed = _seed(text)
    out = []
    for i, word in enumerate(words):
        out.append(word)
        if i % 3 == 2:
            out.append(_EMOJI[(seed + i) % len(_EMOJI)])
    return " ".join(out)


_ARABIC_SCRIPT = re.compile(r"[\u0600-\u06ff]")
_PASHTO_LETTERS = re.compile(r"[ټډړښږځڅګڼېۍ]")


def group_hashtag(text: str) -> str:
    """The group's hashtag appended, as its supporters tag their posts (spelled in the
    post's script: Pashto letters in a post with Pashto letters): what a post says does not
    change with the tag."""
    if _PASHTO_LETTERS.search(text):
        tag = "#ټي_ټي_پي"
    elif _ARABIC_SCRIPT.search(text):
        tag = "#ٹی_ٹی_پی"
    else:
        tag = "#TTP"
    return f"{text} {tag}"


TRICKS: dict[str, Callable[[str], str]] = {
    "zero_width": zero_width,
    "homoglyph": homoglyph,
    "spaced_acronym": spaced_acronym,
    "tatweel_diacritics": tatweel_diacritics,
    "arabic_letters": arabic_letters,
    "emoji_padding": emoji_padding,
    "group_hashtag": group_hashtag,
}
