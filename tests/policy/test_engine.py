"""The engine on the shipped policies: table-driven cases for each rule and invariant, and the
fields that make a decision reproducible."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

import pytest

from nigehban.errors import UsageError
from nigehban.model.decisions import Action
from nigehban.model.items import Item
from nigehban.model.refs import Relation, Surface
from nigehban.model.signals import Signal
from nigehban.model.taxonomy import Category
from nigehban.policy import DecisionContext, Policy, decide
from tests.policy.builders import (
    SHIPPED,
    abstained,
    account_risk,
    bank_match,
    context,
    imminence,
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

ALL = SHIPPED


@dataclass
class Case:
    id: str
    policies: tuple[str, ...]
    item: Item
    signals: list[Signal]
    action: Action
    ground: str | None = None  # a substring of the cited ground; "" means None
    category: Category | None = None
    rules: tuple[str, ...] = ()
    review: bool | None = None
    legal: bool | None = None
    notify: bool = False
    ctx: DecisionContext = field(default_factory=context)
    not_in_ground: str | None = None


GLORIFY_TTP = post("Salute to the TTP lions who struck the checkpoint; their path is ours.")
NEWS_TTP = post("TTP claimed the attack on the checkpoint, police said; three soldiers died.")

CASES = [
    Case(
        "ttp-glorification-pk",
        ("pk",),
        GLORIFY_TTP,
        [lang(), stance("glorification", 0.93), threat_any(0.1), mention("ttp")],
        Action.REMOVE,
        ground="Anti-Terrorism Act 1997 s.11-W",
        category=Category.GLORIFICATION,
        rules=("stance.glorification",),
        review=False,
    ),
    Case(
        "ttp-glorification-eu",
        ("eu",),
        GLORIFY_TTP,
        [lang(), stance("glorification", 0.93), threat_any(0.1), mention("ttp")],
        Action.REMOVE,
        ground="Regulation (EU) 2021/784 Art. 2(7)(a)",
        category=Category.GLORIFICATION,
        review=True,  # Art. 5 specific measures: a person confirms
    ),
    Case(
        "ttp-glorification-tos",
        ("platform-tos",),
        GLORIFY_TTP,
        [lang(), stance("glorification", 0.93), threat_any(0.1), mention("ttp")],
        Action.REMOVE,
        ground="Terms of service",
        review=False,
    ),
    Case(
        "news-naming-ttp",
        ALL,
        NEWS_TTP,
        [lang(), stance("news", 0.004, secondary="propaganda"), threat_any(0.2), mention("ttp")],
        Action.ALLOW,
        ground="",
        category=Category.NEWS,
        review=False,
    ),
    Case(
        "counter-speech-quoting-propaganda",
        ALL,
        post(
            "This 'martyrdom' video is a lie: the men it praises killed children.",
            relation=Relation.QUOTE,
        ),
        [lang(), stance("counter_speech", 0.02), threat_any(0.05), mention("ttp")],
        Action.ALLOW,
        ground="",
        category=Category.COUNTER_SPEECH,
        ctx=context(origin=origin_decision(Action.REMOVE, "propaganda")),
    ),
    Case(
        "reply-own-violating-stance",
        ("pk",),
        post("Yes brothers, join the caravan, message us to enlist.", relation=Relation.REPLY),
        [lang(), stance("recruitment", 0.9), mention("ttp")],
        Action.REMOVE,
        ground="s.12",
        ctx=context(origin=origin_decision(Action.ALLOW, "news")),
    ),
    Case(
        "forward-of-removed-origin",
        ALL,
        post(None, relation=Relation.SHARE),
        [],
        Action.REMOVE,
        category=Category.GLORIFICATION,
        rules=("share.violating-origin",),
        ctx=context(origin=origin_decision(Action.REMOVE, "glorification")),
    ),
    Case(
        "forward-of-reviewed-origin",
        ALL,
        post(None, relation=Relation.SHARE),
        [],
        Action.REVIEW,
        rules=("share.violating-origin",),
        ctx=context(origin=origin_decision(Action.REVIEW, "propaganda")),
    ),
    Case(
        "forward-of-allowed-news",
        ALL,
        post(None, relation=Relation.SHARE),
        [],
        Action.ALLOW,
        ctx=context(origin=origin_decision(Action.ALLOW, "news")),
    ),
    Case(
        "forward-private-eu-uses-terms",
        ("eu",),
        post(None, Surface.PRIVATE, relation=Relation.SHARE),
        [],
        Action.REMOVE,
        ground="Terms and conditions",
        not_in_ground="2021/784",
        ctx=context(origin=origin_decision(Action.REMOVE, "glorification")),
    ),
    Case(
        "bank-match-on-news-post",
        ALL,
        post("Channel shows still from the group's new video; analysts say it is recycled."),
        [lang(), stance("news", 0.01), bank_match("propaganda")],
        Action.REVIEW,
        rules=("bank.known-content", "invariant.protected-stance-bank-review"),
        review=True,
    ),
    Case(
        "bank-match-on-propaganda-post",
        ("pk", "platform-tos"),
        post("New release from the media wing. Share widely."),
        [lang(), stance("propaganda", 0.5), bank_match("propaganda")],
        Action.REMOVE,
        category=Category.PROPAGANDA,
        rules=("bank.known-content",),
    ),
    Case(
        "bank-match-media-only",
        ("pk",),
        media(),
        [bank_match("propaganda")],
        Action.REMOVE,
        ground="s.11-W",
    ),
    Case(
        "bank-match-stance-absent",
        ALL,
        post("Some caption"),
        [bank_match("propaganda")],
        Action.REVIEW,
        rules=("invariant.stance-unknown-bank-review",),
        ctx=context(detectors_present=("banks", "groups")),
    ),
    Case(
        "bank-entry-without-category",
        ALL,
        media(),
        [bank_match(None)],
        Action.REVIEW,
        rules=("invariant.bank-entry-uncategorised",),
    ),
    Case(
        "bank-entry-protected-not-acted-on",
        ALL,
        media(),
        [bank_match("news")],
        Action.ALLOW,
    ),
    Case(
        "party-mention-only",
        ALL,
        post("TLP supporters gathered outside the press club after Friday prayers."),
        [lang(), stance("dissent", 0.01), mention("tlp")],
        Action.ALLOW,
    ),
    Case(
        "association-with-party-only",
        ALL,
        post("Join the TLP march on Friday, everyone must come out."),
        [lang(), stance("propaganda", 0.95), mention("tlp")],
        Action.REVIEW,
        rules=("invariant.association-legal-review",),
        review=True,
        legal=True,
    ),
    Case(
        "association-with-movement-only",
        ("pk",),
        post("PTM jalsa tomorrow, bring everyone."),
        [lang("ur-Latn"), stance("recruitment", 0.9), mention("ptm")],
        Action.REVIEW,
        legal=True,
    ),
    Case(
        "unverified-designation",
        ALL,
        post("Donate to the front's relief fund today."),
        [lang(), stance("financing", 0.95), mention("unverified-front")],
        Action.REVIEW,
        rules=("invariant.unverified-designation",),
        legal=False,
    ),
    Case(
        "state-label-is-not-a-designation",
        ("pk",),
        post("Khawarij media released another statement."),
        [lang(), stance("propaganda", 0.95), state_label()],
        Action.REVIEW,
        rules=("invariant.unverified-designation",),
    ),
    Case(
        "incitement-against-group-still-decides",
        ("pk",),
        post("Strike them in their homes, leave none alive."),
        [lang(), stance("incitement", 0.9), mention("tlp")],
        Action.REMOVE,
    ),
    Case(
        "abstention",
        ALL,
        post("سنڌي ۾ هڪ پوسٽ"),
        [lang("sd"), abstained("sd")],
        Action.REVIEW,
        rules=("abstention",),
        review=True,
    ),
    Case(
        "imminent-threat",
        ALL,
        post("Tomorrow at the market we will kill them all, be ready."),
        [lang(), stance("threat", 0.99), threat_any(0.97), mention("ttp")],
        Action.ESCALATE,
        rules=("escalate.imminent-threat",),
        review=True,
        notify=True,
    ),
    Case(
        "threat-score-with-designated-group",
        ("pk",),
        post("The lions of the TTP will visit you tonight, judge."),
        [lang(), stance("glorification", 0.3), threat_any(0.95), mention("ttp"), imminence()],
        Action.ESCALATE,
        notify=True,
    ),
    Case(
        "threat-score-with-forward-stance-and-designated-group",
        ("pk",),
        post("The TTP calls on its fighters: the judges of Peshawar are your targets."),
        [lang(), stance("incitement", 0.4), threat_any(0.95), mention("ttp")],
        Action.ESCALATE,
        notify=True,
    ),
    Case(
        "claim-promising-more-attacks-is-removed-not-escalated",
        ALL,
        post("The TTP claims the attack on the check post. Our operations will continue."),
        [lang(), stance("propaganda", 0.99), threat_any(0.95), mention("ttp")],
        Action.REMOVE,
        notify=False,
    ),
    Case(
        "interpersonal-threat-on-protected-post",
        ALL,
        post("If you come near my shop again I will break your legs."),
        [lang(), stance("other", 0.01), threat_any(0.93)],
        Action.REVIEW,
        rules=("threat-any",),
        review=True,
        notify=False,
    ),
    Case(
        "private-message-eu",
        ("eu",),
        post("Our martyrs are heroes, the attack was a victory.", Surface.PRIVATE),
        [lang(), stance("glorification", 0.95)],
        Action.REVIEW,
        ground="Terms and conditions",
        not_in_ground="2021/784",
    ),
    Case(
        "private-threat-eu-escalates-on-terms",
        ("eu",),
        post("We will bomb the station at noon.", Surface.PRIVATE),
        [lang(), stance("threat", 0.99)],
        Action.ESCALATE,
        ground="Terms and conditions: credible threats to life",
        not_in_ground="2021/784",
        notify=True,
    ),
    Case(
        "public-threat-eu-cites-art-14-5",
        ("eu",),
        post("We will bomb the station at noon."),
        [lang(), stance("threat", 0.99)],
        Action.ESCALATE,
        ground="Art. 14(5)",
        notify=True,
    ),
    Case(
        "pashto-needs-higher-score-to-remove",
        ("pk",),
        post("text"),
        [lang("ps"), stance("glorification", 0.85)],
        Action.RESTRICT,
    ),
    Case(
        "english-same-score-removes",
        ("pk",),
        post("text"),
        [lang("en"), stance("glorification", 0.85)],
        Action.REMOVE,
    ),
    Case(
        "low-score-labels",
        ALL,
        post("text"),
        [lang(), stance("glorification", 0.06)],
        Action.LABEL,
        review=False,
    ),
    Case(
        "below-every-threshold",
        ALL,
        post("text"),
        [lang(), stance("glorification", 0.01)],
        Action.ALLOW,
    ),
    Case(
        "account-suspension-needs-review",
        ALL,
        post("text"),
        [account_risk(0.95)],
        Action.SUSPEND,
        review=True,
    ),
]


def _run(case: Case, name: str):  # type: ignore[no-untyped-def]
    return decide(policy(name), case.item, case.signals, case.ctx)


@pytest.mark.parametrize(
    ("case", "name"),
    [pytest.param(c, n, id=f"{c.id}[{n}]") for c in CASES for n in c.policies],
)
def test_case(case: Case, name: str) -> None:
    verdict = _run(case, name)
    decision = verdict.decision
    assert decision.action is case.action, verdict.explanation
    if case.ground == "":
        assert decision.ground is None
    elif case.ground is not None:
        assert decision.ground is not None and case.ground in decision.ground, decision.ground
    if case.not_in_ground is not None:
        assert case.not_in_ground not in (decision.ground or "")
    if case.category is not None:
        assert decision.categories[0] is case.category
    for rule in case.rules:
        assert rule in decision.rules, decision.rules
    if case.review is not None:
        assert verdict.review_required is case.review, verdict.review_reasons
    if case.legal is not None:
        assert verdict.legal_review is case.legal
    assert verdict.notify_authorities is case.notify
    # the invariants hold in every case
    if decision.action in (Action.SUSPEND, Action.ESCALATE):
        assert verdict.review_required and not decision.automated_decision
    if verdict.review_required:
        assert verdict.review_reasons and not decision.automated_decision
    if getattr(case.item, "surface", None) is Surface.PRIVATE:
        assert "2021/784" not in (decision.ground or "")


def test_decision_records_what_makes_it_reproducible() -> None:
    pk = policy("pk")
    ctx = context(revision=3, content_hash="abc123", detectors_present=("stance", "groups"))
    verdict = decide(pk, GLORIFY_TTP, [lang(), stance("glorification", 0.93)], ctx)
    d = verdict.decision
    assert d.item == GLORIFY_TTP.ref
    assert (d.revision, d.content_hash) == (3, "abc123")
    assert d.policy_hash == pk.digest and len(d.policy_hash) == 64
    assert (d.model_hash, d.registry_hash, d.bank_hash) == ("model-1", "registry-1", "bank-1")
    assert d.decided_at == ctx.decided_at
    assert d.rules == tuple(r.id for r in verdict.rules_fired)
    assert d.automated_detection and d.automated_decision
    assert verdict.ground_id == "ata-s11w"
    assert verdict.absent_detectors == ("banks",)
    assert any("detectors absent: banks" in line for line in verdict.explanation)
    assert d.confidence == pytest.approx(0.93)


def test_secondary_categories_and_confidence_of_an_allow() -> None:
    verdict = decide(
        policy("pk"),
        NEWS_TTP,
        [lang(), stance("news", 0.004, secondary="glorification")],
        context(),
    )
    assert verdict.decision.categories == (Category.NEWS, Category.GLORIFICATION)
    assert verdict.secondary_categories == (Category.GLORIFICATION,)
    assert not verdict.decision.violating
    assert verdict.decision.confidence == pytest.approx(1.0)


def test_an_edit_is_a_new_decision_and_signal_order_does_not_matter() -> None:
    pk = policy("pk")
    signals = [
        lang(),
        stance("propaganda", 0.7),
        threat_any(0.2),
        mention("ttp"),
        bank_match(None, 0.7),
    ]
    first = decide(pk, GLORIFY_TTP, signals, context())
    assert decide(pk, GLORIFY_TTP, list(reversed(signals)), context()) == first
    edited = decide(pk, GLORIFY_TTP, signals, context(revision=2, content_hash="new"))
    assert edited != first and edited.decision.revision == 2


def test_required_detector_absent_goes_to_review() -> None:
    pk = policy("pk")
    strict = Policy.model_validate({**pk.model_dump(), "review": {"detectors_required": ["banks"]}})
    assert strict.digest != pk.digest
    ctx = context(detectors_present=("stance", "groups"))
    verdict = decide(strict, GLORIFY_TTP, [lang(), stance("news", 0.01)], ctx)
    assert verdict.decision.action is Action.REVIEW
    assert "review.detectors-required" in verdict.decision.rules


def test_context_needs_an_aware_time() -> None:
    with pytest.raises(UsageError, match="time zone"):
        context(decided_at=datetime(2025, 1, 1))


@pytest.mark.parametrize("name", ALL)
def test_a_share_of_an_escalated_origin_is_described_by_its_removal(name: str) -> None:
    """The rule's description reaches the sharer's statement of reasons: it must not tell
    that the origin was escalated to the authorities."""
    verdict = decide(
        policy(name),
        post(None, relation=Relation.SHARE),
        [],
        context(origin=origin_decision(Action.ESCALATE, "threat")),
    )
    [fired] = [r for r in verdict.rules_fired if r.id == "share.violating-origin"]
    assert fired.description == "shares without comment an origin decided remove for threat"
    assert "escalat" not in " ".join(verdict.explanation + verdict.review_reasons)
