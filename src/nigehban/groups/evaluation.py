"""Measure the group matcher: recall on true mentions, precision against hard negatives.

Two labelled sets (see ``tests/data/groups/README.md``):

* **mentions** (JSON lines: ``text``, ``lang``, ``groups``): realistic posts that name groups, in
  every script, some through spelling tricks. Recall is the share of expected (post, group)
  pairs found. A hit on a group the line does not list is *unexpected* unless it is the listed
  group's parent or child or a state label that refers to it.
* **hard negatives** (one file per ambiguous alias, lines with ``alias``, ``lang``, ``text``):
  everyday sentences where the alias means something else. Any hit is a false positive.

Precision is computed over both sets together: correct hits / (correct + unexpected + hard
negative hits). Results are broken down by language and by alias, and recall by the kind of name
the line's ``surface`` is: an *unambiguous name* (any script, any spelling trick), an *ambiguous
name* (an acronym or word with everyday senses, which counts only with context), or a line naming
*several groups* (*unlabelled*: a line with no ``surface``). The first says how well names are
matched, the second how well context resolves ambiguity. Each line carries a ``split``
(``dev`` or ``test``, fixed by a hash of its id): registry cues are tuned on ``dev`` only, and the
floors are held on ``test``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nigehban.errors import InputError
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import Registry
from nigehban.privacy.masking import preview
from nigehban.stance.thirdparty import SOURCES, ThirdPartyText, read_source
from nigehban.text.normaliser import Level, normalise_text


@dataclass
class Tally:
    total: int = 0
    hits: int = 0

    @property
    def rate(self) -> float:
        return self.hits / self.total if self.total else 0.0


UNAMBIGUOUS, AMBIGUOUS, SEVERAL = "unambiguous name", "ambiguous name", "several groups"
UNLABELLED = "unlabelled"
NAME_KINDS = (UNAMBIGUOUS, AMBIGUOUS, SEVERAL, UNLABELLED)


@dataclass
class EvalReport:
    recall_by_lang: dict[str, Tally] = field(default_factory=dict)
    recall_by_name: dict[str, Tally] = field(default_factory=dict)
    fp_by_alias: dict[str, Tally] = field(default_factory=dict)
    correct: int = 0
    unexpected: int = 0
    possible: int = 0
    """Expected mentions not found whose name was hit but left unresolved (ambiguous, no cue)."""
    negatives_possible: int = 0
    """Hard negatives with no hit but an unresolved one: what counting those would cost."""
    missed: list[dict[str, Any]] = field(default_factory=list)
    false_positives: list[dict[str, Any]] = field(default_factory=list)
    unexpected_hits: list[dict[str, Any]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        total = sum(t.total for t in self.recall_by_lang.values())
        return sum(t.hits for t in self.recall_by_lang.values()) / total if total else 0.0

    @property
    def negative_hits(self) -> int:
        return sum(t.hits for t in self.fp_by_alias.values())

    @property
    def precision(self) -> float:
        found = self.correct + self.unexpected + self.negative_hits
        return self.correct / found if found else 0.0

    @property
    def expected(self) -> int:
        return sum(t.total for t in self.recall_by_lang.values())

    @property
    def negatives(self) -> int:
        return sum(t.total for t in self.fp_by_alias.values())

    @property
    def negative_rate(self) -> float:
        """The share of hard-negative sentences flagged: the rate of false flags on everyday
        posts that name nothing, beside :attr:`precision`, which weighs them against the true
        mentions found."""
        return self.negative_hits / self.negatives if self.negatives else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "precision": round(self.precision, 4),
            "recall": round(self.recall, 4),
            "correct_hits": self.correct,
            "unexpected_hits": self.unexpected,
            "hard_negative_hits": self.negative_hits,
            "hard_negative_sentences": self.negatives,
            "hard_negative_rate": round(self.negative_rate, 4),
            "possible": {
                "mentions": self.possible,
                "recall_with_them": round(
                    (self.correct + self.possible) / self.expected if self.expected else 0.0, 4
                ),
                "hard_negatives": self.negatives_possible,
                "hard_negative_sentences": self.negatives,
            },
            "recall_by_lang": _recall(self.recall_by_lang, sorted(self.recall_by_lang)),
            "recall_by_name": _recall(self.recall_by_name, NAME_KINDS),
            "hard_negatives_by_alias": {
                k: {"sentences": t.total, "false_positives": t.hits, "rate": round(t.rate, 4)}
                for k, t in sorted(self.fp_by_alias.items())
            },
            "missed": self.missed,
            "false_positives": self.false_positives,
            "unexpected": self.unexpected_hits,
        }


def _recall(tallies: dict[str, Tally], order: Sequence[str]) -> dict[str, dict[str, Any]]:
    """Found, expected and recall of each tally, in ``order`` (those there are)."""
    return {
        k: {"found": t.hits, "expected": t.total, "recall": round(t.rate, 4)}
        for k in order
        if (t := tallies.get(k)) is not None
    }


def read_jsonl(path: Path, field: str = "text") -> Iterator[dict[str, Any]]:
    """The JSON objects of ``path``, one a line, each with a string ``field``; ``_where`` set
    to ``file:line``."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InputError(str(path), f"cannot read: {exc.strerror}") from None
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            raise InputError(f"{path.name}:{number}", f"not JSON ({exc.msg})") from None
        if not isinstance(row, dict) or not isinstance(row.get(field), str):
            raise InputError(f"{path.name}:{number}", f"each line needs a string field {field!r}")
        row.setdefault("_where", f"{path.name}:{number}")
        yield row


