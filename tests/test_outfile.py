"""Output files: refused before the work when they cannot be written or are the input, and
replaced only when the work is done — unit tests, then ``classify``, ``scan`` and
``banks export`` as a user runs them."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from nigehban.errors import UsageError
from nigehban.outfile import check_output, replacing
from tests.cli_support import run


def test_a_new_file_in_a_writable_directory_passes(tmp_path: Path) -> None:
    check_output(tmp_path / "out.jsonl", flag="--output", inputs=[tmp_path / "in.jsonl"])


@pytest.mark.parametrize(
    ("name", "problem"),
    [
        ("missing/out.jsonl", "no such directory"),
        (".", "is a directory; name a file"),
    ],
)
def test_a_path_that_cannot_be_a_file_is_named(tmp_path: Path, name: str, problem: str) -> None:
    path = tmp_path / name
    with pytest.raises(UsageError, match=problem) as caught:
        check_output(path, flag="--output")
    assert str(path)[:60] in caught.value.message
    assert caught.value.message.startswith("--output ")


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_an_unwritable_directory_is_named(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(stat.S_IRUSR | stat.S_IXUSR)
    try:
        with pytest.raises(UsageError, match="is not writable"):
            check_output(locked / "out.jsonl", flag="--output")
    finally:
        locked.chmod(stat.S_IRWXU)


def test_the_input_itself_is_refused_by_any_name(tmp_path: Path) -> None:
    source = tmp_path / "in.jsonl"
    source.write_text("x\n")
    (tmp_path / "link.jsonl").symlink_to(source)
    for name in ("in.jsonl", "link.jsonl", "./sub/../in.jsonl"):
        (tmp_path / "sub").mkdir(exist_ok=True)
        with pytest.raises(UsageError, match="would destroy what is being read"):
            check_output(tmp_path / name, flag="-o", inputs=[source])
    assert source.read_text() == "x\n"


def test_a_new_file_gets_the_mode_the_umask_allows(tmp_path: Path) -> None:
    umask = os.umask(0o027)
    try:
        with replacing(tmp_path / "new.jsonl") as handle:
            handle.write(b"x\n")
    finally:
        os.umask(umask)
    assert stat.S_IMODE((tmp_path / "new.jsonl").stat().st_mode) == 0o640


def test_replacing_writes_the_file_only_when_the_block_ends(tmp_path: Path) -> None:
    path = tmp_path / "out.jsonl"
    path.write_bytes(b"previous\n")
    path.chmod(0o640)
    with pytest.raises(RuntimeError), replacing(path) as handle:
        handle.write(b"half of a new file")
        raise RuntimeError("stopped")
    assert path.read_bytes() == b"previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.jsonl"]  # no temporary left
    with replacing(path) as handle:
        handle.write(b"complete\n")
    assert path.read_bytes() == b"complete\n"
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


def _posts(path: Path, lines: list[str]) -> Path:
    path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return path


GOOD = json.dumps({"id": 1, "text": "Police said three men were arrested in Quetta."})


def test_classify_refuses_its_input_as_output_and_leaves_it_whole(env: Path) -> None:
    source = _posts(env / "posts.jsonl", [GOOD])
    before = source.read_bytes()
    code, _, err = run("classify", "-i", str(source), "-o", str(source))
    assert code == 2
    assert "is the input" in err
    assert source.read_bytes() == before


@pytest.mark.parametrize("target", ["missing/out.jsonl", "."])
def test_classify_refuses_an_output_it_cannot_write_before_classifying(
    env: Path, target: str
) -> None:
    source = _posts(env / "posts.jsonl", [GOOD])
    code, out, err = run("classify", "-i", str(source), "-o", str(env / target))
    assert code == 2, err
    assert err.startswith("error: --output ") and "Traceback" not in err
    assert out == ""


def test_classify_skips_a_line_nested_too_deeply_and_exits_1(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIGEHBAN_STANCE_SEMANTIC", "false")
    source = _posts(env / "posts.jsonl", [GOOD, "[" * 100_000, GOOD.replace('"id": 1', '"id": 3')])
    target = env / "out.jsonl"
    code, out, err = run("classify", "-i", str(source), "-o", str(target))
    assert code == 1, err
    assert "line 2: not JSON (nested too deeply to read)" in err
    assert [json.loads(line)["id"] for line in target.read_text().splitlines()] == [1, 3]
    assert "2 classified" in out and "1 bad lines skipped" in out


@pytest.fixture
def store_env(env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NIGEHBAN_STANCE_SEMANTIC", "false")
    monkeypatch.chdir(env)
    assert run("db", "upgrade")[0] == 0
    record = {"platform": "x", "id": "1", "author": {"id": "u1"}, "text": "Police said so."}
    (env / "posts.jsonl").write_text(json.dumps(record) + "\n")
    return env


@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("posts.jsonl", "is the input"),
        ("missing/out.jsonl", "no such directory"),
        (".", "must end in .jsonl or .csv"),
        ("out.json", "must end in .jsonl or .csv"),  # JSON lines are not one JSON document
        ("dir.jsonl", "is a directory"),
    ],
)
def test_scan_refuses_an_output_before_it_scans(store_env: Path, target: str, problem: str) -> None:
    (store_env / "dir.jsonl").mkdir()
    before = (store_env / "posts.jsonl").read_bytes()
    code, _, err = run("--json", "scan", "posts.jsonl", "-o", target)
    assert code == 2, err
    assert problem in err and "Traceback" not in err
    assert (store_env / "posts.jsonl").read_bytes() == before
    code, out, _ = run("--json", "decisions", "list")
    assert code == 0 and json.loads(out) == []  # nothing was scanned


def test_banks_export_refuses_a_missing_directory(store_env: Path) -> None:
    assert run("banks", "create", "tvec")[0] == 0
    code, _, err = run("banks", "export", "tvec", "-o", "missing/tvec.csv")
    assert code == 2 and "no such directory" in err


def test_replacing_a_link_writes_its_target_and_keeps_the_link(tmp_path: Path) -> None:
    target = tmp_path / "results" / "2025.jsonl"
    target.parent.mkdir()
    target.write_bytes(b"old\n")
    link = tmp_path / "latest.jsonl"
    link.symlink_to(target)
    check_output(link, flag="--output")
    with replacing(link) as handle:
        handle.write(b"new\n")
    assert link.is_symlink()
    assert target.read_bytes() == b"new\n"


def test_a_pipe_is_written_in_place_not_replaced(tmp_path: Path) -> None:
    """``-o /dev/stdout`` names a link to a pipe: replacing it would put a regular file in
    /dev (as root) where the link was."""
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "stdout"
    link.symlink_to(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        check_output(link, flag="--output")
        with replacing(link) as handle:
            handle.write(b"line\n")
        assert os.read(reader, 100) == b"line\n"
    finally:
        os.close(reader)
    assert link.is_symlink()
    assert stat.S_ISFIFO(fifo.stat().st_mode)
