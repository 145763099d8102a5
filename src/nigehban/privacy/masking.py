"""Make values safe to put in error messages and logs.

Errors and logs never carry whole posts or personal identifiers. :func:`preview` truncates a
value to about 80 characters and masks what looks like a phone number or a numeric user id
(six or more digits, spaces allowed between them; dates such as ``2025-07-14`` stay readable);
:func:`mask_id` shows only the edges of an identifier so an operator can still correlate it.
"""

from __future__ import annotations

import re

PREVIEW_CHARS = 80

_LONG_DIGITS = re.compile(r"\+?\d(?: ?\d){5,}")


def mask_id(value: str) -> str:
    """``'972987654321'`` -> ``'97…21'``: enough to correlate, not enough to identify."""
    if len(value) <= 4:
        return "…"
    return f"{value[:2]}…{value[-2:]}"


def _mask_digits(match: re.Match[str]) -> str:
    return mask_id(re.sub(r"[ \-+]", "", match.group(0)))


def redact(text: str, limit: int = 200) -> str:
    """Mask identifiers in free text from a platform (an error message) and cut it at ``limit``."""
    masked = _LONG_DIGITS.sub(_mask_digits, text)
    return masked if len(masked) <= limit else masked[:limit] + "…"


def preview(value: object, limit: int = PREVIEW_CHARS) -> str:
    """A short, masked rendering of ``value`` for messages: ``repr``-quoted, cut at ``limit``."""
    text = value if isinstance(value, str) else repr(value)
    masked = _LONG_DIGITS.sub(_mask_digits, text)
    shown = repr(masked) if isinstance(value, str) else masked
    if len(shown) > limit:
        shown = shown[:limit] + f"… ({len(text)} chars)"
    return shown
