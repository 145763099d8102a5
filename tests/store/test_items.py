"""The items repository on every backend: revisions, idempotence, tombstones, purge, erasure."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from nigehban.errors import InputError, ValidationError
from nigehban.model.items import Account, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface
from nigehban.store.schema import items
from nigehban.store.store import Store
from tests.conftest import TENANT

T0 = datetime(2025, 7, 1, 12, 0, tzinfo=UTC)


def ref(scoped: str, kind: ItemKind = ItemKind.POST) -> ItemRef:
    return ItemRef(TENANT, Platform.TELEGRAM, kind, scoped)


def post(scoped: str, text: str, edited: datetime | None = None, author: str | None = None) -> Post:
    return Post(
        ref=ref(scoped),
        surface=Surface.CHANNEL,
        text=text,
        author=ref(author, ItemKind.ACCOUNT) if author else None,
        created_at=T0,
        edited_at=edited,
    )


def save(store: Store, *items: Post | Account) -> None:
    with store.session(TENANT, "test") as s:
        s.items.save(list(items), T0)


def current_text(store: Store, scoped: str) -> str | None:
    with store.reading(TENANT) as s:
        stored = s.items.get(ref(scoped))
        assert stored is not None
        return stored.item.text if isinstance(stored.item, Post) else None


def test_save_is_idempotent(store: Store) -> None:
    save(store, post("-1001/5", "hello"))
    save(store, post("-1001/5", "hello"))
    with store.reading(TENANT) as s:
        assert s.items.count() == 1
        assert s.items.count_revisions() == 1
        assert [e.name for e in s.events()] == ["tenant.created", "item.created"]


def test_same_message_id_in_two_channels_gives_two_items(store: Store) -> None:
    save(store, post("-1001/7", "first channel"), post("-1002/7", "second channel"))
    assert current_text(store, "-1001/7") == "first channel"
    assert current_text(store, "-1002/7") == "second channel"


def test_late_older_edit_keeps_newer_text(store: Store) -> None:
    save(store, post("-1001/9", "original"))
    save(store, post("-1001/9", "edit two", edited=T0 + timedelta(minutes=2)))
    save(store, post("-1001/9", "edit one", edited=T0 + timedelta(minutes=1)))
    assert current_text(store, "-1001/9") == "edit two"
    with store.reading(TENANT) as s:
        stored = s.items.get(ref("-1001/9"), history=True)
        assert stored is not None
        assert [(r.revision, r.current) for r in stored.history] == [
            (1, False),
            (2, True),
            (3, False),
        ]
        assert [e.data.get("current") for e in s.events() if e.name == "item.revised"] == [
            True,
            False,
        ]


def test_edit_before_original_in_one_batch(store: Store) -> None:
    save(
        store,
        post("-1001/10", "edited", edited=T0 + timedelta(minutes=1)),
        post("-1001/10", "orig"),
    )
    assert current_text(store, "-1001/10") == "edited"


def test_different_content_without_edit_time_is_a_flagged_conflict(store: Store) -> None:
    save(store, post("wa/1", "one"))
    save(store, post("wa/1", "two"))
    assert current_text(store, "wa/1") == "one"
    with store.reading(TENANT) as s:
        stored = s.items.get(ref("wa/1"), history=True)
        assert stored is not None and stored.has_conflict
        assert [r.conflict for r in stored.history] == [False, True]
        assert s.events()[-1].name == "item.revision_conflict"


def test_two_edits_with_the_same_edit_time_are_a_flagged_conflict(store: Store) -> None:
    """Edit times come in whole seconds: two edits in one second cannot be put in order."""
    save(store, post("-1001/11", "edit one", edited=T0 + timedelta(minutes=1)))
    save(store, post("-1001/11", "edit two", edited=T0 + timedelta(minutes=1)))
    with store.reading(TENANT) as s:
        stored = s.items.get(ref("-1001/11"), history=True)
        assert stored is not None and stored.has_conflict
        assert [r.conflict for r in stored.history] == [False, True]
        assert s.events()[-1].name == "item.revision_conflict"


def test_tombstone_purges_content_and_refuses_new_content(store: Store) -> None:
    save(store, post("-1001/11", "to be deleted"))
    with store.session(TENANT, "test") as s:
        assert s.items.tombstone(ref("-1001/11"), T0, "revoked", purge=True, at=T0)
        assert not s.items.tombstone(ref("-1001/11"), T0, "revoked", purge=True, at=T0)
    with store.reading(TENANT) as s:
        stored = s.items.get(ref("-1001/11"))
        assert stored is not None
        assert stored.state == "deleted" and stored.item is None
    with store.session(TENANT, "test") as s:
        outcome = s.items.save([post("-1001/11", "back again")], T0)
    assert outcome.refused == 1


def test_tombstone_of_unknown_item_is_recorded(store: Store) -> None:
    with store.session(TENANT, "test") as s:
        assert s.items.tombstone(ref("-1001/99"), T0, "deleted", purge=True, at=T0)
    with store.reading(TENANT) as s:
        stored = s.items.get(ref("-1001/99"))
        assert stored is not None and stored.state == "deleted" and stored.revisions == 0


def test_failed_transaction_changes_nothing(store: Store) -> None:
    save(store, post("-1001/12", "kept"))
    try:
        with store.session(TENANT, "test") as s:
            s.items.save([post("-1001/13", "never stored")], T0)
            raise RuntimeError("boom")
    except RuntimeError:
        pass
    with store.reading(TENANT) as s:
        assert s.items.get(ref("-1001/13")) is None
        assert s.items.count() == 1
        assert s.verify_chain() == []
        assert len(s.events()) == 2


def test_a_nul_in_a_text_is_stored_on_every_backend(store: Store) -> None:
    """JSON may carry "\\u0000": the item's body keeps it (escaped), PostgreSQL included."""
    save(store, post("-1001/14", "\x00salute to the lions\x00"))
    assert current_text(store, "-1001/14") == "\x00salute to the lions\x00"


