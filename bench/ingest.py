"""Ingest throughput: generic JSONL records through the same path ``nigehban ingest`` takes.

Generates a deterministic JSONL file of ``--posts`` generic records (Urdu, English and some
Roman Urdu; median text ~120 characters, ~10% over 500, ~1% over 2,000; ~5,000 authors, each
record carrying its author object), then measures in one run:

* **parse** — the floor: read the file and ``json.loads`` every line (standard ``json``);
* **ingest** — ``Ingestor(store, settings).ingest_paths([file])`` into a fresh, migrated SQLite
  file store (WAL) with the audit trail on (it always is),

verifies the store holds every post and that the audit chain is intact with the expected number
of events, and prints posts/s for both, their ratio, the machine and the date. The spec's floor
is 10,000 posts/s on a 2-core machine: PASS/FAIL is printed; only ``--check`` makes FAIL exit 1.

    .venv/bin/python bench/ingest.py [--posts 100000] [--repeat 1] [--json] [--check]
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
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from nigehban.audit.digests import Digester
from nigehban.model.refs import ItemKind
from nigehban.settings import Settings, load_settings
from nigehban.store.database import Database
from nigehban.store.schema import audit_events
from nigehban.store.store import Store
from nigehban.workflows.ingest import Ingestor

FLOOR_POSTS_PER_S = 10_000
DEFAULT_POSTS = 100_000
AUTHORS = 5_000
SEED = 20250711
TENANT = "bench"
AUDIT_KEY = "bench-audit-key-0123456789abcdef"

# Text length quantiles (code points), interpolated log-linearly between the points:
# median 120, 90th percentile 500, 99th percentile 2,000.
LENGTH_QUANTILES: tuple[tuple[float, float], ...] = (
    (0.0, 12.0),
    (0.5, 120.0),
    (0.9, 500.0),
    (0.99, 2_000.0),
    (1.0, 6_000.0),
)

# fmt: off
URDU_WORDS: tuple[str, ...] = (
    "پاکستان", "حکومت", "پولیس", "شہر", "لوگ", "آج", "کل", "خبر", "بارش", "موسم", "کرکٹ", "میچ",
    "ٹیم", "جیت", "شادی", "مہندی", "دعوت", "بازار", "قیمت", "مہنگائی", "بجلی", "گیس", "پانی",
    "سڑک", "اسکول", "بچے", "استاد", "ہسپتال", "ڈاکٹر", "علاج", "عدالت", "فیصلہ", "وزیر",
    "اعلان", "صوبہ", "خیبر", "پختونخوا", "بلوچستان", "سندھ", "پنجاب", "لاہور", "کراچی", "پشاور",
    "کوئٹہ", "اسلام", "آباد", "امن", "احتجاج", "دھرنا", "ماں", "بیٹا", "بھائی", "بہن", "دوست",
    "گھر", "کھانا", "چائے", "شام", "صبح", "رات", "سال", "مہینہ", "ہفتہ", "خوشی", "غم", "دعا",
    "شکریہ", "اور", "کے", "کی", "میں", "سے", "پر", "نے", "ہے", "ہیں", "تھا", "تھی", "کہ", "یہ",
    "وہ", "بھی", "نہیں", "بہت", "اب",
)
ENGLISH_WORDS: tuple[str, ...] = (
    "Pakistan", "government", "police", "city", "people", "today", "news", "rain", "weather",
    "cricket", "match", "team", "win", "wedding", "market", "price", "inflation", "electricity",
    "gas", "water", "road", "school", "children", "teacher", "hospital", "doctor", "court",
    "ruling", "minister", "announced", "province", "Khyber", "Pakhtunkhwa", "Balochistan",
    "Sindh", "Punjab", "Lahore", "Karachi", "Peshawar", "Quetta", "Islamabad", "peace",
    "protest", "sit-in", "mother", "son", "brother", "sister", "friend", "home", "food", "tea",
    "evening", "morning", "night", "year", "month", "week", "happy", "sad", "prayer", "thanks",
    "report", "officials", "said", "according", "to", "the", "a", "of", "in", "on", "for",
    "with", "and", "but", "not", "very", "now", "after", "before",
)
ROMAN_URDU_WORDS: tuple[str, ...] = (
    "aaj", "kal", "bohat", "acha", "yaar", "bhai", "kya", "hai", "nahi", "main", "tum", "hum",
    "log", "ghar", "khana", "chai", "barish", "match", "jeet", "gaye", "shaadi", "mubarak",
    "dua", "shukriya", "phir", "se", "sab", "theek", "hai", "kaun", "kahan", "kyun", "abhi",
)
# fmt: on
HASHTAGS = ("#Pakistan", "#PAKvAUS", "#LahoreSmog", "#خبریں", "#Karachi", "#شادی", "#News")
EMOJI = ("🔥", "🏏", "😷", "🤲", "💐", "😅", "☔", "🌹", "👏", "🇵🇰")
PLATFORMS = (
    ("x", "public"),
    ("facebook", "public"),
    ("instagram", "public"),
    ("telegram", "channel"),
    ("telegram", "group"),
    ("whatsapp", "group"),
)
T0 = datetime(2025, 7, 1, tzinfo=UTC)


# -- the data set -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DataSet:
    path: Path
    posts: int
    authors: int
    bytes: int
    lengths: list[int]

    def length_stats(self) -> dict[str, float]:
        ordered = sorted(self.lengths)
        n = len(ordered)
        return {
            "median": float(statistics.median(ordered)),
            "p90": float(ordered[min(n - 1, int(0.9 * n))]),
            "share_over_500": sum(1 for v in ordered if v > 500) / n,
            "share_over_2000": sum(1 for v in ordered if v > 2000) / n,
            "max": float(ordered[-1]),
        }


def draw_length(rng: random.Random) -> int:
    """A text length from :data:`LENGTH_QUANTILES` (inverse CDF, log-linear pieces)."""
    u = rng.random()
    qs = [q for q, _ in LENGTH_QUANTILES]
    i = max(1, bisect.bisect_right(qs, u))
    (q0, v0), (q1, v1) = LENGTH_QUANTILES[i - 1], LENGTH_QUANTILES[i]
    t = (u - q0) / (q1 - q0)
    return max(1, round(math.exp(math.log(v0) + t * (math.log(v1) - math.log(v0)))))


def make_text(rng: random.Random, length: int) -> str:
    roll = rng.random()
    words = URDU_WORDS if roll < 0.45 else ENGLISH_WORDS if roll < 0.87 else ROMAN_URDU_WORDS
    parts: list[str] = []
    size = -1
    while size < length:
        r = rng.random()
        if r < 0.02:
            word = rng.choice(HASHTAGS)
        elif r < 0.04:
            word = rng.choice(EMOJI)
        elif r < 0.05 and words is ENGLISH_WORDS:
            word = rng.choice(URDU_WORDS)  # code-switching
        else:
            word = rng.choice(words)
        parts.append(word)
        size += len(word) + 1
    return " ".join(parts)[:length].rstrip() or parts[0]


def make_authors(rng: random.Random, count: int) -> list[tuple[str, str, dict[str, str]]]:
    """(platform, surface, author object) for each author; an author posts on one platform."""
    out = []
    for n in range(count):
        plat, surface = PLATFORMS[n % len(PLATFORMS)]
        handle = f"{rng.choice(ROMAN_URDU_WORDS)}_{rng.choice(ENGLISH_WORDS).lower()}_{n}"
        name = f"{rng.choice(URDU_WORDS)} {rng.choice(URDU_WORDS)}"
        out.append((plat, surface, {"id": f"u{n}", "handle": handle, "display_name": name}))
    return out


def generate(path: Path, posts: int, seed: int = SEED, authors: int = AUTHORS) -> DataSet:
    """Write ``posts`` generic records to ``path``; deterministic for a given seed."""
    rng = random.Random(seed)
    pool = make_authors(rng, authors)
    lengths: list[int] = []
    used: set[int] = set()
    counters: dict[str, int] = {}
    recent: dict[str, list[str]] = {}
    with path.open("w", encoding="utf-8") as fh:
        for n in range(posts):
            a = rng.randrange(len(pool))
            used.add(a)
            plat, surface, author = pool[a]
            counters[plat] = counters.get(plat, 0) + 1
            seq = counters[plat]
            if plat == "telegram":
                post_id = f"-100{1_000_000_000 + a}/{seq}"
            elif plat == "whatsapp":
                post_id = f"1055500{a:05d}/wamid.BENCH{seq:08d}"
            else:
                post_id = str(1_900_000_000_000_000_000 + n)
            length = draw_length(rng)
            text = make_text(rng, length)
            lengths.append(len(text))
            record: dict[str, Any] = {
                "platform": plat,
                "id": post_id,
                "surface": surface,
                "text": text,
                "author": author,
                "created_at": (T0 + timedelta(seconds=7 * n)).isoformat().replace("+00:00", "Z"),
            }
            if surface in ("channel", "group"):
                record["container"] = post_id.split("/", 1)[0]
            earlier = recent.setdefault(plat, [])
            if earlier and rng.random() < 0.05:
                record["reply_to"] = rng.choice(earlier)
            if rng.random() < 0.05:
                record["links"] = [f"https://example.org/news/{n}"]
            earlier.append(post_id)
            if len(earlier) > 200:
                del earlier[:100]
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return DataSet(path, posts, len(used), path.stat().st_size, lengths)


# -- the measurements ---------------------------------------------------------------------------


@dataclass(slots=True)
class IngestRun:
    seconds: float
    cpu_seconds: float
    stored_posts: int
    audit_events: int
    expected_events: int
    chain_breaks: int
    errors: int
    verify_seconds: float

    @property
    def ok(self) -> bool:
        return (
            self.chain_breaks == 0
            and self.errors == 0
            and self.audit_events == self.expected_events
        )


def measure_parse(path: Path) -> float:
    """Seconds to read the file and ``json.loads`` every line."""
    start = time.perf_counter()
    with path.open("rb") as fh:
        for line in fh:
            json.loads(line)
    return time.perf_counter() - start


def bench_settings(data_dir: Path) -> Settings:
    return load_settings(
        environ={},
        data_dir=data_dir,
        database_url=f"sqlite:///{data_dir / 'nigehban.db'}",
        secret_key=AUDIT_KEY,
        default_tenant=TENANT,
    )


def count_events(store: Store) -> int:
    with store.reading(TENANT) as s:
        query = select(func.count()).select_from(audit_events)
        return int(s.conn.execute(query.where(audit_events.c.tenant_id == TENANT)).scalar_one())


def measure_ingest(data: DataSet, work: Path) -> IngestRun:
    """Ingest ``data`` into a fresh, migrated SQLite file store; verify it; time the ingest."""
    work.mkdir(parents=True)
    settings = bench_settings(work)
    db = Database(settings.effective_database_url)
    db.upgrade()
    store = Store(db, Digester(settings.audit_key()))
    try:
        store.ensure_tenant(TENANT)
        before = count_events(store)
        ingestor = Ingestor(store, settings)
        start, cpu_start = time.perf_counter(), time.process_time()
        report = ingestor.ingest_paths([data.path])
        seconds = time.perf_counter() - start
        cpu_seconds = time.process_time() - cpu_start
        verify_start = time.perf_counter()
        with store.reading(TENANT) as s:
            stored = s.items.count(ItemKind.POST)
            breaks = s.verify_chain()
        events = count_events(store)
        verify_seconds = time.perf_counter() - verify_start
    finally:
        store.close()
    for source, problem in report.errors[:5]:
        print(f"  error: {source}: {problem}", file=sys.stderr)
    return IngestRun(
        seconds=seconds,
        cpu_seconds=cpu_seconds,
        stored_posts=stored,
        audit_events=events,
        # One ItemCreated per post and per distinct author, after the tenant's own events.
        expected_events=before + data.posts + data.authors,
        chain_breaks=len(breaks),
        errors=len(report.errors),
        verify_seconds=verify_seconds,
    )


# -- the report ---------------------------------------------------------------------------------


@dataclass(slots=True)
class Result:
    posts: int
    authors: int
    file_bytes: int
    lengths: dict[str, float]
    parse_posts_per_s: float
    ingest_posts_per_s: float
    ingest_runs_posts_per_s: list[float]
    ingest_cpu_seconds: list[float]
    ratio_ingest_to_parse: float
    stored_posts: int
    audit_events: int
    expected_audit_events: int
    chain_intact: bool
    ok: bool
    floor_posts_per_s: int
    passed: bool
    machine: dict[str, Any] = field(default_factory=dict)
    date: str = ""


def machine() -> dict[str, Any]:
    uname = platform.uname()
    return {
        "processor": platform.processor() or uname.machine,
        "cpu_model": _cpu_model(),
        "system": f"{uname.system} {uname.release} {uname.machine}",
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
    }


def _cpu_model() -> str | None:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return None


def run(posts: int, repeat: int, log: bool = True) -> Result:
    def say(text: str) -> None:
        if log:
            print(text, flush=True)

    with tempfile.TemporaryDirectory(prefix="nigehban-bench-") as tmp:
        root = Path(tmp)
        start = time.perf_counter()
        data = generate(root / "posts.jsonl", posts)
        stats = data.length_stats()
        say(
            f"generated {data.posts:,} posts by {data.authors:,} authors, "
            f"{data.bytes / 1e6:.1f} MB, in {time.perf_counter() - start:.1f} s"
        )
        say(
            f"  text length (code points): median {stats['median']:.0f}, p90 {stats['p90']:.0f}, "
            f">500 {stats['share_over_500']:.1%}, >2000 {stats['share_over_2000']:.2%}, "
            f"max {stats['max']:.0f}"
        )
        parse_times = [measure_parse(data.path) for _ in range(repeat)]
        parse_rate = posts / min(parse_times)
        say(f"parse-only (json.loads per line): {parse_rate:,.0f} posts/s")
        runs = []
        for i in range(repeat):
            result = measure_ingest(data, root / f"store-{i}")
            runs.append(result)
            say(
                f"ingest run {i + 1}/{repeat}: {posts / result.seconds:,.0f} posts/s "
                f"({result.seconds:.1f} s wall, {result.cpu_seconds:.1f} s CPU); "
                f"stored {result.stored_posts:,} posts, "
                f"{result.audit_events:,} audit events (expected {result.expected_events:,}), "
                f"chain {'intact' if result.chain_breaks == 0 else 'BROKEN'}, "
                f"{result.errors} errors (verified in {result.verify_seconds:.1f} s)"
            )
    rates = [posts / r.seconds for r in runs]
    best = max(rates)
    last = runs[-1]
    ok = all(r.ok and r.stored_posts == posts for r in runs)
    return Result(
        posts=posts,
        authors=data.authors,
        file_bytes=data.bytes,
        lengths=stats,
        parse_posts_per_s=parse_rate,
        ingest_posts_per_s=best,
        ingest_runs_posts_per_s=rates,
        ingest_cpu_seconds=[r.cpu_seconds for r in runs],
        ratio_ingest_to_parse=best / parse_rate,
        stored_posts=last.stored_posts,
        audit_events=last.audit_events,
        expected_audit_events=last.expected_events,
        chain_intact=all(r.chain_breaks == 0 for r in runs),
        ok=ok,
        floor_posts_per_s=FLOOR_POSTS_PER_S,
        passed=ok and best >= FLOOR_POSTS_PER_S,
        machine=machine(),
        date=datetime.now(UTC).isoformat(timespec="seconds"),
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--posts", type=int, default=DEFAULT_POSTS, help="posts to generate")
    parser.add_argument("--repeat", type=int, default=1, help="runs; the best is reported")
    parser.add_argument("--json", action="store_true", help="end with one JSON result line")
    parser.add_argument("--check", action="store_true", help="exit 1 below the floor")
    args = parser.parse_args(argv)
    if args.posts < 1 or args.repeat < 1:
        parser.error("--posts and --repeat must be at least 1")
    result = run(args.posts, args.repeat)
    m = result.machine
    print(
        f"ingest {result.ingest_posts_per_s:,.0f} posts/s vs parse "
        f"{result.parse_posts_per_s:,.0f} posts/s: ingest/parse = "
        f"{result.ratio_ingest_to_parse:.3f} ({1 / result.ratio_ingest_to_parse:.0f}x slower)"
    )
    print(
        f"machine: {m['cpu_model'] or m['processor']}, {m['cpus']} CPUs, {m['system']}, "
        f"{m['implementation']} {m['python']}; date {result.date}"
    )
    verdict = "PASS" if result.passed else "FAIL"
    why = "" if result.ok else " (store or audit chain check failed)"
    print(f"{verdict}: floor {FLOOR_POSTS_PER_S:,} posts/s (spec: 2-core machine){why}")
    if args.json:
        print(json.dumps(asdict(result), ensure_ascii=False, sort_keys=True))
    if not result.ok:
        return 1
    return 1 if args.check and not result.passed else 0


if __name__ == "__main__":
    sys.exit(main())
