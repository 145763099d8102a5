"""Build hook for the optional C module of the normaliser (the rest is in pyproject.toml).

``nigehban.text._fastnorm`` is optional: where no C compiler is found the build goes on without
it and the normaliser runs its Python implementation, which gives the same output.
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "nigehban.text._fastnorm",
            sources=["src/nigehban/text/_fastnorm.c"],
            optional=True,
            extra_compile_args=["-O2"],
        )
    ]
)
