"""Text normalisation shared by every text detector, at three levels, with offset maps.

* ``NONE`` is the text as written, for display.
* ``LIGHT`` is for classification: compatibility forms, invisible characters, tatweel and
  Arabic diacritics removed, Arabic keyboard letters folded to Urdu ones, digits to ASCII,
  whitespace collapsed. Case, punctuation, emoji and Latin accents stay.
* ``AGGRESSIVE`` is for matching names: everything ``LIGHT`` does, plus case folding, every
  combining mark dropped, Latin look-alikes (Cyrillic, Greek, small capitals) to ASCII,
  camel-case hashtags split, Arabic-script letter variants unified (ي/ی, ك/ک, ه/ہ/ھ, ة, hamza
  carriers), apostrophes inside words removed (but the possessive ``'s`` of a lone letter split
  off, so that ``S.S.P's`` reads as ``SSP's``), leetspeak decoded in tokens that mix letters and
  digits, runs of three or more identical letters collapsed, Roman Urdu spelling variants and
  izafat connectors folded, and dotted or spaced acronyms joined (two or more Latin letters,
  ``T.T.P``, ``B L A``; three or more Arabic-script ones, ``د ا ع ش``; letters spelled out
  with dots are joined apart from single letters beside them, so ``a T.T.P commander`` reads
  ``a ttp commander``). The result is lower-case tokens separated by single spaces, so word
  boundaries are spaces.

Each level is idempotent. Language identification must run on the raw text, never on a
normalised one.

There are two implementations of each level. :func:`normalise_text` returns only the text;
the matcher calls it on every post. At ``AGGRESSIVE`` it runs the optional C module
``nigehban.text._fastnorm`` (built by ``pip install``; the same steps on code points, reading the
same tables) where it is built, and :func:`aggressive_text_python` otherwise (``IMPLEMENTATION``
says which). :func:`normalise` also returns the offset map that reports every span in the
original text; it is slower and runs only where something was found. :func:`original_spans`
gives the spans of a few ranges: from the C module where it is built (the same steps with each
character's original span carried along; it declines where single letters are joined), else
from Python paths that work on the tokens concerned. Property tests hold all of them to the
same output on arbitrary text.
"""

from __future__ import annotations

import functools
import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

import ahocorasick

from nigehban.model.spans import Span
from nigehban.text.bytefold import ByteFold
from nigehban.text.folding import ASCII_MATCH, LIGHT, MATCH, FoldTable
from nigehban.text.roman_urdu import CONNECTORS, SPELLINGS


class Level(StrEnum):
    NONE = "none"
    LIGHT = "light"
    AGGRESSIVE = "aggressive"


_UPPER = "A-ZА-ЯЀ-ЏΑ-Ω"
_LOWER = "a-zа-яѐ-џα-ωß"
# hashtag-style camel case: "BanTTP" -> "Ban TTP", "StandWithBLA" -> "Stand With BLA", but not
# "LeT", "JeM" or the plural "BLAs". Runs on the text as written, which still has its case.
_CAMEL = re.compile(
    rf"(?<=[{_LOWER}])(?=[{_UPPER}][{_LOWER}]{{2}}|[{_UPPER}]{{2}})"
    rf"|(?<=[{_UPPER}])(?=[{_UPPER}][{_LOWER}]{{2}})"
)
# necessary for any _CAMEL split: capital, capital, small; or (searched in the reversed text)
# small, capital
_CAMEL_HINT = re.compile(rf"[{_UPPER}][{_UPPER}][{_LOWER}]")
_CAMEL_HINT_REVERSED = re.compile(rf"[{_UPPER}][{_LOWER}]")
_APOSTROPHES = "'’ʼ`"
_APOSTROPHE = re.compile(rf"(?<=[^\W\d_])[{_APOSTROPHES}](?=[^\W\d_])")
# the possessive 's of a letter standing alone ("S.S.P's", "T T P's"; :func:`_possessives`):
# that apostrophe becomes a space, so the s joins the spelled letters as a name's possessive
# ("ssps", as "SSP's" reads); any other apostrophe between letters is dropped ("Tayyi'ba")
_POSSESSIVE = re.compile(rf"(?<=[^\W\d_])[{_APOSTROPHES}](?=[sS])")
_SPELLING_SEPARATORS = frozenset(".-_·•*")
_LEET_SYMBOL = re.compile(r"(?<=[^\W_])[@$](?=[^\W_])")
_LEET_SYMBOLS = {"@": "a", "$": "s"}
_DIGIT = re.compile(r"[0-9]")
# a digit, then a letter in the same token (searched in the text and in its reverse)
_MIXED_HINT = re.compile(r"[0-9][^ ]*[a-z]")
_MIXED_TOKEN = re.compile(r"(?<![^\W_])(?=[^\W_]*\d)(?=[^\W_]*[a-z])[^\W_]+")
_LEET = str.maketrans("013457890", "oieastbgo")
_ANY_RUN = re.compile(r"(?s)(.)\1\1")  # necessary for a run of three letters
_RUNS = re.compile(r"([^\W\d_])\1{2,}")
_SINGLES_HINT = re.compile(r" [a-z] [a-z] | [^\W\d_] [^\W\d_] [^\W\d_] ")
"""Necessary for a run of single letters that is joined (``_has_adjacent_singles``)."""
_SPACES = re.compile(r"\s+")
_SPACE_RUN = re.compile(r"  +")
_WORD = re.compile(r"[^ ]+")
_LATIN_LETTERS = frozenset("abcdefghijklmnopqrstuvwxyz")

