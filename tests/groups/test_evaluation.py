"""Precision and recall of the group matcher on the committed labelled sets.

``tests/data/groups``: true mentions in every script (``mentions.jsonl``) and hard negatives,
everyday sentences for each ambiguous alias (``hard_negatives/``). Each line has a ``split``;
the registry's context cues were tuned on ``dev`` and the floors are checked on ``test`` too.
"""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from nigehban.groups.evaluation import (
    AMBIGUOUS,
    NAME_KINDS,
    SEVERAL,
    UNAMBIGUOUS,
    UNLABELLED,
    EvalReport,
    evaluate,
    name_kind,
)
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry
from nigehban.text.normaliser import Level, normalise_text

DATA = Path(__file__).resolve().parent.parent / "data" / "groups"
FALSE_POSITIVE_CEILING = 0.02  # per ambiguous alias, on its hard negatives
# "ISIS" in capitals is presumed the group: the pro-ISIS accounts' tweets write it so 1,510 times
# in 1,531; "isis" in lower case too (Roman Urdu posts and lower-cased feeds: 17 of the third-party
# corpora's hits, bench/group_corpora_hits.py) where a word of the group's world is near
# (``ambiguity.TOPIC_CUES``). Their everyday bearers so written (the neutron source, the band,
# Dylan's song, a friend typed in lower case beside "attack") are flagged where no cue says
# otherwise: 15 of 240 (``isis-latn.jsonl``: 4 of 114 dev, 11 of 126 test; 35 when lower case
# needed no such word, all 240 before "Isis" needed a cue).
# "Jamiat-ul-Ansar" (2 of 45: a school built after the Kashmir earthquake in Muzaffarabad, a
# madrassa's students' tanzeem) and "Millat-e-Islamia" (1 of 49: "sectarian hatred has no place")
# were flagged on the held-out half only; matched without context before, the first and the
# US-listed spelling of the second flagged 50 and 13 of their everyday posts.
# "Al-Akhtar Medical Center" (1 of 34: a kite-string injury stitched there, "ban the metal string",
# pabandi) and "Ansar-ul-Islam Khyber Pakhtunkhwa" (1 of 14: the JUI-F's volunteers "regulated, not
# banned") were flagged on the held-out half only, where they counted without context before.
# "Sipah-e-Sahaba" (1 of 40 Roman Urdu posts of the Sahaba's armies: their martyrs at Mu'tah,
# "shuhada" a general cue) was flagged on the held-out half only; counted without context before,
# all 40 were.
CEILING_EXCEPTIONS = {
    "sipah sahaba": 0.03,
    "isis": 0.07,
    "jamiat ansar": 0.05,
    "millat islamia": 0.03,
    "akhtar medical center": 0.03,
    "ansar islam khyber pakhtunkhwa": 0.08,
}
# Precision measures 0.927 on both sets whole and 0.881 held out, recall 0.877 and 0.837, below
# the 0.98 floors the matcher aims for (bench/results/groups.md). Hard negatives added on
# 2026-12-05 for names the sets had not tested (and, later that day, for names that were
# display-only or matched without context until then) brought precision down from 0.985 and
# 0.971, the older sets' hits unchanged; the BLA's units counted only with cues since then cost
# 23 mentions, and the Haqqanis' nicknames 1 (recall 0.897 and 0.858 before): these guard
# against regressions, they are not the target.
PRECISION_FLOOR = 0.925  # on both sets whole
HELD_OUT_PRECISION_FLOOR = 0.88
RECALL_REGRESSION_FLOOR = 0.83
# The blind set (``blind/mentions.jsonl``, written without sight of the registry's aliases)
# measures precision 0.998 (one post naming "Jundallah" without saying which of the two groups so
# called is read as both) and recall 0.830; again a regression guard, not the target.
BLIND_PRECISION_FLOOR = 0.98
BLIND_RECALL_FLOOR = 0.80
# Mentions by an unambiguous name (any script or spelling trick): held out 0.965, blind 0.905.
UNAMBIGUOUS_RECALL_FLOOR = {"test": 0.95, "blind": 0.90}


@cache
def matcher() -> GroupMatcher:
    return GroupMatcher(load_registry())


@cache
def report(split: str | None) -> EvalReport:
    return evaluate(matcher(), DATA / "mentions.jsonl", DATA / "hard_negatives", split)


