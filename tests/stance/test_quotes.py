"""The frame of a post: its text with what it quotes left out (nigehban.stance.quotes)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.stance.quotes import ELLIPSIS, frame, split

MARKS = "\"“”«»„‘’'"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            'They call the bombers "lions of the faith". Murderers.',
            'They call the bombers "…". Murderers.',
        ),
        ("TTP: “hum muhajireen ke hami hain” 🙄 jhoot", "TTP: “…” 🙄 jhoot"),
        ("«جهاد فرض دی» دا د ترهګرو دروغ دي", "«…» دا د ترهګرو دروغ دي"),
        (
            "Mufti sahib: 'Jihad ka elaan sirf riyasat kar sakti hai.' Phelayein",
            "Mufti sahib: '…' Phelayein",
        ),
        (
            "The Qur'an forbids it; don't share their bid'ah.",
            "The Qur'an forbids it; don't share their bid'ah.",
        ),
        ('Two quotes: "one here" and "another one".', 'Two quotes: "…" and "…".'),
        ('Too short: "ok" stays.', 'Too short: "ok" stays.'),
        ("No quotation at all.", "No quotation at all."),
        ("", ""),
    ],
)
def test_quoted_words_are_elided_and_the_marks_stay(text: str, expected: str) -> None:
    assert frame(text) == expected


def test_an_unclosed_mark_elides_nothing() -> None:
    text = 'He wrote "the lions will return and never said more'
    assert frame(text) == text


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_characters=MARKS + ELLIPSIS)))
def test_a_text_without_marks_is_its_own_frame(text: str) -> None:
    assert frame(text) == text


def _is_subsequence(short: str, long: str) -> bool:
    chars = iter(long)
    return all(ch in chars for ch in short)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*MARKS, "a", "b", " ", ".", ":", "ک", "\n"])))
def test_the_frame_only_replaces_stretches_with_an_ellipsis(text: str) -> None:
    """What is left of the text stays in order; no mark is added; it is never longer."""
    out = frame(text)
    assert len(out) <= len(text)
    assert _is_subsequence(out.replace(ELLIPSIS, ""), text)
    for mark in MARKS:
        assert out.count(mark) <= text.count(mark)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ('They call the bombers "lions of the faith". Murderers.', ["lions of the faith"]),
        ('Two quotes: "one here" and "another one".', ["one here", "another one"]),
        # each kind of mark in turn, single quotes last, whatever their order in the text
        (
            "'first said' then «second said» then “third one”",
            ["third one", "second said", "first said"],
        ),
        ("The Qur'an forbids it; don't share their bid'ah.", []),
        ("", []),
    ],
)
def test_split_returns_the_frame_and_the_quoted_words(text: str, quoted: list[str]) -> None:
    assert split(text) == (frame(text), quoted)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from([*MARKS, "a", "b", " ", ".", ":", "ک", "\n"])))
def test_each_quotation_becomes_one_ellipsis_in_the_frame(text: str) -> None:
    framed, quoted = split(text)
    assert len(text) == len(framed) + sum(len(q) - 1 for q in quoted)
    assert all(len(q) >= 3 for q in quoted)
