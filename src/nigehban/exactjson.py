"""JSON read fast, with every integer kept whole.

``orjson`` (the fast, strict reader used for payloads and hash lists) reads an integer beyond 64
bits as a float: a record ``"id": 20000000000000000001`` would come back as ``2e+19``, another
number, silently. :func:`loads` reads with ``orjson`` (its strictness and errors unchanged) and,
where the text holds a run of 19 or more digits (the shortest integer that may not fit in 64
bits, or digits inside a string, which costs only time), reads the already-checked text again
with the standard library, whose integers have no size limit.
"""

from __future__ import annotations

import json
import re
from typing import Any

import orjson

_LONG_DIGITS = re.compile(rb"[0-9]{19}")
_LONG_DIGITS_TEXT = re.compile(r"[0-9]{19}")


def loads(data: str | bytes) -> Any:
    """``data`` as JSON, as ``orjson.loads`` reads it (raising its ``JSONDecodeError``), except
    that integers are read exactly (``orjson`` refuses those of 309 digits or more, which a
    double cannot hold, so the standard library never meets one past its own digit limit)."""
    value = orjson.loads(data)
    if isinstance(data, str):
        long = _LONG_DIGITS_TEXT.search(data) is not None
    else:
        long = _LONG_DIGITS.search(data) is not None
    if not long:
        return value
    return json.loads(data)
