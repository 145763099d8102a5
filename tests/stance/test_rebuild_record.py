"""The record of a verified rebuild: what its fingerprint covers, and ``train --check
--if-changed`` skipping a rebuild only where the record covers the same inputs and model."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import numpy as np
import pytest

from nigehban.errors import InputError
from nigehban.stance import artefact, pinning, rebuild
from nigehban.stance.artefact import DEFAULT_DIR
from nigehban.stance.thirdparty import SOURCES
from nigehban.stance.training import PROTECTED_SOURCES, THREAT_SOURCES
from tests.cli_support import run
from tests.stance.synthetic import write_corpus


def _corpora(root: Path) -> Path:
    """Third-party corpus files with the names training reads (their content does not
    matter to the fingerprint, only its checksum)."""
    for name in [*PROTECTED_SOURCES, *THREAT_SOURCES]:
        for file in SOURCES[name].files:
            path = root / name / file
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f"{name}/{file}\n", encoding="utf-8")
    return root


def _model(root: Path) -> Path:
    root.mkdir(parents=True)
    for name in ("model.json", "model.npz"):
        shutil.copy(DEFAULT_DIR / name, root / name)
    return root


@pytest.fixture
def setup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path, Path]:
    corpus = write_corpus(tmp_path / "corpus" / "stance")
    corpora = _corpora(tmp_path / "corpora")
    model = _model(tmp_path / "model")
    monkeypatch.setenv("NIGEHBAN_CORPUS_DIR", str(corpus.parent))
    monkeypatch.setenv("NIGEHBAN_CORPORA_DIR", str(corpora))
    monkeypatch.setenv("NIGEHBAN_STANCE_MODEL_DIR", str(model))
    return corpus, corpora, model


def test_the_fingerprint_covers_code_corpus_third_party_files_and_versions(
    setup: tuple[Path, Path, Path],
) -> None:
    corpus, corpora, _ = setup
    entries = rebuild.inputs(corpus, corpora)
    kinds = {key.partition(":")[0] for key in entries}
    assert kinds == {"code", "corpus", "third-party", "env"}
    assert "code:stance/features.py" in entries and "code:text/_fastnorm.c" in entries
    assert "code:stance/_fastfeat.c" in entries
    assert "code:model/taxonomy.py" in entries
    assert not any(k.startswith("code:stance/data/") for k in entries)  # the model is output
    # code the training does not import: evaluation, this record itself
    assert "code:stance/evaluation.py" not in entries and "code:stance/rebuild.py" not in entries
    assert "env:numpy" in entries and "env:python" in entries
    # the embedding engine: its C source, and the compiler and flags it was built with
    assert "code:stance/e5c/e5.c" in entries and "code:stance/e5c/e5.h" in entries
    assert "env:e5-engine" in entries and "env:arithmetic" in entries
    before = rebuild.fingerprint(entries)
    assert rebuild.fingerprint(rebuild.inputs(corpus, corpora)) == before  # stable
    ruhsold = corpora / "ruhsold" / SOURCES["ruhsold"].files[0]
    ruhsold.write_text("changed\n", encoding="utf-8")
    after = rebuild.inputs(corpus, corpora)
    assert rebuild.fingerprint(after) != before
    record = rebuild.new_record(entries, "c" * 64, 12.0)
    assert record.changed(after) == [f"third-party:ruhsold/{SOURCES['ruhsold'].files[0]}"]


def test_the_fingerprint_says_whether_the_arithmetic_was_pinned(
    setup: tuple[Path, Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    corpus, corpora, _ = setup
    for key in pinning.PINNED:
        monkeypatch.delenv(key, raising=False)
    loose = rebuild.inputs(corpus, corpora)
    for key, value in pinning.PINNED.items():
        monkeypatch.setenv(key, value)
    pinned = rebuild.inputs(corpus, corpora)
    assert rebuild.new_record(loose, "c" * 64, 1.0).changed(pinned) == ["env:arithmetic"]
    assert pinned["env:arithmetic"].startswith("pinned: ")


def test_a_record_round_trips_and_a_damaged_one_is_refused(tmp_path: Path) -> None:
    record = rebuild.new_record({"code:a.py": "1", "env:numpy": "2"}, "f" * 64, 61.5)
    rebuild.write_record(tmp_path, record)
    assert rebuild.read_record(tmp_path) == record
    noted = dataclasses.replace(record, note="recorded from a CI log")
    rebuild.write_record(tmp_path, noted)
    assert rebuild.read_record(tmp_path) == noted
    assert rebuild.read_record(tmp_path / "none") is None
    (tmp_path / rebuild.RECORD_NAME).write_text('{"fingerprint": 1}', encoding="utf-8")
    with pytest.raises(InputError, match="not a rebuild record"):
        rebuild.read_record(tmp_path)


def test_if_changed_skips_only_where_the_record_covers_these_inputs_and_this_model(
    setup: tuple[Path, Path, Path],
) -> None:
    corpus, corpora, model = setup
    entries = rebuild.inputs(corpus, corpora)
    record = rebuild.new_record(entries, artefact.checksum(model), 1800.0)
    rebuild.write_record(model, record)
    code, out, _ = run("train", "--check", "--if-changed")
    assert code == 0
    assert "not rebuilt" in out and record.fingerprint[:12] in out and "30.0 min" in out
    code, out, _ = run("--json", "train", "--check", "--if-changed")
    assert code == 0 and '"rebuilt": false' in out


def test_record_and_if_changed_need_check(setup: tuple[Path, Path, Path]) -> None:
    code, _, err = run("train", "--if-changed")
    assert code == 2 and "--check" in err


def test_the_committed_record_is_of_the_shipped_model() -> None:
    record = rebuild.read_record(DEFAULT_DIR)
    if record is None:
        pytest.skip("no rebuild record committed")
    assert record.model_checksum == artefact.checksum(DEFAULT_DIR)


@pytest.fixture
def quick_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A quick, project-only model trained on the synthetic corpus, set as the shipped one."""
    corpus = write_corpus(tmp_path / "corpus" / "stance")
    monkeypatch.setenv("NIGEHBAN_CORPUS_DIR", str(corpus.parent))
    model = tmp_path / "model"
    monkeypatch.setenv("NIGEHBAN_STANCE_MODEL_DIR", str(model))
    code, _, err = run("train", "--quick", "--project-only", "--out", str(model))
    assert code == 0, err
    return model


