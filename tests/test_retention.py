"""Retention and erasure: what expires is purged, what is held or violating is kept."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from nigehban.errors import HeldError, InputError, NotFoundError
from nigehban.model.decisions import Action, Decision
from nigehban.model.items import Account, Media, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface
from nigehban.model.taxonomy import Category
from nigehban.settings import load_settings
from nigehban.store.store import Store
from nigehban.workflows.preservation import Keep, kept_keys
from nigehban.workflows.retention import erase_account, place_legal_hold, purge_expired
from tests.conftest import TENANT

T0 = datetime(2025, 1, 1, tzinfo=UTC)


def ref(kind: ItemKind, scoped: str) -> ItemRef:
    return ItemRef(TENANT, Platform.X, kind, scoped)


def seed(store: Store) -> None:
    account = Account(ref=ref(ItemKind.ACCOUNT, "42"), handle="someone")
    image = Media(
        ref=ref(ItemKind.MEDIA, "3_1"), media_kind=MediaKind.IMAGE, url="https://example.org/i.jpg"
    )
    posts = [
        Post(ref=ref(ItemKind.POST, str(i)), surface=Surface.PUBLIC, text=f"post {i}",
             author=account.ref, media=(image.ref,) if i == 1 else ())
        for i in range(1, 5)
    ]  # fmt: skip
    with store.session(TENANT, "test") as s:
        s.items.save([account, image, *posts], T0)


def text(store: Store, scoped: str) -> str | None:
    with store.reading(TENANT) as s:
        stored = s.items.get(ref(ItemKind.POST, scoped))
    assert stored is not None
    return stored.item.text if isinstance(stored.item, Post) else None


def test_purge_expired_keeps_held_and_violating(store: Store, tmp_path: Path) -> None:
    seed(store)
    with store.session(TENANT, "test") as s:
        s.holds.place(ref(ItemKind.POST, "2"), "preservation order", T0)
        s.decisions.record(
            Decision(
                item=ref(ItemKind.POST, "3"), revision=1, content_hash="0" * 64,
                action=Action.REMOVE, categories=(Category.GLORIFICATION,), confidence=0.9,
                rules=("r",), ground="ToS", automated_detection=True, automated_decision=False,
                policy_hash="1" * 64, model_hash=None, registry_hash=None, bank_hash=None,
                decided_at=T0,
            )
        )  # fmt: skip
    settings = load_settings(environ={}, data_dir=tmp_path, retention_posts_days=30)
    early = purge_expired(store, settings, TENANT, T0 + timedelta(days=10))
    assert sum(early.purged.values()) == 0
    dry = purge_expired(store, settings, TENANT, T0 + timedelta(days=400), dry_run=True)
    assert dry.purged["post"] == 2 and text(store, "1") == "post 1"
    report = purge_expired(store, settings, TENANT, T0 + timedelta(days=400))
    # the account wrote the held post 2: it is kept with it (counted held)
    assert report.purged == {"post": 2, "media": 1, "account": 0, "deleted": 0}
    assert (report.held, report.preserved_by_decision) == (2, 1)
    assert text(store, "1") is None and text(store, "4") is None
    assert text(store, "2") == "post 2" and text(store, "3") == "post 3"
    with store.reading(TENANT) as s:
        assert s.verify_chain() == []
        assert [e.name for e in s.events()].count("item.content_purged") == 3
    again = purge_expired(store, settings, TENANT, T0 + timedelta(days=400))
    assert sum(again.purged.values()) == 0


def test_a_hold_names_a_stored_item_or_one_a_quarantined_copy_is_kept_for(
    store: Store, tmp_path: Path
) -> None:
    """Holds match by exact key: a key nothing is stored under is refused and nothing is
    recorded; a stored item, or the item a quarantined copy is kept for, is held (and the
    quarantine is read only when the item is not stored)."""
    seed(store)

    def unread() -> list[str]:
        raise AssertionError("the quarantine is read for a stored item")

    for scoped in ("9", "x.com/someone/status/2", "\uff12"):  # not stored; look-alike of "2"
        with pytest.raises(NotFoundError, match="would preserve nothing"):
            place_legal_hold(store, TENANT, ItemRef.stored(TENANT, f"x/post/{scoped}"), "order",
                             "test", T0, lambda: ["x/media/3_9"])  # fmt: skip
    with pytest.raises(NotFoundError, match="would preserve nothing"):
        place_legal_hold(store, "other", ref(ItemKind.POST, "2"), "order", "test", T0)
    held = place_legal_hold(store, TENANT, ref(ItemKind.POST, "2"), "order", "test", T0, unread)
    copy = place_legal_hold(store, TENANT, ref(ItemKind.MEDIA, "3_9"), "order", "test", T0,
                            lambda: ["x/media/3_9"])  # fmt: skip
    with store.reading(TENANT) as s:
        assert [(h.id, h.subject) for h in s.holds.list()] == [
            (held, "x/post/2"), (copy, "x/media/3_9")]  # fmt: skip
    settings = load_settings(environ={}, data_dir=tmp_path, retention_posts_days=30)
    report = purge_expired(store, settings, TENANT, T0 + timedelta(days=400))
    assert text(store, "2") == "post 2" and text(store, "4") is None and report.held == 2


def test_a_hold_before_ingest_is_recorded_on_a_key_an_adapter_could_store(store: Store) -> None:
    seed(store)
    for scoped in ("\uff12", "https://x.com/someone/status/2"):
        with pytest.raises(InputError, match=r"a hold before ingest on .* holds nothing"):
            place_legal_hold(store, TENANT, ItemRef.stored(TENANT, f"x/post/{scoped}"), "order",
                             "test", T0, before_ingest=True)  # fmt: skip
    held = place_legal_hold(
        store, TENANT, ref(ItemKind.POST, "9"), "order", "test", T0, before_ingest=True
    )
    with store.reading(TENANT) as s:
        assert [(h.id, h.subject) for h in s.holds.list()] == [(held, "x/post/9")]
        assert s.holds.active([ref(ItemKind.POST, "9")]) == {"x/post/9": held}


def test_erasure_keeps_what_a_hold_keeps_and_erases_the_rest(store: Store) -> None:
    """A hold on one post keeps that post and the account that wrote it; the rest of the
    account's data is erased, and the hold's ``legal_hold.kept`` event counts what it kept."""
    seed(store)
    account = ref(ItemKind.ACCOUNT, "42")
    with store.session(TENANT, "test") as s:
        hold = s.holds.place(ref(ItemKind.POST, "4"), "court order", T0)
    report = erase_account(store, TENANT, account, "test", T0)
    assert (report.erased, report.held, report.holds, report.account_kept) == (4, 1, (hold,), True)
    assert report.to_dict()["holds"] == [hold]
    assert text(store, "4") == "post 4" and text(store, "1") is None and text(store, "3") is None
    assert not stored_content(store, ItemKind.MEDIA, "3_1")  # post 1's image: not held
    assert stored_content(store, ItemKind.ACCOUNT, "42")
    with store.reading(TENANT) as s:
        assert [e.data for e in s.events() if e.name == "legal_hold.kept"] == [
            {"hold_id": hold, "items": 1}]  # fmt: skip
    with store.session(TENANT, "test") as s:
        s.holds.release(hold, T0)
    report = erase_account(store, TENANT, account, "test", T0)
    assert (report.held, report.account_kept) == (0, False)
    assert text(store, "4") is None and not stored_content(store, ItemKind.ACCOUNT, "42")
    with pytest.raises(NotFoundError):
        erase_account(store, TENANT, ref(ItemKind.ACCOUNT, "999"), "test", T0)


def test_erasure_of_an_account_under_hold_is_refused(store: Store) -> None:
    """A preservation order on the account itself keeps all of it: nothing is erased."""
    seed(store)
    account = ref(ItemKind.ACCOUNT, "42")
    hold = place_legal_hold(store, TENANT, account, "order", "test", T0)
    with pytest.raises(HeldError, match=rf"is under legal hold #{hold};"):
        erase_account(store, TENANT, account, "test", T0)
    assert text(store, "1") == "post 1" and stored_content(store, ItemKind.MEDIA, "3_1")


def _remove(post: str) -> Decision:
    return Decision(
        item=ref(ItemKind.POST, post), revision=1, content_hash="0" * 64,
        action=Action.REMOVE, categories=(Category.PROPAGANDA,), confidence=0.9,
        rules=("r",), ground="ToS", automated_detection=True, automated_decision=False,
        policy_hash="1" * 64, model_hash=None, registry_hash=None, bank_hash=None,
        decided_at=T0,
    )  # fmt: skip


def test_erasure_keeps_what_a_violating_decision_preserves(store: Store) -> None:
    """EU 2021/784 Art. 6: the removed post, the image it carries and the account that wrote
    it stay; the account's other posts are erased."""
    seed(store)
    account = ref(ItemKind.ACCOUNT, "42")
    with store.session(TENANT, "test") as s:
        s.decisions.record(_remove("1"))
    report = erase_account(store, TENANT, account, "test", T0)
    assert (report.erased, report.preserved, report.account_kept) == (3, 2, True)
    assert text(store, "1") == "post 1"
    assert [text(store, p) for p in ("2", "3", "4")] == [None, None, None]
    with store.reading(TENANT) as s:
        kept = s.items.get(account)
        image = s.items.get(ref(ItemKind.MEDIA, "3_1"))
        assert kept is not None and kept.item is not None
        assert image is not None and image.item is not None
        assert s.verify_chain() == []
        erased = s.events()[-1]
        assert erased.name == "account.erased"
        assert erased.data["items"] == 3 and erased.data["account_kept"] is True