T = TypeVar("T")

VERSION = "4"
"""Bumped whenever a change to the tables or rules changes any normalised output."""


def _token_automaton(replacements: dict[str, str | None]) -> ahocorasick.Automaton:
    """Whole tokens to replace, as space-delimited keys (``None`` or "" drops the token)."""
    automaton = ahocorasick.Automaton()
    for token, folded in replacements.items():
        automaton.add_word(f" {token} ", (len(token) + 2, folded))
    automaton.make_automaton()
    return automaton


# both in one pass: a spelling variant maps to its canonical form, a connector to None
_TOKEN_AUTOMATON = _token_automaton({**SPELLINGS, **dict.fromkeys(CONNECTORS)})
_BYTE_FOLD = ByteFold(MATCH)


# ---------------------------------------------------------------------------------------------
# fast path: text only


def normalise_text(text: str, level: Level) -> str:
    """``text`` normalised at ``level`` (no offset map)."""
    if level is Level.AGGRESSIVE:
        return _aggressive_text(text)
    if level is Level.NONE:
        return text
    return _SPACES.sub(" ", text.translate(LIGHT)).strip()


def aggressive_text_python(text: str) -> str:
    """``normalise_text(text, Level.AGGRESSIVE)`` in Python: what the C module must equal."""
    original = text
    if _has_camel_case(text):
        text = _CAMEL.sub(" ", text)
    if _has_apostrophe(text):
        text = _APOSTROPHE.sub("", _spaces_at(text, _possessives(text)))
    if "@" in text or "$" in text:
        text = _leet_symbols(text)
    if text.isascii():
        s = text.translate(ASCII_MATCH)
    else:
        folded = _BYTE_FOLD.fold(text)
        s = text.translate(MATCH) if folded is None else folded
    s = _single_spaces(s)
    if _DIGIT.search(s) and (_MIXED_HINT.search(s) or _MIXED_HINT.search(s[::-1])):
        s = _MIXED_TOKEN.sub(lambda m: m.group().translate(_LEET), s)
    if _ANY_RUN.search(s):
        s = _RUNS.sub(r"\1", s)
    padded = f" {s} "
    edits = list(_TOKEN_AUTOMATON.iter(padded))
    if not edits:
        return _finish_singles(original, s) if _SINGLES_HINT.search(padded) else s
    if _SINGLES_HINT.search(padded):  # spelling variants never are, nor make, single letters
        return _finish_singles(original, _apply(s, [e for e in edits if e[1][1] is not None]))
    folded = _apply(s, edits)
    if any(e[1][1] is None for e in edits) and _SINGLES_HINT.search(f" {folded} "):
        return _finish_singles(original, _apply(s, [e for e in edits if e[1][1] is not None]))
    return folded


def _finish_singles(original: str, s: str) -> str:
    """``s`` with its runs of single letters joined; where a run could have to be split
    (:func:`_has_tight_gap`), the offset-tracking path decides."""
    return _aggressive(original).text if _has_tight_gap(original) else _finish_text(s)


def _finish_text(s: str) -> str:
    return " ".join(t for t, _ in _finish_tokens([(t, t) for t in s.split(" ") if t]))


def _has_tight_gap(text: str) -> bool:
    """Whether two words of ``text`` could meet with no whitespace between them: a character
    that folds to a space with no whitespace on either side ("T.T.P", "B-L-A"). Necessary for a
    run of single letters to be split (:func:`_join_singles`), which only the offset-tracking
    path can do, since it alone knows what stood between the letters."""
    last = len(text) - 1
    for i in range(1, last):
        ch = text[i]
        if (
            not ch.isspace()
            and " " in MATCH.fold(ch)
            and not text[i - 1].isspace()
            and not text[i + 1].isspace()
        ):
            return True
    return False


_FastSpans = Callable[[str, str, Sequence[tuple[int, int]]], list[tuple[int, int]] | None]


