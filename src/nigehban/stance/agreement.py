"""How far independent readers agree with the corpus labels, and the classifier beside them.

An annotation lead's questions about a labelled set: would another careful reader, given only
``docs/annotation.md`` and the post, label it the same way? Where readers and labels agree,
does the classifier? Files ``<set>-<lang>.jsonl`` (``corpus/stance/agreement``) hold, a line
per post, the post's ``id`` and each reader's ``label``, ``category`` and ``sure`` (false where
the reader thought a careful reader could take the other label)::

    {"id": "en-0032", "readers": {"A": {"label": "protected", "category": "news", "sure": true},
                                  "B": {"label": "protected", "category": "news", "sure": true}}}

Figures per language (binary: violating against protected):

* each reader against the labels: macro-F1 (the classifier's floor metric), Cohen's kappa, the
  posts of each protected category the reader called violating, the posts marked unsure;
* each pair of readers: Cohen's kappa and raw agreement; category agreement;
* with the classifier's labels: its macro-F1 on every post, its errors, the errors on *clear*
  posts (every reader agreed with the label and was sure), its macro-F1 on those posts alone,
  and against each reader's labels.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nigehban.errors import InputError
from nigehban.model.taxonomy import VIOLATING, Category
from nigehban.privacy.masking import preview
from nigehban.stance.corpus import LANGUAGES, Post, read_objects
from nigehban.stance.metrics import PROTECTED_CATEGORIES, f1

LABELS = ("violating", "protected")
_REPORTED_PROTECTED = ("news", "counter_speech", "dissent")


@dataclass(frozen=True, slots=True)
class Reading:
    """One reader's label of one post."""

    label: str
    category: str
    sure: bool

    @property
    def violating(self) -> bool:
        return self.label == "violating"


Readings = dict[str, dict[str, Reading]]
"""Post id to reader name to that reader's :class:`Reading`."""


def _reading(value: object, where: str) -> Reading:
    if not isinstance(value, dict):
        raise InputError(where, f"a reading must be an object, not {preview(str(value))}")
    label, category, sure = value.get("label"), value.get("category"), value.get("sure")
    if label not in LABELS:
        raise InputError(where, f"label {preview(str(label))} is not one of {LABELS}")
    try:
        known = Category(category) if isinstance(category, str) else None
    except ValueError:
        known = None
    if known is None:
        raise InputError(where, f"category {preview(str(category))} is not a taxonomy category")
    if (known in VIOLATING) != (label == "violating"):
        raise InputError(where, f"category {known.value} is not on the side of label {label}")
    if not isinstance(sure, bool):
        raise InputError(where, f"'sure' must be true or false, not {preview(str(sure))}")
    return Reading(str(label), known.value, sure)


def read_readings(path: Path) -> Readings:
    """The readings of one file, each line checked (an :class:`InputError` names its line)."""
    out: Readings = {}
    for where, row in read_objects(path):
        post_id, readers = row.get("id"), row.get("readers")
        if not isinstance(post_id, str) or not post_id:
            raise InputError(where, f"'id' must be a non-empty string, not {preview(str(post_id))}")
        if post_id in out:
            raise InputError(where, f"id {preview(post_id)} is read twice")
        if not isinstance(readers, dict) or not readers:
            raise InputError(where, "'readers' must be an object with at least one reader")
        out[post_id] = {
            str(name): _reading(value, f"{where} reader {preview(str(name), 20)}")
            for name, value in readers.items()
        }
    return out


def read_directory(directory: Path) -> Readings:
    """Every ``*.jsonl`` file of ``directory``; an id in two files is refused."""
    files = sorted(directory.glob("*.jsonl")) if directory.is_dir() else []
    if not files:
        raise InputError(str(directory), "no *.jsonl agreement files")
    out: Readings = {}
    for path in files:
        for post_id, readers in read_readings(path).items():
            if post_id in out:
                raise InputError(str(path), f"id {preview(post_id)} is also read in another file")
            out[post_id] = readers
    return out


def cohen_kappa(first: Sequence[bool], second: Sequence[bool]) -> float | None:
    """Cohen's kappa of two binary labellings of the same posts; ``None`` where chance
    agreement is total (both gave one label to every post), so kappa is undefined."""
    if len(first) != len(second):
        raise ValueError(f"{len(first)} labels against {len(second)}")
    n = len(first)
    if n == 0:
        return None
    observed = sum(a == b for a, b in zip(first, second, strict=True)) / n
    p_first, p_second = sum(first) / n, sum(second) / n
    chance = p_first * p_second + (1 - p_first) * (1 - p_second)
    if chance >= 1.0:
        return None
    return (observed - chance) / (1 - chance)


