"""The encrypted quarantine: confidentiality, integrity, access logging, retention, crash safety."""

from __future__ import annotations

import json
import os
import stat
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.errors import ConfigError, DependencyError, NotFoundError, UsageError, ValidationError
from nigehban.hashing.quarantine import (
    DEFAULT_RETENTION_DAYS,
    Quarantine,
    QuarantineAccess,
    QuarantineAction,
    QuarantineIntegrityError,
    load_key,
    new_key,
    write_key_file,
)

START = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
KEY = bytes(range(32))
# Stands in for a propaganda video's bytes: distinctive so any plaintext leak is visible on disk.
MEDIA = b"\x00\x00\x00\x18ftypmp42" + b"SENTINEL-PLAINTEXT-" * 500


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


class AccessLog:
    def __init__(self) -> None:
        self.accesses: list[QuarantineAccess] = []
        self.refuse: set[QuarantineAction] = set()

    def __call__(self, access: QuarantineAccess) -> None:
        if access.action in self.refuse:
            raise RuntimeError("audit log unavailable")
        self.accesses.append(access)


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def log() -> AccessLog:
    return AccessLog()


@pytest.fixture
def make(tmp_path: Path, clock: Clock, log: AccessLog) -> Callable[..., Quarantine]:
    def build(key: bytes = KEY, **kwargs: Any) -> Quarantine:
        return Quarantine(tmp_path / "q", key, on_access=log, clock=clock, **kwargs)

    return build


def put(q: Quarantine, data: bytes = MEDIA, ref: str = "instagram:media/1790000000000001") -> str:
    return q.put(data, ref=ref, actor="reviewer:17", reason="matched GIFCT bank").id


def files(q: Quarantine) -> list[Path]:
    return sorted(q.directory.iterdir())


# --- round trip and confidentiality -----------------------------------------------------------


def test_round_trip(make: Callable[..., Quarantine]) -> None:
    q = make()
    record = q.put(MEDIA, ref="telegram:file/AgAC", actor="scanner", reason="bank match")
    assert q.get(record.id, actor="reviewer:17", reason="appeal 42") == MEDIA
    assert record.size == len(MEDIA)
    assert record.stored_at == START
    assert record.expires_at == START + timedelta(days=183)
    assert q.list() == [record]
    assert q.record(record.id) == record


def test_empty_and_large_objects_round_trip(make: Callable[..., Quarantine]) -> None:
    q = make()
    big = os.urandom(3_000_000)
    for data in (b"", big):
        assert q.get(put(q, data), actor="a", reason="r") == data


def test_disk_holds_no_plaintext(make: Callable[..., Quarantine]) -> None:
    q = make()
    object_id = put(q)
    put(q)
    for path in files(q):
        content = path.read_bytes()
        assert b"SENTINEL" not in content
        assert b"ftypmp42" not in content
    sidecar = json.loads((q.directory / f"{object_id}.json").read_text())
    assert sidecar["ref"] == "instagram:media/1790000000000001"
    assert sidecar["cipher"] == "AES-256-GCM"
    assert "SENTINEL" not in json.dumps(sidecar)


def test_same_content_twice_gives_different_ciphertexts(make: Callable[..., Quarantine]) -> None:
    q = make()
    first, second = put(q), put(q)
    assert first != second
    a = (q.directory / f"{first}.bin").read_bytes()
    b = (q.directory / f"{second}.bin").read_bytes()
    assert a[4:16] != b[4:16]  # nonces
    assert a != b


def test_files_are_private_to_the_owner(make: Callable[..., Quarantine]) -> None:
    q = make()
    put(q)
    assert stat.S_IMODE(q.directory.stat().st_mode) == 0o700
    for path in files(q):
        assert stat.S_IMODE(path.stat().st_mode) == 0o600


# --- integrity ----------------------------------------------------------------------------------


