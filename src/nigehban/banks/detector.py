"""The bank detector: known content in an item, as ``hash_match`` signals.

* a **media** item: its platform-supplied digests (WhatsApp's base64 SHA-256 arrives already
  converted to hex by :class:`~nigehban.model.digests.Digest`) against the digest banks, and, when
  it has a local file (an export, a directory scan), that file hashed — MD5, SHA-256, PDQ with its
  eight rotations and flips (not matched below ``min_quality``), vPDQ for video (frames below
  ``min_quality`` ignored);
* a **post**: its text against the text banks (near-duplicate statements).

Each signal names the bank, the entry, the signal type and the distance, and carries the entry's
labels (group, category, source list) for the policy; a vPDQ signal also the quality floor its
frames were held to (``min_quality``). ``detect`` is pure: the match log is
written by the workflow that runs the scan.
"""

from __future__ import annotations

from pathlib import Path

from nigehban.banks.index import BankIndex, BankMatch
from nigehban.banks.model import DIGEST_HEX_CHARS, PDQ_BITS, SignalType
from nigehban.errors import InputError
from nigehban.hashing.files import FileDigests, digest_path
from nigehban.hashing.media import FileHashes, hash_file
from nigehban.model.items import Item, Media, Post
from nigehban.model.signals import EvidenceValue, Signal, SignalKind

NAME = "banks"
VERSION = "1"


def signal_for(match: BankMatch) -> Signal:
    entry = match.entry
    labels = entry.labels
    kind = match.signal_type
    if kind is SignalType.PDQ:
        score = max(0.0, 1.0 - match.distance / PDQ_BITS)
        how = f"PDQ within {match.distance:g} bits"
    elif kind is SignalType.TEXT:
        score = max(0.0, 1.0 - match.distance)
        how = f"text similarity {score:.2f}"
    elif kind is SignalType.VPDQ:
        score = max(0.0, 1.0 - match.distance / 100.0)
        how = f"vPDQ, {100 - match.distance:.0f}% of frames"
        if match.min_quality is not None:
            how += f" of quality {match.min_quality} or more"
    else:
        score = 1.0
        how = f"exact {kind.value.upper()}"
    evidence: dict[str, EvidenceValue] = {
        "bank": entry.bank,
        "entry_id": entry.id,
        "signal_type": kind.value,
        "distance": match.distance,
        "group": labels.group,
        "category": labels.category.value if labels.category else None,
        "source": labels.source,
    }
    if match.min_quality is not None:
        evidence["min_quality"] = match.min_quality
    return Signal(
        kind=SignalKind.HASH_MATCH,
        score=score,
        label=entry.bank,
        detector=NAME,
        detector_version=VERSION,
        explanation=f"matches entry {entry.id} of bank {entry.bank!r} ({how})",
        evidence=evidence,
    )


class BankDetector:
    """A :class:`~nigehban.detectors.base.Detector` over a live :class:`BankIndex`."""

    def __init__(
        self,
        index: BankIndex,
        *,
        min_quality: int = 50,
        max_pixels: int = 50_000_000,
        max_bytes: int | None = None,
    ) -> None:
        self._index = index
        self._min_quality = min_quality
        self._max_pixels = max_pixels
        self._max_bytes = max_bytes

    @property
    def name(self) -> str:
        return NAME

    @property
    def version(self) -> str:
        return VERSION

    @property
    def snapshot_hash(self) -> str:
        return self._index.snapshot_hash

    def matches(self, item: Item) -> list[BankMatch]:
        if isinstance(item, Post):
            return self._index.match_text(item.text).matches if item.text else []
        if not isinstance(item, Media):
            return []
        found: dict[tuple[int | None, str], BankMatch] = {}

        def keep(matches: list[BankMatch]) -> None:
            for m in matches:
                key = (m.entry.id, m.signal_type.value)
                if key not in found or m.distance < found[key].distance:
                    found[key] = m

        for digest in item.digests:
            if digest.hex is None:
                continue
            try:
                kind = SignalType(digest.algorithm)
            except ValueError:
                continue
            if kind in DIGEST_HEX_CHARS:
                keep(self._index.match_digest(kind, digest.hex).matches)
        if item.local_path and Path(item.local_path).is_file():
            path = Path(item.local_path)
            hashes: FileHashes | FileDigests | None
            try:
                hashes = hash_file(path, max_pixels=self._max_pixels, max_bytes=self._max_bytes)
            except InputError:
                # no perceptual hash (a container with no video stream, a broken image): its
                # exact digests still match, unless the file is over the size limit
                hashes = None if self._over_limit(path) else _digests(path)
            if hashes is not None:
                for kind in DIGEST_HEX_CHARS:  # every digest a bank may hold (TAT lists SHA-1)
                    keep(self._index.match_digest(kind, getattr(hashes, kind.value)).matches)
            if isinstance(hashes, FileHashes):
                if hashes.pdq is not None and (hashes.quality or 0) >= self._min_quality:
                    keep(self._index.match_pdq(list(hashes.pdq_dihedral or (hashes.pdq,))).matches)
                if hashes.vpdq:
                    keep(self._index.match_vpdq(hashes.vpdq, self._min_quality).matches)
        return sorted(found.values(), key=lambda m: (m.distance, m.entry.id or 0))

    def _over_limit(self, path: Path) -> bool:
        try:
            return self._max_bytes is not None and path.stat().st_size > self._max_bytes
        except OSError:
            return True

    def detect(self, item: Item) -> list[Signal]:
        return [signal_for(m) for m in self.matches(item)]


def _digests(path: Path) -> FileDigests | None:
    try:
        return digest_path(path)
    except InputError:
        return None
