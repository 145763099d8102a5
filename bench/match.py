"""PDQ matching: Nigehban's ``PdqIndex`` side by side with python-threatexchange's ``PDQIndex``.

Generates ``--size`` random PDQ hashes (seeded) and ``--queries`` planted near-duplicates: each
is an indexed hash with exactly ``d`` bits flipped, ``d`` spread evenly over 0..31, plus a
quarter as many at 32..40 (reported, not required). Both indexes are built from the same hex
strings, in the same run, each in its own child process (so that each one's memory can be read
on its own), and measured on the same queries:

* **build** — ``PdqIndex().add(ids, hashes)`` and ``PDQIndex.build((hash, id) pairs)``;
* **single-hash queries/s** — one ``query`` per planted hash, hex string in, matches out,
  threshold 31 (pytx's ``PDQIndex`` has 31 built in);
* **8 dihedral probes** — each planted hash hidden among 7 random hashes (the other rotations
  and flips of an image are unrelated hashes to the index): ``query_many`` for ours, eight
  ``query`` calls merged by smallest distance for pytx; items/s;
* **recall at distance <= 31** — the share of planted queries whose source entry is returned,
  single and with probes; and for ``--exact`` queries the whole result set is compared with a
  NumPy brute force over all hashes;
* **memory** — the child resets its peak RSS (``/proc/self/clear_refs``) after generating the
  data, then reports ``VmHWM`` (peak) and ``VmRSS`` after the build, minus the RSS before it.
  FAISS allocates outside Python, so ``tracemalloc`` would miss it; RSS does not;
* **updates** — adding 10,000 hashes to the built index: ours is ``add`` (incremental); pytx's
  ``PDQIndex`` has an in-memory ``add_all`` (FAISS add plus a rebuild of its id map over every
  entry) but no removal, so deleting or disabling an entry means building it again, which is
  also what HMA does for any change; both pytx times are shown. Removing 10,000 entries, and
  saving and loading (ours: versioned ``.npz``; pytx: its ``serialize``, a pickle).

``--sweep`` instead measures our two strategies (flat scan, multi-index hashing) across index
sizes and thresholds, and FAISS's own ``IndexBinaryMultiHash`` (bare, as pytx configures it) by
threshold: the measurements behind ``FLAT_CUTOFF``, ``SCAN_FACTOR`` and our own tables.

    .venv/bin/python bench/match.py [--size 1000000] [--queries 1000] [--seed S] [--json]
    .venv/bin/python bench/match.py --sweep [--size 1000000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import faiss
import numpy as np

from nigehban.banks.pdq_index import PdqIndex

sys.path.insert(0, str(Path(__file__).resolve().parent))
from groups import machine  # bench/groups.py: the same machine line

DEFAULT_SIZE = 1_000_000
DEFAULT_QUERIES = 1_000
SEED = 20261129
THRESHOLD = 31
ADDED = 10_000
PROBES = 8
ADD_FLOOR_S = 1.0


# -- data ------------------------------------------------------------------------------------


def flip(row: np.ndarray, bits: np.ndarray) -> np.ndarray:
    out = row.copy()
    np.bitwise_xor.at(out, bits >> 3, (1 << (bits & 7)).astype(np.uint8))
    return out


def generate(size: int, queries: int, seed: int) -> dict[str, Any]:
    """Hashes, planted queries (source row, distance), probe sets and the hashes to add."""
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, 256, (size, 32), dtype=np.uint8)
    distances = [i % (THRESHOLD + 1) for i in range(queries)]
    distances += [THRESHOLD + 1 + i % 9 for i in range(queries // 4)]  # 32..40
    sources = rng.integers(0, size, len(distances))
    planted = np.stack(
        [
            flip(rows[s], rng.choice(256, d, replace=False))
            for s, d in zip(sources, distances, strict=True)
        ]
    )
    probes = rng.integers(0, 256, (len(distances), PROBES, 32), dtype=np.uint8)
    slots = rng.integers(0, PROBES, len(distances))
    probes[np.arange(len(distances)), slots] = planted
    added = rng.integers(0, 256, (ADDED, 32), dtype=np.uint8)
    return {
        "rows": rows,
        "hex": [r.tobytes().hex() for r in rows],
        "planted": [r.tobytes().hex() for r in planted],
        "distances": distances,
        "sources": sources.tolist(),
        "probes": [[p.tobytes().hex() for p in item] for item in probes],
        "added": [r.tobytes().hex() for r in added],
    }


def brute(rows: np.ndarray, query: str) -> list[tuple[int, int]]:
    q = np.frombuffer(bytes.fromhex(query), dtype=np.uint8)
    d = np.bitwise_count(rows ^ q).sum(axis=1, dtype=np.int32)
    hit = np.flatnonzero(d <= THRESHOLD)
    return sorted(zip(hit.tolist(), d[hit].tolist(), strict=True))


# -- memory ----------------------------------------------------------------------------------


def vm(field: str) -> int:
    """``VmRSS`` / ``VmHWM`` of this process in bytes (0 where /proc is missing)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def reset_peak() -> bool:
    """Reset the peak RSS to the current RSS (Linux >= 4.0); ``False`` where it cannot."""
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as f:
            f.write("5")
        return True
    except OSError:
        return False


