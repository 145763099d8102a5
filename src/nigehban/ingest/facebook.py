"""PLACEHOLDER: replaced by the real adapters."""

from __future__ import annotations

from typing import Any, ClassVar

from nigehban.ingest.base import ParseContext, ParseResult
from nigehban.model.refs import Platform


class FacebookGraphAdapter:
    name: ClassVar[str] = "facebook.graph"
    platform: ClassVar[Platform] = Platform.FACEBOOK

    def sniff(self, payload: object) -> bool:
        return False

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        return ParseResult()


class FacebookWebhookAdapter:
    name: ClassVar[str] = "facebook.webhook"
    platform: ClassVar[Platform] = Platform.FACEBOOK

    def sniff(self, payload: object) -> bool:
        return False

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        return ParseResult()
