"""``nigehban eval-corpora``: the model on real third-party data.

* **Urdu threatening tweets**: ``threat_any`` macro-F1 by 5-fold cross-validation: for each
  fold the ``threat_any`` head is retrained on the project corpus and the other four folds, and
  scored on the held-out fold (the published 0.716 is on a different test split).
* **RUHSOLD** (Roman Urdu) and **Urdu abusive comments**: the false-positive rate of
  ``violating`` on abusive-but-not-terrorist posts, on the half of each corpus that never
  trains (:func:`~nigehban.stance.training.held_out_half`), by the corpus's own tag.
* **English real data** (reported, not a floor): the share of tweets from pro-ISIS accounts
  flagged (account-level labels: news and chatter included), against the false-positive rate
  on Stormfront sentences (held-out half) and on the Kaggle set's non-extremist posts.
"""

from __future__ import annotations

import zlib
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

from nigehban.stance.classifier import Classifier
from nigehban.stance.corpus import load_corpus
from nigehban.stance.features import Featuriser, flatten
from nigehban.stance.linear import TrainConfig, binary_logit, fit, kept_ids
from nigehban.stance.metrics import f1, wilson
from nigehban.stance.thirdparty import read_source
from nigehban.stance.training import FOLDS, balanced, held_out_half

BATCH = 512


def _rate(flagged: int, total: int) -> dict[str, Any]:
    low, high = wilson(flagged, total)
    return {
        "posts": total,
        "flagged": flagged,
        "rate": flagged / total if total else 0.0,
        "ci95": [low, high],
    }


def flag_rates(classifier: Classifier, texts: list[str], tags: list[str]) -> dict[str, Any]:
    """Share labelled violating, per tag and overall (languages detected, not given)."""
    flagged: dict[str, int] = defaultdict(int)
    totals: dict[str, int] = defaultdict(int)
    abstained = 0
    for start in range(0, len(texts), BATCH):
        results = classifier.classify(texts[start : start + BATCH])
        for tag, result in zip(tags[start : start + BATCH], results, strict=True):
            totals[tag] += 1
            flagged[tag] += result.label == "violating"
            abstained += result.abstained
    out: dict[str, Any] = {tag: _rate(flagged[tag], totals[tag]) for tag in sorted(totals)}
    out["all"] = _rate(sum(flagged.values()), sum(totals.values()))
    out["abstained"] = abstained
    return out


def threat_cross_validation(
    classifier: Classifier, corpus_dir: Path, corpora: Path, steps: TrainConfig | None = None
) -> dict[str, Any]:
    steps = steps or TrainConfig()
    rows = [r for r in read_source("urdu_threat", corpora) if r.threat_any is not None]
    project = load_corpus(corpus_dir).train
    featuriser = Featuriser(classifier.model.config)
    project_rows = [featuriser.ids(p.text) for p in project]
    threat_rows = [featuriser.ids(r.text) for r in rows]
    y_project = [p.threat_any for p in project]
    y_threat = [int(r.threat_any or 0) for r in rows]
    folds = [zlib.crc32(r.id.encode()) % FOLDS for r in rows]
    scores: list[dict[str, float]] = []
    for fold in range(FOLDS):
        train_rows = project_rows + [
            x for x, f in zip(threat_rows, folds, strict=True) if f != fold
        ]
        y = y_project + [t for t, f in zip(y_threat, folds, strict=True) if f != fold]
        flat, starts = flatten(train_rows)
        head = fit(
            flat,
            starts,
            np.array(y, dtype=np.int64),
            2,
            steps,
            np.array(balanced(y, [1.0] * len(y))),
            ids=kept_ids(flat, steps.min_count),
        )
        test = [x for x, f in zip(threat_rows, folds, strict=True) if f == fold]
        truth = [t for t, f in zip(y_threat, folds, strict=True) if f == fold]
        t_flat, t_starts = flatten(test)
        predicted = (binary_logit(head.scores(t_flat, t_starts)) >= 0).astype(int)
        tp = int(((predicted == 1) & (np.array(truth) == 1)).sum())
        fp = int(((predicted == 1) & (np.array(truth) == 0)).sum())
        fn = int(((predicted == 0) & (np.array(truth) == 1)).sum())
        tn = len(truth) - tp - fp - fn
        scores.append(
            {"macro_f1": (f1(tp, fp, fn)[2] + f1(tn, fn, fp)[2]) / 2, "posts": len(truth)}
        )
    return {
        "folds": scores,
        "macro_f1_mean": float(np.mean([s["macro_f1"] for s in scores])),
        "macro_f1_std": float(np.std([s["macro_f1"] for s in scores])),
        "rows": len(rows),
        "published_best": 0.716,
    }


def external_report(
    classifier: Classifier,
    corpus_dir: Path,
    corpora: Path,
    log: Callable[[str], None] = lambda _: None,
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    log("urdu_threat: 5-fold cross-validation of threat_any")
    out["urdu_threat"] = threat_cross_validation(classifier, corpus_dir, corpora)
    for name in ("ruhsold", "urdu_abusive", "stormfront"):
        log(f"{name}: held-out half")
        rows = [r for r in held_out_half(read_source(name, corpora)) if r.label == "protected"]
        out[name] = flag_rates(classifier, [r.text for r in rows], [r.tag for r in rows])
    log("extremism_digital: all rows (never trains)")
    rows = list(read_source("extremism_digital", corpora))
    out["extremism_digital"] = flag_rates(classifier, [r.text for r in rows], [r.tag for r in rows])
    log("isis_twitter: all rows (never trains)")
    rows = list(read_source("isis_twitter", corpora))
    out["isis_twitter"] = flag_rates(classifier, [r.text for r in rows], [r.tag for r in rows])
    return out
