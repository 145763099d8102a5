"""Real payloads with one to three values replaced by what a broken or hostile sender might put
there: every one is parsed into items, skips or errors naming the field, never an exception
that would stop the rest of the file (property test over every payload fixture)."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nigehban.audit.digests import Digester
from nigehban.errors import NigehbanError, ValidationError
from nigehban.ingest.base import ParseContext, Reader
from nigehban.ingest.registry import default_registry
from nigehban.ingest.sources import PAYLOAD_SUFFIXES, SourcePayload, iter_payloads
from nigehban.model.ints import INT64_MAX
from nigehban.workflows.parsing import BatchParser, ParseOptions
from tests.mutation import mutate

PAYLOADS = Path(__file__).resolve().parent.parent / "data" / "payloads"
FILES = sorted(p for p in PAYLOADS.rglob("*") if p.is_file() and p.suffix in PAYLOAD_SUFFIXES)

# what a JSON reader can hand over: lone surrogates are already U+FFFD (ingest.sources)
HOSTILE: list[Any] = [
    None, 0, -1, 2**70, -(2**63) - 1, 2**63, 1.5, 1e308, True, "", " ", "x" * 5000, "\x00",
    "a\u200bb", "-5", "١٢٣", "²", "0" * 400, "9" * 5000, "not-a-date", "2024-02-30T00:00:00Z", "http://",
    [], {}, [None], [{}], [[[]]], {"a": None}, {"id": {}}, {"data": [None]},
]  # fmt: skip


@cache
def _payloads() -> list[SourcePayload]:
    out: list[SourcePayload] = []
    for path in FILES:
        out.extend(
            p for p in iter_payloads(path, path.read_bytes()) if isinstance(p, SourcePayload)
        )
    return out


@st.composite
def mutated(draw: st.DrawFn) -> tuple[str, object]:
    original = draw(st.sampled_from(_payloads()))
    return original.source, mutate(draw, original.payload, HOSTILE)


@settings(max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_a_mutated_payload_is_parsed_or_refused_with_a_reason(case: tuple[str, object]) -> None:
    source, payload = case
    parser = BatchParser(
        default_registry(), ParseOptions("t", None, True, 100_000), Digester(b"k" * 32)
    )
    batch = parser.parse([SourcePayload(source, payload)], source)
    assert batch.payloads + len(batch.errors) == 1
    assert all(problem for _, problem in batch.errors)


def test_unhashable_values_where_a_format_expects_a_word_do_not_break_detection() -> None:
    registry = default_registry()
    for payload in (
        {"id": 1, "type": {"private": True}, "messages": []},  # a Telegram export's chat type
        {"id": "17895695668004550", "media_type": ["IMAGE"], "caption": "x"},  # Instagram
        {"chats": {"list": [{"id": 1, "type": {}, "messages": []}]}},
    ):
        try:
            adapter = registry.detect(payload, "p.json")
        except NigehbanError:
            continue  # no format recognised: an error the parser reports
        result = adapter.parse(payload, ParseContext("t", "p.json"))
        assert not result.items


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (2**70, "beyond the 64-bit range"),
        (-(2**63) - 1, "beyond the 64-bit range"),
        (str(2**64), "beyond the 64-bit range"),
        ("²", "expected an integer, got a string"),
        ("١٢٣", "expected an integer, got a string"),
        ("12a", "expected an integer, got a string"),
        ("1" * 5000, "expected an integer, got a string"),
    ],
)
def test_integers_beyond_64_bits_or_in_other_digits_are_refused(
    value: object, problem: str
) -> None:
    with pytest.raises(ValidationError, match=problem) as caught:
        Reader({"width": value}, "media", "p.json").opt_int("width")
    assert caught.value.field == "media.width"


def test_the_64_bit_bounds_themselves_are_integers() -> None:
    reader = Reader({"a": INT64_MAX, "b": -INT64_MAX - 1, "c": "-42"}, "", "p.json")
    assert reader.opt_int("a") == INT64_MAX
    assert reader.opt_int("b") == -INT64_MAX - 1
    assert reader.opt_int("c") == -42
