"""``nigehban scan FILE|DIR… [--policy NAME] [--output FILE]``: payloads to decisions.

``nigehban scan --stored [KEY…]`` decides stored items again without their payloads (the named
ones, or every active item with content): after a new model or an edited policy (a reviewer's
decision reaches the item's shares by itself).

Ingests every supported payload, runs every detector and the policy, stores the decisions and
opens cases where the policy says review; prints a summary by action, category, language,
surface and platform (abstentions counted), and with ``--output`` writes one line per item
decided (JSON lines, or CSV when the file ends in ``.csv``). A payload that fails to parse is
reported and the rest of the scan continues (exit 1 at the end). The output is checked before
the scan starts (a missing directory, or one of the files scanned, is refused) and replaced
only once every decision is written. A scan never reads its own outputs: the ``--output`` file,
when a scan wrote it (or it is empty), and any other file a scan wrote are skipped and listed,
so the output may sit in the folder scanned.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.errors import PayloadError, UsageError
from nigehban.ingest.sources import (
    OWN_OUTPUT,
    WRITTEN_BY_SCAN,
    list_files,
    not_read,
    written_by_scan,
)
from nigehban.outfile import check_output, replacing
from nigehban.policy.loader import find_policy, load_policies
from nigehban.store.store import Store
from nigehban.workflows.banks import BanksWorkflow
from nigehban.workflows.detectors import DetectorSet, build_detectors
from nigehban.workflows.scan import Scanner, ScanReport, ScanRow, write_rows

DEFAULT_POLICY = "platform-tos"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("scan", help="ingest, detect and decide: payloads to decisions")
    p.add_argument("paths", nargs="*", type=Path, metavar="FILE|DIR")
    p.add_argument(
        "--stored",
        nargs="*",
        metavar="KEY",
        help="decide stored items again, without payloads: these (platform/kind/scoped_id), "
        "or every active item with content",
    )
    p.add_argument(
        "--policy", default=DEFAULT_POLICY, help=f"policy name (default {DEFAULT_POLICY})"
    )
    p.add_argument(
        "--policy-dir", type=Path, help="directory of policy files (default: setting policy_dir)"
    )
    p.add_argument("--output", "-o", type=Path, help="decisions file: .jsonl or .csv")
    p.add_argument("--format", dest="fmt", help="force an adapter (see docs/adapters.md)")
    p.add_argument("--tenant", help="tenant (default: setting default_tenant)")
    p.set_defaults(handler=run)


def run(ctx: Context) -> int:
    a = ctx.args
    output: Path | None = a.output
    paths: list[Path] = a.paths
    stored: list[str] | None = a.stored
    if stored is not None and paths:
        raise UsageError("give payload files or --stored, not both")
    if stored is None and not paths:
        raise UsageError("give payload files or directories to scan, or --stored")
    own = [output] if output is not None and _own_output(output) else []
    try:
        files = list_files(paths, own)[0]
    except (PayloadError, OSError):
        files = []
    if output is not None:
        if output.suffix not in (".jsonl", ".csv"):
            raise UsageError(f"--output {output.name!r} must end in .jsonl or .csv")
        named = [p for p in paths if not (p.is_file() and not_read(p, own))]
        check_output(output, flag="--output", inputs=[*named, *files])
    policy = find_policy(load_policies(a.policy_dir or ctx.settings.policy_dir), a.policy)
    settings = ctx.settings
    store = ctx.store()
    detectors = scan_detectors(ctx, store)
    rows: list[ScanRow] = []
    scanner = Scanner(
        store, settings, policy, detectors, tenant=ctx.tenant, actor="cli", on_row=rows.append
    )
    if stored is not None:
        with store.reading(ctx.tenant) as s:
            total = len(stored) if stored else s.items.count(state="active")
        with ctx.progress("deciding stored items", total) as advance:
            report = scanner.scan_stored(stored or None, on_progress=advance)
    else:
        try:
            total = sum(p.stat().st_size for p in files)
        except OSError:
            total = 0
        with ctx.progress("scanning", total) as advance:
            report = scanner.scan_paths(paths, a.fmt, on_progress=advance, exclude=own)
    if output is not None:
        with replacing(output) as handle:
            handle.write(write_rows(rows, "csv" if output.suffix == ".csv" else "jsonl").encode())
    if ctx.out.json_mode:
        doc = report.to_dict()
        if output is not None:
            doc["output"] = str(output)
        ctx.out.json(doc)
    else:
        print_summary(ctx, report, output)
    failed = report.ingest.errors or report.errors
    return ExitCode.FAILURE if failed else ExitCode.OK


def scan_detectors(ctx: Context, store: Store) -> DetectorSet:
    """The detectors a scan runs for the command's tenant (its banks' match index included)."""
    banks = BanksWorkflow.configured(store, ctx.tenant, ctx.settings)
    return build_detectors(ctx.settings, banks)


def _own_output(output: Path) -> bool:
    """Whether the ``--output`` file, as it is now, is a scan's output (or empty): it is then
    replaced without being read. Any other existing file there is a payload it must not
    overwrite, which :func:`check_output` refuses when it is among those scanned."""
    try:
        return output.is_file() and (output.stat().st_size == 0 or written_by_scan(output))
    except OSError:
        return False


def print_summary(ctx: Context, report: ScanReport, output: Path | None) -> None:
    out = ctx.out
    doc = report.to_dict()
    out.line(f"policy {report.policy} ({report.policy_hash[:12]})")
    out.table(
        "Scan",
        ["", "count"],
        [
            ("items decided", report.decided),
            ("  already decided (same revision, policy, snapshots)", report.repeated),
            ("  shares decided again once their origin was", report.shares_decided_again),
            ("not decided", sum(report.not_decided.values())),
            ("classifier abstentions", report.abstentions),
            ("cases opened for review", report.cases_opened),
            ("  open cases moved to a later decision", report.cases_updated),
            ("  open cases closed (later revision needs no review)", report.cases_closed),
            ("  open cases closed (deleted on the platform)", report.ingest.cases_closed),
            ("to notify the authorities", report.notify_authorities),
            ("payload errors", len(doc["errors"])),
            ("files skipped (not payloads)", len(report.ingest.skipped_files)),
        ],
    )
    for title, column, key in (
        ("By action", "action", "by_action"),
        ("By primary category", "category", "by_category"),
        ("By language", "language", "by_language"),
        ("By surface", "surface", "by_surface"),
        ("By platform", "platform", "by_platform"),
        ("Not decided", "why", "not_decided"),
    ):
        if doc[key]:
            out.table(title, [column, "items"], sorted(doc[key].items()))
    outputs = [f for f in report.ingest.skipped_files if f.reason in (OWN_OUTPUT, WRITTEN_BY_SCAN)]
    if outputs:
        out.table(
            "Decisions files not read", ["file", "why"], [(f.path, f.reason) for f in outputs]
        )
    if report.absent_detectors:
        out.table("Detectors absent", ["detector", "why"], sorted(report.absent_detectors.items()))
    for error in doc["errors"][:50]:
        out.error(f"{error['source']}: {error['problem']}")
    if output is not None:
        out.line(f"decisions written to {output}")
