"""Model M: the shipped model with its fast tier also trained on the posts' sentences.

An experiment, not the shipped recipe (``docs/model-card.md``, Limitations, "M"). Independent
readers label the test split as the corpus does, and most of the classifier's errors are clear
violating posts it scores too low, many of them a grievance or a report that ends in a violating
line (annotation rule 11). Scoring each sentence apart raised false positives (a sentence of
counter-speech in the words of praise reads as praise); this trains on sentences instead, and
still scores the post whole:

* each post's frame (quotations elided, :mod:`nigehban.stance.quotes`) is cut into sentences
  (at ``. ! ? ؟ ۔``, new lines and spaced dashes or bars), keeping posts with two or more
  sentences of three words or more;
* the fast tier's binary head, and each of the five out-of-fold heads that calibrate it, is
  fitted on its posts plus, at half the post's weight, every sentence of each protected post
  as protected and, for each violating post, the one sentence that the plain head of the same
  fold scores highest, as violating (one round of multiple-instance learning: a violating post
  has at least one violating sentence, a protected post has none);
* everything else is the shipped model's: its features, category and threat heads and
  semantic head (the semantic tier's out-of-fold scores are computed again, as training does);
  the bands, weights and thresholds are chosen by the training's rules on the new out-of-fold
  scores.

``--semantic-sentences`` also trains the semantic tier's head the same way (its own plain
head of the same fold picks each violating post's top sentence; sentences embedded as posts
are), prints the out-of-fold macro-F1 of the four models (plain or sentence-trained fast tier
× plain or sentence-trained semantic head) and writes the model with both. Measured on
2026-12-01 and not kept: the semantic head trained on sentences lowers out-of-fold macro-F1
(J 0.9011 → 0.8979, M 0.9070 → 0.9033; ``docs/model-card.md``, Limitations, "M").

It reads the corpus, the third-party corpora (``--corpora``, default ``../shared/data/corpora``)
and the shipped model, embeds its training texts (31,189 for JB: 18 minutes on 2 CPUs with the
semantic heads; cache them with ``--vectors FILE.npy``) and writes the model to OUT, to be scored
with ``NIGEHBAN_STANCE_MODEL_DIR=OUT nigehban eval …``. The first step checks that the plain
heads it fits give the shipped binary head back bit for bit.

    .venv/bin/python bench/sentence_rows.py OUT [--base MODEL_DIR] [--corpora DIR]
        [--vectors FILE.npy] [--semantic-sentences [--sentence-vectors FILE.npy]]

``--base`` follows another model's recipe instead of the shipped one's (its fast tier must be
the shipped recipe's, which the first step checks): model MV, V's two-view semantic tier with
M's fast tier, scored 0.916 out of fold on 2026-12-02 against V's 0.9122 and was stopped by its
rule (``docs/model-card.md``, Limitations, "MV"). Run on the shipped JB's larger corpus
(2026-12-03, model MB), the sentence rows scored 0.9154 out of fold against JB's 0.9150 and
were stopped by the same kind of rule ("MB").
"""

from __future__ import annotations

import argparse
import copy
import os
import re
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import numpy as np

from nigehban.cli.exit_codes import exit_code_for
from nigehban.errors import InputError, NigehbanError
from nigehban.stance import artefact, pinning, quotes, training
from nigehban.stance.calibration import fit_platt
from nigehban.stance.corpus import load_corpus
from nigehban.stance.features import FeatureConfig, Featuriser, flatten
from nigehban.stance.linear import SparseLinear, binary_logit
from nigehban.stance.mlp import Mlp, fit_mlp
from nigehban.stance.model import Embedder, combine_views, semantic_prefixes
from nigehban.stance.semantic import load_embedder

ROOT = Path(__file__).resolve().parent.parent
SENTENCE_END = re.compile(r"(?<=[.!?؟۔])\s+|\n+|\s+[—|]\s+")
WORD = re.compile(r"\w+")
MIN_WORDS = 3
SENTENCE_WEIGHT = 0.5


def sentences(text: str) -> list[str]:
    """The sentences of ``text``'s frame with at least :data:`MIN_WORDS` words, where there are
    two or more of them; otherwise none (the post is its own only sentence)."""
    parts = [s.strip() for s in SENTENCE_END.split(quotes.frame(text)) if s and s.strip()]
    kept = [s for s in parts if len(WORD.findall(s)) >= MIN_WORDS]
    return kept if len(kept) >= 2 else []


