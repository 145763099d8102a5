"""``nigehban eval``: score a labelled JSON-lines file and report the figures of
:mod:`nigehban.stance.metrics` per language.

Input lines: ``text``, ``label`` (``violating``/``protected``), optional ``category`` and
``lang``. A given ``lang`` is passed to the classifier as a hint (and used to group the
figures); with ``hint=False`` it only groups them, and language identification runs on every
text, as for a platform that sends no language. Texts on which the classifier abstains count as
not flagged and are counted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from nigehban.errors import InputError
from nigehban.model.taxonomy import Category
from nigehban.privacy.masking import preview
from nigehban.stance.classifier import Classification
from nigehban.stance.corpus import read_objects
from nigehban.stance.metrics import Outcome, report

LABELS = ("violating", "protected")


class Scorer(Protocol):
    """What :func:`evaluate` scores with: the classifier, or the keyword baseline."""

    @property
    def training_prior(self) -> float: ...

    @property
    def threshold(self) -> float: ...

    @property
    def snapshot_hash(self) -> str: ...

    @property
    def description(self) -> str: ...

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Classification]: ...


@dataclass(frozen=True, slots=True)
class LabelledLine:
    text: str
    label: str
    category: str | None
    lang: str | None
    event: str | None = None


def read_labelled(path: Path) -> list[LabelledLine]:
    """Labelled lines, each checked: a label of :data:`LABELS`; a category, when given, of the
    taxonomy and on the label's side (a ``protected`` line is not ``glorification``); a
    language, when given, a string. A bad line stops the evaluation at its line: figures over
    part of a set, or with a category silently dropped, would misreport it."""
    out = []
    for where, row in read_objects(path):
        if not isinstance(row.get("text"), str):
            raise InputError(where, "needs an object with a string 'text'")
        label = row.get("label")
        if label not in LABELS:
            raise InputError(str(where), f"label {preview(str(label))} is not one of {LABELS}")
        category = row.get("category")
        if category is not None:
            _check_category(str(where), category, label)
        lang = row.get("lang")
        if lang is not None and not isinstance(lang, str):
            raise InputError(str(where), f"lang {preview(str(lang))} is not a string")
        out.append(
            LabelledLine(
                row["text"],
                label,
                category,
                lang,
                str(row["event"]) if row.get("event") is not None else None,
            )
        )
    return out


def _check_category(where: str, category: object, label: str) -> None:
    try:
        known = Category(category) if isinstance(category, str) else None
    except ValueError:
        known = None
    if known is None:
        names = ", ".join(c.value for c in Category)
        raise InputError(where, f"category {preview(str(category))} is not one of {names}")
    if known.violating != (label == "violating"):
        side = "a violating" if known.violating else "a protected"
        raise InputError(
            where, f"category {known.value} is {side} category, but the label is {label}"
        )


def evaluate(
    classifier: Scorer, lines: Sequence[LabelledLine], batch: int = 512, hint: bool = True
) -> dict[str, Any]:
    outcomes: list[Outcome] = []
    abstained = 0
    routed = 0
    for start in range(0, len(lines), batch):
        chunk = lines[start : start + batch]
        langs = [x.lang if hint else None for x in chunk]
        results = classifier.classify([x.text for x in chunk], langs)
        for line, result in zip(chunk, results, strict=True):
            abstained += result.abstained
            routed += result.tier == "fast+semantic"
            outcomes.append(
                Outcome(
                    lang=line.lang or result.lang,
                    gold_label=line.label,
                    gold_category=line.category,
                    label=result.label or "protected",
                    category=result.category or "other",
                    probability=result.probability if result.probability is not None else 0.0,
                )
            )
    figures = report(outcomes, classifier.training_prior)
    return {
        "posts": len(lines),
        "abstained": abstained,
        "routed_to_semantic": routed,
        "routed_share": routed / len(lines) if lines else 0.0,
        "scorer": classifier.description,
        "language_hint": hint,
        "threshold": classifier.threshold,
        "model_sha256": classifier.snapshot_hash,
        "by_language": figures,
    }


def perturbation_report(
    scorer: Scorer,
    lines: Sequence[LabelledLine],
    clean: dict[str, Any],
    tricks: Sequence[str],
    hint: bool = True,
) -> dict[str, Any]:
    """For each trick: recall drop and protected false-positive-rate rise against ``clean``
    (the report of the same lines unchanged), per language."""
    from nigehban.stance.perturb import TRICKS

    out: dict[str, Any] = {}
    for name in tricks:
        trick = TRICKS[name]
        changed = [LabelledLine(trick(x.text), x.label, x.category, x.lang, x.event) for x in lines]
        perturbed = evaluate(scorer, changed, hint=hint)["by_language"]
        out[name] = {
            lang: {
                "recall_drop": clean["by_language"][lang]["recall"] - figures["recall"],
                "protected_fpr_rise": figures["false_positive_rate"]
                - clean["by_language"][lang]["false_positive_rate"],
                "macro_f1": figures["macro_f1"],
            }
            for lang, figures in perturbed.items()
            if lang in clean["by_language"]
        }
    return out
