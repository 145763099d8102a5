"""Features of the fast tier: hashed word and character n-grams of the normalised text.

The text is normalised aggressively (:mod:`nigehban.text.normaliser`) before any feature is
taken, so the evasion tricks the normaliser undoes — zero-width characters, Latin/Cyrillic
homoglyphs, dotted or spaced acronyms, tatweel and diacritics, Arabic letters in place of
Urdu ones, emoji padding, Roman Urdu spelling variants — change no feature. Case and
punctuation are lost; the reporting voice survives in words ("said", "according", "claimed").

Features, each hashed with CRC-32 (stable across processes and platforms, unlike ``hash``)
into ``2**bits`` buckets, with a prefix per kind so kinds do not collide by construction of
the strings:

* words and word bigrams;
* character n-grams of each word padded with spaces (``" ttp "`` → ``" tt"``, ``"ttp"``, …),
  lengths ``char_min``..``char_max`` — robust to inflection, code-mixing and spelling.

With ``quote_view`` (the shipped recipe since model J), a post that quotes
(:mod:`nigehban.stance.quotes`) is read as two texts: its frame, in the ids above, and the words
it quotes, joined, in a second id space of the same size (ids ``2**bits`` and up). "They call the
bombers 'lions of the faith'" then shares no feature with the glorification it quotes, and the
model learns what quoted words mean in a quoting post apart from what they mean when the writer
says them. A post that quotes nothing has the same ids either way.

The bucket ids of a batch are returned flat with offsets, the layout the linear models use.
They are computed by the optional C module ``nigehban.stance._fastfeat`` where it is built
(``IMPLEMENTATION`` says), and in Python otherwise; a property test holds the two to the same
ids on arbitrary text.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from nigehban.errors import ValidationError
from nigehban.stance.quotes import split
from nigehban.text.normaliser import Level, normalise_text

IntArray = npt.NDArray[np.int64]


def _fast_module() -> Callable[[str, int, int, int, bool], list[int] | None] | None:
    try:
        from nigehban.stance import _fastfeat
    except ImportError:
        return None
    return _fastfeat.buckets


_FAST = _fast_module()
IMPLEMENTATION = "c" if _FAST is not None else "python"
"""Which implementation computes bucket ids: ``c`` (the C module) or ``python``."""


@dataclass(frozen=True, slots=True)
class FeatureConfig:
    """How texts become features; saved with the model, so a model always reads its own."""

    bits: int = 20
    char_min: int = 2
    char_max: int = 5
    word_bigrams: bool = True
    max_chars: int = 4000
    """Longer texts are cut here before featurising (the start carries the stance)."""
    quote_view: bool = False
    """Read a quoting post's frame and its quoted words in separate id spaces (see above)."""

    @property
    def id_space(self) -> int:
        """How many bucket ids there can be: ``2**bits``, twice that with ``quote_view``."""
        return (2 if self.quote_view else 1) << self.bits

    def to_dict(self) -> dict[str, int | bool]:
        out: dict[str, int | bool] = {
            "bits": self.bits,
            "char_min": self.char_min,
            "char_max": self.char_max,
            "word_bigrams": self.word_bigrams,
            "max_chars": self.max_chars,
        }
        if self.quote_view:  # written only when on: a model without it reads as it always did
            out["quote_view"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, object], source: str = "model.json") -> FeatureConfig:
        """The settings a model saved (``source``: where, for errors); ``quote_view`` may be
        absent (models before it), every other field must be there with its own type."""

        def number(name: str) -> int:
            value = data.get(name)
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValidationError(
                    source, f"features.{name}", f"not a whole number: {value!r:.40}"
                )
            return value

        def flag(name: str, default: bool | None = None) -> bool:
            value = data.get(name, default)
            if not isinstance(value, bool):
                raise ValidationError(
                    source, f"features.{name}", f"not true or false: {value!r:.40}"
                )
            return value

        return cls(
            bits=number("bits"),
            char_min=number("char_min"),
            char_max=number("char_max"),
            word_bigrams=flag("word_bigrams"),
            max_chars=number("max_chars"),
            quote_view=flag("quote_view", False),
        )


def prepare(text: str, config: FeatureConfig) -> str:
    """The text the features are read from."""
    return normalise_text(text[: config.max_chars], Level.AGGRESSIVE)


