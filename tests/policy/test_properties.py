"""Laws of the engine over randomly generated signal sets, under every shipped policy:
protected-only signals never raise an action, a higher violating score never lowers one, the
same input always gives the same verdict, and the invariants hold whatever the signals."""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.model.decisions import Action
from nigehban.model.items import Item
from nigehban.model.refs import Relation, Surface
from nigehban.model.signals import Signal, SignalKind
from nigehban.model.taxonomy import PROTECTED, VIOLATING, Category
from nigehban.policy import DecisionContext, Policy, Verdict, decide
from nigehban.policy.model import SEVERITY
from tests.policy.builders import (
    GROUPS,
    SHIPPED,
    abstained,
    account_risk,
    bank_match,
    context,
    lang,
    media,
    mention,
    origin_decision,
    policy,
    post,
    stance,
    state_label,
    threat_any,
)

EXAMPLES = settings(max_examples=150, deadline=None)

# Scores on a 0.01 grid half of the time, so thresholds and their neighbours come up often.
scores = st.floats(min_value=0.0, max_value=1.0, allow_nan=False) | st.integers(0, 100).map(
    lambda n: n / 100
)
violating = st.sampled_from(sorted(c.value for c in VIOLATING))
protected = st.sampled_from(sorted(c.value for c in PROTECTED))


@cache
def shipped(name: str) -> Policy:
    return policy(name)


def protected_signals() -> st.SearchStrategy[Signal]:
    return st.one_of(
        st.builds(stance, protected, scores),
        st.builds(bank_match, protected, scores),
    )


def any_signal() -> st.SearchStrategy[Signal]:
    return st.one_of(
        protected_signals(),
        st.builds(stance, violating, scores, st.none() | violating | protected),
        st.builds(threat_any, scores),
        st.builds(mention, st.sampled_from(sorted(GROUPS)), scores),
        st.just(state_label()),
        st.builds(bank_match, st.none() | violating, scores),
        st.builds(lang, st.sampled_from(["en", "ur", "ur-Latn", "ps", "und"])),
        st.builds(abstained, st.sampled_from(["sd", "bal"])),
        st.builds(account_risk, scores),
    )


@st.composite
def situations(draw: st.DrawFn) -> tuple[Policy, Item, DecisionContext]:
    name = draw(st.sampled_from(SHIPPED))
    surface = draw(st.sampled_from(list(Surface)))
    shape = draw(st.sampled_from(["text", "share", "quote", "media"]))
    origin = None
    if shape in ("share", "quote") and draw(st.booleans()):
        action = draw(st.sampled_from(list(Action)))
        category = draw(violating | protected)
        origin = origin_decision(action, category, draw(scores))
    if shape == "text":
        item: Item = post("some text", surface)
    elif shape == "share":
        item = post(None, surface, Relation.SHARE)
    elif shape == "quote":
        item = post("comment", surface, Relation.QUOTE)
    else:
        item = media()
    present = tuple(draw(st.sets(st.sampled_from(["stance", "groups", "banks"]), min_size=1)))
    ctx = context(origin=origin, surface=surface, detectors_present=tuple(sorted(present)))
    return shipped(name), item, ctx


def severity(verdict: Verdict) -> int:
    return SEVERITY[verdict.decision.action]


def is_raisable(s: Signal) -> bool:
    """A score whose increase means "more violating"."""
    if s.kind is SignalKind.STANCE:
        return Category(s.label) in VIOLATING
    if s.kind is SignalKind.HASH_MATCH:
        return s.evidence.get("category") not in {c.value for c in PROTECTED}
    return s.kind in (SignalKind.THREAT_ANY, SignalKind.ACCOUNT_RISK)


@EXAMPLES
@given(
    situations(),
    st.lists(any_signal(), max_size=8),
    st.lists(protected_signals(), min_size=1, max_size=4),
)
def test_protected_signals_never_raise_the_action(situation, base, extra) -> None:  # type: ignore[no-untyped-def]
    pol, item, ctx = situation
    before = decide(pol, item, base, ctx)
    after = decide(pol, item, base + extra, ctx)
    assert severity(after) <= severity(before), (before.explanation, after.explanation)


