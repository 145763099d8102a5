"""``nigehban train``: rebuild the stance model from the project corpus and third-party data.

What trains what (the model card lists the same, with each file's SHA-256):

* the **project corpus**, train split only (``corpus/stance``, split by event): the binary,
  category and ``threat_any`` heads;
* **RUHSOLD** (Roman Urdu) and **Urdu abusive comments** and **Stormfront** sentences: abusive,
  hateful or ordinary posts that are not terrorist content, as protected ``other`` (a capped,
  evenly spaced sample of each, weighted down so they do not outweigh the corpus);
* the **Urdu threatening tweets**: the ``threat_any`` head only (interpersonal threats are not
  terrorist stance).

Of each protected source only every other row may train (:func:`training_half`); the other
half measures false positives (``nigehban eval-corpora``). The pro-ISIS-account tweets and
the Kaggle extremism set never train: they are reported only.

Training is deterministic (fixed order, full-batch optimisers from zero, no random numbers).
Calibration uses out-of-fold scores with folds by scenario, so no template family is both in
a fold's training part and its scored part. Without the third-party corpora the command names
what is missing and fails with exit code 3, unless ``--project-only`` is given.
"""

from __future__ import annotations

import itertools
import zlib
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from nigehban.errors import DependencyError
from nigehban.model.taxonomy import Category
from nigehban.stance import artefact
from nigehban.stance.augment import SHARE, Augmented, augment, read_event_groups
from nigehban.stance.calibration import Platt, fit_platt, sigmoid
from nigehban.stance.corpus import Corpus, load_corpus, sha256
from nigehban.stance.features import FeatureConfig, Featuriser, flatten
from nigehban.stance.linear import SparseLinear, TrainConfig, binary_logit, fit, kept_ids
from nigehban.stance.mlp import Mlp, MlpConfig, fit_mlp
from nigehban.stance.model import Combination, Embedder, combine_views, semantic_prefixes
from nigehban.stance.thirdparty import (
    ThirdPartyText,
    available_sources,
    read_source,
    source_checksums,
)

CATEGORIES = tuple(c.value for c in Category)
FOLDS = 5
ROUTE = (0.1, 0.9)
"""The default routing band (a language without its own combination)."""
BANDS = ((0.1, 0.9), (0.05, 0.95), (0.02, 0.98), (0.01, 0.99))
WEIGHTS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
ROUTED_CAP = 0.40
"""The most texts, on average over the languages, the chosen combinations may route to the
semantic tier on out-of-fold scores: the semantic tier is the slow part, and the full
pipeline must keep 80 posts/s (bench/classify.py)."""
FAST = TrainConfig(steps=300, learning_rate=0.1, l2=1e-4)
MLP = MlpConfig()
FPR_TARGET = 0.03
PROTECTED_FLOOR = ("news", "counter_speech", "dissent")
PROTECTED_SOURCES = {"ruhsold": 1500, "urdu_abusive": 1500, "stormfront": 1000}
"""Third-party sources used as protected ``other``, and how many rows of each."""
THREAT_SOURCES = {"urdu_threat": 4000}
THIRD_PARTY_WEIGHT = 0.5
MODEL_VERSION = "2"
HEAD_THREADS = 2
"""Threads fitting the fast tier's heads (the result does not depend on it)."""

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class Options:
    corpus_dir: Path
    corpora_dir: Path | None
    out_dir: Path
    quick: bool = False
    project_only: bool = False
    embedder: Embedder | None = None
    group_tags: bool = False
    """Tag one post in :data:`~nigehban.stance.augment.SHARE` of each group's events with the
    group's hashtag (:mod:`nigehban.stance.augment`). Measured and not shipped: see the
    model card's Limitations."""
    quote_view: bool = True
    """The fast tier reads a quoting post's frame and quoted words apart
    (:attr:`~nigehban.stance.features.FeatureConfig.quote_view`; the shipped recipe since
    model J; off trains model H's fast tier)."""


@dataclass
class Example:
    text: str
    lang: str
    violating: int | None
    category: int | None
    threat: int | None
    weight: float
    group: str
    source: str


@dataclass
class TrainingData:
    examples: list[Example] = field(default_factory=list)
    sources: dict[str, str] = field(default_factory=dict)
    rows: dict[str, int] = field(default_factory=dict)