def feature_strings(prepared: str, config: FeatureConfig) -> list[str]:
    """The features of an already :func:`prepare`-d text, as strings (for inspection)."""
    words = prepared.split()
    out = [f"w:{w}" for w in words]
    if config.word_bigrams:
        out += [f"b:{a} {b}" for a, b in itertools.pairwise(words)]
    lo, hi = config.char_min, config.char_max
    for word in dict.fromkeys(words):
        padded = f" {word} "
        size = len(padded)
        for n in range(lo, min(hi, size) + 1):
            out += [f"c:{padded[i : i + n]}" for i in range(size - n + 1)]
    return out


class Featuriser:
    """Bucket ids of texts under one :class:`FeatureConfig`. Character n-grams are taken per
    word, and words repeat across posts, so each word's ids are cached (bounded)."""

    CACHE_LIMIT = 200_000

    def __init__(self, config: FeatureConfig) -> None:
        self.config = config
        self._mask = (1 << config.bits) - 1
        self._words: dict[str, list[int]] = {}

    def _word(self, word: str) -> list[int]:
        ids = self._words.get(word)
        if ids is None:
            mask, crc = self._mask, zlib.crc32
            padded = f" {word} "
            size = len(padded)
            grams = [
                f"c:{padded[i : i + n]}"
                for n in range(self.config.char_min, min(self.config.char_max, size) + 1)
                for i in range(size - n + 1)
            ]
            ids = [crc(f"w:{word}".encode()) & mask, *(crc(g.encode()) & mask for g in grams)]
            if len(self._words) >= self.CACHE_LIMIT:
                self._words.clear()
            self._words[word] = ids
        return ids

    def buckets(self, prepared: str) -> list[int]:
        """Unique, sorted bucket ids of a prepared text."""
        c = self.config
        if _FAST is not None:
            ids = _FAST(prepared, c.bits, c.char_min, c.char_max, c.word_bigrams)
            if ids is not None:
                return ids
        return self.buckets_python(prepared)

    def buckets_python(self, prepared: str) -> list[int]:
        """:meth:`buckets` in Python: what the C module must equal."""
        words = prepared.split()
        out: set[int] = set()
        for word in words:
            out.update(self._word(word))
        if self.config.word_bigrams and len(words) > 1:
            mask, crc = self._mask, zlib.crc32
            out.update(crc(f"b:{a} {b}".encode()) & mask for a, b in itertools.pairwise(words))
        return sorted(out)

    def ids(self, text: str, prepared: str | None = None) -> list[int]:
        """Unique, sorted bucket ids of ``text`` (``prepared``: the text already through
        :func:`prepare`, when the caller has it); with ``quote_view``, a quoting text's frame
        ids and its quoted words' ids shifted by ``2**bits``."""
        config = self.config
        if config.quote_view:
            framed, quoted = split(text)
            if framed != text:
                offset = 1 << config.bits
                inner = self.buckets(prepare(" ".join(quoted), config))
                return [*self.buckets(prepare(framed, config)), *(i + offset for i in inner)]
        return self.buckets(prepare(text, config) if prepared is None else prepared)

    def batch(
        self, texts: Sequence[str], prepared: Sequence[str] | None = None
    ) -> tuple[IntArray, IntArray]:
        """Bucket ids of every text, flat, and the offset where each text's ids start
        (``prepared``: the texts already through :func:`prepare`, when the caller has them)."""
        if prepared is None:
            return flatten([self.ids(text) for text in texts])
        return flatten([self.ids(t, p) for t, p in zip(texts, prepared, strict=True)])


def buckets(prepared: str, config: FeatureConfig) -> list[int]:
    """Unique, sorted bucket ids of a prepared text (uncached; see :class:`Featuriser`)."""
    mask = (1 << config.bits) - 1
    crc = zlib.crc32
    return sorted({crc(f.encode()) & mask for f in feature_strings(prepared, config)})


def batch_buckets(texts: Sequence[str], config: FeatureConfig) -> tuple[IntArray, IntArray]:
    """Bucket ids of every text, flat, and the offset where each text's ids start."""
    return Featuriser(config).batch(texts)


def flatten(rows: Sequence[Sequence[int]]) -> tuple[IntArray, IntArray]:
    lengths = np.fromiter(map(len, rows), dtype=np.int64, count=len(rows))
    flat = np.fromiter(
        itertools.chain.from_iterable(rows), dtype=np.int64, count=int(lengths.sum())
    )
    starts = np.zeros(len(rows), dtype=np.int64)
    if len(rows) > 1:
        np.cumsum(lengths[:-1], out=starts[1:])
    return flat, starts