# -- the two indexes behind one face ---------------------------------------------------------


class Ours:
    name = "Nigehban `PdqIndex`"

    def __init__(self, strategy: str = "auto") -> None:
        self.strategy = strategy

    def build(self, hashes: list[str]) -> None:
        self.index = PdqIndex(strategy=self.strategy)  # type: ignore[arg-type]
        self.index.add(np.arange(len(hashes), dtype=np.int64), hashes)

    def query(self, h: str) -> list[tuple[int, int]]:
        return self.index.query(h, THRESHOLD)

    def query_probes(self, probes: list[str]) -> list[tuple[int, int]]:
        return self.index.query_many(probes, THRESHOLD)

    def add(self, start: int, hashes: list[str]) -> dict[str, float]:
        t = time.perf_counter()
        self.index.add(np.arange(start, start + len(hashes), dtype=np.int64), hashes)
        added = time.perf_counter() - t
        t = time.perf_counter()
        self.index.remove(np.arange(start, start + len(hashes), dtype=np.int64))
        return {"add_s": added, "remove_s": time.perf_counter() - t}

    def persist(self, directory: Path) -> dict[str, float]:
        path = directory / "pdq.index"
        t = time.perf_counter()
        self.index.save(path)
        saved = time.perf_counter() - t
        t = time.perf_counter()
        loaded = PdqIndex.load(path)
        took = time.perf_counter() - t
        assert loaded.snapshot_hash() == self.index.snapshot_hash()
        return {"save_s": saved, "load_s": took, "file_bytes": path.stat().st_size}


class Pytx:
    name = "pytx `PDQIndex`"

    def build(self, hashes: list[str]) -> None:
        from threatexchange.signal_type.pdq.pdq_index import PDQIndex

        assert PDQIndex.get_match_threshold() == THRESHOLD  # type: ignore[no-untyped-call]
        self.cls = PDQIndex
        self.index = PDQIndex.build((h, i) for i, h in enumerate(hashes))

    def query(self, h: str) -> list[tuple[int, int]]:
        return sorted(
            ((m.metadata, int(m.similarity_info.distance)) for m in self.index.query(h)),
            key=lambda m: (m[1], m[0]),
        )

    def query_probes(self, probes: list[str]) -> list[tuple[int, int]]:
        best: dict[int, int] = {}
        for h in probes:
            for m in self.index.query(h):
                d = int(m.similarity_info.distance)
                if d < best.get(m.metadata, d + 1):
                    best[m.metadata] = d
        return sorted(best.items(), key=lambda m: (m[1], m[0]))

    def add(self, start: int, hashes: list[str]) -> dict[str, float]:
        entries = [(h, start + i) for i, h in enumerate(hashes)]
        every = list(self.index.local_id_to_entry) + entries
        t = time.perf_counter()
        self.index.add_all(entries)
        added = time.perf_counter() - t
        t = time.perf_counter()
        self.cls.build(every)  # no removal in PDQIndex: a change means building it again
        return {"add_s": added, "rebuild_s": time.perf_counter() - t}

    def persist(self, directory: Path) -> dict[str, float]:
        path = directory / "pdq.pickle"
        t = time.perf_counter()
        with path.open("wb") as f:
            self.index.serialize(f)
        saved = time.perf_counter() - t
        t = time.perf_counter()
        with path.open("rb") as f:
            self.cls.deserialize(f)
        return {
            "save_s": saved,
            "load_s": time.perf_counter() - t,
            "file_bytes": path.stat().st_size,
        }


KINDS: dict[str, Callable[[], Any]] = {
    "ours": Ours,
    "ours-flat": lambda: Ours("flat"),
    "pytx": Pytx,
}


