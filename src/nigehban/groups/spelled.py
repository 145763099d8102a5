"""Latin acronyms written out in Urdu script: ``ISWAP`` -> ``آئی ایس ڈبلیو اے پی``.

Urdu and Pashto news and posts name a group known by a Latin acronym by the names of its
letters ("ایل ٹی ٹی ای" for the LTTE, "آئی آر جی سی" for the IRGC, in Pashto "آئي آر جي سي"), so
a registry that holds only the Latin acronym misses every such mention. The registry adds, for
each unambiguous Latin acronym of three to six letters, its Urdu-script spelling, unless the
group already has it or another group claims the same spelling.

The aggressive normaliser folds the Pashto forms of the letter names (ي ې -> ی, ټ -> ٹ) and the
Urdu full stop between letters ("آئی۔آر۔جی۔سی"), so one Urdu spelling matches all of them.

An acronym that ends in K, whose letter name is also the genitive (کے), counts spelled only
before a postposition (:data:`AFTER_GENITIVE_NAME`): "پی کے کے" alone is "PK's" as often as the
PKK.

Only unambiguous acronyms are spelled: where the Latin acronym needs context ("BLA", "PTM",
"SSP"), whether its Urdu spelling does too is a curator's call, written in the registry files.
"""

from __future__ import annotations

import re

from nigehban.groups.model import Alias, AliasType
from nigehban.text.transliterate import LETTER_NAMES

SOURCE = "spelled"
"""``Alias.source`` of the spellings added here."""

MIN_LETTERS = 3
"""Two letters spelled out ("پی کے") are everyday Urdu words too often."""
MAX_LETTERS = 6
"""Longer acronyms are read as words or not at all."""

GENITIVE_LETTERS = frozenset("K")
"""Letters whose Urdu name is also the genitive postposition (کے, folded with کی): "پی کے کے"
reads as the PKK or as "PK's" (a constituency, the film), "آئی ایس کے" as "IS's". An acronym
ending in one counts only before one of :data:`AFTER_GENITIVE_NAME`."""

AFTER_GENITIVE_NAME = ("کا", "کی", "کے", "کو", "نے", "سے", "میں", "پر", "تک", "اور")
"""Words that follow a name but never the genitive postposition: "پی کے کے نے" (the PKK, with
the ergative), "پی کے کے کا" (the PKK's), never "PK's" followed so ("پی کے کے امیدوار", PK's
candidate; "پی کے کے بعد", after PK, is a compound postposition: not listed)."""

_PART = re.compile(r"(?:[A-Z][a-z]?)+")
"""A capital, each followed by at most one small letter: ``ISWAP``, ``JuA``, ``HuJI``."""
_SEPARATORS = re.compile(r"[-.]")


def acronym_letters(text: str) -> str | None:
    """The letters of ``text`` when it is written as an acronym (``ISWAP``, ``IS-K``,
    ``TTP-JuA``, ``L.T.T.E``), upper-cased; ``None`` for anything else, such as a word
    ("JSQM-Arisar") or a name with spaces ("MSO Gilgit")."""
    parts = [p for p in _SEPARATORS.split(text) if p]
    if not parts or not all(p.isascii() and _PART.fullmatch(p) for p in parts):
        return None
    letters = "".join(parts).upper()
    if not MIN_LETTERS <= len(letters) <= MAX_LETTERS:
        return None
    return letters


def urdu_spelling(letters: str) -> str:
    """``letters`` (upper-case Latin) named one by one in Urdu script, space-separated."""
    return " ".join(LETTER_NAMES[ch] for ch in letters)


def spelled_aliases(aliases: tuple[Alias, ...]) -> list[Alias]:
    """The Urdu-script spellings of the unambiguous, matched Latin acronyms among
    ``aliases``, in order, one per acronym (duplicates are for the caller to drop)."""
    out: list[Alias] = []
    for alias in aliases:
        if alias.type is not AliasType.ABBREVIATION or not alias.match or alias.ambiguous:
            continue
        letters = acronym_letters(alias.text)
        if letters is None:
            continue
        genitive = letters[-1] in GENITIVE_LETTERS
        out.append(
            Alias(
                text=urdu_spelling(letters),
                lang="ur",
                type=AliasType.ABBREVIATION,
                note=f"{alias.text} written out letter by letter in Urdu script"
                + (", counted before a postposition" if genitive else ""),
                source=SOURCE,
                followed_by=AFTER_GENITIVE_NAME if genitive else (),
            )
        )
    return out
