"""Classify a JSON-lines file: ``{"id", "text", "lang"?}`` in, one classification per line out.

Lines are read and scored in batches (the models are vectorised); a bad line — not JSON (or
nested too deeply to read, or after a byte-order mark that is not at the start of the file),
not an object, no string ``text``, a text over the size limit, a boolean ``id``, an ``id``
that cannot be written back (a lone surrogate escape such as ``"\\udc00"``, ``NaN``, a number
too large for a float, such as ``1e400``, or an integer over the 64-bit range, which is to be
given as a string) — is reported with its line number and skipped, never fatal, and never
stops the lines after it.
Output lines keep input order. A lone surrogate in a ``text`` (an emoji's escape cut in half)
does not stop it from being classified. The output replaces its file only when the run ends
(:func:`nigehban.outfile.replacing`): a run that stops leaves the previous file as it was.

A text that makes the classifier itself fail (a fault in Nigehban, not in the input) must not
stop a long file either: its batch is scored again text by text, and the failing line is
reported with the error's type (never the text) and skipped. Errors of Nigehban's own kinds
(a missing model, a bad setting) still stop the run: no line could be scored.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any, Protocol

import orjson

from nigehban.errors import NigehbanError
from nigehban.exactjson import id_over_64_bits, over_64_bits
from nigehban.ingest.sources import BOM
from nigehban.outfile import replacing
from nigehban.privacy.masking import preview
from nigehban.stance.classifier import Classification

BATCH = 256


class TextClassifier(Protocol):
    """What the workflow needs of a classifier (:class:`~nigehban.stance.classifier.Classifier`)."""

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Classification]: ...


@dataclass
class ClassifyReport:
    lines: int = 0
    classified: int = 0
    abstained: int = 0
    violating: int = 0
    bad: list[dict[str, Any]] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "classified": self.classified,
            "abstained": self.abstained,
            "violating": self.violating,
            "bad_lines": len(self.bad),
            "bad": self.bad[:100],
        }


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    id: Any
    text: str
    lang: str | None


def _parse(line: bytes, number: int, max_chars: int) -> _Row | str:
    if number > 1 and line.startswith(BOM):  # json.loads would drop it: files were joined
        return (
            "a byte-order mark (U+FEFF) where JSON should start; one is dropped only at the "
            "very start of a file or request body"
        )
    try:
        row = json.loads(line)
    except ValueError as exc:
        return f"not JSON ({str(exc)[:60]}): {preview(line.decode('utf-8', 'replace').strip())}"
    except RecursionError:
        return f"not JSON (nested too deeply to read): {preview(line.decode('utf-8', 'replace'))}"
    if not isinstance(row, dict):
        return f"expected an object, got {preview(line.decode('utf-8', 'replace'))}"
    text = row.get("text")
    if not isinstance(text, str):
        return f"'text' must be a string, got {preview(repr(text))}"
    if len(text) > max_chars:
        return f"'text' has {len(text)} characters, over the limit of {max_chars}"
    lang = row.get("lang")
    identifier = row.get("id", number)
    if isinstance(identifier, bool):
        return f"'id' is a boolean ({preview(identifier)}), never an id: give a string or a number"
    if over_64_bits(identifier):
        return f"'id' {id_over_64_bits(preview(str(identifier)))}"
    try:
        orjson.dumps(identifier)
    except orjson.JSONEncodeError as exc:
        if "64-bit" in str(exc):  # an integer over the range inside a list or object id
            return f"'id' holds {id_over_64_bits(preview(str(identifier)))}"
        # a lone surrogate ("\udc00" in the JSON) that no UTF-8 output can carry
        return f"'id' cannot be written back as UTF-8 JSON: {preview(str(identifier))}"
    try:
        json.dumps(identifier, allow_nan=False)
    except ValueError:  # NaN, or 1e400 read as infinity: written back, it would be null
        return f"'id' must be finite to be written back: {preview(str(identifier))}"
    return _Row(number, identifier, text, lang if isinstance(lang, str) else None)


def _batches(handle: IO[bytes], size: int) -> Iterator[list[tuple[int, bytes]]]:
    batch: list[tuple[int, bytes]] = []
    for number, line in enumerate(handle, 1):
        if line.strip():
            batch.append((number, line))
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def classify_file(
    classifier: TextClassifier,
    source: Path,
    target: Path,
    *,
    max_chars: int,
    on_progress: Callable[[int], None] = lambda _: None,
) -> ClassifyReport:
    report = ClassifyReport()
    with source.open("rb") as handle, replacing(target) as out:
        for batch in _batches(handle, BATCH):
            rows: list[_Row] = []
            for number, line in batch:
                report.lines += 1
                parsed = _parse(line, number, max_chars)
                if isinstance(parsed, str):
                    report.bad.append({"line": number, "error": parsed})
                else:
                    rows.append(parsed)
            for row, result in _scored(classifier, rows, report):
                out.write(orjson.dumps({"id": row.id, **result.to_dict()}) + b"\n")
                report.classified += 1
                report.abstained += result.abstained
                report.violating += result.label == "violating"
            on_progress(sum(len(line) for _, line in batch))
    return report


def _scored(
    classifier: TextClassifier, rows: list[_Row], report: ClassifyReport
) -> list[tuple[_Row, Classification]]:
    """The rows with their classifications; a row whose text makes the classifier fail is
    reported in ``report.bad`` and left out."""
    try:
        results = classifier.classify([r.text for r in rows], [r.lang for r in rows])
    except NigehbanError:
        raise
    except Exception as exc:  # a fault on one text: find it, skip it, score the rest
        if len(rows) > 1:
            return [pair for row in rows for pair in _scored(classifier, [row], report)]
        report.bad.append(
            {
                "line": rows[0].line,
                "error": f"could not be classified ({type(exc).__name__}: a fault in "
                "Nigehban, not in the line; please report it)",
            }
        )
        return []
    return list(zip(rows, results, strict=True))
