"""Text near-duplicates in every script: re-posted copies match, template siblings do not.

A bank of known statements (claims of responsibility, propaganda announcements) is matched
against posts that copy them with small changes: punctuation, zero-width characters, Arabic
keyboard letters, Roman Urdu spellings, look-alike Latin letters, a few words changed, hashtags
or a forwarding header added. The hard negative is a *different* statement written from the same
template: two claims that differ only in the place, the date or the casualty figure. Such a
sibling differs from the entry in fewer words than many re-posts do, so counting shared words is
not enough; what matters is *which* words differ.

How a text is compared:

1. **Tokens.** URLs, ``@`` handles and hashtags are removed, digits are split from the letters
   glued to them (``12th``, Pashto ``۱۴مه``), and the text goes through the shared aggressive
   normaliser (:func:`nigehban.text.normaliser.normalise_text`), which folds letter variants,
   diacritics, zero-width characters, digits of every script, homoglyphs, leetspeak and Roman
   Urdu spellings of group names. Numbers lose leading zeros (``03`` is ``3``). Only the first
   :data:`MAX_READ_CHARS` characters of a text are read (a statement is never longer; see
   :data:`nigehban.banks.model.MAX_TEXT_CHARS`), so a megabyte of input costs what 50,000
   characters cost.
2. **Candidates.** Each text gets a MinHash signature over its word bigrams (Latin words by
   their consonant skeleton; seeded, the same in every run); LSH banding finds the entries
   likely to be near it without scanning the bank.
3. **Verification.** Each candidate is scored with a weighted Jaccard similarity over the two
   bags of tokens. A token's weight is its rarity in the bank (smoothed IDF; a token no entry
   holds weighs :data:`UNSEEN_WEIGHT` of a token one entry holds, so words a re-poster adds
   count less than the entry's own rare words). The candidates that overlap the query by at
   least :data:`NEIGHBOUR_FLOOR` are its *neighbourhood*, typically the template siblings; a
   token held by some of them and not the others (a place name, a date, a unit) is what tells
   them apart, so it weighs up to 1 + :data:`SIBLING_BOOST` times more, while the template words
   they all share weigh as before. Tokens left unpaired on both sides pair up when they are
   spellings of one word (edit distance 1, or 2 in long words; the same consonant skeleton
   for Latin tokens, so Roman Urdu *zimmedari* meets *zumedari*; never numbers). Finally,
   when each side has content tokens (numbers, month and weekday names) the other lacks, a
   date or a figure was *changed*, not dropped: the score is multiplied by the share of
   content tokens they agree on, squared. A re-post that drops a date loses a little; a claim
   with another date loses most of its score.

Measured on tests/data/textdup (see its README): at the default threshold 0.7, near-duplicates
with 10% of their words changed find their entry with recall 0.99 and precision 1.00 in every
language, while the sibling in the same bank is refused. Without the sibling in the bank, a
claim that differs only in names (place, unit, target) cannot be told from a re-post of the
banked one; one whose date or figures differ still can.

:func:`similarity` compares two texts on their own (no bank rarity, no neighbours), so
``query`` scores and ``similarity`` scores of the same pair can differ; both lie in [0, 1] and
identical or normaliser-equivalent texts score 1.0. The similarity is Jaccard-like, not
containment: a long post that quotes a statement inside much other text does not match it.

Indexes are immutable snapshots; :meth:`TextIndex.add` returns a new index that shares the
existing entries' tokens and signatures (nothing is hashed again) and :meth:`TextIndex.without`
drops entries. Nothing is pickled.
"""

from __future__ import annotations

import functools
import hashlib
import itertools
import math
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from nigehban.banks.model import DEFAULT_TEXT_THRESHOLD
from nigehban.errors import UsageError, ValidationError
from nigehban.privacy.masking import preview
from nigehban.text.normaliser import VERSION as NORMALISER_VERSION
from nigehban.text.normaliser import Level, normalise_text

EntryId = int | str
_Weight = Callable[[str], float]

