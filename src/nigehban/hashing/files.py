"""Exact digests of a file, and what kind of media it is.

Hash lists exchanged in the field carry MD5, SHA-1, SHA-256 or SHA-512 digests of whole files;
platforms send SHA-256 digests in place of the media. :func:`digest_path` computes all four in
one streaming pass, so a large video is read once and never held in memory.

:func:`sniff_kind` decides from the first bytes (magic numbers) whether a file is an image, a
video or something else. Extensions are never trusted: exports rename files, and a file named
``.jpg`` may be a video or a text. The decision picks the perceptual hash to compute (PDQ for
images, vPDQ for videos); the decoder still has the last word on whether the file is readable.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import BinaryIO

from nigehban.errors import InputError
from nigehban.privacy.masking import preview

CHUNK_BYTES = 1 << 20
"""Bytes read at a time while digesting."""

SNIFF_BYTES = 512
"""Bytes :func:`sniff_path` reads; enough for every signature below (MPEG-TS needs 189)."""


@dataclass(frozen=True, slots=True)
class FileDigests:
    """Size and lower-case hex digests of one file's bytes."""

    size: int
    md5: str
    sha1: str
    sha256: str
    sha512: str


class MediaKind(StrEnum):
    """What the magic bytes say a file is."""

    IMAGE = "image"
    VIDEO = "video"
    OTHER = "other"


def describe_path(path: Path | str) -> str:
    """A path as it may appear in a message: masked, quoted, and short enough to keep the name.

    Long paths are cut to ``…/name`` so that the file name, the useful part, survives the
    truncation :func:`preview` applies.
    """
    text = str(path)
    if len(text) > 60:
        text = "…/" + Path(text).name
    return preview(text)


def digest_chunks(chunks: Iterable[bytes]) -> FileDigests:
    """Digest a sequence of byte chunks as if they were one buffer."""
    md5 = hashlib.md5(usedforsecurity=False)
    sha1 = hashlib.sha1(usedforsecurity=False)
    sha256 = hashlib.sha256()
    sha512 = hashlib.sha512()
    size = 0
    for chunk in chunks:
        size += len(chunk)
        md5.update(chunk)
        sha1.update(chunk)
        sha256.update(chunk)
        sha512.update(chunk)
    return FileDigests(
        size=size,
        md5=md5.hexdigest(),
        sha1=sha1.hexdigest(),
        sha256=sha256.hexdigest(),
        sha512=sha512.hexdigest(),
    )


def _read_chunks(stream: BinaryIO, chunk_bytes: int) -> Iterable[bytes]:
    while chunk := stream.read(chunk_bytes):
        yield chunk


def digest_stream(stream: BinaryIO, chunk_bytes: int = CHUNK_BYTES) -> FileDigests:
    """Digest everything left in a binary stream, ``chunk_bytes`` at a time."""
    return digest_chunks(_read_chunks(stream, chunk_bytes))


def digest_bytes(data: bytes) -> FileDigests:
    """Digest a buffer already in memory."""
    return digest_chunks([data])


def digest_path(path: Path | str, chunk_bytes: int = CHUNK_BYTES) -> FileDigests:
    """Digest a file in one streaming pass; an unreadable file is an :class:`InputError`."""
    try:
        with open(path, "rb") as stream:
            return digest_stream(stream, chunk_bytes)
    except OSError as exc:
        raise InputError(describe_path(path), _os_problem(exc)) from None


def _os_problem(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file"
    if isinstance(exc, IsADirectoryError):
        return "is a directory, not a file"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return f"cannot be read ({exc.strerror or type(exc).__name__})"


_ISO_VIDEO_BRANDS = frozenset(
    {
        b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"mp41", b"mp42", b"mp71",
        b"avc1", b"M4V ", b"M4VH", b"M4VP", b"qt  ", b"dash", b"MSNV", b"f4v ", b"NDAS",
        b"XAVC", b"mmp4", b"3gp4", b"3gp5", b"3gp6", b"3ge6", b"3gg6", b"3g2a", b"3g2b",
        b"3g2c", b"kddi",
    }
)  # fmt: skip
"""ISO base media (MP4, MOV, 3GP) brands of video files. Audio-only brands (``M4A``) and image
brands (HEIF, AVIF) are deliberately absent."""

_ISO_IMAGE_BRANDS = frozenset(
    {b"heic", b"heix", b"heim", b"heis", b"hevc", b"hevx", b"mif1", b"msf1", b"avif", b"avis"}
)
_QUICKTIME_ATOMS = frozenset({b"moov", b"mdat", b"wide", b"free", b"skip", b"pnot"})
_BMP_HEADER_SIZES = frozenset({12, 16, 40, 52, 56, 64, 108, 124})


def sniff_kind(head: bytes) -> MediaKind:
    """The media kind announced by the first bytes of a file (:data:`SNIFF_BYTES` suffice)."""
    if _is_image(head):
        return MediaKind.IMAGE
    if _is_video(head):
        return MediaKind.VIDEO
    return MediaKind.OTHER


def sniff_path(path: Path | str) -> MediaKind:
    """Read the first :data:`SNIFF_BYTES` of a file and sniff its kind."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(SNIFF_BYTES)
    except OSError as exc:
        raise InputError(describe_path(path), _os_problem(exc)) from None
    return sniff_kind(head)


def _is_image(head: bytes) -> bool:
    if head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n", b"GIF87a", b"GIF89a")):
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return True
    if head.startswith((b"II*\x00", b"MM\x00*")):  # TIFF
        return True
    if head.startswith((b"\x00\x00\x00\x0cjP  \r\n\x87\n", b"\xff\x4f\xff\x51")):  # JPEG 2000
        return True
    if head[:2] == b"BM" and len(head) >= 18:
        return int.from_bytes(head[14:18], "little") in _BMP_HEADER_SIZES
    if head[4:8] == b"ftyp":
        return head[8:12] in _ISO_IMAGE_BRANDS
    return False


def _is_video(head: bytes) -> bool:
    if head[4:8] == b"ftyp":
        return head[8:12] in _ISO_VIDEO_BRANDS
    if head[4:8] in _QUICKTIME_ATOMS:  # QuickTime files without an ftyp box
        return True
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # Matroska, WebM
        return True
    if head[:4] == b"RIFF" and head[8:12] == b"AVI ":
        return True
    if head.startswith(b"FLV\x01"):
        return True
    if head.startswith(b"\x30\x26\xb2\x75\x8e\x66\xcf\x11"):  # ASF, WMV
        return True
    if head.startswith((b"\x00\x00\x01\xba", b"\x00\x00\x01\xb3")):  # MPEG program stream
        return True
    if len(head) > 188 and head[0] == 0x47 and head[188] == 0x47:  # MPEG transport stream
        return True
    if len(head) > 196 and head[4] == 0x47 and head[196] == 0x47:  # M2TS (Blu-ray, AVCHD)
        return True
    return head.startswith(b"OggS") and b"\x80theora" in head
