"""Group tags added to training posts: evenly across labels, in the post's script, only on
events about a group, deterministic."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.errors import InputError
from nigehban.stance.augment import SHARE, TAGS, augment, event_group, read_event_groups, tagged
from nigehban.stance.corpus import LANGUAGES, Post, load_corpus

ROOT = Path(__file__).resolve().parents[2] / "corpus" / "stance"
_ARABIC = re.compile(r"[\u0600-\u06ff]")
_PASHTO = re.compile(r"[ټډړښږځڅګڼېۍ]")


def _post(i: int, lang: str = "en", label: str = "violating", event: str = "E1") -> Post:
    category = "glorification" if label == "violating" else "news"
    return Post(f"{lang}-{i}", lang, f"post number {i}", label, category, None, 0, event, "s", None)


@pytest.mark.parametrize(
    ("event", "description", "group"),
    [
        ("E04", "BLA Majeed Brigade suicide bombing at Karachi University", "bla"),
        ("N05", "Suicide bombing at the Sehwan shrine, claimed by the Islamic State", "iskp"),
        ("N03", "Jamaat-ul-Ahrar suicide bombing of families on Easter Sunday", "jua"),
        ("E06", "LeJ bombing of the Hazarganji vegetable market in Quetta", "lej"),
        ("E01", "TTP attack on a police post in Lakki Marwat", "ttp"),
        ("E03", "Suicide bombing in the Peshawar Police Lines mosque", "ttp"),
        ("G01", "Sport: cricket and football commentary (bomber, attack)", None),
    ],
)
def test_event_group(event: str, description: str, group: str | None) -> None:
    assert event_group(event, description) == group


def test_every_shipped_event_is_read() -> None:
    groups = read_event_groups(ROOT / "events.jsonl")
    assert groups["E02"] == "bla" and groups["E05"] == "iskp" and groups["G10"] is None
    assert set(groups.values()) <= {*TAGS, None}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_tag_is_in_the_posts_script(lang: str) -> None:
    for i in range(40):
        post = _post(i, lang)
        text = tagged(post, "ttp")
        assert post.text in text and text != post.text
        tag = text.replace(post.text, "").strip()
        script = {"en": "latin", "ur-Latn": "latin", "ur": "urdu", "ps": "pashto"}[lang]
        assert tag in TAGS["ttp"][script]
        assert bool(_ARABIC.search(tag)) == (script != "latin")
        if script == "urdu":
            assert not _PASHTO.search(tag)


def test_tags_are_independent_of_the_label() -> None:
    """The same ids get the same tags whatever their label: the choice reads the id only."""
    posts = [_post(i, label="violating") for i in range(400)]
    flipped = [_post(i, label="protected") for i in range(400)]
    a = augment(posts, {"E1": "bla"})
    b = augment(flipped, {"E1": "bla"})
    assert a.texts == b.texts
    assert a.by_label == {"violating": a.tagged} and b.by_label == {"protected": b.tagged}
    assert abs(a.tagged / 400 - 1 / SHARE) < 0.06


def test_general_themes_and_unknown_events_are_never_tagged() -> None:
    posts = [_post(i, event="G01") for i in range(50)] + [_post(i, event="X9") for i in range(50)]
    out = augment(posts, {"G01": None})
    assert out.tagged == 0 and out.texts == [p.text for p in posts]


@settings(deadline=None)  # its first example loads the group registry, slow on a busy machine
@given(st.lists(st.integers(0, 10_000), max_size=30), st.sampled_from(LANGUAGES))
def test_augment_is_deterministic(ids: list[int], lang: str) -> None:
    posts = [_post(i, lang) for i in ids]
    assert augment(posts, {"E1": "iskp"}) == augment(posts, {"E1": "iskp"})


def test_the_shipped_corpus_is_tagged_evenly() -> None:
    corpus = load_corpus(ROOT)
    out = augment(corpus.train, read_event_groups(ROOT / "events.jsonl"))
    totals = {"violating": 0, "protected": 0}
    for post in corpus.train:
        totals[post.label] += 1
    shares = {k: out.by_label[k] / totals[k] for k in totals}
    # the events of supplements 8-11 (events-<n>.jsonl) are not in events.jsonl, so their
    # posts are never tagged: about 15% of each label is, evenly
    assert all(0.12 < s < 0.28 for s in shares.values()), shares
    assert abs(shares["violating"] - shares["protected"]) < 0.03, shares


def test_bad_event_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no events file"):
        read_event_groups(tmp_path / "events.jsonl")
    bad = tmp_path / "events.jsonl"
    bad.write_text('{"event": "E1", "description": "x"}\n{"evnt": "E2"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"events.jsonl:2"):
        read_event_groups(bad)


def test_training_tags_only_when_asked(tmp_path: Path) -> None:
    from nigehban.stance import artefact
    from nigehban.stance.training import Options, train_model
    from tests.stance.synthetic import write_corpus

    corpus = write_corpus(tmp_path / "corpus" / "stance")
    plain, tags = tmp_path / "plain", tmp_path / "tags"
    train_model(Options(corpus, None, plain, quick=True, project_only=True))
    train_model(Options(corpus, None, tags, quick=True, project_only=True, group_tags=True))
    plain_meta, tags_meta = artefact.load(plain).meta, artefact.load(tags).meta
    assert "group_tags" not in plain_meta["training"]
    assert "corpus/stance/events.jsonl" not in plain_meta["training"]["sources"]
    tagged = tags_meta["training"]["group_tags"]["tagged"]
    assert tagged["violating"] > 0 and tagged["protected"] > 0
    assert "corpus/stance/events.jsonl" in tags_meta["training"]["sources"]
    assert artefact.checksum(plain) != artefact.checksum(tags)
