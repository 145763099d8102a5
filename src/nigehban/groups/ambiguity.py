"""Decide whether an ambiguous alias ("BLA", "LeT", "PTM"…) names the group in this text.

Short acronyms have everyday meanings: "bla bla", "let me know", the parent-teacher meeting.
A hit on an alias marked ``ambiguous`` counts only when all of these hold:

1. **Case**: a Latin abbreviation is written in capitals (``BLA``, ``B.L.A``) or in the group's
   own mixed case (``LeT``, ``JeM``); ``let`` and ``Bla`` are ordinary words.
2. **No reduplication**: ``BLA BLA BLA`` is filler, not a group.
3. **Context**, by one of two rules:

   * for the names the sense model decides (``SSP``, ``HGB``: :mod:`nigehban.groups.sense`),
     a proscribing word right before the name ("کالعدم SSP", "the banned SSP"), or else the
     model's logit over the hit's features reaching its threshold;
   * for every other name, within a window of words around the hit, the cues that suggest the
     group (the group's own ``context.positive`` cues plus general ones such as "militants",
     "banned outfit", "کالعدم"; an unambiguous mention of any group elsewhere in the text
     counts as one more, and so does a name the registry marks ``hashtag`` written as one
     hashtag, ``#IslamicState``; a spelling letter by letter counts two) outnumber the group's
     ``context.negative`` cues ("school", "teacher" for PTM). The name's own plural is no cue
     for it ("BRA … BRAS" in a shop's post).

The cues are normalised like the text, so a cue written in Urdu script or Roman Urdu matches
every spelling of it, and a Latin cue's possessive or plural ("Dylan's", which the normaliser
writes "dylans") is the cue; they are found with one Aho-Corasick automaton.

A name ``presumed`` the group ("ISIS") counts unless the cues against it outnumber those for it,
where it is written as the group's name is: in capitals, or in lower case beside a word of the
group's world (:data:`TOPIC_CUES`).
"""

from __future__ import annotations

import functools
import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import ahocorasick

from nigehban.groups.model import AliasType, Context
from nigehban.groups.registry import Registry
from nigehban.groups.sense import SenseModel, describe
from nigehban.text.folding import SHAPE
from nigehban.text.normaliser import Level, normalise_text

if TYPE_CHECKING:
    from nigehban.groups.matcher import Target

WINDOW = 12
"""Words on each side of a hit that are read for cues."""

ARMED = "armed"
"""A registry entry's ``context.general`` value that reads only :data:`ARMED_CUES`."""

ARMED_CUES = (
    "militant",
    "militants",
    "terrorist",
    "terrorists",
    "terrorism",
    "terror group",
    "proscribed",
    "insurgent",
    "insurgents",
    "insurgency",
    "commander",
    "commanders",
    "kalaadam",
    "kaladam",
    "kalaadum",
    "dehshatgard",
    "dehshatgardon",
    "dahshatgard",
    "dehshatgardi",
    "dehshat gardi",
    "extremist",
    "extremists",
    "extremism",
    "militancy",
    "armed group",
    "designated",
    "claimed responsibility",
    "claims responsibility",
    "banned outfit",
    "banned organisation",
    "banned organization",
    "banned group",
    "suicide bomber",
    "suicide bombing",
    "کالعدم",
    "دہشت گرد",
    "دہشتگرد",
    "دہشت گردوں",
    "عسکریت پسند",
)
"""The armed group's own words among :data:`GENERAL_CUES`: what a registry entry's
``general: armed`` reads, where the rest (an organisation's workers, rallies, slogans and martyrs)
fit the name's everyday bearers as well (a health team, a kabaddi side, a seminary, a clinic)."""