def _rows(featuriser: Featuriser, texts: Sequence[str]) -> list[list[int]]:
    flat, starts = featuriser.batch(list(texts))
    ends = np.append(starts[1:], len(flat))
    return [flat[s:e].tolist() for s, e in zip(starts, ends, strict=True)]


def _logits(head: SparseLinear, rows: Sequence[list[int]]) -> Any:
    flat, starts = flatten(list(rows))
    return binary_logit(head.scores(flat, starts))


def top_sentences(
    posts: Sequence[int],
    y: Sequence[int] | Any,
    of_post: dict[int, list[int]],
    scores: Callable[[list[int]], Any],
) -> list[int]:
    """The sentence rows a head is also fitted on (multiple-instance learning, one round):
    every sentence of the protected ``posts``, then, for each violating one, the sentence
    ``scores`` rates highest; each in post order. Posts without sentences give none."""
    ks = [k for k in posts if k in of_post]
    chosen = [j for k in ks if y[k] == 0 for j in of_post[k]]
    for k in ks:
        if y[k] == 1:
            chosen.append(of_post[k][int(np.argmax(scores(of_post[k])))])
    return chosen


def plain_heads(
    rows: Sequence[list[int]], y: Sequence[int], w: Sequence[float], folds: Sequence[int]
) -> tuple[dict[str, SparseLinear], dict[str, list[int]]]:
    """The fast tier's binary head and its out-of-fold heads as ``nigehban train`` fits them
    (``fold0``..``fold4``, then ``binary``), and the rows each was fitted on."""
    names = [f"fold{f}" for f in range(training.FOLDS)] + ["binary"]
    inside = {f"fold{f}": [k for k, g in enumerate(folds) if g != f] for f in range(training.FOLDS)}
    inside["binary"] = list(range(len(rows)))

    def fit(name: str) -> SparseLinear:
        ks = inside[name]
        return training._fit_head(
            [rows[k] for k in ks], [y[k] for k in ks], [w[k] for k in ks], 2, training.FAST
        )

    with ThreadPoolExecutor(training.HEAD_THREADS) as pool:
        return dict(zip(names, pool.map(fit, names), strict=True)), inside


def _out_of_fold(
    head_of: Callable[[int], SparseLinear], rows: Sequence[list[int]], folds: Any
) -> Any:
    """Each row's logit by the head of the fold that left it out."""
    out = np.zeros(len(rows))
    for f in range(training.FOLDS):
        outside = [k for k, g in enumerate(folds) if g == f]
        out[outside] = _logits(head_of(f), [rows[k] for k in outside])
    return out


def _figures(figures: dict[str, Any]) -> str:
    return ", ".join(f"{k} {v['macro_f1']}" for k, v in figures.items())


def _cached(
    path: Path | None,
    compute: Any,
    log: Any,
    doing: str,
    shape: tuple[int, ...] | None = None,
) -> Any:
    """The array cached at ``path``, or ``compute()`` (saved there when a path is given). A
    cache of another ``shape`` (other texts, another embedder) is refused, naming the file."""
    if path is not None and path.is_file():
        try:
            array = np.load(path, allow_pickle=False)
        except (OSError, ValueError) as exc:
            raise InputError(str(path), f"not a .npy array: {str(exc)[:120]}") from None
        if shape is not None and array.shape != shape:
            raise InputError(
                str(path),
                f"holds an array of shape {array.shape}, not {shape}: "
                "a cache of other texts or of another embedder",
            )
        return array
    log(doing)
    array = compute()
    if path is not None:
        np.save(path, array)
    return array


def stance_vectors(
    path: Path | None,
    meta: dict[str, Any],
    data: training.TrainingData,
    stance: Sequence[int],
    log: Callable[[str], None],
) -> tuple[Embedder, Any] | None:
    """The embedder of the model ``meta`` describes and the semantic inputs of the ``stance``
    texts of ``data``, cached at ``path`` (:func:`_cached`); ``None``, said in the log, where
    that embedder cannot be loaded here."""
    embedder = load_embedder(meta["semantic"]["embedder"])
    if embedder is None:
        log("the shipped model's embedder cannot be loaded here")
        return None
    vectors = _cached(
        path,
        lambda: embedder.embed(
            [data.examples[i].text for i in stance], [data.examples[i].lang for i in stance]
        ),
        log,
        f"embedding {len(stance)} texts with {embedder.name}",
        (len(stance), embedder.views[-1][1]),
    )
    return embedder, vectors


