"""Would another group's acronym in the same post be a cue? Measured side by side; not adopted.

Many of the group matcher's misses are two ambiguous acronyms of different groups with no other
context ("Comparing LeT and JeM recruitment", "Is the BLA the same as the BLF?"). The rule
measured here lets each support the other: a Latin acronym that the cues decide (not ``SSP`` or
``HGB``, which the sense model decides) counts one more cue when another group's ambiguous Latin
acronym, itself written as an acronym and not the same name's plural ("BRA", "BRAS"), is in the
text. It is the matcher's own ``co`` cue (another group named) extended to ambiguous names.

Both matchers run over the same sets in one process: the evaluation sets' ``dev`` and ``test``
splits, the blind set, and ``hard_negatives/acronym-pairs.jsonl`` alone (everyday sentences
with two such acronyms, written to test this rule before it was measured). Only counts are
printed, never posts. There is no floor.

    .venv/bin/python bench/group_pairs.py [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nigehban.groups.ambiguity import rejected_spelling
from nigehban.groups.evaluation import evaluate
from nigehban.groups.matcher import GroupMatcher, Target, _Candidate
from nigehban.groups.model import AliasType
from nigehban.groups.registry import load_registry
from nigehban.text.windows import original_spans

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "groups"
PAIRS = "acronym-pairs.jsonl"

Features = dict[tuple[int, str], list[str] | None]


class PairedMatcher(GroupMatcher):
    """The shipped matcher with the pair rule added (``co`` for a partnered acronym)."""

    def _pairable(self, target: Target, features: list[str] | None) -> bool:
        sense = self.sense
        return (
            features is not None
            and target.alias.ambiguous
            and target.alias.type is AliasType.ABBREVIATION
            and target.alias.text.isascii()
            and not (sense is not None and sense.decides(features[0]))
        )

    def _partners(
        self, found: list[_Candidate], features: Features
    ) -> dict[tuple[int, str], list[tuple[_Candidate, Target]]]:
        pairable = [
            (c, t)
            for c in found
            for t in c.targets
            if self._pairable(t, features.get((c.start, t.entry_id)))
        ]
        out: dict[tuple[int, str], list[tuple[_Candidate, Target]]] = {}
        for candidate, target in pairable:
            partners = [
                (other, its)
                for other, its in pairable
                if its.entry_id != target.entry_id
                and other.key.removesuffix("s") != candidate.key.removesuffix("s")
            ]
            if partners:
                out[candidate.start, target.entry_id] = partners
        return out

    def _worth_locating(
        self, found: list[_Candidate], text: str, features: Features
    ) -> list[_Candidate]:
        # a partner's support rests on its spelling alone: locate every partnered candidate
        partners = self._partners(found, features)
        partnered = {start for start, _ in partners} | {
            other.start for others in partners.values() for other, _ in others
        }
        kept = super()._worth_locating(found, text, features)
        return [c for c in found if c in kept or c.start in partnered]

    def _hits_with_candidates(
        self,
        text: str,
        normalised: str,
        found: list[_Candidate],
        features: Features,
        *,
        include_unresolved: bool,
    ) -> list[Any]:
        partners = self._partners(found, features)
        if partners:
            located = found if include_unresolved else self._worth_locating(found, text, features)
            spans = original_spans(text, normalised, [(c.start, c.end) for c in located])
            surfaces = {c.start: s.slice(text) for c, s in zip(located, spans, strict=True)}
            features = dict(features)
            for (start, entry_id), others in partners.items():
                if any(
                    other.start in surfaces
                    and rejected_spelling(its, surfaces[other.start]) is None
                    for other, its in others
                ):
                    features[start, entry_id] = [*(features[start, entry_id] or ()), "co"]
        return super()._hits_with_candidates(
            text, normalised, found, features, include_unresolved=include_unresolved
        )


def _figures(matcher: GroupMatcher, pairs_only: Path) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, split in (("dev", "dev"), ("test", "test")):
        report = evaluate(matcher, DATA / "mentions.jsonl", DATA / "hard_negatives", split)
        out[name] = {
            "precision": round(report.precision, 4),
            "recall": round(report.recall, 4),
            "hard_negative_hits": len(report.false_positives),
        }
    blind = evaluate(matcher, DATA / "blind" / "mentions.jsonl", DATA / "blind" / "hard_negatives")
    out["blind"] = {"precision": round(blind.precision, 4), "recall": round(blind.recall, 4)}
    pairs = evaluate(matcher, pairs_only / "none.jsonl", pairs_only)
    sentences = sum(t.total for t in pairs.fp_by_alias.values())
    out["acronym pairs"] = {"sentences": sentences, "flagged": len(pairs.false_positives)}
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    registry = load_registry()
    with tempfile.TemporaryDirectory() as tmp:
        pairs_only = Path(tmp)
        (pairs_only / PAIRS).write_bytes((DATA / "hard_negatives" / PAIRS).read_bytes())
        (pairs_only / "none.jsonl").write_text("", encoding="utf-8")
        result: dict[str, Any] = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()}, {platform.processor() or 'unknown CPU'}",
            "shipped": _figures(GroupMatcher(registry), pairs_only),
            "with the pair rule": _figures(PairedMatcher(registry), pairs_only),
        }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{result['date']}  {result['machine']}")
    for name in ("shipped", "with the pair rule"):
        print(f"{name}:")
        for part, figures in result[name].items():
            print(f"  {part:14} " + "  ".join(f"{k} {v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
