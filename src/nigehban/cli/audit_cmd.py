"""``nigehban audit verify``: recompute the tenant's hash chain and report any break."""

from __future__ import annotations

import argparse

from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="the audit trail")
    p.add_argument("--tenant")
    asub = p.add_subparsers(dest="audit_command", required=True)
    asub.add_parser("verify", help="verify the hash chain").set_defaults(handler=verify)


def verify(ctx: Context) -> int:
    with ctx.reader().reading(ctx.tenant) as s:
        events = len(s.events())
        breaks = s.verify_chain()
    if ctx.out.json_mode:
        ctx.out.json(
            {
                "events": events,
                "intact": not breaks,
                "breaks": [{"seq": b.seq, "problem": b.problem} for b in breaks],
            }
        )
    elif breaks:
        for b in breaks:
            ctx.out.error(f"event {b.seq}: {b.problem}")
    else:
        ctx.out.line(f"audit chain of {ctx.tenant!r} intact: {events} events")
    return ExitCode.OK if not breaks else ExitCode.FAILURE
