"""Does naming a group change what the stance classifier says? Held-out posts, split by name.

Classifies the test split (``corpus/stance``, by ``split.json``) and the blind set with each
model given, and splits each set by whether the classifier's group detector finds a group in
the post as written: recall on violating posts and the rate flagged among protected posts,
for posts that name a group and posts that name none. Only counts are printed, never posts.

The ``group_hashtag`` trick of ``nigehban eval`` appends a tag to every post; this measures the
posts as they were written. There is no floor.

    .venv/bin/python bench/group_names.py [--model DIR ...] [--limit N] [--json]

Without ``--model`` the shipped model is measured; each ``--model`` adds a model directory
(``model.json`` and ``model.npz``, as ``nigehban train --out`` writes them).
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nigehban.settings import load_settings
from nigehban.stance import artefact
from nigehban.stance.classifier import Classifier, model_dir
from nigehban.stance.corpus import Post, load_blind, load_corpus

CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "stance"


def measure(model_dir: Path, sets: dict[str, list[Post]]) -> dict[str, Any]:
    settings = load_settings().model_copy(update={"stance_model_dir": model_dir})
    classifier = Classifier.from_settings(settings)
    figures: dict[str, Any] = {}
    for name, posts in sets.items():
        results = classifier.classify([p.text for p in posts], [p.lang for p in posts])
        cells: dict[str, dict[str, Any]] = {}
        for post, result in zip(posts, results, strict=True):
            side = "violating" if post.violating else "protected"
            named = "names a group" if result.groups else "names none"
            cell = cells.setdefault(f"{side}, {named}", {"posts": 0, "flagged": 0})
            cell["posts"] += 1
            cell["flagged"] += result.label == "violating"
        for cell in cells.values():
            cell["rate"] = round(cell["flagged"] / cell["posts"], 4)
        figures[name] = dict(sorted(cells.items()))
    return {"model": artefact.checksum(model_dir)[:12], "sets": figures}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, action="append", help="a model directory")
    parser.add_argument("--limit", type=int, help="only the first N posts of each set (smoke)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if args.limit is not None and args.limit < 1:
        parser.error(f"--limit must be positive, not {args.limit}")
    models: list[Path] = [model_dir(load_settings())]
    models += args.model or []
    for model in models:
        if not (model / "model.json").is_file():
            print(f"no model.json in {str(model)[:200]}", file=sys.stderr)
            return 2
    sets = {"test split": load_corpus(CORPUS).test, "blind set": load_blind(CORPUS)}
    if args.limit is not None:
        sets = {name: posts[: args.limit] for name, posts in sets.items()}
    report: dict[str, Any] = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": f"{platform.machine()}, Python {platform.python_version()}",
        "models": [measure(model, sets) for model in models],
    }
    if args.json:
        print(json.dumps(report, indent=1))
        return 0
    print(f"{report['date']} — {report['machine']}")
    print("| model | set | posts | flagged as violating |")
    print("|---|---|---|---|")
    for entry in report["models"]:
        for name, cells in entry["sets"].items():
            for key, cell in cells.items():
                print(
                    f"| `{entry['model']}…` | {name}: {key} | {cell['posts']} | "
                    f"{cell['flagged']} ({cell['rate']:.3f}) |"
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
