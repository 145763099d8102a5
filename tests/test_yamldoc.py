"""YAML documents with the line of every value: libyaml's loader (in C) and PyYAML's read the
shipped files alike, and place errors on the same lines."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from nigehban import yamldoc
from nigehban.errors import InputError
from nigehban.yamldoc import load_yaml

SHIPPED = sorted(
    [
        *(Path(yamldoc.__file__).parent / "groups" / "data").glob("*.yaml"),
        *(Path(yamldoc.__file__).parent / "policy" / "data").glob("*.yaml"),
    ]
)
LOADERS = [pytest.param(yaml.SafeLoader, id="pyyaml")]
if hasattr(yaml, "CSafeLoader"):
    LOADERS.append(pytest.param(yaml.CSafeLoader, id="libyaml"))


def test_libyaml_is_used_where_pyyaml_has_it() -> None:
    assert yamldoc._LOADER is getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@pytest.mark.skipif(not hasattr(yaml, "CSafeLoader"), reason="PyYAML built without libyaml")
@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_both_loaders_read_the_shipped_files_alike(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fast = load_yaml(path)
    monkeypatch.setattr(yamldoc, "_LOADER", yaml.SafeLoader)
    slow = load_yaml(path)
    assert fast.data == slow.data
    assert fast.lines == slow.lines


def _refusal(
    loader: type[yaml.SafeLoader], text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> str:
    """The message ``load_yaml`` refuses ``text`` with, read by ``loader`` from ``bad.yaml``."""
    monkeypatch.setattr(yamldoc, "_LOADER", loader)
    path = tmp_path / "bad.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    return caught.value.message


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ("a: ü\nb: پاکستان\nc: x\x00y\n", 3, "character 0x0000 is not allowed"),
        ("a: 1\nb: \x07\n", 2, "character 0x0007 is not allowed"),
        ("a: ü\nb: [1, 2\n", 3, "YAML syntax"),
        ("a: 1\n  b: 2\n", 2, "YAML syntax"),
    ],
    ids=["nul-after-urdu", "bell", "unclosed", "indent"],
)
def test_errors_name_the_line(
    loader: type[yaml.SafeLoader],
    text: str,
    line: int,
    problem: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    message = _refusal(loader, text, tmp_path, monkeypatch)
    assert message.startswith(f"bad.yaml:{line}: ")
    assert problem in message


@pytest.mark.parametrize("loader", LOADERS)
def test_deep_nesting_is_refused_not_a_crash(
    loader: type[yaml.SafeLoader], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """PyYAML runs out of Python recursion; libyaml stops at a nesting depth of its own."""
    monkeypatch.setattr(yamldoc, "_LOADER", loader)
    path = tmp_path / "deep.yaml"
    path.write_text("a: " + "[" * 100_000, encoding="utf-8")
    with pytest.raises(InputError, match=r"^deep\.yaml(:1)?: YAML.*(nested too deeply|nesting)"):
        load_yaml(path)


@pytest.mark.parametrize("loader", LOADERS)
@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        (
            "as_of: 2025-11-01\nname: x\nas_of: 2025-12-01\n",
            3,
            "as_of: duplicate key 'as_of' (first written at line 1)",
        ),
        (
            "rules:\n  - when: a\n    action: remove\n    action: allow\n",
            4,
            "rules[0].action: duplicate key 'action' (first written at line 3)",
        ),
        ("m: {x: 1, y: 2, x: 3}\n", 1, "m.x: duplicate key 'x' (first written at line 1)"),
    ],
    ids=["top-level", "in-a-list-item", "flow-mapping"],
)
def test_a_key_written_twice_is_refused_at_its_second_line(
    loader: type[yaml.SafeLoader],
    text: str,
    line: int,
    problem: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert _refusal(loader, text, tmp_path, monkeypatch) == f"bad.yaml:{line}: {problem}"


@pytest.mark.parametrize("loader", LOADERS)
def test_keys_that_only_look_alike_and_merge_keys_are_not_duplicates(
    loader: type[yaml.SafeLoader], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``1`` and ``"1"`` are different keys; a merge key sits beside the keys it overrides."""
    monkeypatch.setattr(yamldoc, "_LOADER", loader)
    path = tmp_path / "fine.yaml"
    path.write_text(
        'a: {1: int, "1": str}\nbase: &b {x: 1, y: 2}\nc:\n  <<: *b\n  x: 3\n', encoding="utf-8"
    )
    doc = load_yaml(path)
    assert doc.data["a"] == {1: "int", "1": "str"}
    assert doc.data["c"] == {"x": 3, "y": 2}


def test_a_file_too_large_is_refused_before_it_is_parsed(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text("description: " + "A" * yamldoc.MAX_BYTES + "\n")
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert str(caught.value).startswith("big.yaml:1: the file holds 4,000,014 bytes, more than")


def test_a_file_not_in_utf8_is_refused_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes(b"name: eu\nversion: '1'\ndescription: caf\xe9\n")
    with pytest.raises(InputError) as caught:
        load_yaml(path)
    assert str(caught.value) == "latin1.yaml:3: not UTF-8 text (byte 38)"
