"""The items repository: items, their revisions, links, tombstones, purges and erasure.

Revision rules (DESIGN.md, "ItemRef"):

* content identical to any stored revision of the item → nothing changes (ingest is idempotent);
* an edit (``edited_at`` set) newer than the current revision becomes current; an older edit is
  kept as a revision but does not become current (a late edit never overwrites a newer one);
* different content with no edit time, while the current revision has none either, or with
  the same edit time as the current revision (edit times come in whole seconds), is a
  *conflicting revision*: stored, flagged, audited, never current, never an error;
* different content with no edit time after an edit is the late original: kept, not current;
* a deleted or erased item accepts no new content (refused and counted).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

import orjson
from sqlalchemy import Connection, delete, func, insert, select, update

from nigehban.audit.events import (
    AccountErased,
    ItemContentPurged,
    ItemCreated,
    ItemDeleted,
    ItemRevised,
    ItemRevisionConflict,
)
from nigehban.errors import DependencyError, UsageError
from nigehban.model.codec import (
    ITEM_SCHEMA_VERSION,
    format_time,
    item_from_dict,
    item_to_dict,
)
from nigehban.model.items import Item
from nigehban.model.refs import ItemKind, ItemRef
from nigehban.store._sql import bulk_insert, chunks, insert_ignore, utc
from nigehban.store.audit_log import AuditLog
from nigehban.store.audited import emits, reads
from nigehban.store.prepared import PreparedItem, prepare
from nigehban.store.schema import item_links, item_revisions, items

ACTIVE, DELETED, ERASED = "active", "deleted", "erased"


@dataclass(slots=True)
class SaveOutcome:
    created: int = 0
    revised: int = 0
    unchanged: int = 0
    conflicts: int = 0
    stale: int = 0
    refused: int = 0

    def merge(self, other: SaveOutcome) -> None:
        for name in ("created", "revised", "unchanged", "conflicts", "stale", "refused"):
            setattr(self, name, getattr(self, name) + getattr(other, name))


@dataclass(frozen=True, slots=True)
class RevisionInfo:
    revision: int
    content_hash: str
    edited_at: datetime | None
    observed_at: datetime
    conflict: bool
    current: bool
    purged: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "revision": self.revision,
            "content_hash": self.content_hash,
            "edited_at": _time(self.edited_at),
            "observed_at": _time(self.observed_at),
            "conflict": self.conflict,
            "current": self.current,
            "purged": self.purged,
        }


def _time(value: datetime | None) -> str | None:
    return None if value is None else format_time(value)


@dataclass(frozen=True, slots=True)
class StoredItem:
    """An item as stored: its state and, unless purged, the current revision's content."""

    ref: ItemRef
    internal_id: int
    state: str
    item: Item | None
    revision: int | None
    revisions: int
    has_conflict: bool
    first_seen: datetime
    last_seen: datetime
    deleted_at: datetime | None
    content_purged_at: datetime | None
    history: list[RevisionInfo] = field(default_factory=list)

    def to_dict(self, history: bool = True) -> dict[str, Any]:
        """The faces' view (CLI ``items show``, ``GET /v1/items/…``); ``history`` is None
        unless asked for."""
        return {
            "ref": self.ref.key,
            "state": self.state,
            "revision": self.revision,
            "revisions": self.revisions,
            "has_conflict": self.has_conflict,
            "first_seen": _time(self.first_seen),
            "last_seen": _time(self.last_seen),
            "deleted_at": _time(self.deleted_at),
            "content_purged_at": _time(self.content_purged_at),
            "item": None if self.item is None else item_to_dict(self.item),
            "history": [r.to_dict() for r in self.history] if history else None,
        }


@dataclass(slots=True)
class _Row:
    id: int
    state: str
    current_revision: int | None
    current_order: datetime | None
    revisions: int
    hashes: set[str]


