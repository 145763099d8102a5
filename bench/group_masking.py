"""Group names masked in the fast tier's text, side by side with the shipped features.

An experiment on a recipe, not a shipped component. Reporters and critics write "TTP" or "BLA"
where supporters write "the mujahideen", so the fast tier learns that a group's name leans
towards protected speech, and a supporter's post tagged ``#TTP`` is missed more often (the
``group_hashtag`` trick of ``nigehban eval``: recall down 0.06–0.12 with the shipped model
against a floor of 0.05). This fits the fast tier's binary head twice on the same posts, one
run, one machine:

* ``shipped``: the features as ``nigehban train`` takes them (:mod:`nigehban.stance.features`);
* ``masked``: every group name the group detector resolves (``GroupMatcher.match``) replaced by
  one placeholder word before the features are taken, in training and in scoring, so the head
  can learn what is said about a group but not which group's name is said.

Each arm: the project corpus's train split only (no third-party rows: the comparison is between
arms), classes balanced, the shipped optimiser settings (``FAST``), a threshold chosen on
5-fold out-of-fold scores (folds by scenario) with the shipped rule
(:func:`nigehban.stance.training.choose_threshold`: the best mean macro-F1 keeping the
false-positive rate on news, counter_speech and dissent at most 3%). Reported on the test split
per language: macro-F1, violating recall, the false-positive rate on those three categories,
and the recall and that false-positive rate with ``group_hashtag`` applied, at that threshold;
the semantic tier is not part of it (the full pipeline's figures differ).

About 10 minutes on 2 CPUs; ``--limit N`` keeps every N-th training post (a smoke run).

    .venv/bin/python bench/group_masking.py [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
import zlib
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry
from nigehban.stance.calibration import sigmoid
from nigehban.stance.corpus import Post, load_corpus
from nigehban.stance.features import FeatureConfig, Featuriser, flatten
from nigehban.stance.linear import binary_logit, fit, kept_ids
from nigehban.stance.metrics import f1
from nigehban.stance.perturb import group_hashtag
from nigehban.stance.training import FAST, FOLDS, PROTECTED_FLOOR, balanced, choose_threshold

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "stance"
PLACEHOLDER = "groupname"
"""The word a group's name becomes in the masked arm (the same in every script)."""


def masker(matcher: GroupMatcher) -> Callable[[str], str]:
    def mask(text: str) -> str:
        out = text
        for hit in sorted(matcher.match(text), key=lambda h: -h.span.start):
            out = f"{out[: hit.span.start]} {PLACEHOLDER} {out[hit.span.end :]}"
        return out

    return mask


def _rows(texts: Sequence[str]) -> list[list[int]]:
    flat, starts = Featuriser(FeatureConfig()).batch(list(texts))
    ends = np.append(starts[1:], len(flat))
    return [flat[s:e].tolist() for s, e in zip(starts, ends, strict=True)]


def _logits(head: Any, rows: list[list[int]]) -> np.ndarray[Any, Any]:
    flat, starts = flatten(rows)
    out: np.ndarray[Any, Any] = binary_logit(head.scores(flat, starts))
    return out


def _fit(rows: list[list[int]], targets: list[int], weights: list[float]) -> Any:
    flat, starts = flatten(rows)
    return fit(flat, starts, np.array(targets, dtype=np.int64), 2, FAST,
               np.array(weights, dtype=np.float64), ids=kept_ids(flat, FAST.min_count))  # fmt: skip


