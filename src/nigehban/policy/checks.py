"""Contradictions in a structurally valid policy, refused at ``file:line``.

A policy that loads means what it says: thresholds are ordered label ≤ review ≤ restrict ≤
remove for every language and surface; no rule acts on a protected category; every ground a
rule cites exists, applies to the rule's category and allows the surface it is cited for; a
Regulation (EU) 2021/784 ground never allows private messages; every surface where a category
can be labelled, restricted or removed has a ground to cite, and so has every category a bank
rule or the escalation decides; a group mention alone or a
classifier abstention leads at most to review; a share leads at most to remove; an escalation
notifies the authorities. The engine enforces the same invariants again at decision time.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from nigehban.errors import InputError
from nigehban.model.decisions import Action
from nigehban.model.refs import Surface
from nigehban.model.signals import DETECTOR_NAMES, SignalKind
from nigehban.model.taxonomy import PROTECTED, VIOLATING, Category, Language
from nigehban.policy.model import SEVERITY, THRESHOLD_ACTIONS, CategoryRule, Policy
from nigehban.privacy.masking import preview
from nigehban.yamldoc import PathKey, YamlDoc

_LEGAL_JURISDICTION = re.compile(r"^(?:[A-Z]{2}|EU)$")
ACCOUNT_SIGNALS = (SignalKind.ACCOUNT_RISK, SignalKind.BAN_EVASION)


def check_policy(doc: YamlDoc, policy: Policy) -> None:
    """Raise the first contradiction in ``policy`` (parsed from ``doc``) at its line."""
    _Checker(doc, policy).run()


def suggest(name: str, known: Iterable[str]) -> str:
    """``"; did you mean 'remove'?"`` when a known name is close to ``name``, else ``""``."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _names(values: Iterable[object]) -> str:
    return ", ".join(str(v) for v in values)