def test_erasure_keeps_the_media_of_an_earlier_violating_revision(store: Store) -> None:
    """The decision is on revision 1, which carried the image; an edit that dropped the image
    does not let an erasure take it."""
    seed(store)
    account = ref(ItemKind.ACCOUNT, "42")
    with store.session(TENANT, "test") as s:
        s.decisions.record(_remove("1"))
        edit = Post(
            ref=ref(ItemKind.POST, "1"), surface=Surface.PUBLIC, text="post 1, edited",
            author=account, edited_at=T0 + timedelta(hours=1),
        )  # fmt: skip
        s.items.save([edit], T0 + timedelta(hours=1))
    report = erase_account(store, TENANT, account, "test", T0 + timedelta(hours=2))
    assert (report.erased, report.preserved, report.account_kept) == (3, 2, True)
    with store.reading(TENANT) as s:
        image = s.items.get(ref(ItemKind.MEDIA, "3_1"))
        assert image is not None and image.state == "active" and image.item is not None


def test_a_deleted_item_past_retention_is_counted_once(store: Store, tmp_path: Path) -> None:
    """Deleted on its platform and not seen for longer than the retention period: one item,
    counted once by a dry run (as the purge counts it) and once as held."""
    seed(store)
    deleted = ref(ItemKind.POST, "1")
    with store.session(TENANT, "test") as s:
        s.items.tombstone(deleted, T0, "removed", purge=False, at=T0)
        hold = s.holds.place(ref(ItemKind.POST, "2"), "order", T0)
        s.items.tombstone(ref(ItemKind.POST, "2"), T0, "removed", purge=False, at=T0)
    settings = load_settings(environ={}, data_dir=tmp_path, retention_posts_days=30)
    later = T0 + timedelta(days=400)
    dry = purge_expired(store, settings, TENANT, later, dry_run=True)
    report = purge_expired(store, settings, TENANT, later)
    # the author of the held post is kept with it (held too)
    assert dry.purged == report.purged == {"post": 3, "media": 1, "account": 0, "deleted": 0}
    assert dry.held == report.held == 2
    assert hold


