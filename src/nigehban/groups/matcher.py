"""Find mentions of designated groups and state labels in text, in any script.

Every alias of the registry is normalised aggressively and loaded into one Aho-Corasick
automaton (``pyahocorasick``). A post is normalised the same way (fast path, no offsets) and
scanned once; a candidate counts only on word boundaries: spaces in the normalised text, and
for Arabic-script names also after a glued proclitic (و، ف، ب، ل: "and", "so", "with", "for").
Candidates inside a longer candidate are dropped ("Lashkar-e-Jhangvi" inside "Lashkar-e-Jhangvi
al-Alami"). Only posts with candidates pay for the offset map that reports each span in the
original text.

Ambiguous aliases ("BLA", "LeT", "PTM"…) are resolved by :mod:`nigehban.groups.ambiguity`:
a hit the context does not support is dropped (or, on request, returned unresolved).
A hit is a mention, never a verdict.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass, replace
from enum import Enum

import ahocorasick

from nigehban.groups.ambiguity import (
    TATWEEL,
    Resolution,
    Resolver,
    rejected_spelling,
    spelled_out_anywhere,
)
from nigehban.groups.frames import in_frame, occurrences
from nigehban.groups.keyfilter import key_filter
from nigehban.groups.model import Alias, AliasType
from nigehban.groups.registry import Registry
from nigehban.groups.sense import SENSE_PATH, SenseModel, load_sense_model
from nigehban.model.spans import Span
from nigehban.text.normaliser import Level, normalise_text
from nigehban.text.roman_urdu import SPELLINGS
from nigehban.text.windows import original_spans

MATCHER_VERSION = "11"
"""Bumped when what the matcher finds changes for the same registry: decisions record it."""
_PROCLITIC_PREFIXES = ("و", "ف", "ب", "ل", "وب", "ول", "فب", "فل", "وال", "بال", "لل")
_NOT_PLURALS = frozenset({"lets", "bras", "its", "gems", "jems"})  # "LET'S GO", "BRAS"
_HASHTAG = re.compile(r"#[^\s#]+")
"""A hashtag as written: ``#`` and what follows up to a space or another ``#`` (so that the
zero-width characters and diacritics the normaliser folds do not cut it short); trailing
punctuation is not part of it (:func:`_hashtag_end`)."""
_SHOUTING = 0.7
_DISGUISES = frozenset({"leetspeak", "homoglyph", "invisible_characters"})
"""The tricks of :func:`evasion_in` that count as a cue for an ambiguous name: written to slip
past filters ("Um4r Med1a"). Latin accents and elongation are how people write, not a dodge."""
_ACRONYM_SHAPED = re.compile(r"[A-Z]{2,}(?:[-/][A-Z][A-Za-z]{0,3})+")
"""A list name written as an acronym of several parts ("ISIS-K", "PFLP-GC", "DHKP/C"), whatever
the list calls it: cased, as such abbreviations are ("isis k" is Roman Urdu for ISIS's)."""


class Shipped(Enum):
    MODEL = "shipped"
    """The sense model shipped in the package."""


@dataclass(frozen=True, slots=True)
class Target:
    """What one normalised alias points to: a group or a state label."""

    entry_id: str
    is_label: bool
    alias: Alias
    arabic_script: bool
    cased: bool = False
    """A Latin abbreviation of several parts (``IS-K``, ``BSO-A``, or a list name written so,
    ``ISIS-K``): its parts alone are everyday words (Roman Urdu "is k", "this one's"), so it
    counts only written as an acronym, in capitals or its own case; so does an acronym the
    registry marks ``cased`` (``PIJ``: Polish "pij"). Or a Latin name that begins with the
    acronym IS (``IS Philippines``, ``IS-Khorasan``): "where is Philippines" is not it, so it
    counts only with IS in capitals."""
    trail: int = 0
    """For a key that holds a name and the word it must be followed by (``Alias.followed_by``):
    the length of that word and the space before it, which the candidate leaves out."""


@dataclass(frozen=True, slots=True)
class GroupHit:
    entry_id: str
    is_label: bool
    alias: str
    alias_lang: str
    span: Span
    surface: str
    script: str
    ambiguous: bool
    resolved: bool
    cues: tuple[str, ...] = ()
    evasion: tuple[str, ...] = ()
    sense: float | None = None
    """For an ambiguous name: the sense model's probability that it names the group."""


@dataclass(frozen=True, slots=True)
class _Candidate:
    start: int
    end: int
    key: str
    targets: tuple[Target, ...]
    tag_only: bool = False
    """Found as a whole hashtag of a name matched only so (``#IS``): see :meth:`GroupMatcher.
    _tagged`."""


class GroupMatcher:
    """An immutable matcher built from one registry snapshot."""

    def __init__(
        self, registry: Registry, sense: SenseModel | None | Shipped = Shipped.MODEL
    ) -> None:
        """``sense``: the sense model that resolves ambiguous names (default: the one shipped
        in the package, where it has been built); ``None``: the registry's cues decide."""
        self.registry = registry
        if sense is Shipped.MODEL:
            sense = load_sense_model() if SENSE_PATH.exists() else None
        self.sense = sense
        self._resolver = Resolver(registry, sense)
        keyed: dict[str, list[Target]] = defaultdict(list)
        tag_only: dict[str, list[Target]] = defaultdict(list)
        framed: dict[str, list[Target]] = defaultdict(list)
        for group in registry.groups():
            for alias in (*_name_unless_aliased(group.name, group.aliases), *group.aliases):
                target = Target(group.id, False, alias, _is_arabic(alias.text))
                if alias.hashtag and not alias.match:
                    tag_only[alias.text].append(target)
                if not alias.match and (alias.frame_before or alias.frame_after):
                    framed[alias.text].append(target)
                self._add(keyed, target)
        self._tag_only = {text: tuple(targets) for text, targets in tag_only.items()}
        """Names never matched in running text, only where a whole hashtag is the name as
        written (``#IS``), by that text."""
        self._framed_names = {text: tuple(targets) for text, targets in framed.items()}
        """Names never matched in running text but in their frames ("fighters of IS"), by
        their text."""
        self._framed_probe = next(iter(self._framed_names)) if len(framed) == 1 else None
        """The one such name, where there is one: most texts lack it and skip the frames."""
        self._tags = tuple(f"#{text}" for text in self._tag_only)
        for label in registry.labels():
            for alias in (Alias(label.name, "en", AliasType.NAME), *label.aliases):
                self._add(keyed, Target(label.id, True, alias, _is_arabic(alias.text)))
        # the possessive of a Latin-script name, "Majeed Brigade's" (normalised "majeed
        # brigades"), where that is not some name of its own
        # The text's last word keeps its possessive s glued on ("al-Qaeda's" reads "qaedas",
        # "Lashkar-e-Toiba's" "lashkar toibas"), so Roman Urdu spelling folding, which works on
        # whole words, never reaches it: every spelling of the name's last word gets the s.
        for key, targets in list(keyed.items()):
            names = [t for t in targets if t.alias.type is not AliasType.ABBREVIATION]
            if not names or not _takes_possessive(key):
                continue
            head, _, last = key.rpartition(" ")
            for spelling in (last, *_SPELLINGS_OF.get(last, ())):
                possessive = f"{head} {spelling}s" if head else f"{spelling}s"
                if possessive not in keyed and possessive not in _NOT_PLURALS:
                    keyed[possessive] = names
        automaton = ahocorasick.Automaton()
        searched: list[str] = []
        shared: set[str] = set()
        for key, targets in keyed.items():
            unique = tuple(_dedupe(targets))
            groups = {t.entry_id for t in unique if not t.is_label}
            if len(groups) > 1 and any(registry.group(g).context.positive for g in groups):
                shared.add(key)
            # Keys carry their word boundaries: the text is searched as " text ", so only whole
            # words match; Arabic-script names also match after a glued proclitic.
            searched.append(key)
            trail = unique[0].trail
            automaton.add_word(f" {key} ", (key[: len(key) - trail], 0, unique, trail))
            if any(t.arabic_script and not t.trail for t in unique):
                for proclitic in _PROCLITIC_PREFIXES:
                    searched.append(f"{proclitic}{key}")
                    automaton.add_word(f" {proclitic}{key} ", (key, len(proclitic), unique, 0))
                if key.startswith("ال"):  # li- before al- writes لل: للقاعدة, للدولة الإسلامية
                    for proclitic in ("لل", "ولل", "فلل"):
                        glued = f"{proclitic}{key[2:]}"
                        if key in shared:
                            shared.add(glued)
                        searched.append(glued)
                        automaton.add_word(f" {glued} ", (glued, 0, unique, 0))
        automaton.make_automaton()
        self._automaton = automaton
        self._shared = frozenset(shared)
        """Names several groups share, some with context cues of their own: narrowed by
        :meth:`_narrowed`."""
        # every searched key's words must be whole words of a text for it to match: texts
        # without them skip the scan (nigehban.groups.keyfilter)
        self._filter = key_filter(searched)
        self.alias_count = len(keyed)

    @staticmethod
    def _add(keyed: dict[str, list[Target]], target: Target) -> None:
        if not target.alias.match:
            return
        key = normalise_text(target.alias.text, Level.AGGRESSIVE)
        if not key:
            return
        if target.alias.followed_by:
            for word in target.alias.followed_by:
                follower = normalise_text(word, Level.AGGRESSIVE)
                keyed[f"{key} {follower}"].append(replace(target, trail=len(follower) + 1))
            return
        several_parts = (
            not target.alias.ambiguous
            and " " in key
            and key.isascii()
            and (
                target.alias.type is AliasType.ABBREVIATION
                or _ACRONYM_SHAPED.fullmatch(target.alias.text) is not None
            )
        )
        if (
            several_parts
            or target.alias.cased
            or (key.startswith("is ") and target.alias.text[:3] in ("IS ", "IS-"))
        ):
            target = replace(target, cased=True)
        keyed[key].append(target)
        if target.arabic_script and not target.alias.ambiguous:
            for variant in _unspaced(key):
                keyed[variant].append(target)
            joined = key.replace(" ", "")
            if joined != key and len(joined) >= _JOINED_MIN:
                # a name spelled letter by letter ("ج ب ه ة ا ل ن ص ر ة") normalises to one
                # word, its own spaces gone with the letters'
                keyed[joined].append(target)
        if target.arabic_script and key.rpartition(" ")[2] == _PROPHET:
            # "جیش محمدﷺ": the honorific ligature written on the name expands, as the
            # normaliser reads it, into words whose first is glued to the name
            keyed[key + _HONORIFIC].append(target)
        if target.arabic_script and (not target.alias.ambiguous or target.alias.ambiguous_in):
            # a name ambiguous only in Arabic (القاعدہ) is inflected in Pashto like any other
            # (د القاعدې): the post's language still decides whether it needs context
            for inflected in _inflections(key):
                keyed[inflected].append(target)
        if target.alias.type is not AliasType.ABBREVIATION or not key.isascii():
            return
        forms: tuple[str, ...] = (key,)
        if " " in key:
            if not target.alias.text.isalpha():
                return  # "IS-K": no plural
            # an acronym in its own mixed case is split as camel case ("HuJI" reads "hu ji");
            # in capitals it is one word ("HUJI" reads "huji")
            forms = (key, key.replace(" ", ""))
            keyed[forms[1]].append(target)
        for form in forms:
            plural = form + "s"  # plural and possessive: "BLAs", "TTP's", "HuJI's"
            if plural not in _NOT_PLURALS:
                keyed[plural].append(target)

    def group_hashtags(self, text: str) -> list[Span]:
        """The hashtags of ``text`` whose words hold a name of any group, ambiguous ones
        included (``#TTP``, ``#TTP_Pakistan``, ``#MajeedBrigade``, ``#ٹی_ٹی_پی``), in order;
        trailing punctuation left out (``#TTP,``)."""
        if "#" not in text:
            return []
        found: list[Span] = []
        for tag in _HASHTAG.finditer(text):
            end = _hashtag_end(text, tag.start(), tag.end())
            words = normalise_text(text[tag.start() + 1 : end].replace("_", " "), Level.AGGRESSIVE)
            if words and self.candidates(words):
                found.append(Span(tag.start(), end))
        return found

    def _with_tagged(self, text: str, normalised: str, found: list[_Candidate]) -> list[_Candidate]:
        """``found`` (the :meth:`candidates` of a ``text`` with a ``#``) and those of
        :meth:`_tagged`."""
        if not any(tag in text for tag in self._tags):
            return found
        tagged = self._tagged(text, normalised)
        return _outermost([*found, *tagged]) if tagged else found

    def _tagged(self, text: str, normalised: str) -> list[_Candidate]:
        """Candidates of the names matched only as a whole hashtag written as the registry
        gives it (``#IS``, not ``#is``, ``#ISS`` or ``IS``)."""
        out: list[_Candidate] = []
        for tag in _HASHTAG.finditer(text):
            targets = self._tag_only.get(text[tag.start() + 1 : _hashtag_end(text, *tag.span())])
            if targets is None:
                continue
            key = normalise_text(targets[0].alias.text, Level.AGGRESSIVE)
            start = _word_near(normalised, key, text[: tag.start()])
            if start is not None:
                out.append(_Candidate(start, start + len(key), key, targets, tag_only=True))
        return out

    def _with_framed(self, text: str, normalised: str, found: list[_Candidate]) -> list[_Candidate]:
        """``found`` and the candidates of names kept out of running text that stand in one of
        their frames (:mod:`nigehban.groups.frames`: "fighters of IS", "#IS claims"), in a
        text not written in capitals. Like the hashtag ``#IS``, the frame makes the name a
        candidate, not a cue: it counts with a cue, as a name in running text does."""
        framed: list[_Candidate] = []
        for name, targets in self._framed_names.items():
            if name not in text or _is_shouting(text):
                continue
            alias = targets[0].alias
            key = normalise_text(name, Level.AGGRESSIVE)
            for span in occurrences(text, name):
                if not in_frame(text, span, alias.frame_before, alias.frame_after):
                    continue
                start = _word_near(normalised, key, text[: span.start])
                if start is not None:
                    framed.append(_Candidate(start, start + len(key), key, targets))
        return _outermost([*found, *framed]) if framed else found

    def candidates(self, normalised: str) -> list[_Candidate]:
        """Alias occurrences on word boundaries in an aggressively normalised text."""
        found = self._scan(normalised)
        return _outermost(found) if len(found) > 1 else found

    def _found(self, text: str, normalised: str) -> list[_Candidate]:
        """The :meth:`candidates` of ``text`` (``normalised``: its aggressive normalisation),
        with the names matched only as a whole hashtag; a cased name that its spelling rules
        out gives way to the names inside it (Roman Urdu "isis k", ISIS's, is not ISIS-K)."""
        found = self._scan(normalised)
        if len(found) > 1:
            found = _outermost(self._without_miscased(text, normalised, found))
        if "#" in text:
            found = self._with_tagged(text, normalised, found)
        if self._framed_names and (self._framed_probe is None or self._framed_probe in text):
            found = self._with_framed(text, normalised, found)
        return found

    @staticmethod
    def _without_miscased(text: str, normalised: str, found: list[_Candidate]) -> list[_Candidate]:
        """``found`` less the candidates of cased names that hold another candidate and whose
        spelling rules every one of their names out."""
        holders = [
            c
            for c in found
            if all(t.cased for t in c.targets)
            and any(
                c.start <= o.start and o.end <= c.end and (o.start, o.end) != (c.start, c.end)
                for o in found
            )
        ]
        if not holders:
            return found
        spans = original_spans(text, normalised, [(c.start, c.end) for c in holders])
        miscased = {
            id(c)
            for c, span in zip(holders, spans, strict=True)
            if all(rejected_spelling(t, span.slice(text)) is not None for t in c.targets)
        }
        return [c for c in found if id(c) not in miscased]

    def _scan(self, normalised: str) -> list[_Candidate]:
        if not self._filter.any_in(normalised):
            return []
        found: list[_Candidate] = []
        for end, (key, _, every, trail) in self._automaton.iter(f" {normalised} "):
            # the match is " [proclitic]key[ follower] " ending at ``end`` in the padded text
            start = end - trail - len(key) - 1
            targets = every
            if len(every) > 1 and key in self._shared:
                targets = self._narrowed(normalised, start, key, every)
            found.append(_Candidate(start, start + len(key), key, targets))
        return found

    def _narrowed(
        self, normalised: str, start: int, key: str, targets: tuple[Target, ...]
    ) -> tuple[Target, ...]:
        """Of the groups that share the name ``key`` ("Ansar al-Sharia": Tunisia, Benghazi,
        Derna, Yemen), those whose own context cues are most numerous near it ("… in
        Benghazi"); all of them when none is (a text that does not say which is about any)."""
        tokens = normalised.split(" ")
        first = normalised.count(" ", 0, start)
        width = len(key.split(" "))
        counts = [
            0 if t.is_label else self._resolver.own_cues(t, tokens, first, width) for t in targets
        ]
        best = max(counts)
        if best == 0:
            return targets
        return tuple(t for t, n in zip(targets, counts, strict=True) if t.is_label or n == best)

    def _features(
        self, text: str, normalised: str, found: list[_Candidate], *, words: bool = False
    ) -> dict[tuple[int, str], list[str] | None]:
        """The sense features of every ambiguous (candidate, target), by (candidate start,
        entry id); the word features only where the sense model decides, or with ``words``."""
        tokens = normalised.split(" ")
        certain = {c.key for c in found if not any(t.alias.ambiguous for t in c.targets)}
        # names of several words, by group: another of them names the group again
        phrases: dict[str, set[str]] = {}
        for c in found:
            if " " in c.key:
                for t in c.targets:
                    phrases.setdefault(t.entry_id, set()).add(c.key)
        shouting: bool | None = None
        written_in: str | None = None
        out: dict[tuple[int, str], list[str] | None] = {}
        for candidate in found:
            first: int | None = None
            for target in candidate.targets:
                if not target.alias.ambiguous:
                    continue
                if shouting is None:
                    shouting = _is_shouting(text)
                if target.alias.ambiguous_in and written_in is None:
                    written_in = arabic_script_language(text)
                if first is None:
                    first = normalised.count(" ", 0, candidate.start)
                out[candidate.start, target.entry_id] = self._resolver.features(
                    target,
                    tokens,
                    first,
                    candidate.key,
                    co_mentions=len(certain - {candidate.key}),
                    kin=" " in candidate.key
                    and bool(phrases.get(target.entry_id, set()) - {candidate.key}),
                    shouting=shouting,
                    words=words,
                    plain_here=bool(target.alias.ambiguous_in)
                    and written_in not in target.alias.ambiguous_in,
                )
        return out

    def _worth_locating(
        self,
        found: list[_Candidate],
        text: str,
        features: dict[tuple[int, str], list[str] | None],
    ) -> list[_Candidate]:
        """Drop candidates of ambiguous names that no spelling could make count, before the
        (costlier) original spans are computed."""
        spelled: bool | None = None
        ambiguous = {
            c.key.removesuffix("s") for c in found if any(t.alias.ambiguous for t in c.targets)
        }
        kept = []
        for candidate in found:
            if not all(t.alias.ambiguous for t in candidate.targets):
                kept.append(candidate)
                continue
            if spelled is None:
                # a spelling that counts as cues: letter by letter, stretched with tatweel, or
                # disguised (a digit, "@" or "$", a look-alike or an invisible character)
                spelled = (
                    spelled_out_anywhere(text)
                    or TATWEEL in text
                    or not text.isascii()
                    or any(ch.isdigit() or ch in "@$" for ch in text)
                )
            tagged = "#" in text and (" " in candidate.key or candidate.tag_only)
            if any(
                self._resolver.may_resolve(
                    t,
                    features[candidate.start, t.entry_id],
                    spelled_out_possible=spelled,
                    tagged_possible=tagged,
                    co_possible=bool(ambiguous - {candidate.key.removesuffix("s")}),
                )
                for t in candidate.targets
            ):
                kept.append(candidate)
        return kept

    def entry_ids(self, text: str, normalised: str | None = None) -> list[str]:
        """The groups and state labels ``text`` names, in order of first mention: the same as
        the ids of :meth:`match`, without computing spans where no ambiguous name needs its
        original spelling read. ``normalised``: the text already normalised aggressively."""
        if normalised is None:
            normalised = normalise_text(text, Level.AGGRESSIVE)
        found = self._found(text, normalised)
        if not any(t.alias.ambiguous or t.cased for c in found for t in c.targets):
            return list(dict.fromkeys(t.entry_id for c in found for t in c.targets))
        features = self._features(text, normalised, found)
        found = self._worth_locating(found, text, features)
        # only ambiguous and cased names need their original spelling read: locate just those
        ambiguous = [c for c in found if any(t.alias.ambiguous or t.cased for t in c.targets)]
        spans = dict(
            zip(
                (id(c) for c in ambiguous),
                original_spans(text, normalised, [(c.start, c.end) for c in ambiguous]),
                strict=True,
            )
        )
        resolutions = self._resolutions(text, [(c, spans[id(c)]) for c in ambiguous], features)
        ids: list[str] = []
        for candidate in found:
            span = spans.get(id(candidate))
            surface = span.slice(text) if span is not None else ""
            for target in candidate.targets:
                if target.cased and rejected_spelling(target, surface) is not None:
                    continue
                if (
                    target.alias.ambiguous
                    and not resolutions[candidate.start, target.entry_id].resolved
                ):
                    continue
                ids.append(target.entry_id)
        return list(dict.fromkeys(ids))

    def _resolutions(
        self,
        text: str,
        located: list[tuple[_Candidate, Span]],
        features: dict[tuple[int, str], list[str] | None],
    ) -> dict[tuple[int, str], Resolution]:
        """How each ambiguous name of the located candidates resolves, by (candidate start,
        entry id). An ambiguous name that resolved counts, as an unambiguous one does, as
        another group named for the others that did not ("TLP ko har dafa muahida … aur PTM
        ko sirf ban"): they are resolved once more with that cue. Once: a name resolved so
        lends its cue to no other."""
        out: dict[tuple[int, str], Resolution] = {}
        pending: list[tuple[_Candidate, Target, Span]] = []
        resolved: set[str] = set()
        for candidate, span in located:
            for target in candidate.targets:
                if not target.alias.ambiguous or (candidate.start, target.entry_id) in out:
                    continue
                resolution = self._resolve(
                    text, span, target, features[candidate.start, target.entry_id]
                )
                out[candidate.start, target.entry_id] = resolution
                if resolution.resolved:
                    resolved.add(candidate.key.removesuffix("s"))
                else:
                    pending.append((candidate, target, span))
        for candidate, target, span in pending if resolved else ():
            base = features[candidate.start, target.entry_id]
            if (
                base is None
                or "co" in base
                or not resolved - {candidate.key.removesuffix("s")}
                or not self._resolver.lends_co(target)
            ):
                continue
            out[candidate.start, target.entry_id] = self._resolve(text, span, target, [*base, "co"])
        return out

    def _resolve(
        self, text: str, span: Span, target: Target, features: list[str] | None
    ) -> Resolution:
        return self._resolver.resolve(
            target,
            span.slice(text),
            features,
            tagged=target.alias.hashtag and _whole_hashtag(text, span),
            framed=not target.alias.match
            and in_frame(text, span, target.alias.frame_before, target.alias.frame_after),
            with_article=bool(target.alias.article) and _after_article(text, span),
            disguised=not _DISGUISES.isdisjoint(evasion_in(span.slice(text), target.alias)),
        )

    def match(self, text: str, *, include_unresolved: bool = False) -> list[GroupHit]:
        """Every mention in ``text``, spans in the original text's code points."""
        normalised = normalise_text(text, Level.AGGRESSIVE)
        found = self._found(text, normalised)
        return self._hits(text, normalised, found, include_unresolved=include_unresolved)

    def sense_examples(self, text: str) -> list[tuple[GroupHit, list[str]]]:
        """Every ambiguous hit in ``text`` that passes the spelling rules, with its full sense
        features: what the sense model is trained on."""
        normalised = normalise_text(text, Level.AGGRESSIVE)
        found = self._found(text, normalised)
        features = self._features(text, normalised, found, words=True)
        out = []
        for hit, candidate in self._hits_with_candidates(
            text, normalised, found, features, include_unresolved=True
        ):
            base = features.get((candidate.start, hit.entry_id))
            if not hit.ambiguous or base is None:
                continue
            target = next(t for t in candidate.targets if t.entry_id == hit.entry_id)
            if rejected_spelling(target, hit.surface) is not None:
                continue
            out.append((hit, base))
        return out

    def _hits(
        self,
        text: str,
        normalised: str,
        found: list[_Candidate],
        *,
        include_unresolved: bool = False,
    ) -> list[GroupHit]:
        if not found:
            return []
        features = self._features(text, normalised, found)
        pairs = self._hits_with_candidates(
            text, normalised, found, features, include_unresolved=include_unresolved
        )
        return [hit for hit, _ in pairs]

    def _hits_with_candidates(
        self,
        text: str,
        normalised: str,
        found: list[_Candidate],
        features: dict[tuple[int, str], list[str] | None],
        *,
        include_unresolved: bool,
    ) -> list[tuple[GroupHit, _Candidate]]:
        if not include_unresolved:
            found = self._worth_locating(found, text, features)
        if not found:
            return []
        spans = original_spans(text, normalised, [(c.start, c.end) for c in found])
        resolutions = self._resolutions(text, list(zip(found, spans, strict=True)), features)
        out: list[tuple[GroupHit, _Candidate]] = []
        seen: set[tuple[str, Span]] = set()
        for candidate, span in zip(found, spans, strict=True):
            surface = span.slice(text)
            for target in candidate.targets:
                if (target.entry_id, span) in seen:
                    continue
                resolution = Resolution(True, ())
                if target.cased:
                    rejected = rejected_spelling(target, surface)
                    if rejected is not None:
                        if not include_unresolved:
                            continue
                        resolution = Resolution(False, (rejected,))
                elif target.alias.ambiguous:
                    resolution = resolutions[candidate.start, target.entry_id]
                    if not resolution.resolved and not include_unresolved:
                        continue
                seen.add((target.entry_id, span))
                out.append(
                    (
                        GroupHit(
                            entry_id=target.entry_id,
                            is_label=target.is_label,
                            alias=target.alias.text,
                            alias_lang=target.alias.lang,
                            span=span,
                            surface=surface,
                            script=script_of(surface),
                            ambiguous=target.alias.ambiguous,
                            resolved=resolution.resolved,
                            cues=resolution.cues,
                            evasion=evasion_in(surface, target.alias),
                            sense=resolution.probability,
                        ),
                        candidate,
                    )
                )
        return _one_per_mention(out) if len(out) > 1 else out


def _one_per_mention(
    pairs: list[tuple[GroupHit, _Candidate]],
) -> list[tuple[GroupHit, _Candidate]]:
    """One hit per mention: of two overlapping hits of the same entry (two names that each
    hold part of one mention, "تحريک طالبان" and "طالبان باکستان" in "تحريک طالبان باکستان"
    written with ب for پ) the longer stays (the earlier of two as long); order of appearance."""
    ranked = sorted(
        range(len(pairs)),
        key=lambda i: (-(pairs[i][0].span.end - pairs[i][0].span.start), pairs[i][0].span.start),
    )
    taken: dict[str, list[tuple[int, int]]] = defaultdict(list)  # disjoint spans, by start
    kept: list[int] = []
    for i in ranked:
        span = pairs[i][0].span
        spans = taken[pairs[i][0].entry_id]
        at = bisect_left(spans, (span.start, span.end))
        after = at < len(spans) and spans[at][0] < span.end
        before = at > 0 and spans[at - 1][1] > span.start
        if not (after or before):
            spans.insert(at, (span.start, span.end))
            kept.append(i)
    return [pairs[i] for i in sorted(kept)]


_JOINED_MIN = 7
"""Letters a multi-word Arabic-script name needs for its spaceless form to be matched too."""

_PROPHET = normalise_text("محمد", Level.AGGRESSIVE)
_HONORIFIC = normalise_text("\ufdfa", Level.AGGRESSIVE).split(" ")[0]
"""The first word of the honorific ligature ﷺ as normalised (صلی): written with no space after
the Prophet's name, it is read as part of that word."""

_NON_JOINING = frozenset("اآدڈذرڑزژو")
"""Arabic-script letters that never join the next one: Urdu writers often leave out the space
after them ("لشکرطیبہ" for "لشکر طیبہ"), since it looks the same."""


def _word_near(normalised: str, key: str, prefix: str) -> int | None:
    """Where in ``normalised`` the word ``key`` stands that is nearest to where the original
    text's ``prefix`` (all of it before the name) ends once normalised; ``None`` if nowhere."""
    padded = f" {normalised} "
    starts = [m.start() for m in re.finditer(f"(?<= ){re.escape(key)}(?= )", padded)]
    if not starts:
        return None
    guess = len(normalise_text(prefix, Level.AGGRESSIVE)) + 2
    return min(starts, key=lambda at: abs(at - guess)) - 1


def _hashtag_end(text: str, start: int, end: int) -> int:
    """Where the hashtag ``text[start:end]`` ends once trailing punctuation and symbols
    (``#TTP,`` ``(#BLA)``) are left to the text."""
    while (
        end > start + 1 and unicodedata.category(text[end - 1])[0] in "PS" and text[end - 1] != "_"
    ):
        end -= 1
    return end


def _name_unless_aliased(name: str, aliases: tuple[Alias, ...]) -> tuple[Alias, ...]:
    """The group's name as a plain alias, unless one of its aliases reads the same: that one
    says how the name is matched ("Army of Islam", ambiguous: also a Syrian coalition)."""
    key = normalise_text(name, Level.AGGRESSIVE)
    if any(normalise_text(a.text, Level.AGGRESSIVE) == key for a in aliases):
        return ()
    return (Alias(name, "en", AliasType.NAME),)


_ARTICLE = re.compile(r"(?<![^\W\d_])al[-‐‑ ]?$", re.IGNORECASE)


def _after_article(text: str, span: Span) -> bool:
    """Whether the Arabic article stands right before ``span``, glued or with a hyphen or a
    space (``al-Qaeda``, ``Al Qaida``, ``AlQaida``), as a word of its own: not the end of a
    word (``Noorani Qaida``, ``Jamal Qaida``)."""
    return _ARTICLE.search(text, max(0, span.start - 4), span.start) is not None


def _whole_hashtag(text: str, span: Span) -> bool:
    """Whether ``span`` is a whole hashtag of several words, joined (``#IslamicState``,
    ``#حزب_الله``): no space in it, ``#`` right before, nothing but punctuation after."""
    if span.start == 0 or text[span.start - 1] != "#":
        return False
    tag = _HASHTAG.match(text, span.start - 1)
    surface = span.slice(text)
    return (
        tag is not None
        and _hashtag_end(text, tag.start(), tag.end()) == span.end
        and not any(ch.isspace() for ch in surface)
    )


def _unspaced(key: str) -> list[str]:
    """``key`` with every combination of spaces after a non-joining letter left out."""
    words = key.split(" ")
    gaps = [i for i in range(len(words) - 1) if words[i][-1:] in _NON_JOINING]
    variants = []
    for mask in range(1, 2 ** min(len(gaps), 4)):
        joined = set(g for bit, g in enumerate(gaps) if mask >> bit & 1)
        out = words[0]
        for i in range(1, len(words)):
            out += ("" if i - 1 in joined else " ") + words[i]
        variants.append(out)
    return variants


def _takes_possessive(key: str) -> bool:
    """A Latin-script name of two or more words, or of one word of four letters or more
    ("Daesh's", "Hamas's": the possessive s is added to a final s too). The plural of an
    abbreviation is added with the abbreviation."""
    return key.isascii() and (" " in key or len(key) >= 4) and key + "s" not in _NOT_PLURALS


def _spellings_of() -> dict[str, tuple[str, ...]]:
    """Canonical Roman Urdu spelling -> the variant spellings that fold to it."""
    out: dict[str, list[str]] = defaultdict(list)
    for variant, canonical in SPELLINGS.items():
        out[canonical].append(variant)
    return {k: tuple(sorted(v)) for k, v in out.items()}


def _inflections(key: str) -> list[str]:
    """Inflected forms of an Arabic-script name's last word, as normalised: Pashto and Urdu
    inflect it in running text (طالبان -> طالبانو, مجاهدین -> مجاهدینو, شبکه -> شبکې,
    ډله -> ډلې)."""
    head, _, last = key.rpartition(" ")
    prefix = f"{head} " if head else ""
    forms = []
    if last.endswith(("ان", "ین")):
        forms.append(last + "و")  # Pashto oblique plural
    if last.endswith("ہ") and len(last) > 2:
        forms.append(last[:-1] + "ی")  # Pashto oblique -ې (folded to ی), Urdu -ے
    return [prefix + form for form in forms]


def _is_shouting(text: str) -> bool:
    """Mostly capitals: an acronym's capitals then say nothing about it."""
    letters = text.encode("ascii", "ignore").translate(None, _NOT_LETTERS)
    upper = len(letters.translate(None, _NOT_UPPER))
    return len(letters) >= 12 and upper > _SHOUTING * len(letters)


_NOT_LETTERS = bytes(b for b in range(256) if not chr(b).isalpha() or b > 127)
_NOT_UPPER = bytes(b for b in range(256) if not chr(b).isupper() or b > 127)


def _dedupe(targets: list[Target]) -> list[Target]:
    seen: set[str] = set()
    out = []
    for target in targets:
        if target.entry_id not in seen:
            seen.add(target.entry_id)
            out.append(target)
    return out


def _outermost(found: list[_Candidate]) -> list[_Candidate]:
    """Drop candidates strictly inside another; keep order of appearance. One sweep in order
    of start (the longest first): a candidate is inside another when one before it reaches as
    far (candidates with the same span are judged together)."""
    order = sorted(found, key=lambda c: (c.start, -c.end))
    kept: list[_Candidate] = []
    reach = -1
    i = 0
    while i < len(order):
        j = i + 1
        while j < len(order) and (order[j].start, order[j].end) == (order[i].start, order[i].end):
            j += 1
        if reach < order[i].end:
            kept.extend(order[i:j])
        reach = max(reach, order[i].end)
        i = j
    return sorted(kept, key=lambda c: (c.start, c.end))


_NOT_IN_ARABIC = frozenset("پچژگکیےۓہۂۃھںٹڈڑټډړښږځڅګڼېۍۀ")
"""Letters of Urdu, Pashto and Persian that Arabic does not use."""


def arabic_script_language(text: str) -> str:
    """``ar`` where ``text`` is in Arabic script and uses none of the letters only Urdu,
    Pashto or Persian use; ``ur`` (standing for any of those three) where it uses one; ``""``
    without Arabic-script letters. Urdu typed on an Arabic keyboard reads as ``ar``: the
    cautious side, since the names this decides are ambiguous in Arabic."""
    if any(ch in _NOT_IN_ARABIC for ch in text):
        return "ur"
    return "ar" if _is_arabic(text) else ""


def _is_arabic(text: str) -> bool:
    return any(_script_of_char(ch) == "Arab" for ch in text)


@functools.lru_cache(maxsize=4096)
def _script_of_char(ch: str) -> str | None:
    if not ch.isalpha():
        return None
    cp = ord(ch)
    if 0x0600 <= cp <= 0x06FF or 0x0750 <= cp <= 0x077F or 0xFB50 <= cp <= 0xFEFF:
        return "Arab"
    if 0x0400 <= cp <= 0x052F:
        return "Cyrl"
    if 0x0370 <= cp <= 0x03FF:
        return "Grek"
    if cp < 0x0250 or 0x1D00 <= cp <= 0x1DBF or 0xFF21 <= cp <= 0xFF5A or 0xA720 <= cp <= 0xA7FF:
        return "Latn"
    name = unicodedata.name(ch, "")
    return "Latn" if "LATIN" in name else "Zyyy"


def script_of(text: str) -> str:
    """ISO 15924 code of the letters in ``text``: one script, or ``Zyyy`` when mixed."""
    if text.isascii():  # every ASCII letter is Latin
        return "Latn" if _ASCII_LETTER.search(text) else "Zyyy"
    scripts = {s for s in map(_script_of_char, text) if s is not None}
    if len(scripts) == 1:
        return scripts.pop()
    return "Zyyy"


_ASCII_LETTER = re.compile(r"[A-Za-z]")


@functools.lru_cache(maxsize=4096)
def _alias_script(alias: str) -> str:
    return script_of(alias)


def evasion_in(surface: str, alias: Alias) -> tuple[str, ...]:
    """Spelling tricks visible in a matched surface, for reviewers."""
    found = []
    alias_script = _alias_script(alias.text)
    plain = surface.isascii()  # no other script, no invisible or combining character
    if (
        not plain
        and alias_script == "Latn"
        and {s for s in map(_script_of_char, surface) if s is not None} - {"Latn"}
    ):
        found.append("homoglyph")
    if not plain and any(unicodedata.category(ch) == "Cf" for ch in surface):
        found.append("invisible_characters")
    if (
        alias_script == "Latn"
        and any(ch.isdigit() or ch in "@$" for ch in surface)
        and not any(ch.isdigit() for ch in alias.text)
    ):
        found.append("leetspeak")
    if (
        alias.type is AliasType.ABBREVIATION
        and any(ch in ".-_ ·•*" for ch in surface.strip())
        and not any(ch in ".-_ " for ch in alias.text)
    ) or _letters_apart(surface) > max(2, _letters_apart(alias.text)):
        found.append("spaced_acronym")
    if any(
        surface[i] == surface[i + 1] == surface[i + 2] and surface[i].isalpha()
        for i in range(len(surface) - 2)
    ):
        found.append("elongation")
    if "\u0640" in surface:
        found.append("tatweel")
    if not plain and alias_script == "Latn" and any(unicodedata.combining(ch) for ch in surface):
        found.append("diacritics")
    return tuple(found)


def _letters_apart(text: str) -> int:
    """How many of ``text``'s words are a single letter: a name spelled letter by letter
    ("ج ب ه ة ا ل ن ص ر ة") has many, the name itself few or none."""
    return sum(1 for word in _SPELLED_APART.split(text) if len(word) == 1 and word.isalpha())


_SPELLED_APART = re.compile(r"[\s.\-_·•*]+")
_SPELLINGS_OF = _spellings_of()
