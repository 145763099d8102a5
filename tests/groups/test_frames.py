"""Frames: the words right around a name kept out of running text that make it the group's."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nigehban.groups.frames import POSTPOSITIONS, SUBJECTS, in_frame, occurrences
from nigehban.model.spans import Span

BEFORE = ("of", "to", "against")
AFTER = ("fighters", "claims", "held")


def _framed(text: str) -> bool:
    (span,) = list(occurrences(text, "IS"))
    return in_frame(text, span, BEFORE, AFTER)


@pytest.mark.parametrize(
    ("text", "framed"),
    [
        ("fallen to IS, this has big implications", True),  # ends its clause
        ("killed by fighters of IS #iraq", True),  # a hashtag follows
        ("firing mortars against #IS.", True),  # the hashtag of the name
        ("Assad gave Palmyra to IS", True),  # the end of the text
        ("the truth is on IS @user", False),  # "on" is not one of these words
        ("IS fighters advance", True),
        ("#IS Claims another attack", True),  # in any case
        ("striking IS-held areas", True),  # joined by a hyphen
        ("to IS 456 concrete specs", False),  # a number follows: a code
        ("Shoutout to IS guys", False),  # a word follows
        ("a tribute to IS's founder", False),  # its possessive starts a phrase
        ("This IS fighters' country", False),  # a subject before: the verb
        ("IS fighters ke khilaf", False),  # a Roman Urdu postposition after the frame word
        ("Information Systems (IS) claims unit", False),  # not right after the name
    ],
)
def test_frames(text: str, framed: bool) -> None:
    assert _framed(text) is framed


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("IS and #IS", [0, 8]),
        ("ISIS, is, @IS, a#IS, ISs", []),  # another word, case, a mention, glued, a plural
        ("(IS) IS-held", [1, 5]),
    ],
)
def test_occurrences_are_the_name_as_written(text: str, starts: list[int]) -> None:
    assert [s.start for s in occurrences(text, "IS")] == starts


@given(
    st.text(alphabet="ab IS#@-.,'0\n", max_size=20),
    st.text(alphabet="ab IS#@-.,'0\n", max_size=20),
)
def test_every_occurrence_is_the_name_on_word_boundaries(before: str, after: str) -> None:
    text = before + "IS" + after
    for span in occurrences(text, "IS"):
        assert text[span.start : span.end] == "IS"
        assert span.start == 0 or not text[span.start - 1].isalnum()
        assert span.end == len(text) or not text[span.end].isalnum()


@given(
    st.sampled_from(BEFORE),
    st.sampled_from(["", ".", ",", "!", " #iraq", " @user", " <url>", "… more"]),
)
def test_a_frame_word_before_and_the_clause_ended_is_a_frame(word: str, end: str) -> None:
    text = f"news: it has fallen {word} IS{end}"
    assert in_frame(text, Span(text.index("IS"), text.index("IS") + 2), BEFORE, AFTER)


@given(st.sampled_from(AFTER), st.sampled_from(sorted(SUBJECTS)))
def test_a_subject_before_the_name_makes_it_the_verb(word: str, subject: str) -> None:
    """ "This IS attack on us", "It IS terrorists who…"."""
    text = f"{subject} IS {word} again"
    assert not in_frame(text, Span(len(subject) + 1, len(subject) + 3), BEFORE, AFTER)


@given(st.sampled_from(AFTER), st.sampled_from(sorted(POSTPOSITIONS)))
def test_a_postposition_after_the_frame_word_makes_it_roman_urdu(word: str, after: str) -> None:
    """ "IS attack ke baad": after this attack."""
    assert not in_frame(f"IS {word} {after} baad", Span(0, 2), BEFORE, AFTER)