class _Checker:
    """Semantic checks on a structurally valid policy; the first problem is raised."""

    def __init__(self, doc: YamlDoc, policy: Policy) -> None:
        self.doc = doc
        self.policy = policy

    def fail(self, key: Sequence[str | int], problem: str) -> InputError:
        return self.doc.error(key, problem)

    def run(self) -> None:
        self.check_grounds()
        self.check_categories()
        self.check_banks()
        self.check_shares()
        self.check_escalate()
        self.check_small_rules()

    # grounds ---------------------------------------------------------------------------------

    def check_grounds(self) -> None:
        jurisdiction = self.policy.jurisdiction.strip()
        if not jurisdiction:
            raise self.fail(("jurisdiction",), "is blank; e.g. PK, EU or global")
        for ground_id, ground in self.policy.grounds.items():
            key: PathKey = ("grounds", ground_id)
            if ground.law_or_terms == "law" and not _LEGAL_JURISDICTION.match(jurisdiction):
                raise self.fail(
                    ("jurisdiction",),
                    f"{preview(jurisdiction)}: a policy that cites law (ground {ground_id!r}) "
                    "names its jurisdiction by ISO country code in capitals (PK) or EU, as "
                    "statements of reasons must",
                )
            if ground.is_tco and Surface.PRIVATE in ground.surfaces:
                index = ground.surfaces.index(Surface.PRIVATE)
                raise self.fail(
                    (*key, "surfaces", index),
                    "Regulation (EU) 2021/784 does not apply to private messages (interpersonal "
                    "communications are outside its scope); remove 'private'",
                )
            for index, category in enumerate(ground.applies_to):
                if category in PROTECTED:
                    raise self.fail(
                        (*key, "applies_to", index),
                        f"{category.value!r} is a protected category: no ground applies to it",
                    )

    def ground_ref(self, key: PathKey, ground_id: str) -> None:
        if ground_id not in self.policy.grounds:
            raise self.fail(
                key,
                f"{preview(ground_id)} is not a ground of this policy"
                + suggest(ground_id, self.policy.grounds),
            )

    def ground_refs(self, key: PathKey, ground_ids: Sequence[str] | None) -> None:
        for index, ground_id in enumerate(ground_ids or ()):
            self.ground_ref((*key, index), ground_id)

    # categories ------------------------------------------------------------------------------

    def check_categories(self) -> None:
        categories = self.policy.categories
        for category in categories:
            if category in PROTECTED:
                raise self.fail(
                    ("categories", category.value),
                    f"{category.value!r} is a protected category (news, counter-speech, dissent, "
                    "academic and other speech are never restricted by stance); remove this rule",
                )
        missing = sorted(c.value for c in VIOLATING if c not in categories)
        if missing:
            raise self.fail(
                ("categories",),
                f"no rule for {_names(missing)}: every violating category needs one "
                "(set its thresholds to null to never act on it)",
            )
        for category, rule in categories.items():
            self.check_category(category, rule)

    def check_category(self, category: Category, rule: CategoryRule) -> None:
        key: PathKey = ("categories", category.value)
        self.ground_refs((*key, "grounds"), rule.grounds)
        for index, ground_id in enumerate(rule.grounds):
            ground = self.policy.grounds[ground_id]
            if category not in ground.applies_to:
                raise self.fail(
                    (*key, "grounds", index),
                    f"ground {ground_id!r} does not apply to {category.value} "
                    f"(it applies to {_names(ground.applies_to)})",
                )
        for surface, override in rule.surfaces.items():
            skey: PathKey = (*key, "surfaces", surface.value, "grounds")
            self.ground_refs(skey, override.grounds)
            for index, ground_id in enumerate(override.grounds or ()):
                ground = self.policy.grounds[ground_id]
                if not ground.allows(surface, None):
                    raise self.fail(
                        (*skey, index),
                        f"ground {ground_id!r} excludes the {surface.value} surface "
                        f"(it allows {_names(ground.surfaces)})",
                    )
                if category not in ground.applies_to:
                    raise self.fail(
                        (*skey, index),
                        f"ground {ground_id!r} does not apply to {category.value}",
                    )
        self.check_order(category, rule)
        self.check_grounded(category, rule)

    def check_order(self, category: Category, rule: CategoryRule) -> None:
        key: PathKey = ("categories", category.value)
        combos: list[tuple[Language | None, Surface | None]] = [(None, None)]
        combos += [(lang, None) for lang in rule.languages]
        combos += [(None, surface) for surface in rule.surfaces]
        combos += [(lang, surface) for lang in rule.languages for surface in rule.surfaces]
        for lang, surface in combos:
            layers: list[tuple[PathKey, dict[Action, float | None]]] = [
                ((*key, "thresholds"), rule.thresholds.explicit())
            ]
            if lang is not None:
                layers.append(((*key, "languages", lang.value), rule.languages[lang].explicit()))
            if surface is not None:
                layers.append(
                    ((*key, "surfaces", surface.value), rule.surfaces[surface].explicit())
                )
            value: dict[Action, float | None] = dict.fromkeys(THRESHOLD_ACTIONS)
            source: dict[Action, PathKey] = {}
            for layer_key, explicit in layers:
                for action, threshold in explicit.items():
                    value[action] = threshold
                    source[action] = (*layer_key, action.value)
            previous: tuple[Action, float] | None = None
            for action in THRESHOLD_ACTIONS:
                threshold = value[action]
                if threshold is None:
                    continue
                if previous is not None and threshold < previous[1]:
                    parts = [f"language {lang.value}"] if lang is not None else []
                    parts += [f"the {surface.value} surface"] if surface is not None else []
                    where = f" for {' on '.join(parts)}" if parts else ""
                    later = max(source[action], source[previous[0]], key=len)
                    raise self.fail(
                        later,
                        f"the {action.value} threshold {threshold:g} is below the "
                        f"{previous[0].value} threshold {previous[1]:g}{where} "
                        "(thresholds must be ordered label ≤ review ≤ restrict ≤ remove)",
                    )
                previous = (action, threshold)

    def check_grounded(self, category: Category, rule: CategoryRule) -> None:
        langs: list[Language] = [Language.UND, *rule.languages]
        for surface in Surface:
            acting = [
                action
                for lang in langs
                for action, threshold in rule.thresholds_for(lang, surface).items()
                if threshold is not None and action is not Action.REVIEW
            ]
            if not acting:
                continue
            ids = rule.ground_ids_for(surface)
            if not self.policy.grounds_for(ids, surface, category):
                key: PathKey = ("categories", category.value, "grounds")
                if surface in rule.surfaces and rule.surfaces[surface].grounds is not None:
                    key = ("categories", category.value, "surfaces", surface.value, "grounds")
                raise self.fail(
                    key,
                    f"{acting[0].value} is possible on the {surface.value} surface but none of "
                    f"the grounds {_names(ids)} may be cited there; cite a ground that covers "
                    f"{surface.value}, or set label, restrict and remove to null under "
                    f"surfaces.{surface.value}",
                )

    # banks, shares, escalation ---------------------------------------------------------------

    def check_banks(self) -> None:
        seen: dict[str, int] = {}
        for index, rule in enumerate(self.policy.banks):
            key: PathKey = ("banks", index)
            if rule.id in seen:
                raise self.fail(
                    (*key, "id"), f"{rule.id!r} is already the id of banks[{seen[rule.id]}]"
                )
            seen[rule.id] = index
            for field in ("entry_category", "category"):
                category = getattr(rule, field)
                if category is not None and category in PROTECTED:
                    raise self.fail(
                        (*key, field),
                        f"{category.value!r} is a protected category: a bank rule cannot act on it",
                    )
            if SEVERITY[rule.action] > SEVERITY[Action.REMOVE]:
                raise self.fail(
                    (*key, "action"),
                    f"{rule.action.value!r}: a bank match leads at most to remove (suspension "
                    "and escalation come from their own rules)",
                )
            self.ground_refs((*key, "grounds"), rule.grounds)
            category = rule.category or rule.entry_category
            if rule.grounds is not None and category is not None:
                self.covering((*key, "grounds"), rule.grounds, category, "a bank match")

    def covering(
        self, key: PathKey, ground_ids: Sequence[str], category: Category, what: str
    ) -> None:
        """Refuse ``ground_ids`` when none of them applies to ``category``: the engine would
        find nothing to cite and cap the decision, silently."""
        if any(category in self.policy.grounds[g].applies_to for g in ground_ids):
            return
        covered = sorted({c.value for g in ground_ids for c in self.policy.grounds[g].applies_to})
        raise self.fail(
            key,
            f"none of the grounds {_names(ground_ids)} applies to {category.value}, which "
            f"{what} is decided as (they apply to {_names(covered)}); cite a ground that does",
        )

    def check_shares(self) -> None:
        for origin, action in self.policy.shares.origin_actions.items():
            key: PathKey = ("shares", "origin_actions", origin.value)
            if SEVERITY[origin] < SEVERITY[Action.REVIEW]:
                raise self.fail(
                    key,
                    f"an origin that is only {origin.value}ed is not violating; "
                    "map review, restrict, remove, suspend or escalate",
                )
            if SEVERITY[action] > SEVERITY[Action.REMOVE]:
                raise self.fail(key, f"{action.value!r}: sharing an origin leads at most to remove")

    def check_escalate(self) -> None:
        rule = self.policy.escalate
        if rule is None:
            return
        for index, category in enumerate(rule.categories):
            if category in PROTECTED:
                raise self.fail(
                    ("escalate", "categories", index),
                    f"{category.value!r} is a protected category: it never escalates",
                )
        if not rule.notify_authorities:
            raise self.fail(
                ("escalate", "notify_authorities"),
                "escalation is for an imminent threat to life, which must reach the "
                "authorities; set it to true or remove the escalate rule",
            )
        self.ground_refs(("escalate", "grounds"), rule.grounds)
        # with threat_any_min, a near time (an imminence signal) escalates any violating stance
        escalated = list(rule.categories)
        if rule.threat_any_min is not None:
            escalated += [c for c in sorted(VIOLATING) if c not in rule.categories]
        for category in escalated:
            self.covering(("escalate", "grounds"), rule.grounds, category, "an escalation")
        # an escalation with no ground citable on a surface is capped at review there
        # (invariant.no-ground-on-surface): the authorities would never be notified
        for surface in Surface:
            for category in escalated:
                if not self.policy.grounds_for(rule.grounds, surface, category):
                    raise self.fail(
                        ("escalate", "grounds"),
                        f"none of the grounds {_names(rule.grounds)} may be cited for "
                        f"{category.value} on the {surface.value} surface, so an escalation "
                        "there would be capped at review and never reach the authorities; "
                        "cite a ground that covers it",
                    )

    def check_small_rules(self) -> None:
        policy = self.policy
        capped = (
            (("abstention", "action"), policy.abstention.action, "a classifier abstention"),
            (("groups", "mention_action"), policy.groups.mention_action, "a group mention alone"),
        )
        for key, action, what in capped:
            if SEVERITY[action] > SEVERITY[Action.REVIEW]:
                raise self.fail(
                    key,
                    f"{action.value!r}: {what} never grounds a restriction or removal "
                    "(use allow, label or review)",
                )
        if not policy.groups.association_categories:
            raise self.fail(
                ("groups", "association_categories"),
                "an empty list would let a decision resting only on association with a "
                "political party or rights movement act without legal review",
            )
        for index, action in enumerate(policy.review.required_for):
            if action in (Action.ALLOW, Action.REVIEW):
                raise self.fail(
                    ("review", "required_for", index),
                    f"{action.value!r} restricts nothing: review is required before an action "
                    "takes effect (label, restrict, remove, suspend, escalate)",
                )
        if policy.accounts is not None:
            for index, kind in enumerate(policy.accounts.signals):
                if kind not in ACCOUNT_SIGNALS:
                    raise self.fail(
                        ("accounts", "signals", index),
                        f"{kind.value!r} is not an account signal (use "
                        f"{_names(k.value for k in ACCOUNT_SIGNALS)}); posts are decided by "
                        "the category rules",
                    )
        for index, name in enumerate(policy.review.detectors_required):
            if name not in DETECTOR_NAMES:
                raise self.fail(
                    ("review", "detectors_required", index),
                    f"{preview(name)} is not a detector (known: {_names(DETECTOR_NAMES)})"
                    + suggest(name, DETECTOR_NAMES),
                )
        for index, category in enumerate(policy.groups.association_categories):
            if category in PROTECTED:
                raise self.fail(
                    ("groups", "association_categories", index),
                    f"{category.value!r} is a protected category",
                )
        accounts = policy.accounts
        if accounts is not None:
            self.ground_refs(("accounts", "grounds"), accounts.grounds)
            if (
                accounts.review is not None
                and accounts.suspend is not None
                and accounts.suspend < accounts.review
            ):
                raise self.fail(
                    ("accounts", "suspend"),
                    f"the suspend threshold {accounts.suspend:g} is below the review threshold "
                    f"{accounts.review:g}",
                )