def choices(
    fast_oof: Any,
    semantic_oof: Any,
    y: Sequence[int],
    cats: Sequence[str],
    langs: Sequence[str],
    is_project: Any,
) -> tuple[dict[str, Any], dict[str, Any], Any, tuple[float, dict[str, float], dict[str, Any]]]:
    """The training's choices on out-of-fold logits, as ``nigehban train`` makes them: each
    language's band and weight (with their figures), which texts they route, and the
    thresholds chosen on the project's combined logits (:func:`training.choose_thresholds`)."""
    combinations, figures = training.choose_combinations(
        fast_oof, semantic_oof, y, cats, langs, is_project
    )
    combined, routed = training.apply_combinations(fast_oof, semantic_oof, langs, combinations)
    project = [k for k in range(len(y)) if is_project[k]]
    thresholds = training.choose_thresholds(
        combined[project],
        [y[k] for k in project],
        [cats[k] for k in project],
        [langs[k] for k in project],
    )
    return combinations, figures, routed, thresholds


def run(main: Callable[[], int], name: str) -> int:
    """``main()``'s exit code; a project error is one line on standard error and the CLI's
    exit code for it (``nigehban.cli.exit_codes``), not a traceback."""
    try:
        return main()
    except NigehbanError as exc:
        print(f"{name}: {exc}", file=sys.stderr)
        return int(exit_code_for(exc))


def _mlp_arrays(prefix: str, mlp: Mlp) -> dict[str, Any]:
    return {
        f"{prefix}mean": mlp.mean.astype(np.float32),
        f"{prefix}scale": mlp.scale.astype(np.float32),
        f"{prefix}w1": mlp.w1.astype(np.float32),
        f"{prefix}b1": mlp.b1.astype(np.float32),
        f"{prefix}w2": mlp.w2.astype(np.float32),
    }