def _related(registry: Registry, expected: set[str]) -> set[str]:
    """The expected ids, their parents and children, and the labels that refer to them."""
    related = set(expected)
    for entry in expected:
        if registry.is_label(entry):
            related.update(registry.label(entry).refers_to)
            continue
        related.update(label.id for label in registry.labels_for(entry))
        group = registry.group(entry)
        if group.parent:
            related.add(group.parent)
        related.update(g.id for g in registry.children(entry))
    return related


def _ambiguous_keys(registry: Registry) -> frozenset[str]:
    """The normalised ambiguous names of every group, matched or display-only."""
    return frozenset(
        normalise_text(alias.text, Level.AGGRESSIVE)
        for group in registry.groups()
        for alias in group.aliases
        if alias.ambiguous
    )


def name_kind(row: dict[str, Any], listed: set[str], ambiguous: frozenset[str]) -> str:
    """What kind of name a mention line's ``surface`` is (see the module's docstring)."""
    if len(listed) > 1:
        return SEVERAL
    surface = row.get("surface")
    if not isinstance(surface, str) or not surface.strip():
        return UNLABELLED
    key = normalise_text(surface, Level.AGGRESSIVE)
    plural = key[:-1] if key.endswith("s") else key  # BLAs, TTP's
    return AMBIGUOUS if key in ambiguous or plural in ambiguous else UNAMBIGUOUS


def _tally_mention(
    report: EvalReport, matcher: GroupMatcher, row: dict[str, Any], ambiguous: frozenset[str]
) -> None:
    """Match one labelled line (``text``, ``groups``, ``lang``, ``surface``) and count it."""
    registry = matcher.registry
    listed = set(row.get("groups") or [])
    unknown = [g for g in listed if not registry.has(g)]
    if unknown:
        raise InputError(row["_where"], f"unknown group id {preview(unknown[0], 40)}")
    expected = {registry.resolve(g) for g in listed}
    hits = matcher.match(row["text"], include_unresolved=True)
    found = {hit.entry_id for hit in hits if hit.resolved}
    report.possible += len((expected - found) & {h.entry_id for h in hits})
    if expected:  # a line naming no group has no recall to count
        for tally in (
            report.recall_by_lang.setdefault(row.get("lang", "und"), Tally()),
            report.recall_by_name.setdefault(name_kind(row, listed, ambiguous), Tally()),
        ):
            tally.total += len(expected)
            tally.hits += len(expected & found)
    report.correct += len(expected & found)
    for missing in sorted(expected - found):
        report.missed.append({"where": row["_where"], "group": missing, "text": row["text"]})
    extra = found - _related(registry, expected)
    report.unexpected += len(extra)
    for entry in sorted(extra):
        report.unexpected_hits.append({"where": row["_where"], "group": entry, "text": row["text"]})


def evaluate_corpus(
    matcher: GroupMatcher, labels: Path, corpora: Path, split: str | None = None
) -> EvalReport:
    """Run the matcher over the real posts of third-party corpora that ``labels`` names by
    reference, and tally as :func:`evaluate` does (no hard negatives: every unexpected hit is a
    false one, so precision is that of the matcher on those posts as they come).

    Each line of ``labels`` gives ``ref`` (the corpus row's id, ``<source>:<file>:<line>``,
    as :func:`nigehban.stance.thirdparty.read_source` names it), ``sha256`` (of the row's text
    as that reader returns it, identifiers stripped), ``groups``, and ``split``; the texts are
    read from ``corpora``, never stored with the labels. A row missing from the corpus, or
    whose text is not the one labelled, is an error naming the line.
    """
    rows = list(read_jsonl(labels, "ref"))
    texts: dict[str, dict[str, ThirdPartyText]] = {}
    for row in rows:
        source = row["ref"].partition(":")[0]
        if source not in texts:
            if source not in SOURCES:
                raise InputError(row["_where"], f"unknown corpus {preview(source, 40)}")
            texts[source] = {t.id: t for t in read_source(source, corpora)}
    ambiguous = _ambiguous_keys(matcher.registry)
    report = EvalReport()
    for row in rows:
        source = row["ref"].partition(":")[0]
        post = texts[source].get(row["ref"])
        if post is None:
            raise InputError(row["_where"], f"{preview(row['ref'], 60)} is not in {corpora}")
        digest = hashlib.sha256(post.text.encode("utf-8")).hexdigest()
        if digest != row.get("sha256"):
            raise InputError(
                row["_where"],
                f"the text of {preview(row['ref'], 60)} is not the one labelled "
                f"(sha256 {digest[:12]}…, labelled {preview(str(row.get('sha256')), 12)})",
            )
        if split is None or row.get("split") == split:
            _tally_mention(
                report, matcher, {**row, "text": post.text, "lang": post.lang}, ambiguous
            )
    return report


def evaluate(
    matcher: GroupMatcher, mentions: Path, negatives_dir: Path, split: str | None = None
) -> EvalReport:
    """Run the matcher over both sets (or their ``split``: ``dev`` or ``test``) and tally."""
    ambiguous = _ambiguous_keys(matcher.registry)
    report = EvalReport()
    for row in read_jsonl(mentions):
        if split is None or row.get("split") == split:
            _tally_mention(report, matcher, row, ambiguous)
    for path in sorted(negatives_dir.glob("*.jsonl")):
        for row in read_jsonl(path):
            if split is not None and row.get("split") != split:
                continue
            every = matcher.match(row["text"], include_unresolved=True)
            hits = [h for h in every if h.resolved]
            tally = report.fp_by_alias.setdefault(row.get("alias", path.stem), Tally())
            tally.total += 1
            if every and not hits:
                report.negatives_possible += 1
            if hits:
                tally.hits += 1
                report.false_positives.append(
                    {
                        "where": row["_where"],
                        "groups": sorted({h.entry_id for h in hits}),
                        "text": row["text"],
                    }
                )
    return report
