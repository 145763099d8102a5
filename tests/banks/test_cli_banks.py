"""``nigehban banks …`` as a user runs it: on the PDQ vector images and on clips made with
ffmpeg — create, add files, match (rotated images, trimmed and logo-stamped clips), import with a
bad record, export, disable an entry, read the match log."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any, cast

import pytest

from tests.cli_support import run

VECTORS = Path(__file__).resolve().parent.parent / "data" / "pdq_vectors" / "images"
BRIDGE = VECTORS / "pdq__data__reg-test-input__dih__bridge-1-original.jpg"
ROTATED = VECTORS / "pdq__data__reg-test-input__dih__bridge-4-rotate-270.jpg"
UNRELATED = VECTORS / "pdq__data__misc-images__c.png"


def _ffmpeg(*args: str) -> None:
    subprocess.run(
        ["ffmpeg", "-loglevel", "error", "-nostdin", "-y", "-threads", "1", *args],
        check=True,
        timeout=120,
    )


@pytest.fixture(scope="module")
def clips(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("bank-clips")
    enc = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p"]
    src = d / "statement.mp4"
    _ffmpeg("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=10", "-t", "6", *enc, str(src))
    out = {"source": src, "excerpt": d / "excerpt.mp4", "logo": d / "logo.mp4"}
    _ffmpeg("-ss", "1", "-i", str(src), "-t", "4", *enc, str(out["excerpt"]))
    box = "drawbox=x=10:y=10:w=60:h=30:color=red@1:t=fill"
    _ffmpeg("-i", str(src), "-vf", f"{box},scale=240:180", *enc, str(out["logo"]))
    out["other"] = d / "other.mp4"
    _ffmpeg("-f", "lavfi", "-i", "life=size=320x240:rate=10:seed=3:mold=10:ratio=0.5",
            "-t", "6", *enc, str(out["other"]))  # fmt: skip
    return out


def _lines(out: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def test_images_and_clips_end_to_end(env: Path, clips: dict[str, Path]) -> None:
    assert run("db", "upgrade")[0] == 0
    assert run("banks", "create", "tvec", "--description", "known media")[0] == 0
    code, out, err = run(
        "--json", "banks", "add", "tvec", "--file", str(BRIDGE), "--file", str(clips["source"]),
        "--group", "pk-ttp", "--category", "propaganda", "--source", "own",
    )  # fmt: skip
    assert code == 0, err
    assert len(json.loads(out)["added"]) == 6  # md5 + sha256 of each file, a PDQ and a vPDQ

    code, out, err = run(
        "--json", "banks", "match", str(ROTATED), str(UNRELATED),
        str(clips["excerpt"]), str(clips["logo"]), str(clips["other"]),
    )  # fmt: skip
    assert code == 0, err
    docs = {Path(str(d["file"])).name: d for d in _lines(out)}
    assert [m["signal_type"] for m in docs[ROTATED.name]["matches"]] == ["pdq"]
    assert docs[UNRELATED.name]["matches"] == []
    for name in ("excerpt.mp4", "logo.mp4"):
        kinds = [m["signal_type"] for m in docs[name]["matches"]]
        assert kinds == ["vpdq"], (name, docs[name])
    assert docs["other.mp4"]["matches"] == []

    code, out, _ = run("--json", "banks", "log")
    assert code == 0 and len(json.loads(out)) == 3

    pdq_entry = next(
        e["id"] for e in json.loads(run("--json", "banks", "show", "tvec")[1])["entries"]
        if e["signal_type"] == "pdq"
    )  # fmt: skip
    assert run("banks", "entry", str(pdq_entry), "--disable")[0] == 0
    code, out, _ = run("--json", "banks", "match", str(ROTATED))
    assert _lines(out)[0]["matches"] == []


def test_import_reports_bad_records_and_export_round_trips(env: Path, tmp_path: Path) -> None:
    run("db", "upgrade")
    run("banks", "create", "tat")
    page = {
        "count": 3,
        "next": None,
        "previous": None,
        "results": [
            {"id": 1, "hash_digest": "a" * 64, "algorithm": "SHA256", "ideology": "islamist",
             "file_type": "mp4", "deleted": False, "created_on": "2025-07-01T00:00:00Z",
             "updated_on": "2025-07-02T00:00:00Z"},
            {"id": 2, "hash_digest": "abc", "algorithm": "PDQ", "ideology": "islamist",
             "file_type": "jpg", "deleted": False, "created_on": "2025-07-01T00:00:00Z",
             "updated_on": "2025-07-02T00:00:00Z"},
            {"id": 3, "hash_digest": "b" * 32, "algorithm": "TMK", "ideology": "islamist",
             "file_type": "mp4", "deleted": False, "created_on": "2025-07-01T00:00:00Z",
             "updated_on": "2025-07-02T00:00:00Z"},
        ],
    }  # fmt: skip
    source = tmp_path / "tat.json"
    source.write_text(json.dumps(page))
    code, out, err = run("--json", "banks", "import", "tat", str(source), "--format", "tat-json")
    assert code == 1
    report = json.loads(out)
    assert report["added"] == 1 and report["errors"] == 2
    assert any("'abc' is not a PDQ hash" in line for line in report["error_lines"])
    exported = tmp_path / "out.json"
    code, _, err = run("banks", "export", "tat", "--format", "tat-json", "-o", str(exported))
    assert code == 0, err
    record = json.loads(exported.read_text())["results"][0]
    assert record["ideology"] == "islamist" and record["algorithm"] == "SHA256"
    assert record["created_on"] == "2025-07-01T00:00:00Z"

    code, _, err = run("banks", "match", "--hash", "pdq:abc")
    assert code == 1 and "'abc' is not a PDQ hash (expected 64 hex characters)" in err
    empty = tmp_path / "empty.jpg"
    empty.write_bytes(b"")
    code, _, err = run("banks", "match", str(empty))
    assert code == 1 and "empty" in err
    code, _, err = run("banks", "delete", "tat")
    assert code == 2 and "--yes" in err


def test_a_black_clip_is_matched_by_its_digests_not_its_low_quality_frames(
    env: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A black clip's frames have PDQ quality 0: under ``hash_min_quality`` its vPDQ is neither
    added nor matched, as a flat image's PDQ is; the setting lowered to 0 lets them through."""
    black = tmp_path / "black.mp4"
    _ffmpeg("-f", "lavfi", "-i", "color=c=black:s=320x240:rate=10", "-t", "3",
            "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(black))  # fmt: skip
    assert run("db", "upgrade")[0] == 0
    assert run("banks", "create", "known")[0] == 0
    code, out, err = run("--json", "banks", "add", "known", "--file", str(black))
    assert code == 0, err
    doc = json.loads(out)
    assert len(doc["added"]) == 2  # its MD5 and SHA-256 only
    assert doc["skipped"] == [f"{black}: vPDQ, no frame of quality 50 or more"]

    monkeypatch.setenv("NIGEHBAN_HASH_MIN_QUALITY", "0")
    code, out, err = run("--json", "banks", "add", "known", "--file", str(black))
    assert code == 0, err
    doc = json.loads(out)
    assert (len(doc["added"]), doc["skipped"]) == (1, [])  # now its vPDQ too
    code, out, _ = run("--json", "banks", "match", str(black))
    (report,) = _lines(out)
    matches = cast(list[dict[str, object]], report["matches"])
    assert code == 0 and "skipped" not in report
    assert sorted(str(m["signal_type"]) for m in matches) == ["md5", "sha256", "vpdq"]
    (video,) = [m for m in matches if m["signal_type"] == "vpdq"]
    assert video["min_quality"] == 0

    monkeypatch.delenv("NIGEHBAN_HASH_MIN_QUALITY")
    code, out, _ = run("--json", "banks", "match", str(black))
    (report,) = _lines(out)
    matches = cast(list[dict[str, object]], report["matches"])
    assert code == 0 and sorted(str(m["signal_type"]) for m in matches) == ["md5", "sha256"]
    assert report["skipped"] == [
        "vPDQ: 1 of 1 distinct frames have a quality below 50: not matched"
    ]


STATEMENT = "ہماری جنگ اس وقت تک جاری رہے گی جب تک شریعت نافذ نہیں ہوتی، تحریک کے مجاہدین"


def test_a_text_to_match_is_held_to_max_text_chars(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``banks match --text`` and ``--hash text:…`` take a post as long as any post
    (``max_text_chars``), not only as long as a bank entry may be, and refuse a longer one
    naming its length and the limit, never quoting it."""
    assert run("db", "upgrade")[0] == 0
    assert run("banks", "create", "statements")[0] == 0
    assert run("banks", "add", "statements", "--text", STATEMENT)[0] == 0
    padded = STATEMENT + "\u200b" * 25_000  # over the 20,000 an entry may hold
    for option in (["--text", padded], ["--hash", f"text:{padded}"]):
        code, out, err = run("--json", "banks", "match", *option)
        assert code == 0, err
        assert [m["signal_type"] for m in json.loads(out)["matches"]] == ["text"]

    monkeypatch.setenv("NIGEHBAN_MAX_TEXT_CHARS", "1000")
    for option in (["--text", padded], ["--hash", f"text:{padded}"]):
        code, out, err = run("banks", "match", *option)
        assert code == 1 and out == ""
        assert f"a text to match is {len(padded)} characters, over max_text_chars (1000)" in err
        assert STATEMENT not in err
