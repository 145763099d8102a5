"""The fast tier's bucket ids: the C module equals the Python implementation and the feature
strings they hash, on arbitrary text, every setting and every committed corpus text."""

from __future__ import annotations

import json
import zlib
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from nigehban.stance.features import (
    IMPLEMENTATION,
    FeatureConfig,
    Featuriser,
    buckets,
    feature_strings,
    prepare,
)

c_module = pytest.mark.skipif(IMPLEMENTATION != "c", reason="the C module is not built here")

# whitespace str.split() splits on (among them the C0 separators and U+0085), letters of every
# width of UTF-8, combining marks, emoji beyond the BMP
_SPACES = ["\t", "\n", "\x1c", "\x1f", "\x85", "\u00a0", "\u2003", "\u3000"]
_OTHERS = ["\u0301", "\u200c", "é", "ß", "Ж", "鼎", "🔥", "𝐓", "\U0001f1f5"]
_ALPHABET = st.sampled_from([*"ab tp lj ", *_SPACES, *"تحریکطالبانټډ۲", *_OTHERS])
_TEXTS = st.text(alphabet=_ALPHABET, max_size=80) | st.text(max_size=60)
_CONFIGS = st.builds(
    FeatureConfig,
    bits=st.integers(1, 32),
    char_min=st.integers(1, 4),
    char_max=st.integers(4, 7),
    word_bigrams=st.booleans(),
)


@c_module
@settings(max_examples=1500, deadline=None)
@given(_TEXTS, _CONFIGS)
@example("", FeatureConfig())
@example("   \x1c ", FeatureConfig())
@example("a b a b", FeatureConfig(word_bigrams=True))
def test_the_c_module_equals_the_python_implementation(text: str, config: FeatureConfig) -> None:
    featuriser = Featuriser(config)
    expected = buckets(text, config)  # hashed from the feature strings themselves
    assert featuriser.buckets(text) == expected
    assert featuriser.buckets_python(text) == expected


def test_the_ids_are_the_crc32_of_the_feature_strings() -> None:
    config = FeatureConfig(bits=32, char_min=2, char_max=3)
    strings = feature_strings("ttp ne", config)
    assert "w:ttp" in strings and "c: t" in strings and "c:ne " in strings
    assert "b:ttp ne" in strings
    assert Featuriser(config).buckets("ttp ne") == sorted({zlib.crc32(s.encode()) for s in strings})


@c_module
def test_a_lone_surrogate_is_left_to_python() -> None:
    from nigehban.stance import _fastfeat

    assert _fastfeat.buckets("ab\ud800", 20, 2, 5, True) is None
    with pytest.raises(UnicodeEncodeError):
        Featuriser(FeatureConfig()).buckets("ab\ud800")


@c_module
def test_settings_the_c_module_cannot_hold_are_left_to_python() -> None:
    from nigehban.stance import _fastfeat

    assert _fastfeat.buckets("ab", 33, 2, 5, True) is None
    assert _fastfeat.buckets("ab", 20, 0, 5, True) is None
    assert _fastfeat.buckets("ab", 20, 3, 2, True) is None
    for config in (FeatureConfig(bits=40), FeatureConfig(char_min=0)):  # Python decides
        assert Featuriser(config).buckets("ab cd") == buckets("ab cd", config)


@c_module
def test_every_committed_corpus_text() -> None:
    config = FeatureConfig()
    featuriser = Featuriser(config)
    root = Path(__file__).resolve().parents[2] / "corpus"
    texts = [
        json.loads(line)["text"]
        for path in sorted(root.rglob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip() and "text" in json.loads(line)
    ]
    assert len(texts) > 20_000
    for text in texts:
        prepared = prepare(text, config)
        assert featuriser.buckets(prepared) == featuriser.buckets_python(prepared), text[:60]
