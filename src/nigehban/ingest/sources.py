"""Reading payloads from files and directories.

A source is a file or a directory. Files are read by extension: ``.json`` holds one JSON
payload; ``.jsonl`` / ``.ndjson`` one payload per line; ``.js`` is an X archive part
(``window.YTD.tweets.part0 = [...]``). In a directory every such file is read (sorted, recursively)
and every other file — a PROVENANCE.txt, notes — is skipped and listed. Decoding is strict: bad
UTF-8 or bad JSON raise :class:`~nigehban.errors.PayloadError` naming the file, line and position.
The one repair: a lone surrogate escape (an emoji's ``"\\ud83d\\ude00"`` cut in half where a
platform truncated text) is read as U+FFFD, so the payload's other items are not lost.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import orjson

from nigehban import exactjson
from nigehban.errors import PayloadError
from nigehban.privacy.masking import preview
from nigehban.text.surrogates import replace_lone_surrogates

JSON_SUFFIXES = frozenset({".json"})
LINES_SUFFIXES = frozenset({".jsonl", ".ndjson"})
ARCHIVE_SUFFIXES = frozenset({".js"})
PAYLOAD_SUFFIXES = JSON_SUFFIXES | LINES_SUFFIXES | ARCHIVE_SUFFIXES

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


def list_files(paths: list[Path]) -> tuple[list[Path], list[SkippedFile]]:
    """Expand directories; return payload files and the files skipped with their reason."""
    files: list[Path] = []
    skipped: list[SkippedFile] = []
    for path in paths:
        if path.is_dir():
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                if child.suffix.lower() in PAYLOAD_SUFFIXES:
                    files.append(child)
                else:
                    skipped.append(SkippedFile(str(child), "not a payload file (by extension)"))
        elif path.is_file():
            files.append(path)
        else:
            raise PayloadError(str(path), "no such file or directory")
    return files, skipped


def read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise PayloadError(str(path), f"file is {size} bytes, over the limit of {max_bytes}")
        return path.read_bytes()
    except OSError as exc:
        raise PayloadError(str(path), f"cannot read: {exc.strerror}") from None


def decode_json(data: bytes, source: str) -> object:
    """Strict UTF-8 then JSON; errors name the byte offset or JSON position."""
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
    return [(n, line) for n, line in enumerate(data.splitlines(), start=1) if line.strip()]


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