def _even_sample(items: Sequence[Any], limit: int) -> list[Any]:
    """At most ``limit`` items, evenly spaced (deterministic, no randomness)."""
    if len(items) <= limit:
        return list(items)
    step = len(items) / limit
    return [items[int(i * step)] for i in range(limit)]


def project_examples(corpus: Corpus, texts: Sequence[str] | None = None) -> list[Example]:
    """The train split's posts as examples; ``texts`` (one per post) replaces their text, as
    :func:`~nigehban.stance.augment.augment` rewrites some."""
    written = [post.text for post in corpus.train] if texts is None else list(texts)
    return [
        Example(
            text=text,
            lang=post.lang,
            violating=1 if post.violating else 0,
            category=CATEGORIES.index(post.category),
            threat=post.threat_any,
            weight=1.0,
            group=post.scenario,
            source="project",
        )
        for post, text in zip(corpus.train, written, strict=True)
    ]


def third_party_examples(root: Path, data: TrainingData) -> None:
    wanted = [*PROTECTED_SOURCES, *THREAT_SOURCES]
    present = available_sources(root)
    missing = [name for name in wanted if not present.get(name)]
    if missing:
        raise DependencyError(
            f"third-party corpora missing under {root}: {', '.join(missing)} "
            "(set corpora_dir, or train with --project-only)"
        )
    data.sources.update(source_checksums(root, wanted))
    other = CATEGORIES.index(Category.OTHER.value)
    for name, limit in PROTECTED_SOURCES.items():
        rows = _even_sample(training_half(read_source(name, root)), limit)
        data.rows[name] = len(rows)
        for row in rows:
            data.examples.append(
                Example(
                    row.text, row.lang, 0, other, row.threat_any, THIRD_PARTY_WEIGHT, row.id, name
                )
            )
    for name, limit in THREAT_SOURCES.items():
        rows = _even_sample([r for r in read_source(name, root) if r.threat_any is not None], limit)
        data.rows[name] = len(rows)
        for row in rows:
            data.examples.append(
                Example(row.text, row.lang, None, None, row.threat_any, 1.0, row.id, name)
            )


def training_half(rows: Sequence[ThirdPartyText]) -> list[ThirdPartyText]:
    """The protected rows of a third-party source that may train: every other one. The rest
    are held out for ``nigehban eval-corpora``."""
    return [r for r in rows[::2] if r.label == "protected"]


def held_out_half(rows: Sequence[ThirdPartyText]) -> list[ThirdPartyText]:
    return list(rows[1::2])


def _fold_of(group: str) -> int:
    return zlib.crc32(group.encode()) % FOLDS


def _fit_head(
    rows: list[list[int]],
    targets: list[int],
    weights: list[float],
    classes: int,
    config: TrainConfig,
) -> SparseLinear:
    flat, starts = flatten(rows)
    return fit(
        flat,
        starts,
        np.array(targets, dtype=np.int64),
        classes,
        config,
        np.array(weights, dtype=np.float64),
        ids=kept_ids(flat, config.min_count),
    )


def balanced(targets: Sequence[int], weights: Sequence[float]) -> list[float]:
    """Weights that give each class the same total, keeping the relative example weights."""
    totals: dict[int, float] = {}
    for t, w in zip(targets, weights, strict=True):
        totals[t] = totals.get(t, 0.0) + w
    share = sum(totals.values()) / len(totals)
    return [w * share / totals[t] for t, w in zip(targets, weights, strict=True)]


@dataclass(frozen=True)
class FastTier:
    """The fast tier as training fits it, with what the rest of the training reads: the
    corpus and the rows, the stance texts' targets, weights and folds, every head, and the
    binary heads' out-of-fold logits with their calibration."""

    corpus: Corpus
    augmented: Augmented | None
    data: TrainingData
    config: FeatureConfig
    steps: TrainConfig
    stance: list[int]
    y_bin: list[int]
    w_bin: list[float]
    folds: list[int]
    heads: dict[str, SparseLinear]
    oof: FloatArray
    platt: Platt

    def arrays(self) -> dict[str, npt.NDArray[Any]]:
        """The shipped arrays of the binary, category and threat heads."""
        arrays: dict[str, npt.NDArray[Any]] = {}
        for name in ("binary", "category", "threat"):
            head = self.heads[name]
            arrays[f"{name}_ids"] = head.ids.astype(np.int32)
            arrays[f"{name}_weights"] = head.weights.astype(np.float32)
            arrays[f"{name}_bias"] = head.bias.astype(np.float32)
        return arrays