def child(kind: str, size: int, queries: int, seed: int, exact: int) -> dict[str, Any]:
    """Everything for one index, in this (fresh) process; returns the measurements."""
    faiss.omp_set_num_threads(1)
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    data = generate(size, queries, seed)
    index = KINDS[kind]()
    peak_reset = reset_peak()
    before = vm("VmRSS")
    t = time.perf_counter()
    index.build(data["hex"])
    build_s = time.perf_counter() - t
    resident = vm("VmRSS") - before

    found: list[bool] = []
    t = time.perf_counter()
    for query, source in zip(data["planted"], data["sources"], strict=True):
        found.append(any(i == source for i, _ in index.query(query)))
    single_s = time.perf_counter() - t
    found_probes: list[bool] = []
    t = time.perf_counter()
    for probes, source in zip(data["probes"], data["sources"], strict=True):
        found_probes.append(any(i == source for i, _ in index.query_probes(probes)))
    probes_s = time.perf_counter() - t
    peak = vm("VmHWM") - before if peak_reset else 0

    exact_ok = sum(
        sorted(index.query(q)) == brute(data["rows"], q)
        for q in data["planted"][: min(exact, queries)]
    )
    updates = index.add(size, data["added"])
    with tempfile.TemporaryDirectory() as tmp:
        files = index.persist(Path(tmp))
    within = [d <= THRESHOLD for d in data["distances"]]
    n_within = sum(within)
    return {
        "kind": kind,
        "name": index.name,
        "size": size,
        "build_s": build_s,
        "queries": len(found),
        "single_qps": len(found) / single_s,
        "probe_items_per_s": len(found_probes) / probes_s,
        "recall": sum(f for f, w in zip(found, within, strict=True) if w) / n_within,
        "recall_probes": sum(f for f, w in zip(found_probes, within, strict=True) if w) / n_within,
        "found_beyond": sum(f for f, w in zip(found, within, strict=True) if not w),
        "beyond": len(found) - n_within,
        "exact_checked": min(exact, queries),
        "exact_equal": exact_ok,
        "resident_bytes": resident,
        "peak_bytes": peak,
        **updates,
        **files,
    }


