"""Item ids as ``nigehban ingest`` and ``nigehban classify`` read them: errors name the id's
field as a user reads it, and the CLI reads ids as the API does (tests/api/test_ids.py)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.api.test_ids import BAD_ID_FIELDS
from tests.cli_support import run


def classify(source: Path) -> dict[str, Any]:
    """``nigehban --json classify``: its report, with the output lines under ``out``."""
    target = source.with_suffix(".out.jsonl")
    code, out, err = run("--json", "classify", "-i", str(source), "-o", str(target))
    assert code in (0, 1), err
    report: dict[str, Any] = json.loads(out)
    report["out"] = [json.loads(line) for line in target.read_text().splitlines()]
    return report


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


BIG = 123456789012345678901234567890


@pytest.mark.parametrize("number", [BIG, -BIG, 2**64])
def test_an_integer_id_over_64_bits_is_ingested_exactly(db: Path, number: int) -> None:
    posts = db / "posts.jsonl"
    posts.write_text(f'{{"platform":"x","id":{number},"text":"a"}}\n')
    assert run("ingest", str(posts))[0] == 0
    code, out, _ = run("--json", "items", "show", f"x/post/{number}")
    assert code == 0 and json.loads(out)["item"]["id"] == str(number)


@pytest.mark.parametrize("number", [BIG, -BIG, 2**64])
def test_classify_names_an_integer_id_over_64_bits(env: Path, number: int) -> None:
    """As ``/v1/classify`` does: the line is reported with the value truncated and skipped."""
    source = env / "in.jsonl"
    source.write_text(
        '{"id": 1, "text": "Aaj mausam acha hai"}\n'
        f'{{"id": {number}, "text": "Aaj mausam acha hai"}}\n'
        f'{{"id": [2, {number}], "text": "Aaj mausam acha hai"}}\n'
    )
    report = classify(source)
    assert [row["id"] for row in report["out"]] == [1]
    problems = [bad["error"] for bad in report["bad"]]
    assert [bad["line"] for bad in report["bad"]] == [2, 3]
    assert problems[0].startswith("'id' ") and problems[1].startswith("'id' holds ")
    for problem in problems:
        assert "is an integer over the 64-bit range" in problem
        assert "give the id as a string" in problem
        assert "UTF-8" not in problem and str(abs(number)) not in problem


def test_a_boolean_id_is_refused(db: Path) -> None:
    """As on the API: ingest refuses it, and classify reports the line instead of echoing
    ``true`` back as an id."""
    posts = db / "posts.jsonl"
    posts.write_text('{"platform":"x","id":true,"text":"a"}\n')
    code, _, err = run("ingest", str(posts))
    assert code == 1 and "posts.jsonl:1: field id: expected an id, got a boolean True" in err
    texts = db / "in.jsonl"
    texts.write_text('{"id": true, "text": "Aaj mausam acha hai"}\n{"id": 2, "text": "Aaj"}\n')
    report = classify(texts)
    assert [row["id"] for row in report["out"]] == [2]
    assert report["bad"] == [
        {"line": 1, "error": "'id' is a boolean (True), never an id: give a string or a number"}
    ]


BOM = "\ufeff".encode()


def test_a_byte_order_mark_at_the_start_of_a_file_is_dropped(db: Path) -> None:
    """As at the start of an API body; one further on (files joined) is refused, named."""
    posts = db / "posts.jsonl"
    posts.write_bytes(
        BOM
        + b'{"platform":"x","id":"1","text":"a"}\n'
        + BOM
        + b'{"platform":"x","id":"2","text":"a"}\n'
    )
    code, _, err = run("ingest", str(posts))
    assert code == 1
    assert f"{posts}:1" not in err
    assert f"{posts}:2: a byte-order mark (U+FEFF) where JSON should start" in err
    assert run("items", "show", "x/post/1")[0] == 0
    single = db / "post.json"
    single.write_bytes(BOM + b'{"platform":"x","id":"3","text":"a"}')
    assert run("ingest", str(single))[0] == 0
    texts = db / "in.jsonl"
    texts.write_bytes(BOM + b'{"id": 1, "text": "Aaj"}\n' + BOM + b'{"id": 2, "text": "Aaj"}\n')
    report = classify(texts)
    assert [row["id"] for row in report["out"]] == [1]
    assert [bad["line"] for bad in report["bad"]] == [2]
    assert report["bad"][0]["error"].startswith("a byte-order mark (U+FEFF) where JSON should")
