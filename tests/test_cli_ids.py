"""Item ids as ``nigehban ingest`` and ``nigehban classify`` read them: errors name the id's
field as a user reads it, and the CLI reads ids as the API does (tests/api/test_ids.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.api.test_ids import BAD_ID_FIELDS
from tests.cli_support import run


@pytest.fixture
def db(env: Path) -> Path:
    assert run("db", "upgrade")[0] == 0
    return env


@pytest.mark.parametrize(("body", "field"), BAD_ID_FIELDS)
def test_an_id_error_names_the_ids_field(db: Path, body: bytes, field: str) -> None:
    posts = db / "posts.jsonl"
    posts.write_bytes(b'{"platform":"x","id":"0","text":"fine"}\n' + body + b"\n")
    code, _, err = run("ingest", str(posts))
    assert code == 1
    assert f"error: {posts}:2: {field} " in err
    assert "field $" not in err