@pytest.mark.parametrize("offset", [0, 5, 15, 16, 200, -1])
def test_any_changed_byte_is_detected(make: Callable[..., Quarantine], offset: int) -> None:
    q = make()
    object_id = put(q)
    path = q.directory / f"{object_id}.bin"
    blob = bytearray(path.read_bytes())
    blob[offset] ^= 0x01
    path.write_bytes(bytes(blob))
    with pytest.raises(QuarantineIntegrityError):
        q.get(object_id, actor="a", reason="r")


def test_truncated_ciphertext_is_detected(make: Callable[..., Quarantine]) -> None:
    q = make()
    object_id = put(q)
    path = q.directory / f"{object_id}.bin"
    for length in (0, 10, 30, len(path.read_bytes()) - 1):
        path.write_bytes(path.read_bytes()[:length])
        with pytest.raises(QuarantineIntegrityError):
            q.get(object_id, actor="a", reason="r")


def test_ciphertext_cannot_move_to_another_id(make: Callable[..., Quarantine]) -> None:
    q = make()
    first = put(q, b"first object")
    second = put(q, b"second object")
    os.replace(q.directory / f"{first}.bin", q.directory / f"{second}.bin")
    with pytest.raises(QuarantineIntegrityError, match="altered or the key is wrong"):
        q.get(second, actor="a", reason="r")


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("expires_at", "2099-01-01T00:00:00+00:00"),
        ("ref", "whatsapp:media/other"),
        ("size", 1),
        ("sha256", "0" * 64),
    ],
)
def test_edited_metadata_is_detected(
    make: Callable[..., Quarantine], field: str, value: object
) -> None:
    q = make()
    object_id = put(q)
    path = q.directory / f"{object_id}.json"
    document = json.loads(path.read_text())
    document[field] = value
    path.write_text(json.dumps(document))
    for read in (
        lambda: q.get(object_id, actor="a", reason="r"),
        q.list,
        lambda: q.record(object_id),
    ):
        with pytest.raises(QuarantineIntegrityError, match="metadata was altered"):
            read()


def test_unreadable_metadata_is_detected(make: Callable[..., Quarantine]) -> None:
    q = make()
    object_id = put(q)
    (q.directory / f"{object_id}.json").write_text("{not json")
    with pytest.raises(QuarantineIntegrityError, match="unreadable"):
        q.record(object_id)


def test_wrong_key_is_a_clear_error(make: Callable[..., Quarantine]) -> None:
    object_id = put(make())
    other = make(new_key())
    with pytest.raises(QuarantineIntegrityError) as caught:
        other.get(object_id, actor="a", reason="r")
    assert "stored under key" in str(caught.value)
    assert other.key_id in str(caught.value)
    with pytest.raises(QuarantineIntegrityError):
        other.list()