def _fast_module() -> tuple[Callable[[str], str], _FastSpans] | None:
    try:
        from nigehban.text import _fastnorm
    except ImportError:
        return None
    _fastnorm.configure(
        MATCH, dict(SPELLINGS), frozenset(CONNECTORS), lambda text: _aggressive(text).text
    )
    return _fastnorm.normalise_aggressive, _fastnorm.original_spans


_FAST = _fast_module()
_aggressive_text: Callable[[str], str] = aggressive_text_python if _FAST is None else _FAST[0]
IMPLEMENTATION = "python" if _FAST is None else "c"
"""Which implementation of the aggressive text-only path runs: ``c`` (the optional
``nigehban.text._fastnorm`` module, built by ``pip install``) or ``python``."""


def _has_camel_case(text: str) -> bool:
    return text != text.lower() and bool(
        _CAMEL_HINT.search(text) or _CAMEL_HINT_REVERSED.search(text[::-1])
    )


def _has_apostrophe(text: str) -> bool:
    return any(a in text for a in _APOSTROPHES)


def _possessives(text: str) -> list[int]:
    """Where an apostrophe splits off the possessive ``'s`` of a lone letter: a letter, the
    apostrophe, ``s``; before the letter the start, whitespace or a separator of spelled letters
    (``.-_·•*``), after the ``s`` the end or anything but a letter or digit. Characters that
    fold to nothing (zero-width characters, combining marks) are looked through on both sides,
    so that they neither make a letter lone nor end a word."""
    out = []
    for match in _POSSESSIVE.finditer(text):
        before = match.start() - 2
        while before >= 0 and MATCH.fold(text[before]) == "":
            before -= 1
        if before >= 0 and not (text[before].isspace() or text[before] in _SPELLING_SEPARATORS):
            continue
        after = match.end() + 1
        while after < len(text) and MATCH.fold(text[after]) == "":
            after += 1
        if after == len(text) or not text[after].isalnum():
            out.append(match.start())
    return out


def _spaces_at(text: str, positions: list[int]) -> str:
    if not positions:
        return text
    chars = list(text)
    for i in positions:
        chars[i] = " "
    return "".join(chars)


def _single_spaces(s: str) -> str:
    """Runs of spaces to one, none at the ends (the folded text has no other whitespace)."""
    return _SPACE_RUN.sub(" ", s).strip(" ")


def _leet_symbols(text: str) -> str:
    """``@`` and ``$`` between letters or digits to ``a`` and ``s`` (``_LEET_SYMBOL``)."""
    chars: list[str] | None = None
    last = len(text) - 1
    for symbol, letter in _LEET_SYMBOLS.items():
        i = text.find(symbol)
        while i != -1:
            if 0 < i < last and text[i - 1].isalnum() and text[i + 1].isalnum():
                chars = chars or list(text)
                chars[i] = letter
            i = text.find(symbol, i + 1)
    return text if chars is None else "".join(chars)


def _apply(s: str, edits: list[tuple[int, tuple[int, str | None]]]) -> str:
    """Apply whole-token edits found in `` s `` (padded): replace, or drop on ``None``."""
    if not edits:
        return s
    out: list[str] = []
    previous = 0
    for end, (length, folded) in edits:
        start = end - length + 1  # in ``s``: the token is s[start:end - 1]
        out.append(s[previous:start])
        out.append(folded or "")
        previous = end - 1
    out.append(s[previous:])
    return _single_spaces("".join(out))


_LATIN_SINGLE = 1
_ARABIC_SINGLE = 2
_RUN_NEEDED = {_LATIN_SINGLE: 2, _ARABIC_SINGLE: 3}
"""Single letters kept apart that are joined: two or more Latin ones ("t t p"), three or more
Arabic-script ones ("د ا ع ش"; two are too often real words, such as Pashto's د and و)."""


def _single_kind(token: str) -> int:
    """``_LATIN_SINGLE`` for one letter a-z, ``_ARABIC_SINGLE`` for one Arabic-script letter
    (U+0620 to U+06FF), else 0. The C module's ``single_kind`` is the same."""
    if len(token) != 1:
        return 0
    if token in _LATIN_LETTERS:
        return _LATIN_SINGLE
    return _ARABIC_SINGLE if "\u0620" <= token <= "\u06ff" and token.isalpha() else 0


def _is_single(token: str) -> bool:
    return _single_kind(token) != 0


def _has_adjacent_singles(tokens: list[str]) -> bool:
    """Whether ``tokens`` hold a run of single letters that :func:`_join_singles` joins."""
    kind = run = 0
    for token in tokens:
        this = _single_kind(token)
        run = run + 1 if this and this == kind else 1
        kind = this
        if kind and run >= _RUN_NEEDED[kind]:
            return True
    return False


_JOINED, _LOOSE, _TIGHT = 0, 1, 2
"""What stands between two single letters in the original text (:func:`_gap_kind`)."""