MAX_READ_CHARS = 50_000
"""Characters of a text that are read; the rest is ignored (bank entries hold at most 20,000)."""
NUM_PERM = 128
BANDS = 42
ROWS = 3
"""LSH banding: 42 bands of 3 rows find a candidate of bigram Jaccard 0.4 with p = 0.93 and of
0.5 with p = 0.996."""
SEED = 20_261_129
SIBLING_BOOST = 8.0
"""Extra weight of a token held by one of the query's close neighbours and not the others."""
NEIGHBOUR_FLOOR = 0.4
"""Candidates overlapping the query this much (plain weights, before the number rule) are its
neighbourhood."""
PAIR_FLOOR = 0.3
"""Spelling variants are paired up only in texts that already score this much without them."""
UNSEEN_WEIGHT = 0.5
"""Weight of a query token no entry holds, as a share of the weight of a token one entry holds."""
FORMAT = "t1"

_MERSENNE = np.uint64((1 << 61) - 1)
_LOW32 = np.uint64(0xFFFFFFFF)
_URL = re.compile(r"(?i)\b(?:https?://|www\.|t\.me/)\S+")
_HANDLE = re.compile(r"(?<![\w@])@\w+")
_HASHTAG = re.compile(r"(?<![\w#])#\w+")
_ORDINAL = re.compile(r"(?i)(?<=\d)(?:st|nd|rd|th)\b")
_RUNS = re.compile(r"(.)\1+")
_DIGIT_LETTER = re.compile(r"(?<=\d)(?=[^\W\d_A-Za-z])|(?<=[^\W\d_A-Za-z])(?=\d)")

_DATE_WORDS = """
january february march april june july august september october november december
monday tuesday wednesday thursday friday saturday sunday
muharram safar rabi jumada rajab shaban ramadan ramzan shawwal
جنوری فروری مارچ اپریل مئی جون جولائی اگست ستمبر اکتوبر نومبر دسمبر
جنوري فبروري اپرېل مۍ جولای اګست سپتمبر
پیر منگل بدھ جمعرات جمعہ ہفتہ اتوار دوشنبه سه‌شنبه چهارشنبه پنجشنبه شنبه یکشنبه
محرم صفر ربیع جمادی رجب شعبان رمضان شوال ذوالقعدہ ذوالحجہ
"""
_CONTENT_WORDS = frozenset(
    normalise_text(word, Level.AGGRESSIVE) for word in _DATE_WORDS.split()
) - {""}


@dataclass(frozen=True, slots=True)
class TextMatch:
    """One bank entry that a query text is a near-duplicate of."""

    entry_id: EntryId
    similarity: float


@dataclass(frozen=True, slots=True)
class _Text:
    """What matching keeps of a text: its token bag and its MinHash signature."""

    bag: Mapping[str, int]
    signature: NDArray[np.uint32]


def tokens(text: str, source: str = "") -> list[str]:
    """The tokens ``text`` is compared on (see the module docstring, step 1).

    Raises :class:`ValidationError` when ``text`` is empty or only whitespace."""
    if not text.strip():
        raise ValidationError(source, "text", "a text to match must not be empty")
    head = text[:MAX_READ_CHARS]
    head = _HASHTAG.sub(" ", _HANDLE.sub(" ", _URL.sub(" ", head)))
    head = _DIGIT_LETTER.sub(" ", _ORDINAL.sub("", head))
    out = []
    for token in normalise_text(head, Level.AGGRESSIVE).split(" "):
        if not token:
            continue
        out.append((token.lstrip("0") or "0") if token.isdigit() else token)
    return out


def fingerprint(text: str) -> str:
    """A short identifier of ``text`` up to normalisation, the same in every run.

    Texts that differ only in what the normaliser folds (letter variants, zero-width
    characters, punctuation, digits of another script, URLs) share a fingerprint. It changes
    when the normaliser's tables change (its ``VERSION`` is part of the value)."""
    digest = hashlib.sha256(" ".join(tokens(text)).encode()).hexdigest()
    return f"{FORMAT}.{NORMALISER_VERSION}:{digest[:32]}"


def similarity(a: str, b: str) -> float:
    """How near-duplicate ``a`` and ``b`` are, in [0, 1], from the two texts alone.

    Symmetric; 1.0 for texts equal up to normalisation. Texts with no letters or digits (only
    emoji or punctuation) score 1.0 when their lightly normalised forms are equal, else 0.0."""
    ta, tb = tokens(a), tokens(b)
    if not ta or not tb:
        if ta or tb:
            return 0.0
        same = normalise_text(a, Level.LIGHT) == normalise_text(b, Level.LIGHT)
        return 1.0 if same else 0.0
    return _score(Counter(ta), Counter(tb), _unit_weight)


