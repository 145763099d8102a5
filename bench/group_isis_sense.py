"""The sense model deciding "ISIS" too, beside the shipped rule (``presumed``), in one run.

"ISIS" in capitals or lower case is ``presumed`` the Islamic State: it counts unless the cues
against it outnumber those for it. Everyday posts of a friend, a pet, the goddess or the neutron
source written so are flagged where they carry no cue against (the hard negatives
``isis-latn.jsonl``). This measures the alternative: the sense model (:mod:`nigehban.groups.
sense`), trained on the sense corpus and on 600 posts of "ISIS" in both senses written apart
from the evaluation sets (``corpus/groups/staged/isis-sense.jsonl``), deciding the name at each
threshold, in two variants: every spelling, or only those the presumed rule does not cover
(capitals stay with it: "isis", "Isis"). Against the shipped model and rule, on the same sets
in one process:

* the written sets (``tests/data/groups``, one split): precision and recall, the
  ``isis-latn.jsonl`` hard negatives flagged, and the SSP and HGB mentions missed (the model's
  weights are shared by every name it is trained on, so they move too);
* where the third-party corpora are present, the labelled real tweets of pro-ISIS accounts
  (that split) and the unlabelled corpora's hits of the name (:mod:`bench.group_corpora_hits`
  reads them post by post; nearly all name the group).

Only counts are printed, never posts.

    .venv/bin/python bench/group_isis_sense.py [--split dev|test] [--threshold T ...]
        [--corpora DIR] [--json]
"""

from __future__ import annotations

import argparse
import json
import platform
import shutil
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nigehban.cli.corpora import corpora_dir
from nigehban.groups.ambiguity import Resolution, Resolver
from nigehban.groups.evaluation import EvalReport, evaluate, evaluate_corpus
from nigehban.groups.matcher import GroupMatcher, Target
from nigehban.groups.registry import Registry, load_registry
from nigehban.groups.sense import SenseModel, load_sense_model
from nigehban.groups.sense_training import SenseConfig, read_corpus, train_sense
from nigehban.settings import load_settings
from nigehban.stance.thirdparty import read_source

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "groups"
REAL = DATA / "real" / "isis_twitter.jsonl"
SENSE = ROOT / "corpus" / "groups" / "sense"
STAGED = ROOT / "corpus" / "groups" / "staged" / "isis-sense.jsonl"
ALIAS = "a=isis"
UNLABELLED = ("ruhsold", "urdu_threat", "urdu_abusive", "stormfront", "extremism_digital")
"""The corpora :mod:`bench.group_corpora_hits` reads (its hits are read there, post by post)."""
ISIS_FILE = "isis-latn.jsonl"
ISIL = {"isil", "iskp"}


def _isis_written(surface: str) -> str:
    letters = "".join(ch for ch in surface if ch.isalpha())
    if letters.isupper():
        return "ISIS"
    return "isis" if letters.islower() else "Isis"


def _row(name: str, matcher: GroupMatcher, split: str, corpora: Path | None) -> dict[str, Any]:
    report: EvalReport = evaluate(matcher, DATA / "mentions.jsonl", DATA / "hard_negatives", split)
    flagged = sum(1 for fp in report.false_positives if fp["where"].startswith(ISIS_FILE))
    sense_names = {"ssp", "sipah-e-sahaba", "hafiz-gul-bahadur-group"}
    row: dict[str, Any] = {
        "model": name,
        "precision": round(report.precision, 4),
        "recall": round(report.recall, 4),
        "correct": report.correct,
        "hard_negative_hits": report.negative_hits,
        "isis_latn_flagged": flagged,
        "isis_latn": sum(
            1
            for path in [DATA / "hard_negatives" / ISIS_FILE]
            for line in path.read_text(encoding="utf-8").splitlines()
            if f'"split": "{split}"' in line
        ),
        "ssp_hgb_missed": sum(1 for m in report.missed if m["group"] in sense_names),
    }
    if corpora is not None:
        real = evaluate_corpus(matcher, REAL, corpora, split)
        row["real_recall"] = round(real.recall, 4)
        row["real_precision"] = round(real.precision, 4)
        written: Counter[str] = Counter()
        for source in UNLABELLED:
            for post in read_source(source, corpora):
                for hit in matcher.match(post.text):
                    if hit.entry_id in ISIL and hit.alias == "ISIS":
                        written[_isis_written(hit.surface)] += 1
        row["unlabelled_isis"] = dict(sorted(written.items()))
    return row


