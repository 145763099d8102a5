"""PDQ perceptual hashes of images, with Meta's reference C++ implementation (``pdqhash``).

PDQ is the field's standard image hash: hash lists shared between platforms (GIFCT, Tech
Against Terrorism, ThreatExchange) carry PDQ hashes, so Nigehban must compute exactly what the
others compute. Pixels reach ``pdqhash`` the way python-threatexchange hands them over (RGB,
8 bits per channel, alpha dropped, EXIF orientation not applied; the first frame of an animated
image), so a hash made here matches a hash made there bit for bit.

Where python-threatexchange goes wrong, this module does not follow: a 16-bit greyscale image
(``I;16``) is scaled to 8 bits instead of being clipped to white, and 32-bit integer and float
images are mapped into 0..255. PDQ compares DCT coefficients with their median, so such a
monotone rescaling keeps the hash of the picture the eye sees.

Images are opened defensively: a decompression bomb (more than ``max_pixels`` pixels declared
in the header) is refused before any pixel is decoded, and corrupt, truncated, empty or
non-image files become an :class:`~nigehban.errors.InputError` that names the file.

The *quality* (0-100) says how much structure the image has; flat or tiny images hash poorly
and match anything of the same kind. Hashes below :data:`MIN_QUALITY` are customarily ignored;
the caller decides.
"""

from __future__ import annotations

import io
import warnings
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np
import numpy.typing as npt
import pdqhash
from PIL import Image, UnidentifiedImageError

from nigehban.banks.model import PDQ_BITS, SignalType, canonical_value
from nigehban.errors import InputError, UsageError
from nigehban.hashing.files import describe_path
from nigehban.privacy.masking import preview

MIN_QUALITY = 50
"""Quality below which a PDQ hash is ignored by default (the ThreatExchange convention)."""

DEFAULT_MAX_PIXELS = 50_000_000
"""Largest image (width × height) opened by default; larger ones are refused as likely bombs."""

DIHEDRAL_ORDER = (
    "original",
    "rotate90",
    "rotate180",
    "rotate270",
    "flip_x",
    "flip_y",
    "flip_plus1",
    "flip_minus1",
)
"""The order of :func:`pdq_dihedral`'s hashes, each the hash of the image transformed so:

``original`` as is; ``rotate90`` turned 90° counter-clockwise; ``rotate180``; ``rotate270``
(90° clockwise); ``flip_x`` mirrored top to bottom (about the horizontal axis); ``flip_y``
mirrored left to right (about the vertical axis); ``flip_plus1`` transposed (mirrored about the
diagonal from top left to bottom right); ``flip_minus1`` mirrored about the other diagonal.
This is the order of the reference ``pdqDihedralHash256esFromFloatLuma``.
"""

IMAGE_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "AVIF", "BMP", "TIFF", "JPEG2000", "ICO", "PPM")
"""Formats Pillow is allowed to open. Others (EPS, which runs Ghostscript; scientific and
legacy formats with little-used parsers) are refused rather than parsed."""

_RGB = npt.NDArray[np.uint8]


@dataclass(frozen=True, slots=True)
class PdqHash:
    """A PDQ hash as 64 lower-case hex characters, and its quality (0-100)."""

    hex: str
    quality: int

    @property
    def usable(self) -> bool:
        """Whether the quality reaches :data:`MIN_QUALITY`."""
        return self.quality >= MIN_QUALITY


def pdq_from_path(path: Path | str, max_pixels: int = DEFAULT_MAX_PIXELS) -> PdqHash:
    """The PDQ hash of the image file at ``path`` (its first frame if animated)."""
    with _opened_path(path, max_pixels) as (image, source):
        hashes, quality = _hash(_rgb_pixels(image, source), dihedral=False)
    return PdqHash(hashes[0], quality)


def pdq_from_bytes(
    data: bytes, source: str = "image", max_pixels: int = DEFAULT_MAX_PIXELS
) -> PdqHash:
    """The PDQ hash of an encoded image in memory; ``source`` names it in errors."""
    with _opened_bytes(data, source, max_pixels) as (image, name):
        hashes, quality = _hash(_rgb_pixels(image, name), dihedral=False)
    return PdqHash(hashes[0], quality)


