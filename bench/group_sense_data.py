"""Does more training data make the sense model better? Measured side by side.

The sense model (:mod:`nigehban.groups.sense`) decides ``SSP`` and ``HGB``. It is trained on
``corpus/groups/sense`` (about 110 posts per name and sense). This script trains it twice in one
process, on ``sense/`` as shipped and on ``sense/`` with the staged files given added, and runs
both matchers over the same evaluation split at each candidate threshold (logit 1 to 5). It
prints only counts, never posts: the recall of the two names' mentions, the hard-negative hits
on their names and on every name, and the whole split's precision and recall. The threshold
rule is the shipped one (the lowest with at most 1% false positives on the decided names' hard
negatives of the split), so run it on ``dev`` to choose and on ``test`` once to report.

    .venv/bin/python bench/group_sense_data.py corpus/groups/staged/ssp-more.jsonl … [--split dev]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import platform
import shutil
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nigehban.groups.evaluation import EvalReport, evaluate, read_jsonl
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry
from nigehban.groups.sense import SenseModel
from nigehban.groups.sense_training import SenseConfig, read_corpus, train_sense

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "groups"
SENSE = ROOT / "corpus" / "groups" / "sense"
DECIDED = {"ssp": "ssp", "hafiz-gul-bahadur-group": "hgb"}
THRESHOLDS = (1.0, 1.25, 1.5, 1.75, 2.0, 3.0, 4.0)


def _decided_negatives(split: str) -> int:
    total = 0
    for path in sorted((DATA / "hard_negatives").glob("*.jsonl")):
        for row in read_jsonl(path):
            alias = str(row.get("alias", path.stem))
            if row.get("split") == split and alias.replace(".", "").upper() in {"SSP", "HGB"}:
                total += 1
    return total


def _row(report: EvalReport) -> dict[str, Any]:
    decided_missed = sum(1 for m in report.missed if m["group"] in DECIDED)
    decided_fp = sum(1 for f in report.false_positives if set(f["groups"]) & set(DECIDED))
    return {
        "precision": round(report.precision, 4),
        "recall": round(report.recall, 4),
        "correct": report.correct,
        "hard_negative_hits": report.negative_hits,
        "decided_missed": decided_missed,
        "decided_hard_negative_hits": decided_fp,
    }


def _measure(
    model: SenseModel, split: str, thresholds: tuple[float, ...]
) -> dict[str, dict[str, Any]]:
    registry = load_registry()
    out = {}
    for threshold in thresholds:
        matcher = GroupMatcher(registry, dataclasses.replace(model, threshold=threshold))
        out[str(threshold)] = _row(
            evaluate(matcher, DATA / "mentions.jsonl", DATA / "hard_negatives", split)
        )
    return out


def _train(extra: list[Path]) -> SenseModel:
    registry = load_registry()
    with tempfile.TemporaryDirectory() as tmp:
        corpus_dir = Path(tmp) / "sense"
        shutil.copytree(SENSE, corpus_dir)
        for path in extra:
            shutil.copy(path, corpus_dir / f"extra-{path.name}")
        corpus = read_corpus(corpus_dir, GroupMatcher(registry, None))
    return train_sense(corpus, SenseConfig())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("extra", nargs="+", type=Path, help="staged sense files to add")
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument(
        "--threshold", type=float, action="append", help="logits to measure at (default: a grid)"
    )
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    thresholds = tuple(args.threshold or THRESHOLDS)
    runs = {"shipped corpus": _train([]), "with the staged files": _train(args.extra)}
    result: dict[str, Any] = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": platform.processor() or platform.machine(),
        "split": args.split,
        "decided_hard_negatives": _decided_negatives(args.split),
        "extra": [str(p) for p in args.extra],
        "runs": {
            name: {
                "examples": model.meta["examples"],
                "by_threshold": _measure(model, args.split, thresholds),
            }
            for name, model in runs.items()
        },
    }
    if args.json:
        json.dump(result, sys.stdout, indent=2)
        print()
        return 0
    print(f"split {args.split}; hard negatives of SSP and HGB: {result['decided_hard_negatives']}")
    for name, run in result["runs"].items():
        print(f"\n{name} ({run['examples']} training examples)")
        print("logit  precision  recall  correct  hn-hits  ssp/hgb missed  ssp/hgb hn-hits")
        for threshold, row in run["by_threshold"].items():
            print(
                f"{float(threshold):5.2f}  {row['precision']:9.4f}  {row['recall']:6.4f}  "
                f"{row['correct']:7d}  {row['hard_negative_hits']:7d}  "
                f"{row['decided_missed']:14d}  {row['decided_hard_negative_hits']:15d}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