def run_child(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    command = [
        sys.executable, __file__, "--child", kind, "--size", str(args.size),
        "--queries", str(args.queries), "--seed", str(args.seed), "--exact", str(args.exact),
    ]  # fmt: skip
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{kind} run failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


# -- report ----------------------------------------------------------------------------------


def mb(n: float) -> str:
    return f"{n / 2**20:,.0f} MB" if n else "n/a"


def table(results: list[dict[str, Any]]) -> str:
    def row(label: str, fmt: Callable[[dict[str, Any]], str]) -> str:
        return f"| {label} | " + " | ".join(fmt(r) for r in results) + " |"

    size = results[0]["size"]
    lines = [
        "| | " + " | ".join(r["name"] for r in results) + " |",
        "|---|" + "---|" * len(results),
        row(f"build from {size:,} hex hashes", lambda r: f"{r['build_s']:.2f} s"),
        row("single-hash queries/s (t=31)", lambda r: f"{r['single_qps']:,.0f}"),
        row(f"items/s with {PROBES} dihedral probes", lambda r: f"{r['probe_items_per_s']:,.0f}"),
        row("recall at distance ≤ 31, single hash", lambda r: f"{100 * r['recall']:.2f}%"),
        row(
            f"recall at distance ≤ 31, {PROBES} probes",
            lambda r: f"{100 * r['recall_probes']:.2f}%",
        ),
        row(
            "planted at 32..40 returned (not required)",
            lambda r: f"{r['found_beyond']} of {r['beyond']}",
        ),
        row(
            "result sets equal to brute force",
            lambda r: f"{r['exact_equal']} of {r['exact_checked']}",
        ),
        row("resident memory of the built index (RSS)", lambda r: mb(r["resident_bytes"])),
        row("peak RSS during build and queries", lambda r: mb(r["peak_bytes"])),
        row(
            f"add {ADDED:,} hashes to the index",
            lambda r: f"{r['add_s']:.3f} s"
            + (f" (`add_all`); full rebuild {r['rebuild_s']:.2f} s" if "rebuild_s" in r else ""),
        ),
        row(
            f"remove {ADDED:,} entries",
            lambda r: f"{r['remove_s']:.3f} s" if "remove_s" in r else "no removal: rebuild",
        ),
        row("save / load", lambda r: f"{r['save_s']:.2f} s / {r['load_s']:.2f} s"),
        row("file size", lambda r: mb(r["file_bytes"])),
    ]
    return "\n".join(lines)


def floors(ours: dict[str, Any], pytx: dict[str, Any] | None) -> list[tuple[str, bool]]:
    checks = [
        ("recall 100% at distance ≤ 31", ours["recall"] == 1.0 and ours["recall_probes"] == 1.0),
        (f"add {ADDED:,} hashes under {ADD_FLOOR_S:.0f} s", ours["add_s"] < ADD_FLOOR_S),
    ]
    if pytx is not None:
        checks.append(
            ("single-hash queries/s at least pytx's", ours["single_qps"] >= pytx["single_qps"])
        )
    return checks


# -- strategy sweep --------------------------------------------------------------------------


def sweep(args: argparse.Namespace) -> None:
    """µs per single-hash query, flat scan vs multi-index, by size (t=31) and by threshold."""
    faiss.omp_set_num_threads(1)
    rng = np.random.default_rng(args.seed)

    def timed(index: PdqIndex, queries: np.ndarray, t: int) -> float:
        start = time.perf_counter()
        for q in queries:
            index.query(q, t)
        return (time.perf_counter() - start) / len(queries) * 1e6

    def build(rows: np.ndarray) -> tuple[PdqIndex, PdqIndex, np.ndarray]:
        pair = []
        for strategy in ("flat", "multi-index"):
            index = PdqIndex(strategy=strategy)
            index.add(np.arange(len(rows), dtype=np.int64), rows)
            pair.append(index)
        picks = rows[rng.integers(0, len(rows), 500)]
        queries = np.stack(
            [flip(r, rng.choice(256, rng.integers(0, 32), replace=False)) for r in picks]
        )
        return pair[0], pair[1], queries

    print("| entries | flat scan µs/query | multi-index µs/query |\n|---|---|---|")
    for size in (4_096, 8_192, 16_384, 32_768, 65_536, 131_072):
        flat, multi, queries = build(rng.integers(0, 256, (size, 32), dtype=np.uint8))
        print(f"| {size:,} | {timed(flat, queries, 31):.0f} | {timed(multi, queries, 31):.0f} |")
    rows = rng.integers(0, 256, (args.size, 32), dtype=np.uint8)
    flat, multi, queries = build(rows)
    # FAISS's own multi-index hashing, as pytx uses it: 16 tables of 16 bits, and nflip (bits
    # flipped per table) = t // 16, which the pigeonhole principle makes exact.
    mih = faiss.IndexBinaryMultiHash(256, 16, 16)
    mih.add(rows)

    def timed_faiss(t: int) -> float:
        mih.nflip = t // 16
        start = time.perf_counter()
        for q in queries[:100]:
            mih.range_search(q.reshape(1, 32), t + 1)
        return (time.perf_counter() - start) / 100 * 1e6

    print(f"\n{args.size:,} entries:\n")
    print(
        "| threshold | flat scan µs/query | multi-index µs/query | FAISS IndexBinaryMultiHash |"
        "\n|---|---|---|---|"
    )
    for t in (0, 10, 20, 31, 36, 40, 44, 47, 52, 63):
        print(
            f"| {t} | {timed(flat, queries[:100], t):.0f} | {timed(multi, queries, t):.0f} "
            f"| {timed_faiss(t):.0f} |"
        )


# -- main ------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--size", type=int, default=DEFAULT_SIZE, help="indexed hashes")
    parser.add_argument("--queries", type=int, default=DEFAULT_QUERIES, help="planted ≤ 31")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--exact", type=int, default=200, help="queries checked by brute force")
    parser.add_argument("--no-pytx", action="store_true", help="measure only our index")
    parser.add_argument("--sweep", action="store_true", help="flat vs multi-index sweep")
    parser.add_argument("--json", action="store_true", help="end with one JSON result line")
    parser.add_argument("--check", action="store_true", help="exit 1 when a floor is missed")
    parser.add_argument("--child", choices=sorted(KINDS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(child(args.child, args.size, args.queries, args.seed, args.exact)))
        return 0
    if args.sweep:
        sweep(args)
        return 0

    kinds = ["ours", "ours-flat"] + ([] if args.no_pytx else ["pytx"])
    results = [run_child(kind, args) for kind in kinds]
    results[1]["name"] = "Nigehban, flat scan only"
    ours, pytx = results[0], (None if args.no_pytx else results[-1])
    checks = floors(ours, pytx)
    print(table(results))
    print()
    for label, ok in checks:
        print(f"- {label}: {'PASS' if ok else 'FAIL'}")
    date = datetime.now(UTC).strftime("%Y-%m-%d")
    print(f"\nmachine: {machine()}; one CPU, FAISS 1 thread; {date}")
    if args.json:
        print(json.dumps({"results": results, "floors": dict(checks), "date": date}))
    return 1 if args.check and not all(ok for _, ok in checks) else 0


if __name__ == "__main__":
    sys.exit(main())
