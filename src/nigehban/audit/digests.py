"""Keyed digests: how audit events refer to items and content without carrying them.

An audit event never holds content or personal data — only opaque references and HMAC-SHA256
digests under the deployment's secret key. The digest of an item's key lets an auditor who is
given the key and the item confirm an event is about it, while the published log reveals
nothing; purging or erasing the item later never breaks the chain.
"""

from __future__ import annotations

import hmac


class Digester:
    """HMAC-SHA256 under one key, truncated to 32 hex characters (128 bits)."""

    __slots__ = ("key",)

    def __init__(self, key: bytes) -> None:
        if len(key) < 16:
            raise ValueError("the audit key must be at least 16 bytes")
        self.key = key

    def digest(self, value: str) -> str:
        return hmac.digest(self.key, value.encode("utf-8"), "sha256").hex()[:32]
