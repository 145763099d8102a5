"""Spans located window by window equal the whole text's offset map, on long mixed texts."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path

from hypothesis import example, given, settings
from hypothesis import strategies as st

from nigehban.model.spans import Span
from nigehban.text.normaliser import Level, normalise, normalise_text
from nigehban.text.windows import (
    WINDOW,
    _windowed,
    original_spans,
    window_bounds,
    windowed_spans,
)

AGG = Level.AGGRESSIVE

# group names, their spellings and tricks, single letters, connectors, digits, noise
_NAMES_AND_NOISE = """
    BLA B.L.A. T T. P TTP T.T.P TTP's #StandWithBLA LeT
    JeM ТТР تحریک طالبان تحريك طالبانو تحریکِ ت ح Tehreek-e-Taliban
    e i ul wal tehreek blame the attack ki ne
    ۲۰۲۵ 2025 B1A BLAAA ptm PTM's — 🔥 ـ a
    Lashkar-e-Jhangvi لشکرطیبہ ﷲ h4 @ l$ I A
"""
_TOKENS = st.sampled_from([*_NAMES_AND_NOISE.split(), "B L A", "\u200c", "\u200b"])
_GLUE = st.sampled_from([" ", " ", " ", "  ", "\n", ", ", " - ", "\u00a0", "\t"])


@st.composite
def _long_texts(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(_TOKENS, min_size=20, max_size=90))
    out = tokens[0]
    for token in tokens[1:]:
        out += draw(_GLUE) + token
    return out


def _ranges(normalised: str, first: int, last: int) -> tuple[int, int]:
    tokens = normalised.split(" ")
    starts = [sum(len(t) + 1 for t in tokens[:i]) for i in range(len(tokens))]
    first, last = sorted((first % len(tokens), last % len(tokens)))
    return starts[first], starts[last] + len(tokens[last])


@settings(max_examples=400, deadline=None)
@given(_long_texts(), st.integers(0, 10_000), st.integers(0, 3))
@example("T " * 70 + "P", 5, 0)  # single letters joined across every cut: the whole text
# a run "B L A" that normalisation joins to the letter before it ("abla"), beside "BLAAA" read
# "bla" with no run of its own: the search's k-th run is not the k-th occurrence
@example("BLA " * 16 + "e BLA BLA A B L A " + "BLA " * 11 + "BLAAA", 20, 0)
def test_windowed_spans_equal_the_whole_offset_map(text: str, first: int, width: int) -> None:
    normalised = normalise_text(text, AGG)
    if not normalised:
        return
    a, b = _ranges(normalised, first, first + width)
    expected = normalise(text, AGG).to_original(a, b)
    assert original_spans(text, normalised, [(a, b)]) == [expected]  # the C module's, if built
    assert windowed_spans(text, normalised, [(a, b)]) == [expected]


def test_a_short_text_with_a_joined_run_maps_each_repeat_to_its_own_place() -> None:
    text = " BLA BLA A B L A BLA BLA BLAAA"
    normalised = normalise_text(text, AGG)
    assert normalised == "bla bla abla bla bla bla"
    assert original_spans(text, normalised, [(17, 20)]) == [Span(21, 24)]  # the second "BLA"


def test_windows_cut_at_whitespace_and_cover_the_text() -> None:
    text = "word " * 40 + "x" * 100 + " end"
    bounds = window_bounds(text)
    assert bounds[0][0] == 0 and bounds[-1][1] == len(text)
    assert all(prev[1] == nxt[0] for prev, nxt in pairwise(bounds))
    assert all(text[start].isspace() for start, _ in bounds[1:])
    assert all(end - start >= WINDOW for start, end in bounds[:-1])


def test_a_long_post_is_located_by_its_window() -> None:
    text = "Reports from the valley say " * 10 + "the T.T.P claimed it. " + "More news. " * 20
    normalised = normalise_text(text, AGG)
    at = normalised.index("ttp")
    spans = _windowed(text, normalised, [(at, at + 3)])
    assert spans == [Span(text.index("T.T.P"), text.index("T.T.P") + 5)]


def test_a_cut_inside_a_spelled_acronym_falls_back_to_the_whole_text() -> None:
    prefix = "ab " * (WINDOW // 3)
    text = prefix + "T T P " + "cd " * WINDOW
    assert window_bounds(text)[0][1] == len(prefix) + 1  # the cut: "… T" | " T P …"
    normalised = normalise_text(text, AGG)
    assert "ttp" in normalised.split(" ")
    at = normalised.index("ttp")
    assert _windowed(text, normalised, [(at, at + 3)]) is None
    start = len(prefix)
    assert original_spans(text, normalised, [(at, at + 3)]) == [Span(start, start + 5)]


def test_every_long_text_of_the_group_evaluation_set() -> None:
    """Each long mention and hard negative: every token's span by windows equals the whole
    text's offset map."""
    root = Path(__file__).resolve().parent.parent / "data" / "groups"
    paths = [root / "mentions.jsonl", *sorted((root / "hard_negatives").glob("*.jsonl"))]
    texts = [json.loads(line)["text"] for path in paths for line in path.read_text().splitlines()]
    long_texts = [t for t in texts if len(t) > 2 * WINDOW]
    assert len(long_texts) > 100
    windowed = 0
    for text in long_texts:
        normalised = normalise_text(text, AGG)
        mapped = normalise(text, AGG)
        at = 0
        ranges = []
        for token in normalised.split(" "):
            ranges.append((at, at + len(token)))
            at += len(token) + 1
        spans = _windowed(text, normalised, ranges)
        if spans is not None:
            windowed += 1
            assert spans == [mapped.to_original(a, b) for a, b in ranges], text[:80]
    assert windowed > 0.9 * len(long_texts)
