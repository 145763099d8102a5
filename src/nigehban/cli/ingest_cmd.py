"""``nigehban ingest FILE|DIR…``: payloads into the store, with a progress bar and a summary."""

from __future__ import annotations

import argparse
from collections import Counter
from pathlib import Path

from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.errors import PayloadError
from nigehban.ingest.sources import list_files
from nigehban.workflows.ingest import Ingestor, IngestReport


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ingest", help="ingest payload files or directories")
    p.add_argument("paths", nargs="+", type=Path, metavar="FILE|DIR")
    p.add_argument("--format", dest="fmt", help="force an adapter (see docs/adapters.md)")
    p.add_argument("--tenant", help="tenant to ingest into (default: setting default_tenant)")
    p.set_defaults(handler=run)


def run(ctx: Context) -> int:
    ingestor = Ingestor(ctx.store(), ctx.settings, tenant=ctx.tenant, actor="cli")
    paths: list[Path] = ctx.args.paths
    try:
        total = sum(p.stat().st_size for p in list_files(paths)[0])
    except (PayloadError, OSError):
        total = 0  # the ingest itself reports the bad path
    report = IngestReport()
    with ctx.progress("ingesting", total) as advance:
        ingestor.ingest_paths(paths, ctx.args.fmt, on_progress=advance, report=report)
    if ctx.out.json_mode:
        ctx.out.json(report.to_dict())
    else:
        print_summary(ctx, report)
    return ExitCode.OK if report.ok else ExitCode.FAILURE


def print_summary(ctx: Context, report: IngestReport) -> None:
    out = ctx.out
    s = report.saved
    rows: list[tuple[str, object]] = [
        ("files read", report.files),
        ("payloads parsed", report.payloads),
        ("items created", s.created),
        ("items revised", s.revised),
        ("unchanged (already stored)", s.unchanged),
        ("conflicting revisions (flagged)", s.conflicts),
        ("older edits kept, not current", s.stale),
        ("refused (item deleted or erased)", s.refused),
        ("deletions (tombstones)", report.tombstones),
        ("  content purged", report.purged),
        ("  content preserved (hold/decision)", report.preserved),
        ("  content kept for its retention period", report.kept_for_retention),
        ("  open review cases closed with them", report.cases_closed),
        ("events skipped", len(report.skipped)),
        ("platform errors reported", len(report.platform_errors)),
        ("files skipped", len(report.skipped_files)),
        ("errors", len(report.errors)),
    ]
    out.table("Ingest", ["", "count"], rows)
    if report.formats:
        out.table("Formats", ["format", "payloads"], sorted(report.formats.items()))
    if report.by_kind:
        out.table("Items by kind", ["kind", "items"], sorted(report.by_kind.items()))
    if report.skipped:
        reasons = Counter(skip.reason for skip in report.skipped)
        out.table("Skipped events", ["reason", "count"], reasons.most_common())
    if report.skipped_files:
        out.table(
            "Files skipped", ["file", "reason"], [(f.path, f.reason) for f in report.skipped_files]
        )
    if report.platform_errors:
        out.table(
            "Errors reported by the platform",
            ["where", "code", "message"],
            [(e.where, e.code, e.message) for e in report.platform_errors],
        )
    for source, problem in report.errors:
        out.error(f"{source}: {problem}")
