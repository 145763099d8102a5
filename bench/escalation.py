"""Which posts of the classifier's blind set the escalation rule sends to the authorities.

Classifies every post of ``corpus/stance/blind`` with the shipped model (semantic tier as
configured), runs the group and imminence detectors, and decides each post with the policy
engine twice, counting by the post's written label and category the posts that escalate:

* **as shipped** — the post's own signals;
* **with a near time assumed** — an ``imminence`` signal added to every post, which lifts the
  threat path's last condition (a threat or incitement stance, or a near time in the text):
  what the rule did before it was narrowed.

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
from nigehban.model.decisions import Action
from nigehban.model.items import Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Surface
from nigehban.model.signals import Signal, SignalKind
from nigehban.policy import DecisionContext, decide, find_policy, load_policies
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
    policy = find_policy(load_policies(settings.policy_dir), policy_name)
    classifier = Classifier.from_settings(settings)
    stance = StanceDetector(classifier)
    groups = GroupDetector.from_directory(settings.group_registry_dir)
    imminence = ImminenceDetector()
    assumed = Signal(
        SignalKind.IMMINENCE, 1.0, "time", imminence.name, imminence.version, "assumed"
    )
    context = DecisionContext(revision=1, content_hash="bench", decided_at=datetime.now(UTC))
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
        near = imminence.detect(post)
        signals = [*stance.signals(result), *groups.detect(post), *near]
        if near:
            near_by_label[row["label"]] += 1
        where = f"{row['label']}/{row['category']}"
        for name, extra in (("escalated as shipped", []), ("with a near time assumed", [assumed])):
            if decide(policy, post, [*signals, *extra], context).decision.action is Action.ESCALATE:
                paths[f"{name}: {where}"] += 1
    return {
        "policy": policy_name,
        "posts": len(rows),
        "escalations": dict(sorted(paths.items())),
        "near_time_markers_by_label": dict(sorted(near_by_label.items())),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "date": datetime.now(UTC).date().isoformat(),
    }


def _positive(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive number of posts")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--policy", default="pk")
    parser.add_argument("--limit", type=_positive, default=None, help="only the first N posts")
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
