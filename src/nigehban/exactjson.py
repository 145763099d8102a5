"""JSON read fast, with every integer kept whole.

``orjson`` (the fast, strict reader used for payloads and hash lists) reads an integer beyond 64
bits as a float: a record ``"id": 20000000000000000001`` would come back as ``2e+19``, another
number, silently. :func:`loads` reads with ``orjson`` (its strictness and errors unchanged) and,
where the text holds 20 digits in a row or a minus sign and 19 (the shortest integers beyond
orjson's exact range, -2^63..2^64-1; digits inside a string also match, which costs only time),
reads the already-checked text again with the standard library, whose integers have no size
limit. Platform ids of 19 digits (X's) stay on the fast path.
"""

from __future__ import annotations

import json
from typing import Any

import orjson

# digits and the minus sign as "0", every other byte as ".": 20 zeros in a row mark a possible
# long integer; bytes.translate and a substring search cost about a microsecond for a post,
# a regular expression about ten times as much
_DIGITS = bytes(0x30 if 0x30 <= b <= 0x39 or b == 0x2D else 0x2E for b in range(256))
_RUN = b"0" * 20


def loads(data: str | bytes) -> Any:
    """``data`` as JSON, as ``orjson.loads`` reads it (raising its ``JSONDecodeError``), except
    that integers are read exactly (``orjson`` refuses those of 309 digits or more, which a
    double cannot hold, so the standard library never meets one past its own digit limit)."""
    value = orjson.loads(data)
    raw = data.encode("utf-8", "surrogatepass") if isinstance(data, str) else data
    if _RUN not in raw.translate(_DIGITS):
        return value
    return json.loads(data)


INT_MIN = -(2**63)
INT_MAX = 2**64 - 1
"""The integers ``orjson`` reads and writes as themselves (signed or unsigned 64-bit)."""


def over_64_bits(value: object) -> bool:
    """An integer (not a boolean) outside :data:`INT_MIN`..:data:`INT_MAX`: one that a JSON
    reader of 64-bit numbers (``orjson``, and any that reads numbers as doubles) changes."""
    return (
        isinstance(value, int) and not isinstance(value, bool) and not INT_MIN <= value <= INT_MAX
    )


def id_over_64_bits(shown: str) -> str:
    """The problem of an integer id over the 64-bit range, ``shown`` already truncated: an id
    echoed back must come back as written, and most JSON readers would change it."""
    return (
        f"{shown} is an integer over the 64-bit range, which is not read as a number exactly: "
        "give the id as a string"
    )
