"""Original spans of normalised ranges, found window by window.

:func:`nigehban.text.normaliser.original_spans` works on the whole text: its cost grows with
the text, though a match concerns a few words of it. Here the original text is cut at
whitespace into windows of about :data:`WINDOW` code points; each window is normalised on its
own, and where the windows' normalisations, joined by single spaces, are exactly the whole
text's normalisation, each range is located inside the window (or the few adjacent windows)
that holds it, and shifted back. Normalisation is local except where a cut falls inside
something it joins across spaces (a spelled acronym "T T P"); then the joined windows differ
from the whole and the whole text is located as before. A property test holds the two to the
same spans. Where the C module of the normaliser is built, it answers first, on the whole text
(it carries each character's original span along as it normalises).
"""

from __future__ import annotations

import bisect
import re

from nigehban.model.spans import Span
from nigehban.text.normaliser import (
    Level,
    fast_original_spans,
    normalise_text,
    python_original_spans,
)

WINDOW = 64
"""Code points of original text per window (a window ends at the first whitespace after)."""
_SPACE = re.compile(r"\s")


def original_spans(text: str, normalised: str, ranges: list[tuple[int, int]]) -> list[Span]:
    """The original spans of ``ranges`` of ``normalised`` (= ``normalise_text(text,
    AGGRESSIVE)``), each covering whole tokens: the same as
    :func:`nigehban.text.normaliser.original_spans`. The C module, where it is built, carries
    the spans along the whole text faster than windows could; where it is not, or declines,
    :func:`windowed_spans`."""
    fast = fast_original_spans(text, normalised, ranges)
    return fast if fast is not None else windowed_spans(text, normalised, ranges)


def windowed_spans(text: str, normalised: str, ranges: list[tuple[int, int]]) -> list[Span]:
    """:func:`original_spans` with the offset-tracking work confined to the windows that hold
    the ranges (the rest of the text only passes through the fast text-only normalisation).
    The whole text falls to the Python paths: this runs where the C module is not built or
    has declined the whole text already (a window, shorter, may still be answered by it)."""
    if len(text) > 2 * WINDOW and ranges:
        located = _windowed(text, normalised, ranges)
        if located is not None:
            return located
    return python_original_spans(text, normalised, ranges)


def window_bounds(text: str, size: int = WINDOW) -> list[tuple[int, int]]:
    """``text`` cut into consecutive windows, each ending at the first whitespace at or after
    ``size`` code points from its start (the whitespace begins the next window)."""
    bounds = []
    start = 0
    while start < len(text):
        found = _SPACE.search(text, start + size)
        end = len(text) if found is None else found.start()
        bounds.append((start, end))
        start = end
    return bounds


def _windowed(text: str, normalised: str, ranges: list[tuple[int, int]]) -> list[Span] | None:
    bounds = window_bounds(text, WINDOW)
    if len(bounds) < 2:
        return None
    # where each window's normalisation begins in ``normalised``, were they joined by spaces
    parts: list[tuple[int, int, int, str]] = []  # (normalised start, original start, end, text)
    at = 0
    for start, end in bounds:
        part = normalise_text(text[start:end], Level.AGGRESSIVE)
        if part:
            parts.append((at, start, end, part))
            at += len(part) + 1
    if " ".join(p[3] for p in parts) != normalised:
        return None  # a cut falls inside something normalisation joins: the whole text
    offsets = [p[0] for p in parts]
    spans = []
    for a, b in ranges:
        first = bisect.bisect_right(offsets, a) - 1
        last = bisect.bisect_right(offsets, b - 1) - 1
        n_start = parts[first][0]
        n_end = parts[last][0] + len(parts[last][3])
        o_start, o_end = parts[first][1], parts[last][2]
        piece = text[o_start:o_end]
        piece_normalised = normalised[n_start:n_end]
        if first != last and normalise_text(piece, Level.AGGRESSIVE) != piece_normalised:
            return None
        inside = [(a - n_start, b - n_start)]
        # the C module carries each character's span along: exact; the Python search is checked
        located = fast_original_spans(piece, piece_normalised, inside)
        if located is None:
            located = python_original_spans(piece, piece_normalised, inside)
        (span,) = located
        spans.append(Span(span.start + o_start, span.end + o_start))
    return spans
