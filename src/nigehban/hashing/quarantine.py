"""An opt-in, encrypted, access-logged quarantine for media that matched known terrorist content.

Hash and discard is the default: media is hashed, matched and forgotten. Keeping the bytes is
opt-in (the integrator enables it by setting), for the preservation that EU Regulation 2021/784
asks of hosting providers: removed content is kept for six months so that a review, an appeal or
an investigation can see it, and then it is deleted. This module is that store.

* **Encrypted at rest.** Each object is AES-256-GCM with a fresh random 96-bit nonce. The object's
  metadata (its id, digest, size, source reference, times and the key id) is the associated data,
  so ciphertext cannot be moved to another id and metadata cannot be edited without detection. The
  metadata sidecar (JSON, no content) also carries an HMAC, so listing and purging can trust it
  without decrypting. A wrong key or a changed byte gives :class:`QuarantineIntegrityError`,
  never garbage. Subkeys for encryption, the sidecar MAC and the key id are derived from the one
  32-byte key with HKDF-SHA256. Destroying the key erases every object at once.
* **Every access is logged first.** ``on_access`` is called before each put, get, delete and
  purge; if it raises, the access does not happen (for ``get``: no bytes are read or returned).
  The integrator wires it to the signed audit log.
* **Crash-safe.** Files are written to a temporary name, flushed with ``fsync`` and renamed into
  place, ciphertext first and sidecar second; an object is visible only once its sidecar exists,
  so a crash never leaves a half object. Leftover temporary and orphaned files are swept by
  :meth:`Quarantine.purge_expired`.
* **Retention.** Each object expires ``retention_days`` after it was stored (183 days, six months,
  by default). Expired objects can no longer be read and are deleted by ``purge_expired``.

One key per quarantine: rotating keys means re-encrypting, which this module does not do.
"""

from __future__ import annotations

import binascii
import builtins
import contextlib
import hashlib
import hmac
import json
import os
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from nigehban.errors import (
    ConfigError,
    DependencyError,
    NigehbanError,
    NotFoundError,
    UsageError,
    ValidationError,
)
from nigehban.privacy.masking import preview

KEY_BYTES = 32
NONCE_BYTES = 12
DEFAULT_RETENTION_DAYS = 183
SCHEMA_VERSION = 1
CIPHER = "AES-256-GCM"
RETENTION_ACTOR = "system:retention"
ORPHAN_GRACE_SECONDS = 3600
"""Temporary and orphaned files younger than this are left alone: a put may be in progress."""

_MAGIC = b"NGQ1"
_ID = re.compile(r"[0-9a-f]{32}")
_OBJECT_SUFFIX = ".bin"
_META_SUFFIX = ".json"
_TMP_PREFIX = ".tmp-"


class QuarantineIntegrityError(NigehbanError):
    """An object or its metadata fails authentication: tampered, corrupted or a different key."""

    def __init__(self, object_id: str, problem: str) -> None:
        super().__init__(f"quarantined object {object_id}: {problem}")
        self.object_id = object_id
        self.problem = problem


class QuarantineAction(StrEnum):
    PUT = "put"
    GET = "get"
    DELETE = "delete"
    PURGE = "purge"


@dataclass(frozen=True, slots=True)
class QuarantineRecord:
    """What is known about a quarantined object without decrypting it."""

    id: str
    sha256: str
    size: int
    stored_at: datetime
    expires_at: datetime
    ref: str


@dataclass(frozen=True, slots=True)
class QuarantineAccess:
    """One access, handed to the ``on_access`` hook before it happens."""

    action: QuarantineAction
    record: QuarantineRecord
    actor: str
    reason: str
    at: datetime


AccessHook = Callable[[QuarantineAccess], None]


def new_key() -> bytes:
    """A fresh random 32-byte quarantine key."""
    return secrets.token_bytes(KEY_BYTES)


