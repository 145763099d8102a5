"""``nigehban banks create|list|show|update|delete|add|entry|import|export|match|log``.

Banks of known content: PDQ, vPDQ, MD5/SHA digests and texts with labels (group, category,
source list, who added it, note). ``match`` hashes files (or takes ``--hash TYPE:VALUE`` or
``--text``), matches them against every enabled bank at that bank's thresholds, logs every
match, and prints one JSON line per file with ``--json``. A file that cannot be hashed is
reported on stderr and the rest are still matched (exit 1 at the end).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from nigehban.banks.documents import (
    bank_document,
    entry_document,
    match_document,
    record_document,
    summary_document,
)
from nigehban.banks.formats import Format
from nigehban.banks.model import (
    DEFAULT_PDQ_THRESHOLD,
    DEFAULT_TEXT_THRESHOLD,
    DEFAULT_VPDQ_FRAME_THRESHOLD,
    DEFAULT_VPDQ_MATCH_PERCENT,
    DEFAULT_VPDQ_TARGET_PERCENT,
    Labels,
    SignalType,
    Thresholds,
    parse_signal_type,
)
from nigehban.cli.arguments import cursor, limit, row_id
from nigehban.cli.context import Context
from nigehban.cli.exit_codes import ExitCode
from nigehban.errors import InputError, UsageError
from nigehban.hashing.fetch import display_url
from nigehban.model.taxonomy import Category
from nigehban.outfile import check_output, replacing
from nigehban.privacy.masking import preview
from nigehban.workflows.banks import BanksWorkflow, MatchReport

ACTOR = "cli"


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("banks", help="banks of known content: hashes and statements")
    p.add_argument("--tenant", help="tenant (default: setting default_tenant)")
    bsub = p.add_subparsers(dest="banks_command", required=True)

    create = bsub.add_parser("create", help="create a bank")
    create.add_argument("name")
    create.add_argument("--description", default="")
    _threshold_options(create)
    create.add_argument("--disabled", action="store_true", help="create it disabled")
    create.set_defaults(handler=create_bank)

    bsub.add_parser("list", help="list banks with entry counts").set_defaults(handler=list_banks)

    show = bsub.add_parser("show", help="a bank and its entries")
    show.add_argument("name")
    show.add_argument("--type", choices=[t.value for t in SignalType])
    show.add_argument("--after", type=cursor, default=0, help="entries after this id")
    show.add_argument("--limit", type=limit, default=50)
    show.set_defaults(handler=show_bank)

    upd = bsub.add_parser("update", help="change a bank's description, thresholds or state")
    upd.add_argument("name")
    upd.add_argument("--description")
    _threshold_options(upd, defaults=False)
    state = upd.add_mutually_exclusive_group()
    state.add_argument("--enable", action="store_true")
    state.add_argument("--disable", action="store_true")
    upd.set_defaults(handler=update_bank)

    rm = bsub.add_parser("delete", help="delete a bank and all its entries")
    rm.add_argument("name")
    rm.add_argument("--yes", action="store_true", help="confirm")
    rm.set_defaults(handler=delete_bank)

    add = bsub.add_parser("add", help="add entries: hashes, texts, or files to hash")
    add.add_argument("name", help="bank")
    add.add_argument(
        "--hash",
        action="append",
        default=[],
        metavar="TYPE:VALUE",
        help="e.g. pdq:<64 hex>, md5:<32 hex>, sha256:<64 hex> (repeatable)",
    )
    add.add_argument("--text", action="append", default=[], help="a statement (repeatable)")
    add.add_argument("--file", action="append", default=[], type=Path, help="hash this file")
    _label_options(add)
    add.set_defaults(handler=add_entries)

    entry = bsub.add_parser("entry", help="enable, disable or delete one entry")
    entry.add_argument("entry_id", type=row_id)
    what = entry.add_mutually_exclusive_group(required=True)
    what.add_argument("--enable", action="store_true")
    what.add_argument("--disable", action="store_true")
    what.add_argument("--delete", action="store_true")
    entry.set_defaults(handler=change_entry)

    imp = bsub.add_parser("import", help="import entries (HMA, Tech Against Terrorism, CSV)")
    imp.add_argument("name", help="bank")
    imp.add_argument("file", type=Path)
    imp.add_argument("--format", choices=[f.value for f in Format])
    imp.add_argument(
        "--all-or-nothing",
        action="store_true",
        help="import nothing if any record is bad (default: add the good ones, list the bad)",
    )
    imp.set_defaults(handler=import_entries)

    exp = bsub.add_parser("export", help="export a bank's entries")
    exp.add_argument("name", help="bank")
    exp.add_argument("--format", choices=[f.value for f in Format], default="generic-csv")
    exp.add_argument("--output", "-o", type=Path, help="file (default: standard output)")
    exp.set_defaults(handler=export_entries)

    match = bsub.add_parser("match", help="match files, a hash or a text against the banks")
    match.add_argument("files", nargs="*", type=Path)
    match.add_argument("--hash", metavar="TYPE:VALUE", help="match this hash instead")
    match.add_argument("--text", help="match this text instead")
    match.add_argument(
        "--url",
        action="append",
        default=[],
        help="fetch platform media from an allow-listed host (media_fetch_allowed_hosts)",
    )
    match.set_defaults(handler=match_content)

    log = bsub.add_parser("log", help="the match log, newest first")
    log.add_argument("--entry", type=row_id)
    log.add_argument("--subject")
    log.add_argument("--limit", type=limit, default=50)
    log.set_defaults(handler=match_log)


def _threshold_options(p: argparse.ArgumentParser, defaults: bool = True) -> None:
    p.add_argument(
        "--pdq-threshold",
        type=int,
        default=DEFAULT_PDQ_THRESHOLD if defaults else None,
        help=f"largest PDQ distance in bits (default {DEFAULT_PDQ_THRESHOLD})",
    )
    p.add_argument(
        "--vpdq-frame-threshold",
        type=int,
        default=DEFAULT_VPDQ_FRAME_THRESHOLD if defaults else None,
        help=f"largest PDQ distance between two video frames (default "
        f"{DEFAULT_VPDQ_FRAME_THRESHOLD})",
    )
    p.add_argument(
        "--vpdq-percent",
        type=float,
        default=DEFAULT_VPDQ_MATCH_PERCENT if defaults else None,
        help=f"share of the query's frames found in the entry (default "
        f"{DEFAULT_VPDQ_MATCH_PERCENT})",
    )
    p.add_argument(
        "--vpdq-target-percent",
        type=float,
        default=DEFAULT_VPDQ_TARGET_PERCENT if defaults else None,
        help="share of the entry's frames found in the query (default 0: excerpts match)",
    )
    p.add_argument(
        "--text-threshold",
        type=float,
        default=DEFAULT_TEXT_THRESHOLD if defaults else None,
        help=f"smallest text similarity (default {DEFAULT_TEXT_THRESHOLD})",
    )


def _label_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--group", help="designated group id, e.g. pk-ttp")
    p.add_argument("--category", choices=[c.value for c in Category])
    p.add_argument("--source", help="source list, e.g. tat, gifct, own")
    p.add_argument("--note")


def _workflow(ctx: Context) -> BanksWorkflow:
    return BanksWorkflow.configured(ctx.store(), ctx.tenant, ctx.settings)


def _thresholds(ctx: Context, base: Thresholds | None = None) -> Thresholds:
    a = ctx.args
    base = base or Thresholds()
    return Thresholds(
        pdq=a.pdq_threshold if a.pdq_threshold is not None else base.pdq,
        vpdq_frame=a.vpdq_frame_threshold
        if a.vpdq_frame_threshold is not None
        else base.vpdq_frame,
        vpdq_percent=a.vpdq_percent if a.vpdq_percent is not None else base.vpdq_percent,
        vpdq_target_percent=a.vpdq_target_percent
        if a.vpdq_target_percent is not None
        else base.vpdq_target_percent,
        text=a.text_threshold if a.text_threshold is not None else base.text,
    )


def create_bank(ctx: Context) -> int:
    bank = _workflow(ctx).create(
        ctx.args.name,
        ACTOR,
        description=ctx.args.description,
        thresholds=_thresholds(ctx),
        enabled=not ctx.args.disabled,
    )
    if ctx.out.json_mode:
        ctx.out.json(bank_document(bank))
    else:
        ctx.out.line(f"bank {bank.name!r} created")
    return ExitCode.OK


def list_banks(ctx: Context) -> int:
    rows = [summary_document(b) for b in _workflow(ctx).summaries()]
    if ctx.out.json_mode:
        ctx.out.json(rows)
    else:
        ctx.out.table(
            f"banks of {ctx.tenant!r}",
            ["name", "enabled", "entries", "by type", "pdq ≤", "text ≥", "description"],
            [
                (
                    r["name"],
                    "yes" if r["enabled"] else "no",
                    f"{r['enabled_entries']}/{r['entries']}",
                    ", ".join(f"{k} {v}" for k, v in r["by_type"].items()),
                    r["thresholds"]["pdq"],
                    r["thresholds"]["text"],
                    r["description"],
                )
                for r in rows
            ],
        )
    return ExitCode.OK


def show_bank(ctx: Context) -> int:
    wf = _workflow(ctx)
    bank = wf.get(ctx.args.name)
    kind = SignalType(ctx.args.type) if ctx.args.type else None
    entries = [
        entry_document(e) for e in wf.entries(bank.name, kind, ctx.args.after, ctx.args.limit)
    ]
    if ctx.out.json_mode:
        ctx.out.json({**bank_document(bank), "entries": entries})
        return ExitCode.OK
    ctx.out.line(f"bank {bank.name!r}: {'enabled' if bank.enabled else 'disabled'}")
    ctx.out.table(
        "entries",
        ["id", "type", "value", "on", "group", "category", "source"],
        [
            (
                e["id"],
                e["signal_type"],
                preview(e["value"], 70) if e["signal_type"] == "text" else e["value"][:70],
                "yes" if e["enabled"] else "no",
                e["group"] or "",
                e["category"] or "",
                e["source"] or "",
            )
            for e in entries
        ],
    )
    return ExitCode.OK


def update_bank(ctx: Context) -> int:
    wf = _workflow(ctx)
    a = ctx.args
    current = wf.get(a.name)
    changes_thresholds = any(
        v is not None
        for v in (
            a.pdq_threshold,
            a.vpdq_frame_threshold,
            a.vpdq_percent,
            a.vpdq_target_percent,
            a.text_threshold,
        )
    )
    bank = wf.update(
        a.name,
        ACTOR,
        description=a.description,
        enabled=True if a.enable else False if a.disable else None,
        thresholds=_thresholds(ctx, current.thresholds) if changes_thresholds else None,
    )
    if ctx.out.json_mode:
        ctx.out.json(bank_document(bank))
    else:
        ctx.out.line(f"bank {bank.name!r} updated")
    return ExitCode.OK


def delete_bank(ctx: Context) -> int:
    if not ctx.args.yes:
        raise UsageError(f"deleting bank {ctx.args.name!r} removes all its entries; add --yes")
    count = _workflow(ctx).delete(ctx.args.name, ACTOR)
    if ctx.out.json_mode:
        ctx.out.json({"deleted": ctx.args.name, "entries": count})
    else:
        ctx.out.line(f"bank {ctx.args.name!r} deleted with {count} entries")
    return ExitCode.OK


def _split_hash(value: str) -> tuple[SignalType, str]:
    kind, sep, rest = value.partition(":")
    if not sep:
        raise UsageError(f"{preview(value)} must be TYPE:VALUE, e.g. pdq:<64 hex characters>")
    return parse_signal_type(kind), rest


def add_entries(ctx: Context) -> int:
    a = ctx.args
    wf = _workflow(ctx)
    values: list[tuple[str | SignalType, str]] = [_split_hash(h) for h in a.hash]
    values += [(SignalType.TEXT, t) for t in a.text]
    skipped: list[str] = []
    for path in a.file:
        hashes = wf.hash_file(path)
        values += [(SignalType.MD5, hashes.md5), (SignalType.SHA256, hashes.sha256)]
        if hashes.pdq is not None:
            if (hashes.quality or 0) >= wf.min_quality:
                values.append((SignalType.PDQ, hashes.pdq))
            else:
                skipped.append(f"{path}: PDQ quality {hashes.quality} below {wf.min_quality}")
        if hashes.vpdq:
            from nigehban.hashing.video import format_vpdq, low_quality_frames

            below, distinct = low_quality_frames(hashes.vpdq, wf.min_quality)
            if below < distinct:
                values.append((SignalType.VPDQ, format_vpdq(hashes.vpdq)))
            else:
                skipped.append(f"{path}: vPDQ, no frame of quality {wf.min_quality} or more")
    if not values:
        raise UsageError("nothing to add: give --hash, --text or --file")
    labels = Labels(
        group=a.group,
        category=Category(a.category) if a.category else None,
        source=a.source,
        added_by=ACTOR,
        note=a.note,
    )
    outcome = wf.add(a.name, values, ACTOR, labels, source="cli")
    doc = {"bank": a.name, "added": outcome.added, "duplicates": outcome.duplicates,
           "skipped": skipped}  # fmt: skip
    if ctx.out.json_mode:
        ctx.out.json(doc)
    else:
        ctx.out.line(
            f"{len(outcome.added)} entries added to {a.name!r}"
            + (f" ({outcome.duplicates} already there)" if outcome.duplicates else "")
        )
        for line in skipped:
            ctx.out.line(f"skipped {line}")
    return ExitCode.OK


def change_entry(ctx: Context) -> int:
    wf = _workflow(ctx)
    a = ctx.args
    if a.delete:
        entry = wf.delete_entry(a.entry_id, ACTOR)
        verb = "deleted"
    else:
        entry = wf.set_entry(a.entry_id, ACTOR, enabled=bool(a.enable))
        verb = "enabled" if a.enable else "disabled"
    if ctx.out.json_mode:
        ctx.out.json({"entry": entry.id, "bank": entry.bank, "state": verb})
    else:
        ctx.out.line(f"entry {entry.id} of {entry.bank!r} {verb}")
    return ExitCode.OK


def import_entries(ctx: Context) -> int:
    a = ctx.args
    path: Path = a.file
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(str(path), exc.strerror or "cannot be read") from None
    report = _workflow(ctx).import_file(
        a.name,
        data,
        ACTOR,
        fmt=Format(a.format) if a.format else None,
        filename=str(path),
        all_or_nothing=a.all_or_nothing,
    )
    if ctx.out.json_mode:
        ctx.out.json(report.to_dict())
    else:
        ctx.out.line(
            f"{report.added} entries added to {report.bank!r} from {report.records} records "
            f"({report.format}); {report.duplicates} already there, {len(report.errors)} bad"
        )
        for line in report.errors[:50]:
            ctx.out.error(line)
        if a.all_or_nothing and report.errors:
            ctx.out.error("nothing imported: --all-or-nothing and some records are bad")
    return ExitCode.FAILURE if report.errors else ExitCode.OK


def export_entries(ctx: Context) -> int:
    if ctx.args.output:
        check_output(ctx.args.output, flag="--output")
    data = _workflow(ctx).export(ctx.args.name, Format(ctx.args.format))
    if ctx.args.output:
        with replacing(ctx.args.output) as handle:
            handle.write(data)
        if not ctx.out.json_mode:
            ctx.out.line(f"written to {ctx.args.output}")
        else:
            ctx.out.json({"bank": ctx.args.name, "output": str(ctx.args.output)})
    else:
        ctx.out.raw(data.decode("utf-8"))
    return ExitCode.OK


def _report_doc(report: MatchReport, file: str | None = None) -> dict[str, Any]:
    doc: dict[str, Any] = {}
    if file is not None:
        doc["file"] = file
    h = report.hashes
    if h is not None:
        doc.update({"md5": h.md5, "sha256": h.sha256, "pdq": h.pdq, "quality": h.quality})
    doc["subject"] = report.subject
    doc["snapshot"] = report.snapshot_hash
    doc["matches"] = [match_document(m) for m in report.matches]
    if report.skipped:
        doc["skipped"] = report.skipped
    return doc


def match_content(ctx: Context) -> int:
    a = ctx.args
    wf = _workflow(ctx)
    reports: list[dict[str, Any]] = []
    failed = 0
    if a.hash:
        kind, value = _split_hash(a.hash)
        reports.append(_report_doc(wf.match_value(kind, value, ACTOR)))
    if a.text:
        reports.append(_report_doc(wf.match_value(SignalType.TEXT, a.text, ACTOR)))
    for path in _files(a.files):
        try:
            reports.append(_report_doc(wf.match_file(path, ACTOR), str(path)))
        except InputError as exc:
            failed += 1
            ctx.out.error(str(exc), type(exc).__name__)
    for url in a.url:
        try:
            reports.append(_report_doc(wf.match_url(url, ACTOR), display_url(url)))
        except InputError as exc:
            failed += 1
            ctx.out.error(str(exc), type(exc).__name__)
    if not reports and not failed:
        raise UsageError("nothing to match: give files, --url, --hash or --text")
    for doc in reports:
        if ctx.out.json_mode:
            ctx.out.json_line(doc)
        else:
            where = doc.get("file") or doc["subject"]
            if not doc["matches"]:
                ctx.out.line(f"{where}: no match")
            for m in doc["matches"]:
                ctx.out.line(
                    f"{where}: {m['bank']} entry {m['entry_id']} ({m['signal_type']}, "
                    f"distance {m['distance']:g})"
                    + (f" group {m['group']}" if m["group"] else "")
                    + (f" category {m['category']}" if m["category"] else "")
                )
            for s in doc.get("skipped", []):
                ctx.out.line(f"{where}: {s}")
    return ExitCode.FAILURE if failed else ExitCode.OK


def _files(paths: list[Path]) -> list[Path]:
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out += sorted(p for p in path.rglob("*") if p.is_file())
        else:
            out.append(path)
    return out


def match_log(ctx: Context) -> int:
    a = ctx.args
    records = _workflow(ctx).match_log(a.subject, a.entry, a.limit)
    rows = [record_document(r) for r in records]
    if ctx.out.json_mode:
        ctx.out.json(rows)
    else:
        ctx.out.table(
            "match log",
            ["id", "when", "subject", "bank", "entry", "type", "distance"],
            [
                (
                    r["id"],
                    r["matched_at"],
                    r["subject"][:70],
                    r["bank"],
                    r["entry_id"],
                    r["signal_type"],
                    f"{r['distance']:g}",
                )
                for r in rows
            ],
        )
    return ExitCode.OK
