"""Ingest end to end through the workflow: bad input, private messages, deletions, idempotence."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, ClassVar

import pytest

from nigehban.ingest.base import ParseContext, ParseResult
from nigehban.ingest.jsonl import GenericRecordAdapter
from nigehban.ingest.registry import AdapterRegistry
from nigehban.ingest.sources import (
    OWN_OUTPUT,
    SCAN_OUTPUT_FIELDS,
    WRITTEN_BY_SCAN,
    list_files,
    written_by_scan,
)
from nigehban.model.decisions import Action, Decision
from nigehban.model.items import Post
from nigehban.model.refs import ItemKind, ItemRef, Platform
from nigehban.model.taxonomy import Category
from nigehban.settings import Settings, load_settings
from nigehban.store.store import Store
from nigehban.workflows.ingest import PRIVATE_REASON, Ingestor
from tests.conftest import BACKENDS, TENANT, make_store

DATA = Path(__file__).resolve().parent / "data" / "payloads"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = make_store("sqlite-file", tmp_path)
    yield s
    s.close()


def settings(tmp_path: Path, **overrides: Any) -> Settings:
    return load_settings(environ={}, data_dir=tmp_path, default_tenant=TENANT, **overrides)


def write_lines(path: Path, *records: object) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n")
    return path


def snapshot(store: Store) -> tuple[int, int, int]:
    with store.reading(TENANT) as s:
        return s.items.count(), s.items.count_revisions(), len(s.events())


def text_of(store: Store, platform: Platform, scoped: str) -> str | None:
    with store.reading(TENANT) as s:
        stored = s.items.get(ItemRef(TENANT, platform, ItemKind.POST, scoped))
    assert stored is not None
    return stored.item.text if isinstance(stored.item, Post) else None


def test_directory_of_mixed_good_and_bad_files(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    write_lines(src / "a_good.jsonl", {"platform": "x", "id": "1", "text": "ok"})
    (src / "b_truncated.json").write_text('{"platform": "x", "id": "2", "te')
    (src / "c_bad_utf8.json").write_bytes(b'{"platform": "x", "id": "3", "text": "\xff\xfe"}')
    write_lines(src / "d_wrong_type.jsonl", {"platform": "x", "id": {"nested": 1}, "text": "t"})
    write_lines(src / "e_missing_id.jsonl", {"platform": "x", "text": "no id", "id": None})
    write_lines(src / "f_unknown.jsonl", {"hello": "world"})
    (src / "NOTES.txt").write_text("not a payload")
    before = snapshot(store)
    report = Ingestor(store, settings(tmp_path)).ingest_paths([src])
    errors = dict(report.errors)
    assert report.saved.created == 1
    assert "invalid JSON" in errors[str(src / "b_truncated.json")]
    assert "invalid UTF-8 at byte 38" in errors[str(src / "c_bad_utf8.json")]
    assert "field id: expected an id, got an object" in errors[f"{src / 'd_wrong_type.jsonl'}:1"]
    assert "field id: is missing" in errors[f"{src / 'e_missing_id.jsonl'}:1"]
    assert "unrecognised payload shape" in errors[f"{src / 'f_unknown.jsonl'}:1"]
    assert [f.path for f in report.skipped_files] == [str(src / "NOTES.txt")]
    assert snapshot(store)[0] == before[0] + 1


def test_a_file_a_scan_wrote_is_listed_not_read(store: Store, tmp_path: Path) -> None:
    """By its first line: a decision row with every --output column (JSON lines) or the CSV
    header. A payload that only shares some of the names, or a file cut short, is read."""
    src = tmp_path / "in"
    src.mkdir()
    row = dict.fromkeys(SCAN_OUTPUT_FIELDS, None) | {"platform": "x", "id": "9", "text": "t"}
    write_lines(src / "decisions.jsonl", row)
    write_lines(src / "decided.ndjson", row)
    (src / "decisions.csv").write_text(",".join(SCAN_OUTPUT_FIELDS) + "\nx,post,1\n")
    partial = {k: v for k, v in row.items() if k != "decision_id"}
    write_lines(src / "payload.jsonl", partial, {"platform": "x", "id": "8", "text": "ok"})
    (src / "cut.jsonl").write_text(json.dumps(row)[:40])
    assert written_by_scan(src / "decisions.jsonl") and written_by_scan(src / "decisions.csv")
    assert not written_by_scan(src / "payload.jsonl") and not written_by_scan(src / "missing.csv")
    report = Ingestor(store, settings(tmp_path)).ingest_paths([src, src / "decided.ndjson"])
    assert {f.path: f.reason for f in report.skipped_files} == {
        str(src / "decided.ndjson"): WRITTEN_BY_SCAN,  # named, and in the directory
        str(src / "decisions.csv"): "not a payload file (by extension)",
        str(src / "decisions.jsonl"): WRITTEN_BY_SCAN,
    }
    assert report.files == 2 and report.saved.created == 2  # payload.jsonl's two posts
    assert [source for source, _ in report.errors] == [str(src / "cut.jsonl") + ":1"]
    files, skipped = list_files([src / "payload.jsonl"], exclude=[src / "payload.jsonl"])
    assert files == [] and [f.reason for f in skipped] == [OWN_OUTPUT]


def test_bad_line_does_not_stop_the_good_lines(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "mixed.jsonl"
    path.write_text(
        '{"platform":"x","id":"1","text":"a"}\n{broken\n{"platform":"x","id":"2","text":"b"}\n'
    )
    report = Ingestor(store, settings(tmp_path)).ingest_paths([path])
    assert report.saved.created == 2
    assert [s for s, _ in report.errors] == [f"{path}:2"]


def test_ten_megabyte_text_is_refused_and_nothing_stored(store: Store, tmp_path: Path) -> None:
    write_lines(tmp_path / "ok.jsonl", {"platform": "x", "id": "1", "text": "kept"})
    Ingestor(store, settings(tmp_path)).ingest_paths([tmp_path / "ok.jsonl"])
    before = snapshot(store)
    big = write_lines(
        tmp_path / "big.jsonl",
        {
            "platform": "x",
            "id": "1",
            "text": "اردو " * 2_000_000,
            "edited_at": "2025-01-01T00:00:00Z",
        },
    )
    report = Ingestor(store, settings(tmp_path)).ingest_paths([big])
    ((source, problem),) = report.errors
    assert source == f"{big}:1"
    assert "x/post/1.text" in problem and "10000000 characters" in problem
    assert "اردو" not in problem
    assert snapshot(store) == before
    assert text_of(store, Platform.X, "1") == "kept"


def test_file_over_size_limit(store: Store, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", {"platform": "x", "id": "1", "text": "x" * 200})
    report = Ingestor(store, settings(tmp_path, max_file_bytes=100)).ingest_paths([path])
    assert "over the limit of 100" in report.errors[0][1]


def test_missing_path_is_reported(store: Store, tmp_path: Path) -> None:
    report = Ingestor(store, settings(tmp_path)).ingest_paths([tmp_path / "nope.json"])
    assert report.errors == [(str(tmp_path / "nope.json"), "no such file or directory")]


class _Claims:
    name: ClassVar[str] = "test.claims-everything"
    platform: ClassVar[Platform] = Platform.GENERIC

    def sniff(self, payload: object) -> bool:
        return isinstance(payload, dict)

    def parse(self, payload: Any, ctx: ParseContext) -> ParseResult:
        return ParseResult()


def test_ambiguous_shape_is_refused_not_guessed(store: Store, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", {"platform": "x", "id": "1", "text": "t"})
    registry = AdapterRegistry([GenericRecordAdapter(), _Claims()])
    report = Ingestor(store, settings(tmp_path), registry=registry).ingest_paths([path])
    assert "ambiguous payload" in report.errors[0][1]
    assert "generic.jsonl, test.claims-everything" in report.errors[0][1]
    assert report.saved.created == 0


def test_forced_format_is_used_and_unknown_format_named(store: Store, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "a.jsonl", {"platform": "x", "id": "1", "text": "t"})
    report = Ingestor(store, settings(tmp_path)).ingest_paths([path], fmt="generic.jsonl")
    assert report.saved.created == 1
    report = Ingestor(store, settings(tmp_path)).ingest_paths([path], fmt="nope")
    assert "unknown format 'nope'" in report.errors[0][1]
    report = Ingestor(store, settings(tmp_path)).ingest_paths([path], fmt="x.v2")
    assert "does not have the shape of x.v2" in report.errors[0][1]


def test_private_messages_are_skipped_unless_allowed(store: Store, tmp_path: Path) -> None:
    record = {
        "platform": "x", "id": "dm1", "text": "private", "surface": "private",
        "author": {"id": "555", "handle": "dm_only"},
    }  # fmt: skip
    path = write_lines(tmp_path / "dm.jsonl", record)
    report = Ingestor(store, settings(tmp_path)).ingest_paths([path])
    assert report.saved.created == 0
    assert {s.reason for s in report.skipped} == {PRIVATE_REASON}
    assert len(report.skipped) == 2  # the message and the account only it references
    report = Ingestor(store, settings(tmp_path, ingest_private_messages=True)).ingest_paths([path])
    assert report.saved.created == 2


def test_reingest_adds_nothing(store: Store, tmp_path: Path) -> None:
    path = write_lines(
        tmp_path / "a.jsonl",
        {"platform": "telegram", "id": "-1001/7", "text": "one", "surface": "channel"},
        {"platform": "telegram", "id": "-1002/7", "text": "two", "surface": "channel"},
    )
    Ingestor(store, settings(tmp_path)).ingest_paths([path])
    before = snapshot(store)
    report = Ingestor(store, settings(tmp_path)).ingest_paths([path])
    assert report.saved.unchanged == 2 and report.saved.created == 0
    assert snapshot(store) == before
    assert text_of(store, Platform.TELEGRAM, "-1001/7") == "one"
    assert text_of(store, Platform.TELEGRAM, "-1002/7") == "two"


def test_edit_arriving_before_an_older_edit_keeps_newer_text(store: Store, tmp_path: Path) -> None:
    base = {"platform": "telegram", "id": "-1001/8", "surface": "channel"}
    newer = write_lines(
        tmp_path / "1.jsonl", {**base, "text": "v3", "edited_at": "2025-07-01T10:03:00Z"}
    )
    older = write_lines(
        tmp_path / "2.jsonl", {**base, "text": "v2", "edited_at": "2025-07-01T10:02:00Z"}
    )
    original = write_lines(tmp_path / "3.jsonl", {**base, "text": "v1"})
    for path in (newer, older, original):
        Ingestor(store, settings(tmp_path)).ingest_paths([path])
    assert text_of(store, Platform.TELEGRAM, "-1001/8") == "v3"
    with store.reading(TENANT) as s:
        stored = s.items.get(ItemRef(TENANT, Platform.TELEGRAM, ItemKind.POST, "-1001/8"), True)
    assert stored is not None and stored.revisions == 3 and not stored.has_conflict


WA_TEXT = DATA / "whatsapp" / "wa_cloud_webhook_text.json"
WA_REVOKE = DATA / "whatsapp" / "wa_cloud_webhook_revoke_deleted.json"


def _revoked_ref() -> ItemRef:
    payload = json.loads(WA_REVOKE.read_text())
    value = payload["entry"][0]["changes"][0]["value"]
    message = value["messages"][0]
    scoped = f"{value['metadata']['phone_number_id']}/{message['revoke']['original_message_id']}"
    return ItemRef(TENANT, Platform.WHATSAPP, ItemKind.POST, scoped)


def test_revoke_leaves_a_tombstone_and_purges(store: Store, tmp_path: Path) -> None:
    ref = _revoked_ref()
    post = {
        "platform": "whatsapp",
        "id": ref.scoped_id,
        "text": "to be revoked",
        "surface": "group",
    }
    Ingestor(store, settings(tmp_path)).ingest_paths([write_lines(tmp_path / "p.jsonl", post)])
    report = Ingestor(store, settings(tmp_path, ingest_private_messages=True)).ingest_paths(
        [WA_REVOKE]
    )
    assert (report.tombstones, report.purged, report.preserved) == (1, 1, 0)
    with store.reading(TENANT) as s:
        stored = s.items.get(ref)
        assert stored is not None and stored.state == "deleted" and stored.item is None
        assert s.events()[-1].name == "item.deleted" and s.events()[-1].data["content_purged"]


def test_legal_hold_preserves_content_of_a_deleted_item(store: Store, tmp_path: Path) -> None:
    from datetime import UTC, datetime

    ref = _revoked_ref()
    post = {"platform": "whatsapp", "id": ref.scoped_id, "text": "evidence", "surface": "group"}
    Ingestor(store, settings(tmp_path)).ingest_paths([write_lines(tmp_path / "p.jsonl", post)])
    with store.session(TENANT, "test") as s:
        s.holds.place(ref, "preservation order", datetime.now(UTC))
    report = Ingestor(store, settings(tmp_path, ingest_private_messages=True)).ingest_paths(
        [WA_REVOKE]
    )
    assert (report.tombstones, report.purged, report.preserved) == (1, 0, 1)
    with store.reading(TENANT) as s:
        stored = s.items.get(ref)
        assert stored is not None and stored.state == "deleted"
        assert isinstance(stored.item, Post) and stored.item.text == "evidence"


@pytest.mark.parametrize(
    ("field", "value", "subject"),
    [
        ("author", {"id": "923001112233"}, "whatsapp/account/923001112233"),
        ("container", "120363012345678901@g.us", "whatsapp:120363012345678901@g.us"),
    ],
    ids=["account", "group"],
)
def test_a_hold_on_the_author_or_the_group_preserves_content_of_a_deleted_item(
    store: Store, tmp_path: Path, field: str, value: object, subject: str
) -> None:
    """A preservation order on an account, or on a WhatsApp group, keeps the content of a
    message it wrote or that was said in it and deleted on the platform; released, the next
    purge removes it."""
    from datetime import UTC, datetime

    from nigehban.model.refs import ContainerRef
    from nigehban.workflows.retention import purge_expired

    ref = _revoked_ref()
    post = {"platform": "whatsapp", "id": ref.scoped_id, "text": "evidence", "surface": "group",
            field: value}  # fmt: skip
    Ingestor(store, settings(tmp_path)).ingest_paths([write_lines(tmp_path / "p.jsonl", post)])
    held = ContainerRef.parse(subject) if ":" in subject else ItemRef.parse(TENANT, subject)
    with store.session(TENANT, "test") as s:
        hold = s.holds.place(held, "preservation order", datetime.now(UTC))
    report = Ingestor(store, settings(tmp_path, ingest_private_messages=True)).ingest_paths(
        [WA_REVOKE]
    )
    assert (report.tombstones, report.purged, report.preserved) == (1, 0, 1)
    assert text_of(store, Platform.WHATSAPP, ref.scoped_id) == "evidence"
    with store.session(TENANT, "test") as s:
        s.holds.release(hold, datetime.now(UTC))
    purge = purge_expired(store, settings(tmp_path), TENANT, datetime.now(UTC))
    assert purge.purged["deleted"] == 1
    assert text_of(store, Platform.WHATSAPP, ref.scoped_id) is None


def test_a_deleted_items_content_is_kept_for_its_retention_period(
    store: Store, tmp_path: Path
) -> None:
    """With ``retention_deleted_days`` above 0, a deletion keeps the content (and the open
    case) until the period has passed since the platform deleted it; the retention purge then
    takes it. A deletion that arrives after its period is purged at once."""
    from datetime import UTC, datetime, timedelta

    from nigehban.workflows.retention import purge_expired

    remove = json.loads((DATA / "facebook" / "webhook_feed_post_remove.json").read_text())
    value = remove["entry"][0]["changes"][0]["value"]
    now = datetime.now(UTC)
    cases = {
        "recent": (now - timedelta(days=2), "555_1"),
        "old": (now - timedelta(days=40), "555_2"),
    }
    posts = [
        {"platform": "facebook", "id": post_id, "text": f"post {post_id}"}
        for _, post_id in cases.values()
    ]
    Ingestor(store, settings(tmp_path)).ingest_paths([write_lines(tmp_path / "p.jsonl", *posts)])
    for name, (deleted, post_id) in cases.items():
        value["created_time"], value["post_id"] = int(deleted.timestamp()), post_id
        remove["entry"][0]["time"] = int(deleted.timestamp())
        (tmp_path / f"{name}.json").write_text(json.dumps(remove))
    month = settings(tmp_path, retention_deleted_days=30)
    report = Ingestor(store, month).ingest_paths([tmp_path / "recent.json", tmp_path / "old.json"])
    assert (report.tombstones, report.purged, report.kept_for_retention) == (2, 1, 1)
    assert report.to_dict()["kept_for_retention"] == 1
    assert text_of(store, Platform.FACEBOOK, "555_1") == "post 555_1"
    assert text_of(store, Platform.FACEBOOK, "555_2") is None
    assert purge_expired(store, month, TENANT, now + timedelta(days=27)).purged["deleted"] == 0
    assert text_of(store, Platform.FACEBOOK, "555_1") == "post 555_1"
    assert purge_expired(store, month, TENANT, now + timedelta(days=29)).purged["deleted"] == 1
    assert text_of(store, Platform.FACEBOOK, "555_1") is None


def test_a_deletion_is_recorded_when_it_arrives_and_never_in_the_future(
    store: Store, tmp_path: Path
) -> None:
    """Facebook's ``created_time`` on a removal is the platform's word for when it happened;
    the audit event and the purge are stamped when Nigehban records them, and a time after
    that (9999-12-31) is not believed."""
    from datetime import UTC, datetime

    remove = json.loads((DATA / "facebook" / "webhook_feed_post_remove.json").read_text())
    value = remove["entry"][0]["changes"][0]["value"]
    cases = {"future": (253402300799, "1234567890321_1"), "past": (1452098986, "1234567890321_2")}
    posts = [{"platform": "facebook", "id": post_id, "text": "x"} for _, post_id in cases.values()]
    Ingestor(store, settings(tmp_path)).ingest_paths([write_lines(tmp_path / "p.jsonl", *posts)])
    for name, (created, post_id) in cases.items():
        value["created_time"], value["post_id"] = created, post_id
        remove["entry"][0]["time"] = created
        (tmp_path / f"{name}.json").write_text(json.dumps(remove))
    before = datetime.now(UTC)
    report = Ingestor(store, settings(tmp_path)).ingest_paths(
        [tmp_path / "future.json", tmp_path / "past.json"]
    )
    after = datetime.now(UTC)
    assert (report.tombstones, report.purged) == (2, 2)
    with store.reading(TENANT) as s:
        events = [e for e in s.events() if e.name == "item.deleted"]
        assert len(events) == 2 and all(before <= e.at <= after for e in events)
        assert s.verify_chain() == []
        future = s.items.get(ItemRef.parse(TENANT, "facebook/post/1234567890321_1"))
        past = s.items.get(ItemRef.parse(TENANT, "facebook/post/1234567890321_2"))
    assert future is not None and future.deleted_at is not None
    assert before <= future.deleted_at <= after  # not 9999-12-31
    assert past is not None and past.deleted_at == datetime.fromtimestamp(1452098986, UTC)


def _store_state(store: Store) -> list[tuple[str, str | None]]:
    from sqlalchemy import select

    from nigehban.store.schema import item_revisions, items

    with store.db.read() as conn:
        rows = conn.execute(
            select(items.c.ref_key, item_revisions.c.content_hash)
            .join(item_revisions, item_revisions.c.item_id == items.c.id)
            .order_by(items.c.ref_key, item_revisions.c.revision)
        )
        return [(r.ref_key, r.content_hash) for r in rows]


def test_worker_processes_store_exactly_what_in_process_parsing_stores(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import nigehban.workflows.ingest as workflow

    monkeypatch.setattr(workflow, "PARALLEL_MIN_BYTES", 1)
    records: list[object] = []
    for i in range(900):
        records.append(
            {
                "platform": "telegram", "id": f"-100{i % 3}/{i}", "surface": "channel",
                "text": f"خبر نمبر {i} 📢", "author": {"id": f"-100{i % 3}", "handle": f"c{i % 3}"},
            }
        )  # fmt: skip
    records.insert(450, {"platform": "x", "text": "no id"})
    path = write_lines(tmp_path / "many.jsonl", *records)
    results: list[tuple[dict[str, Any], Any]] = []
    for workers in (0, 1):
        store = make_store("sqlite-file", tmp_path / f"w{workers}")
        ingestor = Ingestor(
            store, settings(tmp_path, ingest_workers=workers, ingest_batch_size=100)
        )
        report = ingestor.ingest_paths([path])
        results.append((report.to_dict(), _store_state(store)))
        with store.reading(TENANT) as s:
            assert s.verify_chain() == []
        store.close()
    (serial, serial_rows), (parallel, parallel_rows) = results
    assert serial == parallel
    assert serial_rows == parallel_rows and len(serial_rows) == 903
    assert [e["source"] for e in serial["errors"]] == [f"{path}:451"]


def test_progress_covers_every_byte(store: Store, tmp_path: Path) -> None:
    src = tmp_path / "p"
    src.mkdir()
    write_lines(src / "a.jsonl", *({"platform": "x", "id": str(i), "text": "t"} for i in range(25)))
    (src / "b.json").write_text('{"platform": "x", "id": "b", "text": "t"}')
    (src / "c.jsonl").write_text('\n\n{"platform": "x", "id": "c", "text": "t"}\n\n')
    seen: list[int] = []
    report = Ingestor(store, settings(tmp_path, ingest_batch_size=10)).ingest_paths(
        [src], on_progress=seen.append
    )
    assert report.ok and report.saved.created == 27
    assert sum(seen) == sum(p.stat().st_size for p in src.iterdir())
    assert len(seen) >= 4  # three batches of a.jsonl, then the other files


@pytest.mark.parametrize("backend", BACKENDS)
def test_control_characters_in_an_id_make_a_bad_line_on_every_backend(
    backend: str, tmp_path: Path
) -> None:
    """JSON may carry "\\u0000" in an account id; PostgreSQL cannot store it in a key. The
    line is reported with the bad value named; the other lines and a NUL in a text are kept."""
    store = make_store(backend, tmp_path)
    try:
        path = write_lines(
            tmp_path / "posts.jsonl",
            {"platform": "generic", "id": "N1", "author": {"id": "u\x00x"}, "text": "lost"},
            {"platform": "generic", "id": "N2", "author": {"id": "u2"}, "text": "\x00kept"},
        )
        report = Ingestor(store, settings(tmp_path)).ingest_paths([path])
        assert dict(report.errors) == {
            f"{path}:1": "field author.id: 'u\\x00x' must not contain control characters or lone "
            "surrogates"
        }
        assert report.saved.created == 2  # N2 and its author
        assert text_of(store, Platform.GENERIC, "N2") == "\x00kept"
    finally:
        store.close()


def test_a_lone_surrogate_escape_is_read_as_u_fffd_and_the_page_kept(
    store: Store, tmp_path: Path
) -> None:
    """Platforms that cut text in UTF-16 can split an emoji's escape pair; the page's other
    posts must not be lost for it."""
    page = tmp_path / "page.json"
    page.write_text(
        '{"data": [{"id": "1", "text": "RT @a: lions of the mountains \\ud83d"},'
        ' {"id": "2", "text": "whole \\ud83d\\udd25 pair"}]}'
    )
    report = Ingestor(store, settings(tmp_path)).ingest_paths([page])
    assert report.errors == [] and report.saved.created == 2
    assert text_of(store, Platform.X, "1") == "RT @a: lions of the mountains \ufffd"
    assert text_of(store, Platform.X, "2") == "whole \U0001f525 pair"


def _review_decision(ref: ItemRef, categories: tuple[Category, ...]) -> Decision:
    from datetime import UTC, datetime

    return Decision(
        item=ref, revision=1, content_hash="0" * 64, action=Action.REVIEW, categories=categories,
        confidence=0.5, rules=("abstain",), ground=None, automated_detection=True,
        automated_decision=False, policy_hash="1" * 64, model_hash=None, registry_hash=None,
        bank_hash=None, decided_at=datetime.now(UTC),
    )  # fmt: skip


@pytest.mark.parametrize(("categories", "closed"), [((), True), ((Category.GLORIFICATION,), False)])
def test_a_deletion_ends_the_open_case_only_when_nothing_is_left_to_review(
    store: Store, tmp_path: Path, categories: tuple[Category, ...], closed: bool
) -> None:
    from datetime import UTC, datetime

    ref = _revoked_ref()
    post = {"platform": "whatsapp", "id": ref.scoped_id, "text": "unclear", "surface": "group"}
    Ingestor(store, settings(tmp_path)).ingest_paths([write_lines(tmp_path / "p.jsonl", post)])
    with store.session(TENANT, "test") as s:
        decision_id = s.decisions.record(_review_decision(ref, categories))
        case_id = s.cases.open(ref, decision_id, "abstained", datetime.now(UTC)).case_id
    report = Ingestor(store, settings(tmp_path, ingest_private_messages=True)).ingest_paths(
        [WA_REVOKE]
    )
    assert (report.purged, report.preserved, report.cases_closed) == (
        (1, 0, 1) if closed else (0, 1, 0)
    )
    with store.reading(TENANT) as s:
        case = s.cases.get(case_id)
    assert case.state == ("closed" if closed else "open")
    if closed:
        assert case.resolution == "closed: deleted on the platform, and its content purged"


def test_a_look_alike_id_makes_a_bad_line(sqlite_store: Store, tmp_path: Path) -> None:
    """ "123" followed by a zero-width space, or in full-width digits, would be an item of its
    own beside "123" (a ban evader's or a duplicate's way in): the line is refused, naming the
    character, and the plain one is kept."""
    path = write_lines(
        tmp_path / "posts.jsonl",
        {"platform": "generic", "id": "123", "author": {"id": "u1"}, "text": "kept"},
        {"platform": "generic", "id": "123\u200b", "author": {"id": "u1"}, "text": "look-alike"},
        {"platform": "generic", "id": "\uff11\uff12\uff13", "author": {"id": "u1"}, "text": "wide"},
    )
    report = Ingestor(sqlite_store, settings(tmp_path)).ingest_paths([path])
    errors = dict(report.errors)
    assert "U+200B" in errors[f"{path}:2"] and "look-alike" in errors[f"{path}:3"]
    assert report.saved.created == 2  # 123 and its author
    assert text_of(sqlite_store, Platform.GENERIC, "123") == "kept"


def test_ids_cut_to_u_fffd_are_refused_not_merged(store: Store, tmp_path: Path) -> None:
    """ "p\\ud83d" and "p\\ud83e" both read as "p\\ufffd": stored, two posts would be one."""
    page = tmp_path / "ids.jsonl"
    page.write_text(
        '{"platform": "x", "id": "p\\ud83d", "text": "first"}\n'
        '{"platform": "x", "id": "p\\ud83e", "text": "second"}\n'
        '{"platform": "x", "id": "ok", "text": "kept \\ud83d"}\n'
    )
    report = Ingestor(store, settings(tmp_path)).ingest_paths([page])
    assert report.saved.created == 1
    assert [s for s, _ in report.errors] == [f"{page}:1", f"{page}:2"]
    assert all("U+FFFD" in problem for _, problem in report.errors)


def test_a_container_no_hold_could_name_makes_a_bad_line(
    sqlite_store: Store, tmp_path: Path
) -> None:
    """A channel's title in place of its id, a URL or a look-alike id would be stored with no
    link a hold on the channel finds it by: the line is refused at ``container``, naming it."""
    path = write_lines(
        tmp_path / "posts.jsonl",
        {"platform": "telegram", "id": "-1007/1", "text": "kept", "container": -1007},
        {"platform": "telegram", "id": "-1007/2", "text": "title", "container": "News Channel"},
        {"platform": "telegram", "id": "-1007/3", "text": "url", "container": "https://t.me/x"},
        {"platform": "telegram", "id": "-1007/4", "text": "wide", "container": "\uff0d1007"},
    )
    report = Ingestor(sqlite_store, settings(tmp_path)).ingest_paths([path])
    errors = dict(report.errors)
    assert sorted(errors) == [f"{path}:{n}" for n in (2, 3, 4)]
    assert "container" in errors[f"{path}:2"] and "white space" in errors[f"{path}:2"]
    assert "URL" in errors[f"{path}:3"] and "look-alike" in errors[f"{path}:4"]
    assert report.saved.created == 1
    with sqlite_store.reading(TENANT) as s:
        assert s.items.is_linked("telegram:-1007", "container")