def load_key(path: Path) -> bytes:
    """Read a key file: 32 raw bytes, or 64 hexadecimal characters (surrounding space ignored)."""
    try:
        content = path.read_bytes()
    except OSError as exc:
        raise ConfigError("quarantine_key_file", f"cannot read {path}: {exc.strerror}") from None
    if len(content) == KEY_BYTES:
        return content
    text = content.strip()
    if len(text) == 2 * KEY_BYTES:
        try:
            return binascii.unhexlify(text)
        except binascii.Error:
            pass
    raise ConfigError(
        "quarantine_key_file",
        f"{path} holds {len(content)} bytes; expected 32 raw bytes or 64 hex characters "
        "(create one with new_key())",
    )


def write_key_file(path: Path) -> bytes:
    """Create ``path`` (readable by its owner only) holding a new key in hex; never overwrites."""
    key = new_key()
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise UsageError(f"key file {path} already exists; it is not overwritten") from None
    with os.fdopen(handle, "w") as out:
        out.write(key.hex() + "\n")
        out.flush()
        os.fsync(out.fileno())
    return key


def _utc_now() -> datetime:
    return datetime.now(UTC)


def _derive(key: bytes, purpose: str, length: int = 32) -> bytes:
    info = f"nigehban quarantine v1 {purpose}".encode()
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=info).derive(key)