GENERAL_CUES = (
    *ARMED_CUES,
    # more armed-group vocabulary, some of it also a team's, a party's or a soldier's
    "outfit",
    "separatist",
    "separatists",
    "claimed the attack",
    "claims attack",
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
    "hamla",
    "hamle",
    "hamlay",
    "hamlon",
    "zimmedari qabool",
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


TOPIC_CUES = (
    # the armed group's world, as a post naming the group in lower case speaks of it
    "militant",
    "militants",
    "terror",
    "terrorist",
    "terrorists",
    "terrorism",
    "extremist",
    "extremists",
    "jihad",
    "jihadi",
    "jihadis",
    "jihads",
    "jihadist",
    "jihadists",
    "fighters",
    "insurgents",
    "attack",
    "attacks",
    "bombing",
    "bombings",
    "suicide bomber",
    "beheaded",
    "beheading",
    "executed",
    "hostage",
    "hostages",
    "recruit",
    "recruits",
    "recruiting",
    "recruitment",
    "recruiter",
    "propaganda",
    "supporter",
    "supporters",
    "sympathisers",
    "sympathizers",
    "fanboys",
    "black flag",
    "syria",
    "syrian",
    "iraq",
    "iraqi",
    "muslim",
    "muslims",
    "islam",
    "islamic",
    "ummah",
    "sharia",
    "shariah",
    "caliphate",
    "khilafat",
    "khilafah",
    "kuffar",
    "crusaders",
    "taliban",
    "qaeda",
    "daesh",
    # Roman Urdu
    "musalman",
    "musalmano",
    "musalmanon",
    "dehshatgard",
    "dehshatgardon",
    "dehshatgardi",
    "dahshatgard",
    "shiddat pasand",
    "hamla",
    "hamle",
    "hamlay",
    "fauj",
    "fauji",
    "khatam",
    "khtam",
    "khtm",
    "khatm",
    "shadyantr",
    "sazish",
)
"""Words of the armed group's world (the general cues less those of everyday use, "claimed",
"workers", "zindabad"; and the places, faith and slogans it speaks of): ``isis`` in lower case,
as Roman Urdu comments and lower-cased news feeds write the group, is presumed the group only
beside one of them. Without one a friend or a pet so written ("isis did the slides") needs a
cue, as other ambiguous names do."""

TOPIC = "topic"
"""The feature of a presumed name with one of :data:`TOPIC_CUES` in its window."""


EVERYDAY_PHRASES = tuple(
    f" {normalise_text(phrase, Level.AGGRESSIVE)} " for phrase in ("يا جماعة", "banned from")
)
"""Phrases that hold a cue in an everyday sense, read as no cue: Arabic "hey, folks" is a form
of address, not a group (Urdu's "or the party" is written یا جماعت and stays one); a person or
a thing "banned from" a server, a chat or a street is no proscribed organisation."""


@dataclass(frozen=True, slots=True)
class Resolution:
    resolved: bool
    cues: tuple[str, ...]
    probability: float | None = None


PLAIN_HERE = "plain-here"
"""The feature of a name ambiguous only in other languages than the post's (``ambiguous_in``):
it counts unless a negative cue is near, or it is spelled with a letter only Arabic uses."""
KIN = "kin"
"""The feature of a name of several words whose group the same text names by another name of
several words ("al-Furqan Media … the Islamic State"): one cue, as another group named is."""
_ARABIC_ONLY = frozenset("ةۃيكى")
"""Letters of the Arabic spelling of a word: Arabic's own (Urdu, Pashto and Persian write ہ
or ه, ی, ک), and Urdu's taa marbuta ۃ, which Urdu keeps for Arabic words and phrases."""

PRESUMED = "presumed"
"""The feature of a name the registry presumes names the group (``presumed``): it counts
unless the cues against it outnumber those for it, where it is written as the group's name is.
A name, capitalised as one ("Shining Path", not "a shining path"); an acronym, in capitals in a
text that is not, or in lower case ("ISIS", "isis"), while capitalised as a given name ("Isis")
or in a text in capitals it needs a cue, as other ambiguous names do."""

FAR = 40
"""Words on each side beyond the window that still count, as the post's topic."""
_SHORT = 3


class Resolver:
    """Resolves ambiguous hits: the sense model (:mod:`nigehban.groups.sense`) for the names
    it decides; the curated cues for every other name, or for all without a model."""

    def __init__(self, registry: Registry, sense: SenseModel | None = None) -> None:
        self._registry = registry
        self._sense = sense
        self._general = _normalised(GENERAL_CUES)
        self._armed = _normalised(ARMED_CUES)
        self._topic = _normalised(TOPIC_CUES)
        cues = set(self._general | self._topic)
        for group in registry.groups():
            cues.update(group.context.positive)
            cues.update(group.context.negative)
        automaton = ahocorasick.Automaton()
        for cue in sorted(c for c in cues if c):
            automaton.add_word(f" {cue} ", cue)
        for cue in sorted(c for c in cues if c and c.isascii() and not c.endswith("s")):
            if f" {cue}s " not in automaton:
                automaton.add_word(f" {cue}s ", cue)
        automaton.make_automaton()
        self._cues = automaton

    @property
    def sense(self) -> SenseModel | None:
        return self._sense

    def _context(self, target: Target) -> Context:
        if target.is_label:
            return Context()
        return self._registry.group(target.entry_id).context

    def own_cues(self, target: Target, tokens: list[str], first: int, width: int) -> int:
        """How many of the group's own ``context.positive`` cues (not the general ones) are
        within the window around the name at token ``first``: which of several groups that
        share a name ("Ansar al-Sharia") the text is about."""
        own = set(self._context(target).positive)
        if not own:
            return 0
        return len(self._cues_near(*_around(tokens, first, width)) & own)

    def lends_co(self, target: Target) -> bool:
        """Whether another group named counts as a cue for ``target`` (``context.co``)."""
        return self._context(target).co

    def _cues_near(self, before: list[str], after: list[str], key: str = "") -> set[str]:
        """The cues (general and every group's) among the words on either side of a name;
        none read across another occurrence of the name ``key`` there ("the Kashmir
        resistance front of 1931": no "front of")."""
        window = " " + " ".join([*before, "|", *after]) + " "
        for phrase in EVERYDAY_PHRASES:
            window = window.replace(phrase, " ")
        for name in (f" {key} ", f" {key}s ") if key else ():
            while name in window:
                window = window.replace(name, " | ")
        return {cue for _, cue in self._cues.iter(window)}

    def features(
        self,
        target: Target,
        tokens: list[str],
        first: int,
        key: str,
        *,
        co_mentions: int,
        kin: bool = False,
        shouting: bool = False,
        words: bool = False,
        plain_here: bool = False,
    ) -> list[str] | None:
        """The sense features of the hit of ``target`` on normalised ``key`` at token ``first``
        of ``tokens``; ``None`` when the word is reduplicated filler ("BLA BLA"). The word
        features (``p=``, ``n=``, ``w=``, ``t=``) only where the sense model decides the name,
        or with ``words`` (training): the cues need none of them."""
        width = len(key.split(" "))
        before, after = _around(tokens, first, width)
        same = {key, key.removesuffix("s"), key + "s"}
        if any(neighbour in same for neighbour in before[-1:] + after[:1]):
            return None
        alias = f"a={_named(target, key)}"
        out = [alias]
        decided = self._sense is not None and self._sense.decides(alias)
        if words or decided:
            out += _word_features(alias, tokens, first, width, before, after)
            proscribing = _proscribing_phrase(before)
            if proscribing is not None:
                out.append(f"{PROSCRIBED}{proscribing}")
        ruled = not (words or decided)
        # for the cues' rule, no cue is read across the name's other occurrences, and the name
        # again, or its own plural, is the same everyday word ("BRA … BRAS", a show's title and
        # its hashtag): no cue (the sense model weighs every word itself)
        found = self._cues_near(before, after, key if ruled else "")
        if ruled:
            found.difference_update((key, key + "s"))
        context = self._context(target)
        general = (
            self._general
            if context.general is True
            else self._armed
            if context.general == ARMED
            else frozenset()
        )
        positive = sorted(found & (general | set(context.positive)))
        negative = sorted(found & set(context.negative))
        if positive:
            out.append(f"cue+={min(len(positive), 3)}")
            out.extend(f"c+={cue}" for cue in positive)
        if negative:
            out.append(f"cue-={min(len(negative), 2)}")
            out.extend(f"c-={cue}" for cue in negative)
        if co_mentions and context.co:
            out.append("co")
        if kin:
            out.append(KIN)
        if shouting:
            out.append("shout")
        out.append("len=" + ("short" if len(tokens) < 8 else "mid" if len(tokens) < 30 else "long"))
        if key.isascii() and any(not t.isascii() for t in (*before, *after)):
            out.append("mixed-script")
        if plain_here:
            out.append(PLAIN_HERE)
        if target.alias.presumed:
            out.append(PRESUMED)
            if found & (self._topic | set(context.positive)):
                out.append(TOPIC)
        return list(dict.fromkeys(out))

    def resolve(
        self,
        target: Target,
        surface: str,
        features: list[str] | None,
        *,
        tagged: bool = False,
        framed: bool = False,
        with_article: bool = False,
        disguised: bool = False,
    ) -> Resolution:
        """Whether the hit of ``target`` on ``surface`` names the group, given its
        :meth:`features`; ``tagged``: the surface is a whole hashtag (``#IslamicState``);
        ``with_article``: the Arabic article stands right before it (``al-Qaeda``);
        ``disguised``: a Latin name written to slip past filters ("Um4r Med1a": leetspeak,
        look-alike letters of another script, invisible characters). Nobody disguises a
        wedding studio's name: that counts as a letter-by-letter spelling does."""
        article = target.alias.article
        with_article = with_article and bool(article) and _has_latin(surface)
        if article == "required" and not with_article and _has_latin(surface):
            return Resolution(False, ("written without its article",))
        # an acronym presumed the group is so in lower case too ("isis"); a presumed name only
        # capitalised as one ("Shining Path", not "a shining path")
        acronym = target.alias.type is AliasType.ABBREVIATION
        presumed = target.alias.presumed and acronym
        rejected = None if with_article or presumed else rejected_spelling(target, surface)
        if rejected is not None:  # in lower case with its article it is still the name
            return Resolution(False, (rejected,))
        if features is None:
            return Resolution(False, ("repeated word: filler",))
        if (
            PRESUMED in features
            and presumed
            and not _presumed_spelling(surface, "shout" in features, TOPIC in features)
        ):
            # "Isis" is a given name, a pet, the goddess as often as the group, and so is
            # "ISIS" in a text in capitals, or "isis" with nothing of the group's world near:
            # they need a cue as other ambiguous names do
            features = [f for f in features if f != PRESUMED]
        if PLAIN_HERE in features and any(ch in _ARABIC_ONLY for ch in surface):
            # written the Arabic way (القاعدة), even in an Urdu post: quoting Arabic, ambiguous
            features = [f for f in features if f != PLAIN_HERE]
        if self._sense is not None and self._sense.decides(features[0]):
            marked = _proscribed_before(features)
            if marked is not None:
                return Resolution(True, (marked,), 1.0)
            logit = self._sense.logit(features)
            return Resolution(
                logit >= self._sense.threshold,
                self._sense.explain(features),
                round(1.0 / (1.0 + math.exp(-logit)), 4),
            )
        spelled = (
            target.alias.type is AliasType.ABBREVIATION
            and _has_latin(surface)
            and _spelled_out(surface)
            # an abbreviation written with a space or hyphen of its own ("MSO Gilgit") is no
            # spelling-out when so written
            and not _spelled_out(target.alias.text)
        )
        dodges = (
            (["f=spelled"] if spelled else [])
            + (["f=stretched"] if stretched(surface) else [])
            + (["f=disguised"] if disguised else [])
        )
        if tagged and target.alias.hashtag:
            dodges.append(HASHTAG)
        if with_article:
            dodges.append(ARTICLE)
        if framed:
            dodges.append(FRAMED)
        if not target.alias.match:
            dodges.append(TAG_ONLY)
        return _by_cues(features + dodges)

    def may_resolve(
        self,
        target: Target,
        features: list[str] | None,
        *,
        spelled_out_possible: bool,
        tagged_possible: bool = False,
        co_possible: bool = False,
    ) -> bool:
        """Whether the hit could resolve whatever its original spelling: lets the matcher skip
        locating hits that cannot count. ``co_possible``: another ambiguous name is in the
        text, which may resolve and count as another group named."""
        if features is None:
            return False
        if co_possible and "co" not in features and self.lends_co(target):
            features = [*features, "co"]
        if self._sense is not None and self._sense.decides(features[0]):
            return _proscribed_before(features) is not None or self._sense.counts(features)
        possible = (["f=spelled"] if spelled_out_possible else []) + (
            [HASHTAG] if tagged_possible and target.alias.hashtag else []
        )
        if target.alias.article:  # where the article stands is read once the hit is located
            possible.append(ARTICLE)
        if not target.alias.match:
            possible.append(TAG_ONLY)
        return _by_cues(features + possible).resolved


def _normalised(cues: tuple[str, ...]) -> frozenset[str]:
    return frozenset(c for c in (normalise_text(c, Level.AGGRESSIVE) for c in cues) if c)


def _around(tokens: list[str], first: int, width: int) -> tuple[list[str], list[str]]:
    """The words within the window before and after a name of ``width`` words at ``first``."""
    return tokens[max(0, first - WINDOW) : first], tokens[first + width : first + width + WINDOW]


HASHTAG = "f=hashtag"
"""The feature of a name written as one hashtag of its words (``#IslamicState``), for the
names whose registry entry says a hashtag marks the group (``hashtag: true``)."""
ARTICLE = "f=article"
"""The feature of a name that begins with al- written with the article (``al-Qaeda``), for
the names whose registry entry says so (``article: true``): one cue for the group, enough
alone even in capitals, so the name counts unless cues against are as many."""
FRAMED = "f=framed"
"""The feature of a name kept out of running text found in one of its frames ("fighters of
IS", "IS claims": :mod:`nigehban.groups.frames`), shown to reviewers: the frame makes it a
candidate, not a cue (as the hashtag does ``#IS``)."""
TAG_ONLY = "f=tag-only"
"""A name matched only as a whole hashtag (``#IS``): the hashtag is what makes it a candidate,
not a cue, as everyday hashtags of it (Information Systems, Iceland) are written so too."""

PROSCRIBED_BEFORE = frozenset(
    normalise_text(word, Level.AGGRESSIVE)
    for word in ("کالعدم", "kalaadam", "kaladam", "kalaadum", "banned", "proscribed", "outlawed")
)
"""Words that, right before a name the sense model decides, settle it: "the banned SSP",
"کالعدم HGB". No police rank or blood test is called banned; the sense model, which reads the
same word among many, was measured to miss such hits."""

ORGANISATION_WORDS = frozenset(
    normalise_text(word, Level.AGGRESSIVE)
    for word in (
        "outfit", "organisation", "organization", "group", "tanzeem", "tanzim", "تنظیم",
        "jamaat", "جماعت",
    )
)  # fmt: skip
"""Words between a proscribing word and the name that keep it settling: "the banned outfit
SSP", "کالعدم تنظیم SSP"."""

PROSCRIBED = "proscribed="
"""Feature prefix of a proscribing word or phrase right before the hit."""


def _proscribing_phrase(before: list[str]) -> str | None:
    """The proscribing word right before the hit, or two words before with an organisation word
    between ("banned outfit"), else None."""
    if before and before[-1] in PROSCRIBED_BEFORE:
        return before[-1]
    if len(before) >= 2 and before[-2] in PROSCRIBED_BEFORE and before[-1] in ORGANISATION_WORDS:
        return f"{before[-2]} {before[-1]}"
    return None


def _proscribed_before(features: list[str]) -> str | None:
    """The cue when a proscribing word or phrase comes right before the hit, else None."""
    marked = next((f.removeprefix(PROSCRIBED) for f in features if f.startswith(PROSCRIBED)), None)
    return None if marked is None else f"+proscribed: {marked} (before the name)"


def _word_features(
    alias: str, tokens: list[str], first: int, width: int, before: list[str], after: list[str]
) -> list[str]:
    """The words just before and after the hit, within the window and further off, alone and
    with the name. Only words of four letters or more: short ones are mostly function words,
    which say which language a post is in rather than which sense the name has."""
    out = []
    if before and len(before[-1]) > _SHORT:
        out += [f"p={before[-1]}", f"{alias}|p={before[-1]}"]
    if after and len(after[0]) > _SHORT:
        out += [f"n={after[0]}", f"{alias}|n={after[0]}"]
    for token in (*before, *after):
        if len(token) > _SHORT:
            out += [f"w={token}", f"{alias}|w={token}"]
    far = (
        tokens[max(0, first - WINDOW - FAR) : max(0, first - WINDOW)]
        + tokens[first + width + WINDOW : first + width + WINDOW + FAR]
    )
    out.extend(f"t={token}" for token in far if len(token) > _SHORT)
    return out


def rejected_spelling(target: Target, surface: str) -> str | None:
    """Why the spelling alone rules the group out, or ``None``: a name not capitalised as
    one ("an Islamic state"), an abbreviation in lower case ("let", "Bla")."""
    if target.alias.type is not AliasType.ABBREVIATION:
        if target.cased and not _first_word_in_capitals(surface):
            return "'is' in lower case: an ordinary word"
        if not _capitalised_like(surface, target.alias.text):
            return "not capitalised as a name"
    elif _has_latin(surface) and not _written_as_acronym(surface, target.alias.text):
        return "lower-case: an ordinary word"
    elif target.alias.own_case and _has_latin(surface):
        letters, own = _acronym_letters(surface, target.alias.text)
        if letters != own:  # "HUM": HUM TV, Roman Urdu "we"; "HuM", "HuM's" count
            return "not in its own case: an ordinary word"
    return None


def _by_cues(features: list[str]) -> Resolution:
    """The rule without a sense model: cues for the group (a letter-by-letter spelling, or a
    name stretched with tatweel, counts two) outnumber cues against, and there is at least one
    (two in a text in capitals). The article before a name that begins with al- counts as one,
    and is enough in capitals too: such a name counts unless the cues against are as many as
    those for it, the article included."""
    if PLAIN_HERE in features:
        negative = tuple("-" + f[3:] for f in features if f.startswith("c-="))
        return Resolution(not negative, negative or ("+" + describe(PLAIN_HERE),))
    if PRESUMED in features:
        found = tuple(f[1] + f[3:] for f in features if f[:3] in ("c+=", "c-="))
        score = sum(f.startswith("c+=") for f in features) + ("co" in features) + (KIN in features)
        against = sum(f.startswith("c-=") for f in features)
        return Resolution(against <= score, found or ("+" + describe(PRESUMED),))
    score = against = 0
    for f in features:
        if f.startswith("cue+="):
            score += int(f[5:])
        elif f.startswith("cue-="):
            against += int(f[5:])
        elif f in ("co", KIN, ARTICLE):
            score += 1
        elif f in ("f=spelled", "f=stretched", "f=disguised"):
            score += 2
        elif f == HASHTAG and TAG_ONLY not in features:
            score += 1
    needed = 2 if "shout" in features and ARTICLE not in features else 1
    cues = tuple(
        f[1] + f[3:] if f[:3] in ("c+=", "c-=") else ("" if f == "shout" else "+") + describe(f)
        for f in features
        if f.startswith(
            (
                "c+=",
                "c-=",
                "co",
                KIN,
                "f=spelled",
                "f=stretched",
                "f=disguised",
                HASHTAG,
                ARTICLE,
                FRAMED,
                "shout",
            )
        )
    )
    return Resolution(score >= needed and score > against, cues)


def _capitalised_like(surface: str, alias: str) -> bool:
    """A Latin-script name written with capitals ("Islamic State") counts only where its words
    are capitalised too: "an Islamic state" is a concept, not the group."""
    wanted = [w[0].isupper() for w in alias.split() if w[:1].isalpha() and w.isascii()]
    if not any(wanted) or not _has_latin(surface):
        return True
    written = [w[0].isupper() for w in surface.translate(SHAPE).split() if w[:1].isalpha()]
    if alias[:4].lower() == "the " and len(written) == len(wanted):
        # the article is capitalised by where the name stands: "… by the Resistance Front"
        wanted, written = wanted[1:], written[1:]
    return len(written) != len(wanted) or all(w for w, x in zip(written, wanted, strict=True) if x)


def _named(target: Target, key: str) -> str:
    """The name a hit on ``key`` is read as: the alias itself where ``key`` is its plural or
    possessive ("SSPs", "S.S.P's": ``ssps``), so that the sense model decides those hits as it
    decides the name; ``key`` otherwise."""
    name = _normalised_alias(target.alias.text)
    return name if key == name + "s" else key


@functools.lru_cache(maxsize=4096)
def _normalised_alias(text: str) -> str:
    return normalise_text(text, Level.AGGRESSIVE)


def _has_latin(text: str) -> bool:
    return any("a" <= ch <= "z" for ch in text.translate(SHAPE).lower())


def spelled_out_anywhere(text: str) -> bool:
    """Whether ``text`` holds any letters kept apart (``B.L.A``); cheap, for the matcher."""
    return bool(_SPELLED_OUT.search(text))


def stretched(surface: str) -> bool:
    """``القـاعـدة``, ``حـمـاس``, ``الدولــة الإسلاميــة``: an Arabic-script name broken up by
    tatweel at two places or more, the Arabic script's filter dodge. One stretch is how Arabic
    writers stress a word ("حمـــاس الجماهير", the fans' zeal), so it does not count; nor does
    a tatweel at either end, which is only padding."""
    return len(_TATWEEL_RUNS.findall(surface[1:-1])) >= 2


TATWEEL = "\u0640"
_TATWEEL_RUNS = re.compile(TATWEEL + "+")


def _spelled_out(surface: str) -> bool:
    """``B.L.A``, ``P T M``, ``L-e-J``: letters kept apart, a common filter dodge."""
    return bool(_SPELLED_OUT.search(surface))


_SPELLED_OUT = re.compile(r"[^\W\d_][.\-_ ·•*]+[^\W\d_]")


def _first_word_in_capitals(surface: str) -> bool:
    """Whether the first word of ``surface`` is written in capitals ("IS Philippines")."""
    shaped = surface.translate(SHAPE)
    first = re.match(r"[^\W\d_]+", shaped)
    return first is not None and first.group().isupper()


def _presumed_spelling(surface: str, shouting: bool, topic: bool) -> bool:
    """Whether a ``presumed`` name is written as the group's name is: in capitals ("ISIS") in
    a text that is not, or in lower case ("isis", as Roman Urdu posts and lower-cased feeds
    write it) beside a word of the group's world (``topic``); not capitalised as a given name
    is ("Isis")."""
    letters = "".join(ch for ch in surface.translate(SHAPE) if ch.isalpha())
    return (letters.islower() and topic) or (letters.isupper() and not shouting)


def _written_as_acronym(surface: str, alias: str) -> bool:
    letters, own = _acronym_letters(surface, alias)
    return letters.isupper() or letters == own


def _acronym_letters(surface: str, alias: str) -> tuple[str, str]:
    """The letters of an acronym as written, less a plural or possessive s ("BLAs", "BLA's"),
    and the alias's own letters."""
    letters = "".join(ch for ch in surface.translate(SHAPE) if ch.isalpha())
    own = "".join(ch for ch in alias if ch.isalpha())
    if len(letters) > len(own) and letters[-1] == "s":
        letters = letters[:-1]
    return letters, own