def test_purge_keeps_the_media_and_author_of_a_preserved_post(store: Store, tmp_path: Path) -> None:
    """EU 2021/784 Art. 6 preserves the content removed and the related data: the image a
    removed post carries and the account that wrote it outlive their own retention periods."""
    seed(store)
    with store.session(TENANT, "test") as s:
        s.decisions.record(_remove("1"))
    settings = load_settings(environ={}, data_dir=tmp_path, retention_posts_days=30)
    report = purge_expired(store, settings, TENANT, T0 + timedelta(days=400))
    assert report.purged == {"post": 3, "media": 0, "account": 0, "deleted": 0}
    assert (report.held, report.preserved_by_decision) == (0, 3)
    with store.reading(TENANT) as s:
        image = s.items.get(ref(ItemKind.MEDIA, "3_1"))
        account = s.items.get(ref(ItemKind.ACCOUNT, "42"))
        assert image is not None and image.item is not None
        assert account is not None and account.item is not None


def stored_content(store: Store, kind: ItemKind, scoped: str) -> bool:
    with store.reading(TENANT) as s:
        stored = s.items.get(ref(kind, scoped))
    return stored is not None and stored.item is not None


def seed_other_account(store: Store) -> None:
    """Account 43 wrote post 5 (with image 5_1) and post 8; account 42's post 6 is a pure share
    of post 5."""
    other = Account(ref=ref(ItemKind.ACCOUNT, "43"), handle="other")
    image = Media(
        ref=ref(ItemKind.MEDIA, "5_1"), media_kind=MediaKind.IMAGE, url="https://example.org/5.jpg"
    )
    shared = Post(ref=ref(ItemKind.POST, "5"), surface=Surface.PUBLIC, text="post 5",
                  author=other.ref, media=(image.ref,))  # fmt: skip
    share = Post(ref=ref(ItemKind.POST, "6"), surface=Surface.PUBLIC, author=ref(ItemKind.ACCOUNT, "42"),
                 origins=(Origin(Relation.SHARE, shared.ref),))  # fmt: skip
    unshared = Post(ref=ref(ItemKind.POST, "8"), surface=Surface.PUBLIC, text="post 8",
                    author=other.ref)  # fmt: skip
    with store.session(TENANT, "test") as s:
        s.items.save([other, image, shared, share, unshared], T0)