class SqlItemRepository:
    """Items of one tenant, on one connection; writes audit through ``audit``."""

    def __init__(self, conn: Connection, tenant: str, audit: AuditLog) -> None:
        self._conn = conn
        self._tenant = tenant
        self._audit = audit

    # -- writes ---------------------------------------------------------------------------

    @emits(ItemCreated, ItemRevised, ItemRevisionConflict)
    def save(self, batch: Sequence[Item | PreparedItem], observed_at: datetime) -> SaveOutcome:
        """Store a batch of items by the revision rules above; one audit event per change.

        Items may come prepared (:mod:`nigehban.store.prepared`), e.g. by an ingest worker.
        """
        outcome = SaveOutcome()
        if not batch:
            return outcome
        digester = self._audit.digester
        prepared = [i if isinstance(i, PreparedItem) else prepare(i, digester) for i in batch]
        for p in prepared:
            if p.tenant != self._tenant:
                raise UsageError(f"item of tenant {p.tenant!r} saved in {self._tenant!r}")
        known = self._load_rows(sorted({p.key for p in prepared}))
        new_revisions: list[dict[str, Any]] = []
        links: list[dict[str, Any]] = []
        pending_new: dict[str, PreparedItem] = {}
        updates: list[dict[str, Any]] = []
        seen_bump: list[int] = []
        append = self._audit.append
        for p in prepared:
            key = p.key
            row = known.get(key)
            if row is None and key in pending_new:
                # The same new item twice in one batch: treat the second as a revision below.
                row = self._insert_new(
                    [pending_new.pop(key)], observed_at, new_revisions, links, known
                )[0]
            if row is None:
                pending_new[key] = p
                append(ItemCreated(p.subject, p.kind, 1, p.content), observed_at)
                outcome.created += 1
                continue
            if row.state != ACTIVE:
                outcome.refused += 1
                continue
            if p.content_hash in row.hashes:
                outcome.unchanged += 1
                seen_bump.append(row.id)
                continue
            revision = row.revisions + 1
            edited = p.edited_at
            # no edit time to order it, or the same edit time as the current revision (edit
            # times in whole seconds: two edits in one second): neither can be put in order
            conflict = edited == row.current_order
            current = edited is not None and (
                row.current_order is None or edited > row.current_order
            )
            new_revisions.append({
                "item_id": row.id, "tenant_id": self._tenant, "revision": revision,
                "content_hash": p.content_hash, "edited_at": edited, "observed_at": observed_at,
                "conflict": conflict, "body": p.body,
            })  # fmt: skip
            row.revisions = revision
            row.hashes.add(p.content_hash)
            change: dict[str, Any] = {"id": row.id, "revisions": revision, "last_seen": observed_at}
            if conflict:
                change["has_conflict"] = True
                append(ItemRevisionConflict(p.subject, revision, p.content), observed_at)
                outcome.conflicts += 1
            else:
                append(ItemRevised(p.subject, revision, p.content, current), observed_at)
                if current:
                    row.current_revision, row.current_order = revision, edited
                    change.update(
                        current_revision=revision,
                        current_order=edited,
                        surface=p.surface,
                        author_key=p.author_key,
                    )
                    outcome.revised += 1
                else:
                    outcome.stale += 1
            links.extend(
                {"item_id": row.id, "tenant_id": self._tenant, "relation": r, "target_key": t}
                for r, t in p.links
            )
            updates.append(change)
        self._insert_new(list(pending_new.values()), observed_at, new_revisions, links, known)
        bulk_insert(self._conn, item_revisions, new_revisions)
        insert_ignore(self._conn, item_links, links)
        for change in updates:
            item_id = change.pop("id")
            self._conn.execute(update(items).where(items.c.id == item_id).values(**change))
        # last_seen drives retention in days: rows seen within the hour are left alone.
        recent = observed_at - timedelta(hours=1)
        for ids in chunks(sorted(set(seen_bump))):
            self._conn.execute(
                update(items)
                .where(items.c.id.in_(ids), items.c.last_seen < recent)
                .values(last_seen=observed_at)
            )
        return outcome

    @emits(ItemDeleted)
    def tombstone(
        self, ref: ItemRef, deleted_at: datetime, reason: str, purge: bool, *, at: datetime
    ) -> bool:
        """Mark an item deleted on its platform (creating the tombstone if never seen).

        ``deleted_at`` is the platform's time of deletion; ``at`` is when Nigehban records it,
        the time of the audit event and of a purge. With ``purge`` the content of every
        revision is erased too. Returns False when the item was already deleted or erased
        (nothing changes).
        """
        row = self._load_rows([ref.key]).get(ref.key)
        if row is not None and row.state != ACTIVE:
            return False
        if row is None:
            self._conn.execute(
                insert(items).values(
                    tenant_id=self._tenant, ref_key=ref.key, platform=ref.platform.value,
                    kind=ref.kind.value, state=DELETED, revisions=0, has_conflict=False,
                    first_seen=deleted_at, last_seen=deleted_at, deleted_at=deleted_at,
                )
            )  # fmt: skip
            purged = False
        else:
            values: dict[str, Any] = {"state": DELETED, "deleted_at": deleted_at}
            purged = purge and row.revisions > 0
            if purged:
                self._conn.execute(
                    update(item_revisions)
                    .where(item_revisions.c.item_id == row.id)
                    .values(body=None)
                )
                values["content_purged_at"] = at
            self._conn.execute(update(items).where(items.c.id == row.id).values(**values))
        self._audit.append(ItemDeleted(self._audit.subject(ref.key), reason, purged), at)
        return True

    @emits(ItemContentPurged)
    def purge_content(self, ref: ItemRef, reason: str, at: datetime) -> int:
        """Erase the content of every revision of ``ref``; returns how many were purged."""
        row = self._load_rows([ref.key]).get(ref.key)
        if row is None:
            return 0
        result = self._conn.execute(
            update(item_revisions)
            .where(item_revisions.c.item_id == row.id, item_revisions.c.body.is_not(None))
            .values(body=None)
        )
        count = int(result.rowcount or 0)
        if count:
            self._conn.execute(
                update(items).where(items.c.id == row.id).values(content_purged_at=at)
            )
            self._audit.append(ItemContentPurged(self._audit.subject(ref.key), count, reason), at)
        return count

    @emits(AccountErased)
    def erase(
        self, account: ItemRef, refs: Sequence[ItemRef], at: datetime, keep_account: bool = False
    ) -> int:
        """Erase an account and the given items of it: content, links and author keys go;
        the bare keys stay as erasure tombstones so the data is not ingested again. With
        ``keep_account`` only the items go (the account is evidence for items preserved)."""
        keys = sorted({*(() if keep_account else (account.key,)), *(r.key for r in refs)})
        rows = self._load_rows(keys)
        ids = [row.id for row in rows.values()]
        for part in chunks(ids):
            self._conn.execute(
                update(item_revisions).where(item_revisions.c.item_id.in_(part)).values(body=None)
            )
            self._conn.execute(delete(item_links).where(item_links.c.item_id.in_(part)))
            self._conn.execute(
                update(items)
                .where(items.c.id.in_(part))
                .values(state=ERASED, author_key=None, content_purged_at=at, deleted_at=at)
            )
        self._audit.append(
            AccountErased(self._audit.subject(account.key), len(ids), keep_account), at
        )
        return len(ids)

    # -- reads ----------------------------------------------------------------------------

    @reads
    def get(self, ref: ItemRef, history: bool = False) -> StoredItem | None:
        row = self._conn.execute(
            select(items).where(items.c.tenant_id == self._tenant, items.c.ref_key == ref.key)
        ).first()
        if row is None:
            return None
        item = None
        if row.current_revision is not None:
            body = self._conn.execute(
                select(item_revisions.c.body).where(
                    item_revisions.c.item_id == row.id,
                    item_revisions.c.revision == row.current_revision,
                )
            ).scalar()
            if body is not None:
                item = _decode(self._tenant, body)
        revisions: list[RevisionInfo] = []
        if history:
            for rev in self._conn.execute(
                select(item_revisions)
                .where(item_revisions.c.item_id == row.id)
                .order_by(item_revisions.c.revision)
            ):
                revisions.append(
                    RevisionInfo(
                        revision=rev.revision,
                        content_hash=rev.content_hash,
                        edited_at=utc(rev.edited_at),
                        observed_at=utc(rev.observed_at) or rev.observed_at,
                        conflict=rev.conflict,
                        current=rev.revision == row.current_revision,
                        purged=rev.body is None,
                    )
                )
        return StoredItem(
            ref=ref,
            internal_id=row.id,
            state=row.state,
            item=item,
            revision=row.current_revision,
            revisions=row.revisions,
            has_conflict=row.has_conflict,
            first_seen=utc(row.first_seen) or row.first_seen,
            last_seen=utc(row.last_seen) or row.last_seen,
            deleted_at=utc(row.deleted_at),
            content_purged_at=utc(row.content_purged_at),
            history=revisions,
        )

    @reads
    def revision_item(self, ref: ItemRef, revision: int) -> Item | None:
        body = self._conn.execute(
            select(item_revisions.c.body)
            .join(items, items.c.id == item_revisions.c.item_id)
            .where(
                items.c.tenant_id == self._tenant,
                items.c.ref_key == ref.key,
                item_revisions.c.revision == revision,
            )
        ).scalar()
        return None if body is None else _decode(self._tenant, body)

    @reads
    def count(self, kind: ItemKind | None = None, state: str | None = None) -> int:
        query = select(func.count()).select_from(items).where(items.c.tenant_id == self._tenant)
        if kind is not None:
            query = query.where(items.c.kind == kind.value)
        if state is not None:
            query = query.where(items.c.state == state)
        return int(self._conn.execute(query).scalar_one())

    @reads
    def count_revisions(self) -> int:
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(item_revisions)
                .where(item_revisions.c.tenant_id == self._tenant)
            ).scalar_one()
        )

    @reads
    def keys_last_seen_before(self, kind: ItemKind, before: datetime) -> list[ItemRef]:
        """Active or deleted items of ``kind`` with content, not seen since ``before``."""
        rows = self._conn.execute(
            select(items.c.ref_key)
            .where(
                items.c.tenant_id == self._tenant,
                items.c.kind == kind.value,
                items.c.last_seen < before,
                items.c.content_purged_at.is_(None),
                items.c.revisions > 0,
            )
            .order_by(items.c.id)
        )
        return [ItemRef.stored(self._tenant, r.ref_key) for r in rows]

    @reads
    def deleted_with_content(self, deleted_before: datetime) -> list[ItemRef]:
        rows = self._conn.execute(
            select(items.c.ref_key)
            .where(
                items.c.tenant_id == self._tenant,
                items.c.state == DELETED,
                items.c.deleted_at <= deleted_before,
                items.c.content_purged_at.is_(None),
                items.c.revisions > 0,
            )
            .order_by(items.c.id)
        )
        return [ItemRef.stored(self._tenant, r.ref_key) for r in rows]

    @reads
    def authored_by(self, account: ItemRef) -> list[ItemRef]:
        """Items whose author is ``account`` and the media only they reference."""
        posts = [
            ItemRef.stored(self._tenant, r.ref_key)
            for r in self._conn.execute(
                select(items.c.ref_key).where(
                    items.c.tenant_id == self._tenant, items.c.author_key == account.key
                )
            )
        ]
        post_keys = {p.key for p in posts}
        media: list[ItemRef] = []
        for part in chunks(sorted(post_keys)):
            for r in self._conn.execute(
                select(item_links.c.target_key)
                .join(items, items.c.id == item_links.c.item_id)
                .where(
                    items.c.tenant_id == self._tenant,
                    items.c.ref_key.in_(part),
                    item_links.c.relation == "media",
                )
            ):
                users = self._conn.execute(
                    select(items.c.ref_key)
                    .join(item_links, items.c.id == item_links.c.item_id)
                    .where(
                        item_links.c.tenant_id == self._tenant,
                        item_links.c.target_key == r.target_key,
                    )
                ).scalars()
                if set(users) <= post_keys:
                    media.append(ItemRef.stored(self._tenant, r.target_key))
        return posts + sorted(set(media))

    @reads
    def page(self, after: int, limit: int) -> list[tuple[int, str]]:
        """Up to ``limit`` active items with content after the internal id ``after``, in the
        order they were first stored, as ``(id, key)``: a walk over the whole store."""
        rows = self._conn.execute(
            select(items.c.id, items.c.ref_key)
            .where(
                items.c.tenant_id == self._tenant,
                items.c.id > after,
                items.c.state == ACTIVE,
                items.c.current_revision.is_not(None),
                items.c.content_purged_at.is_(None),
            )
            .order_by(items.c.id)
            .limit(limit)
        )
        return [(r.id, r.ref_key) for r in rows]

    @reads
    def referrers(self, targets: Sequence[str], relations: Sequence[str]) -> dict[str, set[str]]:
        """For each of ``targets`` (item keys), the keys of the items that link to it with one
        of ``relations`` (``media``: the posts carrying a media item; ``author``: an account's
        posts), in any of their revisions."""
        found: dict[str, set[str]] = {}
        for _, target, key in self._linking(targets, relations):
            found.setdefault(target, set()).add(key)
        return found

    @reads
    def is_linked(self, target: str, relation: str) -> bool:
        """Whether any stored item links to ``target`` with ``relation`` (in any revision):
        one indexed row read, however many items do (a channel of many thousand posts)."""
        return (
            self._conn.execute(
                select(item_links.c.item_id)
                .where(
                    item_links.c.tenant_id == self._tenant,
                    item_links.c.target_key == target,
                    item_links.c.relation == relation,
                )
                .limit(1)
            ).first()
            is not None
        )

    @reads
    def linked(self, keys: Sequence[str], relations: Sequence[str]) -> dict[str, set[str]]:
        """For each of ``keys`` (item keys), the keys it links to with one of ``relations``
        in any of its revisions (``author``: the accounts that wrote a post): the other way
        round from :meth:`referrers`."""
        found: dict[str, set[str]] = {}
        for part in chunks(sorted(set(keys))):
            for r in self._conn.execute(
                select(items.c.ref_key, item_links.c.target_key)
                .join(items, items.c.id == item_links.c.item_id)
                .where(
                    items.c.tenant_id == self._tenant,
                    items.c.ref_key.in_(part),
                    item_links.c.relation.in_(list(relations)),
                )
            ):
                found.setdefault(str(r.ref_key), set()).add(str(r.target_key))
        return found

    @reads
    def sharing(self, targets: Sequence[str]) -> list[ItemRef]:
        """Active items that share without comment one of ``targets`` (item keys), in the
        order they were first stored. Links of every revision count: the caller reads which
        item the current revision shares."""
        found = {i: key for i, _, key in self._linking(targets, ("share",), active=True)}
        return [ItemRef.stored(self._tenant, found[i]) for i in sorted(found)]

    def _linking(
        self, targets: Sequence[str], relations: Sequence[str], *, active: bool = False
    ) -> Iterator[tuple[int, str, str]]:
        """``(item id, target key, item key)`` of every link to one of ``targets``."""
        for part in chunks(sorted(set(targets))):
            query = (
                select(items.c.id, item_links.c.target_key, items.c.ref_key)
                .join(items, items.c.id == item_links.c.item_id)
                .where(
                    item_links.c.tenant_id == self._tenant,
                    item_links.c.relation.in_(list(relations)),
                    item_links.c.target_key.in_(part),
                )
            )
            if active:
                query = query.where(items.c.state == ACTIVE)
            for r in self._conn.execute(query):
                yield int(r.id), str(r.target_key), str(r.ref_key)

    @reads
    def internal_ids(self, refs: Sequence[ItemRef]) -> dict[str, int]:
        return {k: r.id for k, r in self._load_rows([r.key for r in refs]).items()}

    # -- internals ------------------------------------------------------------------------

    def _load_rows(self, keys: Sequence[str]) -> dict[str, _Row]:
        rows: dict[str, _Row] = {}
        for part in chunks(keys):
            for r in self._conn.execute(
                select(
                    items.c.id, items.c.ref_key, items.c.state, items.c.current_revision,
                    items.c.current_order, items.c.revisions,
                ).where(items.c.tenant_id == self._tenant, items.c.ref_key.in_(part))
            ):  # fmt: skip
                rows[r.ref_key] = _Row(
                    r.id, r.state, r.current_revision, utc(r.current_order), r.revisions, set()
                )
        by_id = {row.id: row for row in rows.values() if row.revisions}
        for id_part in chunks(sorted(by_id)):
            for r in self._conn.execute(
                select(item_revisions.c.item_id, item_revisions.c.content_hash).where(
                    item_revisions.c.item_id.in_(id_part)
                )
            ):
                by_id[r.item_id].hashes.add(r.content_hash)
        return rows

    def _insert_new(
        self,
        pending: list[PreparedItem],
        observed_at: datetime,
        new_revisions: list[dict[str, Any]],
        links: list[dict[str, Any]],
        known: dict[str, _Row],
    ) -> list[_Row]:
        """Insert new item rows in one batch; queue their first revisions and links."""
        if not pending:
            return []
        tenant = self._tenant
        bulk_insert(
            self._conn,
            items,
            [
                {
                    "tenant_id": tenant,
                    "ref_key": p.key,
                    "platform": p.platform,
                    "kind": p.kind,
                    "state": ACTIVE,
                    "surface": p.surface,
                    "author_key": p.author_key,
                    "current_revision": 1,
                    "current_order": p.edited_at,
                    "revisions": 1,
                    "has_conflict": False,
                    "first_seen": observed_at,
                    "last_seen": observed_at,
                }
                for p in pending
            ],
        )
        ids: dict[str, int] = {}
        for part in chunks([p.key for p in pending]):
            for ref_key, item_id in self._conn.execute(
                select(items.c.ref_key, items.c.id).where(
                    items.c.tenant_id == tenant, items.c.ref_key.in_(part)
                )
            ):
                ids[ref_key] = item_id
        out: list[_Row] = []
        for p in pending:
            item_id = ids[p.key]
            new_revisions.append({
                "item_id": item_id, "tenant_id": tenant, "revision": 1,
                "content_hash": p.content_hash, "edited_at": p.edited_at,
                "observed_at": observed_at, "conflict": False, "body": p.body,
            })  # fmt: skip
            links.extend(
                {"item_id": item_id, "tenant_id": tenant, "relation": r, "target_key": t}
                for r, t in p.links
            )
            row = _Row(item_id, ACTIVE, 1, p.edited_at, 1, {p.content_hash})
            known[p.key] = row
            out.append(row)
        return out


def _decode(tenant: str, stored: str) -> Item:
    data = orjson.loads(stored)
    version = data.pop("schema_version", None)
    if version != ITEM_SCHEMA_VERSION:
        raise DependencyError(
            f"stored item body has schema_version {version!r}; this release reads "
            f"{ITEM_SCHEMA_VERSION}: run 'nigehban db upgrade'"
        )
    return item_from_dict(tenant, data)


__all__ = ["RevisionInfo", "SaveOutcome", "SqlItemRepository", "StoredItem"]
