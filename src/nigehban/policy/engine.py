"""The policy engine: one post's signals, under one policy, become a :class:`Verdict`.

:func:`decide` is a pure function of its arguments: the same policy, item, signals (in any
order) and :class:`DecisionContext` always give the same verdict, and the decision records
what makes it reproducible (item revision and content hash; hashes of the policy, model, group
registry and bank snapshot). Each rule that fires proposes an action; the most severe one is
applied, after the invariants below have capped what they must. The invariants hold whatever a
policy file says (the loader also refuses files that contradict them):

* a protected category (news, counter-speech, dissent, academic, other) never leads to
  restrict, remove, suspend or escalate; bank entries labelled with one are not acted on;
* a group mention alone leads at most to review;
* a decision in an association category (propaganda, recruitment, financing by default) that
  names groups, none of them a group with a verified designation, is capped at review: with
  human legal review when a political party or rights movement is named, otherwise because an
  unverified designation (or a state label) never grounds a removal;
* a bank match on a post whose own stance is protected — or unknown, because the stance
  detector did not run or abstained on the post's text — goes to review, never to removal;
* any restriction needs a ground the policy may cite on the post's surface (so Regulation (EU)
  2021/784 never grounds an action on a private message); without one the action is review;
* suspension and escalation always need human review; escalation records that the
  authorities must be notified.

Pure shares (a retweet or forward without text of its own) take the origin's decision through
the policy's share rule; in a quote or reply the post's own stance decides.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from nigehban.model.decisions import Action, Decision
from nigehban.model.items import Item, Post
from nigehban.model.refs import Relation, Surface
from nigehban.model.signals import Signal, SignalKind
from nigehban.model.taxonomy import PROTECTED, VIOLATING, Category, Language
from nigehban.policy.model import SEVERITY, THRESHOLD_ACTIONS, EscalateRule, Policy, mildest
from nigehban.policy.verdict import DecisionContext, RuleFired, Verdict

__all__ = ["DecisionContext", "RuleFired", "Verdict", "decide"]

_T = TypeVar("_T")


@dataclass(frozen=True, slots=True)
class _Outcome:
    action: Action
    rule: RuleFired
    category: Category | None
    score: float
    grounds: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    caps: tuple[RuleFired, ...] = ()
    legal_review: bool = False
    notify: bool = False

    def cap(self, limit: Action, rule_id: str, reason: str, *, legal: bool = False) -> _Outcome:
        if SEVERITY[self.action] <= SEVERITY[limit] and not legal:
            return self
        return replace(
            self,
            action=mildest(self.action, limit),
            reasons=(*self.reasons, reason),
            caps=(*self.caps, RuleFired(rule_id, reason)),
            legal_review=self.legal_review or legal,
        )


def decide(
    policy: Policy, item: Item, signals: Iterable[Signal], context: DecisionContext
) -> Verdict:
    """Apply ``policy`` to ``item`` and its signals (media signals already merged in)."""
    return _Run(policy, item, tuple(sorted(signals, key=_signal_key)), context).verdict()


def _signal_key(s: Signal) -> tuple[str, str, float, str, str, str, str]:
    evidence = repr(sorted((k, repr(v)) for k, v in s.evidence.items()))
    return (
        s.kind.value,
        s.label,
        -s.score,
        s.detector,
        s.detector_version,
        s.explanation,
        evidence,
    )


def _category(value: object) -> Category | None:
    try:
        return Category(str(value)) if value is not None else None
    except ValueError:
        return None


def _designated(mention: Signal) -> bool:
    """A mention of a group (not a state label, not a party or movement) whose designation is
    verified: the only kind of mention that can support an association-based removal."""
    evidence = mention.evidence
    return (
        evidence.get("group_kind") is not None
        and not evidence.get("state_label")
        and not evidence.get("needs_legal_review")
        and evidence.get("verified") is True
    )


class _Run:
    def __init__(
        self, policy: Policy, item: Item, signals: tuple[Signal, ...], context: DecisionContext
    ) -> None:
        self.policy = policy
        self.item = item
        self.signals = signals
        self.context = context
        self.surface = (
            item.surface if isinstance(item, Post) else (context.surface or Surface.PUBLIC)
        )
        self.notes: list[str] = []
        kinds: dict[SignalKind, list[Signal]] = {}
        for s in signals:
            kinds.setdefault(s.kind, []).append(s)
        self.by_kind = kinds
        self.stances = [s for s in self.of(SignalKind.STANCE) if _category(s.label) is not None]
        self.violating = [s for s in self.stances if _category(s.label) in VIOLATING]
        self.mentions = [
            s for s in self.of(SignalKind.GROUP_MENTION) if s.score >= policy.groups.min_score
        ]
        self.language = self._language()
        self.absent = tuple(
            d for d in context.detectors_expected if d not in context.detectors_present
        )

    def of(self, kind: SignalKind) -> list[Signal]:
        return self.by_kind.get(kind, [])

    def _language(self) -> Language:
        langs = sorted(self.of(SignalKind.LANG), key=lambda s: (-s.score, s.label))
        label = langs[0].label if langs else (getattr(self.item, "lang_hint", None) or "und")
        try:
            return Language(label)
        except ValueError:
            return Language.UND

    @property
    def has_own_text(self) -> bool:
        return isinstance(self.item, Post) and bool(self.item.text and self.item.text.strip())

    @property
    def pure_share(self) -> bool:
        return (
            isinstance(self.item, Post)
            and any(o.relation is Relation.SHARE for o in self.item.origins)
            and not self.has_own_text
        )

    # -- rules ------------------------------------------------------------------------------

    def outcomes(self) -> list[_Outcome]:
        found: list[_Outcome] = []
        found += self.share()
        found += self.abstention()
        found += self.stance()
        found += self.threat_any()
        found += self.escalate()
        found += self.banks()
        found += self.group_mentions()
        found += self.accounts()
        found += self.required_detectors()
        return [self.grounded(o) for o in found if o.action is not Action.ALLOW]

    def share(self) -> list[_Outcome]:
        if not isinstance(self.item, Post) or not self.item.origins:
            return []
        if not self.pure_share:
            relations = sorted({o.relation.value for o in self.item.origins})
            self.notes.append(f"{' and '.join(relations)}: the post's own stance decides")
            return []
        origin = self.context.origin
        if origin is None:
            self.notes.append("share without comment; the origin's decision was not supplied")
            return []
        category = next((c for c in origin.categories if c in VIOLATING), None)
        mapped = self.policy.shares.origin_actions.get(origin.action)
        if category is None or mapped is None or not origin.violating:
            self.notes.append(f"share of an origin decided {origin.action.value}: not violating")
            return []
        rule = self.policy.categories[category]
        # the description reaches the sharer's statement of reasons: an escalated origin is
        # named by the removal it carries, never by the notification of the authorities
        shown = Action.REMOVE if origin.action is Action.ESCALATE else origin.action
        description = f"shares without comment an origin decided {shown.value} for {category.value}"
        return [
            _Outcome(
                action=mapped,
                rule=RuleFired("share.violating-origin", description),
                category=category,
                score=origin.confidence,
                grounds=rule.ground_ids_for(self.surface),
                reasons=(description,) if mapped is Action.REVIEW else (),
            )
        ]

    def abstention(self) -> list[_Outcome]:
        out = []
        for s in self.of(SignalKind.ABSTAINED):
            reason = f"the stance classifier abstained (language {s.label}): a human decides"
            out.append(
                _Outcome(
                    action=self.policy.abstention.action,
                    rule=RuleFired("abstention", reason),
                    category=None,
                    score=s.score,
                    reasons=(reason,),
                ).cap(Action.REVIEW, "invariant.abstention-review", "an abstention never removes")
            )
        return out

    def stance(self) -> list[_Outcome]:
        out = []
        for s in self.violating:
            category = Category(s.label)
            rule = self.policy.categories[category]
            thresholds = rule.thresholds_for(self.language, self.surface)
            reached = [
                a
                for a in THRESHOLD_ACTIONS
                if thresholds[a] is not None and s.score >= (thresholds[a] or 0.0)
            ]
            if not reached:
                self.notes.append(f"{category.value} score {s.score:.3f} is below every threshold")
                continue
            action = reached[-1]
            description = (
                f"{category.value} score {s.score:.3f} reaches the {action.value} threshold "
                f"{thresholds[action]:g} ({self.language.value}, {self.surface.value})"
            )
            outcome = _Outcome(
                action=action,
                rule=RuleFired(f"stance.{category.value}", description),
                category=category,
                score=s.score,
                grounds=rule.ground_ids_for(self.surface),
                reasons=(description,) if action is Action.REVIEW else (),
            )
            out.append(self.association(outcome))
        return out

    def association(self, outcome: _Outcome) -> _Outcome:
        """Cap a decision that rests on association with groups that cannot ground it."""
        if outcome.category not in self.policy.groups.association_categories:
            return outcome
        if not self.mentions or any(_designated(m) for m in self.mentions):
            return outcome
        if SEVERITY[outcome.action] < SEVERITY[Action.REVIEW]:
            return outcome
        if any(m.evidence.get("needs_legal_review") for m in self.mentions):
            return outcome.cap(
                Action.REVIEW,
                "invariant.association-legal-review",
                "rests only on association with a political party or rights movement: "
                "human legal review",
                legal=True,
            )
        return outcome.cap(
            Action.REVIEW,
            "invariant.unverified-designation",
            "the groups named have no verified designation (or are state labels), "
            "which never grounds a removal",
        )

    def threat_any(self) -> list[_Outcome]:
        threshold = self.policy.threat_any.review
        if threshold is None:
            return []
        out = []
        for s in self.of(SignalKind.THREAT_ANY):
            if s.score >= threshold:
                reason = f"threat of violence score {s.score:.3f} reaches {threshold:g}"
                out.append(
                    _Outcome(
                        Action.REVIEW, RuleFired("threat-any", reason), None, s.score, (), (reason,)
                    )
                )
        return out

    def escalate(self) -> list[_Outcome]:
        rule = self.policy.escalate
        if rule is None or not self.violating:
            return []
        out = []
        for s in self.violating:
            category = Category(s.label)
            if category in rule.categories and s.score >= rule.min_score:
                reason = f"imminent threat to life: {category.value} score {s.score:.3f}"
                out.append(self._escalation(rule, reason, category, s.score))
        # The threat path: a high threat score on a violating post naming a designated group,
        # when the stance looks forward (one of the rule's categories, at any score) or the
        # text sets a near time ("tonight"). A claim of responsibility that promises more
        # "operations" is propaganda with no time: its threat score alone never escalates.
        threats = [t.score for t in self.of(SignalKind.THREAT_ANY)]
        designated = [m for m in self.mentions if _designated(m)]
        forward = [s for s in self.violating if Category(s.label) in rule.categories]
        near = self.of(SignalKind.IMMINENCE)
        if rule.threat_any_min is not None and threats and designated and (forward or near):
            top = max(threats)
            if top >= rule.threat_any_min:
                lead = max(forward or self.violating, key=lambda s: (s.score, s.label))
                when = f", setting a near time ({near[0].evidence.get('cue')})" if near else ""
                reason = (
                    f"imminent threat to life: threat score {top:.3f} with a {lead.label} "
                    f"stance naming the designated group {designated[0].label}{when}"
                )
                out.append(self._escalation(rule, reason, Category(lead.label), top))
        return out

    @staticmethod
    def _escalation(rule: EscalateRule, reason: str, category: Category, score: float) -> _Outcome:
        return _Outcome(
            action=Action.ESCALATE,
            rule=RuleFired("escalate.imminent-threat", reason),
            category=category,
            score=score,
            grounds=rule.grounds,
            reasons=(reason,),
            notify=rule.notify_authorities,
        )

    def banks(self) -> list[_Outcome]:
        out = []
        stance_known = bool(self.stances)
        own_protected = stance_known and not self.violating
        for s in self.of(SignalKind.HASH_MATCH):
            bank = str(s.evidence.get("bank") or s.label)
            entry_category = _category(s.evidence.get("category"))
            if entry_category in PROTECTED:
                self.notes.append(
                    f"bank {bank!r} entry labelled {entry_category}: protected, not acted on"
                )
                continue
            for rule in self.policy.banks:
                if not rule.matches(bank, entry_category, s.score):
                    continue
                category = entry_category or rule.category
                grounds = rule.grounds or (
                    self.policy.categories[category].ground_ids_for(self.surface)
                    if category is not None
                    else ()
                )
                description = (
                    f"matches entry {s.evidence.get('entry_id')} of bank {bank!r} "
                    f"(score {s.score:.3f})"
                )
                outcome = _Outcome(
                    action=rule.action,
                    rule=RuleFired(f"bank.{rule.id}", description),
                    category=category,
                    score=s.score,
                    grounds=grounds,
                    reasons=(description,) if rule.action is Action.REVIEW else (),
                )
                if category is None:
                    outcome = outcome.cap(
                        Action.REVIEW,
                        "invariant.bank-entry-uncategorised",
                        "the bank entry carries no category: a human decides",
                    )
                if own_protected:
                    outcome = outcome.cap(
                        Action.REVIEW,
                        "invariant.protected-stance-bank-review",
                        "known content in a post whose own stance is protected "
                        "(such as a news report showing it): human review, never removal",
                    )
                elif self.has_own_text and not stance_known:
                    outcome = outcome.cap(
                        Action.REVIEW,
                        "invariant.stance-unknown-bank-review",
                        "known content in a post whose own stance is unknown: human review",
                    )
                if self.surface is Surface.PRIVATE:
                    outcome = outcome.cap(
                        Action.REVIEW,
                        "invariant.private-bank-review",
                        "known content in a private message: a person decides",
                    )
                out.append(outcome)
        return out

    def group_mentions(self) -> list[_Outcome]:
        action = self.policy.groups.mention_action
        if not self.mentions or action is Action.ALLOW:
            return []
        top = max(self.mentions, key=lambda m: (m.score, m.label))
        description = f"names {len(self.mentions)} group(s) or label(s), e.g. {top.label}"
        legal = action is Action.REVIEW and any(
            m.evidence.get("needs_legal_review") for m in self.mentions
        )
        reasons: tuple[str, ...] = (description,) if action is Action.REVIEW else ()
        if legal:
            reasons += ("names a political party or rights movement: human legal review",)
        outcome = _Outcome(
            action=action,
            rule=RuleFired("group-mention", description),
            category=None,
            score=top.score,
            reasons=reasons,
            legal_review=legal,
        )
        return [outcome.cap(Action.REVIEW, "invariant.mention-alone", "a mention never removes")]

    def accounts(self) -> list[_Outcome]:
        rule = self.policy.accounts
        if rule is None:
            return []
        out = []
        for s in self.signals:
            if s.kind not in rule.signals:
                continue
            action = Action.ALLOW
            if rule.review is not None and s.score >= rule.review:
                action = Action.REVIEW
            if rule.suspend is not None and s.score >= rule.suspend:
                action = Action.SUSPEND
            if action is not Action.ALLOW:
                reason = f"{s.kind.value} score {s.score:.3f}: {action.value}"
                out.append(
                    _Outcome(
                        action, RuleFired(f"account.{s.kind.value}", reason), None, s.score,
                        rule.grounds, (reason,),
                    )
                )  # fmt: skip
        return out

    def required_detectors(self) -> list[_Outcome]:
        missing = [d for d in self.policy.review.detectors_required if d in self.absent]
        if not missing:
            return []
        reason = f"required detectors did not run: {', '.join(missing)}"
        return [_Outcome(Action.REVIEW, RuleFired("review.detectors-required", reason), None, 1.0,
                         (), (reason,))]  # fmt: skip

    def grounded(self, outcome: _Outcome) -> _Outcome:
        if outcome.category in PROTECTED:
            outcome = outcome.cap(
                Action.REVIEW,
                "invariant.protected-category",
                "a protected category never restricts",
            )
        if SEVERITY[outcome.action] > SEVERITY[Action.REVIEW] and not self.ground_of(outcome):
            outcome = outcome.cap(
                Action.REVIEW,
                "invariant.no-ground-on-surface",
                f"no ground of this policy may be cited for {outcome.action.value} on the "
                f"{self.surface.value} surface",
            )
        return outcome

    def ground_of(self, outcome: _Outcome) -> str | None:
        usable = self.policy.grounds_for(outcome.grounds, self.surface, outcome.category)
        return usable[0] if usable else None

    # -- the verdict ------------------------------------------------------------------------

    def verdict(self) -> Verdict:
        policy, context = self.policy, self.context
        outcomes = self.outcomes()
        winner = max(
            outcomes,
            key=lambda o: (SEVERITY[o.action], o.category in VIOLATING, o.score, o.rule.id),
            default=None,
        )
        action = winner.action if winner else Action.ALLOW
        ground_id = self.ground_of(winner) if winner else None
        review_needed = [o for o in outcomes if o.action is Action.REVIEW or o.caps]
        reasons: list[str] = [r for o in review_needed for r in o.reasons]
        if policy.review_required_for(action):
            reasons.append(f"policy {policy.name} requires human review before {action.value}")
        review_required = (
            action is Action.REVIEW
            or policy.review_required_for(action)
            or any(o.action is Action.REVIEW for o in outcomes)
        )
        categories = self.categories(winner, outcomes)
        fired = sorted(
            {r for o in outcomes for r in (o.rule, *o.caps)},
            key=lambda r: (r.id, r.description),
        )
        violating_scores = [s.score for s in self.violating]
        confidence = winner.score if winner else 1.0 - max(violating_scores, default=0.0)
        decision = Decision(
            item=self.item.ref,
            revision=context.revision,
            content_hash=context.content_hash,
            action=action,
            categories=categories,
            confidence=round(min(1.0, max(0.0, confidence)), 6),
            rules=tuple(dict.fromkeys(r.id for r in fired)),
            ground=policy.grounds[ground_id].citation if ground_id else None,
            automated_detection=bool(self.signals)
            or (self.pure_share and bool(context.origin and context.origin.automated_detection)),
            automated_decision=not review_required,
            policy_hash=policy.digest,
            model_hash=context.model_hash,
            registry_hash=context.registry_hash,
            bank_hash=context.bank_hash,
            decided_at=context.decided_at,
        )
        return Verdict(
            decision=decision,
            secondary_categories=categories[1:],
            rules_fired=tuple(fired),
            review_required=review_required,
            review_reasons=_unique(reasons) if review_required else (),
            notify_authorities=bool(winner and winner.action is Action.ESCALATE and winner.notify),
            absent_detectors=self.absent,
            explanation=self.explain(outcomes, decision, ground_id),
            ground_id=ground_id,
            legal_review=any(o.legal_review for o in outcomes),
        )

    def categories(
        self, winner: _Outcome | None, outcomes: Sequence[_Outcome]
    ) -> tuple[Category, ...]:
        ordered: list[Category] = []
        if winner is not None and winner.category is not None:
            ordered.append(winner.category)
        ranked = sorted(outcomes, key=lambda o: (-SEVERITY[o.action], -o.score, o.rule.id))
        ordered += [o.category for o in ranked if o.category is not None]
        for s in sorted(self.stances, key=lambda s: (-s.score, s.label)):
            ordered.append(Category(s.label))
            secondary = _category(s.evidence.get("secondary"))
            if secondary is not None:
                ordered.append(secondary)
        return _unique(ordered)

    def explain(
        self, outcomes: Sequence[_Outcome], decision: Decision, ground_id: str | None
    ) -> tuple[str, ...]:
        policy = self.policy
        lines = [
            f"policy {policy.name} {policy.version} ({policy.jurisdiction}); "
            f"surface {self.surface.value}; language {self.language.value}"
        ]
        if self.absent:
            lines.append(f"detectors absent: {', '.join(self.absent)}")
        lines += [
            f"signal {s.kind.value} {s.label} {s.score:.3f}: {s.explanation}" for s in self.signals
        ]
        lines += self.notes
        for o in sorted(outcomes, key=lambda o: (-SEVERITY[o.action], o.rule.id)):
            lines.append(f"rule {o.rule.id} -> {o.action.value}: {o.rule.description}")
            lines += [f"  capped by {c.id}: {c.description}" for c in o.caps]
        ground = f" under {ground_id}" if ground_id else ""
        primary = decision.categories[0].value if decision.categories else "no category"
        lines.append(f"decision: {decision.action.value} ({primary}){ground}")
        return tuple(lines)


def _unique(values: Iterable[_T]) -> tuple[_T, ...]:
    return tuple(dict.fromkeys(values))
