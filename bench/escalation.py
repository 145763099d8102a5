"""Which posts of the classifier's blind set the escalation rule sends to the authorities.

Classifies every post of ``corpus/stance/blind`` with the shipped model (semantic tier as
configured), runs the group and imminence detectors, and counts, by the post's written label and
category, the posts that each path of a policy's ``escalate`` rule fires on:

* **score path** — a stance in ``escalate.categories`` with a score of at least ``min_score``;
* **threat path as shipped** — a violating stance, ``threat_any`` at least ``threat_any_min``, a
  designated group named, and a stance in ``escalate.categories`` or a near time in the text;
* **threat path without that last condition** — what the rule did before it was narrowed.

It also counts the posts with a near-time marker, by label. There is no floor.

    .venv/bin/python bench/escalation.py [--policy pk] [--limit N] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nigehban.detectors.imminence import ImminenceDetector
from nigehban.groups.detector import GroupDetector
from nigehban.model.items import Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Surface
from nigehban.model.signals import Signal, SignalKind
from nigehban.model.taxonomy import Category
from nigehban.policy import find_policy, load_policies
from nigehban.policy.engine import _designated
from nigehban.settings import load_settings
from nigehban.stance.classifier import Classifier
from nigehban.stance.detector import StanceDetector

BLIND = Path(__file__).resolve().parent.parent / "corpus" / "stance" / "blind"


def _rows(limit: int | None) -> list[dict[str, Any]]:
    rows = [
        json.loads(line)
        for path in sorted(BLIND.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line
    ]
    return rows[:limit] if limit else rows


def measure(policy_name: str, limit: int | None = None) -> dict[str, Any]:
    settings = load_settings()
    rule = find_policy(load_policies(settings.policy_dir), policy_name).escalate
    if rule is None or rule.threat_any_min is None:
        raise SystemExit(f"policy {policy_name!r} has no threat path in its escalate rule")
    classifier = Classifier.from_settings(settings)
    stance = StanceDetector(classifier)
    groups = GroupDetector.from_directory(settings.group_registry_dir)
    imminence = ImminenceDetector()
    rows = _rows(limit)
    results = classifier.classify([r["text"] for r in rows], [r["lang"] for r in rows])
    paths: Counter[str] = Counter()
    near_by_label: Counter[str] = Counter()
    for row, result in zip(rows, results, strict=True):
        post = Post(
            ItemRef("bench", Platform.GENERIC, ItemKind.POST, row["id"]),
            Surface.PUBLIC,
            text=row["text"],
        )
        signals: list[Signal] = stance.signals(result) + groups.detect(post)
        near = imminence.detect(post)
        violating = [
            s for s in signals if s.kind is SignalKind.STANCE and Category(s.label).violating
        ]
        threat = max((s.score for s in signals if s.kind is SignalKind.THREAT_ANY), default=0.0)
        designated = any(s.kind is SignalKind.GROUP_MENTION and _designated(s) for s in signals)
        forward = any(Category(s.label) in rule.categories for s in violating)
        score_path = any(
            Category(s.label) in rule.categories and s.score >= rule.min_score for s in violating
        )
        wide = bool(violating) and threat >= rule.threat_any_min and designated
        shipped = wide and (forward or bool(near))
        where = f"{row['label']}/{row['category']}"
        if near:
            near_by_label[row["label"]] += 1
        for name, fired in (
            ("score path", score_path),
            ("threat path as shipped", shipped),
            ("threat path without the forward-or-near condition", wide),
            ("escalated as shipped", score_path or shipped),
            ("escalated without the condition", score_path or wide),
        ):
            if fired:
                paths[f"{name}: {where}"] += 1
    return {
        "policy": policy_name,
        "posts": len(rows),
        "escalations": dict(sorted(paths.items())),
        "near_time_markers_by_label": dict(sorted(near_by_label.items())),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "date": datetime.now(UTC).date().isoformat(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", default="pk")
    parser.add_argument("--limit", type=int, default=None)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    result = measure(args.policy, args.limit)
    if args.json:
        print(json.dumps(result, indent=2, ensure_ascii=False))
        return 0
    print(f"blind set posts   {result['posts']} under policy {result['policy']}")
    for key, count in result["escalations"].items():
        print(f"  {count:5d}  {key}")
    print(f"near-time markers {result['near_time_markers_by_label']}")
    print(f"machine           {result['machine']}; {result['date']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