def fit_fast_tier(options: Options, log: Callable[[str], None] = lambda _: None) -> FastTier:
    """Read the corpus (and the third-party corpora), featurise every text and fit the fast
    tier's heads: five out-of-fold binary heads that calibrate the binary one, the category
    head and the ``threat_any`` head."""
    corpus = load_corpus(options.corpus_dir)
    augmented = None
    if options.group_tags:
        events = options.corpus_dir / "events.jsonl"
        augmented = augment(corpus.train, read_event_groups(events))
        log(f"group tags added to {augmented.tagged} of {len(corpus.train)} training posts")
    data = TrainingData(
        examples=project_examples(corpus, augmented.texts if augmented is not None else None)
    )
    data.sources.update({f"corpus/stance/{k}": v for k, v in corpus.files.items()})
    if options.group_tags:
        data.sources["corpus/stance/events.jsonl"] = sha256(options.corpus_dir / "events.jsonl")
    data.rows["project"] = len(data.examples)
    if not options.project_only:
        if options.corpora_dir is None:
            raise DependencyError(
                "no third-party corpora directory (set corpora_dir, or --project-only)"
            )
        third_party_examples(options.corpora_dir, data)
    config = FeatureConfig(quote_view=options.quote_view)
    steps = TrainConfig(steps=60, learning_rate=0.3) if options.quick else FAST
    log(f"featurising {len(data.examples)} texts")
    flat, starts = Featuriser(config).batch([e.text for e in data.examples])
    ends = np.append(starts[1:], len(flat))
    rows = [flat[s:e].tolist() for s, e in zip(starts, ends, strict=True)]

    stance = [i for i, e in enumerate(data.examples) if e.violating is not None]
    y_bin = [int(data.examples[i].violating or 0) for i in stance]
    w_bin = balanced(y_bin, [data.examples[i].weight for i in stance])
    folds = [_fold_of(data.examples[i].group) for i in stance]
    labelled = [i for i, e in enumerate(data.examples) if e.category is not None]
    y_cat = [int(data.examples[i].category or 0) for i in labelled]
    threats = [i for i, e in enumerate(data.examples) if e.threat is not None]
    y_thr = [int(data.examples[i].threat or 0) for i in threats]
    jobs: dict[str, tuple[list[list[int]], list[int], list[float], int]] = {}
    for fold in range(FOLDS):
        inside = [k for k, f in enumerate(folds) if f != fold]
        jobs[f"fold{fold}"] = (
            [rows[stance[k]] for k in inside],
            [y_bin[k] for k in inside],
            [w_bin[k] for k in inside],
            2,
        )
    jobs["binary"] = ([rows[i] for i in stance], y_bin, w_bin, 2)
    jobs["category"] = (
        [rows[i] for i in labelled],
        y_cat,
        balanced(y_cat, [data.examples[i].weight for i in labelled]),
        len(CATEGORIES),
    )
    jobs["threat"] = (
        [rows[i] for i in threats],
        y_thr,
        balanced(y_thr, [data.examples[i].weight for i in threats]),
        2,
    )
    log(f"fast tier: {len(jobs)} heads ({FOLDS} out-of-fold binary heads for calibration)")
    # Each head is fitted on its own (no shared state, the same result in any thread): the
    # sparse products release the interpreter lock, so two threads take half the time. The
    # category head (twelve columns) is the longest and starts first.
    order = sorted(jobs, key=lambda name: -jobs[name][3])
    with ThreadPoolExecutor(max_workers=HEAD_THREADS) as pool:
        futures = {name: pool.submit(_fit_head, *jobs[name], steps) for name in order}
        heads = {name: future.result() for name, future in futures.items()}
    oof = np.zeros(len(stance), dtype=np.float64)
    for fold in range(FOLDS):
        outside = [k for k, f in enumerate(folds) if f == fold]
        f_flat, f_starts = flatten([rows[stance[k]] for k in outside])
        oof[outside] = binary_logit(heads[f"fold{fold}"].scores(f_flat, f_starts))
    y_arr = np.array(y_bin, dtype=np.float64)
    return FastTier(
        corpus=corpus,
        augmented=augmented,
        data=data,
        config=config,
        steps=steps,
        stance=stance,
        y_bin=y_bin,
        w_bin=w_bin,
        folds=folds,
        heads=heads,
        oof=oof,
        platt=fit_platt(oof, y_arr),
    )


