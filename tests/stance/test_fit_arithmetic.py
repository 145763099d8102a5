"""The training's faster arithmetic gives the same bits as the plain one.

The shipped model is rebuilt byte for byte (``nigehban train --check``), so every speed-up of
the training must leave each float where it was: the C sparse product against scipy's, the
linear models' frequency-ordered fit against the plain AdaGrad loop in bucket order, and the
semantic head's in-place hidden layer against fresh arrays. Each reference below is the
implementation as it was before the speed-up.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import sparse

from nigehban.stance import linear
from nigehban.stance.linear import SparseLinear, TrainConfig, design, kept_ids, softmax
from nigehban.stance.mlp import Mlp, MlpConfig, fit_mlp


def _same(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> bool:
    return a.shape == b.shape and a.tobytes() == b.tobytes()


def _csr(draw: st.DrawFn) -> Any:
    rows = draw(st.integers(0, 12))
    columns = draw(st.integers(1, 30))
    entries = draw(
        st.lists(
            st.tuples(
                st.integers(0, max(rows - 1, 0)),
                st.integers(0, columns - 1),
                st.floats(-1e6, 1e6, allow_nan=False, width=64),
            ),
            max_size=60 if rows else 0,
        )
    )
    data = np.array([e[2] for e in entries], dtype=np.float64)
    r = np.array([e[0] for e in entries], dtype=np.int64)
    c = np.array([e[1] for e in entries], dtype=np.int64)
    matrix = sparse.csr_matrix((data, (r, c)), shape=(rows, columns))
    if draw(st.booleans()) and matrix.nnz:
        # entries out of column order within rows, as the frequency-ordered fit stores them
        shuffled = np.random.default_rng(draw(st.integers(0, 99))).permutation(columns)
        matrix = sparse.csr_matrix(
            (matrix.data, shuffled[matrix.indices].astype(np.int32), matrix.indptr),
            shape=matrix.shape,
        )
    return matrix


@st.composite
def _products(draw: st.DrawFn) -> tuple[Any, np.ndarray[Any, Any]]:
    matrix = _csr(draw)
    k = draw(st.integers(1, 16))
    seed = draw(st.integers(0, 2**32 - 1))
    dense = np.random.default_rng(seed).normal(size=(matrix.shape[1], k)) * 1e3
    return matrix, dense


@settings(max_examples=400, deadline=None)
@given(_products())
def test_the_c_product_is_scipys(case: tuple[Any, np.ndarray[Any, Any]]) -> None:
    matrix, dense = case
    assert _same(linear.product(matrix, dense), matrix @ dense)


def test_the_c_module_is_used_where_built() -> None:
    module = pytest.importorskip("nigehban.stance._sparse")
    matrix = sparse.csr_matrix(np.eye(3))
    out = np.empty((3, 2))
    assert module.product(matrix.indptr, matrix.indices, matrix.data, np.ones((3, 2)), out)
    assert (out == 1).all()
    # other index types, too many columns, a wrong output shape or a column out of range: None
    # (the Python side then asks scipy)
    wide = np.ones((3, 65))
    assert (
        module.product(matrix.indptr, matrix.indices, matrix.data, wide, np.empty((3, 65))) is None
    )
    assert (
        module.product(
            matrix.indptr.astype(np.int64), matrix.indices, matrix.data, np.ones((3, 2)), out
        )
        is None
    )
    assert module.product(matrix.indptr, matrix.indices, matrix.data, np.ones((3, 2)),
                          np.empty((2, 2))) is None  # fmt: skip
    bad = np.array([0, 7, 1], dtype=np.int32)
    assert module.product(matrix.indptr, bad, matrix.data, np.ones((3, 2)), out) is None


def _plain_fit(
    flat: np.ndarray[Any, Any],
    starts: np.ndarray[Any, Any],
    targets: np.ndarray[Any, Any],
    classes: int,
    config: TrainConfig,
    sample_weight: np.ndarray[Any, Any],
) -> SparseLinear:
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
    total = float(sample_weight.sum())
    for _ in range(config.steps):
        p = softmax(x @ w + b)
        err = (p - y) * (sample_weight / total)[:, None]
        gw = xt @ err + config.l2 * w
        gb = err.sum(axis=0)
        gw_sq += gw * gw
        gb_sq += gb * gb
        w -= config.learning_rate * gw / np.sqrt(gw_sq)
        b -= config.learning_rate * gb / np.sqrt(gb_sq)
    return SparseLinear(ids, w, b)


@pytest.mark.parametrize("classes", [2, 5, 12])
def test_the_frequency_ordered_fit_is_the_plain_fit(classes: int) -> None:
    rng = np.random.default_rng(classes)
    texts = 400
    # Zipf-like bucket ids, as hashed n-grams are: a few in most texts, most in few
    rows = [
        np.unique((rng.zipf(1.3, size=rng.integers(1, 60)) * 7919) % 5000).astype(np.int64)
        for _ in range(texts)
    ]
    flat = np.concatenate(rows)
    starts = np.cumsum([0, *[len(r) for r in rows[:-1]]]).astype(np.int64)
    targets = rng.integers(0, classes, size=texts)
    weights = rng.uniform(0.2, 2.0, size=texts)
    config = TrainConfig(steps=25, learning_rate=0.2, l2=1e-4)
    fast = linear.fit(flat, starts, targets, classes, config, weights)
    plain = _plain_fit(flat, starts, targets, classes, config, weights)
    assert _same(fast.ids, plain.ids)
    assert _same(fast.weights, plain.weights)
    assert _same(fast.bias, plain.bias)


def _plain_mlp(
    x: np.ndarray[Any, Any], y: np.ndarray[Any, Any], weights: np.ndarray[Any, Any],
    config: MlpConfig,
) -> Mlp:  # fmt: skip
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    xs = (x - mean) / scale
    rng = np.random.default_rng(config.seed)
    params = [
        rng.normal(0.0, np.sqrt(2.0 / xs.shape[1]), (xs.shape[1], config.hidden)),
        np.zeros(config.hidden),
        rng.normal(0.0, np.sqrt(1.0 / config.hidden), config.hidden),
        np.zeros(1),
    ]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    total = float(weights.sum())
    for t in range(1, config.epochs + 1):
        w1, b1, w2, b2 = params
        h = np.maximum(xs @ w1 + b1, 0.0)
        z = h @ w2 + b2[0]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0)))
        g = (p - y) * weights / total
        gh = np.outer(g, w2) * (h > 0)
        grads = [
            xs.T @ gh + config.weight_decay * w1,
            gh.sum(axis=0),
            h.T @ g + config.weight_decay * w2,
            np.array([g.sum()]),
        ]
        for i, grad in enumerate(grads):
            first[i] = 0.9 * first[i] + 0.1 * grad
            second[i] = 0.999 * second[i] + 0.001 * grad * grad
            step = (first[i] / (1 - 0.9**t)) / (np.sqrt(second[i] / (1 - 0.999**t)) + 1e-8)
            params[i] = params[i] - config.learning_rate * step
    return Mlp(mean, scale, params[0], params[1], params[2], float(params[3][0]))


def test_the_in_place_head_is_the_plain_head() -> None:
    rng = np.random.default_rng(7)
    x = rng.normal(size=(600, 48)).astype(np.float32).astype(np.float64)
    y = (rng.random(600) > 0.6).astype(np.float64)
    weights = rng.uniform(0.5, 1.5, size=600)
    config = MlpConfig(hidden=16, epochs=40)
    fast, plain = fit_mlp(x, y, weights, config), _plain_mlp(x, y, weights, config)
    for field in ("mean", "scale", "w1", "b1", "w2"):
        assert _same(getattr(fast, field), getattr(plain, field)), field
    assert fast.b2 == plain.b2
