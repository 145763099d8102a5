"""Typed audit events: one dataclass per kind of state change, each with a stable ``name``.

Fields are opaque: ``subject`` is a keyed digest of an item's key (``Digester.digest``),
``content`` a keyed digest of a content hash, numbers are counts or internal ids. Every write
method of the store emits one of these in the same transaction as its change (see
``store/audited.py`` and the test that proves it).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import ClassVar

EventValue = str | int | bool | None


@dataclass(frozen=True, slots=True)
class AuditEvent:
    name: ClassVar[str] = "event"

    def data(self) -> dict[str, EventValue]:
        return {name: getattr(self, name) for name in _field_names(type(self))}


_FIELDS: dict[type[AuditEvent], tuple[str, ...]] = {}


def _field_names(cls: type[AuditEvent]) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        names = _FIELDS[cls] = tuple(f.name for f in fields(cls))
    return names


@dataclass(frozen=True, slots=True)
class TenantCreated(AuditEvent):
    name: ClassVar[str] = "tenant.created"
    tenant: str


@dataclass(frozen=True, slots=True)
class ItemCreated(AuditEvent):
    name: ClassVar[str] = "item.created"
    subject: str
    kind: str
    revision: int
    content: str


@dataclass(frozen=True, slots=True)
class ItemRevised(AuditEvent):
    """A new revision; ``current`` is false for a late edit older than the current one."""

    name: ClassVar[str] = "item.revised"
    subject: str
    revision: int
    content: str
    current: bool


@dataclass(frozen=True, slots=True)
class ItemRevisionConflict(AuditEvent):
    """Same item, different content, no edit time to order it: kept, flagged, not current."""

    name: ClassVar[str] = "item.revision_conflict"
    subject: str
    revision: int
    content: str


@dataclass(frozen=True, slots=True)
class ItemDeleted(AuditEvent):
    name: ClassVar[str] = "item.deleted"
    subject: str
    reason: str
    content_purged: bool


@dataclass(frozen=True, slots=True)
class ItemContentPurged(AuditEvent):
    name: ClassVar[str] = "item.content_purged"
    subject: str
    revisions: int
    reason: str


@dataclass(frozen=True, slots=True)
class AccountErased(AuditEvent):
    """An erasure on request: ``items`` rows erased; with ``account_kept`` the account itself
    stayed, as evidence for items a violating decision preserves."""

    name: ClassVar[str] = "account.erased"
    subject: str
    items: int
    account_kept: bool = False


@dataclass(frozen=True, slots=True)
class LegalHoldPlaced(AuditEvent):
    name: ClassVar[str] = "legal_hold.placed"
    hold_id: int
    subject: str


@dataclass(frozen=True, slots=True)
class LegalHoldReleased(AuditEvent):
    name: ClassVar[str] = "legal_hold.released"
    hold_id: int


@dataclass(frozen=True, slots=True)
class LegalHoldKept(AuditEvent):
    """A purge kept ``items`` items because of this hold: the item it is on, or content of the
    post, the account or the container it is on (the account's posts or the posts said in the
    channel, group or page; their media, what they share or quote)."""

    name: ClassVar[str] = "legal_hold.kept"
    hold_id: int
    items: int


@dataclass(frozen=True, slots=True)
class ApiKeyCreated(AuditEvent):
    name: ClassVar[str] = "api_key.created"
    key_id: str


@dataclass(frozen=True, slots=True)
class ApiKeyRevoked(AuditEvent):
    name: ClassVar[str] = "api_key.revoked"
    key_id: str


@dataclass(frozen=True, slots=True)
class DecisionRecorded(AuditEvent):
    name: ClassVar[str] = "decision.recorded"
    decision_id: int
    subject: str
    revision: int
    action: str


@dataclass(frozen=True, slots=True)
class BankCreated(AuditEvent):
    name: ClassVar[str] = "bank.created"
    bank: str


@dataclass(frozen=True, slots=True)
class BankUpdated(AuditEvent):
    """A bank's description, thresholds or enabled state changed; ``fields`` names which."""

    name: ClassVar[str] = "bank.updated"
    bank: str
    fields: str


