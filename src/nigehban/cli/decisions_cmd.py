"""``nigehban decisions list|show``: stored decisions, their reasons, statements and TDB records.

``show ID --statement [--lang ur]`` prints the statement of reasons the user receives (in the
post's language unless ``--lang`` says otherwise); ``show ID --transparency`` prints the DSA
Transparency Database record, validated against the documented schema. ``appeal ID --note TEXT``
lodges the user's appeal: an appeal case, decided with ``nigehban cases decide``.
"""

from __future__ import annotations

import argparse

from nigehban.cli.arguments import limit, row_id
from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.errors import UsageError
from nigehban.model.codec import decision_document
from nigehban.model.decisions import Action
from nigehban.policy.loader import load_policies
from nigehban.reasons import validate_transparency_record
from nigehban.workflows.notices import notice_for
from nigehban.workflows.review import lodge_appeal


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("decisions", help="stored decisions and their statements of reasons")
    p.add_argument("--tenant", help="tenant (default: setting default_tenant)")
    dsub = p.add_subparsers(dest="decisions_command", required=True)
    ls = dsub.add_parser("list", help="the latest decisions, newest first")
    ls.add_argument("--action", choices=[a.value for a in Action])
    ls.add_argument("--limit", type=limit, default=50)
    ls.set_defaults(handler=list_decisions)
    show = dsub.add_parser("show", help="one decision with its reasons")
    show.add_argument("decision_id", type=row_id)
    what = show.add_mutually_exclusive_group()
    what.add_argument("--statement", action="store_true", help="the user's statement of reasons")
    what.add_argument(
        "--transparency", action="store_true", help="the DSA Transparency Database record"
    )
    show.add_argument("--lang", choices=["en", "ur", "ur-Latn", "ps"], help="statement language")
    show.set_defaults(handler=show_decision)
    appeal = dsub.add_parser("appeal", help="lodge a user's appeal against a decision")
    appeal.add_argument("decision_id", type=row_id)
    appeal.add_argument("--note", required=True, help="the user's reasons")
    appeal.set_defaults(handler=appeal_decision)


def list_decisions(ctx: Context) -> int:
    a = ctx.args
    with ctx.reader().reading(ctx.tenant) as s:
        found = s.decisions.recent(a.limit, Action(a.action) if a.action else None)
    docs = [decision_document(i, d) for i, d in found]
    if ctx.out.json_mode:
        ctx.out.json(docs)
    else:
        ctx.out.table(
            "decisions",
            ["id", "item", "action", "categories", "rules", "ground"],
            [
                (
                    d["id"],
                    d["item"][:60],
                    d["action"],
                    ", ".join(d["categories"]),
                    ", ".join(d["rules"])[:60],
                    (d["ground"] or "")[:50],
                )
                for d in docs
            ],
        )
    return ExitCode.OK


def show_decision(ctx: Context) -> int:
    a = ctx.args
    if not (a.statement or a.transparency):
        with ctx.reader().reading(ctx.tenant) as s:
            doc = decision_document(a.decision_id, s.decisions.get(a.decision_id))
        if ctx.out.json_mode:
            ctx.out.json(doc)
        else:
            for key, value in doc.items():
                ctx.out.line(f"{key}: {value}")
        return ExitCode.OK
    with ctx.reader().reading(ctx.tenant) as s:
        notice = notice_for(s, a.decision_id, lambda: load_policies(ctx.settings.policy_dir))
    if a.transparency:
        record = notice.transparency(ctx.settings)
        problems = validate_transparency_record(record)
        if problems:
            raise UsageError("the record does not validate: " + "; ".join(problems[:5]))
        ctx.out.json(record)
        return ExitCode.OK
    statement = notice.statement(ctx.settings, a.lang)
    if statement is None:
        raise UsageError(f"decision {a.decision_id} restricts nothing: no statement is sent")
    if ctx.out.json_mode:
        ctx.out.json(statement.document())  # as the API's statement route returns it
    else:
        ctx.out.line(statement.title)
        ctx.out.line("")
        ctx.out.line(statement.body)
    return ExitCode.OK


def appeal_decision(ctx: Context) -> int:
    a = ctx.args
    settings = ctx.settings
    case = lodge_appeal(
        ctx.reader(),  # the tenant must exist: a refused decision creates nothing
        ctx.tenant,
        a.decision_id,
        a.note,
        settings.appeal_days,
        settings.appeal_decision_days,
        actor="cli:appeal",
    )
    if ctx.out.json_mode:
        ctx.out.json(case.to_dict())
    else:
        ctx.out.line(
            f"appeal lodged: case {case.id}, to be decided by {case.to_dict()['deadline']}"
        )
    return ExitCode.OK
