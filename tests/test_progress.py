"""Progress where stderr is not a terminal: plain lines a batch job's log can hold."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from nigehban.cli.output import Output, ProgressLines
from tests.cli_support import run

PAYLOADS = Path(__file__).resolve().parent / "data" / "payloads"


class _Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def _lines(total: int, every: float = 30.0) -> tuple[ProgressLines, _Clock, io.StringIO]:
    sink = io.StringIO()
    clock = _Clock()
    console = Console(file=sink, soft_wrap=True, highlight=False, emoji=False)
    return ProgressLines(console, "classifying", total, every, clock), clock, sink


def test_a_line_only_when_the_interval_has_passed() -> None:
    lines, clock, sink = _lines(24_600_000)
    lines.advance(1_000_000)
    clock.now += 29.9
    lines.advance(1_000_000)
    assert sink.getvalue() == ""
    clock.now += 0.1  # 30 s since the start
    lines.advance(4_150_000)
    assert sink.getvalue() == (
        "classifying: 6.2 MB of 24.6 MB (25%), 30 s elapsed, about 1 min 30 s left\n"
    )
    clock.now += 10
    lines.advance(1)
    assert sink.getvalue().count("\n") == 1  # the next is due 30 s after the last


def test_the_closing_line_only_after_a_progress_line() -> None:
    quiet, clock, sink = _lines(1_000)
    quiet.advance(1_000)
    quiet.finish()
    assert sink.getvalue() == ""  # a short run stays quiet

    lines, clock, sink = _lines(2_000_000)
    clock.now += 45
    lines.advance(1_000_000)
    clock.now += 3_600 + 75
    lines.advance(1_000_000)
    lines.finish()
    assert sink.getvalue().splitlines() == [
        "classifying: 1.0 MB of 2.0 MB (50%), 45 s elapsed, about 45 s left",
        "classifying: 2.0 MB of 2.0 MB (100%), 1 h 2 min elapsed",
        "classifying: 2.0 MB in 1 h 2 min, done",
    ]


def test_an_unknown_total_gives_no_share_or_time_left() -> None:
    lines, clock, sink = _lines(0)
    clock.now += 61
    lines.advance(512)
    assert sink.getvalue() == "classifying: 512 B, 1 min 1 s elapsed\n"


def test_no_lines_with_json_output_or_an_interval_of_zero() -> None:
    for json_mode, every in ((True, 1e-9), (False, 0.0)):
        err = io.StringIO()
        out = Output(json_mode, io.StringIO(), err)
        with out.progress("scanning", 10, every=every) as advance:
            advance(5)
            advance(5)
        assert err.getvalue() == ""


def test_classify_writes_progress_lines_to_a_log(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIGEHBAN_PROGRESS_INTERVAL_S", "0.000001")
    monkeypatch.setenv("NIGEHBAN_STANCE_SEMANTIC", "false")
    source = env / "in.jsonl"
    source.write_text(
        "".join(
            json.dumps({"id": i, "text": f"Police said {i} men were arrested."}) + "\n"
            for i in range(3)
        )
    )
    code, out, err = run("classify", "-i", str(source), "-o", str(env / "out.jsonl"))
    assert code == 0, err
    lines = err.splitlines()
    assert lines and all(line.startswith("classifying: ") for line in lines)
    assert lines[-1].endswith(", done")
    assert f"of {source.stat().st_size} B (100%)" in lines[-2]
    assert "3 classified" in out


def test_no_progress_lines_by_default_on_a_short_run(env: Path) -> None:
    run("db", "upgrade")
    code, _, err = run("ingest", str(PAYLOADS / "x"))
    assert code == 0, err
    assert err == ""  # 30 s between lines: a run this short writes none


@pytest.mark.parametrize("value", ["-1", "often", "nan"])
def test_a_bad_interval_is_a_configuration_error_naming_it(
    env: Path, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("NIGEHBAN_PROGRESS_INTERVAL_S", value)
    code, out, err = run("ingest", str(PAYLOADS / "x"))
    assert code == 2
    assert out == ""
    assert "progress_interval_s" in err and value in err
    assert not (env / "var" / "nigehban.db").exists()  # refused before anything was opened
