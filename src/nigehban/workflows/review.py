"""People's decisions on cases: review before a decision takes effect, and appeals after.

The scan opens a case where the policy asks for human review (a removal the policy will not take
alone, a bank match on a post whose own stance is protected, an abstention, a political party's
mention). :func:`decide_case` records what the reviewer decided as a new
:class:`~nigehban.model.decisions.Decision` on the same item revision, under the same policy
version and snapshots, with ``automated_decision`` false and the reviewer, the case and the
engine's decision in its details; the case moves to ``decided``. The engine's decision stays as
it was. The statement of reasons is written from the reviewer's decision, and it can now say
truthfully that a person took the final decision. In the same transaction the item's stored pure
shares (retweets, forwards) follow the person's decision, by the rule a scan applies to them
(:meth:`~nigehban.workflows.scan.Scanner.follow`): each gets a decision of its own that records
the decision it follows; a share a person decided, a quote and a reply are left as they are.

The engine's invariants hold for people too: a protected category never restricts (a reviewer
who finds the post violating names the violating category), and a restriction cites a ground of
the policy that may be used for that category on that surface.

:func:`lodge_appeal` opens an appeal case against a decision that took effect (a label,
restriction, removal or suspension, automated or a reviewer's), within ``appeal_days`` of it
(DSA Art. 20: at least six months), with a deadline ``appeal_decision_days`` later (EU 2021/784
Art. 10(2): two weeks). The appeal is decided with :func:`decide_case` like any case, by a person
who did not take the appealed decision (Santa Clara Principles, Appeal); its resolution says
whether the decision was upheld, changed or reversed.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from nigehban.errors import ConflictError, NotFoundError, ValidationError
from nigehban.model.codec import decision_document
from nigehban.model.decisions import Action, Decision
from nigehban.model.items import Post
from nigehban.model.refs import Surface
from nigehban.model.taxonomy import Category
from nigehban.policy.model import Policy
from nigehban.privacy.masking import preview
from nigehban.store.cases import APPEAL, DECIDED, OPEN, Case
from nigehban.store.store import Session, Store
from nigehban.workflows.notices import (
    REVIEW_RULE,
    automatically_detected,
    policy_of,
    revision_appeals,
)

if TYPE_CHECKING:
    from nigehban.workflows.scan import Scanner, ScanRow

REVIEWABLE = tuple(a for a in Action if a is not Action.REVIEW)
"""What a reviewer may decide: every action except sending to review again."""
_RESTRICTING = frozenset(
    {Action.LABEL, Action.RESTRICT, Action.REMOVE, Action.SUSPEND, Action.ESCALATE}
)
"""What takes effect on the content or account (an escalation removes the content as well as
notifying the authorities): it needs a violating category and a ground, and can be appealed."""
MAX_NAME = 100
MAX_NOTE = 500
APPEAL_NOTE_MAX = MAX_NOTE - len("appeal: ")
"""The longest user's reasons an appeal keeps whole (its case reason says ``appeal: …``)."""


ScannerFor = Callable[[Policy], "Scanner"]
"""A scan under a policy, over detectors already built: what decides the shares of an item a
person has decided again (:meth:`~nigehban.workflows.scan.Scanner.follow`)."""


@dataclass(frozen=True, slots=True)
class ReviewOutcome:
    decision_id: int
    decision: Decision
    case: Case
    shares: tuple[ScanRow, ...] = ()
    """The stored shares decided again to follow the person's decision, as a scan's rows."""

    def to_dict(self) -> dict[str, Any]:
        """What the CLI and the API answer: the ended case, the reviewer's decision and the
        shares that follow it."""
        return {
            "case": self.case.to_dict(),
            "decision": decision_document(self.decision_id, self.decision),
            "shares": [row.to_dict() for row in self.shares],
        }


def case_document(case: Case, decision: Decision) -> dict[str, Any]:
    """A case as the CLI and the API show it, with the decision it reviews."""
    return case.to_dict() | {"decision": decision_document(case.decision_id, decision)}


