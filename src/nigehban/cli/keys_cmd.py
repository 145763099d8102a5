"""``nigehban keys create|list|revoke``: API keys, shown once, stored hashed."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.model.codec import format_time


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("keys", help="API keys")
    p.add_argument("--tenant", help="tenant (default: setting default_tenant)")
    ksub = p.add_subparsers(dest="keys_command", required=True)
    create = ksub.add_parser("create", help="create a key (printed once)")
    create.add_argument("name")
    create.set_defaults(handler=create_key)
    ksub.add_parser("list", help="list keys").set_defaults(handler=list_keys)
    revoke = ksub.add_parser("revoke", help="revoke a key by id")
    revoke.add_argument("key_id")
    revoke.set_defaults(handler=revoke_key)


def create_key(ctx: Context) -> int:
    with ctx.store().session(ctx.tenant, "cli") as s:
        key, token = s.keys.create(ctx.args.name, datetime.now(UTC))
    if ctx.out.json_mode:
        ctx.out.json({"id": key.id, "name": key.name, "tenant": key.tenant, "token": token})
    else:
        ctx.out.line(f"key {key.id} ({key.name}) for tenant {key.tenant!r}:")
        ctx.out.line(token)
        ctx.out.line("store it now: it is not shown again.")
    return ExitCode.OK


def list_keys(ctx: Context) -> int:
    with ctx.reader().reading(ctx.tenant) as s:
        keys = s.keys.list()
    rows = [
        {
            "id": k.id,
            "name": k.name,
            "created_at": format_time(k.created_at),
            "revoked_at": format_time(k.revoked_at) if k.revoked_at else None,
        }
        for k in keys
    ]
    if ctx.out.json_mode:
        ctx.out.json(rows)
    else:
        ctx.out.table(
            f"API keys of {ctx.tenant!r}",
            ["id", "name", "created", "revoked"],
            [(r["id"], r["name"], r["created_at"], r["revoked_at"] or "") for r in rows],
        )
    return ExitCode.OK


def revoke_key(ctx: Context) -> int:
    with ctx.store().session(ctx.tenant, "cli") as s:
        s.keys.revoke(ctx.args.key_id, datetime.now(UTC))
    if ctx.out.json_mode:
        ctx.out.json({"revoked": ctx.args.key_id})
    else:
        ctx.out.line(f"key {ctx.args.key_id} revoked")
    return ExitCode.OK
