"""Contract of the shipped corpus files that training does not read: the staged supplements are
valid corpus posts about train events only, and the probe sets were never trained on."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from nigehban.stance.corpus import Corpus, SplitManifest, load_corpus, read_posts
from nigehban.stance.evaluation import read_labelled
from nigehban.stance.metrics import PROTECTED_CATEGORIES, VIOLATING_CATEGORIES

STANCE = Path(__file__).resolve().parents[2] / "corpus" / "stance"
STAGED = sorted((STANCE / "staged").glob("*.jsonl"))
PROBES = sorted((STANCE / "probes").glob("*.jsonl"))


@cache
def _corpus() -> Corpus:
    return load_corpus(STANCE)


def _train_texts() -> set[str]:
    corpus = _corpus()
    return {post.text.strip().casefold() for post in (*corpus.train, *corpus.test)}


def test_there_are_staged_files_and_probe_sets() -> None:
    assert STAGED and PROBES


@pytest.mark.parametrize("path", STAGED, ids=lambda p: p.name)
def test_staged_supplements_hold_train_events_and_new_ids(path: Path) -> None:
    test_events = SplitManifest.load(STANCE / "split.json").test_events
    corpus = _corpus()
    taken = {post.id for post in (*corpus.train, *corpus.test)}
    posts = read_posts(path)
    assert posts
    for post in posts:
        assert post.event not in test_events, post.id
        assert post.id not in taken, post.id
    pairs: dict[str, set[str]] = {}
    for post in posts:
        if post.pair:
            pairs.setdefault(post.pair, set()).add(post.label)
    assert all(labels == {"violating", "protected"} for labels in pairs.values())


@pytest.mark.parametrize("path", PROBES, ids=lambda p: p.name)
def test_probe_sets_are_labelled_consistently_and_never_trained_on(path: Path) -> None:
    lines = read_labelled(path)
    assert len({line.text for line in lines}) == len(lines)
    for line in lines:
        assert line.lang in {"en", "ur", "ur-Latn", "ps"}
        allowed = VIOLATING_CATEGORIES if line.label == "violating" else PROTECTED_CATEGORIES
        assert line.category in allowed, line.text
    trained = _train_texts()
    assert not [line.text for line in lines if line.text.strip().casefold() in trained]
