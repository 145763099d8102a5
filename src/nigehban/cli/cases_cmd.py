"""``nigehban cases list|show|decide``: the review queue and a person's decision on a case.

``list`` shows the cases — reviews and appeals (``--kind``) — by deadline, the most urgent first
(``--state open`` by default);
``show ID`` shows one case with the decision under review; ``decide ID --action remove
--reviewer NAME --note TEXT`` records the reviewer's decision (``--category`` and ``--ground``
where the reviewer differs from the engine) and marks the case decided; the item's stored pure
shares follow the decision at once, decided as a scan decides them (its detectors are built only
where the item has shares).
"""

from __future__ import annotations

import argparse

from nigehban.cli.arguments import cursor, limit, row_id
from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.cli.scan_cmd import scan_detectors
from nigehban.model.decisions import Action
from nigehban.model.taxonomy import Category
from nigehban.policy.loader import load_policies
from nigehban.policy.model import Policy
from nigehban.store.cases import KINDS, STATES
from nigehban.workflows.review import REVIEWABLE, ScannerFor, case_document, decide_case
from nigehban.workflows.scan import Scanner, ScanRow


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("cases", help="the review queue: cases and reviewers' decisions")
    p.add_argument("--tenant", help="tenant (default: setting default_tenant)")
    csub = p.add_subparsers(dest="cases_command", required=True)
    ls = csub.add_parser("list", help="cases by deadline, the most urgent first")
    ls.add_argument("--state", choices=[*STATES, "all"], default="open")
    ls.add_argument("--kind", choices=KINDS, help="review or appeal (default: both)")
    ls.add_argument("--limit", type=limit, default=50)
    ls.add_argument("--offset", type=cursor, default=0)
    ls.set_defaults(handler=list_cases)
    show = csub.add_parser("show", help="one case with the decision it reviews")
    show.add_argument("case_id", type=row_id)
    show.set_defaults(handler=show_case)
    decide = csub.add_parser("decide", help="record a reviewer's decision on an open case")
    decide.add_argument("case_id", type=row_id)
    decide.add_argument("--action", required=True, choices=[a.value for a in REVIEWABLE])
    decide.add_argument("--reviewer", required=True, help="who decided")
    decide.add_argument("--note", required=True, help="why (kept with the decision)")
    decide.add_argument(
        "--category",
        choices=[c.value for c in Category],
        help="the primary category, where the reviewer differs from the engine",
    )
    decide.add_argument("--ground", help="the policy's ground id to cite (default: the engine's)")
    decide.set_defaults(handler=decide_on_case)


def list_cases(ctx: Context) -> int:
    a = ctx.args
    state = None if a.state == "all" else a.state
    with ctx.reader().reading(ctx.tenant) as s:
        found = s.cases.listed(state, a.limit, a.offset, kind=a.kind)
    docs = [c.to_dict() for c in found]
    if ctx.out.json_mode:
        ctx.out.json(docs)
    else:
        ctx.out.table(
            "cases",
            ["id", "kind", "item", "state", "decision", "deadline", "reason"],
            [
                (
                    d["id"],
                    d["kind"],
                    d["item"][:60],
                    d["state"],
                    d["decision_id"],
                    d["deadline"] or "",
                    d["reason"][:60],
                )
                for d in docs
            ],
        )
    return ExitCode.OK


def show_case(ctx: Context) -> int:
    with ctx.reader().reading(ctx.tenant) as s:
        case = s.cases.get(ctx.args.case_id)
        decision = s.decisions.get(case.decision_id)
    doc = case_document(case, decision)
    if ctx.out.json_mode:
        ctx.out.json(doc)
    else:
        for key, value in case.to_dict().items():
            ctx.out.line(f"{key}: {'' if value is None else value}")
        ctx.out.line(
            f"under review: {decision.action.value} "
            f"({', '.join(c.value for c in decision.categories) or 'no category'}); "
            f"rules {', '.join(decision.rules) or 'none'}"
        )
    return ExitCode.OK


def decide_on_case(ctx: Context) -> int:
    a = ctx.args
    outcome = decide_case(
        ctx.reader(),  # the tenant must exist: a refused decision creates nothing
        ctx.tenant,
        a.case_id,
        Action(a.action),
        a.reviewer,
        a.note,
        lambda: load_policies(ctx.settings.policy_dir),
        category=a.category,
        ground=a.ground,
        scanners=lambda: _scanners(ctx),
    )
    doc = outcome.to_dict()
    if ctx.out.json_mode:
        ctx.out.json(doc)
    else:
        ctx.out.line(
            f"case {outcome.case.id} decided: {outcome.decision.action.value} "
            f"(decision {outcome.decision_id})"
        )
        for row in outcome.shares:
            ctx.out.line(
                f"  share {row.ref.key} follows: {row.verdict.decision.action.value} "
                f"(decision {row.decision_id}{_case_change(row)})"
            )
    return ExitCode.OK


def _case_change(row: ScanRow) -> str:
    """What a share's new decision did to its review case, as the line about it says."""
    if row.case_change == "closed":
        return "; its open case closed"
    if row.case_change is not None:
        return f"; case {row.case_id} {row.case_change}"
    return ""


def _scanners(ctx: Context) -> ScannerFor:
    """The scan that decides the shares of a decided item again, over a scan's detectors."""
    store = ctx.reader()
    detectors = scan_detectors(ctx, store)

    def under(policy: Policy) -> Scanner:
        return Scanner(store, ctx.settings, policy, detectors, tenant=ctx.tenant)

    return under