@EXAMPLES
@given(situations(), st.lists(any_signal(), min_size=1, max_size=8), st.data())
def test_a_higher_violating_score_never_lowers_the_action(situation, signals, data) -> None:  # type: ignore[no-untyped-def]
    pol, item, ctx = situation
    candidates = [i for i, s in enumerate(signals) if is_raisable(s)]
    if not candidates:
        return
    index = data.draw(st.sampled_from(candidates))
    old = signals[index]
    new_score = data.draw(st.floats(min_value=old.score, max_value=1.0, allow_nan=False))
    raised = [*signals[:index], replace(old, score=new_score), *signals[index + 1 :]]
    before = decide(pol, item, signals, ctx)
    after = decide(pol, item, raised, ctx)
    assert severity(after) >= severity(before), (before.explanation, after.explanation)


@settings(max_examples=400, deadline=None)
@given(
    st.sampled_from(SHIPPED),
    st.sampled_from(list(Surface)),
    st.sampled_from(["stance", "bank", "threat"]),
    violating,
    scores,
    st.data(),
    st.lists(st.builds(mention, st.sampled_from(sorted(GROUPS))), max_size=2),
)
def test_raising_the_one_deciding_score_never_lowers_the_action(  # type: ignore[no-untyped-def]
    name, surface, kind, category, low, data, mentions
) -> None:
    high = data.draw(
        st.floats(min_value=low, max_value=1.0)
        | st.integers(0, 100).map(lambda n: n / 100).filter(lambda x: x >= low)
    )
    pol = shipped(name)

    def signals(score: float) -> list[Signal]:
        if kind == "stance":
            return [lang(), stance(category, score), threat_any(0.1), *mentions]
        if kind == "bank":
            return [bank_match(category, score)]
        return [lang(), stance(category, 0.3), threat_any(score), *mentions]

    item: Item = media() if kind == "bank" else post("text", surface)
    ctx = context(surface=surface)
    before = decide(pol, item, signals(low), ctx)
    after = decide(pol, item, signals(high), ctx)
    assert severity(after) >= severity(before), (before.explanation, after.explanation)


@EXAMPLES
@given(situations(), st.lists(any_signal(), max_size=8), st.randoms(use_true_random=False))
def test_same_input_same_verdict(situation, signals, rng) -> None:  # type: ignore[no-untyped-def]
    pol, item, ctx = situation
    first = decide(pol, item, signals, ctx)
    shuffled = list(signals)
    rng.shuffle(shuffled)
    assert decide(pol, item, shuffled, ctx) == first
    assert decide(shipped(pol.name), item, tuple(signals), ctx) == first


@EXAMPLES
@given(situations(), st.lists(any_signal(), max_size=8))
def test_invariants_hold_for_any_signals(situation, signals) -> None:  # type: ignore[no-untyped-def]
    pol, item, ctx = situation
    verdict = decide(pol, item, signals, ctx)
    decision = verdict.decision
    action = decision.action
    if SEVERITY[action] > SEVERITY[Action.REVIEW] and action is not Action.SUSPEND:
        # restrictions and escalations rest on a violating category and a citable ground
        assert decision.categories and decision.categories[0] in VIOLATING
        assert decision.ground is not None
    if action in (Action.SUSPEND, Action.ESCALATE):
        assert verdict.review_required and not decision.automated_decision
    if verdict.review_required:
        assert not decision.automated_decision and verdict.review_reasons
    assert verdict.notify_authorities == (action is Action.ESCALATE)
    if getattr(item, "surface", ctx.surface) is Surface.PRIVATE:
        assert "2021/784" not in (decision.ground or "")
    assert decision.policy_hash == pol.digest


@EXAMPLES
@given(
    situations(),
    st.lists(
        st.builds(mention, st.sampled_from(sorted(GROUPS)), scores) | st.just(state_label()),
        min_size=1,
        max_size=4,
    ),
)
def test_group_mentions_alone_never_go_beyond_review(situation, mentions) -> None:  # type: ignore[no-untyped-def]
    pol, item, ctx = situation
    ctx = replace(ctx, origin=None)
    verdict = decide(pol, item, [lang(), *mentions], ctx)
    assert SEVERITY[verdict.decision.action] <= SEVERITY[Action.REVIEW]


@EXAMPLES
@given(situations(), st.lists(protected_signals() | st.builds(lang, st.just("en")), max_size=6))
def test_protected_only_posts_are_never_restricted(situation, signals) -> None:  # type: ignore[no-untyped-def]
    pol, item, ctx = situation
    ctx = replace(ctx, origin=None)
    verdict = decide(pol, item, signals, ctx)
    assert SEVERITY[verdict.decision.action] <= SEVERITY[Action.REVIEW]
    assert not verdict.notify_authorities
