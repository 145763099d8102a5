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
from nigehban.stance.quotes import split

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


_QUOTING = st.text(alphabet=st.sampled_from([*"ab tp lj ", *"\"“”«»'", *"تحریک"]), max_size=60)


@settings(max_examples=500, deadline=None)
@given(_QUOTING)
@example('They call the bombers "lions of the faith". Murderers.')
@example("no quotation here")
def test_the_quote_view_reads_a_quoting_text_as_its_frame_and_its_quotations(text: str) -> None:
    plain, view = FeatureConfig(), FeatureConfig(quote_view=True)
    ids = Featuriser(view).ids(text)
    assert ids == sorted(set(ids)) and all(0 <= i < view.id_space for i in ids)
    framed, quoted = split(text)
    if framed == text:  # a text that quotes nothing reads as it always did
        assert ids == Featuriser(plain).ids(text)
        return
    offset = 1 << view.bits
    assert [i for i in ids if i < offset] == buckets(prepare(framed, view), view)
    inner = buckets(prepare(" ".join(quoted), view), view)
    assert [i - offset for i in ids if i >= offset] == inner


def test_a_quoted_word_is_not_the_writer_s_word() -> None:
    config = FeatureConfig(quote_view=True)
    lions = zlib.crc32(b"w:lions") & ((1 << config.bits) - 1)
    featuriser = Featuriser(config)
    assert lions in featuriser.ids("the lions of the faith")
    quoting = featuriser.ids('They call the bombers "lions of the faith". Murderers.')
    assert lions not in quoting and lions + (1 << config.bits) in quoting
    assert config.id_space == 2 << config.bits


@settings(max_examples=300, deadline=None)
@given(st.lists(_QUOTING, max_size=5), st.booleans())
def test_ids_from_prepared_texts_equal_ids_from_the_texts(texts: list[str], view: bool) -> None:
    """The classifier hands over texts it has already normalised: the ids must not change."""
    featuriser = Featuriser(FeatureConfig(quote_view=view))
    prepared = [prepare(t, featuriser.config) for t in texts]
    flat, starts = featuriser.batch(texts)
    again, again_starts = featuriser.batch(texts, prepared)
    assert flat.tolist() == again.tolist() and starts.tolist() == again_starts.tolist()


def test_the_quote_view_is_saved_only_when_on() -> None:
    """A model trained without it keeps the model.json it always had."""
    assert "quote_view" not in FeatureConfig().to_dict()
    assert FeatureConfig.from_dict({**FeatureConfig().to_dict()}) == FeatureConfig()
    on = FeatureConfig(quote_view=True)
    assert on.to_dict()["quote_view"] is True
    assert FeatureConfig.from_dict({**on.to_dict()}) == on
