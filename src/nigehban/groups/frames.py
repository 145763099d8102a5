"""Frames: the words right around a name that make it a candidate ("fighters of IS", "IS claims").

A name kept out of running text because its letters are an everyday word too ("IS": the verb
written in capitals for stress, Roman Urdu "is" (this), Information Systems, Iceland) is
matched where it stands in one of the registry's frames for it (``Alias.frame_before``,
``Alias.frame_after``), written exactly as the registry gives it (``IS``, or the hashtag
``#IS``), in a text not written in capitals:

* right after one of the ``before`` words, and ending its clause: punctuation, a link, a
  mention, an emoji or the end of the text follows ("fallen to IS.", "fighters of IS #iraq",
  "firing mortars against IS,"). A word after it ("to IS 456", "12 points from #IS go to…",
  "Shoutout to the IS guys") is no frame: the name then starts a phrase of its own;
* right before one of the ``after`` words, the next word or joined by a hyphen ("IS
  fighters", "#IS claims", "IS-held"), unless a subject stands right before the name ("This
  IS attack on…", "It IS terrorists who…": the verb) or a Roman Urdu postposition right after
  the frame word ("IS attack ke baad": after this attack; "IS leader ne kaha").

The frame makes the name a candidate, not a cue (as the hashtag ``#IS`` does): it counts with a
cue for the group, as a name in running text does ("IS fighters … Palmyra"; the frame word may
be that cue, "IS militants"), and cues against still decide (Iceland's "IS fighters" in
Reykjavik). Frames alone were measured against everyday posts written to break them
(``hard_negatives/is-frames.jsonl``): sport, offices and games name an "IS" in every frame.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from nigehban.model.spans import Span

SUBJECTS = frozenset(
    [
        "i",
        "you",
        "he",
        "she",
        "it",
        "we",
        "they",
        "this",
        "that",
        "these",
        "those",
        "there",
        "here",
        "what",
        "who",
        "which",
        "where",
        "is",
        "was",
        "problem",
        "point",
        "issue",
        "answer",
        "enemy",
        "threat",
        "truth",
        "fact",
        "reality",
        "question",
    ]
)
"""Words that, right before the name, make it the English verb: "This IS attack on us", "The
problem IS militants, not the people"."""

POSTPOSITIONS = frozenset(
    [
        "ka",
        "ki",
        "ke",
        "kay",
        "kee",
        "ko",
        "ne",
        "se",
        "mein",
        "main",
        "men",
        "par",
        "pe",
        "per",
        "tak",
        "wala",
        "wale",
        "wali",
        "walay",
        "walon",
        "hi",
        "bhi",
        "aur",
    ]
)
"""Roman Urdu words that, right after the frame word, make the name Roman Urdu "is" (this):
"IS attack ke baad" (after this attack), "IS commander ne kaha"."""

_WORD = re.compile(r"[^\W\d_]+")
_WORD_BEFORE = re.compile(r"([^\W\d_]+)[^\S\n]+$")
_WORDS_AFTER = re.compile(r"(?:[^\S\n]+|-)#?([^\W\d_]+)(?:[^\S\n]+([^\W\d_]+))?")


def occurrences(text: str, name: str) -> Iterator[Span]:
    """Where ``name`` stands in ``text`` exactly as written, as a whole word (after a ``#``
    too: ``#IS``), not inside a longer word, a mention or another case ("is", "ISIS", "@IS")."""
    for found in re.finditer(rf"(?<![\w@#])#?{re.escape(name)}(?!\w)", text):
        yield Span(found.end() - len(name), found.end())


def in_frame(text: str, span: Span, before: tuple[str, ...], after: tuple[str, ...]) -> bool:
    """Whether the name at ``span`` of ``text`` stands in one of its frames (module docstring);
    ``before`` and ``after`` in lower case."""
    head = text[: span.start]
    if head.endswith("#"):
        head = head[:-1]
    found = _WORD_BEFORE.search(head[-40:])
    previous = found.group(1).lower() if found else None
    tail = text[span.end :]
    if previous in before and _ends_clause(tail):
        return True
    if not after or previous in SUBJECTS:
        return False
    words = _WORDS_AFTER.match(tail)
    if words is None or words.group(1).lower() not in after:
        return False
    return (words.group(2) or "").lower() not in POSTPOSITIONS


def _ends_clause(tail: str) -> bool:
    """Whether nothing but punctuation, a symbol, a link or a mention comes next: not a word or
    a number, nor the name's possessive or a hyphen joining it to a word ("IS's", "IS-held")."""
    rest = tail.lstrip()
    if not rest:
        return True
    first = rest[0]
    if first.isalnum():
        return False
    return not (tail[0] in "'’-" and _WORD.match(tail[1:2]) is not None)
