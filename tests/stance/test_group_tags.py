"""A hashtag that names a group never lowers a post's violating score: the classifier also
scores the post without such hashtags and keeps the higher score (``Classifier.untagged``)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.settings import Settings
from nigehban.stance.classifier import UNTAGGED_REASON, Classifier
from nigehban.stance.perturb import group_hashtag

ROOT = Path(__file__).resolve().parents[2]


@cache
def classifier() -> Classifier:
    return Classifier.from_settings(Settings(stance_semantic=False))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Lions of Islam struck again #TTP", "Lions of Islam struck again"),
        ("مجاہدین نے حملہ کیا #ٹی_ٹی_پی", "مجاہدین نے حملہ کیا"),
        ("مجاهدینو برید وکړ #ټي_ټي_پي", "مجاهدینو برید وکړ"),
        ("#MajeedBrigade zindabad", "zindabad"),
        ("Freedom fighters #BLA #Balochistan", "Freedom fighters #Balochistan"),
        ("#TTP_Pakistan claims the attack\n#Breaking", "claims the attack\n#Breaking"),
        ("#Hakkal #UmarMedia new video", "new video"),
        # zero-width characters and diacritics inside, punctuation after
        ("praise be #T\u200bTP", "praise be"),
        ("حملہ #ٹی\u200c_ٹی_پی۔", "حملہ۔"),
        ("they struck (#TTP), and more", "they struck (), and more"),
    ],
)
def test_hashtags_naming_a_group_are_taken_out(text: str, expected: str) -> None:
    assert classifier().untagged(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Attack in Bannu #Pakistan #news",  # hashtags, none naming a group
        "The TTP claimed the attack",  # a group named, not in a hashtag
        "#TTP #BLA",  # nothing left to read
        "",
    ],
)
def test_texts_without_such_hashtags_have_no_second_reading(text: str) -> None:
    assert classifier().untagged(text) is None


_ODD = st.lists(
    st.sampled_from([*"#_ TtPpBLA,.()\n", "\u200b", "\u064e", "ٹی", "🔥"]), max_size=30
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_ODD)
def test_any_text_gives_a_shorter_text_or_none(text: str) -> None:
    rest = classifier().untagged(text)
    assert rest is None or (len(rest) < len(text) and any(ch.isalnum() for ch in rest))


def test_the_hashtag_spans_are_in_the_original_text() -> None:
    text = "Praise (#TTP), and #news #ٹی\u200c_ٹی_پی۔"
    matcher = classifier()._matcher
    assert matcher is not None
    spans = matcher.group_hashtags(text)
    assert [text[s.start : s.end] for s in spans] == ["#TTP", "#ٹی\u200c_ٹی_پی"]


def _corpus_texts() -> list[str]:
    rows = (ROOT / "corpus" / "stance" / "train" / "en.jsonl").read_text(encoding="utf-8")
    texts = [json.loads(line)["text"] for line in rows.splitlines()[:400]]
    return [t.strip() for t in texts if "#" not in t and t.strip()]


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(_corpus_texts()))
def test_a_group_hashtag_never_lowers_the_score(text: str) -> None:
    plain, tagged = classifier().classify([text, group_hashtag(text)], ["en", "en"])
    assert plain.probability is not None and tagged.probability is not None
    assert tagged.probability >= plain.probability - 1e-12


def test_the_reason_says_when_the_untagged_reading_decided() -> None:
    # a threat in a supporter's words, in Urdu, where the shipped model still reads a group's
    # tag as leaning protected (in English it no longer does): tagged with the group, it is
    # scored as written untagged
    text = "مجاہدین کے شیر آج رات تمہارے پاس آئیں گے جج صاحب۔ تمہاری عدالت جلے گی۔"
    plain, tagged = classifier().classify([text, f"{text} #ٹی_ٹی_پی"], ["ur", "ur"])
    assert tagged.probability == plain.probability and tagged.category == plain.category
    assert UNTAGGED_REASON in tagged.reason and UNTAGGED_REASON not in plain.reason
    assert tagged.groups and not plain.groups  # the groups are the post's as written
