"""Retention and erasure: purge content past its retention period; erase one account's data.

A legal hold blocks both for everything it covers (:mod:`nigehban.workflows.preservation`):
the item it is on, the media a held post carries and the account that wrote it, the posts a
held post shares or quotes, and, for a hold on an account, every post the account wrote, or
for a hold on a container (a channel, group or page), every post said in it, with what those
posts carry, share or quote — as long as the hold is in force. A purge counts what holds kept
(``held``; ``held_for_account`` and ``held_for_container``: what only a hold on an account, or
on a container, kept) and writes a ``legal_hold.kept`` event for each hold that kept
something, the quarantined copies it kept counted in (a purge given the quarantine also purges
the copies past ``quarantine_retention_days``, keeping those a hold or a decision keeps the
item of). Holds are placed on an item stored in the tenant or one a quarantined copy is kept
for, or on a container a stored post was said in, so :func:`place_legal_hold` refuses a key
or a container nothing is stored under: it would preserve nothing. A violating decision in
force on an item, which EU 2021/784 Art. 6 requires be preserved, keeps it from a purge and
from an erasure, with the media it carries (in any of its revisions) and the account that
wrote it (the rest of the account's data is erased). Purges keep the item's key and state (the
tombstone) and every audit event: the chain never breaks.
"""

from __future__ import annotations

import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from nigehban.errors import HeldError, InputError, NotFoundError
from nigehban.hashing.quarantine import Quarantine
from nigehban.model.items import Post
from nigehban.model.refs import ContainerRef, ItemKind, ItemRef
from nigehban.privacy.masking import preview, redact
from nigehban.settings import Settings
from nigehban.store.store import Session, Store
from nigehban.workflows.preservation import Keep, kept, kept_keys


@dataclass(slots=True)
class PurgeReport:
    purged: dict[str, int] = field(default_factory=dict)
    held: int = 0
    """Items kept because of a legal hold: on them, on a post or on an account (below)."""
    held_for_account: int = 0
    """Of ``held``, the items only a hold on an account kept: on the account that wrote them,
    or wrote a post that carries, shares or quotes them (a preservation order on an account
    keeps its content)."""
    held_for_container: int = 0
    """Of ``held``, the items only a hold on a container kept: on the channel, group or page
    they, or a post that carries, shares or quotes them, were said in (a preservation order on
    a channel keeps its content)."""
    preserved_by_decision: int = 0
    cases_closed: int = 0
    """Open review cases closed because the content they review was purged."""
    dry_run: bool = False

    def count_held(self, keep: Keep) -> None:
        """Count an item a legal hold kept (``keep.hold`` is set)."""
        self.held += 1
        self.held_for_account += keep.for_account
        self.held_for_container += keep.for_container

    def to_dict(self) -> dict[str, object]:
        return {
            "purged": dict(sorted(self.purged.items())),
            "held": self.held,
            "held_for_account": self.held_for_account,
            "held_for_container": self.held_for_container,
            "preserved_by_decision": self.preserved_by_decision,
            "cases_closed": self.cases_closed,
            "dry_run": self.dry_run,
        }