@pytest.mark.parametrize("scoped", ["-1001/1\x00", "-1001/\ud83d", "-1001/\x7f2"])
def test_ids_with_control_characters_or_lone_surrogates_are_refused(scoped: str) -> None:
    with pytest.raises(ValidationError, match="control characters or lone surrogates"):
        ref(scoped)


@pytest.mark.parametrize(
    ("scoped", "why"),
    [
        ("-1001/12\u200b", "invisible formatting character U+200B"),
        ("-1001/\u202e21", "invisible formatting character U+202E"),
        ("\ufeff-1001/12", "invisible formatting character U+FEFF"),
        ("-1001/\uff11\uff12", "look-alike characters"),  # full-width digits
        ("ﻻهور", "look-alike characters"),  # an Arabic presentation form
        ("cafe\u0301", "a separate accent: U+0301 first"),  # reads as the precomposed "café"
    ],
)
def test_look_alike_ids_are_refused(scoped: str, why: str) -> None:
    with pytest.raises(ValidationError, match=re.escape(why)):
        ref(scoped)


def test_a_plain_id_in_any_script_is_kept() -> None:
    for scoped in ("-1001/12", "لاہور-نیوز", "پښتو_خبرونه", "ẞtraße"):
        assert ref(scoped).scoped_id == scoped


def test_a_look_alike_id_stored_before_it_was_refused_is_still_read(store: Store) -> None:
    save(store, post("-1001/16", "kept"))
    with store.db.write() as conn:  # as an earlier release stored it
        conn.execute(
            update(items)
            .where(items.c.ref_key == "telegram/post/-1001/16")
            .values(ref_key="telegram/post/-1001/16\u200b")
        )
    stored = ItemRef.stored(TENANT, "telegram/post/-1001/16\u200b")
    assert stored.scoped_id == "-1001/16\u200b"
    with store.reading(TENANT) as s:
        found = s.items.get(stored)
    assert found is not None and found.item is not None and found.item.ref == ref("-1001/16")
    with pytest.raises(ValidationError, match="unknown platform"):
        ItemRef.stored(TENANT, "nowhere/post/1\u200b")
    with pytest.raises(ValidationError, match="white space"):
        ItemRef.stored(TENANT, "telegram/post/1 \u200b")
    with pytest.raises(ValidationError, match="platform/kind/scoped_id"):
        ItemRef.stored(TENANT, "telegram/post")


