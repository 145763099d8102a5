"""``nigehban demo load``: ingest the demonstration posts that ship with the package."""

from __future__ import annotations

import argparse

from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.cli.ingest_cmd import print_summary
from nigehban.workflows.ingest import Ingestor


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="demonstration data")
    dsub = p.add_subparsers(dest="demo_command", required=True)
    dsub.add_parser("load", help="ingest the demo posts (idempotent)").set_defaults(handler=load)


def load(ctx: Context) -> int:
    from nigehban.demo import demo_path

    report = Ingestor(ctx.store(), ctx.settings, tenant=ctx.tenant, actor="cli:demo").ingest_paths(
        [demo_path()]
    )
    if ctx.out.json_mode:
        ctx.out.json(report.to_dict())
    else:
        print_summary(ctx, report)
    return ExitCode.OK if report.ok else ExitCode.FAILURE