def _category(engine: Decision, chosen: str | None, action: Action) -> tuple[Category, ...]:
    if chosen is None:
        categories = engine.categories
    else:
        try:
            first = Category(chosen)
        except ValueError:
            known = ", ".join(c.value for c in Category)
            raise ValidationError(
                "", "category", f"{preview(chosen)} is not one of {known}"
            ) from None
        categories = (first, *(c for c in engine.categories if c is not first))
    if action in _RESTRICTING and (not categories or not categories[0].violating):
        what = (
            f"{categories[0].value} is a protected category and"
            if categories
            else "the decision under review has no category, and none"
        )
        raise ValidationError(
            "",
            "category",
            f"{what} never leads to {action.value}; name the violating category the content "
            "falls in",
        )
    return categories


def _ground(
    policy: Policy,
    engine: Decision,
    chosen: str | None,
    surface: Surface,
    category: Category,
    action: Action,
) -> str:
    """The ground to cite: ``chosen``, else (for a suspension, a measure on the account) the
    first account ground the policy cites, else the engine's, else the first the policy cites
    for the category on this surface; it must be one the policy cites there."""
    rule = policy.categories.get(category)
    cited: tuple[str, ...] = rule.ground_ids_for(surface) if rule is not None else ()
    if action is Action.SUSPEND and policy.accounts is not None:
        cited = (*policy.accounts.grounds, *cited)
    usable = policy.grounds_for(cited, surface, category)
    if action is Action.SUSPEND and chosen is None and policy.accounts is not None:
        account = [g for g in usable if g in policy.accounts.grounds]
        if account:
            return account[0]
    engine_ground = engine.details.get("ground_id")
    wanted = chosen or (engine_ground if engine_ground in usable else None)
    if wanted is None and usable:
        return usable[0]
    if wanted in usable:
        return str(wanted)
    shown = preview(wanted) if wanted else "none"
    raise ValidationError(
        "",
        "ground",
        f"{shown} cannot be cited for {category.value} on the {surface.value} surface under "
        f"policy {policy.name}; usable: {', '.join(usable) or 'none'}",
    )


def decide_case(
    store: Store,
    tenant: str,
    case_id: int,
    action: Action,
    reviewer: str,
    note: str,
    policies: Callable[[], Mapping[str, Policy]],
    category: str | None = None,
    ground: str | None = None,
    at: datetime | None = None,
    actor: str | None = None,
    scanners: Callable[[], ScannerFor] | None = None,
) -> ReviewOutcome:
    """Record ``reviewer``'s decision on an open case and mark the case decided; the audit
    log's actor is ``actor`` (default ``reviewer:NAME``). With ``scanners`` (which builds a
    scan's detectors: called before the transaction, and only where shares of the item are
    stored), the item's stored pure shares follow the decision in the same transaction, each
    decided by the scanner under the policy of the person's decision."""
    if action not in REVIEWABLE:
        raise ValidationError("", "action", f"{action.value}: a reviewer decides, not defers")
    reviewer = reviewer.strip()
    if not reviewer:
        raise ValidationError("", "reviewer", "a review decision names its reviewer")
    if len(reviewer) > MAX_NAME:
        raise ValidationError("", "reviewer", f"is over {MAX_NAME} characters")
    if not note.strip():
        raise ValidationError("", "note", "a review decision says why")
    if len(note) > MAX_NOTE:
        raise ValidationError("", "note", f"is over {MAX_NOTE} characters")
    now = at or datetime.now(UTC)
    scanner_for = _share_scanners(store, tenant, case_id, scanners)
    with store.session(tenant, actor or f"reviewer:{reviewer[:60]}") as s:
        case = s.cases.get(case_id)
        if case.state != OPEN:
            raise ConflictError(f"case {case_id} is {case.state}, not open")
        engine = s.decisions.get(case.decision_id)
        if case.kind == APPEAL and _same_person(engine.details.get("reviewed_by"), reviewer):
            raise ConflictError(
                f"case {case_id} appeals a decision {preview(reviewer)} took: another person "
                "decides the appeal"
            )
        policy = _policy(s, case, engine, policies, now)
        stored = s.items.get(engine.item)
        item = stored.item if stored is not None else None
        surface = item.surface if isinstance(item, Post) else Surface.PUBLIC
        categories = _category(engine, category, action)
        ground_id = (
            _ground(policy, engine, ground, surface, categories[0], action)
            if action in _RESTRICTING
            else None
        )
        decision = replace(
            engine,
            action=action,
            categories=categories,
            rules=(REVIEW_RULE, *(r for r in engine.rules if r != REVIEW_RULE)),
            ground=policy.grounds[ground_id].citation if ground_id else None,
            policy_hash=engine.policy_hash if policy.made(engine.policy_hash) else policy.digest,
            automated_detection=automatically_detected(engine),
            automated_decision=False,
            decided_at=now,
            details=_details(engine, case, action, reviewer, note, ground_id, categories),
        )
        decision_id = s.decisions.record(decision)
        closed = s.cases.close(
            case_id, _resolution(case, engine, decision, decision_id), now, state=DECIDED
        )
        if case.kind == APPEAL:
            settle_review_case(s, decision, decision_id, policy, now)
        shares = scanner_for(policy).follow(s, decision.item, now) if scanner_for else []
    return ReviewOutcome(decision_id, decision, closed, tuple(shares))


