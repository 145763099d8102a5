"""Lone surrogates become U+FFFD one for one; everything else is kept."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.text.surrogates import replace_lone_surrogates


def test_nested_values_and_keys() -> None:
    value = {"te\udc00xt": ["a\ud83d", ("b",), 3, None], "ok": "\U0001f525"}
    assert replace_lone_surrogates(value) == {
        "te\ufffdxt": ["a\ufffd", ["b"], 3, None],
        "ok": "\U0001f525",
    }


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_length_kept_and_utf8_writable(text: str) -> None:
    out = replace_lone_surrogates(text)
    assert isinstance(out, str) and len(out) == len(text)
    out.encode("utf-8")  # never raises
    if not any(0xD800 <= ord(c) <= 0xDFFF for c in text):
        assert out == text
