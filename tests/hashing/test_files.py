"""Exact digests (known vectors, streaming = one-shot) and media-kind sniffing by magic bytes."""

from __future__ import annotations

import hashlib
import io
import subprocess
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

from nigehban.errors import InputError
from nigehban.hashing.files import (
    FileDigests,
    MediaKind,
    digest_bytes,
    digest_chunks,
    digest_path,
    digest_stream,
    sniff_kind,
    sniff_path,
)

VECTORS = Path(__file__).resolve().parents[1] / "data" / "pdq_vectors"


def test_digests_of_empty_input() -> None:
    d = digest_bytes(b"")
    assert d == FileDigests(
        size=0,
        md5="d41d8cd98f00b204e9800998ecf8427e",
        sha1="da39a3ee5e6b4b0d3255bfef95601890afd80709",
        sha256="e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        sha512="cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
        "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e",
    )


def test_digests_of_abc() -> None:
    d = digest_bytes(b"abc")
    assert d.size == 3
    assert d.md5 == "900150983cd24fb0d6963f7d28e17f72"
    assert d.sha1 == "a9993e364706816aba3e25717850c26c9cd0d89d"
    assert d.sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    assert d.sha512 == (
        "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
        "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"
    )


def test_digest_path_matches_the_published_sha256_of_every_vector(tmp_path: Path) -> None:
    expected = {}
    for line in (VECTORS / "images.sha256").read_text().splitlines():
        digest, name = line.split()
        expected[name] = digest
    assert len(expected) >= 30
    for name, digest in expected.items():
        assert digest_path(VECTORS / name, chunk_bytes=4096).sha256 == digest, name


@given(data=st.binary(max_size=5000), chunk=st.integers(1, 700))
def test_streaming_in_any_chunk_size_equals_one_shot(data: bytes, chunk: int) -> None:
    one_shot = digest_bytes(data)
    assert digest_stream(io.BytesIO(data), chunk_bytes=chunk) == one_shot
    pieces = [data[i : i + chunk] for i in range(0, len(data), chunk)]
    assert digest_chunks(pieces) == one_shot
    assert one_shot.sha256 == hashlib.sha256(data).hexdigest()
    assert one_shot.size == len(data)


def test_unreadable_paths_are_input_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"'.*missing\.bin': no such file"):
        digest_path(tmp_path / "missing.bin")
    with pytest.raises(InputError, match="is a directory"):
        digest_path(tmp_path)
    with pytest.raises(InputError, match="no such file"):
        sniff_path(tmp_path / "missing.bin")


# -- sniffing ---------------------------------------------------------------------------------


def _encoded(fmt: str, mode: str = "RGB") -> bytes:
    buffer = io.BytesIO()
    Image.new(mode, (8, 8), 128).save(buffer, format=fmt)
    return buffer.getvalue()


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "GIF", "WEBP", "BMP", "TIFF", "JPEG2000"])
def test_images_written_by_pillow_are_sniffed_as_images(fmt: str) -> None:
    assert sniff_kind(_encoded(fmt)) is MediaKind.IMAGE


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom", MediaKind.VIDEO),
        (b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  ", MediaKind.VIDEO),
        (b"\x00\x00\x00\x1cftypisom\x00\x00\x02\x00isomiso2", MediaKind.VIDEO),
        (b"\x00\x00\x00\x20ftypM4A \x00\x00\x00\x00M4A mp42", MediaKind.OTHER),  # audio
        (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", MediaKind.IMAGE),
        (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", MediaKind.IMAGE),
        (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01", MediaKind.VIDEO),  # WebM / Matroska
        (b"RIFF\x00\x00\x00\x00AVI LIST", MediaKind.VIDEO),
        (b"RIFF\x00\x00\x00\x00WAVEfmt ", MediaKind.OTHER),
        (b"FLV\x01\x05\x00\x00\x00\x09", MediaKind.VIDEO),
        (b"\x00\x00\x01\xba\x44\x00\x04", MediaKind.VIDEO),
        (b"\x47" + b"\x00" * 187 + b"\x47" + b"\x00" * 50, MediaKind.VIDEO),  # MPEG-TS
        (b"OggS\x00\x02" + b"\x00" * 22 + b"\x80theora", MediaKind.VIDEO),
        (b"OggS\x00\x02" + b"\x00" * 22 + b"\x01vorbis", MediaKind.OTHER),
        (b"BM is a fine way to start a sentence", MediaKind.OTHER),
        (b"%PDF-1.7\n", MediaKind.OTHER),
        (b"#EXTM3U\n#EXT-X-VERSION:3\n", MediaKind.OTHER),  # a playlist is not a video
        (b"PK\x03\x04", MediaKind.OTHER),
        (b"", MediaKind.OTHER),
        (b"\xff\xd8", MediaKind.OTHER),  # too short to be a JPEG
    ],
)
def test_sniff_kind_from_magic_bytes(head: bytes, kind: MediaKind) -> None:
    assert sniff_kind(head) is kind


def test_extensions_are_not_trusted(tmp_path: Path) -> None:
    fake = tmp_path / "holiday.jpg"
    fake.write_text("not a picture at all", encoding="utf-8")
    assert sniff_path(fake) is MediaKind.OTHER
    png_named_txt = tmp_path / "notes.txt"
    png_named_txt.write_bytes(_encoded("PNG"))
    assert sniff_path(png_named_txt) is MediaKind.IMAGE


def test_a_real_video_file_is_sniffed_as_video(tmp_path: Path) -> None:
    for name in ("clip.mp4", "clip.webm", "clip.avi", "clip.ts", "clip.mkv"):
        out = tmp_path / name
        subprocess.run(
            [
                "ffmpeg",
                "-loglevel",
                "error",
                "-nostdin",
                "-y",
                "-f",
                "lavfi",
                "-i",
                "testsrc2=size=64x48:rate=5:duration=0.4",
                str(out),
            ],
            check=True,
            timeout=60,
        )
        assert sniff_path(out) is MediaKind.VIDEO, name