def purge_expired(
    store: Store,
    settings: Settings,
    tenant: str,
    now: datetime,
    dry_run: bool = False,
    quarantine: Quarantine | None = None,
) -> PurgeReport:
    """Purge content past each kind's retention period, and deleted items' content, in one
    transaction; what a legal hold or a violating decision keeps stays.

    With ``quarantine``, its copies past their retention are purged too (``quarantined
    media``), after that transaction, but for those whose item a hold or a decision keeps:
    what to keep is read in the transaction, and a hold's ``legal_hold.kept`` event counts the
    copies it kept with the items."""
    report = PurgeReport(dry_run=dry_run)
    by_hold: Counter[int] = Counter()
    periods = {
        ItemKind.POST: settings.retention_posts_days,
        ItemKind.MEDIA: settings.retention_media_days,
        ItemKind.ACCOUNT: settings.retention_accounts_days,
    }
    actor = "system:retention"
    with store.session(tenant, actor) as s:
        handled: set[str] = set()
        for kind, days in periods.items():
            refs = s.items.keys_last_seen_before(kind, now - timedelta(days=days))
            handled.update(r.key for r in refs)
            report.purged[kind.value] = _purge(s, refs, "retention", now, report, by_hold, dry_run)
        # a deleted item past its retention period was counted above (purged, held or
        # preserved): counted once, in a dry run as in a purge
        deleted = [
            r
            for r in s.items.deleted_with_content(
                now - timedelta(days=settings.retention_deleted_days)
            )
            if r.key not in handled
        ]
        report.purged["deleted"] = _purge(
            s, deleted, "deleted on platform", now, report, by_hold, dry_run
        )
        expired = (
            [] if quarantine is None else [r.ref for r in quarantine.list() if r.expires_at <= now]
        )
        keep = kept_keys(s, expired)
        for key in expired:
            _count_kept(keep.get(key), report, by_hold)
        if not dry_run:
            for hold_id, count in sorted(by_hold.items()):
                s.holds.note_kept(hold_id, count, now)
    if quarantine is not None:
        if dry_run:
            report.purged["quarantined media"] = sum(key not in keep for key in expired)
        else:
            purged = quarantine.purge_expired(now, keep=lambda r: r.ref in keep)
            report.purged["quarantined media"] = len(purged)
    return report


def _count_kept(keep: Keep | None, report: PurgeReport, by_hold: Counter[int]) -> bool:
    """Count an item (or a quarantined copy) a hold or a decision keeps; whether one does."""
    if keep is None:
        return False
    if keep.hold is not None:
        report.count_held(keep)
        by_hold[keep.hold] += 1
    else:
        report.preserved_by_decision += 1
    return True


def place_legal_hold(
    store: Store,
    tenant: str,
    subject: ItemRef | ContainerRef,
    reason: str,
    actor: str,
    now: datetime,
    quarantined: Callable[[], Iterable[str]] = tuple,
    before_ingest: bool = False,
) -> int:
    """Place a legal hold on ``subject``, an item stored in ``tenant`` or one a quarantined copy
    is kept for (``quarantined``: the item keys the quarantine keeps copies for, read only when
    the item is not stored); the hold's id.

    A key nothing is stored under — a slip in the id, a platform's id in another form than
    its adapter stores (``telegram/post/5`` for ``telegram/post/-1001234/5``), a handle for a
    user id, a look-alike of a stored id, an item of another tenant — can match nothing a purge
    or an erasure removes: it is refused (:class:`NotFoundError`, naming the key masked and
    cut) rather than recorded as a hold that preserves nothing.

    ``before_ingest`` places a hold on an item not stored yet (a preservation order that comes
    before the content is collected): it holds the item once one is stored under exactly that
    key. Its key must still be one an adapter could store: no look-alike characters (a key that
    Unicode compatibility folding changes), no whitespace and no URL (:class:`InputError`).

    ``subject`` may be a container (:class:`ContainerRef`, already checked as a container id):
    the hold keeps every post said in it. It is refused (:class:`NotFoundError`) unless a stored
    post was said in it, or with ``before_ingest`` (an order on a channel before any of it is
    collected), which holds the posts once stored with exactly that container."""
    if isinstance(subject, ContainerRef):
        return _place_on_container(store, tenant, subject, reason, actor, now, before_ingest)
    if before_ingest:
        _check_preventive_key(subject)
    with store.session(tenant, actor) as s:
        if (
            not before_ingest
            and s.items.get(subject) is None
            and subject.key not in set(quarantined())
        ):
            raise NotFoundError(
                "item",
                f"{preview(subject.key)} (a legal hold names a stored item by its exact key: "
                "one on a key nothing is stored under would preserve nothing; a hold before the "
                "item is collected is placed with before_ingest)",
            )
        return s.holds.place(subject, reason, now)


def _place_on_container(
    store: Store,
    tenant: str,
    container: ContainerRef,
    reason: str,
    actor: str,
    now: datetime,
    before_ingest: bool,
) -> int:
    with store.session(tenant, actor) as s:
        if not before_ingest and not s.items.is_linked(container.key, "container"):
            raise NotFoundError(
                "container",
                f"{preview(container.key)} (a legal hold names a container exactly as its "
                "posts store it, e.g. telegram:-1001234567890 for a Telegram channel: no stored "
                "post was said in this one; a hold before its posts are collected is placed "
                "with before_ingest)",
            )
        return s.holds.place(container, reason, now)


