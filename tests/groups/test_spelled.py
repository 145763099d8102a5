"""Latin acronyms written out in Urdu script: which acronyms are spelled, how, and that the
matcher then finds the Urdu and Pashto spellings without new false hits."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.model import Alias, AliasType
from nigehban.groups.registry import Registry, load_registry
from nigehban.groups.spelled import (
    SOURCE,
    acronym_letters,
    spelled_aliases,
    urdu_spelling,
)
from nigehban.text.transliterate import LETTER_NAMES
from tests.groups.registry_files import MINIMAL, write_registry


@pytest.mark.parametrize(
    ("text", "letters"),
    [
        ("ISWAP", "ISWAP"),
        ("IS-K", "ISK"),  # ends in K: spelled, counted before a postposition only
        ("TTP-JuA", "TTPJUA"),
        ("L.T.T.E", "LTTE"),
        ("HuJI", "HUJI"),
        ("IRGC", "IRGC"),
        ("PKK", "PKK"),
        ("JI", None),  # two letters
        ("RSRSBCM", None),  # seven letters
        ("JSQM-Arisar", None),  # a word
        ("MSO Gilgit", None),  # a name with a space
        ("Daesh", None),  # a word, not an acronym
        ("داعش", None),
        ("", None),
    ],
)
def test_acronym_letters(text: str, letters: str | None) -> None:
    assert acronym_letters(text) == letters


def test_urdu_spelling_names_each_letter() -> None:
    assert urdu_spelling("LTTE") == "ایل ٹی ٹی ای"
    assert urdu_spelling("IRGC") == "آئی آر جی سی"
    assert urdu_spelling("ISWAP") == "آئی ایس ڈبلیو اے پی"


@given(st.text(alphabet="ABCDEFGHIJLMNOPQRSTUVWXYZ", min_size=1, max_size=6))
def test_every_letter_has_a_name(letters: str) -> None:
    assert len(urdu_spelling(letters).split(" ")) == len(letters)


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("پی کے کے نے جنگ بندی کا اعلان کیا", True),  # the ergative: a name, not a genitive
        ("کرد مسئلہ صرف پی کے کے کا نہیں", True),
        ("پی کے کے کے قید رہنما نے پیغام دیا", True),  # the PKK's
        ("حلقہ پی کے کے امیدوار نے ووٹ مانگے", False),  # PK's candidate
        ("فلم پی کے کے بعد عامر خان کی اگلی فلم", False),  # after (the film) PK
        ("کے پی کے کی حکومت نے بجٹ پیش کیا", False),  # KPK's government
    ],
)
def test_an_acronym_ending_in_k_counts_spelled_only_before_a_postposition(
    text: str, found: bool
) -> None:
    """ "پی کے کے" is the PKK or "PK's": only the PKK is followed by a postposition."""
    hits = [h for h in GroupMatcher(load_registry()).match(text) if h.entry_id == "pkk"]
    assert bool(hits) is found
    if found:
        assert hits[0].surface == "پی کے کے"  # the postposition is not part of the span


def test_only_unambiguous_matched_abbreviations_are_spelled() -> None:
    aliases = (
        Alias("ISGS", "en", AliasType.ABBREVIATION),
        Alias("BLA", "en", AliasType.ABBREVIATION, ambiguous=True),
        Alias("AQI", "en", AliasType.ABBREVIATION, match=False),
        Alias("ISWAP", "en", AliasType.NAME),
    )
    spelled = spelled_aliases(aliases)
    assert [(a.text, a.lang, a.type, a.source) for a in spelled] == [
        ("آئی ایس جی ایس", "ur", AliasType.ABBREVIATION, SOURCE)
    ]


def test_shipped_registry_holds_spellings_without_duplicates(registry: Registry) -> None:
    ltte = [a for a in registry.group("ltte").aliases if a.source == SOURCE]
    assert [a.text for a in ltte] == ["ایل ٹی ٹی ای"]
    # written by the curators already: not added again
    pflp = [a.text for a in registry.group("pflp").aliases]
    assert pflp.count("پی ایف ایل پی") == 1
    assert not [a for a in registry.group("pflp").aliases if a.source == SOURCE]
    irgc = [a for a in registry.group("irgc").aliases if a.source == SOURCE]
    assert [a.text for a in irgc] == ["آئی آر جی سی"]
    # ambiguous acronyms keep only what the curators wrote
    assert not [a for a in registry.group("ssp").aliases if a.source == SOURCE]
    assert not [a for a in registry.group("bla").aliases if a.source == SOURCE]


def test_a_spelling_another_group_owns_is_not_added(tmp_path: Path) -> None:
    text = (
        MINIMAL
        + "    aliases:\n      - text: ABC\n        lang: en\n        type: abbreviation\n"
        + "  - id: beta\n    name: Beta Front\n    kind: armed_group\n    summary: Another.\n"
        + "    aliases:\n      - text: اے بی سی\n        lang: ur\n        type: name\n"
    )
    loaded = load_registry(write_registry(tmp_path / "reg", text))
    assert [a.text for a in loaded.group("alpha").aliases] == ["ABC"]


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("نائیجیریا میں آئی ایس ڈبلیو اے پی کے حملے میں دس فوجی ہلاک", "iswap"),
        ("آئی آر جی سی نے سرحد کے پار حملے کا دعویٰ کیا", "irgc"),
        ("د آئي آر جي سي ځواکونو بیا برید وکړ", "irgc"),  # Pashto ي for ی
        ("آئی۔آر۔جی۔سی کے کمانڈر ہلاک", "irgc"),  # Urdu full stops between the letters
    ],
)
def test_matcher_finds_urdu_and_pashto_spellings(
    matcher: GroupMatcher, text: str, group: str
) -> None:
    assert group in {h.entry_id for h in matcher.match(text)}


def test_letter_names_cover_the_alphabet() -> None:
    assert sorted(LETTER_NAMES) == [chr(c) for c in range(ord("A"), ord("Z") + 1)]
