"""The sense model for ambiguous names: artefact integrity, reproducible training, decisions."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pytest

from nigehban.errors import InputError
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry
from nigehban.groups.sense import SENSE_PATH, describe, load_sense_model, parse_sense_model
from nigehban.groups.sense_training import SenseConfig, read_corpus, train_sense
from tests.cli_support import run

CORPUS = Path(__file__).resolve().parents[2] / "corpus" / "groups" / "sense"


@cache
def matcher() -> GroupMatcher:
    return GroupMatcher(load_registry())


def test_the_shipped_model_loads_and_decides_ssp_and_hgb() -> None:
    model = load_sense_model()
    assert model.aliases == ("ssp", "hgb")
    assert model.decides("a=ssp") and not model.decides("a=bla")
    shipped = matcher().sense
    assert shipped is not None and shipped.digest == model.digest


def test_training_rebuilds_the_shipped_model_byte_for_byte() -> None:
    corpus = read_corpus(CORPUS, GroupMatcher(load_registry(), None))
    assert train_sense(corpus, SenseConfig()).to_json() == SENSE_PATH.read_text(encoding="utf-8")


def test_cli_train_check(tmp_path: Path) -> None:
    code, out_text, err = run("--json", "groups", "train", "--check")
    assert code == 0, err
    assert json.loads(out_text)["identical"] is True
    out = tmp_path / "sense.json"
    assert run("groups", "train", "--output", str(out))[0] == 0
    assert out.read_text(encoding="utf-8") == SENSE_PATH.read_text(encoding="utf-8")
    empty = tmp_path / "empty"
    empty.mkdir()
    code, _, err = run("groups", "train", "--corpus", str(empty), "--output", str(out))
    assert code == 1 and "no *.jsonl sense files" in err and str(empty) in err
    assert out.read_text(encoding="utf-8") == SENSE_PATH.read_text(encoding="utf-8")  # kept


@pytest.mark.parametrize(
    "text",
    [
        "The banned outfit SSP held a rally in Jhang on the anniversary of its founder's death.",
        "Sectarian killings in Jhang in the 1990s were blamed on SSP and LeJ cadres.",
        "Security forces killed three HGB militants in Datta Khel, North Waziristan.",
    ],
)
def test_group_sense_counts(text: str) -> None:
    hits = [h for h in matcher().match(text) if h.entry_id in ("ssp", "hafiz-gul-bahadur-group")]
    assert hits and hits[0].resolved and hits[0].sense is not None and hits[0].sense >= 0.5


@pytest.mark.parametrize(
    ("text", "group"),
    [
        ("کالعدم SSP کے سابق کارکنوں کے خلاف مقدمات درج۔", "ssp"),
        ("Kalaadam SSP ke karkunon ne Jhang mein jalsa kiya.", "ssp"),
        ("Police said the rally was organised by workers of the banned SSP.", "ssp"),
        ("کالعدم HGB کے دہشت گردوں نے چیک پوسٹ پر حملہ کیا۔", "hafiz-gul-bahadur-group"),
        ("Workers of the banned outfit SSP were detained in Jhang.", "ssp"),
        ("کالعدم تنظیم SSP کے دو کارکن گرفتار۔", "ssp"),
    ],
)
def test_a_proscribing_word_right_before_the_name_settles_it(text: str, group: str) -> None:
    """The sense model reads "کالعدم" among many words and was measured to miss these; the
    word right before the name settles them (no police rank or blood test is "banned")."""
    hits = [h for h in matcher().match(text) if h.entry_id == group]
    assert hits and hits[0].resolved and any("proscribed" in cue for cue in hits[0].cues)


def test_a_proscribing_word_further_off_does_not_settle_it() -> None:
    hits = matcher().match(
        "He was banned from the SSP office after the row.", include_unresolved=True
    )
    assert hits and not any("proscribed" in cue for hit in hits for cue in hit.cues)


@pytest.mark.parametrize(
    "text",
    [
        "SSP Operations Karachi held a press conference on Muharram security arrangements.",
        "The SSP visited the blast site in Quetta and met the injured policemen.",
        "Ammi ka HGB 9.8 aya hai, doctor ne iron ki goliyan di hain.",
        "CBC report: HGB 11.2 g/dl, platelets normal.",
    ],
)
def test_everyday_sense_does_not_count(text: str) -> None:
    assert [h for h in matcher().match(text) if h.ambiguous] == []
    unresolved = matcher().match(text, include_unresolved=True)
    assert unresolved and all(h.sense is not None and h.sense < 0.9 for h in unresolved)


@pytest.mark.parametrize(
    "text",
    [
        "S.S.P's office said the road to the shrine is closed.",
        "SSPs of three districts met the IG on Muharram security.",
    ],
)
def test_the_model_decides_the_plural_and_possessive_as_the_name(text: str) -> None:
    """ "SSPs" and "S.S.P's" are read as the name: the model decides them (a probability), and
    a police rank does not count, letter by letter or not."""
    hits = matcher().match(text, include_unresolved=True)
    assert [(h.entry_id, h.resolved) for h in hits] == [("ssp", False)]
    assert hits[0].sense is not None


def test_the_model_is_conservative_but_ranks_the_senses() -> None:
    """Where the everyday sense dominates, a clear group context can still fall just short of
    the threshold (a known limit, docs/groups.md); it always scores above everyday uses."""
    group = matcher().match(
        "HGB commanders in North Waziristan rejected the ceasefire, ISPR said.",
        include_unresolved=True,
    )
    everyday = matcher().match(
        "CBC report: HGB 11.2 g/dl, platelets normal.", include_unresolved=True
    )
    assert group[0].sense is not None and everyday[0].sense is not None
    assert group[0].sense > 0.5 > everyday[0].sense


def test_reasons_are_words_for_reviewers() -> None:
    hits = matcher().match("The SSP visited the blast site in Quetta.", include_unresolved=True)
    assert hits and hits[0].cues
    assert all(cue[0] in "+-" and "=" not in cue for cue in hits[0].cues)
    assert describe("a=ssp|w=jhang") == "jhang" and describe("co") == "another group named"


def test_a_changed_artefact_is_refused(tmp_path: Path) -> None:
    body = json.loads(SENSE_PATH.read_text(encoding="utf-8"))
    body["threshold"] = -10.0
    with pytest.raises(InputError, match="checksum"):
        parse_sense_model(json.dumps(body), "sense.json")
    body = json.loads(SENSE_PATH.read_text(encoding="utf-8"))
    body["version"] = "0"
    with pytest.raises(InputError, match="version"):
        parse_sense_model(json.dumps(body), "sense.json")
    with pytest.raises(InputError, match="not JSON"):
        parse_sense_model("{", "sense.json")
    with pytest.raises(InputError, match="cannot read"):
        load_sense_model(tmp_path / "missing.json")


def test_bad_corpus_lines_are_reported_with_their_place(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "x1", "alias": "SSP", "group": "ssp", "lang": "en", "text": "SSP", '
        '"sense": "maybe"}\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError, match=r"bad\.jsonl:1") as error:
        read_corpus(tmp_path, GroupMatcher(load_registry(), None))
    assert "'maybe'" in str(error.value)
    (tmp_path / "bad.jsonl").write_text("not json\n", encoding="utf-8")
    with pytest.raises(InputError, match="not JSON"):
        read_corpus(tmp_path, GroupMatcher(load_registry(), None))
    with pytest.raises(InputError, match=r"no \*\.jsonl"):
        read_corpus(tmp_path / "empty", GroupMatcher(load_registry(), None))
