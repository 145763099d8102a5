"""The frame of a post: its text with what it quotes left out.

Counter-speech and news quote the propaganda they answer ("they call the bombers 'lions of
Islam'"), and violating posts quote verses, slogans and their leaders. A sentence embedding is
a mean over the post's tokens, so a post that is mostly a quotation reads much like the quotation.
The frame keeps the quotation marks and puts ``…`` where the quoted words stood, so what the
writer says *around* the quotation can be read on its own: the semantic tier reads the frame
beside the whole post (``nigehban.stance.semantic.FRAME_VIEW``; docs/model-card.md, model H),
and the fast tier reads the frame and the quoted words as two separate sets of n-grams
(``FeatureConfig.quote_view``; model J).

A quotation is text between a pair of marks: ``"…"``, ``“…”``, ``«…»``, ``„…“``, ``‘…’``, or
single quotes that open after the start, a space or ``(``, ``[``, ``:`` and close before the
end, a space or punctuation (so the apostrophes of "Qur'an", "bid'ah" or "don't" are not marks).
At least three characters must stand between the marks; a pair does not nest or cross a mark
of its own kind. Nothing else changes: a text without quotations is its own frame. The frame is
taken once (taking it again can elide more: in ``"a…" and "…"`` the words between two
quotations now stand between marks), as the model was trained.
"""

from __future__ import annotations

import re

_PAIRS = (
    ('"', '"'),
    ("\u201c", "\u201d"),
    ("\u00ab", "\u00bb"),
    ("\u201e", "\u201c"),
    ("\u2018", "\u2019"),
)
_QUOTED = tuple(
    re.compile(re.escape(a) + "([^" + re.escape(a + b) + "]{3,}?)" + re.escape(b))
    for a, b in _PAIRS
)
_SINGLE = re.compile(r"(?:(?<=^)|(?<=[\s(\[:]))'([^']{3,}?)'(?=$|[\s.,;:!?)\]…،۔])")
_OPENING = re.compile("[" + re.escape("".join(a for a, _ in _PAIRS)) + "']")
"""A mark a quotation can open with: a text with none quotes nothing (checked first: cheap)."""
ELLIPSIS = "\u2026"


def _elide(match: re.Match[str]) -> str:
    whole = match.group(0)
    return whole[0] + ELLIPSIS + whole[-1]


def split(text: str) -> tuple[str, list[str]]:
    """The frame of ``text`` and the words of each quotation it elided, in the order they were
    elided (each kind of mark in turn, single quotes last)."""
    quoted: list[str] = []
    if _OPENING.search(text) is None:
        return text, quoted

    def elide(match: re.Match[str]) -> str:
        quoted.append(match.group(1))
        return _elide(match)

    out = text
    for pattern in (*_QUOTED, _SINGLE):
        out = pattern.sub(elide, out)
    return out, quoted


def frame(text: str) -> str:
    """``text`` with the words of each quotation replaced by ``…`` (the marks stay)."""
    return split(text)[0]