def test_a_hold_on_an_account_keeps_what_it_wrote_until_released(
    store: Store, tmp_path: Path
) -> None:
    """A preservation order on an account keeps its posts and their media past retention, for
    as long as the hold is in force; another account's old content is purged as ever, and once
    the hold is released the account's content is purged too."""
    seed(store)
    other = Account(ref=ref(ItemKind.ACCOUNT, "43"), handle="other")
    image = Media(
        ref=ref(ItemKind.MEDIA, "5_1"), media_kind=MediaKind.IMAGE, url="https://example.org/5.jpg"
    )
    post = Post(ref=ref(ItemKind.POST, "5"), surface=Surface.PUBLIC, text="post 5",
                author=other.ref, media=(image.ref,))  # fmt: skip
    with store.session(TENANT, "test") as s:
        s.items.save([other, image, post], T0)
    hold = place_legal_hold(store, TENANT, ref(ItemKind.ACCOUNT, "42"), "order 7/2025", "test", T0)
    settings = load_settings(environ={}, data_dir=tmp_path, retention_posts_days=30)
    later = T0 + timedelta(days=400)
    dry = purge_expired(store, settings, TENANT, later, dry_run=True)
    report = purge_expired(store, settings, TENANT, later)
    # account 42 by its own hold; its four posts and the image one of them carries by the hold
    # on the account; account 43, its post and its image go
    assert dry.purged == report.purged == {"post": 1, "media": 1, "account": 1, "deleted": 0}
    assert (dry.held, dry.held_for_account) == (report.held, report.held_for_account) == (6, 5)
    assert report.to_dict()["held_for_account"] == 5
    assert [text(store, p) for p in ("1", "2", "3", "4", "5")] == [
        "post 1", "post 2", "post 3", "post 4", None]  # fmt: skip
    assert stored_content(store, ItemKind.MEDIA, "3_1")
    assert stored_content(store, ItemKind.ACCOUNT, "42")
    assert not stored_content(store, ItemKind.MEDIA, "5_1")
    assert not stored_content(store, ItemKind.ACCOUNT, "43")
    with store.reading(TENANT) as s:
        kept_events = [e.data for e in s.events() if e.name == "legal_hold.kept"]
        assert kept_events == [{"hold_id": hold, "items": 6}]  # none for the dry run
        assert s.verify_chain() == []
    with store.session(TENANT, "test") as s:
        s.holds.release(hold, later)
    released = purge_expired(store, settings, TENANT, later + timedelta(days=1))
    assert released.purged == {"post": 4, "media": 1, "account": 1, "deleted": 0}
    assert (released.held, released.held_for_account) == (0, 0)
    assert [text(store, p) for p in ("1", "2", "3", "4")] == [None] * 4
    assert not stored_content(store, ItemKind.MEDIA, "3_1")