def test_a_value_the_database_cannot_hold_is_an_input_error_and_changes_nothing(
    store: Store,
) -> None:
    """A NUL in a plain text column: PostgreSQL refuses it (SQLite stores it); either way the
    write is whole or absent, and a refusal is an input error, not a crash."""
    save(store, post("-1001/15", "kept"))
    try:
        with store.session(TENANT, "test") as s:
            s.holds.place(ref("-1001/15"), "court order\x00 7/2025", T0)
    except InputError as exc:
        assert "NUL" in str(exc) and "court order" not in str(exc)
        with store.reading(TENANT) as s:
            assert s.holds.active([ref("-1001/15")]) == {}
    else:
        with store.reading(TENANT) as s:
            assert s.holds.active([ref("-1001/15")])
    with store.reading(TENANT) as s:
        assert s.verify_chain() == []


def test_an_id_beyond_64_bits_that_a_caller_did_not_check_is_an_input_error(
    store: Store,
) -> None:
    """SQLite's driver raises OverflowError on such a number, PostgreSQL a DataError (bigint
    out of range): either way an input error, never a traceback."""
    with pytest.raises(InputError) as caught, store.reading(TENANT) as s:
        s.decisions.get(2**70)
    assert caught.value.message in (
        "database: refused a number beyond the 64-bit range",
        "database: refused a value: bigint out of range",
    )


def test_erase_account_and_its_posts(store: Store) -> None:
    acct = Account(ref=ref("42", ItemKind.ACCOUNT), handle="someone")
    save(store, acct, post("-1001/20", "mine", author="42"), post("-1001/21", "other", author="43"))
    with store.session(TENANT, "test") as s:
        targets = s.items.authored_by(acct.ref)
        assert [t.key for t in targets] == ["telegram/post/-1001/20"]
        assert s.items.erase(acct.ref, targets, T0) == 2
    with store.reading(TENANT) as s:
        erased = s.items.get(ref("-1001/20"))
        assert erased is not None and erased.state == "erased" and erased.item is None
        assert current_text(store, "-1001/21") == "other"
        assert s.events()[-1].name == "account.erased"


def test_sharing_finds_the_active_shares_of_items_whatever_their_revision(store: Store) -> None:
    origin = post("-1001/30", "the origin")

    def share(scoped: str, of: str, relation: Relation = Relation.SHARE) -> Post:
        return replace(post(scoped, ""), origins=(Origin(relation, ref(of)),))

    save(store, origin, share("-1001/33", "-1001/30"), share("-1001/31", "-1001/30"))
    save(store, share("-1001/32", "-1001/30", Relation.QUOTE), share("-1001/34", "-1001/99"))
    with store.session(TENANT, "test") as s:
        s.items.tombstone(ref("-1001/31"), T0, "deleted by the platform", purge=True, at=T0)
    with store.reading(TENANT) as s:
        found = s.items.sharing(["telegram/post/-1001/30", "telegram/post/-1001/99"])
        assert [r.key for r in found] == ["telegram/post/-1001/33", "telegram/post/-1001/34"]
        assert s.items.sharing([]) == []


def test_page_walks_the_active_items_with_content_in_the_order_they_were_stored(
    store: Store,
) -> None:
    save(store, *(post(f"-1001/{n}", f"text {n}") for n in (5, 3, 9, 7)))
    with store.session(TENANT, "test") as s:
        s.items.tombstone(ref("-1001/9"), T0, "deleted by the platform", purge=True, at=T0)
    with store.reading(TENANT) as s:
        first = s.items.page(0, 2)
        rest = s.items.page(first[-1][0], 2)
        assert s.items.page(rest[-1][0], 2) == []
    keys = [key.rsplit("/", 1)[1] for _, key in first + rest]
    assert keys == ["5", "3", "7"]
