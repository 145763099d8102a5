"""The semantic tier's head: a one-hidden-layer network over sentence embeddings.

A linear head on multilingual-e5-small embeddings separates topic better than stance; one
hidden layer (ReLU) lets it combine directions ("violence" and "praise" against "violence" and
"mourning"). Inputs are standardised with the training mean and deviation (saved with the
weights). Training is deterministic: weights drawn from a seeded generator, full-batch Adam
for a fixed number of epochs, examples weighted so both classes count equally.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class MlpConfig:
    hidden: int = 128
    epochs: int = 300
    learning_rate: float = 2e-3
    weight_decay: float = 1e-3
    seed: int = 20261128


@dataclass(frozen=True, slots=True)
class Mlp:
    mean: FloatArray
    scale: FloatArray
    w1: FloatArray
    b1: FloatArray
    w2: FloatArray
    b2: float

    def logit(self, x: npt.NDArray[np.float32] | FloatArray) -> FloatArray:
        h = np.maximum(((x.astype(np.float64) - self.mean) / self.scale) @ self.w1 + self.b1, 0.0)
        out: FloatArray = h @ self.w2 + self.b2
        return out


def fit_mlp(x: FloatArray, y: FloatArray, weights: FloatArray, config: MlpConfig) -> Mlp:
    mean = x.mean(axis=0)
    scale = x.std(axis=0) + 1e-6
    xs = (x - mean) / scale
    rng = np.random.default_rng(config.seed)
    params = [
        rng.normal(0.0, np.sqrt(2.0 / xs.shape[1]), (xs.shape[1], config.hidden)),
        np.zeros(config.hidden),
        rng.normal(0.0, np.sqrt(1.0 / config.hidden), config.hidden),
        np.zeros(1),
    ]
    first = [np.zeros_like(p) for p in params]
    second = [np.zeros_like(p) for p in params]
    total = float(weights.sum())
    # the hidden layer and its gradient are computed in place (the same operations, element by
    # element, as h = max(xs @ w1 + b1, 0) and gh = outer(g, w2) * (h > 0)): at tens of
    # thousands of texts, fresh arrays each epoch cost a fifth of the time
    h = np.empty((xs.shape[0], config.hidden))
    gh = np.empty_like(h)
    active = np.empty(h.shape, dtype=bool)
    for t in range(1, config.epochs + 1):
        w1, b1, w2, b2 = params
        np.matmul(xs, w1, out=h)
        h += b1
        np.maximum(h, 0.0, out=h)
        z = h @ w2 + b2[0]
        p = 1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0)))
        g = (p - y) * weights / total
        np.multiply.outer(g, w2, out=gh)
        np.greater(h, 0, out=active)
        gh *= active
        grads = [
            xs.T @ gh + config.weight_decay * w1,
            gh.sum(axis=0),
            h.T @ g + config.weight_decay * w2,
            np.array([g.sum()]),
        ]
        for i, grad in enumerate(grads):
            first[i] = 0.9 * first[i] + 0.1 * grad
            second[i] = 0.999 * second[i] + 0.001 * grad * grad
            step = (first[i] / (1 - 0.9**t)) / (np.sqrt(second[i] / (1 - 0.999**t)) + 1e-8)
            params[i] = params[i] - config.learning_rate * step
    return Mlp(mean, scale, params[0], params[1], params[2], float(params[3][0]))