def test_fast_tier_check_rebuilds_the_heads_and_finds_a_changed_weight(
    quick_model: Path,
) -> None:
    """``--check --fast-tier`` rebuilds the fast tier alone and compares it array by array:
    the same recipe gives every array back; one weight changed by one unit in the last place
    is found and named."""
    code, out, err = run("train", "--check", "--fast-tier", "--quick", "--project-only")
    assert code == 0, err
    assert "bit for bit" in out
    code, out, _ = run("--json", "train", "--check", "--fast-tier", "--quick", "--project-only")
    assert code == 0 and '"identical": true' in out
    model = artefact.load(quick_model)
    weights = model.arrays["binary_weights"].copy()
    weights.flat[0] = np.nextafter(weights.flat[0], np.float32(np.inf))
    meta = {k: v for k, v in model.meta.items() if k not in ("format", "arrays_sha256")}
    artefact.save(quick_model, meta, {**model.arrays, "binary_weights": weights})
    code, out, _ = run("train", "--check", "--fast-tier", "--quick", "--project-only")
    assert code == 1
    assert f"binary_weights: 1 of {weights.size} values differ" in out
    assert "category_weights" not in out


def test_fast_tier_check_finds_another_recipe(quick_model: Path) -> None:
    """A fast tier fitted with other settings (the full steps, not --quick's) differs."""
    code, out, _ = run("train", "--check", "--fast-tier", "--project-only")
    assert code == 1
    assert "training.steps: 300 rebuilt, 60 shipped" in out


def test_fast_tier_goes_with_check_alone(quick_model: Path) -> None:
    code, _, err = run("train", "--fast-tier", "--quick")
    assert code == 2 and "--check" in err
    code, _, err = run("train", "--check", "--fast-tier", "--if-changed")
    assert code == 2 and "--fast-tier checks the fast tier alone" in err
