"""Make values safe to put in error messages and logs.

Errors and logs never carry whole posts or personal identifiers. :func:`preview` truncates a
value to about 80 characters, and it and :func:`redact` mask what looks like a phone number or
a numeric user id (:func:`mask_identifiers`):

* six or more digits, spaces allowed between them (``923001234567``, ``+92 300 1234567``);
* a number written with dashes, dots or brackets between its digits, as phone numbers are
  (``0300-1234567``, ``+92-300-123-4567``, ``(0300) 123.4567``, ``+1 (555) 123-4567``,
  ``0092.300.1234567``): six or more digits after a ``+``, nine or more without one.

Dates (``2025-07-14``, ``14.07.2025``), IPv4 addresses (``169.254.169.254``), decimal numbers
(``12345.6789``), counts grouped in thousands (``1.234.567.890``, ``1,234,567``) and ids of
fewer than six digits stay readable. :func:`mask_id` shows only the edges of an identifier so an
operator can still correlate it.
"""

from __future__ import annotations

import re

PREVIEW_CHARS = 80

_LONG_DIGITS = re.compile(r"\+?\d(?: ?\d){5,}")
"""Six or more digits, spaces allowed between them."""

_GROUP = r"(?:\(\d{1,5}\)|\d+)"
"""A run of digits, or an area code in brackets."""
_YEAR = r"(?:1[89]|2[01])\d\d"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_DATE = rf"(?:{_YEAR}[.\-]{_MONTH}[.\-]{_DAY}|{_DAY}[.\-]{_DAY}[.\-]{_YEAR})(?!\d)"
"""2025-07-14, 14.07.2025, 07-14-2025."""

_IDENTIFIERS = re.compile(
    # a date, kept whole
    rf"(?P<date>(?<![\w+]){_DATE})"
    # digits in two or more groups, not inside a word or another number: a space, dot or dash
    # between groups (none is needed next to a bracket), never running on into a date
    rf"|(?P<groups>(?:\+|(?<![\w+])){_GROUP}(?:(?:[ .\-](?!{_DATE})|(?<=\))|(?=\()){_GROUP})+)"
    # six or more digits anywhere else
    rf"|{_LONG_DIGITS.pattern}"
)
"""What :func:`_mask` looks at, in one pass: a date, a number in groups, a long number."""

_IPV4 = re.compile(r"(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})")
_DECIMAL = re.compile(r"(?!0\d)\d+\.\d+")
_THOUSANDS = re.compile(r"[1-9]\d{0,2}(?:\.\d{3})+")
_DIGIT = re.compile(r"\d")
_PLUS_DIGITS = 6
_BARE_DIGITS = 9


def mask_id(value: str) -> str:
    """``'972987654321'`` -> ``'97…21'``: enough to correlate, not enough to identify."""
    if len(value) <= 4:
        return "…"
    return f"{value[:2]}…{value[-2:]}"


def _mask_digits(match: re.Match[str]) -> str:
    return mask_id(re.sub(r"[ \-+]", "", match.group(0)))


def _mask(match: re.Match[str]) -> str:
    text = match.group(0)
    if match.group("date") is not None:
        return text
    if match.group("groups") is None:
        return _mask_digits(match)
    digits = "".join(_DIGIT.findall(text))
    address = _IPV4.fullmatch(text)
    if (
        len(digits) < (_PLUS_DIGITS if text.startswith("+") else _BARE_DIGITS)
        or (address is not None and all(int(part) <= 255 for part in address.groups()))
        or _DECIMAL.fullmatch(text)
        or _THOUSANDS.fullmatch(text)
    ):  # not a phone number; six digits with only spaces between them still are an id
        return _LONG_DIGITS.sub(_mask_digits, text)
    return mask_id(digits)


def mask_identifiers(text: str) -> str:
    """``text`` with phone numbers and numeric ids masked (``0300-1234567`` -> ``03…67``)."""
    return _IDENTIFIERS.sub(_mask, text)


def redact(text: str, limit: int = 200) -> str:
    """Mask identifiers in free text from a platform (an error message) and cut it at ``limit``."""
    masked = mask_identifiers(text)
    return masked if len(masked) <= limit else masked[:limit] + "…"


def preview(value: object, limit: int = PREVIEW_CHARS) -> str:
    """A short, masked rendering of ``value`` for messages: ``repr``-quoted, cut at ``limit``."""
    text = value if isinstance(value, str) else repr(value)
    masked = mask_identifiers(text)
    shown = repr(masked) if isinstance(value, str) else masked
    if len(shown) > limit:
        shown = shown[:limit] + f"… ({len(text)} chars)"
    return shown
