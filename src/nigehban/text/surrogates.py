"""Lone surrogates: what is left of an emoji's UTF-16 pair cut in half.

JSON may escape a surrogate on its own (``"\\ud83d"``) and Python keeps the bytes of an
argument that is not UTF-8 as lone surrogates; UTF-8 cannot hold either. Where such a string
must be read or written anyway, each lone surrogate becomes U+FFFD, the replacement
character, one code point for one, so offsets into the text stay the same.
"""

from __future__ import annotations

import re

LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def replace_lone_surrogates(value: object) -> object:
    """``value`` with every lone surrogate in its strings (keys included, through dicts,
    lists and tuples) replaced by U+FFFD; other values as they are."""
    if isinstance(value, str):
        return LONE_SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {replace_lone_surrogates(k): replace_lone_surrogates(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [replace_lone_surrogates(v) for v in value]
    return value
