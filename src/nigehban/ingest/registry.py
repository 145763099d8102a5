"""The adapter registry and format auto-detection.

Detection asks every registered adapter whether it recognises the payload's shape. Exactly one
must: none is an :class:`~nigehban.errors.UnknownFormatError`, several an
:class:`~nigehban.errors.AmbiguousFormatError` — Nigehban refuses to guess.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from nigehban.errors import AmbiguousFormatError, ConflictError, UnknownFormatError
from nigehban.ingest.base import Adapter
from nigehban.privacy.masking import preview


class AdapterRegistry:
    def __init__(self, adapters: Iterable[Adapter] = ()) -> None:
        self._adapters: dict[str, Adapter] = {}
        for adapter in adapters:
            self.register(adapter)

    def register(self, adapter: Adapter) -> None:
        if adapter.name in self._adapters:
            raise ConflictError(f"an adapter named {adapter.name!r} is already registered")
        self._adapters[adapter.name] = adapter

    def names(self) -> list[str]:
        return sorted(self._adapters)

    def get(self, name: str) -> Adapter:
        try:
            return self._adapters[name]
        except KeyError:
            known = ", ".join(self.names())
            raise UnknownFormatError(
                "", f"unknown format {preview(name)} (known: {known})"
            ) from None

    def detect(self, payload: object, source: str) -> Adapter:
        claims = [a for a in self._adapters.values() if a.sniff(payload)]
        if len(claims) == 1:
            return claims[0]
        if claims:
            raise AmbiguousFormatError(source, [a.name for a in claims])
        raise UnknownFormatError(source, f"unrecognised payload shape ({_describe(payload)})")


def _describe(payload: object) -> str:
    if isinstance(payload, Mapping):
        keys = sorted(str(k) for k in payload)[:8]
        return "an object with keys " + preview(", ".join(keys))
    if isinstance(payload, list):
        return f"a list of {len(payload)} elements"
    return f"a {type(payload).__name__}"


def default_registry() -> AdapterRegistry:
    """Every built-in adapter."""
    from nigehban.ingest.facebook import FacebookGraphAdapter, FacebookWebhookAdapter
    from nigehban.ingest.instagram import InstagramGraphAdapter, InstagramWebhookAdapter
    from nigehban.ingest.jsonl import GenericRecordAdapter
    from nigehban.ingest.telegram_bot import TelegramBotAdapter
    from nigehban.ingest.telegram_export import TelegramExportAdapter
    from nigehban.ingest.whatsapp import WhatsAppWebhookAdapter
    from nigehban.ingest.x_activity import XActivityAdapter
    from nigehban.ingest.x_archive import XArchiveAdapter
    from nigehban.ingest.x_v1 import XV1Adapter
    from nigehban.ingest.x_v2 import XV2Adapter

    return AdapterRegistry(
        [
            XV2Adapter(),
            XV1Adapter(),
            XArchiveAdapter(),
            XActivityAdapter(),
            TelegramBotAdapter(),
            TelegramExportAdapter(),
            WhatsAppWebhookAdapter(),
            FacebookGraphAdapter(),
            FacebookWebhookAdapter(),
            InstagramGraphAdapter(),
            InstagramWebhookAdapter(),
            GenericRecordAdapter(),
        ]
    )
