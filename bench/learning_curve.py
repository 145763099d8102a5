"""Learning curve of the stance classifier: what more written training data would buy.

Every model since C has been the same kind of reader (hashed n-grams and a head over
multilingual-e5-small), and the test split's cells stay under the 0.90 macro-F1 floor
(``docs/model-card.md``, Results). Would more posts of the project's own corpus close the gap,
or has this reader reached its ceiling? This trains the shipped recipe on nested shares of the
train split's scenarios and scores each model on the held-out sets through the classifier
itself, as ``nigehban eval`` does:

* a scenario is kept at share ``s`` when the first 8 bytes of ``sha256("learning-curve:" +
  scenario)``, as a fraction of 2^64, are under ``s``, so each share's scenarios hold the
  smaller shares' (``--salt`` draws another nesting; a CRC would not: a salt changes a CRC by
  a fixed XOR, which can leave the same scenarios under a share);
* the third-party rows (protected ``other``) are kept whole at every share: what varies is
  the project's own corpus, the part a writer can add to;
* each model is the recipe of ``nigehban train`` on the posts kept: the fast tier's binary
  head and its five out-of-fold heads, their calibration, the semantic head and its five, the
  bands, weights and thresholds chosen by the training's rules; the category and
  ``threat_any`` heads are the shipped model's (they do not enter the violating decision);
* at share 1 the model must be the shipped one: its binary head, semantic head, combinations
  and thresholds bit for bit (checked, or the run stops), so the curve ends on the model the
  model card reports.

It reads the corpus, the third-party corpora (``--corpora``, default ``../shared/data/corpora``)
and the shipped model, embeds the 20,125 training texts once (about 10 minutes on 2 CPUs;
cache them with ``--vectors FILE.npy``), writes each share's model under OUT and prints, per
share and set, each language's macro-F1, recall, ROC-AUC and most-flagged protected cell.

    .venv/bin/python bench/learning_curve.py OUT [--shares 0.25 0.5 0.75 1]
        [--sets test blind fresh] [--salt S] [--corpora DIR] [--vectors FILE.npy] [--json FILE]
"""

from __future__ import annotations

import argparse
import copy
import hashlib
import importlib.util
import json
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import ModuleType
from typing import Any

import numpy as np

from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry
from nigehban.settings import Settings, load_settings
from nigehban.stance import artefact, pinning, training
from nigehban.stance.calibration import fit_platt
from nigehban.stance.classifier import Classifier
from nigehban.stance.corpus import SplitManifest, load_corpus
from nigehban.stance.evaluation import LabelledLine, evaluate, read_labelled
from nigehban.stance.features import FeatureConfig, Featuriser
from nigehban.stance.langid import LanguageIdentifier
from nigehban.stance.linear import SparseLinear
from nigehban.stance.model import Embedder, StanceModel, combine_views, semantic_prefixes

ROOT = Path(__file__).resolve().parent.parent
SETS = ("test", "blind", "fresh")
LANGS = ("en", "ur", "ur-Latn", "ps")
FLOOR_CELLS = ("news", "counter_speech", "dissent")


def _sibling(name: str) -> ModuleType:
    """Another script of this directory, as a module (the training steps it already holds)."""
    path = Path(__file__).resolve().parent / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"nigehban_bench_{name}", path)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {path}")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def kept(scenario: str, share: float, salt: str = "learning-curve") -> bool:
    """Whether ``scenario`` trains at ``share``: nested (a scenario kept at a share is kept at
    every larger one) and the same on every run."""
    digest = hashlib.sha256(f"{salt}:{scenario}".encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64 < share


def _share(text: str) -> float:
    value = float(text)
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"share must be in (0, 1], not {text[:20]!r}")
    return value