@dataclass(frozen=True, slots=True)
class BankDeleted(AuditEvent):
    name: ClassVar[str] = "bank.deleted"
    bank: str
    entries: int


@dataclass(frozen=True, slots=True)
class BankEntriesAdded(AuditEvent):
    """Entries added in one step (one ``add`` or one import); ``digest`` covers their values."""

    name: ClassVar[str] = "bank.entries_added"
    bank: str
    count: int
    first_id: int | None
    last_id: int | None
    source: str
    digest: str


@dataclass(frozen=True, slots=True)
class BankEntryUpdated(AuditEvent):
    name: ClassVar[str] = "bank.entry_updated"
    bank: str
    entry_id: int
    fields: str


@dataclass(frozen=True, slots=True)
class BankEntryDeleted(AuditEvent):
    name: ClassVar[str] = "bank.entry_deleted"
    bank: str
    entry_id: int


@dataclass(frozen=True, slots=True)
class BankMatched(AuditEvent):
    """Content matched a bank entry; ``subject`` is the keyed digest of what was matched and
    ``distance`` the match distance as text (bits for PDQ, ``1 - similarity`` for text)."""

    name: ClassVar[str] = "bank.matched"
    subject: str
    bank: str
    entry_id: int
    signal_type: str
    distance: str


@dataclass(frozen=True, slots=True)
class QuarantineAccessed(AuditEvent):
    """Quarantined media stored, read, deleted or purged; ``content`` is a keyed digest of its
    SHA-256 and ``subject`` of the item or reference it came from."""

    name: ClassVar[str] = "quarantine.accessed"
    action: str
    object_id: str
    content: str
    subject: str
    reason: str


@dataclass(frozen=True, slots=True)
class CaseOpened(AuditEvent):
    name: ClassVar[str] = "case.opened"
    case_id: int
    subject: str
    decision_id: int


@dataclass(frozen=True, slots=True)
class CaseUpdated(AuditEvent):
    """An open case now reviews a later decision on its item (an edit, or a rescan)."""

    name: ClassVar[str] = "case.updated"
    case_id: int
    subject: str
    decision_id: int
    previous_decision_id: int


@dataclass(frozen=True, slots=True)
class AppealLodged(AuditEvent):
    """A user appealed a decision; an appeal case is open."""

    name: ClassVar[str] = "appeal.lodged"
    case_id: int
    subject: str
    decision_id: int


@dataclass(frozen=True, slots=True)
class CaseClosed(AuditEvent):
    """A case ended: ``decided`` by a reviewer, or ``closed`` without a review decision."""

    name: ClassVar[str] = "case.closed"
    case_id: int
    subject: str
    state: str
    resolution: str


@dataclass(frozen=True, slots=True)
class PolicyRecorded(AuditEvent):
    """A policy version decided something for the first time; its document is kept."""

    name: ClassVar[str] = "policy.recorded"
    policy: str
    version: str
    hash: str


ALL_EVENTS: tuple[type[AuditEvent], ...] = (
    TenantCreated,
    ItemCreated,
    ItemRevised,
    ItemRevisionConflict,
    ItemDeleted,
    ItemContentPurged,
    AccountErased,
    LegalHoldPlaced,
    LegalHoldReleased,
    LegalHoldKept,
    ApiKeyCreated,
    ApiKeyRevoked,
    DecisionRecorded,
    BankCreated,
    BankUpdated,
    BankDeleted,
    BankEntriesAdded,
    BankEntryUpdated,
    BankEntryDeleted,
    BankMatched,
    QuarantineAccessed,
    CaseOpened,
    CaseUpdated,
    AppealLodged,
    CaseClosed,
    PolicyRecorded,
)