Gap = Callable[[list[T], list[T]], int]
"""The kind of gap between two tokens' payloads (``_JOINED``, ``_LOOSE`` or ``_TIGHT``)."""


def _finish_tokens(
    tokens: list[tuple[str, T]], gap: Gap[T] | None = None
) -> list[tuple[str, list[T]]]:
    """Join runs of single letters ("t t p" -> "ttp", "l e j" -> "lej"), then drop izafat
    connectors; again while anything changes (dropping "ul" in "x ul y" makes letters meet)."""
    out = [(t, [p]) for t, p in tokens]
    while True:
        kept = [(t, ps) for t, ps in _join_singles(out, gap) if t not in CONNECTORS]
        if len(kept) == len(out):
            return kept
        out = kept


def _join_singles(
    tokens: list[tuple[str, list[T]]], gap: Gap[T] | None = None
) -> list[tuple[str, list[T]]]:
    """Join each run of single letters of one script (``_RUN_NEEDED``), folding the joined
    token like any other (letter runs, spelling variants). Where ``gap`` tells what stood
    between the letters, letters spelled out without whitespace between them ("T.T.P", long
    enough to be joined) are joined apart from the letters around them, which are joined among
    themselves: "a T.T.P commander" is "a ttp commander", not "attp commander"."""
    out: list[tuple[str, list[T]]] = []
    run: list[tuple[str, list[T]]] = []
    run_kind = 0

    def emit(part: list[tuple[str, list[T]]]) -> None:
        if part and len(part) >= _RUN_NEEDED[run_kind]:
            joined = _RUNS.sub(r"\1", "".join(t for t, _ in part))
            out.append((SPELLINGS.get(joined, joined), [p for _, ps in part for p in ps]))
        else:
            out.extend(part)

    def flush() -> None:
        if len(run) < 2 or gap is None:
            emit(run)
            run.clear()
            return
        kinds = [gap(a, b) for (_, a), (_, b) in itertools.pairwise(run)]
        loose: list[tuple[str, list[T]]] = []  # letters between spelled-out groups
        start = 0
        for end in [*(i for i, kind in enumerate(kinds, 1) if kind == _LOOSE), len(run)]:
            if end - start >= _RUN_NEEDED[run_kind] and _TIGHT in kinds[start : end - 1]:
                emit(loose)
                loose = []
                emit(run[start:end])
            else:
                loose.extend(run[start:end])
            start = end
        emit(loose)
        run.clear()

    for token, payload in tokens:
        kind = _single_kind(token)
        if kind and kind != run_kind:
            flush()
        run_kind = kind or run_kind
        if kind:
            run.append((token, payload))
            continue
        flush()
        out.append((token, payload))
    flush()
    return out


# ---------------------------------------------------------------------------------------------
# slow path: text and offset map


@dataclass(frozen=True, slots=True)
class Normalised:
    """A normalised text and, for each of its characters, the original span it came from."""

    original: str
    text: str
    level: Level
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def to_original(self, start: int, end: int) -> Span:
        """The original span of the normalised characters ``[start, end)``."""
        if not 0 <= start < end <= len(self.text):
            raise ValueError(f"[{start}, {end}) is outside the normalised text")
        return Span(self.starts[start], max(self.ends[end - 1], self.starts[start]))


_Piece = tuple[str, int, int]  # one character and the original span it came from


def normalise(text: str, level: Level) -> Normalised:
    """``text`` normalised at ``level`` with its offset map; same text as :func:`normalise_text`."""
    if level is Level.NONE:
        n = len(text)
        return Normalised(text, text, level, tuple(range(n)), tuple(range(1, n + 1)))
    if level is Level.LIGHT:
        pieces = [(ch, i, i + 1) for i, ch in enumerate(text)]
        return _assemble(text, level, _collapse_spaces(_translate(pieces, LIGHT)))
    quick = _quick(text)
    return quick if quick is not None else _aggressive(text)


def _aggressive(text: str) -> Normalised:
    """The general offset-tracking path of ``AGGRESSIVE``: every step on (character, span)."""
    pieces = [(ch, i, i + 1) for i, ch in enumerate(text)]
    if _has_camel_case(text):
        pieces = _insert_at(pieces, _CAMEL, " ")
    if _has_apostrophe(text):
        split = set(_possessives(_string(pieces)))
        pieces = [(" ", s, e) if i in split else (ch, s, e) for i, (ch, s, e) in enumerate(pieces)]
        pieces = _delete(pieces, _APOSTROPHE)
    if "@" in text or "$" in text:
        pieces = _replace_each(pieces, _LEET_SYMBOL, _LEET_SYMBOLS)
    pieces = _translate(pieces, MATCH)
    tokens: list[tuple[str, list[_Piece]]] = []
    current: list[_Piece] = []
    for piece in [*pieces, (" ", len(text), len(text))]:
        if piece[0] != " ":
            current.append(piece)
            continue
        if current:
            tokens.append(_fold_token(current))
            current = []
    tokens = [
        (t, _rewrite_pieces(t, [p for ps in parts for p in ps]))
        for t, parts in _finish_tokens(tokens, functools.partial(_piece_gap, text))
    ]
    out: list[_Piece] = []
    for index, (_, token_pieces) in enumerate(tokens):
        if index:
            at = min(out[-1][2], token_pieces[0][1])  # one original character can split in two
            out.append((" ", at, at))
        out.extend(token_pieces)
    return _assemble(text, Level.AGGRESSIVE, out)


