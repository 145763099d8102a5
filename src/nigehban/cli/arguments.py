"""Argument types for numbers the CLI passes to the store: row ids, cursors and limits, within
the 64-bit range the database holds; a bad one is a usage error (exit 2) that names it."""

from __future__ import annotations

import argparse

from nigehban.model.ints import INT64_MAX


def _bounded(text: str, least: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text[:40]!r} is not a whole number") from None
    if not least <= value <= INT64_MAX:
        shown = text if len(text) <= 24 else f"{text[:10]}…{text[-4:]}"
        raise argparse.ArgumentTypeError(f"{shown} is not {what}")
    return value


def row_id(text: str) -> int:
    """A stored row's id: 1 to 2^63 - 1."""
    return _bounded(text, 1, "an id (1 to 2^63 - 1)")


def cursor(text: str) -> int:
    """A paging position: 0 to 2^63 - 1."""
    return _bounded(text, 0, "a position (0 to 2^63 - 1)")


def limit(text: str) -> int:
    """How many rows to show: 1 to 2^63 - 1."""
    return _bounded(text, 1, "a number of rows (1 to 2^63 - 1)")
