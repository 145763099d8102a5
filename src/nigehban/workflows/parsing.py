"""The pure half of ingest: decoded payloads in, a batch ready to store out.

:class:`BatchParser` detects each payload's format (or checks the forced one), lets the adapter
parse it, refuses texts over ``max_text_chars``, drops private messages unless they are allowed
(with that reason), and prepares every item for the store (:mod:`nigehban.store.prepared`). It
touches no database, so the ingest workflow can run it in a worker process on one batch while
the main process stores the previous one; everything in a :class:`ParsedBatch` pickles cheaply.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from nigehban.audit.digests import Digester
from nigehban.errors import NigehbanError, PayloadError, UnknownFormatError, ValidationError
from nigehban.ingest.base import ParseContext, ParseResult, PlatformError, Skip, Tombstone
from nigehban.ingest.registry import AdapterRegistry
from nigehban.ingest.sources import SourcePayload, decode_lines
from nigehban.model.items import Item, Post
from nigehban.model.refs import Surface
from nigehban.privacy.masking import redact
from nigehban.store.prepared import PreparedItem, prepare

PRIVATE_REASON = "private message: not ingested (setting ingest_private_messages is off)"


@dataclass(slots=True)
class ParsedBatch:
    items: list[PreparedItem] = field(default_factory=list)
    tombstones: list[Tombstone] = field(default_factory=list)
    skipped: list[Skip] = field(default_factory=list)
    platform_errors: list[PlatformError] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    formats: Counter[str] = field(default_factory=Counter)
    payloads: int = 0


@dataclass(frozen=True, slots=True)
class ParseOptions:
    tenant: str
    fmt: str | None
    allow_private: bool
    max_text_chars: int


class BatchParser:
    def __init__(self, registry: AdapterRegistry, options: ParseOptions, digester: Digester):
        self.registry = registry
        self.options = options
        self.digester = digester

    def parse(self, decoded: Iterable[SourcePayload | PayloadError], source: str) -> ParsedBatch:
        """Parse payloads into one batch; ``source`` names the batch (a file or a request)."""
        batch = ParsedBatch()
        combined = ParseResult()
        for one in decoded:
            if isinstance(one, PayloadError):
                batch.errors.append((one.source, one.problem))
                continue
            result = self._parse_one(one.payload, one.source, batch)
            if result is not None:
                combined.extend(result)
        items = combined.unique_items()
        if not self.options.allow_private:
            items, dropped = drop_private(items)
            batch.skipped.extend(
                Skip(f"{source}: {redact(ref)}", PRIVATE_REASON) for ref in dropped
            )
        batch.skipped.extend(combined.skipped)
        batch.platform_errors.extend(
            PlatformError(e.where, e.code, redact(e.message)) for e in combined.errors
        )
        batch.tombstones.extend(combined.tombstones)
        batch.items.extend(prepare(item, self.digester) for item in items)
        return batch

    def _parse_one(self, payload: object, source: str, batch: ParsedBatch) -> ParseResult | None:
        fmt = self.options.fmt
        try:
            if fmt:
                adapter = self.registry.get(fmt)
                if not adapter.sniff(payload):
                    raise UnknownFormatError(source, f"payload does not have the shape of {fmt}")
            else:
                adapter = self.registry.detect(payload, source)
            result = adapter.parse(payload, ParseContext(self.options.tenant, source))
            self._check(result, source)
        except NigehbanError as exc:
            batch.errors.append((source, problem_of(exc, source)))
            return None
        batch.payloads += 1
        batch.formats[adapter.name] += 1
        return result

    def _check(self, result: ParseResult, source: str) -> None:
        limit = self.options.max_text_chars
        for item in result.items:
            if isinstance(item, Post) and item.text is not None and len(item.text) > limit:
                raise ValidationError(
                    source,
                    f"{redact(item.ref.key, 80)}.text",
                    f"text is {len(item.text)} characters, over the limit of {limit} "
                    "(setting max_text_chars)",
                )


def drop_private(items: list[Item]) -> tuple[list[Item], list[str]]:
    """Drop private posts, and accounts/media that only private posts reference."""
    private = [i for i in items if isinstance(i, Post) and i.surface is Surface.PRIVATE]
    if not private:
        return items, []
    kept_posts = [i for i in items if isinstance(i, Post) and i.surface is not Surface.PRIVATE]
    used_by_kept: set[str] = set()
    used_by_private: set[str] = set()
    for posts, used in ((kept_posts, used_by_kept), (private, used_by_private)):
        for p in posts:
            used.update(m.key for m in p.media)
            if p.author is not None:
                used.add(p.author.key)
    kept: list[Item] = []
    dropped: list[str] = [p.ref.key for p in private]
    for item in items:
        if isinstance(item, Post):
            if item.surface is not Surface.PRIVATE:
                kept.append(item)
        elif item.ref.key in used_by_private and item.ref.key not in used_by_kept:
            dropped.append(item.ref.key)
        else:
            kept.append(item)
    return kept, dropped


def problem_of(exc: NigehbanError, source: str) -> str:
    """The message of ``exc`` without repeating ``source`` when it names the same place."""
    if isinstance(exc, ValidationError | PayloadError) and exc.source:
        return exc.problem if exc.source == source else f"{exc.source}: {exc.problem}"
    return exc.message


# -- in a worker process ---------------------------------------------------------------------

_worker_parser: BatchParser | None = None


def init_worker(options: ParseOptions, audit_key: bytes) -> None:
    """Process initializer: build this worker's parser once (built-in adapters only)."""
    global _worker_parser  # noqa: PLW0603 - per-process state of a worker, set once
    from nigehban.ingest.registry import default_registry

    _worker_parser = BatchParser(default_registry(), options, Digester(audit_key))


def parse_lines(name: str, lines: list[tuple[int, bytes]]) -> ParsedBatch:
    """Worker job: decode and parse numbered lines of file ``name``."""
    if _worker_parser is None:
        raise RuntimeError("parse_lines runs in a worker started with init_worker")
    return _worker_parser.parse(decode_lines(name, lines), name)