def _piece_gap(text: str, before: list[list[_Piece]], after: list[list[_Piece]]) -> int:
    """The kind of gap in ``text`` between two tokens given as their pieces."""
    end = max((piece[2] for pieces in before for piece in pieces), default=0)
    start = min((piece[1] for pieces in after for piece in pieces), default=end)
    return _gap_kind(text[end:start])


def _gap_kind(gap: str) -> int:
    """``_LOOSE`` for whitespace (or nothing: a camel-case split), ``_JOINED`` for the
    apostrophe of a possessive ``'s`` ("T.T.P's"; it joins whatever its run does), ``_TIGHT``
    for anything else that separated two letters without whitespace ("." or "-")."""
    if not gap or any(ch.isspace() for ch in gap):
        return _LOOSE
    if all(ch in _APOSTROPHES or MATCH.fold(ch) == "" for ch in gap):
        return _JOINED
    return _TIGHT


def _quick(text: str) -> Normalised | None:
    """The offset map the quick way, for the common text where no step before tokenising
    changes its length (no camel case, no apostrophe inside a word): each folded character's
    origin comes from the few characters that do not fold to exactly one, and only tokens that
    fold differently need pieces. ``None`` when the general path is needed."""
    original = text
    if _has_camel_case(text) or _has_apostrophe(text):
        return None
    if "@" in text or "$" in text:
        text = _leet_symbols(text)  # one letter for one symbol: offsets unchanged
    folded, origin = _fold_with_origins(text)
    if len(origin) != len(folded):
        return None
    unstable = _unstable_tokens(folded)
    tokens: list[tuple[str, Sequence[int], list[_Piece] | None]] = []
    for match in _WORD.finditer(folded):
        token = match.group()
        start, end = match.span()
        where = origin[start:end]
        if start in unstable:
            changed = _fold_token([(ch, i, i + 1) for ch, i in zip(token, where, strict=True)])
            tokens.append((changed[0], where, changed[1]))
        else:
            tokens.append((token, where, None))
    if _has_adjacent_singles([t for t, _, _ in tokens]):
        return None
    tokens = [t for t in tokens if t[0] not in CONNECTORS]
    if _has_adjacent_singles([t for t, _, _ in tokens]):
        return None
    chars: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for token, where, pieces in tokens:
        if chars:
            at = min(ends[-1], where[0] if pieces is None else pieces[0][1])
            chars.append(" ")
            starts.append(at)
            ends.append(at)
        chars.append(token)
        if pieces is None:
            starts.extend(where)
            ends.extend(map(_PLUS_ONE, where))
        else:
            starts.extend(s for _, s, _ in pieces)
            ends.extend(e for _, _, e in pieces)
    return Normalised(original, "".join(chars), Level.AGGRESSIVE, tuple(starts), tuple(ends))


_PLUS_ONE = (1).__add__


def fast_original_spans(
    text: str, normalised: str, ranges: list[tuple[int, int]]
) -> list[Span] | None:
    """The original spans of ``ranges`` of ``normalised`` (= ``normalise_text(text,
    AGGRESSIVE)``) from the C module, which follows the text-only path and carries each
    character's original span along (the spans :func:`normalise` gives); ``None`` where the
    module is not built, or where single letters are joined ("t t p": the offset-tracking path
    decides how)."""
    if _FAST is None:
        return None
    found = _FAST[1](text, normalised, ranges)
    return None if found is None else [Span(start, end) for start, end in found]


def original_spans(text: str, normalised: str, ranges: list[tuple[int, int]]) -> list[Span]:
    """The original spans of ``ranges`` of ``normalised`` (= ``normalise_text(text,
    AGGRESSIVE)``), each covering whole tokens: from the C module where it answers, else
    :func:`python_original_spans`."""
    fast = fast_original_spans(text, normalised, ranges)
    return fast if fast is not None else python_original_spans(text, normalised, ranges)


def python_original_spans(text: str, normalised: str, ranges: list[tuple[int, int]]) -> list[Span]:
    """:func:`original_spans` in Python: on the few tokens concerned where it can, and on the
    whole text with :func:`normalise` where it must."""
    located = _locate(text, normalised, ranges)
    if located is None:
        located = _search(text, normalised, ranges)
    if located is None:
        mapped = normalise(text, Level.AGGRESSIVE)
        return [mapped.to_original(a, b) for a, b in ranges]
    return located