class CachedEmbedder:
    """An embedder that embeds each (text, language) once: the models of the curve route
    different posts to the semantic tier, most of them the same."""

    def __init__(self, inner: Embedder) -> None:
        self.inner = inner
        self.cache: dict[tuple[str, str | None], Any] = {}

    @property
    def name(self) -> str:
        return self.inner.name

    @property
    def views(self) -> tuple[tuple[int, int], ...]:
        return self.inner.views

    def embed(self, texts: Sequence[str], langs: Sequence[str] | None = None) -> Any:
        none: list[str | None] = [None] * len(texts)
        given: Sequence[str | None] = langs if langs is not None else none
        keys = list(zip(texts, given, strict=True))
        todo = list(dict.fromkeys(k for k in keys if k not in self.cache))
        if todo:
            vectors = self.inner.embed([t for t, _ in todo], [str(lang) for _, lang in todo])
            self.cache.update(zip(todo, vectors, strict=True))
        return np.stack([self.cache[k] for k in keys])


def held_out(name: str, settings: Settings) -> dict[str, list[LabelledLine]]:
    """Each language's lines of a held-out set (``test``: the train files' test events)."""
    corpus = settings.corpus_dir / "stance"
    if name == "test":
        events = SplitManifest.load(corpus / "split.json").test_events
        return {
            lang: [
                x for x in read_labelled(corpus / "train" / f"{lang}.jsonl") if x.event in events
            ]
            for lang in LANGS
        }
    return {lang: read_labelled(corpus / name / f"{lang}.jsonl") for lang in LANGS}


def summary(by_language: dict[str, Any]) -> dict[str, Any]:
    """The figures the curve prints for one language of one set."""
    fpr = by_language["protected_false_positive_rate"]
    worst = max(FLOOR_CELLS, key=lambda c: (fpr[c]["rate"], c))
    return {
        "macro_f1": round(by_language["macro_f1"], 4),
        "recall": round(by_language["recall"], 4),
        "roc_auc": round(by_language["roc_auc"], 4),
        "worst_cell": f"{worst} {fpr[worst]['flagged']}/{fpr[worst]['posts']}",
        "over_floor": any(fpr[c]["rate"] > training.FPR_TARGET for c in FLOOR_CELLS),
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="directory to write each share's model under")
    parser.add_argument("--shares", type=_share, nargs="+", default=[0.25, 0.5, 0.75, 1.0])
    parser.add_argument("--sets", nargs="+", choices=SETS, default=list(SETS))
    parser.add_argument("--salt", default="learning-curve", help="another nesting of scenarios")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared/data/corpora")
    parser.add_argument("--vectors", type=Path, help="cache of the semantic tier's inputs (.npy)")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args(argv)
    if pinning.applies() and not pinning.is_pinned(os.environ):
        # the arithmetic the shipped model was trained with (docs/model-card.md, Model)
        os.execve(
            sys.executable, [sys.executable, *sys.argv], pinning.pinned_environment(os.environ)
        )
    steps = _sibling("sentence_rows")
    started = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {text}", flush=True)

    settings = load_settings(corpus_dir=ROOT / "corpus")
    shipped = artefact.load()
    corpus = load_corpus(ROOT / "corpus" / "stance")
    data = training.TrainingData(examples=training.project_examples(corpus))
    training.third_party_examples(args.corpora, data)
    featuriser = Featuriser(FeatureConfig.from_dict(shipped.meta["features"]))
    rows = steps._rows(featuriser, [e.text for e in data.examples])
    stance = [i for i, e in enumerate(data.examples) if e.violating is not None]
    embedded = steps.stance_vectors(args.vectors, shipped.meta, data, stance, log)
    if embedded is None:
        return 3
    embedder, vectors = embedded
    cached = CachedEmbedder(embedder)
    matcher = GroupMatcher(load_registry(settings.group_registry_dir))
    sets = {name: held_out(name, settings) for name in args.sets}
    figures: dict[str, Any] = {}
    for share in sorted(set(args.shares)):
        ks = [
            k
            for k, i in enumerate(stance)
            if data.examples[i].source != "project"
            or kept(data.examples[i].group, share, args.salt)
        ]
        meta, arrays, oof = fit(
            [data.examples[stance[k]] for k in ks],
            [rows[stance[k]] for k in ks],
            vectors[ks],
            embedder,
            shipped.meta,
            dict(shipped.arrays),
            steps,
        )
        posts = sum(data.examples[stance[k]].source == "project" for k in ks)
        if share == 1.0:
            differs = [
                name
                for name, array in shipped.arrays.items()
                if not np.array_equal(array, arrays[name])
            ] + [
                key
                for key in ("platt", "combination", "threshold", "thresholds", "semantic")
                if meta[key] != shipped.meta[key]
            ]
            if differs:
                log(f"share 1 is not the shipped model ({', '.join(differs)}): stopped")
                return 1
            log("share 1: the shipped model, bit for bit")
        out = args.out / f"share-{share:g}"
        artefact.save(out, meta, arrays)
        model = StanceModel.from_artefact(artefact.load(out))
        classifier = Classifier(
            model,
            LanguageIdentifier(),
            matcher,
            prior=settings.stance_prior,
            threshold=None,
            embedder=cached,
        )
        row: dict[str, Any] = {"project_posts": posts, "out_of_fold": oof, "model": str(out)}
        for name, by_lang in sets.items():
            row[name] = {
                lang: summary(evaluate(classifier, lines)["by_language"][lang])
                for lang, lines in by_lang.items()
            }
        figures[f"{share:g}"] = row
        log(f"share {share:g}: {posts} project posts; out of fold {oof}")
        for name in sets:
            cells = " | ".join(
                f"{lang} {v['macro_f1']:.4f} r{v['recall']:.3f} auc{v['roc_auc']:.3f} "
                f"[{v['worst_cell']}{'!' if v['over_floor'] else ''}]"
                for lang, v in row[name].items()
            )
            mean = np.mean([v["macro_f1"] for v in row[name].values()])
            log(f"  {name}: mean {mean:.4f} | {cells}")
    if args.json is not None:
        args.json.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")
    return 0


