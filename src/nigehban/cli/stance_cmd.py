"""``nigehban train``, ``classify``, ``eval``, ``eval-corpora`` and ``eval-agreement``: the
stance classifier.

``train`` rebuilds the model (``--quick`` for a fast smoke run, ``--check`` to compare with
the shipped model byte for byte, ``--record`` / ``--if-changed`` to record a verified rebuild
and skip one whose inputs have not changed: :mod:`nigehban.stance.rebuild`); ``classify``
scores a JSON-lines file with a progress bar (a bad line is reported and skipped, and the
command exits 1 at the end, as ``scan`` does, so that a pipeline sees lines were left out);
``eval`` prints per-language, per-category figures (``--json`` for the whole report);
``eval-agreement`` sets independent readers' labels beside the corpus labels and, with
``--model``, the classifier's (:mod:`nigehban.stance.agreement`).
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from nigehban.cli.context import Context
from nigehban.cli.corpora import corpora_dir
from nigehban.cli.exit_codes import ExitCode
from nigehban.errors import DependencyError, UsageError
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry
from nigehban.outfile import check_output
from nigehban.stance import agreement, artefact, pinning, rebuild
from nigehban.stance.baseline import KeywordBaseline
from nigehban.stance.classifier import Classifier, model_dir
from nigehban.stance.corpus import SplitManifest, corpus_files, read_posts
from nigehban.stance.evaluation import Scorer, evaluate, perturbation_report, read_labelled
from nigehban.stance.external import external_report
from nigehban.stance.model import Embedder
from nigehban.stance.perturb import TRICKS
from nigehban.stance.semantic import (
    FIRST_LAYER,
    LAYERS,
    PREFIX,
    PREFIXES,
    WITH_LAST,
    load_embedder,
)
from nigehban.stance.training import Options, fit_fast_tier, train_model
from nigehban.workflows.classify import classify_file

_AGREEMENT_PARTS = ("train", "blind", "fresh")


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    tr = sub.add_parser("train", help="rebuild the stance model from the corpora")
    tr.add_argument("--quick", action="store_true", help="few steps, no semantic tier (smoke)")
    tr.add_argument(
        "--project-only", action="store_true", help="train without the third-party corpora"
    )
    tr.add_argument(
        "--group-tags",
        action="store_true",
        help="tag one training post in four of each group's events with the group's hashtag "
        "(an experiment, not the shipped recipe: see docs/model-card.md)",
    )
    tr.add_argument(
        "--first-layer",
        type=_layer,
        metavar="N",
        help=f"embed with the mean of the embedding model's layers N..{LAYERS} (default "
        f"{FIRST_LAYER}, the shipped recipe; 7 is an experiment: see docs/model-card.md)",
    )
    tr.add_argument(
        "--last-layer-view",
        action=argparse.BooleanOptionalAction,
        help="the semantic tier also reads the last layer as a second view of each post, with "
        "a head of its own, the two heads' calibrated logits averaged (with --first-layer "
        f"below {LAYERS}; default: {'on' if WITH_LAST else 'off'}, the shipped recipe; see "
        "docs/model-card.md)",
    )
    tr.add_argument(
        "--frame-view",
        action=argparse.BooleanOptionalAction,
        help="the semantic tier also reads each post with what it quotes left out (default: "
        "on, the shipped recipe; --no-frame-view trains the model before it: see "
        "docs/model-card.md)",
    )
    tr.add_argument(
        "--quote-view",
        action=argparse.BooleanOptionalAction,
        help="the fast tier reads a quoting post's own words and the words it quotes as two "
        "separate sets of features (default: on, the shipped recipe; --no-quote-view trains "
        "the model before it: see docs/model-card.md)",
    )
    tr.add_argument(
        "--prefix",
        choices=PREFIXES,
        help=f"the word the embedding model reads before each text (default: {PREFIX}, the "
        "shipped recipe; see docs/model-card.md)",
    )
    tr.add_argument("--out", type=Path, help="model directory (default: the package's)")
    tr.add_argument(
        "--check",
        action="store_true",
        help="train into a temporary directory and fail unless it equals the shipped model",
    )
    tr.add_argument(
        "--if-changed",
        action="store_true",
        help="with --check: rebuild only if the inputs or the model differ from the last "
        "verified rebuild (rebuild.json beside the model)",
    )
    tr.add_argument(
        "--record",
        action="store_true",
        help="with --check: after an identical rebuild, write rebuild.json beside the model",
    )
    tr.add_argument(
        "--fast-tier",
        action="store_true",
        help="with --check: rebuild only the fast tier (its heads and their calibration, a few "
        "minutes) and fail unless each of its arrays equals the shipped model's",
    )
    tr.set_defaults(handler=train)

    cl = sub.add_parser("classify", help="classify a JSON-lines file of texts")
    cl.add_argument("-i", "--input", type=Path, required=True, help="lines {id, text, lang?}")
    cl.add_argument("-o", "--output", type=Path, required=True, help="classifications, a line each")
    cl.set_defaults(handler=classify)

    ex = sub.add_parser(
        "eval-corpora", help="the model on the third-party corpora (threat CV, false positives)"
    )
    ex.set_defaults(handler=evaluate_corpora)

    ag = sub.add_parser(
        "eval-agreement",
        help="independent readers against the corpus labels (and the classifier with --model)",
    )
    ag.add_argument(
        "--dir",
        type=Path,
        help="directory of <set>-<lang>.jsonl readings (default: corpus/stance/agreement)",
    )
    ag.add_argument(
        "--model", action="store_true", help="also classify the posts and set the model beside"
    )
    ag.set_defaults(handler=evaluate_agreement)

    ev = sub.add_parser("eval", help="accuracy on a labelled JSON-lines file")
    ev.add_argument("file", type=Path, help="lines {text, label, category?, lang?}")
    ev.add_argument(
        "--baseline", action="store_true", help="score the keyword baseline instead of the model"
    )
    ev.add_argument(
        "--perturb",
        choices=sorted(TRICKS),
        action="append",
        help="also score the set rewritten with this evasion trick and report the change "
        "(repeatable; 'all' is every trick)",
    )
    ev.add_argument("--all-tricks", action="store_true", help="--perturb every trick")
    ev.add_argument(
        "--no-lang-hint",
        action="store_true",
        help="classify without the lines' lang (language identification on every text, as for "
        "a platform that sends none); lang still groups the figures",
    )
    ev.add_argument(
        "--split",
        choices=["train", "test"],
        help="only the lines of this split of the corpus (by the events of corpus split.json)",
    )
    ev.set_defaults(handler=evaluate_file)


def _layer(value: str) -> int:
    try:
        layer = int(value)
    except ValueError:
        layer = -1
    if not 0 <= layer <= LAYERS:
        raise argparse.ArgumentTypeError(f"a layer 0..{LAYERS}, not {value[:20]!r}")
    return layer


def train(ctx: Context) -> int:
    shipped = model_dir(ctx.settings)
    if (ctx.args.if_changed or ctx.args.record or ctx.args.fast_tier) and not ctx.args.check:
        raise UsageError("--if-changed, --record and --fast-tier go with --check")
    if ctx.args.fast_tier:
        if ctx.args.if_changed or ctx.args.record:
            raise UsageError(
                "--fast-tier checks the fast tier alone: not with --if-changed or --record"
            )
        return _check_fast_tier(ctx, shipped)
    entries: dict[str, str] | None = None
    if ctx.args.if_changed or ctx.args.record:
        corpora = corpora_dir(ctx.settings)
        if corpora is None:
            raise DependencyError("no third-party corpora directory (set corpora_dir)")
        entries = rebuild.inputs(ctx.settings.corpus_dir / "stance", corpora)
    if ctx.args.if_changed and entries is not None:
        done = _rebuilt_before(ctx, shipped, entries)
        if done is not None:
            return done
    started = time.perf_counter()
    if not ctx.args.quick and not ctx.out.json_mode:
        ctx.out.line(f"arithmetic: {pinning.describe(os.environ)}")
        if pinning.applies() and not pinning.is_pinned(os.environ):
            ctx.out.line(
                "(run as the `nigehban` command, which sets it, for a model that other "
                "processors rebuild byte for byte)"
            )
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) if ctx.args.check else (ctx.args.out or shipped)
        options = _options(ctx, out, None if ctx.args.quick else _embedder(ctx))
        summary = train_model(
            options, log=ctx.out.line if not ctx.out.json_mode else lambda _: None
        )
        if ctx.args.check:
            summary["shipped_checksum"] = artefact.checksum(shipped)
            summary["identical"] = summary["shipped_checksum"] == summary["checksum"]
    if ctx.out.json_mode:
        ctx.out.json(summary)
    else:
        ctx.out.line(f"model {summary['checksum']} in {summary['out']}")
        ctx.out.line("rows: " + ", ".join(f"{k} {v}" for k, v in summary["rows"].items()))
        if ctx.args.check:
            ctx.out.line(
                "identical to the shipped model"
                if summary["identical"]
                else f"DIFFERS from the shipped model {summary['shipped_checksum']}"
            )
    if ctx.args.check and not summary["identical"]:
        return ExitCode.FAILURE
    if ctx.args.record and entries is not None:
        seconds = time.perf_counter() - started
        path = rebuild.write_record(
            shipped, rebuild.new_record(entries, summary["checksum"], seconds)
        )
        if not ctx.out.json_mode:
            ctx.out.line(f"recorded in {path}")
    return ExitCode.OK


def _options(ctx: Context, out: Path, embedder: Embedder | None) -> Options:
    return Options(
        corpus_dir=ctx.settings.corpus_dir / "stance",
        corpora_dir=corpora_dir(ctx.settings),
        out_dir=out,
        quick=ctx.args.quick,
        project_only=ctx.args.project_only,
        group_tags=ctx.args.group_tags,
        quote_view=ctx.args.quote_view is not False,
        embedder=embedder,
    )


def _check_fast_tier(ctx: Context, shipped: Path) -> int:
    """Rebuild the fast tier alone and compare it, array by array, with the shipped model's:
    the part of a full rebuild that takes minutes, not half an hour (no embedding)."""
    model = artefact.load(shipped)
    started = time.perf_counter()
    if not ctx.out.json_mode:
        ctx.out.line(f"arithmetic: {pinning.describe(os.environ)}")
    # fit_fast_tier writes nothing: the options' out_dir is not used
    fast = fit_fast_tier(
        _options(ctx, shipped, None), log=ctx.out.line if not ctx.out.json_mode else lambda _: None
    )
    differences = rebuild.fast_tier_differences(fast, model)
    seconds = round(time.perf_counter() - started, 1)
    if ctx.out.json_mode:
        ctx.out.json(
            {
                "fast_tier": True,
                "identical": not differences,
                "differences": differences,
                "rows": fast.data.rows,
                "seconds": seconds,
            }
        )
    elif differences:
        ctx.out.line(f"the rebuilt fast tier DIFFERS from the shipped model's ({shipped}):")
        for line in differences:
            ctx.out.line(f"  {line}")
    else:
        ctx.out.line(
            f"fast tier rebuilt in {seconds:.0f} s: every array of its heads and its "
            "calibration equal the shipped model's, bit for bit"
        )
    return ExitCode.FAILURE if differences else ExitCode.OK


def _embedder(ctx: Context) -> Embedder | None:
    embedder = load_embedder(
        first_layer=ctx.args.first_layer,
        frame_view=ctx.args.frame_view,
        prefix=ctx.args.prefix,
        with_last=ctx.args.last_layer_view,
    )
    asked_for = {
        "--frame-view": ctx.args.frame_view,
        "--last-layer-view": ctx.args.last_layer_view,
        "--prefix query": ctx.args.prefix == "query",
    }
    if embedder is None and any(asked_for.values()):
        asked = next(flag for flag, on in asked_for.items() if on)
        raise DependencyError(
            f"{asked} needs the project's embedding engine (nigehban.stance._e5engine), "
            "which is not built here"
        )
    return embedder


def _rebuilt_before(ctx: Context, shipped: Path, entries: dict[str, str]) -> int | None:
    """Exit code where the record beside the model covers these inputs and this model;
    ``None`` (rebuild) otherwise, after saying why."""
    record = rebuild.read_record(shipped)
    checksum = artefact.checksum(shipped)
    if record is None:
        reason = "no record of a verified rebuild"
    elif record.model_checksum != checksum:
        reason = "the model has changed since the verified rebuild"
    elif record.fingerprint != rebuild.fingerprint(entries):
        changed = record.changed(entries)
        reason = f"{len(changed)} input(s) changed since the verified rebuild: " + ", ".join(
            c[:80] for c in changed[:5]
        )
    else:
        summary = {
            "checksum": checksum,
            "identical": True,
            "rebuilt": False,
            "verified": record.verified,
            "machine": record.machine,
            "seconds": record.seconds,
            "fingerprint": record.fingerprint,
        }
        if ctx.out.json_mode:
            ctx.out.json(summary)
        else:
            ctx.out.line(
                f"not rebuilt: the same inputs (fingerprint {record.fingerprint[:12]}) were "
                f"rebuilt into this model ({checksum[:12]}) byte for byte on {record.verified}, "
                f"on {record.machine}, in {record.seconds / 60:.1f} min; "
                "`nigehban train --check` rebuilds it"
            )
        return ExitCode.OK
    if not ctx.out.json_mode:
        ctx.out.line(f"rebuilding: {reason}")
    return None


def classify(ctx: Context) -> int:
    source: Path = ctx.args.input
    if not source.is_file():
        raise UsageError(f"no such input file: {str(source)[:120]}")
    check_output(ctx.args.output, flag="--output", inputs=[source])
    classifier = Classifier.from_settings(ctx.settings)
    with ctx.progress("classifying", source.stat().st_size) as advance:
        report = classify_file(
            classifier,
            source,
            ctx.args.output,
            max_chars=ctx.settings.max_text_chars,
            on_progress=advance,
        )
    document = report.to_dict()
    if ctx.out.json_mode:
        ctx.out.json(document)
    else:
        for bad in report.bad[:20]:
            ctx.out.error(f"line {bad['line']}: {bad['error']} (skipped)")
        ctx.out.line(
            f"{report.classified} classified ({report.violating} violating, "
            f"{report.abstained} abstained), {len(report.bad)} bad lines skipped "
            f"-> {ctx.args.output}"
        )
    return ExitCode.FAILURE if report.bad else ExitCode.OK


def evaluate_file(ctx: Context) -> int:
    scorer: Scorer
    if ctx.args.baseline:
        scorer = KeywordBaseline(GroupMatcher(load_registry(ctx.settings.group_registry_dir)))
    else:
        scorer = Classifier.from_settings(ctx.settings)
    lines = read_labelled(ctx.args.file)
    if not lines:  # figures over nothing would report a set that is not there
        raise UsageError(f"{str(ctx.args.file)[:120]} holds no labelled line")
    if ctx.args.split:
        manifest = SplitManifest.load(ctx.settings.corpus_dir / "stance" / "split.json")
        wanted = ctx.args.split == "test"
        lines = [x for x in lines if (x.event in manifest.test_events) == wanted]
        if not lines:
            raise UsageError(
                f"no line of {str(ctx.args.file)[:120]} is in the {ctx.args.split} split"
            )
    hint = not ctx.args.no_lang_hint
    document = evaluate(scorer, lines, hint=hint)
    tricks = sorted(TRICKS) if ctx.args.all_tricks else (ctx.args.perturb or [])
    if tricks:
        document["perturbations"] = perturbation_report(scorer, lines, document, tricks, hint)
    if ctx.out.json_mode:
        ctx.out.json(document)
        return ExitCode.OK
    _print_report(ctx, document)
    _print_perturbations(ctx, document)
    return ExitCode.OK


def evaluate_corpora(ctx: Context) -> int:
    corpora = corpora_dir(ctx.settings)
    if corpora is None:
        raise DependencyError("no third-party corpora directory: set corpora_dir")
    classifier = Classifier.from_settings(ctx.settings)
    log = (lambda _: None) if ctx.out.json_mode else ctx.out.line
    document = external_report(classifier, ctx.settings.corpus_dir / "stance", corpora, log)
    if ctx.out.json_mode:
        ctx.out.json(document)
        return ExitCode.OK
    threat = document["urdu_threat"]
    ctx.out.line(
        f"urdu_threat threat_any macro-F1, 5-fold CV: {threat['macro_f1_mean']:.3f} "
        f"(sd {threat['macro_f1_std']:.3f}, {threat['rows']} tweets; published best "
        f"{threat['published_best']} on another split)"
    )
    rows = []
    for source in ("ruhsold", "urdu_abusive", "stormfront", "extremism_digital", "isis_twitter"):
        for tag, v in document[source].items():
            if isinstance(v, dict):
                rows.append(
                    (
                        source,
                        tag,
                        v["posts"],
                        v["flagged"],
                        f"{v['rate']:.3f}",
                        "{:.3f}-{:.3f}".format(*v["ci95"]),
                    )
                )
    ctx.out.table(
        "Share labelled violating (held-out halves of training sources; all rows otherwise)",
        ["source", "tag", "posts", "flagged", "rate", "95% CI"],
        rows,
    )
    return ExitCode.OK


def evaluate_agreement(ctx: Context) -> int:
    root = ctx.settings.corpus_dir / "stance"
    readings = agreement.read_directory(ctx.args.dir or root / "agreement")
    posts = {
        p.id: p
        for part in _AGREEMENT_PARTS
        for f in corpus_files(root, part)
        for p in read_posts(f)
    }
    predicted: dict[str, bool] | None = None
    if ctx.args.model:
        classifier = Classifier.from_settings(ctx.settings)
        ids = [i for i in readings if i in posts]
        predicted = {}
        for start in range(0, len(ids), 256):
            chunk = ids[start : start + 256]
            results = classifier.classify(
                [posts[i].text for i in chunk], [posts[i].lang for i in chunk]
            )
            predicted.update(
                (i, r.label == "violating") for i, r in zip(chunk, results, strict=True)
            )
    document = agreement.report(posts, readings, predicted)
    if ctx.out.json_mode:
        ctx.out.json(document)
        return ExitCode.OK
    rows = []
    for lang, d in document["by_language"].items():
        readers = d["readers"]
        pairs = d["pairs"]
        model = d.get("classifier")
        rows.append(
            (
                lang,
                d["posts"],
                "/".join(f"{readers[n]['macro_f1']:.3f}" for n in readers),
                " / ".join(
                    f"{p['kappa']:.3f}" if p["kappa"] is not None else "-" for p in pairs.values()
                )
                or "-",
                "/".join(str(readers[n]["unsure"]) for n in readers),
                d["clear_posts"],
                f"{model['macro_f1']:.4f}" if model else "-",
                f"{model['errors']} ({model['errors_on_clear_posts']})" if model else "-",
                f"{model['macro_f1_on_clear_posts']:.4f}"
                if model and model["macro_f1_on_clear_posts"] is not None
                else "-",
            )
        )
    ctx.out.table(
        f"Independent readers and the corpus labels ({document['posts']} posts; macro-F1 "
        "against the labels, kappa between readers, clear = every reader agreed and was sure)",
        [
            "lang",
            "posts",
            "readers F1",
            "kappa",
            "unsure",
            "clear",
            "model F1",
            "errs (clear)",
            "F1 clear",
        ],
        rows,
    )
    return ExitCode.OK


def _print_perturbations(ctx: Context, document: dict[str, Any]) -> None:
    rows = []
    for trick, by_lang in document.get("perturbations", {}).items():
        for lang, d in by_lang.items():
            rows.append(
                (
                    trick,
                    lang,
                    f"{d['recall_drop']:+.3f}",
                    f"{d['protected_fpr_rise']:+.3f}",
                    f"{d['macro_f1']:.3f}",
                )
            )
    if rows:
        ctx.out.table(
            "Evasion tricks: change against the clean set",
            ["trick", "lang", "recall drop", "protected FPR rise", "macro-F1"],
            rows,
        )


def _pct(x: float) -> str:
    return f"{100 * x:.1f}"


def _print_report(ctx: Context, document: dict[str, Any]) -> None:
    by_lang = document["by_language"]
    ctx.out.line(
        f"{document['posts']} posts, {document['abstained']} abstained, "
        f"{_pct(document['routed_share'])}% routed to the semantic tier ({document['scorer']}); "
        f"threshold {document['threshold']}"
        + ("" if document["language_hint"] else "; no lang hint: language identified on every text")
    )
    ctx.out.table(
        "Binary, per language",
        [
            "lang",
            "posts",
            "macro-F1",
            "recall",
            "FPR",
            "FPR 95% CI",
            "ECE",
            "AUC",
            "P@1%",
            "P@0.1%",
        ],
        [
            (
                lang,
                f["posts"],
                f"{f['macro_f1']:.3f}",
                f"{f['recall']:.3f}",
                f"{f['false_positive_rate']:.3f}",
                "{:.3f}-{:.3f}".format(*f["false_positive_rate_ci95"]),
                f"{f['calibration_error']:.3f}",
                "-" if f["roc_auc"] is None else f"{f['roc_auc']:.3f}",
                f"{f['precision_at_prevalence']['0.01']:.3f}",
                f"{f['precision_at_prevalence']['0.001']:.3f}",
            )
            for lang, f in by_lang.items()
        ],
    )
    ctx.out.table(
        "False-positive rate on protected categories (flagged / posts, 95% CI)",
        ["lang", "category", "posts", "flagged", "rate", "95% CI"],
        [
            (
                lang,
                cat,
                v["posts"],
                v["flagged"],
                f"{v['rate']:.3f}",
                "{:.3f}-{:.3f}".format(*v["ci95"]),
            )
            for lang, f in by_lang.items()
            for cat, v in f["protected_false_positive_rate"].items()
        ],
    )
    ctx.out.table(
        "Categories (primary), all languages",
        ["category", "support", "precision", "recall", "F1"],
        [
            (cat, v["support"], f"{v['precision']:.3f}", f"{v['recall']:.3f}", f"{v['f1']:.3f}")
            for cat, v in by_lang["all"]["categories"].items()
        ],
    )