class TextIndex:
    """An immutable near-duplicate index over bank texts, keyed by entry id.

    Build it with :meth:`build`; :meth:`add` and :meth:`without` return new indexes and leave
    this one unchanged, so a reader can keep querying a snapshot while a new one is made."""

    __slots__ = ("_buckets", "_df", "_texts")

    def __init__(self) -> None:
        self._texts: dict[EntryId, _Text] = {}
        self._buckets: list[dict[bytes, tuple[EntryId, ...]]] = [{} for _ in range(BANDS)]
        self._df: Counter[str] = Counter()

    @classmethod
    def build(cls, entries: Iterable[tuple[EntryId, str]]) -> TextIndex:
        """An index of ``(entry_id, text)`` pairs. Ids must be unique (else
        :class:`UsageError`) and texts non-empty (else :class:`ValidationError`); a text with
        no letters or digits (only emoji or symbols) is kept but never matches."""
        index = cls()
        index._insert(entries)
        return index

    def add(self, entries: Iterable[tuple[EntryId, str]]) -> TextIndex:
        """A new index with ``entries`` added; the existing entries are not hashed again."""
        new = self._copy()
        new._insert(entries)
        return new

    def without(self, entry_ids: Iterable[EntryId]) -> TextIndex:
        """A new index without ``entry_ids`` (ids not in the index are ignored)."""
        doomed = set(entry_ids) & self._texts.keys()
        new = self._copy()
        if not doomed:
            return new
        for entry_id in doomed:
            text = new._texts.pop(entry_id)
            if not text.bag:
                continue
            new._df.subtract(text.bag.keys())
            for band, key in enumerate(_band_keys(text.signature)):
                kept = tuple(i for i in new._buckets[band][key] if i != entry_id)
                if kept:
                    new._buckets[band][key] = kept
                else:
                    del new._buckets[band][key]
        new._df = +new._df
        return new

    def __len__(self) -> int:
        return len(self._texts)

    def __contains__(self, entry_id: object) -> bool:
        return entry_id in self._texts

    def ids(self) -> list[EntryId]:
        return list(self._texts)

    def query(self, text: str, threshold: float = DEFAULT_TEXT_THRESHOLD) -> list[TextMatch]:
        """The entries ``text`` is a near-duplicate of (similarity ≥ ``threshold``), best first.

        Raises :class:`ValidationError` for an empty text or a threshold outside (0, 1]; a text
        with no letters or digits matches nothing."""
        if not 0.0 < threshold <= 1.0:
            raise ValidationError("", "threshold", f"{threshold!r} is outside (0, 1]")
        found = tokens(text)
        if not found:
            return []
        bag = Counter(found)
        candidates = self._candidates(_signature(_shingles(found)))
        if not candidates:
            return []
        weight = self._idf_weight()
        floor = min(threshold, NEIGHBOUR_FLOOR)
        texts = {i: self._texts[i].bag for i in candidates}
        overlap = {i: _overlap(bag, b, weight, floor) for i, b in texts.items()}
        close = [i for i, s in overlap.items() if s >= NEIGHBOUR_FLOOR]
        if len(close) >= 2:
            held = Counter(t for i in close for t in texts[i])
            boosted = _sibling_weight(weight, held, len(close))
            for i in close:
                overlap[i] = _overlap(bag, texts[i], boosted, threshold)
        final = {i: s * _number_agreement(bag, texts[i]) for i, s in overlap.items()}
        matches = [TextMatch(i, s) for i, s in final.items() if s >= threshold]
        matches.sort(key=lambda m: (-m.similarity, str(m.entry_id)))
        return matches

    # -----------------------------------------------------------------------------------------

    def _copy(self) -> TextIndex:
        new = TextIndex()
        new._texts = dict(self._texts)
        new._buckets = [dict(b) for b in self._buckets]
        new._df = Counter(self._df)
        return new

    def _insert(self, entries: Iterable[tuple[EntryId, str]]) -> None:
        for entry_id, text in entries:
            source = f"entry {preview(entry_id)}"
            if entry_id in self._texts:
                raise UsageError(f"{source} is already in the index")
            found = tokens(text, source)
            bag = Counter(found)
            signature = _signature(_shingles(found))
            self._texts[entry_id] = _Text(bag, signature)
            if not found:
                continue  # only emoji or symbols: kept, never a candidate
            self._df.update(bag.keys())
            for band, key in enumerate(_band_keys(signature)):
                self._buckets[band][key] = (*self._buckets[band].get(key, ()), entry_id)

    def _candidates(self, signature: NDArray[np.uint32]) -> set[EntryId]:
        found: set[EntryId] = set()
        for band, key in enumerate(_band_keys(signature)):
            found.update(self._buckets[band].get(key, ()))
        return found

    def _idf_weight(self) -> _Weight:
        n = len(self._texts)
        df = self._df
        unseen = (math.log((n + 1) / 2) + 1.0) * UNSEEN_WEIGHT

        def weight(token: str) -> float:
            count = df.get(token, 0)
            return math.log((n + 1) / (count + 1)) + 1.0 if count else unseen

        return weight