# Every character of these blocks, by what it folds to (MATCH): the inverse table from which a
# search pattern for a normalised token is built. Characters that fold to nothing are
# "ignorable" (diacritics, tatweel, zero-width): they may stand between a token's letters.
_SEARCH_BLOCKS = (
    (0x0030, 0x0250),  # ASCII letters and digits, Latin-1, Latin Extended A and B
    (0x0370, 0x0530),  # Greek, Cyrillic
    (0x0600, 0x0780),  # Arabic, Arabic Supplement
    (0x1D00, 0x1D80),  # small capitals
    (0x200B, 0x2010),  # zero-width characters
    (0xFB50, 0xFE00),  # Arabic presentation forms A
    (0xFE70, 0xFF00),  # Arabic presentation forms B
    (0xFF10, 0xFF5B),  # full-width digits and letters
)


def _inverse_match() -> tuple[dict[str, str], str]:
    classes: dict[str, list[str]] = {}
    ignorable: list[str] = []
    for low, high in _SEARCH_BLOCKS:
        for codepoint in range(low, high):
            ch = chr(codepoint)
            folded = MATCH.fold(ch)
            if folded == "":
                ignorable.append(ch)
            elif len(folded) == 1 and folded != " ":
                classes.setdefault(folded, []).append(ch)
    # between two letters: ignorable characters, and the dots, hyphens and spaces of a spelled
    # acronym ("T.T.P", "B L A"), which the normaliser joins
    joiner = "(?:[" + re.escape("".join(ignorable)) + r"]|[.\- ])*?"
    return {k: "[" + re.escape("".join(v)) + "]" for k, v in classes.items()}, joiner


_PATTERNS: dict[str, re.Pattern[str] | None] = {}


@functools.cache
def _inverse() -> tuple[dict[str, str], str]:
    return _inverse_match()


def _pattern(key: str) -> re.Pattern[str] | None:
    """A pattern over original text for the characters that fold to ``key`` one to one, with
    ignorable characters (and a spelled acronym's separators) between them; ``None`` when some
    character of ``key`` has no class."""
    if key in _PATTERNS:
        return _PATTERNS[key]
    classes, joiner = _inverse()
    parts: list[str] = []
    pattern: re.Pattern[str] | None = None
    for ch in key:
        if ch == " ":
            parts.append(r"[\W_]+?")
        elif ch in classes:
            parts.append(classes[ch])
        else:
            break
    else:
        pattern = re.compile(joiner.join(parts))
    if len(_PATTERNS) < 10_000:
        _PATTERNS[key] = pattern
    return pattern


def _starts_token(text: str, start: int, splits: frozenset[int]) -> bool:
    if start in splits:
        return True
    before = start - 1
    while before >= 0 and MATCH.fold(text[before]) == "":  # ignorable: part of the token
        before -= 1
    return before < 0 or not text[before].isalnum()


def _ends_token(text: str, end: int, splits: frozenset[int]) -> bool:
    if end in splits:
        return True
    while end < len(text) and MATCH.fold(text[end]) == "":  # ignorable: part of the token
        end += 1
    if end == len(text):
        return True
    after = text[end]
    if after.isalnum():
        return False
    return after not in _APOSTROPHES or end + 1 == len(text) or not text[end + 1].isalpha()


def _search(text: str, normalised: str, ranges: list[tuple[int, int]]) -> list[Span] | None:
    """Original spans found by searching the original text for each range's characters.

    For each distinct token sequence ``key`` among ``ranges``: the original text is searched for
    runs of characters that fold one to one to ``key`` (ignorable characters allowed between
    them) standing at token boundaries and normalising, on their own, to ``key``. When there are
    exactly as many such runs as whole-token occurrences of ``key`` in ``normalised``, the k-th
    occurrence is the k-th run (normalisation keeps token order), provided the text before the
    run normalises to exactly the whole text's normalisation before the occurrence, and the run
    and the text after it to the rest (so the run stands alone as that occurrence). Anything
    else — a different count, a character that folds to several, a respelled or leet-decoded
    token — gives ``None`` and the general path decides. A property test holds it to the
    general path's spans.
    """
    if "@" in text or "$" in text:
        return None  # a symbol read as a letter joins tokens the search would split
    camel = _has_camel_case(text)
    splits = frozenset(m.start() for m in _CAMEL.finditer(text)) if camel else frozenset()
    split = _CAMEL.sub(" ", text) if camel else text
    if not CONNECTORS.isdisjoint(split.translate(MATCH).split()):
        return None  # a dropped connector's characters join a neighbour's span
    found: dict[str, list[tuple[int, int]]] = {}
    spans = []
    for a, b in ranges:
        key = normalised[a:b]
        if key not in found:
            pattern = _pattern(key)
            if pattern is None:
                return None
            runs = [
                m.span()
                for m in pattern.finditer(text)
                if _starts_token(text, m.start(), splits)
                and _ends_token(text, m.end(), splits)
                and normalise_text(m.group(), Level.AGGRESSIVE) == key
            ]
            if len(runs) != len(_occurrences(normalised, key)):
                return None
            found[key] = runs
        occurrences = _occurrences(normalised, key)
        if a not in occurrences:
            return None
        start, end = found[key][occurrences.index(a)]
        before = normalise_text(text[:start], Level.AGGRESSIVE)
        after = normalise_text(text[end:], Level.AGGRESSIVE)
        if len(before) != max(a - 1, 0) or " ".join(p for p in (before, key, after) if p) != (
            normalised
        ):
            # the run does not stand alone as the occurrence, or stands as another occurrence
            # of a repeated token: a run normalisation joins to its neighbour ("A B L A" read
            # "abla") beside an occurrence with no run of its own ("BLAAA" read "bla") keeps
            # the counts equal and shifts the k-th run by one repeat; the general path decides
            return None
        spans.append(Span(start, end))
    return spans