def macro_f1(truth: Sequence[bool], said: Sequence[bool]) -> float:
    """The mean of the F1 of violating (True) and of protected (False)."""
    pairs = list(zip(truth, said, strict=True))
    tp = sum(t and s for t, s in pairs)
    fp = sum(s and not t for t, s in pairs)
    fn = sum(t and not s for t, s in pairs)
    tn = len(pairs) - tp - fp - fn
    return (f1(tp, fp, fn)[2] + f1(tn, fn, fp)[2]) / 2


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def report(
    posts: Mapping[str, Post],
    readings: Readings,
    predicted: Mapping[str, bool] | None = None,
) -> dict[str, Any]:
    """The figures above, per language. Every read id must be a post of ``posts``; with
    ``predicted`` (post id to "the classifier said violating"), every read id must be in it."""
    unknown = [i for i in readings if i not in posts]
    if unknown:
        raise InputError(
            "agreement",
            f"{len(unknown)} read id(s) are not corpus posts, e.g. {preview(unknown[0])}",
        )
    if predicted is not None and (missing := [i for i in readings if i not in predicted]):
        raise InputError("agreement", f"no classifier label for {preview(missing[0])}")
    by_language: dict[str, Any] = {}
    for lang in LANGUAGES:
        ids = sorted(i for i in readings if posts[i].lang == lang)
        if ids:
            by_language[lang] = _language(ids, posts, readings, predicted)
    return {"posts": len(readings), "by_language": by_language}


def _language(
    ids: list[str],
    posts: Mapping[str, Post],
    readings: Readings,
    predicted: Mapping[str, bool] | None,
) -> dict[str, Any]:
    truth = [posts[i].violating for i in ids]
    names = sorted({name for i in ids for name in readings[i]})
    readers: dict[str, Any] = {}
    for name in names:
        read = [i for i in ids if name in readings[i]]
        gold = [posts[i].violating for i in read]
        said = [readings[i][name].violating for i in read]
        flagged = {
            c: [
                sum(readings[i][name].violating for i in read if posts[i].category == c),
                sum(posts[i].category == c for i in read),
            ]
            for c in _REPORTED_PROTECTED
        }
        readers[name] = {
            "posts": len(read),
            "violating": sum(said),
            "macro_f1": _round(macro_f1(gold, said)),
            "kappa": _round(cohen_kappa(gold, said)),
            "category_agreement": _round(
                sum(readings[i][name].category == posts[i].category for i in read) / len(read)
            ),
            "unsure": sum(not readings[i][name].sure for i in read),
            "protected_flagged": flagged,
        }
    pairs: dict[str, Any] = {}
    for first, second in itertools.combinations(names, 2):
        both = [i for i in ids if first in readings[i] and second in readings[i]]
        a = [readings[i][first].violating for i in both]
        b = [readings[i][second].violating for i in both]
        pairs[f"{first}-{second}"] = {
            "posts": len(both),
            "kappa": _round(cohen_kappa(a, b)),
            "agreement": _round(sum(x == y for x, y in zip(a, b, strict=True)) / len(both))
            if both
            else None,
            "category_agreement": _round(
                sum(readings[i][first].category == readings[i][second].category for i in both)
                / len(both)
            )
            if both
            else None,
        }
    clear = [
        i
        for i in ids
        if all(r.sure and r.violating == posts[i].violating for r in readings[i].values())
    ]
    out: dict[str, Any] = {
        "posts": len(ids),
        "violating": sum(truth),
        "protected_posts": {
            c: sum(posts[i].category == c for i in ids) for c in PROTECTED_CATEGORIES
        },
        "readers": readers,
        "pairs": pairs,
        "clear_posts": len(clear),
    }
    if predicted is not None:
        said = [predicted[i] for i in ids]
        errors = [i for i, s in zip(ids, said, strict=True) if s != posts[i].violating]
        clear_set = set(clear)
        out["classifier"] = {
            "macro_f1": _round(macro_f1(truth, said)),
            "errors": len(errors),
            "missed_violating": sum(posts[i].violating for i in errors),
            "errors_on_clear_posts": sum(i in clear_set for i in errors),
            "macro_f1_on_clear_posts": _round(
                macro_f1([posts[i].violating for i in clear], [predicted[i] for i in clear])
            )
            if clear
            else None,
            "macro_f1_against_reader": {
                name: _round(
                    macro_f1(
                        [readings[i][name].violating for i in ids if name in readings[i]],
                        [predicted[i] for i in ids if name in readings[i]],
                    )
                )
                for name in names
            },
        }
    return out
