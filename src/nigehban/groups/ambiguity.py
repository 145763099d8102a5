"""Decide whether an ambiguous alias ("BLA", "LeT", "PTM"…) names the group in this text.

Short acronyms have everyday meanings: "bla bla", "let me know", the parent-teacher meeting.
A hit on an alias marked ``ambiguous`` counts only when all of these hold:

1. **Case**: a Latin abbreviation is written in capitals (``BLA``, ``B.L.A``) or in the group's
   own mixed case (``LeT``, ``JeM``); ``let`` and ``Bla`` are ordinary words.
2. **No reduplication**: ``BLA BLA BLA`` is filler, not a group.
3. **Context**: within a window of words around the hit, the cues that suggest the group
   (the group's own ``context.positive`` cues plus general ones such as "militants",
   "banned outfit", "کالعدم"; an unambiguous mention of any group elsewhere in the text counts
   as one more) outnumber the group's ``context.negative`` cues ("school", "teacher" for PTM).

The cues are normalised like the text, so a cue written in Urdu script or Roman Urdu matches
every spelling of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nigehban.groups.model import AliasType, Context
from nigehban.groups.registry import Registry
from nigehban.text.folding import SHAPE
from nigehban.text.normaliser import Level, normalise_text

if TYPE_CHECKING:
    from nigehban.groups.matcher import Target

WINDOW = 12
"""Words on each side of a hit that are read for cues."""

GENERAL_CUES = (
    # armed-group vocabulary
    "militant",
    "militants",
    "terrorist",
    "terrorists",
    "terrorism",
    "terror group",
    "banned outfit",
    "banned organisation",
    "banned organization",
    "banned group",
    "proscribed",
    "outfit",
    "insurgent",
    "insurgents",
    "insurgency",
    "separatist",
    "separatists",
    "claimed responsibility",
    "claims responsibility",
    "claimed the attack",
    "claims attack",
    "fighters",
    "commander",
    "commanders",
    "operatives",
    "cadres",
    "jihadi",
    "jihadis",
    "ispr",
    "ctd",
    "counter terrorism",
    "counter-terrorism",
    "sahulatkar",
    "facilitators",
    "kalaadam",
    "kaladam",
    "kalaadum",
    "dehshatgard",
    "dehshatgardon",
    "dahshatgard",
    "shiddat pasand",
    "askariyat pasand",
    # an organisation's people: members, leaders, workers, supporters, and bans on them
    "spokesman",
    "spokesperson",
    "workers",
    "activists",
    "sympathisers",
    "sympathizers",
    "banned",
    "front for",
    "affiliated",
    "affiliate",
    "faction",
    "karkun",
    "karkunan",
    "rehnuma",
    "hamdard",
    "dharna",
    # claims, attacks and slogans, in English and Roman Urdu
    "claimed",
    "claim of responsibility",
    "extremist",
    "extremists",
    "extremism",
    "militancy",
    "armed group",
    "designated",
    "suicide bomber",
    "suicide bombing",
    "hamla",
    "hamle",
    "hamlay",
    "hamlon",
    "zimmedari",
    "zimmedari qabool",
    "dehshatgardi",
    "dehshat gardi",
    "sarmachar",
    "sarmachaar",
    "fidayeen",
    "shuhada",
    "zindabad",
    "murdabad",
    "wabasta",
    "tanzim",
    "tanzeemon",
    # Urdu, Pashto and Arabic
    "کالعدم",
    "دہشت گرد",
    "دہشتگرد",
    "دہشت گردوں",
    "عسکریت پسند",
    "شدت پسند",
    "تنظیم",
    "کارکن",
    "کارکنوں",
    "رہنما",
    "جلسہ",
    "دھرنا",
    "سہولت کار",
    "کمانڈر",
    "ترجمان",
    "ترهګر",
    "ترهګرو",
    "وسله وال",
    "ډلې",
    "ډله",
    "غړي",
    "مشر",
    "بندیز",
    "تنظيم",
    "ذمہ داری",
    "جنکجو",
    "شدت پسندوں",
    "دہشت کردی",
    "زندہ باد",
    "بريد",
    "بریدونه",
    "مسلحين",
    "التنظيم",
    "الإرهابي",
    "الإرهابية",
    "إرهابي",
    "جماعة",
    "المحظورة",
    "مسلحي",
    "عناصر",
)


@dataclass(frozen=True, slots=True)
class Resolution:
    resolved: bool
    cues: tuple[str, ...]


class Resolver:
    def __init__(self, registry: Registry) -> None:
        self._registry = registry
        self._general = tuple(
            dict.fromkeys(
                c for c in (normalise_text(c, Level.AGGRESSIVE) for c in GENERAL_CUES) if c
            )
        )

    def _context(self, target: Target) -> Context:
        if target.is_label:
            return Context()
        return self._registry.group(target.entry_id).context

    def resolve(
        self,
        target: Target,
        surface: str,
        tokens: list[str],
        first: int | None,
        key: str,
        *,
        co_mentions: int,
        shouting: bool = False,
    ) -> Resolution:
        """Whether the hit of ``target`` on ``surface`` (normalised ``key`` starting at token
        ``first`` of ``tokens``) names the group."""
        spelled_out = False
        if target.alias.type is not AliasType.ABBREVIATION and not _capitalised_like(
            surface, target.alias.text
        ):
            return Resolution(False, ("not capitalised as a name",))
        if target.alias.type is AliasType.ABBREVIATION and _has_latin(surface):
            if not _written_as_acronym(surface, target.alias.text):
                return Resolution(False, ("lower-case: an ordinary word",))
            spelled_out = _spelled_out(surface)
        if first is None:
            return Resolution(False, ())
        found = self.context(target, tokens, first, key, co_mentions=co_mentions)
        if found is None:
            return Resolution(False, ("repeated word: filler",))
        score, against, cues = found
        score += 2 * spelled_out
        if spelled_out:
            cues += ("+spelled out letter by letter",)
        needed = 2 if shouting else 1
        if shouting:
            cues += ("text in capitals: two cues needed",)
        return Resolution(score >= needed and score > against, cues)

    def context(
        self, target: Target, tokens: list[str], first: int, key: str, *, co_mentions: int
    ) -> tuple[int, int, tuple[str, ...]] | None:
        """Cues for and against the group around the hit: (for, against, cues); ``None`` when
        the word is reduplicated filler. Needs only the normalised tokens."""
        width = len(key.split(" "))
        before = tokens[max(0, first - WINDOW) : first]
        after = tokens[first + width : first + width + WINDOW]
        same = {key, key.removesuffix("s"), key + "s"}
        if any(neighbour in same for neighbour in before[-1:] + after[:1]):
            return None
        window = " " + " ".join([*before, "|", *after]) + " "
        context = self._context(target)
        positive = [c for c in (*context.positive, *self._general) if f" {c} " in window]
        negative = [c for c in context.negative if f" {c} " in window]
        cues = tuple(f"+{c}" for c in dict.fromkeys(positive)) + tuple(
            f"-{c}" for c in dict.fromkeys(negative)
        )
        if co_mentions:
            cues += ("+another group named",)
        return len(dict.fromkeys(positive)) + (1 if co_mentions else 0), len(set(negative)), cues

    def may_resolve(
        self,
        target: Target,
        tokens: list[str],
        first: int,
        key: str,
        *,
        co_mentions: int,
        spelled_out_possible: bool,
    ) -> bool:
        """Whether the hit could resolve whatever its original spelling: lets the matcher skip
        locating hits that cannot count."""
        found = self.context(target, tokens, first, key, co_mentions=co_mentions)
        if found is None:
            return False
        score, against, _ = found
        best = score + (2 if spelled_out_possible else 0)
        return best >= 1 and best > against


def _capitalised_like(surface: str, alias: str) -> bool:
    """A Latin-script name written with capitals ("Islamic State") counts only where its words
    are capitalised too: "an Islamic state" is a concept, not the group."""
    wanted = [w[0].isupper() for w in alias.split() if w[:1].isalpha() and w.isascii()]
    if not any(wanted) or not _has_latin(surface):
        return True
    written = [w[0].isupper() for w in surface.translate(SHAPE).split() if w[:1].isalpha()]
    return len(written) != len(wanted) or all(w for w, x in zip(written, wanted, strict=True) if x)


def _has_latin(text: str) -> bool:
    return any("a" <= ch <= "z" for ch in text.translate(SHAPE).lower())


def spelled_out_anywhere(text: str) -> bool:
    """Whether ``text`` holds any letters kept apart (``B.L.A``); cheap, for the matcher."""
    return bool(_SPELLED_OUT.search(text))


def _spelled_out(surface: str) -> bool:
    """``B.L.A``, ``P T M``, ``L-e-J``: letters kept apart, a common filter dodge."""
    return bool(_SPELLED_OUT.search(surface))


_SPELLED_OUT = re.compile(r"[^\W\d_][.\-_ ·•*]+[^\W\d_]")


def _written_as_acronym(surface: str, alias: str) -> bool:
    letters = "".join(ch for ch in surface.translate(SHAPE) if ch.isalpha())
    own = "".join(ch for ch in alias if ch.isalpha())
    if len(letters) > len(own) and letters[-1] == "s":
        letters = letters[:-1]  # plural or possessive: BLAs, BLA's
    return letters.isupper() or letters == own