# ---------------------------------------------------------------------------------------------
# scoring


def _unit_weight(token: str) -> float:
    return 1.0


def _is_content(token: str) -> bool:
    return token.isdigit() or token in _CONTENT_WORDS


def _sibling_weight(weight: _Weight, held: Mapping[str, int], size: int) -> _Weight:
    """``weight`` with the tokens that only some of the ``size`` neighbours hold boosted."""

    def boosted(token: str) -> float:
        count = held.get(token, 0)
        if 0 < count < size:
            return weight(token) * (1.0 + SIBLING_BOOST * (1.0 - count / size))
        return weight(token)

    return boosted


def _score(a: Mapping[str, int], b: Mapping[str, int], weight: _Weight) -> float:
    return _overlap(a, b, weight) * _number_agreement(a, b)


def _overlap(
    a: Mapping[str, int], b: Mapping[str, int], weight: _Weight, floor: float = 0.0
) -> float:
    """Weighted Jaccard of two token bags, spelling variants paired up.

    Spelling pairs are looked for only when the score without them is at least
    :data:`PAIR_FLOOR` and pairs could lift it to ``floor``."""
    shared = 0.0
    total = 0.0
    left_a: list[str] = []
    left_b: list[str] = []
    spare_a = 0.0
    spare_b = 0.0
    for token in a.keys() | b.keys():
        ca, cb = a.get(token, 0), b.get(token, 0)
        w = weight(token)
        shared += w * min(ca, cb)
        total += w * max(ca, cb)
        if ca > cb:
            left_a.append(token)
            spare_a += w * (ca - cb)
        elif cb > ca:
            left_b.append(token)
            spare_b += w * (cb - ca)
    if total <= 0.0:
        return 1.0
    gain = min(spare_a, spare_b)
    if gain > 0.0 and shared >= PAIR_FLOOR * total and shared + gain >= floor * (total - gain):
        for ta, tb, closeness in _spelling_pairs(left_a, left_b):
            paired = min(weight(ta), weight(tb))
            shared += closeness * paired
            total -= paired
    return max(0.0, min(1.0, shared / total))


def _number_agreement(a: Mapping[str, int], b: Mapping[str, int]) -> float:
    """1.0, unless each side has content tokens (numbers, month and weekday names) the other
    lacks: a date or a figure was changed, not dropped. Then the share of content tokens the
    two agree on, squared."""
    content_a = Counter({t: n for t, n in a.items() if _is_content(t)})
    content_b = Counter({t: n for t, n in b.items() if _is_content(t)})
    changed = min((content_a - content_b).total(), (content_b - content_a).total())
    if not changed:
        return 1.0
    agreed = (content_a & content_b).total()
    return (agreed / (agreed + changed)) ** 2


_MAX_PAIRS = 400
_VOWELS = str.maketrans("qv", "kw", "aeiouyw")
_LATIN = re.compile(r"[a-z]+")
_SKELETON_CLOSENESS = 0.75


@functools.lru_cache(maxsize=1 << 16)
def _skeleton(token: str) -> str:
    """A Latin token's consonants (``q`` as ``k``, doubled letters once): one key for the
    spellings of a Roman Urdu word (*zimmedari*, *zumedari*; *aur*, *or*; *ke*, *kay*).
    Other tokens, and Latin tokens with no consonant, are their own key."""
    if not _LATIN.fullmatch(token):
        return token
    consonants = _RUNS.sub(r"\1", token.translate(_VOWELS))
    return consonants or token