class _SentenceHeads:
    """The semantic tier's head, plain and also fitted on sentences (the fast tier's rule:
    every sentence of a protected post as protected, the top sentence of a violating post by
    the plain head fitted on the same rows as violating, at :data:`SENTENCE_WEIGHT`)."""

    def __init__(
        self,
        y: Any,
        w: Any,
        folds: Sequence[int],
        owner: Sequence[int],
        of_post: dict[int, list[int]],
    ) -> None:
        self.y, self.w, self.folds = y, w, np.array(folds)
        self.owner, self.of_post = np.array(owner), of_post

    def _pair(self, x: Any, xs: Any, inside: Any) -> tuple[Mlp, Mlp]:
        plain = fit_mlp(x[inside], self.y[inside], self.w[inside], training.MLP)
        scores = plain.logit(xs)
        posts = [k for k in range(len(self.y)) if inside[k]]
        rows = np.array(sorted(top_sentences(posts, self.y, self.of_post, lambda js: scores[js])))
        owners = self.owner[rows]
        with_sentences = fit_mlp(
            np.vstack([x[inside], xs[rows]]),
            np.concatenate([self.y[inside], self.y[owners]]),
            np.concatenate([self.w[inside], SENTENCE_WEIGHT * self.w[owners]]),
            training.MLP,
        )
        return plain, with_sentences

    def fit(
        self, vectors: Any, sentence_vectors: Any, views: Sequence[tuple[int, int]], log: Any
    ) -> tuple[Any, Any, list[tuple[Mlp, Any]]]:
        """Calibrated out-of-fold logits (plain, with sentences; views combined) and each
        view's final head fitted with sentences and its calibration."""
        plain_views, sentence_views, finals = [], [], []
        for a, b in views:
            x, xs = vectors[:, a:b].astype(np.float64), sentence_vectors[:, a:b].astype(np.float64)
            plain_oof, sentence_oof = np.zeros(len(self.y)), np.zeros(len(self.y))
            for f in range(training.FOLDS):
                inside = self.folds != f
                plain, with_sentences = self._pair(x, xs, inside)
                plain_oof[~inside] = plain.logit(x[~inside])
                sentence_oof[~inside] = with_sentences.logit(x[~inside])
                log(f"semantic head, columns {a}:{b}, fold {f}")
            calibration = fit_platt(sentence_oof, self.y)
            plain_views.append(fit_platt(plain_oof, self.y).logit(plain_oof))
            sentence_views.append(calibration.logit(sentence_oof))
            finals.append((self._pair(x, xs, np.ones(len(self.y), dtype=bool))[1], calibration))
        return combine_views(plain_views), combine_views(sentence_views), finals


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("out", type=Path, help="directory to write the model to")
    parser.add_argument("--corpora", type=Path, default=ROOT.parent / "shared/data/corpora")
    parser.add_argument(
        "--base",
        type=Path,
        help="the model whose recipe and semantic tier to follow (default: the shipped one)",
    )
    parser.add_argument("--vectors", type=Path, help="cache of the semantic tier's inputs (.npy)")
    parser.add_argument(
        "--semantic-sentences",
        action="store_true",
        help="train the semantic head on the sentences too, and compare out of fold",
    )
    parser.add_argument("--sentence-vectors", type=Path, help="cache of the sentences' inputs")
    args = parser.parse_args(argv)
    try:
        base = artefact.load(args.base) if args.base else artefact.load()
    except NigehbanError as exc:
        parser.error(f"--base {args.base}: {exc}" if args.base else str(exc))
    if pinning.applies() and not pinning.is_pinned(os.environ):
        # the arithmetic the shipped model was trained with (docs/model-card.md, Model)
        os.execve(
            sys.executable, [sys.executable, *sys.argv], pinning.pinned_environment(os.environ)
        )
    started = time.perf_counter()

    def log(text: str) -> None:
        print(f"[{time.perf_counter() - started:6.0f} s] {text}", flush=True)

    meta, arrays = copy.deepcopy(base.meta), dict(base.arrays)
    corpus = load_corpus(ROOT / "corpus" / "stance")
    data = training.TrainingData(examples=training.project_examples(corpus))
    data.rows["project"] = len(data.examples)
    training.third_party_examples(args.corpora, data)
    config = FeatureConfig.from_dict(meta["features"])
    featuriser = Featuriser(config)
    rows = _rows(featuriser, [e.text for e in data.examples])
    stance = [i for i, e in enumerate(data.examples) if e.violating is not None]
    y = [int(data.examples[i].violating or 0) for i in stance]
    w = training.balanced(y, [data.examples[i].weight for i in stance])
    folds = [training._fold_of(data.examples[i].group) for i in stance]
    texts, owner = [], []
    for k, i in enumerate(stance):
        for s in sentences(data.examples[i].text):
            texts.append(s)
            owner.append(k)
    sentence_rows = _rows(featuriser, texts)
    of_post: dict[int, list[int]] = {}
    for j, k in enumerate(owner):
        of_post.setdefault(k, []).append(j)
    log(f"{len(texts)} sentences of {len(of_post)} of {len(stance)} posts")

    post_rows = [rows[i] for i in stance]
    heads, inside = plain_heads(post_rows, y, w, folds)
    names = list(heads)

    def with_sentences(name: str, head: SparseLinear) -> tuple[SparseLinear, int]:
        """Every sentence of the protected posts, then the top sentence of each violating one
        (each in post order)."""
        chosen = top_sentences(
            inside[name], y, of_post, lambda js: _logits(head, [sentence_rows[j] for j in js])
        )
        ks = inside[name]
        fitted = training._fit_head(
            [rows[stance[k]] for k in ks] + [sentence_rows[j] for j in chosen],
            [y[k] for k in ks] + [y[owner[j]] for j in chosen],
            [w[k] for k in ks] + [SENTENCE_WEIGHT * w[owner[j]] for j in chosen],
            2,
            training.FAST,
        )
        return fitted, len(chosen)

    if not np.array_equal(heads["binary"].weights.astype(np.float32), arrays["binary_weights"]):
        log("the plain binary head differs from the base model's: not its recipe or corpus")
        return 1
    log("plain heads: the base model's binary head, bit for bit")
    with ThreadPoolExecutor(training.HEAD_THREADS) as pool:
        fitted = dict(
            zip(names, pool.map(lambda n: with_sentences(n, heads[n]), names), strict=True)
        )
    log("heads with sentences: " + ", ".join(f"{n} +{m} rows" for n, (_, m) in fitted.items()))

    oof = _out_of_fold(lambda f: fitted[f"fold{f}"][0], post_rows, folds)
    y_arr = np.array(y, dtype=np.float64)
    platt = fit_platt(oof, y_arr)
    fast_oof = platt.logit(oof)

    embedded = stance_vectors(args.vectors, meta, data, stance, log)
    if embedded is None:
        return 3
    embedder, vectors = embedded
    langs = [data.examples[i].lang for i in stance]
    cats = [training.CATEGORIES[data.examples[i].category or 0] for i in stance]
    is_project = np.array([data.examples[i].source == "project" for i in stance])
    if args.semantic_sentences:
        sentence_vectors = _cached(
            args.sentence_vectors,
            lambda: embedder.embed(texts, [data.examples[stance[k]].lang for k in owner]),
            log,
            f"embedding {len(texts)} sentences",
            (len(texts), embedder.views[-1][1]),
        )
        semantic = _SentenceHeads(y_arr, np.array(w), folds, owner, of_post)
        plain_oof, semantic_oof, finals = semantic.fit(
            vectors, sentence_vectors, embedder.views, log
        )
        plain_fast = _out_of_fold(lambda f: heads[f"fold{f}"], post_rows, folds)
        plain_fast = fit_platt(plain_fast, y_arr).logit(plain_fast)
        for name, f_oof, s_oof in (
            ("plain fast, plain semantic (J)", plain_fast, plain_oof),
            ("sentence fast, plain semantic (M)", fast_oof, plain_oof),
            ("plain fast, sentence semantic", plain_fast, semantic_oof),
            ("sentence fast, sentence semantic", fast_oof, semantic_oof),
        ):
            _, figs = training.choose_combinations(f_oof, s_oof, y, cats, langs, is_project)
            mean = sum(v["macro_f1"] for v in figs.values()) / len(figs)
            log(f"out-of-fold {name}: mean {mean:.4f} ({_figures(figs)})")
        semantic_meta = meta["semantic"]
        for prefix, (mlp, platt_s), view in zip(
            semantic_prefixes(len(embedder.views)),
            finals,
            semantic_meta.get("views", [semantic_meta]),
            strict=True,
        ):
            arrays |= _mlp_arrays(prefix, mlp)
            view["b2"], view["platt"] = round(mlp.b2, 8), [platt_s.a, platt_s.b]
    else:
        semantic_oof = combine_views(
            [
                training._semantic_head(vectors[:, a:b], y_arr, np.array(w), folds)[2]
                for a, b in embedder.views
            ]
        )
    combinations, figures, routed, (threshold, thresholds, choice) = choices(
        fast_oof, semantic_oof, y, cats, langs, is_project
    )

    head = fitted["binary"][0]
    arrays["binary_ids"] = head.ids.astype(np.int32)
    arrays["binary_weights"] = head.weights.astype(np.float32)
    arrays["binary_bias"] = head.bias.astype(np.float32)
    meta["platt"] = [platt.a, platt.b]
    meta["combination"] = {k: v.to_dict() for k, v in sorted(combinations.items())}
    meta["threshold"], meta["thresholds"] = threshold, thresholds
    record = meta["training"]
    record["combination_choice"]["out_of_fold"] = figures
    record["threshold_choice"]["out_of_fold"] = {
        **choice,
        "routed_share": round(float(routed.mean()), 4),
    }
    record["oof_calibration_logloss"] = training._logloss(platt, oof, y_arr)
    record["sentence_rows"] = {
        "rule": "bench/sentence_rows.py",
        "rows": {n: m for n, (_, m) in fitted.items()},
    }
    for key in ("format", "arrays_sha256"):
        meta.pop(key, None)
    artefact.save(args.out, meta, arrays)
    log(f"model {artefact.checksum(args.out)} in {args.out}; thresholds {thresholds}")
    log("out-of-fold macro-F1: " + _figures(figures))
    return 0


if __name__ == "__main__":
    sys.exit(run(main, Path(__file__).name))
