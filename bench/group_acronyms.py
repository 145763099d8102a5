"""Should an ambiguous acronym count with context, or stay display-only? Measured per acronym.

Nine acronyms of designated groups have their own hard-negative file
(``tests/data/groups/hard_negatives/<file>.jsonl``: everyday sentences in which the acronym means
something else) and a file of posts naming the group by the acronym alone
(``corpus/groups/staged/<file>-group.jsonl``). For each acronym, the shipped registry is run with
that acronym made matchable and nothing else changed, beside the same registry with it
display-only, on:

* its hard negatives, ``dev`` and ``test`` halves apart (the cues were tuned on ``dev`` only);
* its group-sense posts (development data: the cues were chosen looking at them);
* the evaluation sets' mentions (``dev``, ``test``, the blind set): the mentions it adds.

It prints whether the acronym ships matchable, so the table also checks the registry against the
rule.

The rule the registry follows: an acronym counts with context only where, over the evaluation
sets, it finds at least as many mentions as it flags hard negatives. Only counts are printed,
never posts. There is no floor.

    .venv/bin/python bench/group_acronyms.py [--json]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from groups import machine  # bench/groups.py: the same machine line
from nigehban.groups.evaluation import evaluate, read_jsonl
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import Registry, load_registry

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "data" / "groups"
STAGED = ROOT / "corpus" / "groups" / "staged"
ACRONYMS = (
    ("hut", "HuT", "hizb-ut-tahrir"),
    ("imu", "IMU", "imu"),
    ("huji", "HuJI", "harakat-ul-jihad-islami"),
    ("sra", "SRA", "sra"),
    ("uba", "UBA", "uba"),
    ("lei", "LeI", "lashkar-e-islam"),
    ("leja", "LeJA", "leja"),
    ("trf", "TRF", "trf"),
    ("bluf", "BLUF", "bluf"),
)
"""(file name, alias, group id)."""


def with_alias(registry: Registry, group_id: str, alias: str, match: bool) -> Registry:
    """``registry`` with ``alias`` of ``group_id`` matchable or display-only."""
    groups = {g.id: g for g in registry.groups()}
    group = groups[group_id]
    aliases = tuple(
        dataclasses.replace(a, match=match) if a.text == alias else a for a in group.aliases
    )
    groups[group_id] = dataclasses.replace(group, aliases=aliases)
    labels = {x.id: x for x in registry.labels()}
    return Registry(registry.info, groups, labels, "", registry.moved_ids())


def ships_matchable(registry: Registry, group_id: str, alias: str) -> bool:
    return next(a for a in registry.group(group_id).aliases if a.text == alias).match


def _flagged(matcher: GroupMatcher, rows: list[dict[str, Any]], group: str) -> int:
    return sum(
        any(h.resolved and h.entry_id == group for h in matcher.match(r["text"])) for r in rows
    )


def _missed(matcher: GroupMatcher, split: str | None, blind: bool) -> set[tuple[str, str]]:
    where = DATA / "blind" if blind else DATA
    report = evaluate(matcher, where / "mentions.jsonl", where / "hard_negatives", split)
    return {(m["where"], m["group"]) for m in report.missed}


def measure() -> dict[str, Any]:
    registry = load_registry()
    sets = {"dev": ("dev", False), "test": ("test", False), "blind": (None, True)}
    out: dict[str, Any] = {}
    for file, alias, group in ACRONYMS:
        already = ships_matchable(registry, group, alias)
        matcher = GroupMatcher(with_alias(registry, group, alias, match=True))
        off = GroupMatcher(with_alias(registry, group, alias, match=False))
        negatives = list(read_jsonl(DATA / "hard_negatives" / f"{file}.jsonl"))
        posts = list(read_jsonl(STAGED / f"{file}-group.jsonl"))
        row: dict[str, Any] = {"alias": alias, "group": group, "shipped_matchable": already}
        for split in ("dev", "test"):
            part = [r for r in negatives if r["split"] == split]
            row[f"hard_negatives_{split}"] = [_flagged(matcher, part, group), len(part)]
        row["group_sense_found"] = [_flagged(matcher, posts, group), len(posts)]
        row["more_mentions"] = {
            name: len(_missed(off, *args) - _missed(matcher, *args)) for name, args in sets.items()
        }
        flagged = row["hard_negatives_dev"][0] + row["hard_negatives_test"][0]
        row["rule_met"] = sum(row["more_mentions"].values()) >= flagged
        out[alias] = row
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    acronyms = measure()
    result = {
        "acronyms": acronyms,
        "machine": machine(),
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }
    if args.json:
        print(json.dumps(result, indent=2))
        return 0
    print(
        f"{'acronym':8} {'ships':13} {'hn dev':>9} {'hn test':>9} {'group posts':>12} "
        f"{'more: dev test blind':>21} rule"
    )
    for alias, r in acronyms.items():
        more = r["more_mentions"]
        print(
            f"{alias:8} {'with context' if r['shipped_matchable'] else 'display only':13} "
            f"{'{}/{}'.format(*r['hard_negatives_dev']):>9} "
            f"{'{}/{}'.format(*r['hard_negatives_test']):>9} "
            f"{'{}/{}'.format(*r['group_sense_found']):>12} "
            f"{more['dev']:>11} {more['test']:>4} {more['blind']:>5} "
            f"{'met' if r['rule_met'] else 'not met'}"
        )
    print(f"machine {result['machine']}; {result['date']}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
