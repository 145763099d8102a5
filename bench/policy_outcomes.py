"""What the shipped policies do with the stance classifier's held-out sets.

``nigehban eval`` reports the classifier's own label (violating at its per-language threshold,
on the corpus's class mix). A platform acts through a policy, on the score at the deployment
prior (1% of posts violating by default): label, review, restrict, remove, escalate. This
scans each labelled set as generic posts under each shipped policy — the same
``nigehban scan`` a platform runs, every detector, the semantic tier on — and counts the
actions by gold label, per language:

* violating posts: the share that reaches a human or is acted on (review or harsher), the share
  restricted or harsher, labelled only, and allowed;
* protected posts (news, counter-speech, dissent, academic, other): the share sent to review
  (the moderators' load they add), labelled, and the number restricted or harsher.

Sets: ``test`` (the test split's held-out events), ``blind`` and ``fresh`` (corpus/stance).
Each policy scans into its own temporary store. About 40 s a set and policy on 2 CPUs.

    .venv/bin/python bench/policy_outcomes.py [--sets test,blind,fresh]
        [--policies platform-tos,pk,eu] [--limit N] [--no-semantic] [--json]
"""

from __future__ import annotations

import argparse
import io
import json
import os
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from nigehban.cli.main import main as cli
from nigehban.stance.corpus import Post, corpus_files, load_blind, load_corpus, read_posts
from nigehban.stance.rebuild import machine_description

ROOT = Path(__file__).resolve().parent.parent
STANCE = ROOT / "corpus" / "stance"
SETS = ("test", "blind", "fresh")
POLICIES = ("platform-tos", "pk", "eu")
LANGS = ("en", "ur", "ur-Latn", "ps")
HARSH = ("restrict", "remove", "suspend", "escalate")


def load_set(name: str) -> list[Post]:
    if name == "test":
        return load_corpus(STANCE).test
    if name == "blind":
        return load_blind(STANCE)
    return [p for path in corpus_files(STANCE, name) for p in read_posts(path)]


@contextmanager
def environment(values: dict[str, str]) -> Iterator[None]:
    before = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


def scan(posts: Sequence[Post], policy: str, scratch: Path, semantic: bool) -> dict[str, str]:
    """Post id to the action the policy took, from ``nigehban scan`` into a fresh store."""
    records = scratch / "records.jsonl"
    with records.open("w", encoding="utf-8") as fh:
        for p in posts:
            record = {"platform": "generic", "id": p.id, "text": p.text, "lang": p.lang,
                      "author": {"id": f"a-{p.id}"}}  # fmt: skip
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    out = scratch / f"{policy}.jsonl"
    env = {"NIGEHBAN_DATA_DIR": str(scratch / f"var-{policy}")}
    if not semantic:
        env["NIGEHBAN_STANCE_SEMANTIC"] = "false"
    sink = io.StringIO()
    with environment(env):
        for argv in (["db", "upgrade"], ["scan", str(records), "--policy", policy, "-o", str(out)]):
            code = cli(argv, stdout=sink, stderr=sink)
            if code != 0:
                raise RuntimeError(f"nigehban {argv[0]} exited {code}: {sink.getvalue()[-400:]}")
    actions = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["kind"] == "post":
            actions[row["scoped_id"]] = row["action"]
    missing = [p.id for p in posts if p.id not in actions]
    if missing:
        raise RuntimeError(f"{len(missing)} posts without a decision, e.g. {missing[0]}")
    return actions


def tally(posts: Sequence[Post], actions: dict[str, str]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for lang in (*LANGS, "all"):
        mine = [p for p in posts if lang in ("all", p.lang)]
        if not mine:
            continue
        violating = Counter(actions[p.id] for p in mine if p.violating)
        protected = Counter(actions[p.id] for p in mine if not p.violating)
        nv, np_ = sum(violating.values()), sum(protected.values())
        out[lang] = {
            "violating": nv,
            "violating_actions": dict(sorted(violating.items())),
            "violating_review_or_harsher": _share(nv - violating["allow"] - violating["label"], nv),
            "violating_restrict_or_harsher": _share(sum(violating[a] for a in HARSH), nv),
            "violating_labelled_only": _share(violating["label"], nv),
            "violating_allowed": _share(violating["allow"], nv),
            "protected": np_,
            "protected_actions": dict(sorted(protected.items())),
            "protected_reviewed": _share(protected["review"], np_),
            "protected_labelled": _share(protected["label"], np_),
            "protected_restricted_or_harsher": sum(protected[a] for a in HARSH),
        }
    return out


def _share(k: int, n: int) -> float | None:
    return round(k / n, 4) if n else None


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated: test,blind,fresh")
    parser.add_argument("--policies", default=",".join(POLICIES), help="comma-separated names")
    parser.add_argument("--limit", type=int, help="the first N posts of each set (a smoke run)")
    parser.add_argument("--no-semantic", action="store_true", help="the fast tier alone")
    parser.add_argument("--json", action="store_true", help="end with one JSON result line")
    args = parser.parse_args(argv)
    sets = [s for s in args.sets.split(",") if s]
    policies = [p for p in args.policies.split(",") if p]
    bad = [s for s in sets if s not in SETS]
    if bad:
        parser.error(f"unknown set {bad[0][:20]!r}: one of {', '.join(SETS)}")
    started = time.perf_counter()
    result: dict[str, Any] = {
        "machine": f"{machine_description()}, {os.cpu_count()} CPUs",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "semantic": not args.no_semantic,
        "sets": {},
    }
    for name in sets:
        posts = load_set(name)[: args.limit] if args.limit else load_set(name)
        result["sets"][name] = {}
        for policy in policies:
            with tempfile.TemporaryDirectory() as scratch:
                actions = scan(posts, policy, Path(scratch), not args.no_semantic)
            figures = tally(posts, actions)
            result["sets"][name][policy] = figures
            print(f"{name} under {policy} ({len(posts)} posts)")
            print(
                "  lang      violating  review+  restrict+  label only  allowed"
                "  | protected  reviewed  labelled  restrict+"
            )
            for lang, f in figures.items():
                print(
                    f"  {lang:8}  {f['violating']:9}  {_pct(f['violating_review_or_harsher']):>7}"
                    f"  {_pct(f['violating_restrict_or_harsher']):>9}"
                    f"  {_pct(f['violating_labelled_only']):>10}  {_pct(f['violating_allowed']):>7}"
                    f"  | {f['protected']:9}  {_pct(f['protected_reviewed']):>8}"
                    f"  {_pct(f['protected_labelled']):>8}"
                    f"  {f['protected_restricted_or_harsher']:>9}"
                )
    result["seconds"] = round(time.perf_counter() - started, 1)
    print(f"machine: {result['machine']}; {result['date']}; {result['seconds']} s")
    if args.json:
        print(json.dumps(result, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
