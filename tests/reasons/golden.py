"""Golden files for statements of reasons.

Regenerate after an intended change, then review the diff::

    NIGEHBAN_UPDATE_GOLDEN=1 .venv/bin/pytest tests/reasons
"""

from __future__ import annotations

import json
import os
from pathlib import Path

GOLDEN_DIR = Path(__file__).resolve().parents[1] / "data" / "golden" / "reasons"
UPDATE = os.environ.get("NIGEHBAN_UPDATE_GOLDEN") == "1"


def dump_json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


def check_golden(name: str, actual: str) -> None:
    path = GOLDEN_DIR / name
    if UPDATE:
        GOLDEN_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{name} is missing; run NIGEHBAN_UPDATE_GOLDEN=1 pytest tests/reasons"
    expected = path.read_text(encoding="utf-8")
    assert actual == expected, f"{name} differs from its golden file (see the diff above)"