def train_model(options: Options, log: Callable[[str], None] = lambda _: None) -> dict[str, Any]:
    fast = fit_fast_tier(options, log)
    corpus, data, config, steps = fast.corpus, fast.data, fast.config, fast.steps
    stance, y_bin, w_bin, folds = fast.stance, fast.y_bin, fast.w_bin, fast.folds
    oof, platt, augmented = fast.oof, fast.platt, fast.augmented
    y_arr = np.array(y_bin, dtype=np.float64)
    # the balanced weights make the training prior one half
    training_prior = 0.5
    arrays = fast.arrays()
    meta: dict[str, Any] = {
        "version": MODEL_VERSION,
        "features": config.to_dict(),
        "categories": list(CATEGORIES),
        "platt": [platt.a, platt.b],
        "training_prior": training_prior,
        "route": list(ROUTE),
        "quick": options.quick,
        "training": {
            "steps": steps.steps,
            "learning_rate": steps.learning_rate,
            "l2": steps.l2,
            "min_count": steps.min_count,
            "folds": FOLDS,
            "rows": data.rows,
            "sources": data.sources,
            "split_manifest_sha256": corpus.manifest.digest,
            "oof_calibration_logloss": _logloss(platt, oof, y_arr),
        },
    }
    if augmented is not None:
        meta["training"]["group_tags"] = {
            "rule": (
                f"one post in {SHARE} of each event about a group, by a hash of its id, "
                "tagged with a hashtag of that group in its script (nigehban.stance.augment)"
            ),
            "tagged": augmented.by_label,
        }
    combined_oof = platt.logit(oof)
    routed = np.zeros(len(oof), dtype=bool)
    if options.embedder is not None and not options.quick:
        log(f"semantic tier: embedding {len(stance)} texts with {options.embedder.name}")
        vectors = options.embedder.embed(
            [data.examples[i].text for i in stance], [data.examples[i].lang for i in stance]
        )
        views = options.embedder.views
        log("semantic tier: head" if len(views) == 1 else f"semantic tier: {len(views)} heads")
        fitted = [
            _semantic_head(vectors[:, start:stop], y_arr, np.array(w_bin), folds)
            for start, stop in views
        ]
        semantic_oof = combine_views([f[2] for f in fitted])
        fast_oof = platt.logit(oof)
        langs = [data.examples[i].lang for i in stance]
        is_project = np.array([data.examples[i].source == "project" for i in stance])
        cats = [CATEGORIES[data.examples[i].category or 0] for i in stance]
        combinations, combination_figures = choose_combinations(
            fast_oof, semantic_oof, y_bin, cats, langs, is_project
        )
        combined_oof, routed = apply_combinations(fast_oof, semantic_oof, langs, combinations)
        meta["combination"] = {k: v.to_dict() for k, v in sorted(combinations.items())}
        meta["training"]["combination_choice"] = {
            "rule": (
                "per language, the routing band and semantic weight (grid: bands "
                f"{[list(b) for b in BANDS]}, weights {list(WEIGHTS)}) whose out-of-fold "
                "scores, chosen together, give the best mean macro-F1 under the same "
                "false-positive rule as the threshold while routing at most "
                f"{ROUTED_CAP} of texts on average over the languages"
            ),
            "out_of_fold": combination_figures,
        }
        heads_meta: list[dict[str, Any]] = []
        for prefix, (start, stop), (mlp, semantic_platt, _) in zip(
            semantic_prefixes(len(views)), views, fitted, strict=True
        ):
            arrays |= {
                f"{prefix}mean": mlp.mean.astype(np.float32),
                f"{prefix}scale": mlp.scale.astype(np.float32),
                f"{prefix}w1": mlp.w1.astype(np.float32),
                f"{prefix}b1": mlp.b1.astype(np.float32),
                f"{prefix}w2": mlp.w2.astype(np.float32),
            }
            heads_meta.append(
                {
                    "columns": [start, stop],
                    "b2": round(mlp.b2, 8),
                    "platt": [semantic_platt.a, semantic_platt.b],
                }
            )
        # one view: the layout of the models before there were two
        described = {k: v for k, v in heads_meta[0].items() if k != "columns"}
        meta["semantic"] = {
            "embedder": options.embedder.name,
            **(described if len(views) == 1 else {"views": heads_meta}),
            "hidden": MLP.hidden,
            "epochs": MLP.epochs,
            "learning_rate": MLP.learning_rate,
            "weight_decay": MLP.weight_decay,
            "seed": MLP.seed,
        }
    project = [k for k, i in enumerate(stance) if data.examples[i].source == "project"]
    p_langs = [data.examples[stance[k]].lang for k in project]
    p_y = [y_bin[k] for k in project]
    p_cats = [CATEGORIES[data.examples[stance[k]].category or 0] for k in project]
    threshold, thresholds, choice = choose_thresholds(combined_oof[project], p_y, p_cats, p_langs)
    meta["threshold"] = threshold
    meta["thresholds"] = thresholds
    meta["training"]["threshold_choice"] = {
        "rule": (
            "per language, the best macro-F1 with the false-positive rate on each of news, "
            f"counter_speech and dissent at most {FPR_TARGET}, on out-of-fold scores"
        ),
        "out_of_fold": {**choice, "routed_share": round(float(routed.mean()), 4)},
    }
    artefact.save(options.out_dir, meta, arrays)
    return {
        "out": str(options.out_dir),
        "checksum": artefact.checksum(options.out_dir),
        "rows": data.rows,
        "semantic": "semantic" in meta,
    }


