"""Ingest: payloads from files, directories or requests into stored items.

Each payload is parsed by :class:`~nigehban.workflows.parsing.BatchParser` (format detection,
adapter, text limit, private messages, items prepared for the store) and stored in batches:
items by the revision rules of ``store/items.py``, deletions as tombstones whose content is
purged unless a legal hold or a violating decision preserves it. A bad file or line is reported
with its name and the problem and the good ones are still ingested; a failed batch is rolled
back whole.

Large line-delimited files are parsed by worker processes (setting ``ingest_workers``) a batch
ahead of the main process, which only stores: parsing and storing then run on two cores.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from nigehban.errors import NigehbanError, PayloadError
from nigehban.ingest.base import PlatformError, Skip, Tombstone
from nigehban.ingest.registry import AdapterRegistry, default_registry
from nigehban.ingest.sources import (
    SkippedFile,
    SourcePayload,
    decode_lines,
    is_line_delimited,
    iter_payloads,
    list_files,
    numbered_lines,
    read_bytes,
)
from nigehban.settings import Settings
from nigehban.store.items import SaveOutcome
from nigehban.store.prepared import PreparedItem
from nigehban.store.store import Session, Store
from nigehban.workflows.parsing import (
    PRIVATE_REASON,
    BatchParser,
    ParsedBatch,
    ParseOptions,
    init_worker,
    parse_lines,
    problem_of,
)
from nigehban.workflows.preservation import kept

__all__ = ["PRIVATE_REASON", "IngestReport", "Ingestor"]

SETTLED_LIMIT = 200_000
PARALLEL_MIN_BYTES = 8_000_000


@dataclass(slots=True)
class IngestReport:
    files: int = 0
    payloads: int = 0
    formats: Counter[str] = field(default_factory=Counter)
    saved: SaveOutcome = field(default_factory=SaveOutcome)
    by_kind: Counter[str] = field(default_factory=Counter)
    tombstones: int = 0
    cases_closed: int = 0
    purged: int = 0
    preserved: int = 0
    kept_for_retention: int = 0
    skipped: list[Skip] = field(default_factory=list)
    platform_errors: list[PlatformError] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    skipped_files: list[SkippedFile] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict[str, object]:
        return {
            "files": self.files,
            "payloads": self.payloads,
            "formats": dict(sorted(self.formats.items())),
            "items": {
                "created": self.saved.created,
                "revised": self.saved.revised,
                "unchanged": self.saved.unchanged,
                "conflicts": self.saved.conflicts,
                "stale_edits": self.saved.stale,
                "refused_deleted": self.saved.refused,
                "by_kind": dict(sorted(self.by_kind.items())),
            },
            "tombstones": self.tombstones,
            "purged": self.purged,
            "preserved": self.preserved,
            "kept_for_retention": self.kept_for_retention,
            "cases_closed": self.cases_closed,
            "skipped": [{"where": s.where, "reason": s.reason} for s in self.skipped],
            "platform_errors": [
                {"where": e.where, "code": e.code, "message": e.message}
                for e in self.platform_errors
            ],
            "errors": [{"source": s, "error": m} for s, m in self.errors],
            "skipped_files": [{"path": f.path, "reason": f.reason} for f in self.skipped_files],
        }


Progress = Callable[[int], None]


class Ingestor:
    """Ingests into one tenant's store as one actor (``cli``, ``api:<key>``, ``webhook:x``)."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        tenant: str | None = None,
        actor: str = "cli",
        registry: AdapterRegistry | None = None,
        on_stored: Callable[[list[str], str], None] | None = None,
    ) -> None:
        """``on_stored(keys, source)`` is called after each batch commits with the keys of every
        item the batch carried (new, revised or unchanged), in payload order, and the file or
        request they came from: a scan decides them."""
        self.on_stored = on_stored
        self.store = store
        self.settings = settings
        self.tenant = tenant or settings.default_tenant
        self.actor = actor
        # Workers build the built-in registry; a custom one keeps parsing in this process.
        self._workers = settings.ingest_workers if registry is None else 0
        self.registry = registry or default_registry()
        self._settled: dict[str, str] = {}

    def _options(self, fmt: str | None) -> ParseOptions:
        return ParseOptions(
            tenant=self.tenant,
            fmt=fmt,
            allow_private=self.settings.ingest_private_messages,
            max_text_chars=self.settings.max_text_chars,
        )

    def _parser(self, fmt: str | None) -> BatchParser:
        return BatchParser(self.registry, self._options(fmt), self.store.digester)

    # -- entry points ---------------------------------------------------------------------

    def ingest_paths(
        self,
        paths: Iterable[Path],
        fmt: str | None = None,
        on_progress: Progress | None = None,
        report: IngestReport | None = None,
        exclude: Sequence[Path] = (),
    ) -> IngestReport:
        """Ingest files and directories. A file a scan wrote, and any of ``exclude``, is
        skipped and listed, not read (:func:`~nigehban.ingest.sources.list_files`).

        ``on_progress(n_bytes)`` is called as input is consumed: after each stored batch of a
        line-delimited file, and after each other file, with the bytes it covered.
        """
        report = report or IngestReport()
        try:
            files, skipped = list_files(list(paths), exclude)
        except PayloadError as exc:
            report.errors.append((exc.source, exc.problem))
            return report
        report.skipped_files.extend(skipped)
        parser = self._parser(fmt)
        advance = on_progress or _ignore
        for path in files:
            self._ingest_file(path, fmt, parser, report, advance)
        return report

    def ingest_payload(self, payload: object, source: str, fmt: str | None = None) -> IngestReport:
        """Ingest one decoded payload (an API request body, a webhook)."""
        report = IngestReport()
        batch = self._parser(fmt).parse([SourcePayload(source, payload)], source)
        self._store(batch, report, source)
        return report

    # -- steps ----------------------------------------------------------------------------

    def _ingest_file(
        self,
        path: Path,
        fmt: str | None,
        parser: BatchParser,
        report: IngestReport,
        advance: Progress,
    ) -> None:
        report.files += 1
        try:
            data = read_bytes(path, self.settings.max_file_bytes)
        except PayloadError as exc:
            report.errors.append((exc.source, exc.problem))
            advance(_size(path))
            return
        name = str(path)
        if not is_line_delimited(path):
            self._store(parser.parse(iter_payloads(path, data), name), report, name)
            advance(len(data))
            return
        chunks = list(_chunked(numbered_lines(data), self.settings.ingest_batch_size))
        sizes = [sum(len(line) + 1 for _, line in chunk) for chunk in chunks]
        if self._workers and len(data) >= PARALLEL_MIN_BYTES:
            batches = self._parse_in_workers(name, iter(chunks), fmt)
        else:
            batches = (parser.parse(decode_lines(name, lines), name) for lines in chunks)
        for batch, size in zip(batches, sizes, strict=True):
            self._store(batch, report, name)
            advance(size)
        advance(len(data) - sum(sizes))  # blank lines

    def _parse_in_workers(
        self, name: str, chunks: Iterator[list[tuple[int, bytes]]], fmt: str | None
    ) -> Iterator[ParsedBatch]:
        """Parse chunks in worker processes, a few ahead of the caller, yielded in order."""
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=self._workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(self._options(fmt), self.store.digester.key),
        ) as pool:
            ahead: list[Future[ParsedBatch]] = []
            for lines in chunks:
                ahead.append(pool.submit(parse_lines, name, lines))
                if len(ahead) > self._workers + 1:
                    yield ahead.pop(0).result()
            for future in ahead:
                yield future.result()

    def _store(self, batch: ParsedBatch, report: IngestReport, source: str) -> None:
        report.payloads += batch.payloads
        report.formats.update(batch.formats)
        report.errors.extend(batch.errors)
        report.skipped.extend(batch.skipped)
        report.platform_errors.extend(batch.platform_errors)
        items = [p for p in batch.items if self._settled.get(p.key) != p.content_hash]
        repeated = len(batch.items) - len(items)
        report.saved.unchanged += repeated
        if not items and not batch.tombstones:
            self._announce(batch, source)
            return
        now = datetime.now(UTC)
        tombs = IngestReport()
        try:
            with self.store.session(self.tenant, self.actor) as s:
                outcome = s.items.save(items, now)
                for tomb in batch.tombstones:
                    self._tombstone(s, tomb, now, tombs)
        except NigehbanError as exc:
            report.errors.append((source, problem_of(exc, source)))
            return
        report.saved.merge(outcome)
        report.by_kind.update(p.kind for p in items)
        report.tombstones += tombs.tombstones
        report.purged += tombs.purged
        report.preserved += tombs.preserved
        report.kept_for_retention += tombs.kept_for_retention
        report.cases_closed += tombs.cases_closed
        self._settle(items, batch.tombstones)
        self._announce(batch, source)

    def _announce(self, batch: ParsedBatch, source: str) -> None:
        if self.on_stored is not None and batch.items:
            self.on_stored(list(dict.fromkeys(p.key for p in batch.items)), source)

    def _settle(self, items: list[PreparedItem], tombstones: list[Tombstone]) -> None:
        """Remember accounts and media stored in this run: payloads repeat them on every post,
        and an identical repeat needs no trip to the store."""
        if len(self._settled) > SETTLED_LIMIT:
            self._settled.clear()
        for item in items:
            if item.kind != "post":
                self._settled[item.key] = item.content_hash
        for tomb in tombstones:
            self._settled.pop(tomb.ref.key, None)

    def _tombstone(self, s: Session, tomb: Tombstone, now: datetime, report: IngestReport) -> None:
        # kept as a retention purge keeps it: by its own hold or violating decision, or by a
        # hold on the account that wrote it or on a post that shares or quotes it
        preserved = tomb.ref.key in kept(s, [tomb.ref])
        # a platform's deletion time after now (Facebook's 253402300799, 9999-12-31) is not
        # believed: the item was deleted by the time the payload arrived
        deleted_at = min(tomb.deleted_at or now, now)
        # the content of a deleted item is kept for retention_deleted_days (0: purged at once);
        # the retention purge takes it once they have passed
        expired = deleted_at <= now - timedelta(days=self.settings.retention_deleted_days)
        purge = expired and not preserved
        if s.items.tombstone(tomb.ref, deleted_at, tomb.reason, purge=purge, at=now):
            report.tombstones += 1
            if preserved:
                report.preserved += 1
                return
            if not purge:
                report.kept_for_retention += 1
                return
            report.purged += 1
            # nothing is left for a reviewer to look at: the item's open case ends with it
            # (a preserved item's case stays open, its content and account still reviewable)
            report.cases_closed += s.cases.close_reviews(
                tomb.ref, "closed: deleted on the platform, and its content purged", now
            )


def _ignore(_: int) -> None:
    return None


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _chunked(lines: list[tuple[int, bytes]], size: int) -> Iterator[list[tuple[int, bytes]]]:
    for start in range(0, len(lines), size):
        yield lines[start : start + size]