def _share_scanners(
    store: Store, tenant: str, case_id: int, scanners: Callable[[], ScannerFor] | None
) -> ScannerFor | None:
    """``scanners()`` where the open case's item has stored shares (else none is built): the
    detectors read the store, so they are built before the person's transaction, never in it."""
    if scanners is None:
        return None
    with store.reading(tenant) as s:
        case = s.cases.get(case_id)
        shared = case.state == OPEN and bool(
            s.items.sharing([s.decisions.get(case.decision_id).item.key])
        )
    return scanners() if shared else None


def settle_review_case(
    s: Session, person: Decision, person_id: int, policy: Policy, at: datetime
) -> int | None:
    """Close the item's open review case under ``policy`` when it reviews a decision on a
    revision a person has since decided (``person``, on appeal): deciding it would overrule the
    person. The closed case's id, if one was."""
    case_id = s.cases.open_for(person.item, policy.name)
    if case_id is None:
        return None
    case = s.cases.get(case_id)
    reviewed = s.decisions.get(case.decision_id)
    if reviewed.revision > person.revision:
        return None
    if case.policy is None and not made_under(s, reviewed, policy):
        return None  # a case from before cases named their policy, reviewing another's
    s.cases.close(
        case_id,
        f"superseded: a person decided revision {person.revision} "
        f"(decision {person_id}: {person.action.value})",
        at,
    )
    return case_id


def _policy(
    s: Session,
    case: Case,
    engine: Decision,
    policies: Callable[[], Mapping[str, Policy]],
    now: datetime,
) -> Policy:
    """The policy version that made the decision under review; where it is gone (a decision
    from before the policy archive, whose file has changed since), the case's policy as it is
    now — named by the case, or else the one loaded policy holding the decision's ground, or
    the only policy loaded —
    which the reviewer's decision then records and cites (and the archive keeps)."""
    try:
        return policy_of(engine, s.policies, policies)
    except NotFoundError:
        loaded = policies()
        only = next(iter(loaded)) if len(loaded) == 1 else None
        name = case.policy or _named_by_ground(engine, loaded) or only
        current = loaded.get(name) if name else None
        if current is None:
            raise
        s.policies.keep(
            current.digest, current.name, current.version, current.canonical_json(), now
        )
        return current


def made_under(s: Session, decision: Decision, policy: Policy) -> bool:
    """Whether ``decision`` was made under ``policy`` (by name, any version): its hash, its
    archived name, or — for a hash from before the archive — a ground of the policy with the
    citation the decision recorded."""
    if policy.made(decision.policy_hash):
        return True
    name = s.policies.name_of(decision.policy_hash)
    if name is not None:
        return name == policy.name
    return _named_by_ground(decision, {policy.name: policy}) == policy.name


def _named_by_ground(decision: Decision, loaded: Mapping[str, Policy]) -> str | None:
    """The one loaded policy that holds the decision's ground, with the citation it recorded
    (a case from before cases and appeals recorded their policy); None where none or several
    do."""
    ground_id = decision.details.get("ground_id")
    found = [
        name
        for name, policy in loaded.items()
        if isinstance(ground_id, str)
        and ground_id in policy.grounds
        and policy.grounds[ground_id].citation == decision.ground
    ]
    return found[0] if len(found) == 1 else None


def _same_person(earlier: object, reviewer: str) -> bool:
    return isinstance(earlier, str) and _person(earlier) == _person(reviewer)


