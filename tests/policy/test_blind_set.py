"""The classifier's blind set scanned as generic public posts under every shipped policy: the
policy adds no false positives of its own. No news, counter-speech or dissent post is
restricted, removed or escalated unless the classifier itself called it violating."""

from __future__ import annotations

import json
from collections import Counter
from functools import cache
from pathlib import Path

import pytest

from nigehban.groups.detector import GroupDetector
from nigehban.model.decisions import Action
from nigehban.model.items import Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Surface
from nigehban.model.signals import SignalKind
from nigehban.policy import decide
from nigehban.settings import load_settings
from nigehban.stance.classifier import Classifier
from nigehban.stance.detector import StanceDetector
from tests.policy.builders import SHIPPED, context, policy

BLIND = Path(__file__).resolve().parents[2] / "corpus" / "stance" / "blind"
PROTECTED_STANCES = {"news", "counter_speech", "dissent"}
RESTRICTING = {Action.RESTRICT, Action.REMOVE, Action.SUSPEND, Action.ESCALATE}


@cache
def scanned() -> list[tuple[dict[str, object], Post, list]]:  # type: ignore[type-arg]
    stance = StanceDetector(
        Classifier.from_settings(load_settings(environ={}, stance_semantic=False))
    )
    groups = GroupDetector.from_directory()
    rows = [
        json.loads(line)
        for path in sorted(BLIND.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    out = []
    for row in rows:
        post = Post(
            ItemRef("t", Platform.GENERIC, ItemKind.POST, row["id"]),
            Surface.PUBLIC,
            text=row["text"],
        )
        out.append((row, post, stance.detect(post) + groups.detect(post)))
    return out


@pytest.mark.parametrize("name", SHIPPED)
def test_the_policy_adds_no_false_positives_on_the_blind_set(name: str) -> None:
    if not BLIND.is_dir():
        pytest.skip("corpus/stance/blind is not in this checkout")
    pol = policy(name)
    ctx = context(detectors_present=("stance", "groups"))
    actions: Counter[tuple[str, Action]] = Counter()
    offending = []
    for row, post, signals in scanned():
        verdict = decide(pol, post, signals, ctx)
        action = verdict.decision.action
        actions[(str(row["label"]), action)] += 1
        called_violating = any(
            s.kind is SignalKind.STANCE and s.evidence.get("label") == "violating" for s in signals
        )
        if row["category"] in PROTECTED_STANCES and action in RESTRICTING and not called_violating:
            offending.append(row["id"])
    assert offending == []
    assert len(scanned()) > 2000
    # and the policy does act on violating posts: a sanity check, not a benchmark
    acted = sum(n for (label, a), n in actions.items() if label == "violating" and a in RESTRICTING)
    assert acted > 100, actions