def arm(
    name: str, transform: Callable[[str], str], train: list[Post], test: list[Post]
) -> dict[str, Any]:
    started = time.perf_counter()
    rows = _rows([transform(p.text) for p in train])
    y = [1 if p.violating else 0 for p in train]
    w = balanced(y, [1.0] * len(y))
    folds = [zlib.crc32(p.scenario.encode()) % FOLDS for p in train]
    oof = np.zeros(len(train))
    for fold in range(FOLDS):
        inside = [i for i, f in enumerate(folds) if f != fold]
        outside = [i for i, f in enumerate(folds) if f == fold]
        head = _fit([rows[i] for i in inside], [y[i] for i in inside], [w[i] for i in inside])
        oof[outside] = _logits(head, [rows[i] for i in outside])
    threshold, _ = choose_threshold(oof, y, [p.category for p in train], [p.lang for p in train])
    head = _fit(rows, y, w)
    plain = sigmoid(_logits(head, _rows([transform(p.text) for p in test]))) >= threshold
    tagged = sigmoid(_logits(head, _rows([transform(group_hashtag(p.text)) for p in test])))
    tagged_flagged = tagged >= threshold
    report: dict[str, Any] = {"threshold": threshold, "seconds": 0.0, "langs": {}}
    for lang in sorted({p.lang for p in test}):
        idx = [i for i, p in enumerate(test) if p.lang == lang]
        truth = np.array([1 if test[i].violating else 0 for i in idx])
        flagged = plain[idx]
        violating = truth == 1
        protected_floor = np.array([test[i].category in PROTECTED_FLOOR for i in idx])
        tp = int((flagged & violating).sum())
        fp = int((flagged & ~violating).sum())
        fn = int((~flagged & violating).sum())
        tn = len(idx) - tp - fp - fn
        macro = (f1(tp, fp, fn)[2] + f1(tn, fn, fp)[2]) / 2  # violating and protected F1
        recall = tp / max(1, int(violating.sum()))
        tag_recall = int((tagged_flagged[idx] & violating).sum()) / max(1, int(violating.sum()))
        report["langs"][lang] = {
            "macro_f1": round(macro, 4),
            "recall": round(recall, 4),
            "fpr_news_cs_dissent": round(
                float(flagged[protected_floor].mean()) if protected_floor.any() else 0.0, 4
            ),
            "recall_group_hashtag": round(tag_recall, 4),
            "hashtag_drop": round(recall - tag_recall, 4),
            "fpr_group_hashtag": round(
                float(tagged_flagged[idx][protected_floor].mean())
                if protected_floor.any()
                else 0.0,
                4,
            ),
        }
    report["seconds"] = round(time.perf_counter() - started, 1)
    print(f"{name}: done in {report['seconds']} s", file=sys.stderr)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=None, help="every N-th training post")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error(f"--limit {args.limit!r} is not a count of at least 1")
    corpus = load_corpus(CORPUS)
    train = corpus.train[:: args.limit] if args.limit else corpus.train
    test = corpus.test[:: args.limit] if args.limit else corpus.test
    mask = masker(GroupMatcher(load_registry()))
    report: dict[str, Any] = {
        "train_posts": len(train),
        "test_posts": len(test),
        "masked_train_posts": sum(1 for p in train if mask(p.text) != p.text),
        "shipped": arm("shipped", lambda t: t, train, test),
        "masked": arm("masked", mask, train, test),
        "machine": f"{platform.processor() or platform.machine()}, {platform.python_version()}",
        "date": datetime.now(UTC).date().isoformat(),
    }
    if args.json:
        print(json.dumps(report, sort_keys=True))
        return 0
    print(f"train {report['train_posts']} posts ({report['masked_train_posts']} with a group name "
          f"masked), test {report['test_posts']}")  # fmt: skip
    print("arm      lang     macro-F1  recall  FPR(n/cs/d)  recall+#tag  drop    FPR+#tag")
    for name in ("shipped", "masked"):
        for lang, r in report[name]["langs"].items():
            print(f"{name:<8} {lang:<8} {r['macro_f1']:.3f}     {r['recall']:.3f}   "
                  f"{r['fpr_news_cs_dissent']:.3f}        {r['recall_group_hashtag']:.3f}        "
                  f"{r['hashtag_drop']:+.3f}  {r['fpr_group_hashtag']:.3f}")  # fmt: skip
        print(f"{name:<8} threshold {report[name]['threshold']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