def _person(name: str) -> str:
    """A reviewer's name as compared: compatibility-folded (full-width letters, ligatures),
    without invisible formatting or control characters, spaces collapsed, case-folded — so
    "Amina", "amina\u200b" and "ａｍｉｎａ" are one person."""
    folded = unicodedata.normalize("NFKC", name)
    visible = "".join(c for c in folded if unicodedata.category(c) not in ("Cf", "Cc"))
    return " ".join(visible.split()).casefold()


def _resolution(case: Case, engine: Decision, decision: Decision, decision_id: int) -> str:
    action = decision.action
    if case.kind != APPEAL:
        return f"decided: {action.value} (decision {decision_id})"
    if action is engine.action and decision.categories[:1] == engine.categories[:1]:
        outcome = "upheld"
    elif action is Action.ALLOW:
        outcome = "reversed"
    else:
        outcome = "changed"
    return f"appeal {outcome}: {action.value} (decision {decision_id})"


def lodge_appeal(
    store: Store,
    tenant: str,
    decision_id: int,
    note: str,
    appeal_days: int,
    decision_days: int,
    at: datetime | None = None,
    actor: str = "appeal",
) -> Case:
    """Open an appeal case against a decision that took effect, within the appeal window."""
    if not note.strip():
        raise ValidationError("", "note", "an appeal gives the user's reasons")
    if len(note.strip()) > APPEAL_NOTE_MAX:
        raise ValidationError("", "note", f"is over {APPEAL_NOTE_MAX} characters")
    now = at or datetime.now(UTC)
    with store.session(tenant, actor) as s:
        decision = s.decisions.get(decision_id)
        if decision.action not in _RESTRICTING:
            raise ConflictError(
                f"decision {decision_id} is {decision.action.value}: it restricts nothing to appeal"
            )
        if decision.details.get("review_required"):
            raise ConflictError(
                f"decision {decision_id} awaits human review: it has not taken effect"
            )
        # the statement names the last day (decided_at's UTC date + appeal_days): all of it counts
        last_day = decision.decided_at.astimezone(UTC).date() + timedelta(days=appeal_days)
        if now.astimezone(UTC).date() > last_day:
            raise ConflictError(
                f"the appeal window for decision {decision_id} closed at the end of "
                f"{last_day.isoformat()} ({appeal_days} days)"
            )
        appeals = revision_appeals(s, decision)
        decided = [c for c in appeals if c.state == DECIDED]
        if decided or decision.details.get("case_kind") == APPEAL:
            where = decided[0].id if decided else decision.details.get("case_id")
            raise ConflictError(
                f"decision {decision_id} was decided on appeal (case {where}); out-of-court "
                "dispute settlement and the courts remain open"
            )
        pending = [c for c in appeals if c.state == OPEN]
        if pending:
            raise ConflictError(
                f"decision {decision_id} is already under appeal in case {pending[0].id}"
                + (
                    f" (against decision {pending[0].decision_id} on the same content)"
                    if pending[0].decision_id != decision_id
                    else ""
                )
            )
        case_id = s.cases.appeal(
            decision.item,
            decision_id,
            f"appeal: {note.strip()}",
            now,
            now + timedelta(days=decision_days),
            s.policies.name_of(decision.policy_hash),
        )
        return s.cases.get(case_id)


def _details(
    engine: Decision,
    case: Case,
    action: Action,
    reviewer: str,
    note: str,
    ground_id: str | None,
    categories: tuple[Category, ...],
) -> dict[str, Any]:
    fired = [
        {
            "id": REVIEW_RULE,
            "description": f"A person reviewed the content and decided: {action.value}",
        },
        *(r for r in engine.details.get("rules_fired") or [] if r.get("id") != REVIEW_RULE),
    ]
    return {
        "secondary_categories": [c.value for c in categories[1:]],
        "rules_fired": fired,
        "review_required": False,
        "review_reasons": [],
        "notify_authorities": action is Action.ESCALATE,
        "absent_detectors": list(engine.details.get("absent_detectors") or []),
        "explanation": [
            *(engine.details.get("explanation") or []),
            f"reviewed in case {case.id}: {action.value}",
        ],
        "ground_id": ground_id,
        "legal_review": bool(engine.details.get("legal_review")),
        "language": engine.details.get("language"),
        "reviewed_by": reviewer,
        "review_note": note,
        "case_id": case.id,
        "case_kind": case.kind,
        "reviewed_decision_id": case.decision_id,
    }