class Quarantine:
    """Encrypted objects in ``directory``; see the module docstring for the guarantees.

    ``clock`` returns the current time as an aware datetime (injected by tests).
    """

    def __init__(
        self,
        directory: Path,
        key: bytes,
        *,
        on_access: AccessHook,
        retention_days: int = DEFAULT_RETENTION_DAYS,
        clock: Callable[[], datetime] = _utc_now,
    ) -> None:
        if len(key) != KEY_BYTES:
            raise UsageError(f"a quarantine key is {KEY_BYTES} bytes, not {len(key)}")
        if retention_days < 1:
            raise UsageError(f"retention_days must be at least 1, not {retention_days}")
        self.directory = Path(directory)
        self.retention = timedelta(days=retention_days)
        self._on_access = on_access
        self._clock = clock
        self._aead = AESGCM(_derive(key, "aes-256-gcm"))
        self._mac_key = _derive(key, "metadata hmac-sha256")
        self.key_id = _derive(key, "key id", 8).hex()
        try:
            self.directory.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise DependencyError(
                f"quarantine directory {self.directory}: {exc.strerror}"
            ) from None

    # --- public operations ----------------------------------------------------------------------

    def put(self, data: bytes, *, ref: str, actor: str, reason: str) -> QuarantineRecord:
        """Encrypt and keep ``data``; ``ref`` names where it came from (an item reference)."""
        _check_who(actor, reason)
        if not ref:
            raise UsageError("a quarantined object needs the reference it came from")
        now = self._now()
        record = QuarantineRecord(
            id=secrets.token_hex(16),
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            ref=ref,
            stored_at=now,
            expires_at=now + self.retention,
        )
        self._on_access(QuarantineAccess(QuarantineAction.PUT, record, actor, reason, now))
        associated = self._associated_data(record)
        nonce = secrets.token_bytes(NONCE_BYTES)
        blob = _MAGIC + nonce + self._aead.encrypt(nonce, data, associated)
        sidecar = self._sidecar(record, associated)
        object_path = self._object_path(record.id)
        self._write_atomically(object_path, blob)
        try:
            self._write_atomically(self._meta_path(record.id), sidecar)
        except BaseException:
            object_path.unlink(missing_ok=True)
            raise
        return record

    def get(self, object_id: str, *, actor: str, reason: str) -> bytes:
        """The plaintext of ``object_id``, after the access hook has accepted the access."""
        _check_who(actor, reason)
        record = self.record(object_id)
        now = self._now()
        if now >= record.expires_at:
            raise NotFoundError("quarantined object (retention period ended)", object_id)
        self._on_access(QuarantineAccess(QuarantineAction.GET, record, actor, reason, now))
        try:
            blob = self._object_path(object_id).read_bytes()
        except FileNotFoundError:
            raise QuarantineIntegrityError(object_id, "its encrypted content is missing") from None
        except OSError as exc:
            raise DependencyError(f"quarantined object {object_id}: {exc.strerror}") from None
        if len(blob) < len(_MAGIC) + NONCE_BYTES + 16 or not blob.startswith(_MAGIC):
            raise QuarantineIntegrityError(object_id, "its encrypted content is not in the format")
        nonce = blob[len(_MAGIC) : len(_MAGIC) + NONCE_BYTES]
        try:
            data = self._aead.decrypt(
                nonce, blob[len(_MAGIC) + NONCE_BYTES :], self._associated_data(record)
            )
        except InvalidTag:
            raise QuarantineIntegrityError(
                object_id, "decryption failed: the content was altered or the key is wrong"
            ) from None
        if hashlib.sha256(data).hexdigest() != record.sha256:
            raise QuarantineIntegrityError(object_id, "content digest does not match")
        return data

    def delete(self, object_id: str, *, actor: str, reason: str) -> None:
        """Delete ``object_id`` (an erasure request, a reviewer's decision)."""
        _check_who(actor, reason)
        record = self.record(object_id)
        now = self._now()
        self._on_access(QuarantineAccess(QuarantineAction.DELETE, record, actor, reason, now))
        self._remove(object_id)

    def purge_expired(
        self,
        now: datetime | None = None,
        *,
        actor: str = RETENTION_ACTOR,
        reason: str = "retention period ended",
        keep: Callable[[QuarantineRecord], bool] | None = None,
    ) -> builtins.list[str]:
        """Delete every object past its retention period, but those ``keep`` says to keep (a
        legal hold or a decision preserving the item it was kept for); returns their ids.

        Objects whose metadata fails authentication are not judged by it: the others are purged
        first, then :class:`QuarantineIntegrityError` names the first bad one.
        """
        _check_who(actor, reason)
        now = self._now() if now is None else _aware(now)
        purged: builtins.list[str] = []
        bad: builtins.list[QuarantineIntegrityError] = []
        for object_id in self._ids():
            try:
                record = self.record(object_id)
            except QuarantineIntegrityError as exc:
                bad.append(exc)
                continue
            except NotFoundError:
                continue  # deleted meanwhile
            if now < record.expires_at or (keep is not None and keep(record)):
                continue
            self._on_access(QuarantineAccess(QuarantineAction.PURGE, record, actor, reason, now))
            self._remove(object_id)
            purged.append(object_id)
        self._sweep()
        if bad:
            raise bad[0]
        return purged

    def list(self) -> builtins.list[QuarantineRecord]:
        """Every object's record, oldest first (metadata only; not an access to content)."""
        records = [self.record(object_id) for object_id in self._ids()]
        return sorted(records, key=lambda r: (r.stored_at, r.id))

    def record(self, object_id: str) -> QuarantineRecord:
        """The authenticated metadata of ``object_id``."""
        if not _ID.fullmatch(object_id):
            raise ValidationError(
                "quarantine", "id", f"{preview(object_id)} is not a quarantine id"
            )
        try:
            raw = self._meta_path(object_id).read_bytes()
        except FileNotFoundError:
            raise NotFoundError("quarantined object", object_id) from None
        except OSError as exc:
            raise DependencyError(f"quarantined object {object_id}: {exc.strerror}") from None
        return self._parse_sidecar(object_id, raw)

    # --- metadata -------------------------------------------------------------------------------

    def _associated_data(self, record: QuarantineRecord) -> bytes:
        fields: dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "cipher": CIPHER,
            "key_id": self.key_id,
            "id": record.id,
            "sha256": record.sha256,
            "size": record.size,
            "ref": record.ref,
            "stored_at": record.stored_at.isoformat(),
            "expires_at": record.expires_at.isoformat(),
        }
        return json.dumps(fields, sort_keys=True, separators=(",", ":")).encode()

    def _sidecar(self, record: QuarantineRecord, associated: bytes) -> bytes:
        document = json.loads(associated)
        document["mac"] = hmac.new(self._mac_key, associated, hashlib.sha256).hexdigest()
        return json.dumps(document, sort_keys=True, indent=1).encode() + b"\n"

    def _parse_sidecar(self, object_id: str, raw: bytes) -> QuarantineRecord:
        try:
            document = json.loads(raw)
            mac = str(document.pop("mac"))
            key_id = str(document["key_id"])
            record = QuarantineRecord(
                id=str(document["id"]),
                sha256=str(document["sha256"]),
                size=int(document["size"]),
                ref=str(document["ref"]),
                stored_at=datetime.fromisoformat(document["stored_at"]),
                expires_at=datetime.fromisoformat(document["expires_at"]),
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            raise QuarantineIntegrityError(object_id, "its metadata is unreadable") from None
        if key_id != self.key_id:
            raise QuarantineIntegrityError(
                object_id, f"stored under key {key_id}, but the key loaded is {self.key_id}"
            )
        expected = hmac.new(self._mac_key, self._associated_data(record), hashlib.sha256)
        if record.id != object_id or not hmac.compare_digest(mac, expected.hexdigest()):
            raise QuarantineIntegrityError(object_id, "its metadata was altered")
        return record

    # --- files ----------------------------------------------------------------------------------

    def _object_path(self, object_id: str) -> Path:
        return self.directory / f"{object_id}{_OBJECT_SUFFIX}"

    def _meta_path(self, object_id: str) -> Path:
        return self.directory / f"{object_id}{_META_SUFFIX}"

    def _ids(self) -> builtins.list[str]:
        try:
            names = sorted(p.name for p in self.directory.iterdir())
        except OSError as exc:
            raise DependencyError(
                f"quarantine directory {self.directory}: {exc.strerror}"
            ) from None
        return [
            name.removesuffix(_META_SUFFIX)
            for name in names
            if name.endswith(_META_SUFFIX) and _ID.fullmatch(name.removesuffix(_META_SUFFIX))
        ]

    def _write_atomically(self, path: Path, content: bytes) -> None:
        temporary = self.directory / f"{_TMP_PREFIX}{secrets.token_hex(8)}-{path.name}"
        try:
            handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(handle, "wb") as out:
                out.write(content)
                out.flush()
                os.fsync(out.fileno())
            os.replace(temporary, path)
            self._sync_directory()
        except BaseException as exc:
            temporary.unlink(missing_ok=True)
            if isinstance(exc, OSError):
                raise DependencyError(
                    f"quarantine directory {self.directory}: cannot write: {exc.strerror or exc}"
                ) from None
            raise

    def _remove(self, object_id: str) -> None:
        # Sidecar first: the object disappears from listings at once, and a crash part-way leaves
        # an orphaned ciphertext for the sweep, never a record without its content.
        try:
            self._meta_path(object_id).unlink(missing_ok=True)
            self._object_path(object_id).unlink(missing_ok=True)
            self._sync_directory()
        except OSError as exc:
            raise DependencyError(f"quarantined object {object_id}: {exc.strerror}") from None

    def _sweep(self) -> None:
        """Remove temporary files and orphaned ciphertexts a crash left (after a grace period)."""
        cutoff = time.time() - ORPHAN_GRACE_SECONDS
        for path in self.directory.iterdir():
            stem = path.name.removesuffix(_OBJECT_SUFFIX)
            orphan = path.name.endswith(_OBJECT_SUFFIX) and not self._meta_path(stem).exists()
            if path.name.startswith(_TMP_PREFIX) or orphan:
                with contextlib.suppress(FileNotFoundError):
                    if path.stat().st_mtime < cutoff:
                        path.unlink()

    def _sync_directory(self) -> None:
        handle = os.open(self.directory, os.O_RDONLY)
        try:
            os.fsync(handle)
        finally:
            os.close(handle)

    def _now(self) -> datetime:
        return _aware(self._clock())


def _aware(moment: datetime) -> datetime:
    if moment.tzinfo is None:
        raise UsageError("quarantine times must carry a time zone (use UTC)")
    return moment.astimezone(UTC)


def _check_who(actor: str, reason: str) -> None:
    if not actor.strip() or not reason.strip():
        raise UsageError("every quarantine access names its actor and its reason")
