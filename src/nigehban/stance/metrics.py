"""Accuracy figures of the stance classifier, per language and per category.

* **binary macro-F1**: the mean of the F1 of ``violating`` and the F1 of ``protected``;
* **per category**: precision, recall and F1 of the primary category;
* **false-positive rate** on each protected category: the share of its posts labelled
  ``violating``, with a 95% Wilson score interval;
* **calibration error**: expected calibration error of the violating probability over ten
  equal-width bins, after moving the probability to the set's own prevalence (the model's
  scores are calibrated to a deployment prior far below any labelled set's);
* **precision at a prevalence** π: what precision would be if violating posts were a share π
  of traffic, from the recall (TPR) and the false-positive rate over all protected posts:
  ``TPR·π / (TPR·π + FPR·(1−π))``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from nigehban.model.taxonomy import PROTECTED, VIOLATING, Category
from nigehban.stance.calibration import shift_prior

PREVALENCES = (0.01, 0.001)
PROTECTED_CATEGORIES = tuple(c.value for c in Category if c in PROTECTED)
VIOLATING_CATEGORIES = tuple(c.value for c in Category if c in VIOLATING)


@dataclass(frozen=True, slots=True)
class Outcome:
    """One evaluated post: the gold labels and what the classifier said."""

    lang: str
    gold_label: str
    gold_category: str | None
    label: str
    category: str
    probability: float
    """The calibrated probability of violating at the model's training prior."""


def wilson(successes: int, total: int, z: float = 1.96) -> tuple[float, float]:
    """The 95% Wilson score interval of a proportion."""
    if total == 0:
        return (0.0, 1.0)
    p = successes / total
    denominator = 1 + z * z / total
    centre = (p + z * z / (2 * total)) / denominator
    half = z * math.sqrt(p * (1 - p) / total + z * z / (4 * total * total)) / denominator
    return (max(0.0, centre - half), min(1.0, centre + half))


def f1(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    score = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, score


def calibration_error(
    probabilities: Sequence[float], truth: Sequence[int], bins: int = 10
) -> float:
    if not probabilities:
        return 0.0
    total = len(probabilities)
    error = 0.0
    for b in range(bins):
        lo, hi = b / bins, (b + 1) / bins
        members = [
            i for i, p in enumerate(probabilities) if lo <= p < hi or (b == bins - 1 and p == 1.0)
        ]
        if members:
            confidence = sum(probabilities[i] for i in members) / len(members)
            accuracy = sum(truth[i] for i in members) / len(members)
            error += len(members) / total * abs(confidence - accuracy)
    return error


def roc_auc(scores: Sequence[float], truth: Sequence[bool]) -> float | None:
    """The probability that a violating post scores above a protected one (ties count half):
    how well the score ranks, whatever the threshold. ``None`` without both classes."""
    positives = sum(truth)
    negatives = len(truth) - positives
    if not positives or not negatives:
        return None
    order = sorted(range(len(scores)), key=lambda i: scores[i])
    rank_sum = 0.0
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and scores[order[end + 1]] == scores[order[start]]:
            end += 1
        mid_rank = (start + end) / 2 + 1  # tied scores share their mean rank
        rank_sum += mid_rank * sum(truth[order[k]] for k in range(start, end + 1))
        start = end + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)


def report(outcomes: Sequence[Outcome], training_prior: float) -> dict[str, Any]:
    """Every figure, for all posts together (``all``) and for each language."""
    langs = sorted({o.lang for o in outcomes})
    out: dict[str, Any] = {"all": _report_one(outcomes, training_prior)}
    for lang in langs:
        out[lang] = _report_one([o for o in outcomes if o.lang == lang], training_prior)
    return out


def _report_one(outcomes: Sequence[Outcome], training_prior: float) -> dict[str, Any]:
    n = len(outcomes)
    gold_v = [o.gold_label == "violating" for o in outcomes]
    pred_v = [o.label == "violating" for o in outcomes]
    tp = sum(g and p for g, p in zip(gold_v, pred_v, strict=True))
    fp = sum(p and not g for g, p in zip(gold_v, pred_v, strict=True))
    fn = sum(g and not p for g, p in zip(gold_v, pred_v, strict=True))
    tn = n - tp - fp - fn
    _, _, f1_v = f1(tp, fp, fn)
    _, _, f1_p = f1(tn, fn, fp)
    positives = tp + fn
    negatives = tn + fp
    tpr = tp / positives if positives else 0.0
    fpr = fp / negatives if negatives else 0.0
    prevalence = positives / n if n else 0.0
    shifted = (
        [shift_prior(o.probability, training_prior, prevalence) for o in outcomes]
        if 0 < prevalence < 1
        else [o.probability for o in outcomes]
    )
    categories: dict[str, Any] = {}
    for category in (*VIOLATING_CATEGORIES, *PROTECTED_CATEGORIES):
        ctp = sum(o.category == category and o.gold_category == category for o in outcomes)
        cfp = sum(o.category == category and o.gold_category != category for o in outcomes)
        cfn = sum(o.category != category and o.gold_category == category for o in outcomes)
        support = ctp + cfn
        if support or cfp:
            precision, recall, score = f1(ctp, cfp, cfn)
            categories[category] = {
                "support": support,
                "precision": precision,
                "recall": recall,
                "f1": score,
            }
    protected_fpr: dict[str, Any] = {}
    for category in PROTECTED_CATEGORIES:
        members = [o for o in outcomes if o.gold_category == category]
        if members:
            flagged = sum(o.label == "violating" for o in members)
            low, high = wilson(flagged, len(members))
            protected_fpr[category] = {
                "posts": len(members),
                "flagged": flagged,
                "rate": flagged / len(members),
                "ci95": [low, high],
            }
    at_prevalence = {}
    for pi in PREVALENCES:
        denominator = tpr * pi + fpr * (1 - pi)
        at_prevalence[str(pi)] = tpr * pi / denominator if denominator else 0.0
    return {
        "posts": n,
        "violating": positives,
        "protected": negatives,
        "macro_f1": (f1_v + f1_p) / 2,
        "f1_violating": f1_v,
        "f1_protected": f1_p,
        "recall": tpr,
        "false_positive_rate": fpr,
        "false_positive_rate_ci95": list(wilson(fp, negatives)),
        "calibration_error": calibration_error(shifted, [int(g) for g in gold_v]),
        "roc_auc": roc_auc([o.probability for o in outcomes], gold_v),
        "precision_at_prevalence": at_prevalence,
        "categories": categories,
        "protected_false_positive_rate": protected_fpr,
    }
