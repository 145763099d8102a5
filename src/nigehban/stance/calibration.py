"""Calibration of the violating probability, and the explicit prior.

Platt scaling maps a raw logit ``z`` to ``a·z + b``, fitted by Newton's method on out-of-fold
scores (scores of texts the head did not see in training), so the probability means what it
says on the training mix. That mix has far more violating posts than real traffic:
:func:`shift_prior` moves a probability from the training prevalence to another one by Bayes'
rule on the odds, which is how the configured deployment prior enters every score.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True, slots=True)
class Platt:
    a: float
    b: float

    def logit(self, z: FloatArray) -> FloatArray:
        out: FloatArray = self.a * z + self.b
        return out


def sigmoid(z: FloatArray) -> FloatArray:
    out: FloatArray = 1.0 / (1.0 + np.exp(-np.clip(z, -35.0, 35.0)))
    return out


def fit_platt(z: FloatArray, y: FloatArray, steps: int = 100) -> Platt:
    """Maximum-likelihood ``a``, ``b`` with Platt's target smoothing (so separable data cannot
    drive them to infinity): damped Newton steps on standardised scores, from ``a=1, b=0``."""
    positives = float(y.sum())
    negatives = float(len(y) - positives)
    target = np.where(y > 0.5, (positives + 1) / (positives + 2), 1 / (negatives + 2))
    centre = float(z.mean())
    scale = float(z.std()) or 1.0
    x = (z - centre) / scale

    def loss(a: float, b: float) -> float:
        p = np.clip(sigmoid(a * x + b), 1e-12, 1 - 1e-12)
        return float(-(target * np.log(p) + (1 - target) * np.log(1 - p)).sum())

    a, b = 1.0, 0.0
    current = loss(a, b)
    for _ in range(steps):
        p = sigmoid(a * x + b)
        g = p - target
        w = np.maximum(p * (1 - p), 1e-12)
        grad = np.array([float((g * x).sum()), float(g.sum())])
        hess = np.array(
            [
                [float((w * x * x).sum()) + 1e-9, float((w * x).sum())],
                [float((w * x).sum()), float(w.sum()) + 1e-9],
            ]
        )
        step = np.linalg.solve(hess, grad)
        t = 1.0
        while t > 1e-6:
            trial = loss(a - t * float(step[0]), b - t * float(step[1]))
            if trial <= current:
                break
            t /= 2
        a, b = a - t * float(step[0]), b - t * float(step[1])
        improvement = current - loss(a, b)
        current = loss(a, b)
        if improvement < 1e-10:
            break
    # back to the raw scores: a·(z - c)/s + b
    return Platt(round(a / scale, 10), round(b - a * centre / scale, 10))


def shift_prior(p: float, from_prior: float, to_prior: float) -> float:
    """A probability calibrated at ``from_prior`` moved to ``to_prior`` (Bayes on the odds)."""
    p = min(max(p, 1e-12), 1 - 1e-12)
    odds = p / (1 - p) * (to_prior / (1 - to_prior)) / (from_prior / (1 - from_prior))
    return odds / (1 + odds)
