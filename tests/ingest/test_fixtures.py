"""Every payload fixture against its hand-written expected items, field by field.

Each payload under ``tests/data/payloads/<platform>/`` has an expected file under
``tests/data/expected/<platform>/<stem>.json``, written by reading the payload (not by capturing
the adapter's output): ``{"format": ..., "items": [...], "tombstones": [...], "skipped": [...],
"errors": [...]}`` in the dict form of ``nigehban.model.codec`` / ``nigehban.ingest.results``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from nigehban.errors import PayloadError
from nigehban.ingest.base import ParseContext, ParseResult
from nigehban.ingest.registry import default_registry
from nigehban.ingest.results import result_to_dict
from nigehban.ingest.sources import PAYLOAD_SUFFIXES, iter_payloads

DATA = Path(__file__).resolve().parent.parent / "data"
PAYLOADS = DATA / "payloads"
EXPECTED = DATA / "expected"

CASES = sorted(p for p in PAYLOADS.rglob("*") if p.is_file() and p.suffix in PAYLOAD_SUFFIXES)


def expected_path(payload: Path) -> Path:
    rel = payload.relative_to(PAYLOADS)
    return EXPECTED / rel.parent / (rel.stem + ".json")


def parse_file(path: Path) -> tuple[set[str], dict[str, Any]]:
    registry = default_registry()
    result = ParseResult()
    formats: set[str] = set()
    for decoded in iter_payloads(path, path.read_bytes()):
        if isinstance(decoded, PayloadError):
            raise decoded
        adapter = registry.detect(decoded.payload, decoded.source)
        formats.add(adapter.name)
        result.extend(adapter.parse(decoded.payload, ParseContext("t", decoded.source)))
    return formats, result_to_dict(result)


def _key(entry: dict[str, Any]) -> tuple[str, ...]:
    return tuple(str(entry.get(k, "")) for k in ("kind", "id", "ref", "where", "code"))


def assert_same(section: str, actual: list[dict[str, Any]], expected: list[dict[str, Any]]) -> None:
    act = {_key(e): e for e in actual}
    exp = {_key(e): e for e in expected}
    assert len(act) == len(actual), f"{section}: two different entries share one key"
    assert len(exp) == len(expected), f"{section}: the expected file repeats a key"
    assert sorted(act) == sorted(exp), f"{section}: different entries"
    for key, want in exp.items():
        got = act[key]
        for field in sorted(set(want) | set(got)):
            assert got.get(field) == want.get(field), f"{section} {key} field {field}"


def test_every_payload_has_an_expected_file() -> None:
    missing = [str(p.relative_to(PAYLOADS)) for p in CASES if not expected_path(p).exists()]
    assert not missing, f"payloads without expected items: {missing}"


@pytest.mark.parametrize("path", CASES, ids=lambda p: str(p.relative_to(PAYLOADS)))
def test_adapter_output_equals_expected(path: Path) -> None:
    exp_file = expected_path(path)
    if not exp_file.exists():
        pytest.fail(f"no expected file {exp_file.relative_to(DATA)}")
    expected = json.loads(exp_file.read_text(encoding="utf-8"))
    formats, actual = parse_file(path)
    assert formats == {expected["format"]}
    for section in ("items", "tombstones", "skipped", "errors"):
        assert_same(section, actual.get(section, []), expected.get(section, []))
