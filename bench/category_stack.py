"""Model CS, measured out of fold: the shipped model's decision also reading its category head.

An experiment, not the shipped recipe (``docs/model-card.md``, Limitations, "CS"). The fast
tier already fits a twelve-way category head (the taxonomy's categories, protected ones
included) beside the binary one, but the decision reads only the binary head and the semantic
tier. A post of counter-speech in the words of praise is one the category head has seen as
counter-speech; this asks whether its probabilities, stacked on the shipped combination, help:

* the shipped model's out-of-fold combined logit is computed as ``nigehban train`` computes it
  (the fast tier's five fold heads, checked to give the shipped binary head back bit for bit;
  the semantic head's five folds; the training's rules, checked to choose the shipped bands and
  weights and to give its out-of-fold macro-F1 back);
* the category head is fitted five times, each on the other four folds' labelled rows, as the
  training fits it, and each stance row gets its log-probabilities from the fold that left it
  out;
* per language, a logistic regression (L2 :data:`L2` on standardised inputs, the training's
  balanced weights) over the combined logit and the twelve log-probabilities is fitted on four
  folds' rows and scores the fifth; thresholds are chosen by the training's rule on the
  project's rows, and the out-of-fold macro-F1 of both is printed.

It reads the corpus, the third-party corpora (``--corpora``, default ``../shared/data/corpora``)
and the shipped model, and embeds the training texts unless ``--vectors`` holds them (the cache
of ``bench/sentence_rows.py``, the same array).

    .venv/bin/python bench/category_stack.py [--corpora DIR] [--vectors FILE.npy]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from nigehban.stance import artefact, pinning, training
from nigehban.stance.calibration import fit_platt
from nigehban.stance.corpus import load_corpus
from nigehban.stance.features import FeatureConfig, Featuriser, flatten
from nigehban.stance.model import combine_views

sys.path.insert(0, str(Path(__file__).resolve().parent))
from sentence_rows import (  # bench/sentence_rows.py
    _out_of_fold,
    _rows,
    plain_heads,
    run,
    stance_vectors,
)

ROOT = Path(__file__).resolve().parent.parent
L2 = 1.0
NEWTON_STEPS = 50


def fit_logistic(x: Any, y: Any, w: Any, l2: float = L2) -> Any:
    """Weighted L2 logistic regression by Newton's method (deterministic): the coefficients,
    the intercept last and not penalised. ``x`` is already standardised."""
    n, d = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    beta = np.zeros(d + 1)
    penalty = np.full(d + 1, l2)
    penalty[-1] = 0.0
    for _ in range(NEWTON_STEPS):
        p = 1.0 / (1.0 + np.exp(-(design @ beta)))
        grad = design.T @ (w * (p - y)) + penalty * beta
        hess = (design * (w * p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hess, grad)
        beta -= step
        if float(np.abs(step).max()) < 1e-10:
            break
    return beta


def stacked_out_of_fold(inputs: Any, y: Any, w: Any, folds: Any, langs: Sequence[str]) -> Any:
    """Each row's stacked logit, by the language's regression fitted on the other folds."""
    out = np.zeros(len(y))
    lang_arr = np.array(langs)
    for lang in sorted(set(langs)):
        mine = lang_arr == lang
        for f in range(training.FOLDS):
            fit_rows = mine & (folds != f)
            score_rows = mine & (folds == f)
            if not score_rows.any():
                continue
            centre = inputs[fit_rows].mean(axis=0)
            scale = inputs[fit_rows].std(axis=0)
            scale[scale == 0] = 1.0
            beta = fit_logistic((inputs[fit_rows] - centre) / scale, y[fit_rows], w[fit_rows])
            x = (inputs[score_rows] - centre) / scale
            out[score_rows] = x @ beta[:-1] + beta[-1]
    return out


def _mean(figures: dict[str, Any]) -> float:
    return sum(float(v["macro_f1"]) for v in figures.values()) / len(figures)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared/data/corpora")
    parser.add_argument("--vectors", type=Path, help="cache of the semantic tier's inputs (.npy)")
    args = parser.parse_args(argv)
    if pinning.applies() and not pinning.is_pinned(os.environ):
        os.execve(
            sys.executable, [sys.executable, *sys.argv], pinning.pinned_environment(os.environ)
        )
    started = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {text}", flush=True)

    base = artefact.load()
    meta = base.meta
    corpus = load_corpus(ROOT / "corpus" / "stance")
    data = training.TrainingData(examples=training.project_examples(corpus))
    training.third_party_examples(args.corpora, data)
    featuriser = Featuriser(FeatureConfig.from_dict(meta["features"]))
    rows = _rows(featuriser, [e.text for e in data.examples])
    stance = [i for i, e in enumerate(data.examples) if e.violating is not None]
    y = [int(data.examples[i].violating or 0) for i in stance]
    w = training.balanced(y, [data.examples[i].weight for i in stance])
    folds = np.array([training._fold_of(data.examples[i].group) for i in stance])
    post_rows = [rows[i] for i in stance]
    heads, _ = plain_heads(post_rows, y, w, list(folds))
    if not np.array_equal(
        heads["binary"].weights.astype(np.float32), base.arrays["binary_weights"]
    ):
        log("the plain binary head differs from the shipped model's: not its recipe or corpus")
        return 1
    log("fast heads: the shipped binary head, bit for bit")
    fast = _out_of_fold(lambda f: heads[f"fold{f}"], post_rows, folds)
    y_arr = np.array(y, dtype=np.float64)
    fast_oof = fit_platt(fast, y_arr).logit(fast)

    embedded = stance_vectors(args.vectors, meta, data, stance, log)
    if embedded is None:
        return 3
    embedder, vectors = embedded
    w_arr = np.array(w)
    semantic_oof = combine_views(
        [
            training._semantic_head(vectors[:, a:b], y_arr, w_arr, list(folds))[2]
            for a, b in embedder.views
        ]
    )
    langs = [data.examples[i].lang for i in stance]
    cats = [training.CATEGORIES[data.examples[i].category or 0] for i in stance]
    is_project = np.array([data.examples[i].source == "project" for i in stance])
    combinations, figures = training.choose_combinations(
        fast_oof, semantic_oof, y, cats, langs, is_project
    )
    shipped = {k: v.to_dict() for k, v in sorted(combinations.items())}
    if shipped != meta["combination"]:
        log("the training's rules chose other bands or weights than the shipped model's")
        return 1
    combined, _ = training.apply_combinations(fast_oof, semantic_oof, langs, combinations)
    log(f"shipped combination, out of fold: mean {_mean(figures):.4f} ({_figs(figures)})")

    labelled = [i for i, e in enumerate(data.examples) if e.category is not None]
    label_folds = [training._fold_of(data.examples[i].group) for i in labelled]
    y_cat = [int(data.examples[i].category or 0) for i in labelled]
    w_cat = training.balanced(y_cat, [data.examples[i].weight for i in labelled])

    def category_fold(f: int) -> Any:
        inside = [k for k, g in enumerate(label_folds) if g != f]
        return training._fit_head(
            [rows[labelled[k]] for k in inside],
            [y_cat[k] for k in inside],
            [w_cat[k] for k in inside],
            len(training.CATEGORIES),
            training.FAST,
        )

    with ThreadPoolExecutor(training.HEAD_THREADS) as pool:
        category_heads = list(pool.map(category_fold, range(training.FOLDS)))
    log("category heads: five folds")
    log_probs = np.zeros((len(stance), len(training.CATEGORIES)))
    for f in range(training.FOLDS):
        outside = np.flatnonzero(folds == f)
        flat, starts = flatten([post_rows[k] for k in outside])
        z = category_heads[f].scores(flat, starts)
        z = z - z.max(axis=1, keepdims=True)
        log_probs[outside] = z - np.log(np.exp(z).sum(axis=1, keepdims=True))
    inputs = np.hstack([combined[:, None], log_probs])
    stacked = stacked_out_of_fold(inputs, y_arr, w_arr, folds, langs)
    project = [k for k in range(len(y)) if is_project[k]]
    for name, logits in (("shipped", combined), ("stacked", stacked)):
        _, thresholds, choice = training.choose_thresholds(
            logits[project],
            [y[k] for k in project],
            [cats[k] for k in project],
            [langs[k] for k in project],
        )
        per_lang = choice["per_language"]
        log(
            f"{name}: out-of-fold mean {_mean(per_lang):.4f} ({_figs(per_lang)}); "
            f"thresholds {thresholds}"
        )
    return 0


def _figs(figures: dict[str, Any]) -> str:
    return ", ".join(f"{k} {float(v['macro_f1']):.4f}" for k, v in sorted(figures.items()))


if __name__ == "__main__":
    raise SystemExit(run(main, "category_stack"))
