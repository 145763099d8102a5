"""Ingest: payloads from files, directories or requests into stored items.

For each payload: detect its format (or use the one given), let the adapter parse it, check
what it produced (text size), drop private messages unless ``ingest_private_messages`` is on
(with that reason), and store the rest in batches — items by the revision rules of
``store/items.py``, deletions as tombstones whose content is purged unless a legal hold or a
violating decision preserves it. A bad file or line is reported with its name and the problem,
and the good ones are still ingested; a failed batch is rolled back whole.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from nigehban.errors import NigehbanError, PayloadError, UnknownFormatError, ValidationError
from nigehban.ingest.base import ParseContext, ParseResult, PlatformError, Skip, Tombstone
from nigehban.ingest.registry import AdapterRegistry, default_registry
from nigehban.ingest.sources import SkippedFile, iter_payloads, list_files, read_bytes
from nigehban.model.items import Item, Post
from nigehban.model.refs import Surface
from nigehban.privacy.masking import redact
from nigehban.settings import Settings
from nigehban.store.items import SaveOutcome
from nigehban.store.store import Session, Store

SETTLED_LIMIT = 200_000
PRIVATE_REASON = "private message: not ingested (setting ingest_private_messages is off)"


@dataclass(slots=True)
class IngestReport:
    files: int = 0
    payloads: int = 0
    formats: Counter[str] = field(default_factory=Counter)
    saved: SaveOutcome = field(default_factory=SaveOutcome)
    by_kind: Counter[str] = field(default_factory=Counter)
    tombstones: int = 0
    purged: int = 0
    preserved: int = 0
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
    ) -> None:
        self.store = store
        self.settings = settings
        self.tenant = tenant or settings.default_tenant
        self.actor = actor
        self.registry = registry or default_registry()
        self._settled: dict[str, Item] = {}

    # -- entry points ---------------------------------------------------------------------

    def ingest_paths(
        self,
        paths: Iterable[Path],
        fmt: str | None = None,
        on_file: Progress | None = None,
        report: IngestReport | None = None,
    ) -> IngestReport:
        """Ingest files and directories; ``on_file(n_payloads)`` is called after each file."""
        report = report or IngestReport()
        try:
            files, skipped = list_files(list(paths))
        except PayloadError as exc:
            report.errors.append((exc.source, exc.problem))
            return report
        report.skipped_files.extend(skipped)
        for path in files:
            before = report.payloads
            self.ingest_file(path, fmt, report)
            if on_file is not None:
                on_file(report.payloads - before)
        return report

    def ingest_file(self, path: Path, fmt: str | None, report: IngestReport) -> None:
        report.files += 1
        try:
            data = read_bytes(path, self.settings.max_file_bytes)
        except PayloadError as exc:
            report.errors.append((exc.source, exc.problem))
            return
        batch = ParseResult()
        for decoded in iter_payloads(path, data):
            if isinstance(decoded, PayloadError):
                report.errors.append((decoded.source, decoded.problem))
                continue
            parsed = self._parse(decoded.payload, decoded.source, fmt, report)
            if parsed is not None:
                batch.extend(parsed)
                if len(batch.items) >= self.settings.ingest_batch_size:
                    self._store(batch, report, str(path))
                    batch = ParseResult()
        self._store(batch, report, str(path))

    def ingest_payload(self, payload: object, source: str, fmt: str | None = None) -> IngestReport:
        """Ingest one decoded payload (an API request body, a webhook)."""
        report = IngestReport()
        parsed = self._parse(payload, source, fmt, report)
        if parsed is not None:
            self._store(parsed, report, source)
        return report

    # -- steps ----------------------------------------------------------------------------

    def _parse(
        self, payload: object, source: str, fmt: str | None, report: IngestReport
    ) -> ParseResult | None:
        try:
            if fmt:
                adapter = self.registry.get(fmt)
                if not adapter.sniff(payload):
                    raise UnknownFormatError(source, f"payload does not have the shape of {fmt}")
            else:
                adapter = self.registry.detect(payload, source)
            result = adapter.parse(payload, ParseContext(self.tenant, source))
            self._check(result, source)
        except NigehbanError as exc:
            report.errors.append((source, _problem(exc, source)))
            return None
        report.payloads += 1
        report.formats[adapter.name] += 1
        return result

    def _check(self, result: ParseResult, source: str) -> None:
        limit = self.settings.max_text_chars
        for item in result.items:
            if isinstance(item, Post) and item.text is not None and len(item.text) > limit:
                raise ValidationError(
                    source,
                    f"{item.ref.key[:80]}.text",
                    f"text is {len(item.text)} characters, over the limit of {limit} "
                    "(setting max_text_chars)",
                )

    def _store(self, result: ParseResult, report: IngestReport, source: str) -> None:
        items = result.unique_items()
        tombstones = result.tombstones
        if not self.settings.ingest_private_messages:
            items, dropped = _drop_private(items)
            report.skipped.extend(
                Skip(f"{source}: {redact(ref)}", PRIVATE_REASON) for ref in dropped
            )
        report.skipped.extend(result.skipped)
        report.platform_errors.extend(
            PlatformError(e.where, e.code, redact(e.message)) for e in result.errors
        )
        repeated = [i for i in items if self._settled.get(i.ref.key) == i]
        if repeated:
            items = [i for i in items if self._settled.get(i.ref.key) != i]
        if not items and not tombstones:
            report.saved.unchanged += len(repeated)
            return
        now = datetime.now(UTC)
        try:
            with self.store.session(self.tenant, self.actor) as s:
                outcome = s.items.save(items, now)
                for tomb in tombstones:
                    self._tombstone(s, tomb, now, report)
        except NigehbanError as exc:
            report.errors.append((source, _problem(exc, source)))
            return
        outcome.unchanged += len(repeated)
        report.saved.merge(outcome)
        report.by_kind.update(i.kind.value for i in items)
        self._settle(items, tombstones)

    def _settle(self, items: list[Item], tombstones: list[Tombstone]) -> None:
        """Remember accounts and media stored in this run: payloads repeat them on every post,
        and an identical repeat needs no trip to the store."""
        if len(self._settled) > SETTLED_LIMIT:
            self._settled.clear()
        for item in items:
            if not isinstance(item, Post):
                self._settled[item.ref.key] = item
        for tomb in tombstones:
            self._settled.pop(tomb.ref.key, None)

    def _tombstone(self, s: Session, tomb: Tombstone, now: datetime, report: IngestReport) -> None:
        preserved = bool(s.holds.active([tomb.ref])) or bool(s.decisions.violating([tomb.ref]))
        if s.items.tombstone(tomb.ref, tomb.deleted_at or now, tomb.reason, purge=not preserved):
            report.tombstones += 1
            if preserved:
                report.preserved += 1
            else:
                report.purged += 1


def _drop_private(items: list[Item]) -> tuple[list[Item], list[str]]:
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


def _problem(exc: NigehbanError, source: str) -> str:
    if isinstance(exc, ValidationError | PayloadError) and exc.source:
        return exc.problem if exc.source == source else f"{exc.source}: {exc.problem}"
    return exc.message
