"""Stance classifier throughput, side by side with language identification alone.

Builds ``--posts`` deterministic posts from the corpus texts (``corpus/stance/train``, both
splits, the four languages in equal shares: speed, not accuracy), joined or cut to lengths
drawn so that the median is ~120 code points and ~10% are over 500, and measures in one run,
on the same posts:

* **language ID** — ``LanguageIdentifier.identify_many``: the floor, every post needs it;
* **fast tier** — ``Classifier.classify`` with the semantic tier off, in batches of 512, in
  one process and in ``--workers`` processes (the floor is for the 2-core machine); in one
  process also with the bucket ids computed in Python, as where the C module
  ``nigehban.stance._fastfeat`` is not built (the two alternately, twice, best of each);
* **full pipeline** — the semantic tier on for the texts the fast tier is unsure of, on the
  first ``--full-posts`` posts; it reports the share routed to the semantic tier;
* **full pipeline on the test split** — the same on the held-out test events' posts as
  written, whose routing share is the model card's by construction: the floor is held there,
  as the routing share of generated posts depends on which texts they are cut from.

Prints posts/s, each as a multiple of the time language ID alone takes, the routing share,
the length distribution, the machine and the date, then PASS/FAIL against the floors (5,000
posts/s fast tier, 80 posts/s full pipeline at the model card's routing share; ``--check``
makes FAIL exit 1).

    .venv/bin/python bench/classify.py [--posts 20000] [--full-posts 2000] [--workers 2]
"""

from __future__ import annotations

import argparse
import contextlib
import itertools
import json
import math
import multiprocessing
import random
import statistics
import sys
import time
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nigehban.settings import load_settings
from nigehban.stance import features
from nigehban.stance.classifier import Classifier
from nigehban.stance.langid import LanguageIdentifier

sys.path.insert(0, str(Path(__file__).resolve().parent))
from groups import machine  # bench/groups.py: the same machine line

FAST_FLOOR = 5_000
FULL_FLOOR = 80
SEED = 20261128
BATCH = 512
ROOT = Path(__file__).resolve().parent.parent
LENGTH_QUANTILES = ((0.0, 15.0), (0.5, 120.0), (0.9, 500.0), (0.99, 1_500.0), (1.0, 3_000.0))


def length_at(q: float) -> int:
    for (q0, v0), (q1, v1) in itertools.pairwise(LENGTH_QUANTILES):
        if q <= q1:
            t = (q - q0) / (q1 - q0)
            return round(math.exp(math.log(v0) + t * (math.log(v1) - math.log(v0))))
    return round(LENGTH_QUANTILES[-1][1])


