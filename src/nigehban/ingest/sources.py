"""Reading payloads from files and directories.

A source is a file or a directory. Files are read by extension: ``.json`` holds one JSON
payload; ``.jsonl`` / ``.ndjson`` one payload per line; ``.js`` is an X archive part
(``window.YTD.tweets.part0 = [...]``). In a directory every such file is read (sorted, recursively)
and every other file — a PROVENANCE.txt, notes — is skipped and listed. A file ``nigehban scan``
wrote with ``--output`` is never read as a payload, in a directory or named: it is skipped and
listed too (see :func:`written_by_scan`). Decoding is strict: bad
UTF-8 or bad JSON raise :class:`~nigehban.errors.PayloadError` naming the file, line and position.
A byte-order mark (U+FEFF, as Windows editors and spreadsheet exports write
one) at the very start of a file is dropped, as at the start of an API request body
(:func:`drop_bom`); one anywhere else (where two files were joined) is refused, named. The one
repair: a lone surrogate escape (an emoji's ``"\\ud83d\\ude00"`` cut in half where a platform
truncated text) is read as U+FFFD, so the payload's other items are not lost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import orjson

from nigehban import exactjson
from nigehban.errors import PayloadError
from nigehban.privacy.masking import preview
from nigehban.text.surrogates import replace_lone_surrogates

JSON_SUFFIXES = frozenset({".json"})
LINES_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARCHIVE_SUFFIXES = frozenset({".js"})
PAYLOAD_SUFFIXES = JSON_SUFFIXES | LINES_SUFFIXES | ARCHIVE_SUFFIXES

SCAN_OUTPUT_FIELDS: Final = (
    "platform",
    "kind",
    "scoped_id",
    "revision",
    "action",
    "categories",
    "confidence",
    "rules",
    "ground",
    "language",
    "surface",
    "abstained",
    "review",
    "notify_authorities",
    "case_id",
    "decision_id",
)
"""The columns of a ``nigehban scan --output`` file, in order: every JSON line has them all (and
more), and the CSV header is exactly them. No platform payload has them all."""

WRITTEN_BY_SCAN = "decisions written by nigehban scan (an --output file), not a payload"
OWN_OUTPUT = "this scan's --output (replaced, not read)"

_FIRST_LINE_BYTES = 1 << 20

_ARCHIVE_PREFIX = re.compile(rb"\A\s*window\.YTD\.[A-Za-z0-9_]+\.part\d+\s*=\s*")


@dataclass(frozen=True, slots=True)
class SourcePayload:
    """One decoded payload and where it came from (``file`` or ``file:line``)."""

    source: str
    payload: object


@dataclass(frozen=True, slots=True)
class SkippedFile:
    path: str
    reason: str


def list_files(
    paths: list[Path], exclude: Sequence[Path] = ()
) -> tuple[list[Path], list[SkippedFile]]:
    """Expand directories; return payload files and the files skipped with their reason.

    Skipped: in a directory, a file that is not a payload by its extension; anywhere, a file
    that is one of ``exclude`` (a scan's own ``--output``) or that a scan wrote
    (:func:`written_by_scan`)."""
    files: list[Path] = []
    skipped: list[SkippedFile] = []

    def add(path: Path) -> None:
        reason = not_read(path, exclude)
        if reason is None:
            files.append(path)
        else:
            skipped.append(SkippedFile(str(path), reason))

    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in PAYLOAD_SUFFIXES:
                    add(child)
                else:
                    skipped.append(SkippedFile(str(child), "not a payload file (by extension)"))
        elif path.is_file():
            add(path)
        else:
            raise PayloadError(str(path), "no such file or directory")
    return files, skipped


def not_read(path: Path, exclude: Sequence[Path] = ()) -> str | None:
    """Why the file ``path`` is not read as a payload (``None``: it is): it is one of
    ``exclude``, or a scan wrote it."""
    if any(_same_file(path, other) for other in exclude):
        return OWN_OUTPUT
    if written_by_scan(path):
        return WRITTEN_BY_SCAN
    return None


def written_by_scan(path: Path) -> bool:
    """Whether the file ``path`` is an ``--output`` of ``nigehban scan``, by its first line:
    JSON lines (``.jsonl``, ``.ndjson``) whose first line is an object with every column of
    :data:`SCAN_OUTPUT_FIELDS`, or CSV whose header is exactly those columns. An unreadable
    file, or a first line that is not such a row, is not: it is read, and reported, as any
    payload would be."""
    suffix = path.suffix.lower()
    if suffix not in LINES_SUFFIXES and suffix != ".csv":
        return False
    try:
        with path.open("rb") as stream:
            first = stream.readline(_FIRST_LINE_BYTES).rstrip(b"\r\n")
    except OSError:
        return False
    if suffix == ".csv":
        return first == ",".join(SCAN_OUTPUT_FIELDS).encode()
    try:
        row = orjson.loads(first)
    except orjson.JSONDecodeError:
        return False
    return isinstance(row, dict) and all(name in row for name in SCAN_OUTPUT_FIELDS)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.samefile(b)
    except OSError:
        return False


def read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise PayloadError(str(path), f"file is {size} bytes, over the limit of {max_bytes}")
        return path.read_bytes()
    except OSError as exc:
        raise PayloadError(str(path), f"cannot read: {exc.strerror}") from None


BOM = "\ufeff".encode()


def drop_bom(data: bytes) -> bytes:
    """``data`` without the byte-order mark it starts with, if any: call it on a whole file or
    request body, never on one line of a file."""
    return data.removeprefix(BOM)


def decode_json(data: bytes, source: str) -> object:
    """Strict UTF-8 then JSON; errors name the byte offset or JSON position."""
    if data.startswith(BOM):
        raise PayloadError(
            source,
            "a byte-order mark (U+FEFF) where JSON should start; one is dropped only at the "
            "very start of a file or request body",
        )
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PayloadError(source, f"invalid UTF-8 at byte {exc.start}") from None
    try:
        return exactjson.loads(data)
    except orjson.JSONDecodeError as exc:
        if "surrogate" in exc.msg:
            return _with_lone_surrogates_replaced(data, source)
        raise PayloadError(
            source, f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None


def _with_lone_surrogates_replaced(data: bytes, source: str) -> object:
    """A payload whose only fault is a lone surrogate escape ("\\ud83d" cut from its pair,
    as platforms that truncate text in UTF-16 write it): read, with each lone surrogate
    replaced by U+FFFD, so one broken emoji does not cost the page's other posts."""
    try:
        value = json.loads(data)
    except (ValueError, RecursionError) as exc:
        raise PayloadError(source, f"invalid JSON: {preview(str(exc))}") from None
    return replace_lone_surrogates(value)


def is_line_delimited(path: Path) -> bool:
    return path.suffix.lower() in LINES_SUFFIXES


def numbered_lines(data: bytes) -> list[tuple[int, bytes]]:
    """The non-blank lines of a line-delimited file, with their 1-based numbers."""
    lines = drop_bom(data).splitlines()
    return [(n, line) for n, line in enumerate(lines, start=1) if line.strip()]


def decode_lines(
    name: str, lines: Iterable[tuple[int, bytes]]
) -> Iterator[SourcePayload | PayloadError]:
    """Decode numbered lines of file ``name``; a bad line is yielded as its error."""
    for number, line in lines:
        where = f"{name}:{number}"
        try:
            yield SourcePayload(where, decode_json(line, where))
        except PayloadError as exc:
            yield exc


def iter_payloads(path: Path, data: bytes) -> Iterator[SourcePayload | PayloadError]:
    """Decode the payloads in one file's bytes, by the file's extension.

    A payload that cannot be decoded is yielded as its :class:`PayloadError` (naming ``file`` or
    ``file:line``), so one bad line of a JSONL file does not stop the good ones.
    """
    suffix = path.suffix.lower()
    name = str(path)
    if suffix in LINES_SUFFIXES:
        yield from decode_lines(name, numbered_lines(data))
        return
    data = drop_bom(data)
    try:
        if suffix in ARCHIVE_SUFFIXES:
            match = _ARCHIVE_PREFIX.match(data)
            if match is None:
                raise PayloadError(
                    name, "not an X archive part (expected 'window.YTD.<name>.partN = [')"
                )
            data = data[match.end() :]
        yield SourcePayload(name, decode_json(data, name))
    except PayloadError as exc:
        yield exc