def _logloss(platt: Platt, z: FloatArray, y: FloatArray) -> float:
    p = np.clip(sigmoid(platt.logit(z)), 1e-9, 1 - 1e-9)
    return round(float(-(y * np.log(p) + (1 - y) * np.log(1 - p)).mean()), 6)


def _semantic_head(
    vectors: npt.NDArray[np.float32], y: FloatArray, w: FloatArray, folds: list[int]
) -> tuple[Mlp, Platt, FloatArray]:
    """The head on all data, its calibration, and its calibrated out-of-fold logits."""
    x = vectors.astype(np.float64)
    fold_arr = np.array(folds)
    oof = np.zeros(len(y))
    for fold in range(FOLDS):
        inside, outside = fold_arr != fold, fold_arr == fold
        oof[outside] = fit_mlp(x[inside], y[inside], w[inside], MLP).logit(x[outside])
    platt = fit_platt(oof, y)
    return fit_mlp(x, y, w, MLP), platt, platt.logit(oof)


def choose_combinations(
    fast: FloatArray,
    semantic: FloatArray,
    y: Sequence[int],
    categories: Sequence[str],
    langs: Sequence[str],
    is_project: npt.NDArray[np.bool_],
) -> tuple[dict[str, Combination], dict[str, Any]]:
    """Per language of the project corpus, a :class:`Combination` (band × weight from
    ``BANDS`` × ``WEIGHTS``) for its out-of-fold logits. Each candidate is scored by the
    macro-F1 at the threshold :func:`choose_threshold` would pick (0 when no threshold meets
    its false-positive rule). The languages' candidates are chosen together: the best mean
    macro-F1 over languages whose mean routed share (languages weighted equally) is at most
    ``ROUTED_CAP``; ties go to the smaller share, then to the smaller weights."""
    truth = np.array(y)
    lang_arr = np.array(langs)
    cats = np.array(categories)
    languages = sorted({x for x, p in zip(langs, is_project, strict=True) if p})
    candidates: dict[str, list[tuple[float, float, Combination, float]]] = {}
    for lang in languages:
        mask = is_project & (lang_arr == lang)
        f, s = fast[mask], semantic[mask]
        candidates[lang] = []
        for band in BANDS:
            for weight in WEIGHTS:
                combination = Combination(band, weight)
                routed = combination.routed(f)
                logits = combination.mix(f, s)
                t, fig = choose_threshold(
                    logits, truth[mask].tolist(), cats[mask].tolist(), [lang] * int(mask.sum())
                )
                worst = max(fig["fpr"].values()) if fig["fpr"] else 0.0
                f1 = round(float(fig["mean_macro_f1"]), 6) if worst <= FPR_TARGET else 0.0
                candidates[lang].append((f1, round(float(routed.mean()), 6), combination, t))
    best: tuple[tuple[float, float, float], tuple[Any, ...]] | None = None
    for chosen_set in itertools.product(*(candidates[lang] for lang in languages)):
        share = sum(c[1] for c in chosen_set) / len(chosen_set)
        if share > ROUTED_CAP:
            continue
        key = (
            sum(c[0] for c in chosen_set) / len(chosen_set),
            -share,
            -sum(c[2].semantic_weight for c in chosen_set),
        )
        if best is None or key > best[0]:
            best = (key, chosen_set)
    if best is None:  # nothing fits under the cap: route as little as possible
        chosen_set = tuple(min(candidates[lang], key=lambda c: (c[1], -c[0])) for lang in languages)
        best = ((0.0, 0.0, 0.0), chosen_set)
    chosen: dict[str, Combination] = {}
    figures: dict[str, Any] = {}
    for lang, (f1, share, combination, t) in zip(languages, best[1], strict=True):
        chosen[lang] = combination
        figures[lang] = {
            **combination.to_dict(),
            "threshold": t,
            "macro_f1": round(f1, 4),
            "best_macro_f1": round(max(c[0] for c in candidates[lang]), 4),
            "routed_share": round(share, 4),
        }
    return chosen, figures


