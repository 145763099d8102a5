"""Contract of the shipped corpus files beside what the loader checks: the supplements written
about events of their own keep to them, the probe sets were never trained on, and the fresh
held-out set is the committed one, about events of its own."""

from __future__ import annotations

from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from nigehban.stance.corpus import (
    LANGUAGES,
    Corpus,
    Post,
    SplitManifest,
    load_corpus,
    read_objects,
    read_posts,
    sha256,
)
from nigehban.stance.evaluation import read_labelled
from nigehban.stance.metrics import PROTECTED_CATEGORIES, VIOLATING_CATEGORIES

STANCE = Path(__file__).resolve().parents[2] / "corpus" / "stance"
EVENT_LISTS = sorted(STANCE.glob("events-*.jsonl")) + sorted(STANCE.glob("staged/events-*.jsonl"))
"""Supplements about events of their own: trained on (the list beside ``train/``) or staged
(list and posts in ``staged/``, not read by the loader)."""
PROBES = sorted((STANCE / "probes").glob("*.jsonl"))


@cache
def _corpus() -> Corpus:
    return load_corpus(STANCE)


def _train_texts() -> set[str]:
    corpus = _corpus()
    return {post.text.strip().casefold() for post in (*corpus.train, *corpus.test)}


def test_there_are_supplement_event_lists_and_probe_sets() -> None:
    assert EVENT_LISTS and PROBES


@pytest.mark.parametrize("path", EVENT_LISTS, ids=lambda p: p.name)
def test_a_supplements_events_are_its_own_and_cover_it(path: Path) -> None:
    """A supplement written about events of its own (``events-<n>.jsonl`` beside
    ``train/<lang>-supplement-<n>.jsonl``, or both in ``staged/``) lists at least eight of them:
    none is an event of the corpus's first list, the blind set, the fresh set or another such
    supplement (so none is a test event); its posts are about them and only them, and each of
    its hard pairs holds one post of each label."""
    number = path.stem.removeprefix("events-")
    posts_dir = STANCE / "train" if path.parent == STANCE else path.parent
    listed = [row["event"] for _, row in read_objects(path)]
    assert len(set(listed)) == len(listed) >= 8
    others = [p for p in EVENT_LISTS if p != path]
    known = {
        row["event"]
        for file in (
            *(
                STANCE / name
                for name in ("events.jsonl", "blind-events.jsonl", "fresh-events.jsonl")
            ),
            *others,
        )
        for _, row in read_objects(file)
    }
    assert not set(listed) & known
    assert not set(listed) & SplitManifest.load(STANCE / "split.json").test_events
    posts = [
        post
        for lang in LANGUAGES
        for post in read_posts(posts_dir / f"{lang}-supplement-{number}.jsonl")
    ]
    assert {post.event for post in posts} == set(listed)
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


FRESH = STANCE / "fresh"


def _events(name: str) -> set[str]:
    return {row["event"] for _, row in read_objects(STANCE / name)}


def test_fresh_set_is_the_committed_one() -> None:
    """The fresh held-out set is judged by its committed bytes: any edit shows here."""
    recorded = {}
    for line in (FRESH / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split()
        recorded[name] = digest
    assert sorted(recorded) == sorted(p.name for p in FRESH.glob("*.jsonl"))
    assert {name: sha256(FRESH / name) for name in recorded} == recorded


@pytest.mark.parametrize("lang", LANGUAGES)
def test_fresh_set_is_apart_from_everything_trained_or_tested(lang: str) -> None:
    fresh_events = _events("fresh-events.jsonl")
    assert not fresh_events & (_events("events.jsonl") | _events("blind-events.jsonl"))
    corpus = _corpus()
    taken = {post.id for post in (*corpus.train, *corpus.test)}
    posts = read_posts(FRESH / f"{lang}.jsonl")
    assert all(post.lang == lang and post.event in fresh_events for post in posts)
    assert not [post.id for post in posts if post.id in taken]
    trained = _train_texts()
    assert not [post.id for post in posts if post.text.strip().casefold() in trained]
    pairs: dict[str, list[Post]] = {}
    for post in posts:
        if post.pair:
            pairs.setdefault(post.pair, []).append(post)
    for members in pairs.values():
        assert len(members) == 2
        assert {m.label for m in members} == {"violating", "protected"}
        assert members[0].event == members[1].event
    counts = Counter(post.category for post in posts)
    assert min(counts["news"], counts["counter_speech"], counts["dissent"]) >= 100
    assert sum(1 for post in posts if post.violating) >= 100
