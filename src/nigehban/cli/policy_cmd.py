"""``nigehban policy list|show|check``: the policies in force and validation of policy files.

``check FILE|DIR`` loads policy files exactly as a scan would and prints the first error as
``file:line: key: problem`` (exit 1), or each policy's name, version and hash.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.policy.loader import find_policy, load_policies, load_policy
from nigehban.policy.model import Policy, policy_summary


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("policy", help="decision policies: list, show, check files")
    psub = p.add_subparsers(dest="policy_command", required=True)
    psub.add_parser("list", help="the policies in force").set_defaults(handler=list_policies)
    show = psub.add_parser("show", help="one policy, parsed (JSON)")
    show.add_argument("name")
    show.set_defaults(handler=show_policy)
    check = psub.add_parser("check", help="validate a policy file or a directory of them")
    check.add_argument("path", type=Path)
    check.set_defaults(handler=check_policies)


def _print(ctx: Context, policies: list[Policy]) -> None:
    docs = [policy_summary(p) for p in policies]
    if ctx.out.json_mode:
        ctx.out.json(docs)
        return
    ctx.out.table(
        "policies",
        ["name", "version", "jurisdiction", "grounds", "hash"],
        [
            (d["name"], d["version"], d["jurisdiction"], len(d["grounds"]), d["hash"][:12])
            for d in docs
        ],
    )


def list_policies(ctx: Context) -> int:
    _print(ctx, sorted(load_policies(ctx.settings.policy_dir).values(), key=lambda p: p.name))
    return ExitCode.OK


def show_policy(ctx: Context) -> int:
    policy = find_policy(load_policies(ctx.settings.policy_dir), ctx.args.name)
    ctx.out.json({**policy_summary(policy), "policy": json.loads(policy.canonical_json())})
    return ExitCode.OK


def check_policies(ctx: Context) -> int:
    path: Path = ctx.args.path
    policies = (
        sorted(load_policies(path).values(), key=lambda p: p.name)
        if path.is_dir()
        else [load_policy(path)]
    )
    _print(ctx, policies)
    return ExitCode.OK
