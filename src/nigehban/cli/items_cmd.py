"""``nigehban items show KEY``: one stored item, its state and revisions."""

from __future__ import annotations

import argparse

from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.errors import NotFoundError
from nigehban.model.codec import item_to_dict
from nigehban.model.refs import ItemRef
from nigehban.privacy.masking import redact


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("items", help="stored items")
    p.add_argument("--tenant")
    isub = p.add_subparsers(dest="items_command", required=True)
    show = isub.add_parser("show", help="show one item by key (platform/kind/scoped_id)")
    show.add_argument("ref")
    show.set_defaults(handler=show_item)


def show_item(ctx: Context) -> int:
    ref = ItemRef.stored(ctx.tenant, ctx.args.ref)
    with ctx.reader().reading(ctx.tenant) as s:
        stored = s.items.get(ref, history=True)
    if stored is None:
        raise NotFoundError("item", redact(ref.key))
    data = stored.to_dict(history=True)
    if ctx.out.json_mode:
        ctx.out.json(data)
    else:
        rows: list[tuple[str, object]] = [
            (k, v) for k, v in data.items() if k not in ("item", "history")
        ]
        if stored.item is not None:
            rows += list(item_to_dict(stored.item).items())
        ctx.out.table(stored.ref.key, ["field", "value"], rows)
    return ExitCode.OK