@pytest.mark.parametrize(
    ("subject", "purged", "held", "for_account"),
    [
        # the account, its posts 1-4 and 6, image 3_1; what post 6 shares: post 5, image 5_1
        # and account 43 that wrote it; post 8 goes
        ("x/account/42", {"post": 1, "media": 0, "account": 0}, 10, 9),
        # post 6, what it shares (post 5, image 5_1) and the accounts that wrote them
        ("x/post/6", {"post": 5, "media": 1, "account": 0}, 5, 0),
    ],
)
def test_a_held_share_keeps_what_it_shares(
    store: Store, tmp_path: Path, subject: str, purged: dict[str, int], held: int, for_account: int
) -> None:
    """A pure share shows nothing but the post it shares: a hold on the share, or on the
    account that shared, keeps the shared post and its media, though another account wrote
    them; that account's erasure keeps them, with the account, while the hold is in force."""
    seed(store)
    seed_other_account(store)
    hold = place_legal_hold(store, TENANT, ItemRef.stored(TENANT, subject), "order", "test", T0)
    settings = load_settings(environ={}, data_dir=tmp_path, retention_posts_days=30)
    report = purge_expired(store, settings, TENANT, T0 + timedelta(days=400))
    assert report.purged == {**purged, "deleted": 0}
    assert (report.held, report.held_for_account) == (held, for_account)
    assert text(store, "5") == "post 5" and text(store, "8") is None
    assert stored_content(store, ItemKind.MEDIA, "5_1")
    erased = erase_account(store, TENANT, ref(ItemKind.ACCOUNT, "43"), "test", T0)
    assert (erased.held, erased.holds, erased.account_kept) == (2, (hold,), True)  # post 5, 5_1
    assert text(store, "5") == "post 5" and stored_content(store, ItemKind.MEDIA, "5_1")
    with store.reading(TENANT) as s:
        stored = s.items.get(ref(ItemKind.POST, "8"))
        assert stored is not None and stored.state == "erased"


def test_a_hold_on_a_post_keeps_its_media_and_author(store: Store, tmp_path: Path) -> None:
    seed(store)
    hold = place_legal_hold(store, TENANT, ref(ItemKind.POST, "1"), "order", "test", T0)
    settings = load_settings(environ={}, data_dir=tmp_path, retention_posts_days=30)
    report = purge_expired(store, settings, TENANT, T0 + timedelta(days=400))
    assert report.purged == {"post": 3, "media": 0, "account": 0, "deleted": 0}
    assert (report.held, report.held_for_account) == (3, 0)
    assert stored_content(store, ItemKind.MEDIA, "3_1")
    assert stored_content(store, ItemKind.ACCOUNT, "42")
    with store.reading(TENANT) as s:
        assert [e.data for e in s.events() if e.name == "legal_hold.kept"] == [
            {"hold_id": hold, "items": 3}]  # fmt: skip


