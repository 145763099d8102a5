"""The ``banks`` workflow: bank and entry changes, imports and exports, matching and its log.

Every change goes through one store session (change and audit event commit together) and is
then applied to the in-memory :class:`~nigehban.banks.index.BankIndex` incrementally — the index
is built from the store once, when the workflow starts, and never rebuilt for a change.

Imports parse the whole file first. Bad records are reported with their line and value and the
good ones are added (``all_or_nothing`` refuses the whole file instead); a file that cannot be
read at all, or a failure while storing, changes no bank: the session rolls back.

Matching hashes a file (MD5, SHA-256, PDQ with its eight rotations and flips, vPDQ for video)
or takes a hash or text given by the caller, looks it up in every enabled bank at that bank's
thresholds and writes every match to the match log (item or ``sha256:<hex>``, bank, entry,
distance, time), each with its audit event.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.exc import IntegrityError

from nigehban.banks.formats import Format, detect_format, export, parse
from nigehban.banks.index import BankIndex, BankMatch, MatchResult
from nigehban.banks.model import (
    DIGEST_HEX_CHARS,
    Bank,
    Entry,
    Labels,
    SignalType,
    Thresholds,
    canonical_value,
    check_labels,
    parse_signal_type,
)
from nigehban.errors import ConflictError, InputError, UsageError, ValidationError
from nigehban.hashing.fetch import MediaFetcher
from nigehban.hashing.media import FileHashes, hash_file
from nigehban.hashing.quarantine import Quarantine
from nigehban.hashing.text import MAX_READ_CHARS
from nigehban.hashing.video import VpdqFrame, low_quality_frames, parse_vpdq
from nigehban.privacy.masking import preview
from nigehban.settings import Settings
from nigehban.store.banks import AddOutcome, BankSummary, MatchRecord
from nigehban.store.store import Store
from nigehban.workflows.media import media_fetcher, open_quarantine


@dataclass(frozen=True, slots=True)
class ImportReport:
    bank: str
    format: str
    records: int
    added: int
    duplicates: int
    errors: list[str] = field(default_factory=list)
    withdrawn: int = 0
    """Entries already in the bank that the file marks deleted (a TAT list's removals), now
    disabled. A file never enables an entry again: a local disable stands."""

    def to_dict(self) -> dict[str, Any]:
        return {
            "bank": self.bank,
            "format": self.format,
            "records": self.records,
            "added": self.added,
            "duplicates": self.duplicates,
            "withdrawn": self.withdrawn,
            "errors": len(self.errors),
            "error_lines": self.errors[:100],
        }


@dataclass(frozen=True, slots=True)
class MatchReport:
    """What one query matched, the index snapshot it was matched against, and the logged ids."""

    subject: str
    matches: list[BankMatch]
    snapshot_hash: str
    hashes: FileHashes | None = None
    skipped: list[str] = field(default_factory=list)


_RELABEL = frozenset({"group", "category", "source", "note"})
"""The labels a caller may change one by one (``added_by`` and ``extra`` come with the entry)."""


class BanksWorkflow:
    """One tenant's banks; thread-safe (changes are serialised, matching runs concurrently)."""

    def __init__(
        self,
        store: Store,
        tenant: str,
        *,
        max_image_pixels: int = 50_000_000,
        min_quality: int = 50,
        max_text_chars: int = 100_000,
        max_import_records: int = 1_000_000,
        max_media_bytes: int | None = None,
        fetcher: MediaFetcher | None = None,
        quarantine: Quarantine | None = None,
    ) -> None:
        self.store = store
        self.tenant = tenant
        self.max_image_pixels = max_image_pixels
        self.min_quality = min_quality
        self.max_text_chars = max_text_chars
        self.max_import_records = max_import_records
        self.max_media_bytes = max_media_bytes
        self.fetcher = fetcher
        self.quarantine = quarantine
        self._changes = threading.Lock()
        with store.reading(tenant) as s:
            self._revision: int | None = s.banks.revision()
            banks, entries = s.banks.active()
        self.index = BankIndex(banks, entries)

    @classmethod
    def configured(cls, store: Store, tenant: str, settings: Settings) -> BanksWorkflow:
        """The tenant's banks with the settings' limits, media fetcher and quarantine (as the
        CLI, the API and a scan use them)."""
        return cls(
            store,
            tenant,
            max_image_pixels=settings.max_image_pixels,
            min_quality=settings.hash_min_quality,
            max_text_chars=settings.max_text_chars,
            max_media_bytes=settings.max_media_bytes,
            fetcher=media_fetcher(settings),
            quarantine=open_quarantine(settings, store, tenant),
        )

    def refresh(self) -> bool:
        """Rebuild the index where another process (the CLI, another server) changed the banks
        since it was built: one read of the banks' revision when nothing changed. Whether it
        was rebuilt."""
        with self.store.reading(self.tenant) as s:
            if s.banks.revision() == self._revision:
                return False
        with self._changes:
            with self.store.reading(self.tenant) as s:
                revision = s.banks.revision()
                if revision == self._revision:
                    return False
                banks, entries = s.banks.active()
            self.index = BankIndex(banks, entries)
            self._revision = revision
        return True

    def _changed(self, before: int, after: int) -> None:
        """After this workflow's own change (read in its transaction: the revision ``before``
        and ``after`` it): the index, updated in place, is current unless another process
        changed the banks too, in which case the next :meth:`refresh` rebuilds it."""
        fresh = before == self._revision and after - before <= 1
        self._revision = after if fresh else None

    # -- banks ---------------------------------------------------------------------------------

    def _refresh_banks(self, changed: str | None = None) -> None:
        """After a bank-level change: new thresholds and enabled set; re-add ``changed``'s
        entries if it is (again) enabled."""
        with self.store.reading(self.tenant) as s:
            banks, _ = s.banks.active(with_entries=False)
            names = {b.name for b in banks}
            entries = s.banks.entries(changed) if changed in names and changed else []
        self.index.set_banks(banks)
        if entries:
            self.index.apply(added=[e for e in entries if e.enabled])

    def create(
        self,
        name: str,
        actor: str,
        description: str = "",
        thresholds: Thresholds | None = None,
        enabled: bool = True,
    ) -> Bank:
        bank = Bank(name, description, enabled, thresholds or Thresholds())
        with self._changes:
            with _first_writer_wins(), self.store.session(self.tenant, actor) as s:
                before = s.banks.revision()
                created = s.banks.create(bank, _now())
                after = s.banks.revision()
            self._refresh_banks()
            self._changed(before, after)
        return created

    def update(
        self,
        name: str,
        actor: str,
        *,
        description: str | None = None,
        enabled: bool | None = None,
        thresholds: Thresholds | None = None,
    ) -> Bank:
        with self._changes:
            with self.store.session(self.tenant, actor) as s:
                before = s.banks.revision()
                was_enabled = s.banks.get(name).enabled
                bank = s.banks.update(
                    name, _now(), description=description, enabled=enabled, thresholds=thresholds
                )
                after = s.banks.revision()
            # its entries are read back only when it is enabled again (a new description or
            # thresholds leave them in the index: re-adding 50,000 entries took 9 s)
            self._refresh_banks(name if bank.enabled and not was_enabled else None)
            self._changed(before, after)
        return bank

    def delete(self, name: str, actor: str) -> int:
        with self._changes:
            with self.store.session(self.tenant, actor) as s:
                before = s.banks.revision()
                count = s.banks.delete(name, _now())
                after = s.banks.revision()
            self._refresh_banks()
            self._changed(before, after)
        return count

    def get(self, name: str) -> Bank:
        with self.store.reading(self.tenant) as s:
            return s.banks.get(name)

    def summaries(self) -> list[BankSummary]:
        with self.store.reading(self.tenant) as s:
            return s.banks.summaries()

    # -- entries -------------------------------------------------------------------------------

    def add(
        self,
        bank: str,
        values: Sequence[tuple[str | SignalType, str]],
        actor: str,
        labels: Labels | None = None,
        source: str = "api",
    ) -> AddOutcome:
        """Add ``(signal type, value)`` pairs with the same labels; any bad value refuses all."""
        if labels is not None:
            check_labels(labels)
        entries = []
        for number, (kind, value) in enumerate(values, 1):
            signal_type = kind if isinstance(kind, SignalType) else parse_signal_type(kind)
            where = f"value {number}" if len(values) > 1 else ""
            entries.append(
                Entry(
                    bank,
                    signal_type,
                    canonical_value(signal_type, value, where),
                    labels or Labels(added_by=actor),
                )
            )
        return self._store_entries(bank, entries, actor, source)

    def _store_entries(
        self, bank: str, entries: Sequence[Entry], actor: str, source: str
    ) -> AddOutcome:
        with self._changes:
            with _first_writer_wins(), self.store.session(self.tenant, actor) as s:
                before = s.banks.revision()
                outcome = s.banks.add_entries(bank, entries, _now(), source)
                stored = s.banks.get(bank)
                after = s.banks.revision()
            if stored.enabled:
                self.index.apply(added=outcome.entries)
            self._changed(before, after)
        return outcome

    def set_entry(
        self,
        entry_id: int,
        actor: str,
        *,
        enabled: bool | None = None,
        labels: Labels | None = None,
        relabel: Mapping[str, Any] | None = None,
    ) -> Entry:
        """Enable or disable an entry, replace its ``labels`` or change only the labels named
        in ``relabel`` (``group``, ``category``, ``source``, ``note``; the others, ``extra``
        and ``added_by`` included, are kept)."""
        if labels is not None:
            check_labels(labels)
        unknown = sorted(set(relabel or {}) - _RELABEL)
        if unknown:
            raise UsageError(f"{preview(unknown[0])} is not a label that can be changed")
        with self._changes:
            with self.store.session(self.tenant, actor) as s:
                before = s.banks.revision()
                if relabel:
                    labels = check_labels(replace(s.banks.entry(entry_id).labels, **relabel))
                entry = s.banks.update_entry(entry_id, _now(), enabled=enabled, labels=labels)
                bank_enabled = s.banks.get(entry.bank).enabled
                after = s.banks.revision()
            self.index.apply(
                removed=[entry_id], added=[entry] if entry.enabled and bank_enabled else []
            )
            self._changed(before, after)
        return entry

    def delete_entry(self, entry_id: int, actor: str) -> Entry:
        with self._changes:
            with self.store.session(self.tenant, actor) as s:
                before = s.banks.revision()
                entry = s.banks.delete_entry(entry_id, _now())
                after = s.banks.revision()
            self.index.apply(removed=[entry_id])
            self._changed(before, after)
        return entry

    def entries(
        self, bank: str, signal_type: SignalType | None = None, after_id: int = 0, limit: int = 100
    ) -> list[Entry]:
        with self.store.reading(self.tenant) as s:
            return s.banks.entries(bank, signal_type, after_id, limit)

    # -- import and export ---------------------------------------------------------------------

    def import_file(
        self,
        bank: str,
        data: bytes,
        actor: str,
        *,
        fmt: Format | None = None,
        filename: str = "",
        all_or_nothing: bool = False,
    ) -> ImportReport:
        chosen = fmt or detect_format(data, filename)
        if chosen is None:
            raise InputError(
                filename or "import",
                "cannot tell the format; pass one of " + ", ".join(f.value for f in Format),
            )
        self.get(bank)  # the bank must exist before anything is parsed
        result = parse(chosen, data, filename or "import", bank, self.max_import_records)
        errors = [str(e) for e in result.errors]
        if errors and all_or_nothing:
            return ImportReport(bank, chosen.value, len(result.entries) + len(errors), 0, 0, errors)
        outcome = self._store_entries(
            bank,
            result.entries,
            actor,
            f"import:{chosen.value}:{Path(filename).name[:60]}" if filename else "import",
        )
        withdrawn = [(e.signal_type, e.value) for e in result.entries if not e.enabled]
        disabled = 0
        if withdrawn:
            with self.store.reading(self.tenant) as s:
                found = s.banks.find(bank, withdrawn)
            for entry_id, enabled in sorted(found.items()):
                if enabled and entry_id not in outcome.added:
                    self.set_entry(entry_id, actor, enabled=False)
                    disabled += 1
        return ImportReport(
            bank,
            chosen.value,
            len(result.entries) + len(errors),
            len(outcome.added),
            outcome.duplicates,
            errors,
            withdrawn=disabled,
        )

    def export(self, bank: str, fmt: Format) -> bytes:
        with self.store.reading(self.tenant) as s:
            entries = s.banks.entries(bank)
        return export(fmt, entries)

    # -- matching ------------------------------------------------------------------------------

    def hash_file(self, path: Path) -> FileHashes:
        """Hash a media file; an empty file is refused (nothing to match or bank)."""
        hashes = hash_file(path, max_pixels=self.max_image_pixels, max_bytes=self.max_media_bytes)
        if hashes.size == 0:
            raise InputError(preview(str(path)), "the file is empty (0 bytes)")
        return hashes

    def match_file(
        self, path: Path, actor: str, subject: str | None = None, keep: bool = False
    ) -> MatchReport:
        """Hash and match ``path``. With ``keep`` (an upload or a download, not the caller's own
        file) matched media go to the quarantine when it is enabled; otherwise nothing is kept."""
        hashes = self.hash_file(path)
        report = self.match_hashes(hashes, actor, subject or f"sha256:{hashes.sha256}")
        if keep and report.matches and self.quarantine is not None:
            banks = ",".join(sorted({m.entry.bank for m in report.matches}))
            self.quarantine.put(
                path.read_bytes(),
                ref=report.subject,
                actor=actor,
                reason=f"matched bank {banks}"[:200],
            )
        return report

    def match_url(self, url: str, actor: str, subject: str | None = None) -> MatchReport:
        """Fetch platform media from an allow-listed host, hash, match, discard (or quarantine
        when it matched and quarantine is enabled)."""
        if self.fetcher is None:
            raise UsageError(
                "media fetching is off: set media_fetch_allowed_hosts to the platform's media hosts"
            )
        fetched = self.fetcher.fetch_to_file(url)
        try:
            return self.match_file(fetched.path, actor, subject, keep=True)
        finally:
            fetched.path.unlink(missing_ok=True)

    def match_hashes(self, hashes: FileHashes, actor: str, subject: str) -> MatchReport:
        found: list[BankMatch] = []
        skipped: list[str] = []
        snapshot = ""
        for kind in (SignalType.MD5, SignalType.SHA1, SignalType.SHA256, SignalType.SHA512):
            value = getattr(hashes, kind.value, None)
            if value:
                result = self.index.match_digest(kind, value)
                found += result.matches
                snapshot = result.snapshot_hash
        if hashes.pdq is not None:
            if (hashes.quality or 0) < self.min_quality:
                skipped.append(
                    f"PDQ quality {hashes.quality} is below {self.min_quality}: not matched"
                )
            else:
                result = self.index.match_pdq(list(hashes.pdq_dihedral or (hashes.pdq,)))
                found += result.matches
                snapshot = result.snapshot_hash
        if hashes.vpdq:
            result = self._match_video(hashes.vpdq, skipped)
            found += result.matches
            snapshot = result.snapshot_hash
        return self._log(
            subject, actor, found, snapshot or self.index.snapshot_hash, hashes, skipped
        )

    def match_value(
        self, signal_type: SignalType, value: str, actor: str, subject: str | None = None
    ) -> MatchReport:
        """Match a hash (or vPDQ text, or a text) the caller already has. A text is held to
        :attr:`max_text_chars` (a post's limit), not to the shorter limit of a bank entry."""
        result: MatchResult
        skipped: list[str] = []
        if signal_type is SignalType.TEXT:
            canonical = self._text_to_match(value, skipped)
        else:
            canonical = canonical_value(signal_type, value)
        if signal_type is SignalType.PDQ:
            result = self.index.match_pdq([canonical])
        elif signal_type in DIGEST_HEX_CHARS:
            result = self.index.match_digest(signal_type, canonical)
        elif signal_type is SignalType.VPDQ:
            result = self._match_video(parse_vpdq(canonical), skipped)
        else:
            result = self.index.match_text(canonical)
        label = canonical if signal_type is not SignalType.TEXT else "text"
        return self._log(
            subject or f"{signal_type.value}:{label[:200]}",
            actor,
            result.matches,
            result.snapshot_hash,
            skipped=skipped,
        )

    def match_text(self, text: str, actor: str, subject: str) -> MatchReport:
        skipped: list[str] = []
        result = self.index.match_text(self._text_to_match(text, skipped))
        return self._log(subject, actor, result.matches, result.snapshot_hash, skipped=skipped)

    def _text_to_match(self, text: str, skipped: list[str]) -> str:
        """``text`` checked as a query: not empty, at most :attr:`max_text_chars` code points
        (refused naming its length, never quoting it); ``skipped`` says when only the first
        :data:`~nigehban.hashing.text.MAX_READ_CHARS` of them are read."""
        if not text.strip():
            raise ValidationError("", "value", "a text to match must not be empty")
        if len(text) > self.max_text_chars:
            raise ValidationError(
                "",
                "value",
                f"a text to match is {len(text)} characters, "
                f"over max_text_chars ({self.max_text_chars})",
            )
        if len(text) > MAX_READ_CHARS:
            skipped.append(
                f"text: only the first {MAX_READ_CHARS} of {len(text)} characters are read"
            )
        return text

    def match_frames(self, frames: Sequence[VpdqFrame], actor: str, subject: str) -> MatchReport:
        skipped: list[str] = []
        result = self._match_video(frames, skipped)
        return self._log(subject, actor, result.matches, result.snapshot_hash, skipped=skipped)

    def _match_video(self, frames: Sequence[VpdqFrame], skipped: list[str]) -> MatchResult:
        """Match a video's frames, those of a PDQ quality below :attr:`min_quality` ignored
        (as a low-quality image hash is), and say in ``skipped`` how many were."""
        below, distinct = low_quality_frames(frames, self.min_quality)
        if below:
            skipped.append(
                f"vPDQ: {below} of {distinct} distinct frames have a quality below "
                f"{self.min_quality}: not matched"
            )
        return self.index.match_vpdq(frames, self.min_quality)

    def _log(
        self,
        subject: str,
        actor: str,
        matches: list[BankMatch],
        snapshot: str,
        hashes: FileHashes | None = None,
        skipped: list[str] | None = None,
    ) -> MatchReport:
        if matches:
            now = _now()
            records = [
                MatchRecord(subject, m.entry.bank, m.entry.id or 0, m.signal_type, m.distance, now)
                for m in matches
            ]
            with self.store.session(self.tenant, actor) as s:
                s.banks.log_matches(records)
        return MatchReport(subject, matches, snapshot, hashes, skipped or [])

    def match_log(
        self, subject: str | None = None, entry_id: int | None = None, limit: int = 100
    ) -> list[MatchRecord]:
        with self.store.reading(self.tenant) as s:
            return s.banks.matches(subject, entry_id, limit)


@contextmanager
def _first_writer_wins() -> Iterator[None]:
    """Around a session: a uniqueness rule another process got to first (two adding the same
    entry or creating the same bank at once, each having found it absent) is a
    :class:`ConflictError` with nothing changed (the session rolled back), not a traceback."""
    try:
        yield
    except IntegrityError:
        raise ConflictError(
            "a concurrent change stored the same value or bank first; nothing was changed, "
            "try again"
        ) from None


def _now() -> datetime:
    return datetime.now(UTC)