def _with_isis(registry: Registry, threshold: float) -> SenseModel:
    with tempfile.TemporaryDirectory() as tmp:
        for path in SENSE.glob("*.jsonl"):
            shutil.copy(path, tmp)
        shutil.copy(STAGED, tmp)
        corpus = read_corpus(Path(tmp), GroupMatcher(registry, None))
    config = SenseConfig(aliases=(*SenseConfig().aliases, "isis"), threshold=threshold)
    return train_sense(corpus, config)


class _CapitalsByRule(Resolver):
    """The model decides "isis" and "Isis"; "ISIS" in capitals stays with the presumed rule."""

    def __init__(self, registry: Registry, sense: SenseModel) -> None:
        super().__init__(registry, sense)
        self._rule = Resolver(registry, None)

    def resolve(
        self,
        target: Target,
        surface: str,
        features: list[str] | None,
        *,
        tagged: bool = False,
        framed: bool = False,
        with_article: bool = False,
        disguised: bool = False,
    ) -> Resolution:
        resolver = self._rule if features and features[0] == ALIAS else None
        if resolver is not None and _isis_written(surface) == "ISIS":
            return resolver.resolve(
                target, surface, features, tagged=tagged, with_article=with_article
            )
        return super().resolve(
            target,
            surface,
            features,
            tagged=tagged,
            framed=framed,
            with_article=with_article,
            disguised=disguised,
        )

    def may_resolve(
        self,
        target: Target,
        features: list[str] | None,
        *,
        spelled_out_possible: bool,
        tagged_possible: bool = False,
        co_possible: bool = False,
    ) -> bool:
        if features is not None and features[0] == ALIAS:
            return True  # the spelling decides which rule reads it: locate it
        return super().may_resolve(
            target,
            features,
            spelled_out_possible=spelled_out_possible,
            tagged_possible=tagged_possible,
            co_possible=co_possible,
        )


def _capitals_by_rule(registry: Registry, model: SenseModel) -> GroupMatcher:
    matcher = GroupMatcher(registry, model)
    matcher._resolver = _CapitalsByRule(registry, model)
    return matcher


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("dev", "test"), default="dev")
    parser.add_argument("--threshold", type=float, action="append")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--corpora", type=Path, help="third-party corpora (default: the setting)")
    args = parser.parse_args(argv)
    registry = load_registry()
    shipped = load_sense_model()
    corpora = args.corpora or corpora_dir(load_settings())
    if corpora is not None and not (corpora / "isis_twitter").is_dir():
        corpora = None
    rows = [_row("shipped (presumed rule)", GroupMatcher(registry, shipped), args.split, corpora)]
    for threshold in args.threshold or [0.0, 1.0, 2.0, 3.0]:
        model = _with_isis(registry, threshold)
        rows.append(
            _row(
                f"model decides isis, logit {threshold:g}",
                GroupMatcher(registry, model),
                args.split,
                corpora,
            )
        )
        rows.append(
            _row(
                f"model decides isis but in capitals, logit {threshold:g}",
                _capitals_by_rule(registry, model),
                args.split,
                corpora,
            )
        )
    out = {
        "machine": f"{platform.machine()} {platform.processor() or ''}".strip(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "split": args.split,
        "rows": rows,
    }
    if args.json:
        json.dump(out, sys.stdout, indent=1)
        print()
    else:
        print(f"{out['date']}  split {args.split}")
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
