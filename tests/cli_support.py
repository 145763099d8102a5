"""Running the CLI in-process for tests: exit code, stdout and stderr."""

from __future__ import annotations

import io

from nigehban.cli.main import main


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()
