"""A semantic tier with two views of a text (the mean of the embedding model's layers and its
last layer): one head per view, each reading its own columns, and the mean of their calibrated
logits; the artefact layout of one view is the one models had before there were two."""

from __future__ import annotations

import numpy as np
import pytest

from nigehban.stance import artefact
from nigehban.stance.artefact import Artefact
from nigehban.stance.model import StanceModel, combine_views, semantic_prefixes


def _two_views(shipped: Artefact) -> Artefact:
    """The shipped model with a second view: its head again, shifted to the next columns, and
    a different calibration."""
    meta = {**shipped.meta}
    one = meta["semantic"]
    width = len(shipped.arrays["semantic_mean"])
    meta["semantic"] = {
        **{k: v for k, v in one.items() if k not in ("b2", "platt")},
        "views": [
            {"columns": [0, width], "b2": one["b2"], "platt": one["platt"]},
            {"columns": [width, 2 * width], "b2": one["b2"], "platt": [2.0, -1.0]},
        ],
    }
    arrays = dict(shipped.arrays)
    for name in ("mean", "scale", "w1", "b1", "w2"):
        arrays[f"semantic_view1_{name}"] = shipped.arrays[f"semantic_{name}"]
    return Artefact(meta, arrays)


def test_one_view_reads_every_column_as_before() -> None:
    shipped = artefact.load(artefact.DEFAULT_DIR)
    model = StanceModel.from_artefact(shipped)
    assert model.semantic is not None and len(model.semantic.views) == 1
    width = len(shipped.arrays["semantic_mean"])
    assert model.semantic.views[0].columns == (0, width)
    assert "views" not in shipped.meta["semantic"]


def test_two_views_average_their_heads_calibrated_logits() -> None:
    shipped = artefact.load(artefact.DEFAULT_DIR)
    one = StanceModel.from_artefact(shipped).semantic
    two = StanceModel.from_artefact(_two_views(shipped)).semantic
    assert one is not None and two is not None
    width = len(shipped.arrays["semantic_mean"])
    rng = np.random.default_rng(7)
    left = rng.normal(size=(5, width)).astype(np.float32)
    right = rng.normal(size=(5, width)).astype(np.float32)
    vectors = np.concatenate([left, right], axis=1)
    first = one.logit(left)
    second = 2.0 * one.views[0].mlp.logit(right) - 1.0  # the second view's calibration
    assert [v.columns for v in two.views] == [(0, width), (width, 2 * width)]
    assert np.array_equal(two.logit(vectors), (first + second) / 2)


def test_views_are_stored_under_their_own_array_names() -> None:
    assert semantic_prefixes(1) == ["semantic_"]
    assert semantic_prefixes(2) == ["semantic_", "semantic_view1_"]


def test_training_and_the_model_combine_views_by_one_rule() -> None:
    a = np.array([1.0, -2.0, 0.5])
    b = np.array([3.0, 0.0, -0.5])
    c = np.array([-1.0, 4.0, 0.0])
    assert combine_views([a]) is a
    assert np.array_equal(combine_views([a, b]), (a + b) / 2)
    assert np.allclose(combine_views([a, b, c]), (a + b + c) / 3)
    with pytest.raises(ValueError, match="no view"):
        combine_views([])
