"""The whole stance pipeline on a small synthetic corpus: train (deterministic, byte for
byte), load, classify a file through the CLI (bad lines skipped), evaluate, the API."""

from __future__ import annotations

import json
import re
import tempfile
from functools import cache
from pathlib import Path

import pytest

from nigehban.model.items import Item, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Surface
from nigehban.model.signals import SignalKind
from nigehban.settings import Settings
from nigehban.stance import artefact
from nigehban.stance.classifier import Classifier
from nigehban.stance.detector import StanceDetector
from nigehban.stance.training import Options, train_model
from nigehban.testing.detector_contract import DetectorContract
from tests.cli_support import run
from tests.stance.synthetic import write_corpus


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("stance")
    corpus = write_corpus(root / "corpus" / "stance")
    out = root / "model"
    train_model(Options(corpus, None, out, quick=True, project_only=True))
    return root, out


def _settings(root: Path, model: Path) -> Settings:
    return Settings(
        corpus_dir=root / "corpus",
        stance_model_dir=model,
        stance_semantic=False,
        database_url=f"sqlite:///{root / 'db.sqlite'}",
    )


def test_training_is_byte_identical(trained: tuple[Path, Path], tmp_path: Path) -> None:
    root, out = trained
    again = tmp_path / "again"
    train_model(Options(root / "corpus" / "stance", None, again, quick=True, project_only=True))
    assert artefact.checksum(again) == artefact.checksum(out)


def test_classifier_separates_the_synthetic_stances(trained: tuple[Path, Path]) -> None:
    root, out = trained
    classifier = Classifier.from_settings(_settings(root, out))
    results = classifier.classify(
        [
            "Salute to the lions who struck Mardan, 5 enemies sent to hell, victory is near!",
            "Police said 5 officers were killed in an attack on a check post in Mardan.",
            "Bonjour, je voudrais un café s'il vous plaît, merci beaucoup.",
        ]
    )
    assert results[0].label == "violating" and results[0].category == "glorification"
    assert results[1].label == "protected" and results[1].category == "news"
    assert results[2].abstained and results[2].label is None and "fr" in results[2].reason
    assert 0 <= (results[0].score or 0) <= (results[0].probability or 0) <= 1


def test_prior_lowers_the_score_not_the_label(trained: tuple[Path, Path]) -> None:
    root, out = trained
    text = ["Every check post in Mardan is a target now, rise up brothers and strike."]
    low = Classifier.from_settings(_settings(root, out).model_copy(update={"stance_prior": 0.001}))
    high = Classifier.from_settings(_settings(root, out).model_copy(update={"stance_prior": 0.3}))
    a, b = low.classify(text)[0], high.classify(text)[0]
    assert a.label == b.label == "violating"
    assert (a.score or 0) < (b.score or 0)


def _env(monkeypatch: pytest.MonkeyPatch, values: dict[str, str]) -> None:
    for key, value in values.items():
        monkeypatch.setenv(key, value)


def test_cli_classify_skips_bad_lines(
    trained: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root, out = trained
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": 1, "text": "Our brave fidayeen made history in Kech today, may Allah accept them."}\n'
        "not json at all\n"
        '{"id": 3, "text": 42}\n'
        '{"id": 4, "text": "Kech mein police chowki par hamla, 3 ahalkar shaheed.", "lang": "ur-Latn"}\n',
        encoding="utf-8",
    )
    target = tmp_path / "out.jsonl"
    env = {
        "NIGEHBAN_STANCE_MODEL_DIR": str(out),
        "NIGEHBAN_STANCE_SEMANTIC": "false",
        "NIGEHBAN_CORPUS_DIR": str(root / "corpus"),
    }
    _env(monkeypatch, env)
    code, _stdout, stderr = run("classify", "-i", str(source), "-o", str(target))
    assert code == 1, stderr  # every good line written; the exit says some were skipped
    assert "line 2" in stderr and "line 3" in stderr
    rows = [json.loads(line) for line in target.read_text().splitlines()]
    assert [r["id"] for r in rows] == [1, 4]
    assert set(rows[0]) >= {
        "id",
        "label",
        "score",
        "category",
        "category_scores",
        "threat_any",
        "lang",
        "groups",
        "abstained",
    }
    assert rows[1]["lang"] == "ur-Latn"


