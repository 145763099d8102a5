"""Every text the repository commits: the group evaluation sets and the corpora."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@cache
def committed_texts() -> tuple[str, ...]:
    """The ``text`` of every JSON line under ``tests/data/groups`` and ``corpus``."""
    paths = [
        *(ROOT / "tests" / "data" / "groups").rglob("*.jsonl"),
        *(ROOT / "corpus").rglob("*.jsonl"),
    ]
    return tuple(
        row["text"]
        for path in sorted(paths)
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and isinstance(row := json.loads(line), dict) and "text" in row
    )
