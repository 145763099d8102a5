"""vPDQ: video similarity from PDQ hashes of sampled frames (Meta's ``vpdq``, built on FFmpeg).

A vPDQ hash is a list of frames, each with its frame number, PDQ quality, PDQ hash and time
stamp. Two videos match when most of the distinct frames of each have a close frame in the
other, which survives re-encoding, resizing, trimming and overlays but not a different video.

Text form (:func:`format_vpdq`, the canonical form stored in banks) is the one the reference
``vpdq-hash-video`` tool writes: one line per frame, ``frame_number,quality,pdq_hex,timestamp``
with the time stamp in seconds to 3 decimals. :func:`parse_vpdq` also reads what other systems
export:

* python-threatexchange's ``VPDQSignal`` string: a JSON list of ``"pdq_hex,quality,timestamp"``
  (frame numbers are then the positions in the list), and the same lines without the JSON list
  (what the ``vpdq`` Python package's command line prints);
* python-threatexchange's older JSON object ``{"0": {"quality": .., "hash": .., "timestamp":
  ..}, ...}`` keyed by frame number;
* lines ``frame_number,pdq_hex,quality,timestamp`` (the field order of the ``vpdq`` README).

The fields are told apart by shape (a PDQ hash is 64 hex digits, a quality at most 3 digits),
so no form can be mistaken for another.

Matching (:func:`vpdq_match`) follows the reference brute-force matcher: drop repeated PDQ
hashes, drop frames below the quality floor, then count the share of query frames with a target
frame within ``frame_threshold`` bits, and the share of target frames with such a query frame.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import vpdq

from nigehban.banks.model import (
    DEFAULT_VPDQ_FRAME_THRESHOLD,
    DEFAULT_VPDQ_MATCH_PERCENT,
    PDQ_HEX_CHARS,
)
from nigehban.errors import InputError, UsageError, ValidationError
from nigehban.hashing.files import MediaKind, describe_path, sniff_path
from nigehban.hashing.images import MIN_QUALITY
from nigehban.privacy.masking import preview

TIMESTAMP_DECIMALS = 3
"""Time stamps are kept, written and compared to the millisecond, as the reference tool does."""

_KIND_WORDS = {MediaKind.IMAGE: "an image", MediaKind.OTHER: "no known video container"}
_HEX = re.compile(f"[0-9a-fA-F]{{{PDQ_HEX_CHARS}}}")
_INT = re.compile(r"[0-9]+")


@dataclass(frozen=True, slots=True)
class VpdqFrame:
    """One hashed frame of a video."""

    frame_number: int
    quality: int
    pdq_hex: str
    timestamp: float
    """Seconds from the start of the video, rounded to :data:`TIMESTAMP_DECIMALS`."""


@dataclass(frozen=True, slots=True)
class VpdqMatch:
    """How much of each video is found in the other, in percent of their distinct frames."""

    query_percent: float
    target_percent: float
    match_percent: float = DEFAULT_VPDQ_MATCH_PERCENT
    """The share :attr:`query_percent` must reach for :attr:`matched`."""
    target_match_percent: float = DEFAULT_VPDQ_MATCH_PERCENT
    """The share :attr:`target_percent` must reach for :attr:`matched`."""

    @property
    def matched(self) -> bool:
        return (
            self.query_percent >= self.match_percent
            and self.target_percent >= self.target_match_percent
        )


# -- hashing ----------------------------------------------------------------------------------


def vpdq_from_path(
    path: Path | str,
    seconds_per_hash: float = 1.0,
    *,
    downsample_width: int = 0,
    downsample_height: int = 0,
    threads: int = 0,
    sniff: bool = True,
) -> list[VpdqFrame]:
    """Hash a video file: one frame every ``seconds_per_hash`` seconds (0: every frame).

    ``downsample_width``/``downsample_height`` shrink frames before hashing (0 keeps the size);
    ``threads`` 0 lets vpdq choose. A missing file, or one FFmpeg cannot decode as video, is an
    :class:`InputError`.

    With ``sniff`` (the default) a file whose first bytes are not those of a known video
    container is refused before FFmpeg sees it: FFmpeg also reads playlists and other text
    formats that make it open further files or URLs, which untrusted input must not do.
    """
    source = describe_path(path)
    if seconds_per_hash < 0:
        raise UsageError(f"seconds_per_hash must not be negative, not {seconds_per_hash}")
    file = Path(path)
    if not file.is_file():
        problem = "is a directory, not a video" if file.is_dir() else "no such file"
        raise InputError(source, problem)
    if file.stat().st_size == 0:
        raise InputError(source, "empty file (0 bytes), not a video")
    if sniff and (kind := sniff_path(file)) is not MediaKind.VIDEO:
        raise InputError(source, f"not a video: its first bytes are those of {_KIND_WORDS[kind]}")
    try:
        features = vpdq.computeHash(
            str(file.resolve()),  # absolute: FFmpeg never reads a "proto:" prefix from a name
            seconds_per_hash=seconds_per_hash,
            downsample_width=downsample_width,
            downsample_height=downsample_height,
            thread_count=threads,
        )
    except Exception:  # vpdq raises bare Exception/ValueError when FFmpeg fails
        raise InputError(source, "not a video FFmpeg can decode") from None
    if not features:
        raise InputError(source, "no video frames could be decoded")
    return [
        VpdqFrame(
            frame_number=int(f.frame_number),
            quality=int(f.quality),
            pdq_hex=str(f.hex).lower(),
            timestamp=round(float(f.timestamp), TIMESTAMP_DECIMALS),
        )
        for f in features
    ]


# -- text form --------------------------------------------------------------------------------


def format_vpdq(frames: Iterable[VpdqFrame]) -> str:
    """The canonical text form: ``frame_number,quality,pdq_hex,timestamp`` lines."""
    return "\n".join(
        f"{f.frame_number},{f.quality},{f.pdq_hex},{f.timestamp:.{TIMESTAMP_DECIMALS}f}"
        for f in frames
    )


def parse_vpdq(value: str, source: str = "") -> list[VpdqFrame]:
    """Read a vPDQ hash in any of the forms in the module docstring.

    Anything malformed is a :class:`ValidationError` naming the line (or list position) and the
    bad value. A hash with no frames is refused.
    """
    text = value.strip()
    if not text:
        raise ValidationError(source, "vpdq", "a vPDQ hash needs at least one frame")
    if text[0] in "[{":
        frames = _parse_json(text, source)
    else:
        lines = [(n, line.strip()) for n, line in enumerate(text.splitlines(), 1)]
        frames = []
        for n, line in lines:
            if line:
                frames.append(_parse_line(line.split(","), len(frames), f"vpdq line {n}", source))
    if not frames:
        raise ValidationError(source, "vpdq", "a vPDQ hash needs at least one frame")
    return frames


def _parse_json(text: str, source: str) -> list[VpdqFrame]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            source, "vpdq", f"not valid JSON ({exc.msg} at character {exc.pos})"
        ) from None
    except RecursionError:
        raise ValidationError(source, "vpdq", "JSON nested too deeply") from None
    if isinstance(data, list):
        frames = []
        for i, item in enumerate(data):
            where = f"vpdq[{i}]"
            if not isinstance(item, str):
                raise ValidationError(
                    source, where, f"{preview(item)} is not a 'pdq_hex,quality,timestamp' string"
                )
            frames.append(_parse_line(item.split(","), i, where, source))
        return frames
    if isinstance(data, dict):
        return [_parse_json_frame(key, item, source) for key, item in data.items()]
    raise ValidationError(source, "vpdq", f"{preview(data)} is not a list or object of frames")


def _parse_json_frame(key: str, item: Any, source: str) -> VpdqFrame:
    where = f"vpdq[{key!r}]"
    if not isinstance(item, dict) or not {"quality", "hash", "timestamp"} <= item.keys():
        raise ValidationError(
            source, where, f"{preview(item)} is not an object with quality, hash and timestamp"
        )
    return VpdqFrame(
        frame_number=_frame_number(key, where, source),
        quality=_quality(item["quality"], where, source),
        pdq_hex=_pdq_hex(item["hash"], where, source),
        timestamp=_timestamp(item["timestamp"], where, source),
    )


def _parse_line(parts: list[str], position: int, where: str, source: str) -> VpdqFrame:
    fields = [p.strip() for p in parts]
    if len(fields) == 3 and _HEX.fullmatch(fields[0]):  # pdq_hex,quality,timestamp (pytx)
        pdq, quality, stamp = fields
        number: object = position
    elif len(fields) == 4 and _HEX.fullmatch(fields[1]) and not _HEX.fullmatch(fields[2]):
        number, pdq, quality, stamp = fields  # frame_number,pdq_hex,quality,timestamp
    elif len(fields) == 4:
        number, quality, pdq, stamp = fields  # frame_number,quality,pdq_hex,timestamp
    else:
        raise ValidationError(
            source,
            where,
            f"{preview(','.join(parts))} has {len(fields)} fields; expected "
            "frame_number,quality,pdq_hex,timestamp (or pdq_hex,quality,timestamp)",
        )
    return VpdqFrame(
        frame_number=_frame_number(number, where, source),
        quality=_quality(quality, where, source),
        pdq_hex=_pdq_hex(pdq, where, source),
        timestamp=_timestamp(stamp, where, source),
    )


def _frame_number(value: object, where: str, source: str) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
        return value
    if isinstance(value, str) and _INT.fullmatch(value):
        return int(value)
    raise ValidationError(source, where, f"{preview(value)} is not a frame number")


def _quality(value: object, where: str, source: str) -> int:
    number = int(value) if isinstance(value, str) and _INT.fullmatch(value) else value
    if isinstance(number, int) and not isinstance(number, bool) and 0 <= number <= 100:
        return number
    raise ValidationError(source, where, f"{preview(value)} is not a PDQ quality (0-100)")


def _pdq_hex(value: object, where: str, source: str) -> str:
    if isinstance(value, str) and _HEX.fullmatch(value):
        return value.lower()
    raise ValidationError(
        source,
        where,
        f"{preview(value)} is not a PDQ hash (expected {PDQ_HEX_CHARS} hex characters)",
    )


def _timestamp(value: object, where: str, source: str) -> float:
    number: float | None = None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    elif isinstance(value, str):
        try:
            number = float(value)
        except ValueError:
            number = None
    if number is None or not math.isfinite(number) or number < 0:
        raise ValidationError(
            source, where, f"{preview(value)} is not a time stamp (seconds, 0 or more)"
        )
    return round(number, TIMESTAMP_DECIMALS)


# -- matching ---------------------------------------------------------------------------------


def vpdq_match(
    query: Sequence[VpdqFrame],
    target: Sequence[VpdqFrame],
    frame_threshold: int = DEFAULT_VPDQ_FRAME_THRESHOLD,
    match_percent: float = DEFAULT_VPDQ_MATCH_PERCENT,
    min_quality: int = MIN_QUALITY,
    target_match_percent: float | None = None,
) -> VpdqMatch:
    """Compare two videos' frames as the reference matcher does (see the module docstring).

    The videos match when both shares reach ``match_percent``. ``target_match_percent``, when
    given, sets the target's share apart: python-threatexchange uses 0, so that an excerpt of a
    known video matches it however short the excerpt is. A video left with no frame after
    dropping low-quality ones matches nothing (0 %).
    """
    target_share = match_percent if target_match_percent is None else target_match_percent
    query_bits = _unique_bits(query, min_quality)
    target_bits = _unique_bits(target, min_quality)
    if len(query_bits) == 0 or len(target_bits) == 0:
        return VpdqMatch(0.0, 0.0, match_percent, target_share)
    query_found = np.zeros(len(query_bits), dtype=bool)
    target_found = np.zeros(len(target_bits), dtype=bool)
    rows = max(1, _BLOCK_WORDS // (4 * len(target_bits)))
    for start in range(0, len(query_bits), rows):
        block = query_bits[start : start + rows]
        xor = np.bitwise_xor(block[:, np.newaxis, :], target_bits[np.newaxis, :, :])
        close = np.bitwise_count(xor).sum(axis=2, dtype=np.uint16) <= frame_threshold
        query_found[start : start + rows] = close.any(axis=1)
        target_found |= close.any(axis=0)
    return VpdqMatch(
        query_percent=float(query_found.sum()) * 100.0 / len(query_bits),
        target_percent=float(target_found.sum()) * 100.0 / len(target_bits),
        match_percent=match_percent,
        target_match_percent=target_share,
    )


_BLOCK_WORDS = 1 << 21
"""64-bit words of XOR held at once (16 MiB), so long videos are compared in blocks."""


def low_quality_frames(frames: Sequence[VpdqFrame], min_quality: int) -> tuple[int, int]:
    """How many of a video's distinct frames :func:`vpdq_match` drops for a quality below
    ``min_quality``, and how many distinct frames there are (repeated PDQ hashes counted once,
    with the first occurrence's quality)."""
    seen = _distinct(frames)
    return sum(1 for quality in seen.values() if quality < min_quality), len(seen)


def _distinct(frames: Sequence[VpdqFrame]) -> dict[str, int]:
    """Each distinct PDQ hash with its first occurrence's quality, as in the reference."""
    seen: dict[str, int] = {}
    for frame in frames:
        seen.setdefault(frame.pdq_hex.lower(), frame.quality)
    return seen


def _unique_bits(frames: Sequence[VpdqFrame], min_quality: int) -> npt.NDArray[np.uint64]:
    """Distinct PDQ hashes (the first occurrence's quality counts, as in the reference) of good
    quality, as rows of four 64-bit words."""
    seen = _distinct(frames)
    kept = [bytes.fromhex(h) for h, quality in seen.items() if quality >= min_quality]
    if not kept:
        return np.zeros((0, 4), dtype=np.uint64)
    return np.frombuffer(b"".join(kept), dtype=np.uint64).reshape(len(kept), 4)
