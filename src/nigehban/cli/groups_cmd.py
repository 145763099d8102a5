"""``nigehban groups list|show|match|check|build|train|eval|eval-corpus``: the designated-group
registry.

``match`` takes a text, or a file whose lines are texts (``--whole`` reads the file as one
text); every hit is printed with its span in code points, the script it was written in, and
for ambiguous aliases the context that decided it. ``check`` validates a registry directory
(``file:line`` errors); ``build`` imports the UN and US FTO lists from reference data;
``train`` rebuilds the sense model that resolves ambiguous names from ``corpus/groups/sense``;
``eval`` measures the matcher on the labelled sets, ``eval-corpus`` on real posts of a
third-party corpus labelled by reference (the texts are read from ``corpora_dir``).
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Any

from nigehban.cli.context import Context
from nigehban.cli.corpora import corpora_dir
from nigehban.cli.exit_codes import ExitCode
from nigehban.errors import DependencyError, InputError, UsageError
from nigehban.groups.detector import GroupDetector
from nigehban.groups.documents import (
    group_detail,
    group_summary,
    hit_document,
    label_detail,
    registry_summary,
)
from nigehban.groups.evaluation import EvalReport, evaluate, evaluate_corpus
from nigehban.groups.lists import build_lists
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.model import GroupKind
from nigehban.groups.registry import default_registry_dir, load_registry
from nigehban.groups.sense import SENSE_PATH
from nigehban.groups.sense_training import SenseConfig, read_corpus, train_sense
from nigehban.outfile import check_output, replacing
from nigehban.privacy.masking import preview

_SHARED_REFERENCE = Path("../shared/data/reference")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("groups", help="designated groups: list, show, match text")
    gsub = p.add_subparsers(dest="groups_command", required=True)

    ls = gsub.add_parser("list", help="list groups")
    ls.add_argument("--kind", choices=[k.value for k in GroupKind])
    ls.add_argument("--jurisdiction", choices=["PK", "UN", "US", "UK", "EU"])
    ls.add_argument("--query", "-q", help="part of a name, in any script or spelling")
    ls.add_argument("--labels", action="store_true", help="list state labels instead")
    ls.set_defaults(handler=list_groups)

    show = gsub.add_parser("show", help="one group or state label with its designations")
    show.add_argument("id")
    show.set_defaults(handler=show_group)

    match = gsub.add_parser("match", help="find group mentions in a text or a file of texts")
    match.add_argument("text", help="the text, or a file whose lines are texts")
    match.add_argument("--whole", action="store_true", help="read the file as one text")
    match.add_argument(
        "--all", action="store_true", help="also show ambiguous hits the context did not support"
    )
    match.set_defaults(handler=match_text)

    check = gsub.add_parser("check", help="validate a registry directory")
    check.add_argument("directory", nargs="?", type=Path)
    check.set_defaults(handler=check_registry)

    build = gsub.add_parser("build", help="import the UN 1267 and US FTO lists")
    build.add_argument("--source", type=Path, help="reference data directory")
    build.add_argument("--out", type=Path, help="output directory (default: the package's)")
    build.set_defaults(handler=build_registry_lists)

    train = gsub.add_parser("train", help="train the sense model for ambiguous names")
    train.add_argument(
        "--corpus", type=Path, help="sense corpus (default: CORPUS_DIR/groups/sense)"
    )
    train.add_argument("--output", type=Path, help="model file (default: the package's)")
    train.add_argument(
        "--check",
        action="store_true",
        help="rebuild and compare with the model file; write nothing",
    )
    train.set_defaults(handler=train_sense_model)

    ev = gsub.add_parser("eval", help="precision and recall on labelled sets")
    ev.add_argument("data", type=Path, help="directory with mentions.jsonl and hard_negatives/")
    ev.add_argument("--split", choices=["dev", "test"], help="only this part of the sets")
    ev.add_argument("--show-errors", action="store_true", help="print every miss and false hit")
    ev.set_defaults(handler=evaluate_matcher)

    real = gsub.add_parser(
        "eval-corpus", help="precision and recall on real posts of a third-party corpus"
    )
    real.add_argument(
        "labels",
        type=Path,
        help="labels by reference to the corpus rows (tests/data/groups/real/isis_twitter.jsonl)",
    )
    real.add_argument("--split", choices=["dev", "test"], help="only this part of the labels")
    real.add_argument("--show-errors", action="store_true", help="print every miss and false hit")
    real.set_defaults(handler=evaluate_matcher_on_corpus)


def train_sense_model(ctx: Context) -> int:
    corpus_dir = ctx.args.corpus or ctx.settings.corpus_dir / "groups" / "sense"
    output = ctx.args.output or SENSE_PATH
    if not ctx.args.check:
        check_output(output, flag="--output")
    registry = load_registry(ctx.settings.group_registry_dir)
    corpus = read_corpus(corpus_dir, GroupMatcher(registry, None))
    log = (lambda _: None) if ctx.out.json_mode else ctx.out.line
    model = train_sense(corpus, SenseConfig(), log)
    text = model.to_json()
    document: dict[str, Any] = {
        "output": str(output),
        "examples": len(corpus.examples),
        "group_examples": sum(e.group for e in corpus.examples),
        "skipped": dict(sorted(corpus.skipped.items())),
        "features": len(model.weights),
        "threshold": model.threshold,
        "out_of_fold": model.meta["out_of_fold"],
        "digest": model.digest,
    }
    if ctx.args.check:
        try:
            shipped = output.read_text(encoding="utf-8")
        except OSError:
            shipped = ""
        document["identical"] = shipped == text
        _emit(ctx, document, f"sense model rebuilt; identical to {output}: {shipped == text}")
        return ExitCode.OK if shipped == text else ExitCode.FAILURE
    with replacing(output) as handle:
        handle.write(text.encode("utf-8"))
    _emit(
        ctx,
        document,
        f"sense model: {document['examples']} examples ({document['group_examples']} naming the "
        f"group), {sum(corpus.skipped.values())} lines skipped, {document['features']} features, "
        f"threshold {document['threshold']}; written to {output}",
    )
    return ExitCode.OK


def _emit(ctx: Context, document: dict[str, Any], line: str) -> None:
    if ctx.out.json_mode:
        ctx.out.json(document)
    else:
        ctx.out.line(line)


def _detector(ctx: Context) -> GroupDetector:
    return GroupDetector.from_directory(ctx.settings.group_registry_dir)


def list_groups(ctx: Context) -> int:
    registry = load_registry(ctx.settings.group_registry_dir)
    if ctx.args.labels:
        labels = registry.labels()
        if ctx.out.json_mode:
            ctx.out.json([label_detail(label) for label in labels])
        else:
            rows = [(lb.id, lb.name, ", ".join(lb.refers_to), lb.date, lb.status) for lb in labels]
            ctx.out.table("State labels", ["id", "name", "refers to", "date", "status"], rows)
        return ExitCode.OK
    kind = GroupKind(ctx.args.kind) if ctx.args.kind else None
    groups = registry.search(kind=kind, jurisdiction=ctx.args.jurisdiction, query=ctx.args.query)
    if ctx.out.json_mode:
        ctx.out.json(
            {"registry": registry_summary(registry), "groups": [group_summary(g) for g in groups]}
        )
        return ExitCode.OK
    table = [
        (
            g.id,
            g.name,
            g.kind.value,
            ",".join(g.jurisdictions),
            "yes" if g.verified else "no",
            len(g.aliases),
        )
        for g in groups
    ]
    title = f"{len(groups)} groups (registry as of {registry.info.as_of})"
    ctx.out.table(title, ["id", "name", "kind", "listed", "verified", "aliases"], table)
    return ExitCode.OK


def show_group(ctx: Context) -> int:
    registry = load_registry(ctx.settings.group_registry_dir)
    if registry.is_label(ctx.args.id):
        data = label_detail(registry.label(ctx.args.id))
        if ctx.out.json_mode:
            ctx.out.json(data)
            return ExitCode.OK
        rows = [(k, v) for k, v in data.items() if k != "aliases"]
        ctx.out.table(data["name"], ["field", "value"], rows)
        ctx.out.table(
            "Aliases", ["text", "lang"], [(a["text"], a["lang"]) for a in data["aliases"]]
        )
        return ExitCode.OK
    group = registry.group(ctx.args.id)
    data = group_detail(registry, group)
    if ctx.out.json_mode:
        ctx.out.json(data)
        return ExitCode.OK
    fields = (
        "id",
        "name",
        "kind",
        "summary",
        "parent",
        "relation",
        "children",
        "labels",
        "jurisdictions",
        "verified",
        "needs_legal_review",
        "origin",
    )
    ctx.out.table(group.name, ["field", "value"], [(k, data[k]) for k in fields])
    ctx.out.table(
        "Designations",
        ["jurisdiction", "date", "status", "reference", "source", "note"],
        [
            (
                d.jurisdiction,
                d.date or "?",
                d.status.value,
                d.reference or "",
                d.source,
                d.note or "",
            )
            for d in group.designations
        ],
    )
    ctx.out.table(
        "Aliases",
        ["text", "lang", "type", "matched", "note"],
        [
            (
                a.text,
                a.lang,
                a.type.value,
                ("no" if not a.match else "with context" if a.ambiguous else "yes"),
                a.note or "",
            )
            for a in group.aliases
        ],
    )
    return ExitCode.OK


def _texts(ctx: Context) -> list[tuple[str, str]]:
    arg: str = ctx.args.text
    path = Path(arg)
    if "\n" not in arg and _is_a_file(path):
        size = path.stat().st_size
        if size > ctx.settings.max_file_bytes:
            raise InputError(str(path), f"{size} bytes is over max_file_bytes")
        try:
            content = path.read_text(encoding="utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(str(path), f"not UTF-8 text (byte {exc.start})") from None
        if ctx.args.whole:
            return [(path.name, content)]
        return [
            (f"{path.name}:{n}", line)
            for n, line in enumerate(content.splitlines(), 1)
            if line.strip()
        ]
    if ctx.args.whole:
        raise UsageError(f"--whole needs a file; {arg[:60]!r} is not one")
    if _looks_like_a_path(arg):
        ctx.out.err.print(f"note: no file {preview(arg)}; matching it as text", markup=False)
    return [("text", arg)]


def _is_a_file(path: Path) -> bool:
    """Whether the argument names a file; a text too long to be a file name (a post in Urdu
    passes the 255-byte limit of a name within about 130 letters) is not one."""
    try:
        return path.is_file()
    except OSError:  # ENAMETOOLONG and the like: no file has this name
        return False


_FILE_NAME = re.compile(r"\.(?:txt|jsonl?|ndjson|csv|md|log)$", re.IGNORECASE)


def _looks_like_a_path(arg: str) -> bool:
    """A word with a directory separator or a text file's ending (``posts.txt``), not a URL:
    probably a file name mistyped, which is matched as text with a note."""
    if any(c.isspace() for c in arg) or "://" in arg:
        return False
    return "/" in arg or bool(_FILE_NAME.search(arg))


def match_text(ctx: Context) -> int:
    matcher = _detector(ctx).matcher
    limit = ctx.settings.max_text_chars
    results: list[dict[str, Any]] = []
    for where, text in _texts(ctx):
        if len(text) > limit:
            raise InputError(where, f"{len(text)} characters is over max_text_chars ({limit})")
        hits = matcher.match(text, include_unresolved=ctx.args.all)
        results.append({"source": where, "hits": [hit_document(h, text) for h in hits]})
    if ctx.out.json_mode:
        ctx.out.json(results if len(results) != 1 else results[0])
        return ExitCode.OK
    for result in results:
        found: list[dict[str, Any]] = result["hits"]
        if not found:
            ctx.out.line(f"{result['source']}: no group mentioned")
            continue
        matches = [
            (
                h["id"],
                h["surface"],
                f"{h['start']}-{h['end']}",
                h["script"],
                h["alias"],
                ("label " if h["state_label"] else "")
                + (
                    "ambiguous, " + ("resolved" if h["resolved"] else "unresolved")
                    if h["ambiguous"]
                    else "certain"
                ),
                "; ".join(h["context"] + h["evasion"]),
            )
            for h in found
        ]
        ctx.out.table(
            f"{result['source']}: {len(found)} mention(s)",
            ["group", "surface", "span", "script", "alias", "how", "context / tricks"],
            matches,
        )
    return ExitCode.OK


def check_registry(ctx: Context) -> int:
    directory = ctx.args.directory or ctx.settings.group_registry_dir
    registry = load_registry(directory)
    matcher = GroupMatcher(registry)
    summary = registry_summary(registry)
    summary["matched_aliases"] = matcher.alias_count
    if ctx.out.json_mode:
        ctx.out.json(summary)
        return ExitCode.OK
    where = directory or default_registry_dir()
    ctx.out.line(
        f"{where}: valid. {summary['groups']} groups, {summary['labels']} state labels, "
        f"{matcher.alias_count} matchable names; as of {summary['as_of']}; "
        f"snapshot {registry.snapshot_hash[:16]}"
    )
    return ExitCode.OK


def build_registry_lists(ctx: Context) -> int:
    source = ctx.args.source or ctx.settings.reference_data_dir
    if source is None:
        if not _SHARED_REFERENCE.is_dir():
            raise UsageError("give --source DIR (or set reference_data_dir): no reference data")
        source = _SHARED_REFERENCE
    out = ctx.args.out or default_registry_dir() / "lists"
    written = build_lists(source, out)
    load_registry(out.parent if ctx.args.out is None else None)  # the result must load
    if ctx.out.json_mode:
        ctx.out.json({"written": [str(p) for p in written]})
    else:
        for path in written:
            ctx.out.line(f"wrote {path}")
    return ExitCode.OK


def evaluate_matcher(ctx: Context) -> int:
    data: Path = ctx.args.data
    matcher = _detector(ctx).matcher
    report = evaluate(matcher, data / "mentions.jsonl", data / "hard_negatives", ctx.args.split)
    return _print_report(ctx, report, negatives=True)


def evaluate_matcher_on_corpus(ctx: Context) -> int:
    corpora = corpora_dir(ctx.settings)
    if corpora is None:
        raise DependencyError(
            "no third-party corpora directory: set corpora_dir (NIGEHBAN_CORPORA_DIR) to the "
            "folder that holds isis_twitter/"
        )
    matcher = _detector(ctx).matcher
    report = evaluate_corpus(matcher, ctx.args.labels, corpora, ctx.args.split)
    return _print_report(ctx, report, negatives=False)


def _print_report(ctx: Context, report: EvalReport, *, negatives: bool) -> int:
    document = report.to_dict()
    if ctx.out.json_mode:
        ctx.out.json(document)
        return ExitCode.OK
    ctx.out.line(
        f"precision {report.precision:.4f}   recall {report.recall:.4f}   "
        f"(correct {report.correct}, unexpected {report.unexpected}"
        + (
            f", hard-negative hits {report.negative_hits} of {report.negatives}: "
            f"{report.negative_rate:.2%} flagged)"
            if negatives and report.negatives
            else ")"
        )
    )
    possible = document["possible"]
    ctx.out.line(
        f"possible mentions (an ambiguous name hit, no context to resolve it): "
        f"{possible['mentions']} more missed ones, recall {possible['recall_with_them']:.4f} "
        f"with them"
        + (
            f"; {possible['hard_negatives']} of {possible['hard_negative_sentences']} "
            f"hard negatives"
            if negatives
            else ""
        )
    )
    ctx.out.table(
        "Recall by language",
        ["lang", "found", "expected", "recall"],
        [
            (k, v["found"], v["expected"], f"{v['recall']:.4f}")
            for k, v in document["recall_by_lang"].items()
        ],
    )
    ctx.out.table(
        "Recall by the kind of name",
        ["name", "found", "expected", "recall"],
        [
            (k, v["found"], v["expected"], f"{v['recall']:.4f}")
            for k, v in document["recall_by_name"].items()
        ],
    )
    if negatives:
        ctx.out.table(
            "Hard negatives by alias",
            ["alias", "sentences", "false positives", "rate"],
            [
                (k, v["sentences"], v["false_positives"], f"{v['rate']:.4f}")
                for k, v in document["hard_negatives_by_alias"].items()
            ],
        )
    if ctx.args.show_errors:
        for kind in ("missed", "false_positives", "unexpected"):
            for row in document[kind]:
                ctx.out.line(f"{kind}: {row}")
    return ExitCode.OK
