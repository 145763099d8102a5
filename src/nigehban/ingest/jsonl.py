"""PLACEHOLDER: replaced by the real adapter."""

from __future__ import annotations

from typing import Any, ClassVar

from nigehban.ingest.base import ParseContext, ParseResult
from nigehban.model.refs import Platform


class GenericRecordAdapter:
    name: ClassVar[str] = "generic.jsonl"
    platform: ClassVar[Platform] = Platform.GENERIC

    def sniff(self, payload: object) -> bool:
        return False

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        return ParseResult()
