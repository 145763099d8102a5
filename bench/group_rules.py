"""Candidate rules for ambiguous group names, each beside the shipped matcher. None is shipped.

Each rule below was proposed by a miss on the `dev` half of the evaluation sets or of the
labelled pro-ISIS tweets, and is measured here side by side with the shipped matcher, in one
process, on the same sets: the written sets (``tests/data/groups``, one split), the hard
negatives that bear on the rules (``the-islamic-state.jsonl``, ``is.jsonl``,
``is-hashtag.jsonl``, ``acronym-pairs.jsonl``, each alone), and where the third-party corpora
are present the labelled real tweets. Only counts are printed, never posts. There is no floor.

``definite``
    "the Islamic State", capitalised so (whitespace, an opening quote or "so-called" after the
    article), counts one cue: the everyday concept is mostly "an Islamic state".
``is-two-cues``
    "IS" matched in running text too (it is display-only there, and matched as the hashtag
    ``#IS``), needing two cues, as a name in a text in capitals does.
``mined-cues``
    Each group's cues extended with the words of ``corpus/groups`` (the sense corpus and the
    older disambiguation files, never the evaluation sets) seen in at least ``MINED_MIN`` of
    its group-sense lines and in none of its everyday ones (and the reverse for cues against).

    .venv/bin/python bench/group_rules.py [--split dev|test] [--rule NAME ...] [--mined-min N]
        [--json]

A fifth rule first measured here, that an ambiguous name resolved counts as another group named
for the others, was adopted (2026-12-05): the matcher does it now (``_resolutions``).
"""

from __future__ import annotations

import argparse
import json
import platform
import re
import shutil
import sys
import tempfile
from collections import Counter, defaultdict
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml

from nigehban.groups.evaluation import evaluate, evaluate_corpus, read_jsonl
from nigehban.groups.matcher import GroupHit, GroupMatcher, _Candidate
from nigehban.groups.registry import Registry, default_registry_dir, load_registry
from nigehban.text.normaliser import Level, normalise_text
from nigehban.text.windows import original_spans

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "groups"
REAL = DATA / "real" / "isis_twitter.jsonl"
CORPUS = ROOT / "corpus" / "groups"
NEGATIVES = ("the-islamic-state.jsonl", "is.jsonl", "is-hashtag.jsonl", "acronym-pairs.jsonl")
ARTICLE = re.compile(r"(?<![\w'’])the\s+(?:so[- ]called\s+)?[\"“‘']?$", re.IGNORECASE)
MINED_MIN = 8
"""Lines a mined word must be seen in, by default (``--mined-min``)."""
_COMMON = (
    "this that with from have they their them were what when your about there "
    "would which will been just more than also into only some very after before "
    "over such like being other then these those said says"
)
_STOP = frozenset(_COMMON.split())
"""Common English words, never cues."""

Features = dict[tuple[int, str], list[str] | None]


class DefiniteMatcher(GroupMatcher):
    """ "the Islamic State", capitalised so, counts one cue for the group."""

    def _hits_with_candidates(
        self,
        text: str,
        normalised: str,
        found: list[_Candidate],
        features: Features,
        *,
        include_unresolved: bool,
    ) -> list[tuple[GroupHit, _Candidate]]:
        if "Islamic State" in text and found:
            spans = original_spans(text, normalised, [(c.start, c.end) for c in found])
            features = dict(features)
            for candidate, span in zip(found, spans, strict=True):
                if span.slice(text) != "Islamic State":
                    continue
                if not ARTICLE.search(text, max(0, span.start - 24), span.start):
                    continue
                for target in candidate.targets:
                    base = features.get((candidate.start, target.entry_id))
                    if base is not None:
                        features[candidate.start, target.entry_id] = [*base, "cue+=1"]
        return super()._hits_with_candidates(
            text, normalised, found, features, include_unresolved=include_unresolved
        )


class TwoCuesMatcher(GroupMatcher):
    """ "IS" (made matchable in running text by the registry) needs two cues."""

    def _features(
        self, text: str, normalised: str, found: list[_Candidate], *, words: bool = False
    ) -> Features:
        out = super()._features(text, normalised, found, words=words)
        for key, features in out.items():
            if features is not None and features[0] == "a=is" and "shout" not in features:
                out[key] = [*features, "shout"]
        return out


