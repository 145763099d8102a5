"""``hash_file`` and ``nigehban hash``: digests for every file, PDQ for images, vPDQ for videos,
bad files reported while the others are still hashed."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from nigehban.errors import InputError
from nigehban.hashing.files import MediaKind
from nigehban.hashing.images import DIHEDRAL_ORDER, pdq_dihedral, pdq_from_path
from nigehban.hashing.media import hash_file
from nigehban.hashing.video import parse_vpdq, vpdq_from_path
from tests.cli_support import run

IMAGES = Path(__file__).resolve().parents[1] / "data" / "pdq_vectors" / "images"
JPEG = IMAGES / "python-threatexchange__threatexchange__tests__hashing__resources__rgb.jpeg"


@pytest.fixture(scope="module")
def video(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("video") / "clip.webm.bin"  # the name says nothing useful
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
            "testsrc2=size=160x120:rate=10:duration=3",
            "-c:v",
            "libx264",
            "-preset",
            "ultrafast",
            "-pix_fmt",
            "yuv420p",
            "-f",
            "mp4",
            str(out),
        ],
        check=True,
        timeout=60,
    )
    return out


def test_image(tmp_path: Path) -> None:
    hashes = hash_file(JPEG)
    data = JPEG.read_bytes()
    assert hashes.kind is MediaKind.IMAGE
    assert hashes.size == len(data)
    assert hashes.md5 == hashlib.md5(data).hexdigest()
    assert hashes.sha1 == hashlib.sha1(data).hexdigest()
    assert hashes.sha256 == hashlib.sha256(data).hexdigest()
    assert hashes.sha512 == hashlib.sha512(data).hexdigest()
    single = pdq_from_path(JPEG)
    assert (hashes.pdq, hashes.quality) == (single.hex, single.quality)
    assert hashes.pdq_dihedral == tuple(h.hex for h in pdq_dihedral(JPEG))
    assert hashes.pdq_dihedral is not None and len(hashes.pdq_dihedral) == len(DIHEDRAL_ORDER)
    assert hashes.vpdq is None
    assert hash_file(JPEG, dihedral=False).pdq_dihedral is None


def test_video_whatever_its_name(video: Path) -> None:
    hashes = hash_file(video)
    assert hashes.kind is MediaKind.VIDEO
    assert hashes.pdq is None
    assert hashes.vpdq == tuple(vpdq_from_path(video))
    document = hashes.to_dict()
    assert parse_vpdq(document["vpdq"]) == list(hashes.vpdq)
    assert document["vpdq_frames"] == 3
    without = hash_file(video, video=False)
    assert without.vpdq is None and without.sha256 == hashes.sha256


def test_other_files_get_digests_only(tmp_path: Path) -> None:
    notes = tmp_path / "notes.jpg"
    notes.write_text("meeting notes\n", encoding="utf-8")
    hashes = hash_file(notes)
    assert hashes.kind is MediaKind.OTHER
    assert hashes.pdq is None and hashes.vpdq is None
    assert set(hashes.to_dict()) == {"file", "kind", "size", "md5", "sha1", "sha256", "sha512"}


def test_damaged_image_is_an_error_not_a_plain_file(tmp_path: Path) -> None:
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(JPEG.read_bytes()[:5000])
    with pytest.raises(InputError, match=r"'.*cut\.jpg': truncated image data"):
        hash_file(cut)


def test_size_limit(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"40022 bytes is over the limit of 40000 bytes"):
        hash_file(JPEG, max_bytes=40_000)
    assert hash_file(JPEG, max_bytes=40_022).size == 40_022
    with pytest.raises(InputError, match="no such file"):
        hash_file(tmp_path / "gone", max_bytes=10)


# -- the command ------------------------------------------------------------------------------


def _lines(out: str) -> list[dict[str, object]]:
    return [json.loads(line) for line in out.splitlines()]


def test_hash_command_prints_json_lines(env: Path, video: Path) -> None:
    code, out, err = run("hash", str(JPEG), str(video))
    assert code == 0, err
    image, clip = _lines(out)
    assert image["file"] == str(JPEG)
    assert image["kind"] == "image"
    assert image["pdq"] == pdq_from_path(JPEG).hex and image["quality"] == 100
    assert image["sha256"] == hashlib.sha256(JPEG.read_bytes()).hexdigest()
    assert "sha512" not in image and "pdq_dihedral" not in image
    assert clip["kind"] == "video" and parse_vpdq(str(clip["vpdq"]))


def test_hash_command_recurses_and_reports_bad_files(env: Path, tmp_path: Path) -> None:
    tree = tmp_path / "export"
    (tree / "b" / "c").mkdir(parents=True)
    shutil.copy(JPEG, tree / "b" / "c" / "photo.jpg")
    (tree / "a-broken.png").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 40)
    (tree / "b" / "readme.txt").write_text("hello\n", encoding="utf-8")
    (tree / "b" / "empty.gif").write_bytes(b"")  # no magic bytes: a plain (empty) file
    (tree / "z-cut.jpg").write_bytes(JPEG.read_bytes()[:3000])
    code, out, err = run("hash", str(tree), "--all-digests", "--dihedral")
    assert code == 1
    documents = _lines(out)
    names = [Path(str(d["file"])).name for d in documents]
    assert names == ["empty.gif", "readme.txt", "photo.jpg"]
    assert documents[0]["kind"] == "other"
    assert documents[0]["sha256"] == hashlib.sha256(b"").hexdigest()
    assert "sha512" in documents[1] and len(documents[2]["pdq_dihedral"]) == 8  # type: ignore[arg-type]
    assert "a-broken.png" in err and "z-cut.jpg': truncated" in err
    assert "2 files could not be hashed" in err


def test_hash_command_json_document_and_limits(env: Path, tmp_path: Path) -> None:
    code, out, err = run("hash", str(JPEG), "--json", "--max-pixels", "1000")
    assert code == 1
    assert json.loads(out) == []
    assert "decompression bomb" in err and "256x256" in err
    code, out, err = run("hash", str(tmp_path / "nothing-here"))
    assert code == 1 and "no such file" in err
    (tmp_path / "empty-dir").mkdir()
    code, out, err = run("hash", str(tmp_path / "empty-dir"))
    assert code == 1 and "no files found" in err
    for value in ("-5", "0"):  # 0 is not "the setting"
        code, out, err = run("hash", str(JPEG), "--max-pixels", value)
        assert code == 2 and "--max-pixels must be positive" in err