def _spelling_pairs(left_a: list[str], left_b: list[str]) -> list[tuple[str, str, float]]:
    """Unpaired tokens that are spellings of one word, greedily, closest first, each with its
    closeness in (0, 1]: non-numeric tokens at edit distance 1 (2 when both have eight or more
    characters), closeness 1 - distance / length; or Latin tokens with the same consonant
    skeleton (:func:`_skeleton`), closeness 0.75 unless the edit distance says more."""
    words_a = [t for t in left_a if not _is_content(t)]
    words_b = [t for t in left_b if not _is_content(t)]
    if not words_a or not words_b or len(words_a) * len(words_b) > _MAX_PAIRS:
        return []
    by_key: dict[str, list[str]] = {}
    for tb in words_b:
        key = _skeleton(tb)
        if key != tb:
            by_key.setdefault(key, []).append(tb)
    options: dict[tuple[str, str], float] = {}
    for ta in words_a:
        for tb in by_key.get(_skeleton(ta), ()):
            options[ta, tb] = _SKELETON_CLOSENESS
        if len(ta) < 3:
            continue
        limit = 2 if len(ta) >= 8 else 1
        parts = _pieces(ta, limit + 1)
        for tb in words_b:
            if len(tb) < 3 or abs(len(ta) - len(tb)) > limit:
                continue
            if not any(p in tb for p in parts):  # k edits leave one of k + 1 pieces whole
                continue
            bound = limit if min(len(ta), len(tb)) >= 8 else 1
            distance = _edit_distance(ta, tb, bound)
            if distance <= bound:
                closeness = 1.0 - distance / max(len(ta), len(tb))
                options[ta, tb] = max(options.get((ta, tb), 0.0), closeness)
    used_a: set[str] = set()
    used_b: set[str] = set()
    pairs = []
    for (ta, tb), closeness in sorted(options.items(), key=_pair_order):
        if ta in used_a or tb in used_b:
            continue
        used_a.add(ta)
        used_b.add(tb)
        pairs.append((ta, tb, closeness))
    return pairs


def _pair_order(option: tuple[tuple[str, str], float]) -> tuple[float, str, str]:
    """Closest first, then by the two tokens in either order: the same pairs both ways round."""
    (ta, tb), closeness = option
    return (-closeness, min(ta, tb), max(ta, tb))


def _pieces(token: str, count: int) -> list[str]:
    size = len(token) // count
    return [token[i * size : (i + 1) * size if i < count - 1 else None] for i in range(count)]


def _edit_distance(a: str, b: str, limit: int) -> int:
    """Levenshtein distance of ``a`` and ``b``, or ``limit + 1`` once it must exceed ``limit``."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i]
        for j, cb in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if min(current) > limit:
            return limit + 1
        previous = current
    return previous[-1]


# ---------------------------------------------------------------------------------------------
# MinHash and LSH

_RNG = np.random.default_rng(SEED)
_A = _RNG.integers(1, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_B = _RNG.integers(0, 1 << 32, size=NUM_PERM, dtype=np.uint64)
_MAX_SHINGLES = 8_192


def _shingles(found: list[str]) -> set[str]:
    """Bigrams of word keys (:func:`_skeleton`; the single key for a one-word text), at most
    :data:`_MAX_SHINGLES`."""
    keys = [_skeleton(t) for t in found]
    if len(keys) == 1:
        return {keys[0]}
    grams = {f"{x} {y}" for x, y in itertools.pairwise(keys)}
    return set(sorted(grams)[:_MAX_SHINGLES]) if len(grams) > _MAX_SHINGLES else grams


def _signature(shingles: set[str]) -> NDArray[np.uint32]:
    """The MinHash signature of ``shingles`` (CRC-32 of each, then seeded universal hashes)."""
    if not shingles:
        return np.full(NUM_PERM, 0xFFFFFFFF, dtype=np.uint32)
    hashed = np.fromiter(
        (zlib.crc32(s.encode()) for s in shingles), dtype=np.uint64, count=len(shingles)
    )
    mixed = (np.outer(hashed, _A) + _B) % _MERSENNE & _LOW32
    signature: NDArray[np.uint32] = mixed.min(axis=0).astype(np.uint32)
    return signature


def _band_keys(signature: NDArray[np.uint32]) -> list[bytes]:
    return [signature[b * ROWS : (b + 1) * ROWS].tobytes() for b in range(BANDS)]