def _edited_registry(tmp: Path, edit: Callable[[dict[str, Any]], None]) -> Registry:
    """The shipped registry with each YAML document passed through ``edit``."""
    source = default_registry_dir()
    shutil.copytree(source / "lists", tmp / "lists")
    for path in sorted(source.glob("*.yaml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
        edit(document)
        (tmp / path.name).write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8"
        )
    return load_registry(tmp)


def _is_in_running_text(document: dict[str, Any]) -> None:
    for group in document.get("groups", []):
        for alias in group.get("aliases", []):
            if alias.get("text") == "IS" and group["id"] == "isil":
                alias.pop("match", None)
                alias.pop("frames", None)  # matched everywhere: its frames say nothing more


def _mined(registry: Registry, least: int) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Words for and against each group, from the sense corpus's two senses."""
    seen: dict[bool, defaultdict[str, Counter[str]]] = {
        True: defaultdict(Counter),
        False: defaultdict(Counter),
    }
    paths = sorted((CORPUS / "sense").glob("*.jsonl")) + sorted(
        CORPUS.glob("disambiguation-*.jsonl")
    )
    for path in paths:
        for row in read_jsonl(path):
            group = row.get("group")
            if not group or not registry.has(group):
                continue
            name = set(normalise_text(row["alias"], Level.AGGRESSIVE).split())
            words = {
                w
                for w in set(normalise_text(row["text"], Level.AGGRESSIVE).split()) - name
                if len(w) >= (4 if w.isascii() else 3) and w not in _STOP and not w.isdigit()
            }
            seen[row["sense"] == "group"][registry.resolve(group)].update(words)
    positive = {
        g: sorted(w for w, n in c.items() if n >= least and not seen[False][g][w])
        for g, c in seen[True].items()
    }
    negative = {
        g: sorted(w for w, n in c.items() if n >= least and not seen[True][g][w])
        for g, c in seen[False].items()
    }
    return positive, negative


def _with_mined_cues(registry: Registry, least: int) -> Callable[[dict[str, Any]], None]:
    positive, negative = _mined(registry, least)

    def edit(document: dict[str, Any]) -> None:
        for group in document.get("groups", []):
            context = group.get("context")
            if not context:
                continue
            context["positive"] = list(
                dict.fromkeys([*context.get("positive", []), *positive.get(group["id"], [])])
            )
            context["negative"] = list(
                dict.fromkeys([*context.get("negative", []), *negative.get(group["id"], [])])
            )

    return edit


def matchers(tmp: Path, rules: list[str], mined_min: int = MINED_MIN) -> dict[str, GroupMatcher]:
    registry = load_registry()
    out: dict[str, GroupMatcher] = {"shipped": GroupMatcher(registry)}
    if "definite" in rules:
        out["definite"] = DefiniteMatcher(registry)
    if "is-two-cues" in rules:
        out["is-two-cues"] = TwoCuesMatcher(_edited_registry(tmp / "is", _is_in_running_text))
    if "mined-cues" in rules:
        out["mined-cues"] = GroupMatcher(
            _edited_registry(tmp / "mined", _with_mined_cues(registry, mined_min))
        )
    return out


def _figures(matcher: GroupMatcher, split: str, corpora: Path | None, tmp: Path) -> dict[str, Any]:
    written = evaluate(matcher, DATA / "mentions.jsonl", DATA / "hard_negatives", split)
    out: dict[str, Any] = {
        "written": {
            "precision": round(written.precision, 4),
            "recall": round(written.recall, 4),
            "correct": written.correct,
            "hard_negative_hits": written.negative_hits,
        }
    }
    for name in NEGATIVES:
        alone = tmp / "alone" / name
        alone.mkdir(parents=True, exist_ok=True)
        (alone / name).write_bytes((DATA / "hard_negatives" / name).read_bytes())
        (alone / "none.jsonl").write_text("", encoding="utf-8")
        report = evaluate(matcher, alone / "none.jsonl", alone, split)
        out[name] = {
            "sentences": sum(t.total for t in report.fp_by_alias.values()),
            "flagged": report.negative_hits,
        }
    if corpora is not None:
        real = evaluate_corpus(matcher, REAL, corpora, split)
        out["real tweets"] = {
            "precision": round(real.precision, 4),
            "recall": round(real.recall, 4),
            "correct": real.correct,
        }
    return out


RULES = ("definite", "is-two-cues", "mined-cues")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=["dev", "test"], default="dev")
    parser.add_argument("--rule", choices=RULES, action="append", help="default: every rule")
    parser.add_argument(
        "--corpora",
        type=Path,
        default=ROOT.parent / "shared" / "data" / "corpora",
        help="the third-party corpora (for the real tweets; skipped where absent)",
    )
    parser.add_argument("--mined-min", type=int, default=MINED_MIN, help="for mined-cues")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    if args.mined_min < 1:
        parser.error(f"--mined-min must be 1 or more, not {args.mined_min}")
    corpora = args.corpora if (args.corpora / "isis_twitter").is_dir() else None
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        result: dict[str, Any] = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
            "machine": f"{platform.machine()}, {platform.processor() or 'unknown CPU'}",
            "split": args.split,
            "matchers": {
                rule: _figures(matcher, args.split, corpora, tmp)
                for rule, matcher in matchers(tmp, args.rule or list(RULES), args.mined_min).items()
            },
        }
    if args.json:
        print(json.dumps(result, indent=1))
        return 0
    print(f"{result['date']}  {result['machine']}  split {args.split}")
    for rule, parts in result["matchers"].items():
        print(f"{rule}:")
        for part, figures in parts.items():
            print(f"  {part:26} " + "  ".join(f"{k} {v}" for k, v in figures.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
