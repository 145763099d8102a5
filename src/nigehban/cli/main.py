"""Entry point: parse arguments, build settings, run one command, map errors to exit codes.

``main(argv)`` is injectable for tests and returns the exit code; ``run()`` is the console
script. Errors are printed once, here, as ``error: <message>`` (already truncated and masked).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from nigehban import __version__
from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode, exit_code_for
from nigehban.cli.output import Output
from nigehban.errors import NigehbanError
from nigehban.privacy.masking import redact
from nigehban.settings import load_settings
from nigehban.stance import pinning


class _UsageError(Exception):
    """A command line argparse refused: reported by :func:`main` (as JSON under ``--json``)."""

    def __init__(self, parser: argparse.ArgumentParser, message: str) -> None:
        super().__init__(message)
        self.parser = parser
        self.message = message


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        raise _UsageError(self, message)


_QUOTED = re.compile(r"'([^']{61,})'")


def _shortened(message: str) -> str:
    """argparse's message with each value it quotes cut to 60 characters and long digit runs
    masked: a wrong argument may be a post or a phone number."""
    return redact(_QUOTED.sub(lambda m: repr(m.group(1)[:60] + "…"), message), 1000)


COMMANDS: dict[str, str] = {
    "ingest": "ingest_cmd",
    "serve": "serve_cmd",
    "db": "db_cmd",
    "keys": "keys_cmd",
    "purge": "privacy_cmd",
    "holds": "privacy_cmd",
    "erase": "privacy_cmd",
    "items": "items_cmd",
    "audit": "audit_cmd",
    "demo": "demo_cmd",
    "groups": "groups_cmd",
    "train": "stance_cmd",
    "classify": "stance_cmd",
    "eval-corpora": "stance_cmd",
    "eval-agreement": "stance_cmd",
    "eval": "stance_cmd",
    "hash": "hash_cmd",
    "banks": "banks_cmd",
    "scan": "scan_cmd",
    "decisions": "decisions_cmd",
    "cases": "cases_cmd",
    "policy": "policy_cmd",
}
"""Each command and the module of ``nigehban.cli`` that defines it. A command line names one,
and only its module is imported: the others would load the classifier, the hash banks, the web
framework and the database driver for nothing (``nigehban groups match`` starts in a fraction
of the time). Help, a missing or an unknown command build the whole parser."""


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The parser for every command, or only for ``command`` when it is one of ours."""
    parser = _Parser(prog="nigehban", description="Trust and safety for terrorist content.")
    parser.add_argument("--version", action="version", version=f"nigehban {__version__}")
    parser.add_argument("--config", type=Path, help="TOML config file (or NIGEHBAN_CONFIG)")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    wanted = [COMMANDS[command]] if command in COMMANDS else COMMANDS.values()
    for name in dict.fromkeys(wanted):
        importlib.import_module(f"nigehban.cli.{name}").add_parser(sub)
    _accept_json_everywhere(parser)
    return parser


def command_of(argv: Sequence[str]) -> str | None:
    """The command a command line names: its first word that is not an option of ``nigehban``
    itself (``--config FILE``, ``--json``); ``None`` where help or the version is asked for
    before it, or where there is none."""
    words = iter(argv)
    for word in words:
        if word in ("-h", "--help", "--version"):
            return None
        if word == "--config":
            next(words, None)
        elif not word.startswith("-"):
            return word
    return None


def _accept_json_everywhere(parser: argparse.ArgumentParser) -> None:
    """``--json`` works before or after the command name, at every level."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                child.add_argument(
                    "--json", action="store_true", default=argparse.SUPPRESS, help=argparse.SUPPRESS
                )
                _accept_json_everywhere(child)


def main(
    argv: Sequence[str] | None = None, stdout: IO[str] | None = None, stderr: IO[str] | None = None
) -> int:
    words = sys.argv[1:] if argv is None else list(argv)
    try:
        args = build_parser(command_of(words)).parse_args(words)
    except _UsageError as problem:
        message = _shortened(problem.message)
        if "--json" in words:
            Output(True, stdout, stderr).error(message, "UsageError")
        else:
            err = stderr or sys.stderr
            problem.parser.print_usage(err)
            err.write(f"{problem.parser.prog}: error: {message}\n")
        return ExitCode.USAGE
    out = Output(args.json, stdout, stderr)
    ctx: Context | None = None
    try:
        settings = load_settings(args.config)
        logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic").setLevel(logging.WARNING)
        ctx = Context(args, settings, out)
        return int(args.handler(ctx))
    except NigehbanError as exc:
        out.error(exc.message, type(exc).__name__)
        return exit_code_for(exc)
    except KeyboardInterrupt:
        out.error("interrupted", "KeyboardInterrupt")
        return ExitCode.FAILURE
    finally:
        if ctx is not None:
            ctx.close()


def run() -> None:
    """The console script. A full training run restarts itself with the processor-independent
    arithmetic of :mod:`nigehban.stance.pinning` (read by numpy and OpenBLAS as they load)."""
    if pinning.wants_pin(sys.argv[1:]) and not pinning.is_pinned(os.environ):
        # the same command line, with the settings added to the environment
        os.execve(sys.executable, sys.orig_argv, pinning.pinned_environment(os.environ))  # noqa: S606
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`nigehban groups list --json | head`): stop quietly, and keep
        # the interpreter's own flush at exit from failing again on the closed pipe
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        code = ExitCode.FAILURE
    sys.exit(code)
