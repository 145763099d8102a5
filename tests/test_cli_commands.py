"""The CLI loads only the module of the command a command line names; ``COMMANDS`` says which
module defines which command, and must agree with what the modules register."""

from __future__ import annotations

import argparse
import importlib
import subprocess
import sys

import pytest

from nigehban.cli.main import COMMANDS, build_parser, command_of


def _registered(module: str) -> list[str]:
    sub = argparse.ArgumentParser().add_subparsers()
    importlib.import_module(f"nigehban.cli.{module}").add_parser(sub)
    return list(sub.choices)


def test_the_table_names_every_command_where_it_is_defined() -> None:
    for module in set(COMMANDS.values()):
        assert sorted(_registered(module)) == sorted(
            name for name, owner in COMMANDS.items() if owner == module
        )
    full = build_parser()
    (commands,) = [a for a in full._actions if isinstance(a, argparse._SubParsersAction)]
    assert sorted(commands.choices) == sorted(COMMANDS)


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["groups", "match", "TTP"], "groups"),
        (["--json", "scan", "x.json"], "scan"),
        (["--config", "groups", "policy", "list"], "policy"),  # a config file named "groups"
        (["--config=n.toml", "eval-corpora"], "eval-corpora"),
        (["--help", "groups"], None),
        (["--version"], None),
        (["--json"], None),
        ([], None),
        (["no-such-command"], "no-such-command"),
    ],
)
def test_the_command_is_the_first_word_that_is_not_a_top_level_option(
    argv: list[str], command: str | None
) -> None:
    assert command_of(argv) == command


def test_one_command_parses_as_with_the_whole_parser() -> None:
    argv = ["--json", "groups", "match", "--all", "TTP"]
    assert build_parser("groups").parse_args(argv) == build_parser().parse_args(argv)


def test_unknown_commands_still_get_the_full_list() -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from nigehban.cli.main import run; run()", "no-such-command"],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "invalid choice: 'no-such-command'" in done.stderr
    assert "groups" in done.stderr and "scan" in done.stderr


def test_a_groups_command_does_not_load_the_web_framework_or_the_database() -> None:
    code = (
        "import io, sys\n"
        "from nigehban.cli.main import main\n"
        "assert main(['groups', 'match', 'TTP claimed it'], stdout=io.StringIO()) == 0\n"
        "print(' '.join(m for m in ('fastapi', 'sqlalchemy', 'uvicorn', 'faiss', "
        "'nigehban.stance.classifier') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=True
    )
    assert done.stdout.strip() == ""


def test_a_reader_that_goes_away_stops_the_output_quietly() -> None:
    """``nigehban groups show ttp --json | head -c 10``: the reader closes the pipe before the
    command has written; the command stops without a traceback."""
    script = "from nigehban.cli.main import run; run()"
    argv = [sys.executable, "-c", script, "--json", "groups", "show", "ttp"]
    with subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdout is not None and proc.stderr is not None
        proc.stdout.close()  # gone before the first write
        err = proc.stderr.read().decode()
        code = proc.wait(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err, err[-500:]
    assert code == 1
