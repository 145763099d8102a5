"""Small registry files for tests: the smallest valid one, and a writer."""

from __future__ import annotations

import shutil
from pathlib import Path

from nigehban.groups.registry import default_registry_dir

# The smallest valid registry file; broken variants count lines from it.
MINIMAL = """\
schema_version: 1
source: test
as_of: '2025-10-31'
groups:
  - id: alpha
    name: Alpha Front
    kind: armed_group
    summary: A test group.
"""


def write_registry(directory: Path, text: str, *, with_lists: bool = False) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "test.yaml").write_text(text, encoding="utf-8")
    if with_lists:
        shutil.copytree(default_registry_dir() / "lists", directory / "lists")
    return directory