def _check_preventive_key(subject: ItemRef) -> None:
    key = subject.key
    if unicodedata.normalize("NFKC", key) != key:
        problem = "look-alike characters (it is not the same under Unicode NFKC folding)"
    elif any(ch.isspace() for ch in key):
        problem = "whitespace"
    elif "://" in key:
        problem = "a URL in place of the platform's id"
    else:
        return
    raise InputError(
        "key", f"a hold before ingest on {preview(key)} holds nothing: the key has {problem}"
    )


def _purge(
    s: Session,
    refs: list[ItemRef],
    reason: str,
    now: datetime,
    report: PurgeReport,
    by_hold: Counter[int],
    dry_run: bool,
) -> int:
    why = kept(s, refs)
    count = 0
    for ref in refs:
        if _count_kept(why.get(ref.key), report, by_hold):
            continue
        if dry_run:
            count += 1
        elif s.items.purge_content(ref, reason, now):
            count += 1
            report.cases_closed += s.cases.close_reviews(
                ref, f"closed: content purged ({reason})", now
            )
    return count


@dataclass(frozen=True, slots=True)
class EraseReport:
    """What an erasure removed, and what it kept: because a violating decision preserves it
    (``preserved``), or because a legal hold on something else covers it (``held``; the
    holds, by id, in ``holds``)."""

    erased: int
    preserved: int
    account_kept: bool
    held: int = 0
    holds: tuple[int, ...] = ()

    def to_dict(self) -> dict[str, object]:
        return {
            "erased": self.erased,
            "preserved_by_decision": self.preserved,
            "held": self.held,
            "holds": list(self.holds),
            "account_kept": self.account_kept,
        }


def erase_account(
    store: Store, tenant: str, account: ItemRef, actor: str, now: datetime
) -> EraseReport:
    """Erase an account and what it authored, but what a legal hold or a violating decision
    keeps; refused (HeldError) if a legal hold is on the account itself.

    A hold on something else that covers some of the account's items — one of its posts, a post
    (or the account of a post) that shares or quotes one of them, a channel it wrote in — keeps
    those items, the media they carry and the account, and the rest is erased (an erasure
    request is met for all the data no preservation order needs); each such hold gets a
    ``legal_hold.kept`` event. An item with a violating decision is preserved (EU 2021/784
    Art. 6: removed content and the related data, for review, appeal and investigation), and
    so are the media it carries and the account that wrote it."""
    with store.session(tenant, actor) as s:
        if s.items.get(account) is None:
            raise NotFoundError("account", redact(account.key))
        targets = s.items.authored_by(account)
        why = kept(s, [account, *targets])
        on_account = why.get(account.key)
        if on_account is not None and on_account.hold is not None and on_account.on == "item":
            raise HeldError(redact(account.key), on_account.hold)
        held = {
            ref.key: keep.hold
            for ref in targets
            if (keep := why.get(ref.key)) is not None and keep.hold is not None
        }
        by_hold = Counter(held.values())
        violating = s.decisions.violating([account, *targets])
        preserve = set(violating) - held.keys()
        for ref in targets:
            if ref.key in violating:
                # the media of every revision: the decision may be on an earlier one than the
                # current (an edit that dropped the image does not unpreserve it)
                stored = s.items.get(ref, history=True)
                for rev in stored.history if stored is not None else ():
                    item = s.items.revision_item(ref, rev.revision)
                    if isinstance(item, Post):
                        preserve.update(m.key for m in item.media if m.key not in held)
        erasable = [r for r in targets if r.key not in preserve and r.key not in held]
        preserved = len([r for r in targets if r.key in preserve])
        account_kept = bool(preserve or held)
        erased = s.items.erase(account, erasable, now, keep_account=account_kept)
        for ref in erasable:
            s.cases.close_reviews(ref, "closed: the account was erased", now)
        for hold_id, count in sorted(by_hold.items()):
            s.holds.note_kept(hold_id, count, now)
        return EraseReport(erased, preserved, account_kept, len(held), tuple(sorted(by_hold)))
