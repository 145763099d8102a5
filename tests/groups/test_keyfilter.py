"""The matcher's key filter: a necessary condition for any name to match, in C and in Python."""

from __future__ import annotations

from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.groups.keyfilter import IMPLEMENTATION, PythonKeyFilter, guarded, key_filter
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry
from nigehban.text.normaliser import Level, normalise_text
from tests.groups.committed import committed_texts

c_module = pytest.mark.skipif(IMPLEMENTATION != "c", reason="the C module is not built here")


@cache
def matcher() -> GroupMatcher:
    return GroupMatcher(load_registry())


def _automaton_finds(normalised: str) -> bool:
    """What the filter stands in front of: whether the matcher's automaton finds any key."""
    return next(iter(matcher()._automaton.iter(f" {normalised} ")), None) is not None


def test_guard_is_the_word_fewest_keys_share() -> None:
    keys = ["tehrik taliban pakistan", "tehrik labbaik pakistan", "jaish pakistan", "ttp"]
    assert guarded(keys) == [
        ("jaish", ("pakistan",)),
        ("labbaik", ("pakistan", "tehrik")),
        ("taliban", ("pakistan", "tehrik")),
        ("ttp", ()),
    ]


def test_a_key_matches_only_with_all_its_words() -> None:
    f = key_filter(["tehrik taliban pakistan", "ttp"])
    assert f.any_in("the tehrik e taliban pakistan said")
    assert f.any_in("pakistan and tehrik and taliban")  # order is the automaton's business
    assert f.any_in("ttp")
    assert not f.any_in("tehrik taliban")
    assert not f.any_in("taliban pakistan tehrikk")
    assert not f.any_in("")
    assert not f.any_in("ttps")


@c_module
def test_bad_keys_are_refused_with_the_key_named() -> None:
    from nigehban.groups._keyfilter import KeyFilter

    with pytest.raises(TypeError, match="key 1"):
        KeyFilter([("a", ()), ("b", "c")])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="key 0: word 1"):
        KeyFilter([("a", ("b", 3))])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="key 2: the keys of one guard must be adjacent"):
        KeyFilter([("a", ()), ("b", ()), ("a", ("c",))])
    with pytest.raises(TypeError, match="takes a str"):
        KeyFilter([("a", ())]).any_in(b"a")  # type: ignore[arg-type]


_WORD = st.text(alphabet="abtپیٹ", min_size=1, max_size=3)
_KEYS = st.lists(st.lists(_WORD, min_size=1, max_size=3).map(" ".join), max_size=12)


@c_module
@settings(max_examples=600, deadline=None)
@given(_KEYS, st.lists(_WORD, max_size=14).map(" ".join) | st.text(alphabet="ab پ", max_size=20))
def test_the_c_module_equals_the_python_implementation(keys: list[str], text: str) -> None:
    guards = guarded(keys)
    assert key_filter(keys).any_in(text) == PythonKeyFilter(guards).any_in(text)


@settings(max_examples=600, deadline=None)
@given(_KEYS, st.lists(_WORD, max_size=14), st.data())
def test_a_text_holding_a_key_passes(
    keys: list[str], words: list[str], data: st.DataObject
) -> None:
    if not keys:
        return
    key = data.draw(st.sampled_from(keys))
    at = data.draw(st.integers(0, len(words)))
    text = " ".join([*words[:at], key, *words[at:]])
    assert key_filter(keys).any_in(text)
    assert PythonKeyFilter(guarded(keys)).any_in(text)


@cache
def _searched_keys() -> list[str]:
    # an Aho-Corasick automaton, not a dict: keys() is how it lists them
    return [key.strip(" ") for key in matcher()._automaton.keys()]  # noqa: SIM118


@settings(max_examples=300, deadline=None)
@given(st.data())
def test_every_name_the_automaton_holds_passes_the_filter(data: st.DataObject) -> None:
    """Every key of the shipped matcher (proclitic and inflected forms included), among other
    words: the filter lets it through, and the matcher still finds it."""
    key = data.draw(st.sampled_from(_searched_keys()))
    before = data.draw(st.sampled_from(["", "officials said", "رپورٹ کے مطابق", "و"]))
    text = f"{before} {key} was named".strip()
    assert matcher()._filter.any_in(text)
    assert matcher().candidates(text)


def test_every_shipped_key_passes_the_filter_alone() -> None:
    keys = _searched_keys()
    assert len(keys) > 5_000
    assert [k for k in keys if not matcher()._filter.any_in(k)] == []


def test_the_filter_changes_nothing_the_matcher_finds_on_committed_texts() -> None:
    """Every mention, hard negative and corpus text: wherever the automaton finds a key, the
    filter has let the text through (so candidates are unchanged)."""
    texts = committed_texts()
    assert len(texts) > 10_000
    missed = []
    passed = 0
    for text in texts:
        normalised = normalise_text(text, Level.AGGRESSIVE)
        through = matcher()._filter.any_in(normalised)
        passed += through
        if _automaton_finds(normalised) and not through:
            missed.append(text[:80])
    assert missed == []
    assert passed < len(texts)  # it does filter
