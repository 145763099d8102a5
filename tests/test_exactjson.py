"""JSON read with orjson's strictness and speed, integers of any size kept whole."""

from __future__ import annotations

import json

import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st

from nigehban import exactjson


@given(st.integers(min_value=-(10**40), max_value=10**40))
def test_every_integer_is_read_whole(number: int) -> None:
    for data in (f'{{"id": {number}}}', f'{{"id": {number}}}'.encode()):
        assert exactjson.loads(data) == {"id": number}


@given(
    st.recursive(
        st.none()
        | st.booleans()
        | st.integers()
        | st.floats(allow_nan=False, allow_infinity=False)
        | st.text(),
        lambda inner: st.lists(inner) | st.dictionaries(st.text(), inner),
        max_leaves=20,
    )
)
def test_anything_orjson_reads_within_64_bits_is_read_the_same(value: object) -> None:
    try:
        data = orjson.dumps(value)
    except (TypeError, orjson.JSONEncodeError):
        return  # integers beyond 64 bits: orjson cannot write them
    assert exactjson.loads(data) == orjson.loads(data)


def test_orjson_s_strictness_and_errors_stay() -> None:
    for bad in (b'{"t": "\\ud83d"}', b"[NaN]", b"{", b"[1,]"):
        with pytest.raises(orjson.JSONDecodeError):
            exactjson.loads(bad)
    with pytest.raises(orjson.JSONDecodeError):
        exactjson.loads(b'["\\ud83d", 20000000000000000000]')


def test_an_integer_no_double_can_hold_is_refused_as_orjson_refuses_it() -> None:
    with pytest.raises(orjson.JSONDecodeError, match="infinity"):
        exactjson.loads("[" + "9" * 5000 + "]")
    assert exactjson.loads("[" + "9" * 308 + "]") == [int("9" * 308)]


def test_ids_within_64_bits_are_read_by_orjson_alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """X's 19-digit ids (positive, within 64 bits) need no second reading."""

    def refuse(*_: object) -> None:
        raise AssertionError("read twice")

    monkeypatch.setattr(json, "loads", refuse)  # the module exactjson falls back to
    data = b'{"id": 1899125001127219200, "max": 9223372036854775807, "low": -922337203685477580}'
    assert exactjson.loads(data) == orjson.loads(data)