def _rows(path: Path) -> list[dict[str, str]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_every_ambiguous_name_has_200_hard_negatives() -> None:
    """Per group, its ambiguous names together (the same name in several scripts or
    spellings) have at least 200 everyday sentences."""
    counts: Counter[str] = Counter()
    for path in sorted((DATA / "hard_negatives").glob("*.jsonl")):
        counts.update(normalise_text(row["alias"], Level.AGGRESSIVE) for row in _rows(path))
    short = {}
    for group in matcher().registry.groups():
        names = {
            normalise_text(a.text, Level.AGGRESSIVE)
            for a in group.aliases
            if a.ambiguous and (a.match or a.hashtag)
        }
        if names and sum(counts[n] for n in names) < 200:
            short[group.id] = sum(counts[n] for n in names)
    assert short == {}


def test_sets_are_well_formed() -> None:
    rows = _rows(DATA / "mentions.jsonl")
    assert len(rows) >= 900
    assert {row["split"] for row in rows} == {"dev", "test"}
    assert {row["lang"] for row in rows} == {"en", "ur-Latn", "ur", "ps", "ar"}
    for row in rows:
        assert row["surface"] in row["text"]
    for path in (DATA / "hard_negatives").glob("*.jsonl"):
        ids = [row["id"] for row in _rows(path)]
        assert len(ids) == len(set(ids))


@pytest.mark.parametrize(
    ("split", "floor"), [(None, PRECISION_FLOOR), ("test", HELD_OUT_PRECISION_FLOOR)]
)
def test_precision_floor(split: str | None, floor: float) -> None:
    result = report(split)
    assert result.precision >= floor, result.false_positives[:5]


def test_false_positive_rate_per_ambiguous_alias() -> None:
    """Per name as the matcher reads it: its spellings in the sets ("Khuddam ul Islam",
    "Khuddam-ul-Islam"; "JEM", "JeM") are one alias to it."""
    tallies: dict[str, list[int]] = {}
    for alias, tally in report(None).fp_by_alias.items():
        counts = tallies.setdefault(normalise_text(alias, Level.AGGRESSIVE), [0, 0])
        counts[0] += tally.hits
        counts[1] += tally.total
    rates = {name: hits / total for name, (hits, total) in tallies.items()}
    assert {
        a: r for a, r in rates.items() if r > CEILING_EXCEPTIONS.get(a, FALSE_POSITIVE_CEILING)
    } == {}


@pytest.mark.parametrize("split", [None, "test"])
def test_recall_does_not_regress(split: str | None) -> None:
    result = report(split)
    assert result.recall >= RECALL_REGRESSION_FLOOR
    for lang, tally in result.recall_by_lang.items():
        assert tally.rate >= 0.70, lang


def test_blind_set_does_not_regress() -> None:
    rows = _rows(DATA / "blind" / "mentions.jsonl")
    assert len(rows) >= 500
    assert {row["lang"] for row in rows} == {"en", "ur-Latn", "ur", "ps", "ar"}
    # the blind set has no hard negatives of its own: precision counts its unexpected hits
    result = evaluate(
        matcher(), DATA / "blind" / "mentions.jsonl", DATA / "blind" / "hard_negatives"
    )
    assert result.precision >= BLIND_PRECISION_FLOOR, result.unexpected_hits[:5]
    assert result.recall >= BLIND_RECALL_FLOOR


def test_possible_mentions_are_counted_on_both_sides() -> None:
    """An ambiguous name hit but left unresolved is reported as a possible mention: among the
    missed mentions, and among the hard negatives, where counting it would flag most of them."""
    result = report("test")
    possible = result.to_dict()["possible"]
    assert 0 < result.possible <= result.expected - result.correct
    assert possible["recall_with_them"] == round(
        (result.correct + result.possible) / result.expected, 4
    )
    assert possible["hard_negative_sentences"] == result.negatives
    # the hard negatives are built around the ambiguous names: nearly all hit one unresolved
    assert result.negatives_possible > result.negatives // 2
    assert result.negatives_possible + result.negative_hits <= result.negatives


def test_name_kind_of_a_mention_line() -> None:
    ambiguous = frozenset({"bla", "ptm"})
    assert name_kind({"surface": "B.L.A"}, {"bla"}, ambiguous) == AMBIGUOUS
    assert name_kind({"surface": "BLA's"}, {"bla"}, ambiguous) == AMBIGUOUS
    assert name_kind({"surface": "Balochistan Liberation Army"}, {"bla"}, ambiguous) == UNAMBIGUOUS
    assert name_kind({"surface": "ٹی ٹی پی"}, {"ttp"}, ambiguous) == UNAMBIGUOUS
    assert name_kind({"surface": "PTM"}, {"ptm", "tlp"}, ambiguous) == SEVERAL
    assert name_kind({}, {"ptm"}, ambiguous) == UNLABELLED  # a user's set without surfaces
    assert name_kind({"surface": " "}, {"ptm"}, ambiguous) == UNLABELLED


@pytest.mark.parametrize("split", ["test", "blind"])
def test_recall_by_the_kind_of_name(split: str) -> None:
    """Every expected pair is tallied under one kind of name; names written without ambiguity
    are found far more often than ambiguous ones, which need context."""
    if split == "blind":
        result = evaluate(
            matcher(), DATA / "blind" / "mentions.jsonl", DATA / "blind" / "hard_negatives"
        )
    else:
        result = report(split)
    kinds = result.recall_by_name
    assert set(kinds) == set(NAME_KINDS) - {UNLABELLED}  # every committed line has a surface
    assert sum(t.total for t in kinds.values()) == result.expected
    assert sum(t.hits for t in kinds.values()) == result.correct
    assert kinds[UNAMBIGUOUS].rate >= UNAMBIGUOUS_RECALL_FLOOR[split]
    assert kinds[AMBIGUOUS].rate < kinds[UNAMBIGUOUS].rate
    assert list(result.to_dict()["recall_by_name"]) == [UNAMBIGUOUS, AMBIGUOUS, SEVERAL]
