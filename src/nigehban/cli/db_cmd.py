"""``nigehban db upgrade``: create or migrate the database and the default tenant."""

from __future__ import annotations

import argparse

from nigehban.audit.digests import Digester
from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.store.database import Database
from nigehban.store.upgrade_steps import upgrade_steps


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("db", help="database schema")
    dbsub = p.add_subparsers(dest="db_command", required=True)
    up = dbsub.add_parser("upgrade", help="apply pending migrations")
    up.set_defaults(handler=upgrade)


def upgrade(ctx: Context) -> int:
    db = Database(ctx.settings.effective_database_url)
    try:
        db.upgrade(upgrade_steps(Digester(ctx.settings.audit_key())))
        revision = db.current_revision()
    finally:
        db.dispose()
    ctx.store()  # creates the default tenant (and the audit key) on first use
    if ctx.out.json_mode:
        ctx.out.json({"revision": revision, "tenant": ctx.tenant})
    else:
        ctx.out.line(f"database at revision {revision}; tenant {ctx.tenant!r} ready")
    return ExitCode.OK