def pdq_dihedral(
    image: Path | str | bytes, source: str = "image", max_pixels: int = DEFAULT_MAX_PIXELS
) -> tuple[PdqHash, ...]:
    """The 8 PDQ hashes of an image's rotations and flips, in :data:`DIHEDRAL_ORDER`.

    ``image`` is a path, or the encoded bytes (then ``source`` names them in errors). A rotated
    or mirrored copy of a known image is found when any of its 8 hashes is close to the known
    hash. All 8 share one quality.
    """
    if isinstance(image, bytes):
        with _opened_bytes(image, source, max_pixels) as (opened, name):
            hashes, quality = _hash(_rgb_pixels(opened, name), dihedral=True)
    else:
        with _opened_path(image, max_pixels) as (opened, name):
            hashes, quality = _hash(_rgb_pixels(opened, name), dihedral=True)
    return tuple(PdqHash(h, quality) for h in hashes)


def pdq_distance(a_hex: str, b_hex: str) -> int:
    """Hamming distance (0-256) between two PDQ hashes in hex; bad hex is a ValidationError."""
    a = int(canonical_value(SignalType.PDQ, a_hex), 16)
    b = int(canonical_value(SignalType.PDQ, b_hex), 16)
    return (a ^ b).bit_count()


# -- opening ----------------------------------------------------------------------------------


@contextmanager
def _opened_path(path: Path | str, max_pixels: int) -> Iterator[tuple[Image.Image, str]]:
    source = describe_path(path)
    with ExitStack() as stack:
        try:
            stream = stack.enter_context(open(path, "rb"))
        except FileNotFoundError:
            raise InputError(source, "no such file") from None
        except IsADirectoryError:
            raise InputError(source, "is a directory, not an image") from None
        except OSError as exc:
            problem = exc.strerror or type(exc).__name__
            raise InputError(source, f"cannot be read ({problem})") from None
        yield stack.enter_context(_opened(stream, source, max_pixels)), source


@contextmanager
def _opened_bytes(data: bytes, source: str, max_pixels: int) -> Iterator[tuple[Image.Image, str]]:
    name = preview(source)
    with _opened(io.BytesIO(data), name, max_pixels) as image:
        yield image, name


@contextmanager
def _opened(stream: IO[bytes], source: str, max_pixels: int) -> Iterator[Image.Image]:
    """The image in ``stream`` with its first frame decoded, closed on exit."""
    if max_pixels <= 0:
        raise UsageError(f"max_pixels must be positive, not {max_pixels}")
    if not stream.read(1):
        raise InputError(source, "empty file (0 bytes), not an image")
    stream.seek(0)
    with warnings.catch_warnings(record=True):
        # Pillow warns about damaged metadata and above its own global pixel limit; the
        # warnings are dropped: ``max_pixels`` decides, and damage that matters is an error.
        warnings.simplefilter("always")
        image = _decode(stream, source, max_pixels)
    with image:
        yield image


def _decode(stream: IO[bytes], source: str, max_pixels: int) -> Image.Image:
    """Open and fully decode the first frame, refusing bombs and unreadable data."""
    try:
        image = Image.open(stream, formats=_allowed_formats())
    except Image.DecompressionBombError:
        raise _bomb(source, None, max_pixels) from None
    except UnidentifiedImageError:
        raise InputError(
            source, f"not an image in a supported format ({', '.join(IMAGE_FORMATS)})"
        ) from None
    except (OSError, ValueError, SyntaxError, EOFError) as exc:
        raise InputError(source, f"corrupt image header ({_pillow_problem(exc)})") from None
    try:
        width, height = image.size
        if width * height > max_pixels:
            raise _bomb(source, (width, height), max_pixels)
        if width == 0 or height == 0:
            raise InputError(source, f"image has no pixels ({width}x{height})")
        try:
            image.load()
        except Image.DecompressionBombError:
            raise _bomb(source, (width, height), max_pixels) from None
        except (OSError, ValueError, SyntaxError, EOFError) as exc:
            problem = _pillow_problem(exc)
            kind = "truncated" if "truncated" in problem else "corrupt"
            raise InputError(source, f"{kind} image data ({problem})") from None
    except BaseException:
        image.close()
        raise
    return image