@settings(max_examples=40, deadline=None)
@given(st.binary(max_size=2000), st.data())
def test_round_trip_and_bit_flip_law(data: bytes, draw: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as directory:
        q = Quarantine(Path(directory), KEY, on_access=lambda access: None)
        object_id = q.put(data, ref="x:1", actor="a", reason="r").id
        assert q.get(object_id, actor="a", reason="r") == data
        path = Path(directory) / f"{object_id}.bin"
        blob = bytearray(path.read_bytes())
        index = draw.draw(st.integers(min_value=0, max_value=len(blob) - 1))
        blob[index] ^= 1 << draw.draw(st.integers(min_value=0, max_value=7))
        path.write_bytes(bytes(blob))
        with pytest.raises(QuarantineIntegrityError):
            q.get(object_id, actor="a", reason="r")


# --- the access hook ------------------------------------------------------------------------------


def test_every_access_reaches_the_hook_with_actor_and_reason(
    make: Callable[..., Quarantine], log: AccessLog, clock: Clock
) -> None:
    q = make(retention_days=30)
    kept = q.put(MEDIA, ref="x:1", actor="scanner", reason="bank match tat-2025")
    dropped = q.put(b"other", ref="x:2", actor="scanner", reason="bank match tat-2025")
    q.get(kept.id, actor="reviewer:17", reason="appeal 42")
    q.delete(dropped.id, actor="reviewer:17", reason="erasure request 9")
    clock.advance(days=31)
    assert q.purge_expired() == [kept.id]
    assert [(a.action, a.record.id, a.actor, a.reason) for a in log.accesses] == [
        (QuarantineAction.PUT, kept.id, "scanner", "bank match tat-2025"),
        (QuarantineAction.PUT, dropped.id, "scanner", "bank match tat-2025"),
        (QuarantineAction.GET, kept.id, "reviewer:17", "appeal 42"),
        (QuarantineAction.DELETE, dropped.id, "reviewer:17", "erasure request 9"),
        (QuarantineAction.PURGE, kept.id, "system:retention", "retention period ended"),
    ]
    assert log.accesses[2].at == START
    assert log.accesses[-1].at == START + timedelta(days=31)
    assert log.accesses[0].record.sha256 == kept.sha256


def test_listing_is_not_an_access(make: Callable[..., Quarantine], log: AccessLog) -> None:
    q = make()
    put(q)
    log.accesses.clear()
    q.list()
    assert log.accesses == []


def test_hook_failure_blocks_get(make: Callable[..., Quarantine], log: AccessLog) -> None:
    q = make()
    object_id = put(q)
    log.refuse = {QuarantineAction.GET}
    with pytest.raises(RuntimeError, match="audit log unavailable"):
        q.get(object_id, actor="reviewer:17", reason="appeal 42")
    assert [a.action for a in log.accesses] == [QuarantineAction.PUT]


def test_hook_failure_blocks_put_delete_and_purge(
    make: Callable[..., Quarantine], log: AccessLog, clock: Clock
) -> None:
    q = make()
    log.refuse = {QuarantineAction.PUT}
    with pytest.raises(RuntimeError):
        put(q)
    assert files(q) == []
    log.refuse = set()
    object_id = put(q)
    log.refuse = {QuarantineAction.DELETE, QuarantineAction.PURGE}
    with pytest.raises(RuntimeError):
        q.delete(object_id, actor="a", reason="r")
    clock.advance(days=400)
    with pytest.raises(RuntimeError):
        q.purge_expired()
    assert [r.id for r in q.list()] == [object_id]


def test_actor_and_reason_are_required(make: Callable[..., Quarantine]) -> None:
    q = make()
    with pytest.raises(UsageError):
        q.put(MEDIA, ref="x:1", actor="", reason="r")
    object_id = put(q)
    with pytest.raises(UsageError):
        q.get(object_id, actor="reviewer", reason="  ")


# --- retention ----------------------------------------------------------------------------------


def test_purge_after_the_retention_period(make: Callable[..., Quarantine], clock: Clock) -> None:
    q = make()
    assert DEFAULT_RETENTION_DAYS == 183
    old = put(q)
    clock.advance(days=100)
    young = put(q)
    clock.advance(days=83, seconds=-1)  # one second before the first expires
    assert q.purge_expired() == []
    assert q.get(old, actor="a", reason="r") == MEDIA
    clock.advance(seconds=1)
    with pytest.raises(NotFoundError, match="retention period ended"):
        q.get(old, actor="a", reason="r")
    assert q.purge_expired() == [old]
    assert [r.id for r in q.list()] == [young]
    assert not (q.directory / f"{old}.bin").exists()
    assert q.purge_expired(START + timedelta(days=400)) == [young]
    assert files(q) == []


def test_purge_continues_past_tampered_metadata(
    make: Callable[..., Quarantine], clock: Clock
) -> None:
    q = make()
    bad, good = put(q), put(q)
    (q.directory / f"{bad}.json").write_text("{}")
    clock.advance(days=200)
    with pytest.raises(QuarantineIntegrityError) as caught:
        q.purge_expired()
    assert caught.value.object_id == bad
    assert not (q.directory / f"{good}.json").exists()


def test_delete_removes_both_files(make: Callable[..., Quarantine]) -> None:
    q = make()
    object_id = put(q)
    q.delete(object_id, actor="reviewer:17", reason="erasure request 9")
    assert files(q) == []
    with pytest.raises(NotFoundError):
        q.get(object_id, actor="a", reason="r")


def test_ids_are_validated(make: Callable[..., Quarantine]) -> None:
    q = make()
    for bad in ("../../etc/passwd", "A" * 32, "", "0" * 31):
        with pytest.raises(ValidationError):
            q.get(bad, actor="a", reason="r")
    with pytest.raises(NotFoundError):
        q.get("0" * 32, actor="a", reason="r")


def test_naive_clock_is_refused(tmp_path: Path) -> None:
    q = Quarantine(tmp_path, KEY, on_access=lambda a: None, clock=lambda: datetime(2025, 1, 1))
    with pytest.raises(UsageError, match="time zone"):
        put(q)


def test_bad_construction_is_refused(tmp_path: Path) -> None:
    with pytest.raises(UsageError):
        Quarantine(tmp_path, b"short", on_access=lambda a: None)
    with pytest.raises(UsageError):
        Quarantine(tmp_path, KEY, on_access=lambda a: None, retention_days=0)


# --- crash safety -------------------------------------------------------------------------------


def failing_on_call(monkeypatch: pytest.MonkeyPatch, name: str, call: int) -> None:
    real = getattr(os, name)
    calls = {"n": 0}

    def fail(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] == call:
            raise OSError(28, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, fail)


@pytest.mark.parametrize(("name", "call"), [("fsync", 1), ("replace", 1), ("replace", 2)])
def test_failed_write_leaves_no_partial_files(
    make: Callable[..., Quarantine], monkeypatch: pytest.MonkeyPatch, name: str, call: int
) -> None:
    q = make()
    kept = put(q)
    before = files(q)
    failing_on_call(monkeypatch, name, call)
    with pytest.raises(DependencyError, match="No space left"):
        put(q)
    monkeypatch.undo()
    assert files(q) == before
    assert [r.id for r in q.list()] == [kept]


def test_crash_leftovers_are_invisible_and_swept(make: Callable[..., Quarantine]) -> None:
    q = make()
    kept = put(q)
    leftovers = [
        q.directory / ".tmp-0123456789abcdef-aaaa.bin",
        q.directory / f"{'b' * 32}.bin",  # ciphertext whose sidecar never landed
    ]
    fresh = q.directory / ".tmp-fedcba9876543210-cccc.json"
    for path in [*leftovers, fresh]:
        path.write_bytes(b"partial")
    old = time.time() - 2 * 3600
    for path in leftovers:
        os.utime(path, (old, old))
    assert [r.id for r in q.list()] == [kept]
    assert q.purge_expired() == []
    assert not any(path.exists() for path in leftovers)
    assert fresh.exists()  # young: a put may still be writing it
    assert q.get(kept, actor="a", reason="r") == MEDIA


# --- keys ---------------------------------------------------------------------------------------


def test_key_files(tmp_path: Path) -> None:
    raw, hexed, bad = tmp_path / "raw.key", tmp_path / "hex.key", tmp_path / "bad.key"
    raw.write_bytes(KEY)
    hexed.write_text(KEY.hex().upper() + "\n")
    bad.write_text("not a key\n")
    assert load_key(raw) == KEY
    assert load_key(hexed) == KEY
    with pytest.raises(ConfigError, match="expected 32 raw bytes or 64 hex"):
        load_key(bad)
    with pytest.raises(ConfigError, match="cannot read"):
        load_key(tmp_path / "missing.key")
    (tmp_path / "nothex.key").write_text("z" * 64)
    with pytest.raises(ConfigError):
        load_key(tmp_path / "nothex.key")


def test_write_key_file(tmp_path: Path) -> None:
    path = tmp_path / "quarantine.key"
    key = write_key_file(path)
    assert load_key(path) == key
    assert len(key) == 32
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    with pytest.raises(UsageError, match="already exists"):
        write_key_file(path)
    assert load_key(path) == key
    assert new_key() != new_key()
