"""Start-up time: how long a command takes before and including its first piece of work.

Each case runs in a fresh interpreter (``sys.executable``), cases taking turns, ``--repeat``
times each; the median wall time of each is printed beside the bare interpreter's (``python -c
pass``), measured in the same run, as a ratio. A command line user waits this long for every
``nigehban groups match``; a worker process that parses payloads for ``nigehban ingest`` waits
the import line before its first batch.

    .venv/bin/python bench/startup.py [--repeat 9] [--json]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

CLI = "from nigehban.cli.main import run; run()"
CASES: dict[str, list[str]] = {
    "python -c pass": ["-c", "pass"],
    "import nigehban": ["-c", "import nigehban"],
    "ingest parse worker's imports": ["-c", "import nigehban.workflows.parsing"],
    "nigehban --help (every command)": ["-c", CLI, "--help"],
    "nigehban policy list": ["-c", CLI, "policy", "list"],
    "nigehban groups match TEXT": ["-c", CLI, "groups", "match", "کالعدم تحریک طالبان اور T.T.P"],
}
BASELINE = "python -c pass"


def _machine() -> str:
    model = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text(encoding="utf-8", errors="replace").splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    return (
        f"{model}, {os.cpu_count()} CPUs, {platform.system()} {platform.release()} "
        f"{platform.machine()}, CPython {platform.python_version()}"
    )


def _time_once(args: list[str], env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, *args],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
        timeout=300,
    )
    return time.perf_counter() - start


def measure(repeat: int, cases: Sequence[str]) -> dict[str, list[float]]:
    """Wall seconds of each case, ``repeat`` runs, the cases taking turns."""
    times: dict[str, list[float]] = {name: [] for name in cases}
    with tempfile.TemporaryDirectory(prefix="nigehban-startup-") as home:
        env = {**os.environ, "NIGEHBAN_DATA_DIR": home}
        for _ in range(repeat):
            for name in cases:
                times[name].append(_time_once(CASES[name], env))
    return times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=9, help="runs of each case")
    parser.add_argument("--case", action="append", choices=list(CASES), help="only these")
    parser.add_argument("--json", action="store_true", help="end with one JSON result line")
    args = parser.parse_args(argv)
    if args.repeat < 1:
        parser.error(f"--repeat must be at least 1, not {args.repeat}")
    cases = [BASELINE, *[c for c in (args.case or CASES) if c != BASELINE]]
    times = measure(args.repeat, cases)
    base = statistics.median(times[BASELINE])
    rows = []
    print(f"{'case':<36} {'median s':>9} {'min s':>7} {'max s':>7} {'× python':>9}")
    for name in cases:
        median = statistics.median(times[name])
        rows.append({"case": name, "median_s": round(median, 4), "runs_s": times[name]})
        print(
            f"{name:<36} {median:>9.3f} {min(times[name]):>7.3f} {max(times[name]):>7.3f} "
            f"{median / base:>9.1f}"
        )
    print(f"machine: {_machine()}; date {datetime.now(UTC).isoformat(timespec='seconds')}")
    if args.json:
        print(json.dumps({"repeat": args.repeat, "cases": rows}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
