"""Output: human tables and progress on a terminal, one JSON document with ``--json``."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import IO, Any

import orjson
from rich.console import Console
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from nigehban.text.surrogates import replace_lone_surrogates


class Output:
    def __init__(
        self, json_mode: bool, stdout: IO[str] | None = None, stderr: IO[str] | None = None
    ):
        self.json_mode = json_mode
        self._stdout = stdout or sys.stdout
        self.console = Console(file=self._stdout, soft_wrap=True, highlight=False, emoji=False)
        self.err = Console(file=stderr or sys.stderr, soft_wrap=True, highlight=False, emoji=False)

    def json(self, data: Any) -> None:
        self._stdout.write(_dumps(data, orjson.OPT_INDENT_2) + "\n")

    def json_line(self, data: Any) -> None:
        """One compact JSON document on its own line (JSON-lines output)."""
        self._stdout.write(_dumps(data) + "\n")

    def raw(self, text: str) -> None:
        """Text exactly as given (an export), no markup or wrapping."""
        self._stdout.write(text)
        self._stdout.flush()

    def line(self, text: str) -> None:
        self.console.print(text, markup=False)

    def error(self, text: str) -> None:
        self.err.print(f"error: {text}", markup=False)

    def table(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        table = Table(title=title, title_justify="left")
        for header in headers:
            table.add_column(header, overflow="fold")
        for row in rows:
            table.add_row(*(str(c) for c in row))
        self.console.print(table)

    @contextmanager
    def progress(self, label: str, total: int) -> Iterator[Progress | None]:
        """A progress bar over ``total`` bytes, on stderr when it is a terminal and output is
        not JSON."""
        if self.json_mode or not self.err.is_terminal:
            yield None
            return
        with Progress(
            TextColumn(label),
            BarColumn(),
            DownloadColumn(),
            TimeElapsedColumn(),
            TimeRemainingColumn(),
            console=self.err,
            transient=True,
        ) as progress:
            progress.add_task(label, total=total)
            yield progress


def _dumps(data: Any, option: int | None = None) -> str:
    """JSON text of ``data``. A lone surrogate, which UTF-8 cannot hold, is shown as U+FFFD:
    it comes from an argument that was not valid UTF-8 (Python keeps its bytes that way) and
    is echoed back, as in ``groups match`` of such a text."""
    try:
        return orjson.dumps(data, option=option).decode()
    except orjson.JSONEncodeError:
        return orjson.dumps(replace_lone_surrogates(data), option=option).decode()
