"""``classify_file``: a fault on one text skips that line, not the file."""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path

import pytest

from nigehban.errors import DependencyError
from nigehban.settings import Settings
from nigehban.stance.classifier import Classification, Classifier
from nigehban.workflows.classify import classify_file

MARKER = "this line trips a fault"


@cache
def _fast_classifier() -> Classifier:
    return Classifier.from_settings(Settings(stance_semantic=False))


class _FaultOn:
    """The real classifier, made to fail on any batch holding ``MARKER``, as a fault would."""

    def __init__(self, error: Exception) -> None:
        self.inner = _fast_classifier()
        self.error = error
        self.calls = 0

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Classification]:
        self.calls += 1
        if any(MARKER in t for t in texts):
            raise self.error
        return self.inner.classify(texts, langs)


def _write(path: Path, texts: list[str]) -> Path:
    path.write_text("".join(json.dumps({"id": i, "text": t}) + "\n" for i, t in enumerate(texts)))
    return path


def test_a_fault_on_one_text_skips_only_its_line(tmp_path: Path) -> None:
    texts = [
        "Police said two men were arrested.",
        "Shaheedon ko salaam",
        MARKER,
        "Aaj mausam acha hai",
    ]
    fault = _FaultOn(KeyError("'"))
    source = _write(tmp_path / "in.jsonl", texts)
    report = classify_file(fault, source, tmp_path / "out.jsonl", max_chars=10_000)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [row["id"] for row in out] == [0, 1, 3]
    assert report.classified == 3 and report.lines == 4
    assert report.bad == [
        {
            "line": 3,
            "error": "could not be classified (KeyError: a fault in Nigehban, not in the line; "
            "please report it)",
        }
    ]
    assert MARKER not in json.dumps(report.to_dict())
    assert fault.calls == 1 + len(texts)  # the batch, then each text alone


def test_nigehbans_own_errors_still_stop_the_run(tmp_path: Path) -> None:
    fault = _FaultOn(DependencyError("stance model missing"))
    source = _write(tmp_path / "in.jsonl", ["fine", MARKER])
    with pytest.raises(DependencyError):
        classify_file(fault, source, tmp_path / "out.jsonl", max_chars=10_000)


def test_lone_surrogates_skip_only_an_unwritable_id(tmp_path: Path) -> None:
    """JSON allows ``"\\ud83d"`` escapes whose pair was cut off. In a text the post is still
    classified; in an id, which no UTF-8 output can carry, the line is reported, not fatal."""
    rows = [
        {"id": "a\udc00", "text": "Police said two men were arrested."},
        {"id": 1, "text": "Shaheedon ko salaam \ud83d"},
        {"id": 2, "text": "Aaj mausam acha hai"},
    ]
    source = tmp_path / "in.jsonl"
    source.write_text("".join(json.dumps(row) + "\n" for row in rows))
    assert "\\udc00" in source.read_text()
    report = classify_file(_fast_classifier(), source, tmp_path / "out.jsonl", max_chars=10_000)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [row["id"] for row in out] == [1, 2]
    assert report.bad == [
        {"line": 1, "error": "'id' cannot be written back as UTF-8 JSON: 'a\\udc00'"}
    ]


def test_an_id_that_would_be_written_back_as_null_is_reported(tmp_path: Path) -> None:
    """``NaN`` and ``1e400`` (read as infinity) are JSON the reader takes; written back they
    would be ``null``, and the output line could not be joined to its input."""
    source = tmp_path / "in.jsonl"
    source.write_text(
        '{"id": NaN, "text": "Police said two men were arrested."}\n'
        '{"id": [1, 1e400], "text": "Aaj mausam acha hai"}\n'
        '{"id": 3.5, "text": "Aaj mausam acha hai"}\n'
    )
    report = classify_file(_fast_classifier(), source, tmp_path / "out.jsonl", max_chars=10_000)
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [row["id"] for row in out] == [3.5]
    assert report.bad == [
        {"line": 1, "error": "'id' must be finite to be written back: 'nan'"},
        {"line": 2, "error": "'id' must be finite to be written back: '[1, inf]'"},
    ]