def test_a_deleted_post_of_a_held_account_keeps_its_content(store: Store, tmp_path: Path) -> None:
    """Deleted on its platform, past retention_deleted_days: kept while its author is held."""
    seed(store)
    with store.session(TENANT, "test") as s:
        s.items.tombstone(ref(ItemKind.POST, "2"), T0, "removed", purge=False, at=T0)
        hold = s.holds.place(ref(ItemKind.ACCOUNT, "42"), "order", T0)
    settings = load_settings(environ={}, data_dir=tmp_path)
    report = purge_expired(store, settings, TENANT, T0 + timedelta(days=1))
    assert report.purged["deleted"] == 0 and report.held_for_account == 1
    assert text(store, "2") == "post 2"
    with store.session(TENANT, "test") as s:
        s.holds.release(hold, T0 + timedelta(days=1))
    report = purge_expired(store, settings, TENANT, T0 + timedelta(days=2))
    assert report.purged["deleted"] == 1 and text(store, "2") is None


def test_quarantined_copies_of_a_held_account_s_media_are_kept(store: Store) -> None:
    seed(store)
    seed_other_account(store)
    hold = place_legal_hold(store, TENANT, ref(ItemKind.ACCOUNT, "42"), "order", "test", T0)
    keys = ["x/media/3_1", "x/media/5_1", "x/media/9_9", "sha256:" + "0" * 64]
    with store.reading(TENANT) as s:
        found = kept_keys(s, keys)
    assert found == {
        "x/media/3_1": Keep(hold, "account"),  # carried by a post the account wrote
        "x/media/5_1": Keep(hold, "account"),  # carried by a post the account shared
    }


def test_a_purge_keeps_the_quarantined_copies_a_hold_keeps_and_notes_them_with_the_items(
    store: Store, tmp_path: Path
) -> None:
    """One ``legal_hold.kept`` event a hold: the items and the quarantined copies it kept."""
    from nigehban.hashing.quarantine import KEY_BYTES, Quarantine, QuarantineAccess

    seed(store)
    accesses: list[QuarantineAccess] = []
    quarantine = Quarantine(
        tmp_path / "quarantine", b"k" * KEY_BYTES, on_access=accesses.append, clock=lambda: T0
    )
    quarantine.put(b"held poster", ref="x/media/3_1", actor="test", reason="matched a bank")
    quarantine.put(b"unheld poster", ref="x/media/8_8", actor="test", reason="matched a bank")
    quarantine.put(b"a file alone", ref="sha256:" + "0" * 64, actor="test", reason="matched")
    hold = place_legal_hold(store, TENANT, ref(ItemKind.POST, "1"), "order", "test", T0)
    settings = load_settings(environ={}, data_dir=tmp_path, retention_posts_days=30)
    later = T0 + timedelta(days=400)
    dry = purge_expired(store, settings, TENANT, later, dry_run=True, quarantine=quarantine)
    assert dry.purged["quarantined media"] == 2 and len(quarantine.list()) == 3
    report = purge_expired(store, settings, TENANT, later, quarantine=quarantine)
    assert report.purged["quarantined media"] == 2
    assert report.held == 4  # post 1, its image, its author and the image's quarantined copy
    assert [r.ref for r in quarantine.list()] == ["x/media/3_1"]
    assert [a.action.value for a in accesses].count("purge") == 2
    with store.reading(TENANT) as s:
        assert [e.data for e in s.events() if e.name == "legal_hold.kept"] == [
            {"hold_id": hold, "items": 4}]  # fmt: skip
    early = purge_expired(store, settings, TENANT, T0 + timedelta(days=1), quarantine=quarantine)
    assert early.purged["quarantined media"] == 0  # not past its retention yet: not counted