def _corpus_rows() -> list[dict[str, Any]]:
    rows = []
    for path in sorted((ROOT / "corpus" / "stance" / "train").glob("*.jsonl")):
        rows += [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    if not rows:
        raise SystemExit("no corpus under corpus/stance/train")
    return rows


def corpus_texts() -> dict[str, list[str]]:
    """The corpus texts by language (every file of a language pooled)."""
    out: dict[str, list[str]] = {}
    for row in _corpus_rows():
        out.setdefault(row["lang"], []).append(row["text"])
    return out


def test_split_texts() -> list[str]:
    """The posts of the held-out test events, as written: the set whose routing share the
    model card reports."""
    manifest = json.loads((ROOT / "corpus" / "stance" / "split.json").read_text(encoding="utf-8"))
    events = set(manifest["test_events"])
    return [row["text"] for row in _corpus_rows() if row["event"] in events]


def generate(count: int, texts: dict[str, list[str]], seed: int = SEED) -> list[str]:
    rng = random.Random(seed)
    langs = sorted(texts)
    posts = []
    for _ in range(count):
        pool = texts[rng.choice(langs)]
        target = length_at(rng.random())
        parts: list[str] = []
        size = 0
        while size < target:
            part = rng.choice(pool)
            parts.append(part)
            size += len(part) + 1
        posts.append(" ".join(parts)[:target])
    return posts


def stats(posts: Sequence[str]) -> dict[str, Any]:
    lengths = sorted(len(p) for p in posts)
    n = len(lengths)
    return {
        "median": statistics.median(lengths),
        "p90": lengths[int(0.9 * (n - 1))],
        "p99": lengths[int(0.99 * (n - 1))],
        "max": lengths[-1],
        "share_over_500": round(sum(1 for x in lengths if x > 500) / n, 4),
        "mean": round(statistics.fmean(lengths), 1),
    }


def _classify_all(classifier: Classifier, posts: Sequence[str]) -> list[Any]:
    out = []
    for start in range(0, len(posts), BATCH):
        out.extend(classifier.classify(posts[start : start + BATCH]))
    return out


@contextlib.contextmanager
def bucket_ids_in(implementation: str) -> Iterator[None]:
    """The fast tier with its bucket ids computed in ``implementation`` (``python``: as where
    the C module is not built; ``c``: as installed, which is Python where it is not built)."""
    saved = features._FAST
    if implementation == "python":
        features._FAST = None
    try:
        yield
    finally:
        features._FAST = saved


_WORKER: dict[str, Classifier] = {}


def _at_least_one(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a count of at least 1")
    return number


def _init_worker() -> None:
    _WORKER["fast"] = Classifier.from_settings(load_settings(stance_semantic=False))


def _work(posts: list[str]) -> int:
    return len(_classify_all(_WORKER["fast"], posts))


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--posts", type=_at_least_one, default=20_000)
    parser.add_argument("--full-posts", type=_at_least_one, default=2_000)
    parser.add_argument("--workers", type=_at_least_one, default=2)
    parser.add_argument(
        "--test-split-posts",
        type=_at_least_one,
        default=None,
        help="only the first N (default: all)",
    )
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)

    posts = generate(args.posts, corpus_texts())
    shape = stats(posts)
    identifier = LanguageIdentifier()
    fast = Classifier.from_settings(load_settings(stance_semantic=False))
    full = Classifier.from_settings(load_settings(stance_semantic=True))
    _classify_all(fast, posts[:500])  # warm caches, as a running service has

    start = time.perf_counter()
    identifier.identify_many(posts)
    lid_s = time.perf_counter() - start

    fast_runs: dict[str, list[float]] = {"c": [], "python": []}
    for _ in range(2):
        for implementation in ("c", "python"):
            with bucket_ids_in(implementation):
                start = time.perf_counter()
                _classify_all(fast, posts)
                fast_runs[implementation].append(time.perf_counter() - start)
    fast_s = min(fast_runs[features.IMPLEMENTATION])
    fast_python_s = min(fast_runs["python"])

    done, parallel_s = len(posts), fast_s  # one worker: the one-process figure
    if args.workers > 1:
        chunks = [posts[i :: args.workers] for i in range(args.workers)]
        with multiprocessing.get_context("spawn").Pool(args.workers, _init_worker) as pool:
            pool.map(_work, [c[:200] for c in chunks])  # load the model, warm caches
            start = time.perf_counter()
            done = sum(pool.map(_work, chunks))
            parallel_s = time.perf_counter() - start

    sample = posts[: args.full_posts]
    start = time.perf_counter()
    results = _classify_all(full, sample)
    full_s = time.perf_counter() - start
    routed = sum(r.tier == "fast+semantic" for r in results) / len(sample)
    start = time.perf_counter()
    identifier.identify_many(sample)
    lid_sample_s = time.perf_counter() - start

    held_out = test_split_texts()[: args.test_split_posts]
    start = time.perf_counter()
    card_results = _classify_all(full, held_out)
    card_s = time.perf_counter() - start
    card_routed = sum(r.tier == "fast+semantic" for r in card_results) / len(held_out)

    rates = {
        "langid_posts_per_s": round(len(posts) / lid_s),
        "fast_posts_per_s_one_process": round(len(posts) / fast_s),
        "fast_posts_per_s_one_process_python_ids": round(len(posts) / fast_python_s),
        "fast_posts_per_s_workers": round(done / parallel_s),
        "full_posts_per_s": round(len(sample) / full_s),
        "full_posts_per_s_test_split": round(len(held_out) / card_s),
    }
    result = {
        "posts": len(posts),
        "full_posts": len(sample),
        **rates,
        "fast_time_over_langid": round(fast_s / lid_s, 2),
        "full_time_over_langid": round(full_s / lid_sample_s, 2),
        "routed_share": round(routed, 4),
        "test_split_posts": len(held_out),
        "test_split_routed_share": round(card_routed, 4),
        "test_split_length": stats(held_out),
        "semantic": full.semantic_note,
        "workers": args.workers,
        "length": shape,
        "machine": machine(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "fast_floor": FAST_FLOOR,
        "full_floor": FULL_FLOOR,
        "pass": rates["fast_posts_per_s_workers"] >= FAST_FLOOR
        and rates["full_posts_per_s_test_split"] >= FULL_FLOOR,
    }
    print(
        f"posts          {len(posts):,} (lengths: median {shape['median']}, p90 {shape['p90']}, "
        f"p99 {shape['p99']}, max {shape['max']}, over 500: {shape['share_over_500']:.1%})"
    )
    print(f"language ID    {rates['langid_posts_per_s']:,} posts/s")
    print(
        f"fast tier      {rates['fast_posts_per_s_one_process']:,} posts/s in one process "
        f"({result['fast_time_over_langid']}x language ID's time); "
        f"{rates['fast_posts_per_s_workers']:,} posts/s in {args.workers} processes "
        f"(bucket ids: {features.IMPLEMENTATION})"
    )
    print(
        f"  Python ids   {rates['fast_posts_per_s_one_process_python_ids']:,} posts/s in one "
        f"process ({round(fast_python_s / lid_s, 2)}x language ID's time; the C module "
        f"{'off' if features.IMPLEMENTATION == 'c' else 'not built'})"
    )
    print(
        f"full pipeline  {rates['full_posts_per_s']:,} posts/s on {len(sample):,} posts "
        f"({result['full_time_over_langid']}x language ID's time), "
        f"{routed:.1%} routed to the semantic tier ({full.semantic_note})"
    )
    card_shape = result["test_split_length"]
    print(
        f"full, test split {rates['full_posts_per_s_test_split']:,} posts/s on its "
        f"{len(held_out):,} posts as written (median {card_shape['median']}, p90 "
        f"{card_shape['p90']}), {card_routed:.1%} routed: the model card's routing"
    )
    print(f"machine        {result['machine']}; {result['date']}")
    print(
        f"floors         fast {FAST_FLOOR:,}/s, full {FULL_FLOOR}/s at the model card's "
        "routing (the test split): "
        f"{'PASS' if result['pass'] else 'FAIL'}"
    )
    if args.json:
        print(json.dumps(result))
    return 1 if args.check and not result["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
