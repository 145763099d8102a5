"""Hand-edited policy and registry files with a value of the wrong shape, a key gone or an
unknown key added: each loads, or is refused with ``file:line`` and the field, never with a
traceback (property test over the shipped files)."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from nigehban.errors import InputError
from nigehban.groups.registry import default_registry_dir, load_registry
from nigehban.policy.loader import default_policy_dir, load_policy
from tests.mutation import mutate

POLICIES = sorted(default_policy_dir().glob("*.yaml"))
HOSTILE: list[Any] = [
    None, 0, -1, 2**70, 1.5, float("nan"), True, "", " ", "x" * 3000, "\x07", [], {}, [None],
    [{}], {"a": None}, "2025-13-01", "TTP", "remove", "escalate", "violating", "news", "PK",
]  # fmt: skip


ADDED_KEYS = ["typo", "enabled", "x-y"]


def _dump(document: object) -> str:
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_mutated_policy_loads_or_is_refused_at_its_line(
    data: st.DataObject, tmp_path: Path
) -> None:
    source = data.draw(st.sampled_from(POLICIES))
    original = yaml.safe_load(source.read_text(encoding="utf-8"))
    path = tmp_path / source.name
    mutated = data.draw(st.composite(lambda draw: mutate(draw, original, HOSTILE, ADDED_KEYS))())
    path.write_text(_dump(mutated), encoding="utf-8")
    try:
        load_policy(path)
    except InputError as exc:
        assert exc.message.startswith(f"{path.name}:"), exc.message


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_a_mutated_registry_loads_or_is_refused_at_its_line(
    data: st.DataObject, tmp_path: Path
) -> None:
    directory = Path(tempfile.mkdtemp(dir=tmp_path)) / "registry"
    shutil.copytree(default_registry_dir(), directory)
    name = data.draw(st.sampled_from(["pakistan.yaml", "global.yaml"]))
    original = yaml.safe_load((directory / name).read_text(encoding="utf-8"))
    mutated = data.draw(st.composite(lambda draw: mutate(draw, original, HOSTILE, ADDED_KEYS))())
    (directory / name).write_text(_dump(mutated), encoding="utf-8")
    try:
        load_registry(directory)
    except InputError as exc:
        assert exc.message.startswith(f"{name}:"), exc.message
