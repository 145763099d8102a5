"""Group matcher throughput on one core, side by side with a plain normalisation pass.

Generates ``--posts`` deterministic mixed-script posts (English, Roman Urdu, Urdu, Pashto and
Arabic; text lengths drawn so that the median is ~120 code points, ~10% are over 500 and ~1%
over 2,000; ~3% name a group by one of its registry names, ~3% carry an ambiguous acronym in an
everyday sense), pins the process to one CPU, and measures in one run, on the same posts:

* **normalise** — ``normalise_text(text, Level.AGGRESSIVE)`` over every post: the floor, since
  the matcher must normalise each post (the C module where it is built, else Python: printed);
* **match** — ``GroupMatcher.match(text)`` over every post: normalisation, the Aho-Corasick scan,
  word boundaries, and for posts with a candidate the offset map, ambiguity resolution and hits.

Where the time goes, from passes over the same posts that each add one phase (timed in the same
rounds, best of ``--repeat``, in µs per post of all posts): ``str.lower`` for reference;
normalisation; normalisation and ``GroupMatcher.candidates`` (the key filter, the automaton,
word boundaries); the whole ``match``. Each phase's cost is the difference between two passes, so
it can read a little below zero when a phase costs next to nothing.

It prints posts/s for both, their ratio, the share of posts with hits, the length distribution,
the machine and the date, then PASS/FAIL against the floor of 50,000 posts/s (only ``--check``
makes FAIL exit 1).

    .venv/bin/python bench/groups.py [--posts 100000] [--repeat 3] [--json] [--check]
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from nigehban.groups.keyfilter import IMPLEMENTATION as KEY_FILTER
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry
from nigehban.text.normaliser import IMPLEMENTATION, Level, normalise_text

FLOOR_POSTS_PER_S = 50_000
DEFAULT_POSTS = 100_000
SEED = 20251028

# Text length quantiles (code points), interpolated log-linearly: median 120, p90 500, p99 2,000.
LENGTH_QUANTILES: tuple[tuple[float, float], ...] = (
    (0.0, 12.0),
    (0.5, 120.0),
    (0.9, 500.0),
    (0.99, 2_000.0),
    (1.0, 5_000.0),
)


def _words(text: str) -> list[str]:
    return text.split()


WORDS: dict[str, list[str]] = {
    "en": _words(
        "the police said on Tuesday that traffic in the city was slow after heavy rain and "
        "schools will stay closed while families wait for news about the match tonight prices "
        "of flour and sugar rose again this week people demand jobs water electricity for "
        "everyone minister visited hospital doctors nurses strike over pay election results "
        "court hearing adjourned cricket team won by five wickets what a game brilliant"
    ),
    "ur-Latn": _words(
        "aaj bohat garmi hai bijli phir chali gayi yaar kal match dekhne chalein ge bhai log "
        "sab theek hai ammi ne kaha khana tayyar hai school ki chutti hai mehngai ne kamar "
        "tor di hai hukumat kuch nahi kar rahi shukriya bhai bohat acha laga dekh ke"
    ),
    "ur": _words(
        "آج شہر میں شدید بارش ہوئی اور کئی علاقوں میں بجلی کی فراہمی معطل رہی حکومت نے عوام "
        "سے اپیل کی ہے کہ وہ احتیاط کریں مہنگائی کے خلاف تاجروں نے ہڑتال کی کرکٹ ٹیم نے میچ "
        "جیت لیا اسکول کل بند رہیں گے وزیر اعلیٰ نے ہسپتال کا دورہ کیا"
    ),
    "ps": _words(
        "نن په ښار کې سخت باران وشو او د برېښنا رسونه بنده وه حکومت خلکو ته وویل چې احتیاط "
        "وکړي د کرکټ ټیم لوبه وګټله ښوونځي به سبا تړلي وي"
    ),
    "ar": _words(
        "قالت الشرطة يوم الثلاثاء إن حركة المرور في المدينة كانت بطيئة بعد الأمطار الغزيرة "
        "وستبقى المدارس مغلقة بينما تنتظر العائلات أخبار المباراة الليلة"
    ),
}
LANG_SHARES = (("en", 0.35), ("ur-Latn", 0.2), ("ur", 0.3), ("ps", 0.08), ("ar", 0.07))
NOISE = ["#Pakistan", "#news", "🔥", "😂", "🇵🇰", "https://example.com/a/1", "@someone", "!!", "…"]
EVERYDAY_ACRONYMS = ["PTM kal hai", "bla bla bla", "BRA 2-1 ARG", "LET'S GO", "TLP:AMBER"]


def length_at(q: float) -> int:
    points = LENGTH_QUANTILES
    i = max(1, bisect.bisect_left([p for p, _ in points], q))
    (q0, v0), (q1, v1) = points[i - 1], points[i]
    t = (q - q0) / (q1 - q0) if q1 > q0 else 0.0
    return round(math.exp(math.log(v0) + t * (math.log(v1) - math.log(v0))))


def generate(count: int, names: Sequence[str], seed: int = SEED) -> list[str]:
    """``count`` deterministic posts; some name a group, some hold an everyday acronym."""
    rng = random.Random(seed)
    langs = [lang for lang, _ in LANG_SHARES]
    weights = [share for _, share in LANG_SHARES]
    posts = []
    for _ in range(count):
        lang = rng.choices(langs, weights)[0]
        target = length_at(rng.random())
        words: list[str] = []
        size = 0
        while size < target:
            word = rng.choice(WORDS[lang]) if rng.random() > 0.05 else rng.choice(NOISE)
            words.append(word)
            size += len(word) + 1
        roll = rng.random()
        if roll < 0.03:
            words.insert(rng.randrange(len(words) + 1), rng.choice(names))
        elif roll < 0.06:
            words.insert(rng.randrange(len(words) + 1), rng.choice(EVERYDAY_ACRONYMS))
        posts.append(" ".join(words)[: max(target, 1)])
    return posts


def stats(posts: Sequence[str]) -> dict[str, Any]:
    lengths = sorted(len(p) for p in posts)
    n = len(lengths)
    return {
        "median": statistics.median(lengths),
        "p90": lengths[int(0.9 * (n - 1))],
        "p99": lengths[int(0.99 * (n - 1))],
        "max": lengths[-1],
        "share_over_500": sum(1 for x in lengths if x > 500) / n,
        "share_over_2000": sum(1 for x in lengths if x > 2000) / n,
        "mean": statistics.fmean(lengths),
    }


def timed(fn: Callable[[str], object], posts: Sequence[str]) -> float:
    start = time.perf_counter()
    for post in posts:
        fn(post)
    return time.perf_counter() - start


def pin_to_one_core() -> tuple[str, set[int] | None]:
    """Pin this process to one CPU; returns a description and the CPUs to restore."""
    if hasattr(os, "sched_setaffinity"):
        before = os.sched_getaffinity(0)
        cpu = min(before)
        os.sched_setaffinity(0, {cpu})
        return f"pinned to CPU {cpu}", before
    return "not pinned (no sched_setaffinity)", None


def machine() -> str:
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    return (
        f"{model}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()}, "
        f"Python {platform.python_version()}"
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=DEFAULT_POSTS)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)

    pinning, restore = pin_to_one_core()
    try:
        return _run(args, pinning)
    finally:
        if restore is not None:
            os.sched_setaffinity(0, restore)


def _run(args: argparse.Namespace, pinning: str) -> int:
    registry = load_registry()
    matcher = GroupMatcher(registry)
    names = sorted(
        {a.text for g in registry.groups() if g.origin == "curated" for a in g.aliases if a.match}
        | {g.name for g in registry.groups() if g.origin == "curated"}
    )
    posts = generate(args.posts, names)
    shape = stats(posts)
    scripts = Counter(
        "Arab" if any("\u0600" <= c <= "\u06ff" for c in p) else "Latn" for p in posts
    )
    for post in posts[:2000]:  # warm the folding tables' caches, as a running server has
        matcher.match(post)

    def scan(text: str) -> object:
        return matcher.candidates(normalise_text(text, Level.AGGRESSIVE))

    best_lower = best_norm = best_scan = best_match = math.inf
    for _ in range(max(1, args.repeat)):
        best_lower = min(best_lower, timed(str.lower, posts))
        best_norm = min(best_norm, timed(lambda t: normalise_text(t, Level.AGGRESSIVE), posts))
        best_scan = min(best_scan, timed(scan, posts))
        best_match = min(best_match, timed(matcher.match, posts))
    with_hits = sum(1 for p in posts if matcher.match(p))
    with_candidates = sum(1 for p in posts if scan(p))
    norm_rate = len(posts) / best_norm
    match_rate = len(posts) / best_match
    per_post = 1e6 / len(posts)
    phases = {
        "str_lower": best_lower * per_post,
        "normalise": best_norm * per_post,
        "candidates": (best_scan - best_norm) * per_post,
        "hits": (best_match - best_scan) * per_post,
        "match": best_match * per_post,
    }
    result = {
        "posts": len(posts),
        "normalise_posts_per_s": round(norm_rate),
        "match_posts_per_s": round(match_rate),
        "match_time_over_normalise_time": round(best_match / best_norm, 3),
        "posts_with_hits": with_hits,
        "posts_with_candidates": with_candidates,
        "phase_us_per_post": {k: round(v, 3) for k, v in phases.items()},
        "matchable_names": matcher.alias_count,
        "length": {k: round(v, 3) if isinstance(v, float) else v for k, v in shape.items()},
        "scripts": dict(scripts),
        "repeat": args.repeat,
        "cpu": pinning,
        "normaliser": IMPLEMENTATION,
        "key_filter": KEY_FILTER,
        "machine": machine(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "floor_posts_per_s": FLOOR_POSTS_PER_S,
        "pass": match_rate >= FLOOR_POSTS_PER_S,
    }
    print(
        f"posts            {len(posts):,} ({dict(scripts)}; lengths: median {shape['median']}, "
        f"p90 {shape['p90']}, p99 {shape['p99']}, max {shape['max']})"
    )
    print(f"normalise        {norm_rate:,.0f} posts/s  (implementation: {IMPLEMENTATION})")
    print(
        f"match            {match_rate:,.0f} posts/s  ({with_hits:,} posts with hits; "
        f"key filter: {KEY_FILTER})"
    )
    print(f"match/normalise  {best_match / best_norm:.2f}x the time of normalisation alone")
    print(
        f"time per post    {phases['match']:.1f} µs: normalise {phases['normalise']:.1f} "
        f"(str.lower {phases['str_lower']:.1f}), key filter and automaton "
        f"{phases['candidates']:.1f}, hits {phases['hits']:.1f} (the "
        f"{with_candidates / len(posts):.1%} of posts with a candidate)"
    )
    print(f"machine          {result['machine']}; {pinning}; {result['date']}")
    print(f"floor            {FLOOR_POSTS_PER_S:,} posts/s: {'PASS' if result['pass'] else 'FAIL'}")
    if args.json:
        print(json.dumps(result))
    return 1 if args.check and not result["pass"] else 0


if __name__ == "__main__":
    sys.exit(main())
