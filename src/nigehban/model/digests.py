"""Platform-supplied digests of media, stored exactly as given with a validity flag.

Platforms describe media by reference and sometimes a digest (WhatsApp: base64 SHA-256).
Fixtures and real payloads hold digests that are not valid for their algorithm; those are kept
as given (``valid=False``) rather than rejected, so nothing the platform said is lost, and only
valid ones (normalised to lower-case hex) are matched against banks.
"""

from __future__ import annotations

import base64
import binascii
import re
from dataclasses import dataclass

DIGEST_BYTES = {"md5": 16, "sha1": 20, "sha256": 32, "sha512": 64}
_HEX = re.compile(r"[0-9a-fA-F]+")


@dataclass(frozen=True, slots=True)
class Digest:
    algorithm: str
    given: str
    hex: str | None

    @property
    def valid(self) -> bool:
        return self.hex is not None

    @classmethod
    def parse(cls, algorithm: str, given: str) -> Digest:
        """Accept hex or base64 forms; anything else is kept with ``hex=None``."""
        algorithm = algorithm.lower().replace("-", "")
        size = DIGEST_BYTES.get(algorithm)
        value = given.strip()
        hex_value: str | None = None
        if size is not None:
            if len(value) == 2 * size and _HEX.fullmatch(value):
                hex_value = value.lower()
            else:
                try:
                    raw = base64.b64decode(value, validate=True)
                except (binascii.Error, ValueError):
                    raw = b""
                if len(raw) == size:
                    hex_value = raw.hex()
        return cls(algorithm, given, hex_value)