def _occurrences(normalised: str, key: str) -> list[int]:
    """Where ``key`` stands as whole tokens in ``normalised``."""
    out = []
    at = normalised.find(key)
    size = len(key)
    while at != -1:
        if (at == 0 or normalised[at - 1] == " ") and (
            at + size == len(normalised) or normalised[at + size] == " "
        ):
            out.append(at)
        at = normalised.find(key, at + 1)
    return out


def _locate(text: str, normalised: str, ranges: list[tuple[int, int]]) -> list[Span] | None:
    if not normalised or _has_camel_case(text) or _has_apostrophe(text):
        return None
    if "@" in text or "$" in text:
        text = _leet_symbols(text)
    folded, origin = _fold_with_origins(text)
    if len(origin) != len(folded):
        return None
    unstable = _unstable_tokens(folded)
    folded_tokens = {start: _fold_unstable(folded, start, origin) for start in unstable}
    if any(_is_single(token) for token, _ in folded_tokens.values()):
        return None  # a token folded down to one letter may join others: the general path
    collapsed = f" {_single_spaces(folded)} "
    if _SINGLES_HINT.search(collapsed):
        return None  # single letters are joined: the general path knows how
    connectors = [e for e in _TOKEN_AUTOMATON.iter(collapsed) if e[1][1] is None]
    if connectors and _SINGLES_HINT.search(f" {_apply(collapsed[1:-1], connectors)} "):
        return None
    kept = [
        m.start()
        for m in _WORD.finditer(folded)
        if m.start() not in folded_tokens or folded_tokens[m.start()][0] not in CONNECTORS
    ]
    if len(kept) != normalised.count(" ") + 1:
        return None
    spans = []
    for a, b in ranges:
        start = _char_origin(
            folded,
            origin,
            folded_tokens,
            kept[normalised.count(" ", 0, a)],
            a - _token_start(normalised, a),
        )
        end = _char_origin(
            folded,
            origin,
            folded_tokens,
            kept[normalised.count(" ", 0, b - 1)],
            b - 1 - _token_start(normalised, b - 1),
        )
        if start is None or end is None:
            return None
        spans.append(Span(start[0], max(end[1], start[0])))
    return spans


def _token_start(normalised: str, position: int) -> int:
    return normalised.rfind(" ", 0, position) + 1


def _fold_unstable(folded: str, start: int, origin: Sequence[int]) -> tuple[str, list[_Piece]]:
    end = folded.find(" ", start)
    end = len(folded) if end == -1 else end
    token = folded[start:end]
    return _fold_token([(ch, origin[i], origin[i] + 1) for i, ch in enumerate(token, start)])


def _char_origin(
    folded: str,
    origin: Sequence[int],
    folded_tokens: dict[int, tuple[str, list[_Piece]]],
    token_start: int,
    offset: int,
) -> tuple[int, int] | None:
    """Original (start, end) of character ``offset`` of the output token that the folded token
    at ``token_start`` became."""
    result = folded_tokens.get(token_start)
    if result is not None:
        pieces = result[1]
        if offset >= len(pieces):
            return None
        return pieces[offset][1], pieces[offset][2]
    position = token_start + offset
    return origin[position], origin[position] + 1


