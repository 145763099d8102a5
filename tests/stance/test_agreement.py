"""Independent readers against the corpus labels: kappa and macro-F1 by hand, bad reading
files refused at their line, the committed readings cover the test split exactly, and their
figures stay those of the golden file (a changed corpus label changes them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nigehban.errors import InputError
from nigehban.stance import agreement
from nigehban.stance.corpus import corpus_files, load_corpus, read_posts
from tests.cli_support import run

ROOT = Path(__file__).resolve().parents[2]
STANCE = ROOT / "corpus" / "stance"
GOLDEN = ROOT / "tests" / "data" / "golden" / "agreement-test-split.json"


def test_cohen_kappa_by_hand() -> None:
    # observed 3/4; chance 0.5·0.25 + 0.5·0.75 = 0.5; kappa (0.75 − 0.5) / 0.5
    assert agreement.cohen_kappa([True, True, False, False], [True, False, False, False]) == 0.5
    assert agreement.cohen_kappa([True, False], [True, False]) == 1.0
    assert agreement.cohen_kappa([True, False], [False, True]) == -1.0
    assert agreement.cohen_kappa([True, True], [True, True]) is None
    assert agreement.cohen_kappa([], []) is None
    with pytest.raises(ValueError, match="2 labels against 1"):
        agreement.cohen_kappa([True, False], [True])


def test_macro_f1_by_hand() -> None:
    # violating F1 2·1/(2+0+1) = 2/3; protected F1 2·2/(4+1+0) = 4/5
    truth = [True, True, False, False]
    said = [True, False, False, False]
    assert agreement.macro_f1(truth, said) == pytest.approx((2 / 3 + 4 / 5) / 2)
    assert agreement.macro_f1(truth, truth) == 1.0


def _write(path: Path, *rows: object) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


GOOD = {"label": "protected", "category": "news", "sure": True}


@pytest.mark.parametrize(
    ("reading", "problem"),
    [
        ({**GOOD, "label": "harmless"}, "label 'harmless' is not one of"),
        ({**GOOD, "category": "gossip"}, "category 'gossip' is not a taxonomy category"),
        ({**GOOD, "category": "glorification"}, "glorification is not on the side of label"),
        ({**GOOD, "sure": "yes"}, "'sure' must be true or false, not 'yes'"),
        ("protected", "a reading must be an object"),
    ],
)
def test_a_bad_reading_is_refused_at_its_line(
    tmp_path: Path, reading: object, problem: str
) -> None:
    path = _write(
        tmp_path / "test-en.jsonl",
        {"id": "en-1", "readers": {"A": GOOD}},
        {"id": "en-2", "readers": {"A": GOOD, "B": reading}},
    )
    with pytest.raises(InputError, match=r"test-en\.jsonl:2 reader 'B'") as caught:
        agreement.read_readings(path)
    assert problem in str(caught.value)


def test_a_post_read_twice_or_without_readers_is_refused(tmp_path: Path) -> None:
    twice = _write(
        tmp_path / "a.jsonl", {"id": "en-1", "readers": {"A": GOOD}}, {"id": "en-1", "readers": {}}
    )
    with pytest.raises(InputError, match=r"a\.jsonl:2: id 'en-1' is read twice"):
        agreement.read_readings(twice)
    empty = _write(tmp_path / "b.jsonl", {"id": "en-1", "readers": {}})
    with pytest.raises(InputError, match=r"b\.jsonl:1: 'readers' must be an object"):
        agreement.read_readings(empty)
    with pytest.raises(InputError, match=r"no \*\.jsonl agreement files"):
        agreement.read_directory(tmp_path / "none")


def test_an_unknown_post_is_refused(tmp_path: Path) -> None:
    _write(tmp_path / "x.jsonl", {"id": "en-no-such-post", "readers": {"A": GOOD}})
    code, _, err = run("eval-agreement", "--dir", str(tmp_path))
    assert code != 0
    assert "not corpus posts, e.g. 'en-no-such-post'" in err


def test_the_committed_readings_cover_the_test_split_exactly() -> None:
    corpus = load_corpus(STANCE)
    test_ids = {p.id for p in corpus.test}
    readings = agreement.read_directory(STANCE / "agreement")
    assert set(readings) == test_ids
    assert all(set(r) == {"A", "B"} for r in readings.values())


def test_the_committed_figures_are_the_golden_ones() -> None:
    """Regenerate with `nigehban --json eval-agreement > tests/data/golden/...` only after a
    deliberate change of a label or a reading, and say so in the model card."""
    posts = {p.id: p for f in corpus_files(STANCE) for p in read_posts(f)}
    document = agreement.report(posts, agreement.read_directory(STANCE / "agreement"))
    assert document == json.loads(GOLDEN.read_text(encoding="utf-8"))
    code, out, _ = run("--json", "eval-agreement")
    assert code == 0
    assert json.loads(out) == document


def test_the_classifier_beside_the_readers(tmp_path: Path) -> None:
    posts = {p.id: p for p in read_posts(STANCE / "train" / "en.jsonl")}
    chosen = [i for i in sorted(posts) if posts[i].violating][:3]
    chosen += [i for i in sorted(posts) if not posts[i].violating][:3]
    _write(
        tmp_path / "test-en.jsonl",
        *(
            {
                "id": i,
                "readers": {
                    "A": {"label": posts[i].label, "category": posts[i].category, "sure": True}
                },
            }
            for i in chosen
        ),
    )
    code, out, _ = run("--json", "eval-agreement", "--dir", str(tmp_path), "--model")
    assert code == 0
    english = json.loads(out)["by_language"]["en"]
    assert english["posts"] == 6
    assert english["readers"]["A"]["macro_f1"] == 1.0
    assert english["clear_posts"] == 6
    model = english["classifier"]
    assert model["errors"] == model["errors_on_clear_posts"]
    assert model["macro_f1_against_reader"]["A"] == model["macro_f1"]