def _allowed_formats() -> list[str]:
    Image.init()
    return [name for name in IMAGE_FORMATS if name in Image.OPEN]


def _bomb(source: str, size: tuple[int, int] | None, max_pixels: int) -> InputError:
    declared = f"declares {size[0]}x{size[1]} pixels" if size else "declares too many pixels"
    return InputError(
        source,
        f"refused as a possible decompression bomb: the image {declared}, "
        f"over the limit of {max_pixels} (max_pixels)",
    )


def _pillow_problem(exc: BaseException) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= 80 else text[:80] + "…"


# -- pixels -----------------------------------------------------------------------------------


def _rgb_pixels(image: Image.Image, source: str) -> _RGB:
    """An H×W×3 uint8 array for ``pdqhash``; see the module docstring for the conversions."""
    with warnings.catch_warnings(record=True):
        warnings.simplefilter("always")  # e.g. palette transparency: alpha is dropped anyway
        return _convert(image, source)


def _convert(image: Image.Image, source: str) -> _RGB:
    mode = image.mode
    if mode in ("RGB", "L"):
        pixels: npt.NDArray[np.uint8] = np.asarray(image, dtype=np.uint8)
    elif mode.startswith("I;16"):
        wide = np.asarray(image).astype(np.uint32)
        pixels = ((wide * 255 + 32767) // 65535).astype(np.uint8)
    elif mode in ("I", "F"):
        pixels = _scale_to_bytes(np.asarray(image), integer=mode == "I")
    elif mode in ("1", "LA", "La"):
        pixels = np.asarray(image.convert("L"), dtype=np.uint8)
    else:
        try:
            pixels = np.asarray(image.convert("RGB"), dtype=np.uint8)
        except (ValueError, OSError) as exc:
            raise InputError(
                source, f"image mode {mode} cannot be converted to RGB ({_pillow_problem(exc)})"
            ) from None
    if pixels.ndim == 2:
        pixels = np.repeat(pixels[:, :, np.newaxis], 3, axis=2)
    return np.ascontiguousarray(pixels)


def _scale_to_bytes(values: npt.NDArray[np.generic], *, integer: bool) -> _RGB:
    """Map 32-bit integer or float samples to 0..255, keeping their order.

    Samples already in 0..255 are kept (0..1 for floats, scaled by 255), 16-bit ranges are
    scaled by 1/257 like ``I;16``, and anything else is stretched from its minimum to its
    maximum.
    """
    data = np.nan_to_num(values.astype(np.float64), nan=0.0, posinf=0.0, neginf=0.0)
    low, high = float(data.min()), float(data.max())
    if low >= 0 and high <= 255 and (integer or high > 1):
        scaled = data
    elif not integer and low >= 0 and high <= 1:
        scaled = data * 255
    elif integer and low >= 0 and high <= 65535:
        scaled = data / 257
    elif high > low:
        scaled = (data - low) * (255 / (high - low))
    else:
        scaled = np.zeros_like(data)
    return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)


def _hash(pixels: _RGB, *, dihedral: bool) -> tuple[list[str], int]:
    if dihedral:
        vectors, quality = pdqhash.compute_dihedral(pixels)
    else:
        vector, quality = pdqhash.compute(pixels)
        vectors = [vector]
    return [_to_hex(v) for v in vectors], int(quality)


def _to_hex(bits: npt.NDArray[np.integer]) -> str:
    """``pdqhash``'s 256-element bit vector (most significant bit first) as 64 hex digits."""
    packed = np.packbits(np.asarray(bits, dtype=np.uint8))
    if packed.size * 8 != PDQ_BITS:
        raise RuntimeError(f"pdqhash returned {bits.size} bits, expected {PDQ_BITS}")
    return packed.tobytes().hex()
