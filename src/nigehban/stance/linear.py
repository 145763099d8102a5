"""Sparse linear models over bucket ids: logistic (binary) and softmax (categories).

Inputs are the flat bucket ids and offsets of :func:`nigehban.stance.features.flatten`; every
feature is binary, so a text's score is the sum of its buckets' weights. Training is
deterministic: full-batch AdaGrad from zero weights in float64, a fixed number of steps, the
examples in a fixed order, optional per-example weights. Only buckets seen at least
``min_count`` times in training are kept, stored as a sorted id array beside the weights, so a
model of a million hashed buckets ships the hundred thousand it uses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

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
    x = design(flat, starts, ids)
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
    for _ in range(config.steps):
        p = softmax(x @ w + b)
        err = (p - y) * (sw / total)[:, None]
        gw = xt @ err + config.l2 * w
        gb = err.sum(axis=0)
        gw_sq += gw * gw
        gb_sq += gb * gb
        w -= config.learning_rate * gw / np.sqrt(gw_sq)
        b -= config.learning_rate * gb / np.sqrt(gb_sq)
    return SparseLinear(ids, w, b)


def softmax(scores: FloatArray) -> FloatArray:
    z = scores - scores.max(axis=1, keepdims=True)
    e = np.exp(z)
    out: FloatArray = e / e.sum(axis=1, keepdims=True)
    return out


def binary_logit(scores: FloatArray) -> FloatArray:
    """The logit of class 1 against class 0 of a two-class model."""
    out: FloatArray = scores[:, 1] - scores[:, 0]
    return out
