"""``nigehban purge``, ``nigehban holds place|release|list``, ``nigehban erase ACCOUNT``.

``holds place KEY`` holds an item or an account; ``holds place --container platform:id`` holds
a channel, group or page (every post said in it)."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime

from nigehban.cli.arguments import row_id
from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.errors import NigehbanError, UsageError
from nigehban.model.codec import format_time
from nigehban.model.refs import ContainerRef, ItemKind, ItemRef
from nigehban.privacy.masking import preview
from nigehban.store.holds import LegalHold
from nigehban.workflows.media import open_quarantine
from nigehban.workflows.retention import erase_account, place_legal_hold, purge_expired

REF_HELP = "item key: platform/kind/scoped_id, e.g. telegram/post/-1001234/5"
CONTAINER_HELP = (
    "hold a channel, group or page, platform:container as its posts store it, e.g. "
    "telegram:-1001234567890: every post said in it, with its media, author and what it shares"
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    purge = sub.add_parser("purge", help="purge content past its retention period")
    purge.add_argument("--dry-run", action="store_true", help="count, change nothing")
    purge.add_argument("--tenant")
    purge.set_defaults(handler=run_purge)

    holds = sub.add_parser("holds", help="legal holds (block purge and erasure)")
    holds.add_argument("--tenant")
    hsub = holds.add_subparsers(dest="holds_command", required=True)
    place = hsub.add_parser(
        "place",
        help="place a hold on an item, an account and all it wrote, or a channel (--container)",
    )
    place.add_argument("ref", nargs="?", help=REF_HELP)
    place.add_argument("--container", help=CONTAINER_HELP)
    place.add_argument("--reason", required=True)
    place.add_argument(
        "--before-ingest",
        action="store_true",
        help="hold an item (or a container's posts) not collected yet: held once stored under "
        "exactly this key (this container)",
    )
    place.set_defaults(handler=place_hold)
    release = hsub.add_parser("release", help="release a hold by id")
    release.add_argument("hold_id", type=row_id)
    release.set_defaults(handler=release_hold)
    listing = hsub.add_parser("list", help="list holds")
    listing.add_argument("--all", action="store_true", help="include released holds")
    listing.set_defaults(handler=list_holds)

    erase = sub.add_parser("erase", help="erase one account's data (on request)")
    erase.add_argument("account", help="account key, e.g. x/account/12345")
    erase.add_argument("--tenant")
    erase.set_defaults(handler=run_erase)


def parse_ref(ctx: Context, key: str) -> ItemRef:
    return ItemRef.stored(ctx.tenant, key)  # an id stored before look-alikes were refused too


def run_purge(ctx: Context) -> int:
    now = datetime.now(UTC)
    store = ctx.store()
    report = purge_expired(
        store,
        ctx.settings,
        ctx.tenant,
        now,
        dry_run=ctx.args.dry_run,
        quarantine=open_quarantine(ctx.settings, store, ctx.tenant),
    )
    if ctx.out.json_mode:
        ctx.out.json(report.to_dict())
    else:
        rows: list[tuple[str, object]] = [(k, v) for k, v in report.purged.items()]
        rows += [
            ("held (legal hold)", report.held),
            ("  of these, by a hold on an account", report.held_for_account),
            ("  of these, by a hold on a container", report.held_for_container),
            ("preserved (violating decision)", report.preserved_by_decision),
            ("open review cases closed", report.cases_closed),
        ]
        title = "Purge (dry run)" if report.dry_run else "Purge"
        ctx.out.table(title, ["content", "items"], rows)
    return ExitCode.OK


def place_hold(ctx: Context) -> int:
    ref = _hold_subject(ctx)
    store = ctx.reader()  # the tenant must exist: a hold in a tenant of no items holds nothing
    quarantine = open_quarantine(ctx.settings, store, ctx.tenant)

    def quarantined() -> list[str]:
        return [r.ref for r in quarantine.list()] if quarantine is not None else []

    hold_id = place_legal_hold(
        store,
        ctx.tenant,
        ref,
        ctx.args.reason,
        "cli",
        datetime.now(UTC),
        quarantined,
        before_ingest=ctx.args.before_ingest,
    )
    on_container = isinstance(ref, ContainerRef)
    if ctx.out.json_mode:
        ctx.out.json(
            {
                "hold_id": hold_id,
                "subject": ref.key,
                "subject_type": "container" if on_container else "item",
                "before_ingest": ctx.args.before_ingest,
            }
        )
    elif on_container and ctx.args.before_ingest:
        ctx.out.line(
            f"legal hold #{hold_id} placed on container {ref.key}: it holds the posts said in "
            "it once stored"
        )
    elif on_container:
        ctx.out.line(f"legal hold #{hold_id} placed on container {ref.key}")
    elif ctx.args.before_ingest:
        ctx.out.line(f"legal hold #{hold_id} placed: it holds the item once stored under this key")
    else:
        ctx.out.line(f"legal hold #{hold_id} placed")
    return ExitCode.OK


def _hold_subject(ctx: Context) -> ItemRef | ContainerRef:
    """The item key, or with ``--container`` the container; exactly one of the two."""
    if (ctx.args.ref is None) == (ctx.args.container is None):
        raise UsageError(
            "holds place takes an item key or --container platform:container, one of the two"
        )
    if ctx.args.container is not None:
        return ContainerRef.parse(ctx.args.container)
    return parse_ref(ctx, ctx.args.ref)


def release_hold(ctx: Context) -> int:
    with ctx.store().session(ctx.tenant, "cli") as s:
        s.holds.release(ctx.args.hold_id, datetime.now(UTC))
    if ctx.out.json_mode:
        ctx.out.json({"released": ctx.args.hold_id})
    else:
        ctx.out.line(f"legal hold #{ctx.args.hold_id} released")
    return ExitCode.OK


def list_holds(ctx: Context) -> int:
    with ctx.reader().reading(ctx.tenant) as s:
        holds = s.holds.list(include_released=ctx.args.all)
    rows = [
        {
            "id": h.id,
            "subject": h.subject,
            "on": _on(h),
            "reason": h.reason,
            "placed_at": format_time(h.placed_at),
            "released_at": format_time(h.released_at) if h.released_at else None,
        }
        for h in holds
    ]
    if ctx.out.json_mode:
        ctx.out.json(rows)
    else:
        ctx.out.table(
            "Legal holds",
            ["id", "on", "subject", "reason", "placed", "released"],
            [
                tuple(
                    r[k] or ""
                    for k in ("id", "on", "subject", "reason", "placed_at", "released_at")
                )
                for r in rows
            ],
        )
    return ExitCode.OK


def _on(hold: LegalHold) -> str:
    """What a hold is on, in words: ``post``, ``media`` or ``account`` for an item (what its
    key says), ``container`` for a channel, group or page."""
    if hold.subject_type == "container":
        return "container"
    kind = hold.subject.split("/", 2)
    return kind[1] if len(kind) == 3 else "item"


def run_erase(ctx: Context) -> int:
    account = parse_ref(ctx, ctx.args.account)
    if account.kind is not ItemKind.ACCOUNT:
        raise UsageError(f"{preview(account.key)} is not an account (expected platform/account/id)")
    report = erase_account(ctx.store(), ctx.tenant, account, "cli", datetime.now(UTC))
    quarantined = _erase_quarantined(ctx)
    if ctx.out.json_mode:
        ctx.out.json({**report.to_dict(), "account": account.key, "quarantined": quarantined})
    elif report.account_kept:
        kept = []
        if report.preserved:
            kept.append(
                f"{report.preserved} item(s) that a violating decision preserves "
                "(EU 2021/784 Art. 6)"
            )
        if report.held:
            holds = ", ".join(f"#{h}" for h in report.holds)
            kept.append(f"{report.held} item(s) that legal hold {holds} keeps")
        ctx.out.line(
            f"erased {report.erased} item(s) of the account; kept the account and "
            + " and ".join(kept)
        )
    else:
        ctx.out.line(f"erased the account and {report.erased - 1} item(s) of it")
    return ExitCode.OK


def _erase_quarantined(ctx: Context) -> int:
    """Delete the quarantined copies kept for items the erasure erased (a copy kept for an
    item a decision preserves stays, as the item does); how many."""
    quarantine = open_quarantine(ctx.settings, ctx.store(), ctx.tenant)
    if quarantine is None:
        return 0
    deleted = 0
    with ctx.store().reading(ctx.tenant) as s:
        erased = set()
        for record in quarantine.list():
            try:
                stored = s.items.get(parse_ref(ctx, record.ref))
            except NigehbanError:
                continue  # kept for a file matched on its own (sha256:…), not for an item
            if stored is not None and stored.state == "erased":
                erased.add(record.id)
    for object_id in sorted(erased):
        quarantine.delete(object_id, actor="cli", reason="the account was erased on request")
        deleted += 1
    return deleted