def apply_combinations(
    fast: FloatArray,
    semantic: FloatArray,
    langs: Sequence[str],
    combinations: dict[str, Combination],
) -> tuple[FloatArray, npt.NDArray[np.bool_]]:
    """The combined logits (each language's :class:`Combination` on its texts; the fast logit
    elsewhere) and which texts the combinations routed to the semantic tier."""
    combined = fast.copy()
    routed = np.zeros(len(fast), dtype=bool)
    for lang, combination in combinations.items():
        mask = np.array([x == lang for x in langs], dtype=bool)
        routed[mask] = combination.routed(fast[mask])
        combined[mask] = combination.mix(fast[mask], semantic[mask])
    return combined, routed


def choose_thresholds(
    logits: FloatArray, y: Sequence[int], categories: Sequence[str], langs: Sequence[str]
) -> tuple[float, dict[str, float], dict[str, Any]]:
    """The threshold over all languages and one per language (:func:`choose_threshold`), with
    the out-of-fold figures ``model.json`` records for them."""
    threshold, overall = choose_threshold(logits, y, categories, langs)
    thresholds: dict[str, float] = {}
    per_language: dict[str, Any] = {}
    for lang in sorted(set(langs)):
        mine = [j for j, x in enumerate(langs) if x == lang]
        t, figures = choose_threshold(
            logits[mine], [y[j] for j in mine], [categories[j] for j in mine], [lang] * len(mine)
        )
        thresholds[lang] = t
        per_language[lang] = {
            "threshold": t,
            "macro_f1": round(figures["mean_macro_f1"], 4),
            "fpr": {k: round(v, 4) for k, v in figures["fpr"].items()},
        }
    choice = {
        "all_languages": {
            "threshold": threshold,
            "mean_macro_f1": round(overall["mean_macro_f1"], 4),
            "fpr": {k: round(v, 4) for k, v in overall["fpr"].items()},
        },
        "per_language": per_language,
    }
    return threshold, thresholds, choice


def choose_threshold(
    logits: FloatArray, y: Sequence[int], categories: Sequence[str], langs: Sequence[str]
) -> tuple[float, dict[str, Any]]:
    """The decision threshold, from out-of-fold scores of the project corpus: the one with the
    best mean macro-F1 over languages among those that keep the false-positive rate on news,
    counter_speech and dissent (each, all languages together) at most ``FPR_TARGET``; when
    none does, the one with the lowest such rate."""
    p = sigmoid(logits)
    truth = np.array(y)
    cats = np.array(categories)
    lang_arr = np.array(langs)
    best: tuple[tuple[float, float], float, dict[str, Any]] = ((-2.0, 0.0), 0.5, {})
    for step in range(30, 96):
        t = step / 100
        flagged = p >= t
        fprs = {c: float(flagged[cats == c].mean()) for c in PROTECTED_FLOOR if (cats == c).any()}
        f1s = []
        for lang in sorted(set(langs)):
            mask = lang_arr == lang
            f1s.append(_macro_f1(truth[mask], flagged[mask]))
        worst = max(fprs.values()) if fprs else 0.0
        key = (0.0 if worst <= FPR_TARGET else -worst, float(np.mean(f1s)))
        if key > best[0]:
            best = (key, t, {"fpr": fprs, "mean_macro_f1": float(np.mean(f1s))})
    return best[1], best[2]


def _macro_f1(truth: npt.NDArray[Any], flagged: npt.NDArray[np.bool_]) -> float:
    tp = int((flagged & (truth == 1)).sum())
    fp = int((flagged & (truth == 0)).sum())
    fn = int((~flagged & (truth == 1)).sum())
    tn = len(truth) - tp - fp - fn
    f_v = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    f_p = 2 * tn / (2 * tn + fn + fp) if tn else 0.0
    return (f_v + f_p) / 2
