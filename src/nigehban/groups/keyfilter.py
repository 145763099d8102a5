"""Whether a normalised text could hold any of the matcher's names, before the automaton runs.

The matcher's keys are whole words: a name of several words matches only where the text (its
words separated by single spaces) holds each of those words as a whole word. So a text that
lacks one word of every key holds no name, and the automaton's scan, most of the matcher's time
on a post that names nothing, can be skipped. The filter checks exactly that necessary
condition, ignoring order: each key is filed under one *guard* word (the word that the fewest
other keys share, so that common words such as "pakistan" or "of" seldom lead to a check), and
a text passes if, for some guard word it holds, every other word of one of that guard's keys is
in it too.

It only says whether the scan is worth running; the automaton decides what matches. The optional
C module ``nigehban.groups._keyfilter`` (built by ``pip install``) does the same over 64-bit
hashes of the words, where a collision can only let a text through; :class:`PythonKeyFilter`
runs where it is not built. A property test holds the two to each other and to the automaton.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Protocol


class KeyFilter(Protocol):
    def any_in(self, text: str) -> bool:
        """Whether ``text``, words separated by spaces, holds every word of some key."""
        ...


def guarded(keys: Iterable[str]) -> list[tuple[str, tuple[str, ...]]]:
    """Each key (words separated by single spaces) as its guard word and its other words,
    sorted by guard, then by the other words."""
    split = sorted({tuple(dict.fromkeys(w for w in key.split(" ") if w)) for key in keys})
    split = [words for words in split if words]
    shared = Counter(w for words in split for w in set(words))
    out = set()
    for words in split:
        guard = min(words, key=lambda w: (shared[w], -len(w), w))
        out.add((guard, tuple(sorted(w for w in words if w != guard))))
    return sorted(out)


class PythonKeyFilter:
    """The filter in Python: what the C module must equal."""

    def __init__(self, keys: list[tuple[str, tuple[str, ...]]]) -> None:
        by_guard: dict[str, list[frozenset[str]]] = {}
        for guard, others in keys:
            by_guard.setdefault(guard, []).append(frozenset(others))
        self._by_guard = by_guard

    def any_in(self, text: str) -> bool:
        words = set(text.split(" "))
        get = self._by_guard.get
        return any(rest <= words for w in words for rest in get(w, ()))


def _c_filter() -> type | None:
    try:
        from nigehban.groups._keyfilter import KeyFilter as CKeyFilter
    except ImportError:
        return None
    return CKeyFilter


_C_FILTER = _c_filter()
IMPLEMENTATION = "c" if _C_FILTER is not None else "python"
"""Which implementation :func:`key_filter` builds: ``c`` (the optional module, built by
``pip install``) or ``python``."""


def key_filter(keys: Iterable[str]) -> KeyFilter:
    """The filter for ``keys`` (normalised names, words separated by single spaces)."""
    guards = guarded(keys)
    if _C_FILTER is not None:
        built: KeyFilter = _C_FILTER(guards)
        return built
    return PythonKeyFilter(guards)
