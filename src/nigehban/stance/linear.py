"""Sparse linear models over bucket ids: logistic (binary) and softmax (categories).

Inputs are the flat bucket ids and offsets of :func:`nigehban.stance.features.flatten`; every
feature is binary, so a text's score is the sum of its buckets' weights. Training is
deterministic: full-batch AdaGrad from zero weights in float64, a fixed number of steps, the
examples in a fixed order, optional per-example weights. Only buckets seen at least
``min_count`` times in training are kept, stored as a sorted id array beside the weights, so a
model of a million hashed buckets ships the hundred thousand it uses.

While fitting, the kept buckets' rows of the weights are laid out most frequent first, so that
the rows most texts read share the processor's cache (bucket ids are hashes: in id order, every
text's buckets are scattered over the whole table); each text's buckets are still summed in id
order, and every update is element by element, so the weights are the same bits as in id order.
The sparse products are the optional C module ``nigehban.stance._sparse`` where it is built
(scipy's arithmetic, faster), else scipy's.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

try:
    from nigehban.stance import _sparse
except ImportError:  # not built: scipy's products
    _sparse = None  # type: ignore[assignment]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class TrainConfig:
    steps: int = 150
    learning_rate: float = 0.3
    l2: float = 1e-5
    min_count: int = 2


@dataclass(frozen=True, slots=True)
class SparseLinear:
    """Weights of the kept buckets (``ids`` sorted) for ``classes`` outputs, and biases."""

    ids: IntArray
    weights: FloatArray  # (len(ids), classes)
    bias: FloatArray  # (classes,)

    def scores(self, flat: IntArray, starts: IntArray) -> FloatArray:
        """Raw scores (logits), one row per text."""
        out: FloatArray = design(flat, starts, self.ids) @ self.weights + self.bias
        return out


class Lookup:
    """A model's kept buckets as a dense table (bucket id → column, −1 when not kept): one
    gather per text batch instead of a binary search per feature."""

    def __init__(self, model: SparseLinear, buckets: int) -> None:
        self.model = model
        self.table = np.full(buckets, -1, dtype=np.int64)
        self.table[model.ids] = np.arange(len(model.ids), dtype=np.int64)

    def scores(self, flat: IntArray, starts: IntArray) -> FloatArray:
        n = len(starts)
        lengths = np.diff(np.append(starts, len(flat)))
        pos = self.table[flat]
        known = pos >= 0
        rows = np.repeat(np.arange(n), lengths)[known]
        data = np.ones(int(known.sum()), dtype=np.float64)
        x = sparse.csr_matrix((data, (rows, pos[known])), shape=(n, len(self.model.ids)))
        out: FloatArray = x @ self.model.weights + self.model.bias
        return out


def kept_ids(flat: IntArray, min_count: int) -> IntArray:
    ids, counts = np.unique(flat, return_counts=True)
    return ids[counts >= min_count].astype(np.int64)


def design(flat: IntArray, starts: IntArray, ids: IntArray) -> Any:
    """The binary design matrix (texts × kept buckets) as a CSR matrix; unknown buckets drop."""
    n = len(starts)
    lengths = np.diff(np.append(starts, len(flat)))
    if not len(ids):
        return sparse.csr_matrix((n, 0), dtype=np.float64)
    pos = np.minimum(np.searchsorted(ids, flat), len(ids) - 1)
    known = ids[pos] == flat
    rows = np.repeat(np.arange(n), lengths)[known]
    data = np.ones(int(known.sum()), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, pos[known])), shape=(n, len(ids)))


def product(x: Any, dense: FloatArray) -> FloatArray:
    """``x @ dense`` for a CSR matrix ``x``: scipy's arithmetic, by the C module where built."""
    if _sparse is not None and dense.flags.c_contiguous and dense.ndim == 2:
        out: FloatArray = np.empty((x.shape[0], dense.shape[1]), dtype=np.float64)
        if _sparse.product(x.indptr, x.indices, x.data, dense, out):
            return out
    result: FloatArray = x @ dense
    return result


def _most_frequent_first(x: Any) -> tuple[Any, IntArray]:
    """``x`` with its columns renumbered most frequent first (each row's entries kept in their
    order), and each old column's new number."""
    counts = np.bincount(x.indices, minlength=x.shape[1])
    order = np.argsort(-counts, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    hot = sparse.csr_matrix(
        (x.data, rank[x.indices].astype(x.indices.dtype), x.indptr), shape=x.shape
    )
    return hot, rank.astype(np.int64)


def fit(
    flat: IntArray,
    starts: IntArray,
    targets: IntArray,
    classes: int,
    config: TrainConfig,
    sample_weight: FloatArray | None = None,
    ids: IntArray | None = None,
) -> SparseLinear:
    """Fit softmax regression over ``classes`` ≥ 2 outputs; ``targets`` are class indices.
    Full-batch AdaGrad from zero weights: deterministic for the same inputs."""
    if ids is None:
        ids = kept_ids(flat, config.min_count)
    x, rank = _most_frequent_first(design(flat, starts, ids))
    xt = x.T.tocsr()
    n = len(starts)
    w = np.zeros((len(ids), classes), dtype=np.float64)
    b = np.zeros(classes, dtype=np.float64)
    gw_sq = np.full_like(w, 1e-8)
    gb_sq = np.full_like(b, 1e-8)
    y = np.zeros((n, classes), dtype=np.float64)
    y[np.arange(n), targets] = 1.0
    sw = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)
    total = float(sw.sum())
    share = (sw / total)[:, None]
    step = np.empty_like(w)
    root = np.empty_like(w)
    for _ in range(config.steps):
        p = softmax(product(x, w) + b)
        err = (p - y) * share
        # gw = xt @ err + l2 * w; gw_sq += gw²; w -= lr * gw / sqrt(gw_sq), element by element
        gw = product(xt, err)
        np.multiply(w, config.l2, out=step)
        gw += step
        gb = err.sum(axis=0)
        np.multiply(gw, gw, out=step)
        gw_sq += step
        gb_sq += gb * gb
        np.multiply(gw, config.learning_rate, out=step)
        np.sqrt(gw_sq, out=root)
        np.divide(step, root, out=step)
        w -= step
        b -= config.learning_rate * gb / np.sqrt(gb_sq)
    return SparseLinear(ids, w[rank], b)


def softmax(scores: FloatArray) -> FloatArray:
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = e / e.sum(axis=1, keepdims=True)
    return out


def binary_logit(scores: FloatArray) -> FloatArray:
    """The logit of class 1 against class 0 of a two-class model."""
    out: FloatArray = scores[:, 1] - scores[:, 0]
    return out
