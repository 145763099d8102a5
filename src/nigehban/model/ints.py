"""The integers Nigehban stores: 64-bit signed, what SQL integer columns and JSON encoders take.

Row ids, counts, media sizes and platform numbers outside this range are refused where they
come in (a payload field, an API parameter, a command-line argument), with the value named,
rather than failing in the database driver.
"""

from __future__ import annotations

INT64_MIN = -(2**63)
INT64_MAX = 2**63 - 1