def test_cli_eval_reports_per_language(
    trained: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _root, out = trained
    lines = [
        {
            "text": "Our brave fidayeen made history in Kech today.",
            "label": "violating",
            "category": "glorification",
            "lang": "en",
        },
        {
            "text": "Police said 3 officers were killed in Kech.",
            "label": "protected",
            "category": "news",
            "lang": "en",
        },
    ]
    path = tmp_path / "gold.jsonl"
    path.write_text("".join(json.dumps(x) + "\n" for x in lines), encoding="utf-8")
    env = {"NIGEHBAN_STANCE_MODEL_DIR": str(out), "NIGEHBAN_STANCE_SEMANTIC": "false"}
    _env(monkeypatch, env)
    code, stdout, stderr = run("--json", "eval", str(path))
    assert code == 0, stderr
    document = json.loads(stdout)
    assert document["by_language"]["en"]["posts"] == 2
    assert "news" in document["by_language"]["en"]["protected_false_positive_rate"]


def test_cli_eval_without_the_hint_identifies_each_language(
    trained: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A French post labelled ``ur``: the hint makes it Urdu; without the hint language
    identification finds French and the classifier abstains. Both group it under ``ur``."""
    _root, out = trained
    line = {"text": "La police a dit que trois agents ont été tués hier soir au marché.",
            "label": "protected", "category": "news", "lang": "ur"}  # fmt: skip
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(line) + "\n", encoding="utf-8")
    _env(monkeypatch, {"NIGEHBAN_STANCE_MODEL_DIR": str(out), "NIGEHBAN_STANCE_SEMANTIC": "false"})
    hinted, plain = (
        json.loads(run("--json", "eval", str(path), *extra)[1])
        for extra in ((), ("--no-lang-hint",))
    )
    assert (hinted["abstained"], hinted["language_hint"]) == (0, True)
    assert (plain["abstained"], plain["language_hint"]) == (1, False)
    assert list(hinted["by_language"]) == list(plain["by_language"]) == ["all", "ur"]
    code, text, err = run("eval", str(path), "--no-lang-hint")
    assert code == 0 and "no lang hint" in text, err


def test_train_without_third_party_corpora_exits_3(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus = write_corpus(tmp_path / "corpus" / "stance")
    env = {
        "NIGEHBAN_CORPUS_DIR": str(corpus.parent),
        "NIGEHBAN_CORPORA_DIR": str(tmp_path / "nowhere"),
    }
    _env(monkeypatch, env)
    code, _, stderr = run("train", "--quick", "--out", str(tmp_path / "m"))
    assert code == 3
    assert "missing" in stderr and "ruhsold" in stderr


@cache
def _contract_detector() -> StanceDetector:
    root = Path(tempfile.mkdtemp(prefix="nigehban-stance-contract-"))
    corpus = write_corpus(root / "corpus" / "stance")
    train_model(Options(corpus, None, root / "model", quick=True, project_only=True))
    return StanceDetector(Classifier.from_settings(_settings(root, root / "model")))


def _post(text: str, n: int = 1) -> Post:
    return Post(
        ref=ItemRef("default", Platform.X, ItemKind.POST, str(n)), surface=Surface.PUBLIC, text=text
    )


class TestStanceDetector(DetectorContract):
    def make_detector(self) -> StanceDetector:
        return _contract_detector()

    def sample_items(self) -> list[Item]:
        return [
            _post("Our brave fidayeen made history in Kech today, may Allah accept them.", 1),
            _post("Kech mein police chowki par hamla, 3 ahalkar shaheed.", 2),
            _post("", 3),
            _post("Guten Morgen, wie geht es dir heute?", 4),
            _post("🔥🔥🔥", 5),
        ]


def test_detector_signals() -> None:
    detector = _contract_detector()
    kinds = [s.kind for s in detector.detect(_post("Our brave fidayeen made history in Kech."))]
    assert kinds == [SignalKind.LANG, SignalKind.STANCE, SignalKind.THREAT_ANY]
    abstained = detector.detect(_post("Guten Morgen, wie geht es dir heute?"))
    assert [s.kind for s in abstained] == [SignalKind.LANG, SignalKind.ABSTAINED]


def test_supplements_train_and_may_not_hold_test_events(tmp_path: Path) -> None:
    from nigehban.errors import InputError
    from nigehban.stance.corpus import load_corpus

    root = write_corpus(tmp_path / "stance")
    base = load_corpus(root)
    line = (root / "train" / "en.jsonl").read_text(encoding="utf-8").splitlines()[0]
    row = json.loads(line)
    row.update(id="en-s1", event="E0")
    (root / "train" / "en-supplement.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    assert len(load_corpus(root).train) == len(base.train) + 1
    row.update(event="E2")  # a test event
    (root / "train" / "en-supplement.jsonl").write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="must not hold test events, found E2"):
        load_corpus(root)


def test_numbered_supplements_train_and_may_not_hold_test_events(tmp_path: Path) -> None:
    from nigehban.errors import InputError
    from nigehban.stance.corpus import load_corpus

    root = write_corpus(tmp_path / "stance")
    base = load_corpus(root)
    row = json.loads((root / "train" / "en.jsonl").read_text(encoding="utf-8").splitlines()[0])
    row.update(id="en-s2-1", event="E0")
    path = root / "train" / "en-supplement-2.jsonl"
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    loaded = load_corpus(root)
    assert len(loaded.train) == len(base.train) + 1
    assert "train/en-supplement-2.jsonl" in loaded.files
    row.update(event="E2")  # a test event
    path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    with pytest.raises(InputError, match="must not hold test events, found E2"):
        load_corpus(root)


def test_an_id_used_twice_across_files_is_refused(tmp_path: Path) -> None:
    from nigehban.errors import InputError
    from nigehban.stance.corpus import load_corpus

    root = write_corpus(tmp_path / "stance")
    row = json.loads((root / "train" / "en.jsonl").read_text(encoding="utf-8").splitlines()[0])
    row.update(text="a different post under an id the corpus already uses")
    (root / "train" / "en-supplement-3.jsonl").write_text(json.dumps(row) + "\n", "utf-8")
    with pytest.raises(InputError, match=r"en-supplement-3.jsonl.*is also used in en.jsonl"):
        load_corpus(root)


def test_the_quote_view_is_the_default_and_can_be_left_off(
    trained: tuple[Path, Path], tmp_path: Path
) -> None:
    root, view = trained
    plain = tmp_path / "plain"
    train_model(
        Options(
            root / "corpus" / "stance", None, plain, quick=True, project_only=True, quote_view=False
        )
    )
    assert artefact.load(view).meta["features"]["quote_view"] is True
    assert "quote_view" not in artefact.load(plain).meta["features"]
    assert artefact.checksum(plain) != artefact.checksum(view)
    quoting = 'Police said the militants called the attack "a victory for the lions" in Mardan.'
    (result,) = Classifier.from_settings(_settings(root, view)).classify([quoting])
    assert not result.abstained and result.score is not None and 0.0 <= result.score <= 1.0
    assert result.label == "protected"


def test_supplements_numbered_ten_and_above_are_read_in_numeric_order(tmp_path: Path) -> None:
    from nigehban.stance.corpus import corpus_files, load_corpus

    root = write_corpus(tmp_path / "stance")
    base = load_corpus(root)
    row = json.loads((root / "train" / "en.jsonl").read_text(encoding="utf-8").splitlines()[0])
    for n in (11, 2, 10):
        row.update(id=f"en-s{n}-1", event="E0")
        path = root / "train" / f"en-supplement-{n}.jsonl"
        path.write_text(json.dumps(row) + "\n", encoding="utf-8")
    names = [p.name for p in corpus_files(root)]
    assert names[-3:] == [
        "en-supplement-2.jsonl",
        "en-supplement-10.jsonl",
        "en-supplement-11.jsonl",
    ]
    assert len(load_corpus(root).train) == len(base.train) + 3


@pytest.mark.parametrize(
    "name", ["en-supplement-02.jsonl", "de-supplement-2.jsonl", "en-extra.jsonl", "EN.jsonl"]
)
def test_a_corpus_file_the_loader_would_not_read_is_refused_by_name(
    tmp_path: Path, name: str
) -> None:
    from nigehban.errors import InputError
    from nigehban.stance.corpus import load_corpus

    root = write_corpus(tmp_path / "stance")
    (root / "train" / name).write_text("", encoding="utf-8")
    with pytest.raises(InputError, match=r"does not read, e\.g\. '" + re.escape(name)):
        load_corpus(root)
