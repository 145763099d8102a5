"""Every hash of one media file, for matching it against banks of known content.

:func:`hash_file` is what the CLI's ``hash`` command and the API call: exact digests for every
file (banks of MD5 and SHA-256 digests are common, and platforms send SHA-256 digests), the PDQ
hash of an image, the vPDQ hash of a video. The kind is sniffed from the file's first bytes,
never from its name. A file that is neither image nor video gets its digests only; a file that
claims to be an image or a video but cannot be decoded is an :class:`InputError`, since a
damaged copy of known media must not pass as "no perceptual hash".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nigehban.errors import InputError
from nigehban.hashing.files import MediaKind, describe_path, digest_path, sniff_path
from nigehban.hashing.images import DEFAULT_MAX_PIXELS, pdq_dihedral, pdq_from_path
from nigehban.hashing.video import VpdqFrame, format_vpdq, vpdq_from_path


@dataclass(frozen=True, slots=True)
class FileHashes:
    """The hashes of one file: digests always, PDQ for an image, vPDQ for a hashed video."""

    file: str
    size: int
    kind: MediaKind
    md5: str
    sha1: str
    sha256: str
    sha512: str
    pdq: str | None = None
    """PDQ hash (64 hex digits) of an image as given."""
    quality: int | None = None
    """PDQ quality (0-100) of the image; set with :attr:`pdq`."""
    pdq_dihedral: tuple[str, ...] | None = None
    """The 8 PDQ hashes of the image's rotations and flips in
    :data:`~nigehban.hashing.images.DIHEDRAL_ORDER` (the first is :attr:`pdq`)."""
    vpdq: tuple[VpdqFrame, ...] | None = None
    """The video's hashed frames."""

    def to_dict(self, dihedral: bool = False) -> dict[str, Any]:
        """A JSON-ready document, the vPDQ hash in its canonical text form; the 8 dihedral
        hashes only when asked for."""
        document: dict[str, Any] = {
            "file": self.file,
            "kind": self.kind.value,
            "size": self.size,
            "md5": self.md5,
            "sha1": self.sha1,
            "sha256": self.sha256,
            "sha512": self.sha512,
        }
        if self.pdq is not None:
            document["pdq"] = self.pdq
            document["quality"] = self.quality
        if dihedral and self.pdq_dihedral is not None:
            document["pdq_dihedral"] = list(self.pdq_dihedral)
        if self.vpdq is not None:
            document["vpdq"] = format_vpdq(self.vpdq)
            document["vpdq_frames"] = len(self.vpdq)
        return document


def hash_file(
    path: Path | str,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    video: bool = True,
    seconds_per_hash: float = 1.0,
    *,
    dihedral: bool = True,
    max_bytes: int | None = None,
) -> FileHashes:
    """Digest ``path`` and add its PDQ (image) or vPDQ (video, unless ``video`` is false) hash.

    Images over ``max_pixels`` pixels are refused as possible decompression bombs, files over
    ``max_bytes`` (when given) before anything is read. ``dihedral`` adds the hashes of an
    image's rotations and flips, for matching rotated or mirrored copies.
    """
    if max_bytes is not None:
        try:
            size = Path(path).stat().st_size
        except OSError:
            size = 0  # digest_path reports the problem
        if size > max_bytes:
            raise InputError(
                describe_path(path), f"{size} bytes is over the limit of {max_bytes} bytes"
            )
    digests = digest_path(path)
    kind = sniff_path(path)
    pdq = quality = variants = None
    if kind is MediaKind.IMAGE:
        if dihedral:
            hashes = pdq_dihedral(path, max_pixels=max_pixels)
            variants = tuple(h.hex for h in hashes)
            pdq, quality = hashes[0].hex, hashes[0].quality
        else:
            single = pdq_from_path(path, max_pixels=max_pixels)
            pdq, quality = single.hex, single.quality
    frames = None
    if kind is MediaKind.VIDEO and video:
        frames = tuple(vpdq_from_path(path, seconds_per_hash=seconds_per_hash))
    return FileHashes(
        file=str(path),
        size=digests.size,
        kind=kind,
        md5=digests.md5,
        sha1=digests.sha1,
        sha256=digests.sha256,
        sha512=digests.sha512,
        pdq=pdq,
        quality=quality,
        pdq_dihedral=variants,
        vpdq=frames,
    )
