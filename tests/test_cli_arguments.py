"""Ids, cursors and limits on the command line: beyond what the database holds, negative or
not numbers, each is a usage error (exit 2) naming the argument, never a driver's traceback."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest

from nigehban.cli.arguments import cursor, limit, row_id
from tests.cli_support import run

HUGE = "99999999999999999999"


@pytest.mark.parametrize(
    ("argv", "problem"),
    [
        (["decisions", "show", HUGE], "argument decision_id: 99…99 is not an id"),
        (["decisions", "show", "-5"], "argument decision_id: -5 is not an id"),
        (["decisions", "show", "abc"], "argument decision_id: 'abc' is not a whole number"),
        (["decisions", "list", "--limit", "0"], "argument --limit: 0 is not a number of rows"),
        (["holds", "release", HUGE], "argument hold_id: 99…99 is not an id"),
        (["banks", "entry", HUGE, "--disable"], "argument entry_id: 99…99 is not"),
        (["banks", "log", "--entry", HUGE], "argument --entry: 99…99 is not"),
        (["banks", "show", "b", "--after", "-1"], "argument --after: -1 is not a position"),
    ],
)
def test_bad_numbers_are_usage_errors(env: Path, argv: list[str], problem: str) -> None:
    """Long digit runs are masked as in every error (a phone number may be typed by mistake)."""
    code, _, err = run(*argv)
    assert code == 2
    assert problem in err


@pytest.mark.parametrize(
    ("kind", "text", "problem"),
    [
        (row_id, HUGE, "99999999999999999999 is not an id"),
        (row_id, "1" * 200, "1111111111…1111 is not an id"),
        (cursor, "-1", "-1 is not a position"),
        (limit, "0", "0 is not a number of rows"),
        (row_id, "x" * 100, "is not a whole number"),
    ],
)
def test_argument_types_name_the_value_shortened(kind: object, text: str, problem: str) -> None:
    assert callable(kind)
    with pytest.raises(argparse.ArgumentTypeError, match=problem) as caught:
        kind(text)
    assert len(str(caught.value)) < 80


def test_the_bounds_themselves_are_accepted() -> None:
    assert row_id("1") == 1 and row_id(str(2**63 - 1)) == 2**63 - 1
    assert cursor("0") == 0 and limit("1") == 1
