"""PLACEHOLDER: replaced by the real adapters."""

from __future__ import annotations

from typing import Any, ClassVar

from nigehban.ingest.base import ParseContext, ParseResult
from nigehban.model.refs import Platform


class InstagramGraphAdapter:
    name: ClassVar[str] = "instagram.graph"
    platform: ClassVar[Platform] = Platform.INSTAGRAM

    def sniff(self, payload: object) -> bool:
        return False

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        return ParseResult()


class InstagramWebhookAdapter:
    name: ClassVar[str] = "instagram.webhook"
    platform: ClassVar[Platform] = Platform.INSTAGRAM

    def sniff(self, payload: object) -> bool:
        return False

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        return ParseResult()
