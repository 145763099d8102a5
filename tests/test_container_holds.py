"""Legal holds on a container: a preservation order on a whole Telegram channel (or a Facebook
page, a WhatsApp group) keeps every post said in it, with what a hold on each post keeps."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from nigehban.errors import NotFoundError, ValidationError
from nigehban.model.items import Account, Media, MediaKind, Post
from nigehban.model.refs import ContainerRef, ItemKind, ItemRef, Platform, Surface
from nigehban.settings import load_settings
from nigehban.store.store import Store
from nigehban.workflows.preservation import Keep, kept_keys
from nigehban.workflows.retention import erase_account, place_legal_hold, purge_expired
from tests.conftest import TENANT

T0 = datetime(2025, 1, 1, tzinfo=UTC)
HELD = "-1001234567890"
OTHER = "-1009876543210"


def tg(kind: ItemKind, scoped: str) -> ItemRef:
    return ItemRef(TENANT, Platform.TELEGRAM, kind, scoped)


def channel_post(channel: str, n: int, author: str, media: bool = False) -> list[object]:
    """A post in ``channel`` by account ``author`` (with an image if ``media``), and the image."""
    image = Media(ref=tg(ItemKind.MEDIA, f"{channel}/{n}/media"), media_kind=MediaKind.IMAGE)
    post = Post(
        ref=tg(ItemKind.POST, f"{channel}/{n}"), surface=Surface.CHANNEL, text=f"{channel} {n}",
        author=tg(ItemKind.ACCOUNT, author), media=(image.ref,) if media else (),
        container=channel, container_title="a channel",
    )  # fmt: skip
    return [post, image] if media else [post]


def seed(store: Store) -> None:
    """Two posts of the held channel (one with an image) by account 1, two of another channel
    by account 2."""
    accounts = [Account(ref=tg(ItemKind.ACCOUNT, a)) for a in ("1", "2")]
    items = [*accounts, *channel_post(HELD, 1, "1", media=True), *channel_post(HELD, 2, "1"),
             *channel_post(OTHER, 1, "2", media=True), *channel_post(OTHER, 2, "2")]  # fmt: skip
    with store.session(TENANT, "test") as s:
        s.items.save(items, T0)  # type: ignore[arg-type]


def has_content(store: Store, kind: ItemKind, scoped: str) -> bool:
    with store.reading(TENANT) as s:
        stored = s.items.get(tg(kind, scoped))
    return stored is not None and stored.item is not None


def posts_left(store: Store) -> list[str]:
    keys = [f"{c}/{n}" for c in (HELD, OTHER) for n in (1, 2)]
    return [k for k in keys if has_content(store, ItemKind.POST, k)]


def test_a_held_channel_keeps_its_posts_and_media_until_released(
    store: Store, tmp_path: Path
) -> None:
    """The held channel's posts, their image and the account that wrote them stay past
    retention; the other channel's posts, image and account go; released, the next purge
    takes them."""
    seed(store)
    hold = place_legal_hold(
        store, TENANT, ContainerRef.parse(f"telegram:{HELD}"), "order 9/2025", "test", T0
    )
    settings = load_settings(environ={}, data_dir=tmp_path, retention_posts_days=30)
    later = T0 + timedelta(days=400)
    dry = purge_expired(store, settings, TENANT, later, dry_run=True)
    report = purge_expired(store, settings, TENANT, later)
    assert dry.purged == report.purged == {"post": 2, "media": 1, "account": 1, "deleted": 0}
    # two posts, the image one carries and account 1 that wrote them: by the channel's hold
    assert (report.held, report.held_for_container, report.held_for_account) == (4, 4, 0)
    assert (dry.held, dry.held_for_container) == (4, 4)
    assert report.to_dict()["held_for_container"] == 4
    assert posts_left(store) == [f"{HELD}/1", f"{HELD}/2"]
    assert has_content(store, ItemKind.MEDIA, f"{HELD}/1/media")
    assert has_content(store, ItemKind.ACCOUNT, "1")
    assert not has_content(store, ItemKind.MEDIA, f"{OTHER}/1/media")
    assert not has_content(store, ItemKind.ACCOUNT, "2")
    with store.reading(TENANT) as s:
        assert [e.data for e in s.events() if e.name == "legal_hold.kept"] == [
            {"hold_id": hold, "items": 4}]  # fmt: skip
        assert [(h.subject, h.subject_type) for h in s.holds.list()] == [
            (f"telegram:{HELD}", "container")]  # fmt: skip
        assert s.verify_chain() == []
    with store.session(TENANT, "test") as s:
        s.holds.release(hold, later)
    released = purge_expired(store, settings, TENANT, later + timedelta(days=1))
    assert released.purged == {"post": 2, "media": 1, "account": 1, "deleted": 0}
    assert (released.held, released.held_for_container) == (0, 0)
    assert posts_left(store) == []


def test_a_post_is_held_by_the_container_of_any_of_its_revisions(
    store: Store, tmp_path: Path
) -> None:
    seed(store)
    moved = Post(ref=tg(ItemKind.POST, f"{OTHER}/2"), surface=Surface.CHANNEL, text="edited",
                 container=HELD, edited_at=T0 + timedelta(hours=2))  # fmt: skip
    back = Post(ref=tg(ItemKind.POST, f"{OTHER}/2"), surface=Surface.CHANNEL, text="again",
                container=OTHER, edited_at=T0 + timedelta(hours=3))  # fmt: skip
    with store.session(TENANT, "test") as s:
        s.items.save([moved], T0)
        s.items.save([back], T0)
    place_legal_hold(store, TENANT, ContainerRef(Platform.TELEGRAM, HELD), "order", "test", T0)
    settings = load_settings(environ={}, data_dir=tmp_path, retention_posts_days=30)
    purge_expired(store, settings, TENANT, T0 + timedelta(days=400))
    assert posts_left(store) == [f"{HELD}/1", f"{HELD}/2", f"{OTHER}/2"]


def test_a_hold_on_a_container_is_not_one_on_an_item_of_the_same_name(store: Store) -> None:
    """Container and item holds are looked up apart: a container key is never an item key."""
    seed(store)
    hold = place_legal_hold(store, TENANT, ContainerRef(Platform.TELEGRAM, HELD), "o", "test", T0)
    with store.reading(TENANT) as s:
        assert s.holds.active_on_containers([f"telegram:{HELD}", f"telegram:{OTHER}"]) == {
            f"telegram:{HELD}": hold}  # fmt: skip
        assert s.holds.active([tg(ItemKind.POST, f"{HELD}/1")]) == {}


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("-1001234567890", "is not platform:container"),
        ("tg:-1001234567890", "unknown platform 'tg'"),
        ("telegram:", "is not a container: its id must be 1 to 512 characters"),
        ("telegram:-100 123", "must not contain white space"),
        ("telegram:https://t.me/somechannel", "is a URL"),
        ("telegram:-100\uff11\uff12\uff13", "look-alike characters"),
        ("telegram:-100\u200b1", "invisible formatting character"),
        ("telegram:" + "1" * 600, "must be 1 to 512 characters"),
    ],
)
def test_a_bad_container_is_refused_naming_it(value: str, problem: str) -> None:
    with pytest.raises(ValidationError, match=r"field container: ") as caught:
        ContainerRef.parse(value)
    assert problem in str(caught.value)
    assert value[:6] in str(caught.value)  # named (masked and cut, as every value in a message)
    assert len(str(caught.value)) < 300


def test_a_container_no_stored_post_was_said_in_is_refused_unless_before_ingest(
    store: Store, tmp_path: Path
) -> None:
    """An order can precede the collection of a channel: with before_ingest the hold is
    recorded, and holds the channel's posts once they are stored; without, a container no
    stored post names (a typo, another platform's id) is refused, naming it."""
    seed(store)
    later = ContainerRef(Platform.TELEGRAM, "-1005555555555")
    for container in (later, ContainerRef(Platform.FACEBOOK, HELD)):
        with pytest.raises(
            NotFoundError, match=r"container not found: '.*' \(.*no stored post was said in"
        ):
            place_legal_hold(store, TENANT, container, "order", "test", T0)
    with store.reading(TENANT) as s:
        assert s.holds.list() == []
    hold = place_legal_hold(store, TENANT, later, "order", "test", T0, before_ingest=True)
    with store.session(TENANT, "test") as s:
        s.items.save(channel_post(later.container, 1, "1"), T0)  # type: ignore[arg-type]
    settings = load_settings(environ={}, data_dir=tmp_path, retention_posts_days=30)
    report = purge_expired(store, settings, TENANT, T0 + timedelta(days=400))
    assert has_content(store, ItemKind.POST, f"{later.container}/1")
    assert report.held_for_container == 2  # the post, and account 1 that wrote it
    with store.reading(TENANT) as s:
        assert [e.data for e in s.events() if e.name == "legal_hold.kept"] == [
            {"hold_id": hold, "items": 2}]  # fmt: skip


def test_erasure_of_an_account_keeps_what_it_wrote_in_a_held_channel(store: Store) -> None:
    seed(store)
    with store.session(TENANT, "test") as s:
        s.items.save(channel_post(OTHER, 3, "1"), T0)  # type: ignore[arg-type]
    hold = place_legal_hold(store, TENANT, ContainerRef(Platform.TELEGRAM, HELD), "o", "test", T0)
    report = erase_account(store, TENANT, tg(ItemKind.ACCOUNT, "1"), "test", T0)
    assert (report.erased, report.held, report.holds) == (1, 3, (hold,))  # two posts, an image
    assert report.account_kept and has_content(store, ItemKind.ACCOUNT, "1")
    assert has_content(store, ItemKind.POST, f"{HELD}/1") and has_content(
        store, ItemKind.POST, f"{HELD}/2"
    )
    assert has_content(store, ItemKind.MEDIA, f"{HELD}/1/media")
    assert not has_content(store, ItemKind.POST, f"{OTHER}/3")  # said in another channel
    other = erase_account(store, TENANT, tg(ItemKind.ACCOUNT, "2"), "test", T0)
    assert (other.held, other.account_kept) == (0, False)


def test_a_deleted_post_of_a_held_channel_keeps_its_content(store: Store, tmp_path: Path) -> None:
    seed(store)
    with store.session(TENANT, "test") as s:
        s.items.tombstone(tg(ItemKind.POST, f"{HELD}/2"), T0, "removed", purge=False, at=T0)
        s.items.tombstone(tg(ItemKind.POST, f"{OTHER}/2"), T0, "removed", purge=False, at=T0)
        hold = s.holds.place(ContainerRef(Platform.TELEGRAM, HELD), "order", T0)
    settings = load_settings(environ={}, data_dir=tmp_path)
    report = purge_expired(store, settings, TENANT, T0 + timedelta(days=1))
    assert report.purged["deleted"] == 1 and report.held_for_container == 1
    assert posts_left(store) == [f"{HELD}/1", f"{HELD}/2", f"{OTHER}/1"]
    with store.session(TENANT, "test") as s:
        s.holds.release(hold, T0 + timedelta(days=1))
    report = purge_expired(store, settings, TENANT, T0 + timedelta(days=2))
    assert report.purged["deleted"] == 1 and not has_content(store, ItemKind.POST, f"{HELD}/2")


def test_quarantined_copies_of_a_held_channel_s_media_are_kept(store: Store) -> None:
    seed(store)
    hold = place_legal_hold(store, TENANT, ContainerRef(Platform.TELEGRAM, HELD), "o", "test", T0)
    keys = [f"telegram/media/{HELD}/1/media", f"telegram/media/{OTHER}/1/media"]
    with store.reading(TENANT) as s:
        found = kept_keys(s, keys)
    assert found == {keys[0]: Keep(hold, "container")}


def test_a_hold_on_the_post_itself_is_named_before_one_on_its_channel(store: Store) -> None:
    seed(store)
    on_post = place_legal_hold(store, TENANT, tg(ItemKind.POST, f"{HELD}/1"), "o", "test", T0)
    on_channel = place_legal_hold(
        store, TENANT, ContainerRef(Platform.TELEGRAM, HELD), "o", "test", T0
    )
    on_account = place_legal_hold(store, TENANT, tg(ItemKind.ACCOUNT, "1"), "o", "test", T0)
    with store.reading(TENANT) as s:
        from nigehban.workflows.preservation import kept

        why = kept(s, [tg(ItemKind.POST, f"{HELD}/1"), tg(ItemKind.POST, f"{HELD}/2")])
    assert why == {f"telegram/post/{HELD}/1": Keep(on_post, "item"),
                   f"telegram/post/{HELD}/2": Keep(on_channel, "container")}  # fmt: skip
    assert on_account not in {k.hold for k in why.values()}
