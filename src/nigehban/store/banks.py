"""Banks of known content, their entries and the match log, per tenant.

Every change writes its audit event in the same transaction (``store/audited.py``): creating,
updating and deleting banks; adding entries (one event per step — an ``add`` or a whole import —
with a digest of the values added); enabling, disabling, relabelling and deleting entries; and
every match. An entry's ``value_key`` (its hex, or the SHA-256 of a text or vPDQ value) makes a
value unique inside its bank: adding it again is reported as a duplicate, not stored twice.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, RowMapping, delete, func, insert, select, update

from nigehban.audit.events import (
    BankCreated,
    BankDeleted,
    BankEntriesAdded,
    BankEntryDeleted,
    BankEntryUpdated,
    BankMatched,
    BankUpdated,
)
from nigehban.banks.model import (
    DEFAULT_VPDQ_TARGET_PERCENT,
    DIGEST_HEX_CHARS,
    Bank,
    Entry,
    Labels,
    SignalType,
    Thresholds,
    check_bank_name,
)
from nigehban.errors import ConflictError, NotFoundError, ValidationError
from nigehban.model.taxonomy import Category
from nigehban.store._sql import chunks, insert_ignore, utc
from nigehban.store.audit_log import AuditLog
from nigehban.store.audited import emits, reads
from nigehban.store.schema import bank_entries, bank_matches, bank_revisions, banks

MAX_DESCRIPTION = 500


@dataclass(frozen=True, slots=True)
class BankSummary:
    bank: Bank
    entries: int
    enabled_entries: int
    by_type: Mapping[str, int]


@dataclass(frozen=True, slots=True)
class AddOutcome:
    added: list[int]
    duplicates: int
    entries: list[Entry]
    """The entries added, as stored (with ids and times)."""


@dataclass(frozen=True, slots=True)
class MatchRecord:
    """One logged match: what matched (an item key or ``sha256:<hex>``), where, how close."""

    subject: str
    bank: str
    entry_id: int
    signal_type: SignalType
    distance: float
    matched_at: datetime
    id: int | None = None


def value_key(signal_type: SignalType, value: str) -> str:
    """The unique key of a canonical value inside a bank."""
    if signal_type is SignalType.PDQ or signal_type in DIGEST_HEX_CHARS:
        return value
    return hashlib.sha256(f"{signal_type.value}\0{value}".encode()).hexdigest()


def thresholds_to_json(t: Thresholds) -> dict[str, Any]:
    return {
        "pdq": t.pdq,
        "vpdq_frame": t.vpdq_frame,
        "vpdq_percent": t.vpdq_percent,
        "vpdq_target_percent": t.vpdq_target_percent,
        "text": t.text,
    }


def thresholds_from_json(data: Mapping[str, Any]) -> Thresholds:
    return Thresholds(
        pdq=int(data["pdq"]),
        vpdq_frame=int(data["vpdq_frame"]),
        vpdq_percent=float(data["vpdq_percent"]),
        vpdq_target_percent=float(data.get("vpdq_target_percent", DEFAULT_VPDQ_TARGET_PERCENT)),
        text=float(data["text"]),
    )


def labels_to_json(labels: Labels) -> dict[str, Any]:
    return {
        "group": labels.group,
        "category": labels.category.value if labels.category else None,
        "source": labels.source,
        "added_by": labels.added_by,
        "note": labels.note,
        "extra": dict(labels.extra),
    }


def labels_from_json(data: Mapping[str, Any]) -> Labels:
    category = data.get("category")
    return Labels(
        group=data.get("group"),
        category=Category(category) if category else None,
        source=data.get("source"),
        added_by=data.get("added_by"),
        note=data.get("note"),
        extra={str(k): str(v) for k, v in (data.get("extra") or {}).items()},
    )


def values_digest(entries: Sequence[Entry]) -> str:
    h = hashlib.sha256()
    for entry in entries:
        h.update(f"{entry.signal_type.value}\0{entry.value}\n".encode())
    return h.hexdigest()


def _bank(row: RowMapping) -> Bank:
    return Bank(
        name=row["name"],
        description=row["description"],
        enabled=bool(row["enabled"]),
        thresholds=thresholds_from_json(row["thresholds"]),
        created_at=utc(row["created_at"]),
        updated_at=utc(row["updated_at"]),
    )


def _entry(row: RowMapping, bank: str) -> Entry:
    return Entry(
        bank=bank,
        signal_type=SignalType(row["signal_type"]),
        value=row["value"],
        labels=labels_from_json(row["labels"]),
        enabled=bool(row["enabled"]),
        id=int(row["id"]),
        created_at=utc(row["created_at"]),
        updated_at=utc(row["updated_at"]),
    )


class SqlBankRepository:
    def __init__(self, conn: Connection, tenant: str, audit: AuditLog) -> None:
        self._conn = conn
        self._tenant = tenant
        self._audit = audit

    def _bank_row(self, name: str) -> RowMapping:
        row = (
            self._conn.execute(
                select(banks).where(banks.c.tenant_id == self._tenant, banks.c.name == name)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError("bank", name[:63])
        return row

    def _entry_row(self, entry_id: int) -> tuple[RowMapping, str]:
        row = (
            self._conn.execute(
                select(bank_entries, banks.c.name.label("bank_name"))
                .join(banks, banks.c.id == bank_entries.c.bank_id)
                .where(bank_entries.c.tenant_id == self._tenant, bank_entries.c.id == entry_id)
            )
            .mappings()
            .first()
        )
        if row is None:
            raise NotFoundError("bank entry", str(entry_id))
        return row, str(row["bank_name"])

    def _bump(self) -> None:
        """One more change to this tenant's banks, in the change's transaction (a long-running
        index compares the number with the one it was built at)."""
        insert_ignore(self._conn, bank_revisions, [{"tenant_id": self._tenant, "revision": 0}])
        self._conn.execute(
            update(bank_revisions)
            .where(bank_revisions.c.tenant_id == self._tenant)
            .values(revision=bank_revisions.c.revision + 1)
        )

    @reads
    def revision(self) -> int:
        """How many changes this tenant's banks and entries have had (0: none yet)."""
        found = self._conn.execute(
            select(bank_revisions.c.revision).where(bank_revisions.c.tenant_id == self._tenant)
        ).scalar()
        return int(found or 0)

    @emits(BankCreated)
    def create(self, bank: Bank, at: datetime) -> Bank:
        check_bank_name(bank.name)
        if len(bank.description) > MAX_DESCRIPTION:
            raise ValidationError(
                "", "description", f"is {len(bank.description)} characters (at most 500)"
            )
        exists = self._conn.execute(
            select(banks.c.id).where(banks.c.tenant_id == self._tenant, banks.c.name == bank.name)
        ).first()
        if exists is not None:
            raise ConflictError(f"a bank named {bank.name!r} already exists")
        self._conn.execute(
            insert(banks).values(
                tenant_id=self._tenant,
                name=bank.name,
                description=bank.description,
                enabled=bank.enabled,
                thresholds=thresholds_to_json(bank.thresholds),
                created_at=at,
                updated_at=at,
            )
        )
        self._audit.append(BankCreated(bank.name), at)
        self._bump()
        return replace(bank, created_at=at, updated_at=at)

    @emits(BankUpdated)
    def update(
        self,
        name: str,
        at: datetime,
        *,
        description: str | None = None,
        enabled: bool | None = None,
        thresholds: Thresholds | None = None,
    ) -> Bank:
        row = self._bank_row(name)
        values: dict[str, Any] = {}
        if description is not None:
            if len(description) > MAX_DESCRIPTION:
                raise ValidationError(
                    "", "description", f"is {len(description)} characters (at most 500)"
                )
            values["description"] = description
        if enabled is not None:
            values["enabled"] = enabled
        if thresholds is not None:
            values["thresholds"] = thresholds_to_json(thresholds)
        if values:
            values["updated_at"] = at
            self._conn.execute(update(banks).where(banks.c.id == row["id"]).values(**values))
            changed = ",".join(sorted(k for k in values if k != "updated_at"))
            self._audit.append(BankUpdated(name, changed), at)
            self._bump()
        return self.get(name)

    @emits(BankDeleted)
    def delete(self, name: str, at: datetime) -> int:
        row = self._bank_row(name)
        count = int(
            self._conn.execute(
                select(func.count()).where(bank_entries.c.bank_id == row["id"])
            ).scalar_one()
        )
        self._conn.execute(delete(bank_entries).where(bank_entries.c.bank_id == row["id"]))
        self._conn.execute(delete(banks).where(banks.c.id == row["id"]))
        self._audit.append(BankDeleted(name, count), at)
        self._bump()
        return count

    @reads
    def get(self, name: str) -> Bank:
        return _bank(self._bank_row(name))

    @reads
    def summaries(self) -> list[BankSummary]:
        rows = (
            self._conn.execute(
                select(banks).where(banks.c.tenant_id == self._tenant).order_by(banks.c.name)
            )
            .mappings()
            .all()
        )
        counts: dict[int, dict[str, int]] = {}
        enabled: dict[int, int] = {}
        for bank_id, signal_type, is_enabled, n in self._conn.execute(
            select(
                bank_entries.c.bank_id,
                bank_entries.c.signal_type,
                bank_entries.c.enabled,
                func.count(),
            )
            .where(bank_entries.c.tenant_id == self._tenant)
            .group_by(bank_entries.c.bank_id, bank_entries.c.signal_type, bank_entries.c.enabled)
        ):
            by_type = counts.setdefault(int(bank_id), {})
            by_type[signal_type] = by_type.get(signal_type, 0) + int(n)
            if is_enabled:
                enabled[int(bank_id)] = enabled.get(int(bank_id), 0) + int(n)
        return [
            BankSummary(
                bank=_bank(row),
                entries=sum(counts.get(int(row["id"]), {}).values()),
                enabled_entries=enabled.get(int(row["id"]), 0),
                by_type=dict(sorted(counts.get(int(row["id"]), {}).items())),
            )
            for row in rows
        ]

    @emits(BankEntriesAdded)
    def add_entries(
        self, bank: str, entries: Sequence[Entry], at: datetime, source: str = "api"
    ) -> AddOutcome:
        """Add canonical entries to ``bank``; values already in it are counted, not added."""
        row = self._bank_row(bank)
        bank_id = int(row["id"])
        keys = [value_key(e.signal_type, e.value) for e in entries]
        existing: set[tuple[str, str]] = set()
        for part in chunks(sorted(set(keys))):
            existing.update(
                (str(t), str(k))
                for t, k in self._conn.execute(
                    select(bank_entries.c.signal_type, bank_entries.c.value_key).where(
                        bank_entries.c.bank_id == bank_id, bank_entries.c.value_key.in_(part)
                    )
                )
            )
        added: list[int] = []
        new: list[Entry] = []
        duplicates = 0
        for entry, key in zip(entries, keys, strict=True):
            if (entry.signal_type.value, key) in existing:
                duplicates += 1
                continue
            existing.add((entry.signal_type.value, key))
            entry_id = int(
                self._conn.execute(
                    insert(bank_entries).values(
                        tenant_id=self._tenant,
                        bank_id=bank_id,
                        signal_type=entry.signal_type.value,
                        value_key=key,
                        value=entry.value,
                        labels=labels_to_json(entry.labels),
                        enabled=entry.enabled,
                        created_at=at,
                        updated_at=at,
                    )
                ).inserted_primary_key[0]
            )
            added.append(entry_id)
            new.append(replace(entry, bank=bank, id=entry_id, created_at=at, updated_at=at))
        self._audit.append(
            BankEntriesAdded(
                bank,
                len(added),
                added[0] if added else None,
                added[-1] if added else None,
                source[:100],
                values_digest(new),
            ),
            at,
        )
        if added:
            self._bump()
        return AddOutcome(added, duplicates, new)

    @emits(BankEntryUpdated)
    def update_entry(
        self,
        entry_id: int,
        at: datetime,
        *,
        enabled: bool | None = None,
        labels: Labels | None = None,
    ) -> Entry:
        _, bank = self._entry_row(entry_id)
        values: dict[str, Any] = {}
        if enabled is not None:
            values["enabled"] = enabled
        if labels is not None:
            values["labels"] = labels_to_json(labels)
        if values:
            values["updated_at"] = at
            self._conn.execute(
                update(bank_entries).where(bank_entries.c.id == entry_id).values(**values)
            )
            changed = ",".join(sorted(k for k in values if k != "updated_at"))
            self._audit.append(BankEntryUpdated(bank, entry_id, changed), at)
            self._bump()
        return self.entry(entry_id)

    @emits(BankEntryDeleted)
    def delete_entry(self, entry_id: int, at: datetime) -> Entry:
        row, bank = self._entry_row(entry_id)
        self._conn.execute(delete(bank_entries).where(bank_entries.c.id == entry_id))
        self._audit.append(BankEntryDeleted(bank, entry_id), at)
        self._bump()
        return _entry(row, bank)

    @reads
    def find(self, bank: str, values: Sequence[tuple[SignalType, str]]) -> dict[int, bool]:
        """The entries of ``bank`` holding any of ``values`` (canonical), as id -> enabled."""
        bank_id = int(self._bank_row(bank)["id"])
        wanted = {(t.value, value_key(t, v)) for t, v in values}
        found: dict[int, bool] = {}
        for part in chunks(sorted({k for _, k in wanted})):
            for row in self._conn.execute(
                select(
                    bank_entries.c.id,
                    bank_entries.c.signal_type,
                    bank_entries.c.value_key,
                    bank_entries.c.enabled,
                ).where(bank_entries.c.bank_id == bank_id, bank_entries.c.value_key.in_(part))
            ):
                if (str(row.signal_type), str(row.value_key)) in wanted:
                    found[int(row.id)] = bool(row.enabled)
        return found

    @reads
    def entry(self, entry_id: int) -> Entry:
        row, bank = self._entry_row(entry_id)
        return _entry(row, bank)

    @reads
    def entries(
        self,
        bank: str,
        signal_type: SignalType | None = None,
        after_id: int = 0,
        limit: int | None = None,
    ) -> list[Entry]:
        bank_id = int(self._bank_row(bank)["id"])
        query = (
            select(bank_entries)
            .where(bank_entries.c.bank_id == bank_id, bank_entries.c.id > after_id)
            .order_by(bank_entries.c.id)
        )
        if signal_type is not None:
            query = query.where(bank_entries.c.signal_type == signal_type.value)
        if limit is not None:
            query = query.limit(limit)
        return [_entry(row, bank) for row in self._conn.execute(query).mappings()]

    @reads
    def active(self, with_entries: bool = True) -> tuple[list[Bank], list[Entry]]:
        """Enabled banks and (unless ``with_entries`` is false) their enabled entries: what a
        match index is built from."""
        rows = (
            self._conn.execute(
                select(banks).where(banks.c.tenant_id == self._tenant, banks.c.enabled)
            )
            .mappings()
            .all()
        )
        if not with_entries:
            return [_bank(r) for r in rows], []
        names = {int(r["id"]): str(r["name"]) for r in rows}
        entries = [
            _entry(row, names[int(row["bank_id"])])
            for row in self._conn.execute(
                select(bank_entries)
                .where(
                    bank_entries.c.tenant_id == self._tenant,
                    bank_entries.c.enabled,
                    bank_entries.c.bank_id.in_(list(names)),
                )
                .order_by(bank_entries.c.id)
            ).mappings()
        ]
        return [_bank(r) for r in rows], entries

    @emits(BankMatched)
    def log_matches(self, records: Sequence[MatchRecord]) -> list[int]:
        ids: list[int] = []
        for record in records:
            ids.append(
                int(
                    self._conn.execute(
                        insert(bank_matches).values(
                            tenant_id=self._tenant,
                            subject=record.subject,
                            bank=record.bank,
                            entry_id=record.entry_id,
                            signal_type=record.signal_type.value,
                            distance=record.distance,
                            matched_at=record.matched_at,
                        )
                    ).inserted_primary_key[0]
                )
            )
            self._audit.append(
                BankMatched(
                    self._audit.subject(record.subject),
                    record.bank,
                    record.entry_id,
                    record.signal_type.value,
                    f"{record.distance:g}",
                ),
                record.matched_at,
            )
        return ids

    @reads
    def matches(
        self, subject: str | None = None, entry_id: int | None = None, limit: int = 100
    ) -> list[MatchRecord]:
        query = (
            select(bank_matches)
            .where(bank_matches.c.tenant_id == self._tenant)
            .order_by(bank_matches.c.id.desc())
            .limit(limit)
        )
        if subject is not None:
            query = query.where(bank_matches.c.subject == subject)
        if entry_id is not None:
            query = query.where(bank_matches.c.entry_id == entry_id)
        return [
            MatchRecord(
                subject=row["subject"],
                bank=row["bank"],
                entry_id=int(row["entry_id"]),
                signal_type=SignalType(row["signal_type"]),
                distance=float(row["distance"]),
                matched_at=utc(row["matched_at"]) or row["matched_at"],
                id=int(row["id"]),
            )
            for row in self._conn.execute(query).mappings()
        ]