def _unstable_tokens(folded: str) -> set[int]:
    """Start positions of the tokens of ``folded`` that fold further: spelling variants and
    connectors, runs of a letter, tokens mixing digits and letters."""
    padded = f" {folded} "
    found = {end - length + 1 for end, (length, _) in _TOKEN_AUTOMATON.iter(padded)}
    patterns = []
    if _ANY_RUN.search(folded):
        patterns.append(_RUNS)
    if _DIGIT.search(folded) and (_MIXED_HINT.search(folded) or _MIXED_HINT.search(folded[::-1])):
        patterns.append(_MIXED_TOKEN)
    for pattern in patterns:
        for match in pattern.finditer(folded):
            i = match.start()
            while i > 0 and folded[i - 1] != " ":
                i -= 1
            found.add(i)
    return found


def _fold_with_origins(text: str) -> tuple[str, Sequence[int]]:
    """``text`` folded by ``MATCH``, and for each folded character its original index."""
    if text.isascii():
        return text.translate(ASCII_MATCH), range(len(text))
    folded = _BYTE_FOLD.fold(text)
    return (text.translate(MATCH) if folded is None else folded), _origins(text)


def _origins(text: str) -> list[int]:
    """For each character of ``MATCH``-folded ``text``, the index of the character it came
    from (characters that fold to nothing leave no entry, to several leave several)."""
    origin: list[int] = []
    previous = 0
    for match in _BYTE_FOLD.irregular.finditer(text):
        i = match.start()
        origin.extend(range(previous, i))
        origin.extend([i] * len(MATCH.fold(text[i])))
        previous = i + 1
    origin.extend(range(previous, len(text)))
    return origin


def _fold_token(pieces: list[_Piece]) -> tuple[str, list[_Piece]]:
    """Leetspeak, letter runs, spelling variants (connectors are dropped later)."""
    token = _string(pieces)
    if _MIXED_TOKEN.fullmatch(token):
        pieces = [(ch.translate(_LEET), s, e) for ch, s, e in pieces]
        token = _string(pieces)
    if _RUNS.search(token):
        collapsed: list[_Piece] = []
        i = 0
        while i < len(pieces):
            j = i
            while j < len(pieces) and pieces[j][0] == pieces[i][0]:
                j += 1
            if j - i >= 3 and _RUNS.fullmatch(token[i:j]):
                collapsed.append((pieces[i][0], pieces[i][1], pieces[j - 1][2]))
            else:
                collapsed.extend(pieces[i:j])
            i = j
        pieces = collapsed
        token = _string(pieces)
    folded = SPELLINGS.get(token, token)
    if folded != token:
        pieces = [(ch, pieces[0][1], pieces[-1][2]) for ch in folded]
    return folded, pieces


def _rewrite_pieces(token: str, pieces: list[_Piece]) -> list[_Piece]:
    if _string(pieces) == token:
        return pieces
    return [(ch, pieces[0][1], pieces[-1][2]) for ch in token]


def _string(pieces: list[_Piece]) -> str:
    return "".join(ch for ch, _, _ in pieces)


def _translate(pieces: list[_Piece], table: FoldTable) -> list[_Piece]:
    return [(c, s, e) for ch, s, e in pieces for c in table.fold(ch)]


def _insert_at(pieces: list[_Piece], pattern: re.Pattern[str], insert: str) -> list[_Piece]:
    positions = [m.start() for m in pattern.finditer(_string(pieces))]
    if not positions:
        return pieces
    out: list[_Piece] = []
    previous = 0
    for position in positions:
        out.extend(pieces[previous:position])
        anchor = pieces[position][1] if position < len(pieces) else pieces[-1][2]
        out.extend((ch, anchor, anchor) for ch in insert)
        previous = position
    out.extend(pieces[previous:])
    return out


def _delete(pieces: list[_Piece], pattern: re.Pattern[str]) -> list[_Piece]:
    doomed = {i for m in pattern.finditer(_string(pieces)) for i in range(m.start(), m.end())}
    return [p for i, p in enumerate(pieces) if i not in doomed] if doomed else pieces


def _replace_each(
    pieces: list[_Piece], pattern: re.Pattern[str], mapping: dict[str, str]
) -> list[_Piece]:
    out = list(pieces)
    for m in pattern.finditer(_string(pieces)):
        ch, s, e = out[m.start()]
        out[m.start()] = (mapping[ch], s, e)
    return out


def _collapse_spaces(pieces: list[_Piece]) -> list[_Piece]:
    out: list[_Piece] = []
    for ch, s, e in pieces:
        if _SPACES.fullmatch(ch):
            if out and out[-1][0] == " ":
                out[-1] = (" ", out[-1][1], e)
            else:
                out.append((" ", s, e))
        else:
            out.append((ch, s, e))
    if out and out[0][0] == " ":
        out.pop(0)
    if out and out[-1][0] == " ":
        out.pop()
    return out


def _assemble(original: str, level: Level, pieces: list[_Piece]) -> Normalised:
    return Normalised(
        original,
        _string(pieces),
        level,
        tuple(s for _, s, _ in pieces),
        tuple(e for _, _, e in pieces),
    )
