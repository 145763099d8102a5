"""Entry point: parse arguments, build settings, run one command, map errors to exit codes.

``main(argv)`` is injectable for tests and returns the exit code; ``run()`` is the console
script. Errors are printed once, here, as ``error: <message>`` (already truncated and masked).
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from nigehban import __version__
from nigehban.cli import (
    audit_cmd,
    banks_cmd,
    db_cmd,
    decisions_cmd,
    demo_cmd,
    groups_cmd,
    hash_cmd,
    ingest_cmd,
    items_cmd,
    keys_cmd,
    policy_cmd,
    privacy_cmd,
    scan_cmd,
    serve_cmd,
    stance_cmd,
)
from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode, exit_code_for
from nigehban.cli.output import Output
from nigehban.errors import NigehbanError
from nigehban.settings import load_settings
from nigehban.stance import pinning


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        self.exit(ExitCode.USAGE, f"{self.prog}: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="nigehban", description="Trust and safety for terrorist content.")
    parser.add_argument("--version", action="version", version=f"nigehban {__version__}")
    parser.add_argument("--config", type=Path, help="TOML config file (or NIGEHBAN_CONFIG)")
    parser.add_argument("--json", action="store_true", help="print results as JSON")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for module in (
        ingest_cmd,
        serve_cmd,
        db_cmd,
        keys_cmd,
        privacy_cmd,
        items_cmd,
        audit_cmd,
        demo_cmd,
        groups_cmd,
        stance_cmd,
        hash_cmd,
        banks_cmd,
        scan_cmd,
        decisions_cmd,
        policy_cmd,
    ):
        module.add_parser(sub)
    _accept_json_everywhere(parser)
    return parser


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
    args = build_parser().parse_args(argv)
    out = Output(args.json, stdout, stderr)
    ctx: Context | None = None
    try:
        settings = load_settings(args.config)
        logging.basicConfig(level=settings.log_level, format="%(levelname)s %(name)s: %(message)s")
        logging.getLogger("alembic").setLevel(logging.WARNING)
        ctx = Context(args, settings, out)
        return int(args.handler(ctx))
    except NigehbanError as exc:
        out.error(exc.message)
        return exit_code_for(exc)
    except KeyboardInterrupt:
        out.error("interrupted")
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
    sys.exit(main())
