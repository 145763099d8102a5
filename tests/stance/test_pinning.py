"""The pinned arithmetic of a full training run, and the console command restarting itself
with it."""

from __future__ import annotations

import os
import sys

import pytest

from nigehban.cli import main as cli_main
from nigehban.stance import pinning


def test_only_a_full_training_run_wants_the_pin() -> None:
    assert pinning.wants_pin(["train"]) == pinning.applies()
    assert pinning.wants_pin(["--json", "train", "--check"]) == pinning.applies()
    assert not pinning.wants_pin(["train", "--quick"])
    assert not pinning.wants_pin(["classify", "-i", "x.jsonl"])
    assert not pinning.applies("aarch64") and pinning.applies("x86_64")


def test_the_pinned_environment_keeps_the_rest_and_describes_itself() -> None:
    env = pinning.pinned_environment({"PATH": "/bin", "OPENBLAS_CORETYPE": "SkylakeX"})
    assert env["PATH"] == "/bin" and pinning.is_pinned(env)
    assert not pinning.is_pinned({"OPENBLAS_CORETYPE": "Haswell"})
    if pinning.applies():
        assert pinning.describe(env).startswith("pinned: ")
        assert "not pinned" in pinning.describe({})


class _RestartedError(Exception):
    pass


def test_the_console_command_restarts_a_full_training_run_pinned(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``run()`` replaces the process (``os.execve``) with the same command line and the
    pinned environment; the replacement is intercepted here, since it would end the tests."""
    if not pinning.applies():
        pytest.skip("the pin is for x86-64")
    calls: list[tuple[str, list[str], dict[str, str]]] = []

    def execve(path: str, argv: list[str], env: dict[str, str]) -> None:
        calls.append((path, argv, env))
        raise _RestartedError

    monkeypatch.setattr(os, "execve", execve)  # as the CLI calls it
    for key in pinning.PINNED:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setattr(sys, "argv", ["nigehban", "train", "--check"])
    monkeypatch.setattr(sys, "orig_argv", ["python", "/venv/bin/nigehban", "train", "--check"])
    with pytest.raises(_RestartedError):
        cli_main.run()
    path, argv, env = calls[0]
    assert path == sys.executable
    assert argv == ["python", "/venv/bin/nigehban", "train", "--check"]
    assert pinning.is_pinned(env)
    # already pinned, or not a full training run: no restart
    monkeypatch.setattr(sys, "argv", ["nigehban", "--version"])
    with pytest.raises(SystemExit):
        cli_main.run()
    assert len(calls) == 1