def fit(
    examples: Sequence[training.Example],
    rows: Sequence[list[int]],
    vectors: Any,
    embedder: Embedder,
    base_meta: dict[str, Any],
    arrays: dict[str, Any],
    steps: ModuleType,
) -> tuple[dict[str, Any], dict[str, Any], dict[str, float]]:
    """The shipped recipe's violating decision trained on ``examples`` (stance examples in the
    training's order): the model's meta and arrays, and the out-of-fold macro-F1 per language."""
    y = [int(e.violating or 0) for e in examples]
    w = training.balanced(y, [e.weight for e in examples])
    folds = [training._fold_of(e.group) for e in examples]
    heads, _ = steps.plain_heads(rows, y, w, folds)
    head_of: Callable[[int], SparseLinear] = lambda f: heads[f"fold{f}"]  # noqa: E731
    oof = steps._out_of_fold(head_of, rows, folds)
    y_arr = np.array(y, dtype=np.float64)
    platt = fit_platt(oof, y_arr)
    fast_oof = platt.logit(oof)
    semantic = [
        training._semantic_head(vectors[:, a:b], y_arr, np.array(w), folds)
        for a, b in embedder.views
    ]
    semantic_oof = combine_views([s[2] for s in semantic])
    langs = [e.lang for e in examples]
    cats = [training.CATEGORIES[e.category or 0] for e in examples]
    is_project = np.array([e.source == "project" for e in examples])
    combinations, chosen, _, (threshold, thresholds, _) = steps.choices(
        fast_oof, semantic_oof, y, cats, langs, is_project
    )
    meta = copy.deepcopy(base_meta)
    binary = heads["binary"]
    arrays = {
        **arrays,
        "binary_ids": binary.ids.astype(np.int32),
        "binary_weights": binary.weights.astype(np.float32),
        "binary_bias": binary.bias.astype(np.float32),
    }
    meta["platt"] = [platt.a, platt.b]
    meta["combination"] = {k: v.to_dict() for k, v in sorted(combinations.items())}
    meta["threshold"], meta["thresholds"] = threshold, thresholds
    described = meta["semantic"].get("views", [meta["semantic"]])
    for prefix, (mlp, calibration, _), view in zip(
        semantic_prefixes(len(semantic)), semantic, described, strict=True
    ):
        arrays |= steps._mlp_arrays(prefix, mlp)
        view["b2"], view["platt"] = round(mlp.b2, 8), [calibration.a, calibration.b]
    for key in ("format", "arrays_sha256"):
        meta.pop(key, None)
    return meta, arrays, {k: v["macro_f1"] for k, v in chosen.items()}


if __name__ == "__main__":
    sys.exit(_sibling("sentence_rows").run(main, Path(__file__).name))
