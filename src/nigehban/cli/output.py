"""Output: human tables and progress on a terminal, one JSON document with ``--json``."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator, Sequence
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
from rich.text import Text

from nigehban.text.surrogates import replace_lone_surrogates

_BIDI_CONTROLS = dict.fromkeys([*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
"""Embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069)."""


def _cell(value: object) -> Text:
    return Text(str(value).translate(_BIDI_CONTROLS))


Advance = Callable[[int], None]
"""Reports that ``n`` more bytes of the input are done."""


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

    def error(self, text: str, kind: str = "Error") -> None:
        """``error: TEXT`` on stderr; with ``--json``, one line in the API's error shape:
        ``{"error": {"type": "NotFoundError", "message": "…"}}``."""
        if self.json_mode:
            self.err.file.write(_dumps({"error": {"type": kind, "message": text}}) + "\n")
            self.err.file.flush()
            return
        self.err.print(f"error: {text}", markup=False)

    def table(self, title: str, headers: Sequence[str], rows: Sequence[Sequence[object]]) -> None:
        """Cells are plain text: a note or a post holding ``[/x]`` is shown, not read as
        markup (which raised), and bidirectional controls are dropped so that what a reviewer
        reads is not reordered."""
        table = Table(title=_cell(title), title_justify="left")
        for header in headers:
            table.add_column(_cell(header), overflow="fold")
        for row in rows:
            table.add_row(*(_cell(c) for c in row))
        self.console.print(table)

    @contextmanager
    def progress(self, label: str, total: int, every: float = 0.0) -> Iterator[Advance]:
        """Progress over ``total`` bytes on stderr, as a bar where stderr is a terminal, and
        otherwise (a log file, a pipe) as a plain line at most every ``every`` seconds (0:
        none); nothing with ``--json``. Yields the function to call with each step's bytes."""
        if self.json_mode:
            yield _ignore
            return
        if not self.err.is_terminal:
            if every <= 0:
                yield _ignore
                return
            lines = ProgressLines(self.err, label, total, every)
            yield lines.advance
            lines.finish()
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
            task = progress.add_task(label, total=total)
            yield lambda n_bytes: progress.advance(task, n_bytes)


def _ignore(n_bytes: int) -> None:
    del n_bytes


class ProgressLines:
    """Progress as plain lines, for a stderr that is not a terminal (a batch job's log): one
    line when ``every`` seconds have passed since the last, and a closing line where any was
    written (a short run stays quiet)."""

    def __init__(
        self,
        console: Console,
        label: str,
        total: int,
        every: float,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._console = console
        self._label = label
        self._total = total
        self._every = every
        self._clock = clock
        self._start = self._last = clock()
        self.done = 0
        self.written = 0

    def advance(self, n_bytes: int) -> None:
        self.done += n_bytes
        now = self._clock()
        if now - self._last >= self._every:
            self._last = now
            self._write(self.line(now))

    def finish(self) -> None:
        if self.written:
            elapsed = self._clock() - self._start
            self._write(f"{self._label}: {_size(self.done)} in {_duration(elapsed)}, done")

    def line(self, now: float) -> str:
        elapsed = now - self._start
        text = f"{self._label}: {_size(self.done)}"
        if self._total > 0:
            share = min(self.done / self._total, 1.0)
            text += f" of {_size(self._total)} ({share:.0%})"
        text += f", {_duration(elapsed)} elapsed"
        if self._total > 0 and 0 < self.done < self._total:
            left = elapsed * (self._total - self.done) / self.done
            text += f", about {_duration(left)} left"
        return text

    def _write(self, text: str) -> None:
        self.written += 1
        self._console.print(text, markup=False)


def _size(n_bytes: int) -> str:
    if n_bytes >= 1_000_000:
        return f"{n_bytes / 1_000_000:.1f} MB"
    if n_bytes >= 1_000:
        return f"{n_bytes / 1_000:.1f} kB"
    return f"{n_bytes} B"


def _duration(seconds: float) -> str:
    whole = round(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours} h {minutes} min"
    if minutes:
        return f"{minutes} min {secs} s"
    return f"{secs} s"


def _dumps(data: Any, option: int | None = None) -> str:
    """JSON text of ``data``. A lone surrogate, which UTF-8 cannot hold, is shown as U+FFFD:
    it comes from an argument that was not valid UTF-8 (Python keeps its bytes that way) and
    is echoed back, as in ``groups match`` of such a text."""
    try:
        return orjson.dumps(data, option=option).decode()
    except orjson.JSONEncodeError:
        return orjson.dumps(replace_lone_surrogates(data), option=option).decode()
