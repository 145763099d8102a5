"""Statements of reasons for stored decisions: the user notice and the Transparency Database record.

A stored decision carries what the policy engine decided (the action, categories, the rules fired
with their descriptions, the ground's id). With the policy that made it (found by its hash among
the loaded policies, or in the store's policy archive when the file has changed since) and the
item, this module fills a :class:`~nigehban.reasons.ReasonsInput`:

* the ground from the policy file (law or terms, its citation and URL; a legal ground's
  jurisdiction is the policy's: ``PK``, ``EU``);
* the territorial scope: the policy's jurisdiction, or worldwide for a terms-of-service policy;
* how it was detected: a hash list when a bank rule fired, the classifier when a stance rule did
  (``automated_classifier``), and whether a person took part (``automated_decision``);
* the appeal route from the settings (``appeal_location``, ``appeal_days``).

A decision the policy sends to human review is not final: nothing is restricted until a person
has decided, so no statement is written for it (a :class:`~nigehban.errors.ConflictError`), and
none claims that a person took a decision nobody has taken yet.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from nigehban.errors import ConflictError, NotFoundError, UsageError
from nigehban.model.decisions import Action, Decision
from nigehban.model.items import Item, Media, MediaKind, Post
from nigehban.model.refs import ItemRef, Relation, Surface
from nigehban.policy.model import Policy
from nigehban.privacy.masking import redact
from nigehban.reasons import (
    AppealInfo,
    Automation,
    ContentType,
    DetectionSource,
    Ground,
    GroundKind,
    ReasonsInput,
    RuleRef,
    Statement,
    transparency_record,
    user_statement,
)
from nigehban.settings import Settings
from nigehban.store.cases import APPEAL, DECIDED, OPEN, Case
from nigehban.store.interfaces import PolicyArchive
from nigehban.store.store import Session

_MEDIA_TYPES = {
    MediaKind.IMAGE: ContentType.IMAGE,
    MediaKind.STICKER: ContentType.IMAGE,
    MediaKind.VIDEO: ContentType.VIDEO,
    MediaKind.ANIMATION: ContentType.VIDEO,
    MediaKind.AUDIO: ContentType.AUDIO,
    MediaKind.VOICE: ContentType.AUDIO,
}


def policy_of(
    decision: Decision,
    archive: PolicyArchive | None,
    loaded: Callable[[], Mapping[str, Policy]],
) -> Policy:
    """The policy version that made ``decision``: the archived document (kept when the version
    first decided, whatever the files say now), else a loaded policy with its hash (a decision
    older than the archive). ``loaded`` is called only then, so an invalid policy file elsewhere
    in the directory does not stop statements or reviews."""
    document = archive.document(decision.policy_hash) if archive is not None else None
    if document is not None:
        return _archived(decision, document)
    for policy in loaded().values():
        if policy.made(decision.policy_hash):
            return policy
    raise NotFoundError(
        "policy with hash",
        f"{decision.policy_hash[:12]} (changed or removed since, and not in the archive)",
    )


def _archived(decision: Decision, document: str) -> Policy:
    policy = Policy.model_validate(json.loads(document))
    if not policy.made(decision.policy_hash):
        raise ConflictError(
            f"the archived policy {decision.policy_hash[:12]} reads back with another hash"
        )
    return policy


def _ground(decision: Decision, policy: Policy) -> Ground:
    ground_id = decision.details.get("ground_id")
    ground = policy.grounds.get(str(ground_id)) if ground_id else None
    if ground is None:
        raise UsageError(f"decision {decision.action.value} has no ground to cite")
    if ground.law_or_terms == "law":
        return Ground(
            GroundKind.LAW,
            ground.citation,
            jurisdiction=policy.jurisdiction.upper(),
            url=ground.reference_url,
        )
    return Ground(GroundKind.TERMS, ground.citation, url=ground.reference_url)


REVIEW_RULE = "review.decided"
"""The first rule of a person's decision on a case (a review or an appeal)."""

_NOT_DETECTION = ("bank.", "invariant.", "review.", "abstention")
"""Rule ids that name no automated detection of their own: a bank match (the hash list), the
engine's invariants (caps on another rule), a person's review, and the classifier's abstention
(it found nothing: a person did)."""


def automatically_detected(decision: Decision) -> bool:
    """Whether automated means found what the decision acts on (a detector, or the banks)."""
    return decision.automated_detection and any(
        r.startswith("bank.") or not r.startswith(_NOT_DETECTION) for r in decision.rules
    )


def _sources(decision: Decision) -> tuple[DetectionSource, ...]:
    rules = decision.rules
    found: list[DetectionSource] = []
    if any(r.startswith("bank.") for r in rules):
        found.append(DetectionSource.HASH_LIST)
    if decision.automated_detection and any(not r.startswith(_NOT_DETECTION) for r in rules):
        found.append(DetectionSource.AUTOMATED_CLASSIFIER)
    return tuple(found) or (DetectionSource.OWN_INITIATIVE_REVIEW,)


def _rules(decision: Decision, escalated: bool = False) -> tuple[RuleRef, ...]:
    """The rules fired, with their descriptions, never an escalation rule; for an escalation,
    as the removal it carries (the person's decision named as a removal)."""
    fired: list[Mapping[str, Any]] = list(decision.details.get("rules_fired") or [])
    seen: dict[str, str] = {}
    for rule in fired:
        seen.setdefault(str(rule["id"]), str(rule.get("description") or rule["id"]))
    for rule_id in decision.rules:
        seen.setdefault(rule_id, rule_id)
    # The escalation rule is never stated: a confirmed escalation is stated as the removal it
    # carries, and one a person turned down (deciding a removal, restriction or label instead)
    # was not applied — and in both cases the user is not told of the authorities.
    seen = {k: v for k, v in seen.items() if not k.startswith("escalate.")}
    if escalated and REVIEW_RULE in seen:
        seen[REVIEW_RULE] = f"A person reviewed the content and decided: {Action.REMOVE.value}"
    return tuple(RuleRef(rule_id, text[:200]) for rule_id, text in seen.items())


SHARE_CHAIN_LIMIT = 64
"""How far up a chain of shares of shares a statement looks for the content shared."""


def _content_types(
    item: Item,
    media: tuple[MediaKind | None, ...] = (),
    shared: tuple[ContentType, ...] = (),
) -> tuple[ContentType, ...]:
    """What the content is made of: a medium's type; an account's profile (other: the
    statement names it "account profile"); a post's text (where it has any) and its media's
    types (``media``: the kinds of the post's media, ``None`` for one not stored).

    A pure share (a share without text of its own) is acted on for what it shares, so its
    content is the shared post's (``shared``: its types, ``OTHER`` for a post not stored) with
    any media the share carries itself — never text it does not have."""
    if isinstance(item, Media):
        return (_MEDIA_TYPES.get(item.media_kind, ContentType.OTHER),)
    if not isinstance(item, Post):  # an account: its profile, which is not a text post
        return (ContentType.OTHER,)
    own = _media_types(media)
    if isinstance(item, Post) and shared_origin(item) is not None:
        return tuple(dict.fromkeys([*own, *shared])) or (ContentType.OTHER,)
    if isinstance(item, Post) and item.media:
        text = [ContentType.TEXT] if item.text and item.text.strip() else []
        return tuple(dict.fromkeys([*text, *(own or [ContentType.OTHER])]))
    return (ContentType.TEXT,)


def shared_origin(item: Item) -> ItemRef | None:
    """What a pure share shares (the first post it shares), or ``None`` for any other item: a
    post with text of its own (a quote, a share with a comment) is acted on for that text."""
    if not isinstance(item, Post) or (item.text and item.text.strip()):
        return None
    return next((o.ref for o in item.origins if o.relation is Relation.SHARE), None)


def reasons_input(
    decision_id: int,
    decision: Decision,
    item: Item,
    policy: Policy,
    settings: Settings,
    language: str | None = None,
    appeal_decided: bool = False,
    *,
    appeal_pending: bool = False,
    media: tuple[MediaKind | None, ...] = (),
    shared: tuple[ContentType, ...] = (),
) -> ReasonsInput:
    """The statement input for one stored decision (its action must restrict something, and
    must not be waiting for a person's review).

    An escalation is stated as the removal it carries: the user is told that the content was
    removed, on the ground the reviewer cited for its category, and never that the authorities
    were notified (EU 2021/784 Art. 14(5) and 11(3), DSA Art. 18: the notification is not the
    user's to know, and an authority may ask for the statement to wait).

    ``media`` are the kinds of a post's media; ``shared`` what a pure share's origin is made
    of (see :func:`_content_types`)."""
    if decision.action in (Action.ALLOW, Action.REVIEW):
        raise UsageError(
            f"decision {decision_id} is {decision.action.value}: no statement of reasons is sent"
        )
    if decision.details.get("review_required"):
        raise ConflictError(
            f"decision {decision_id} ({decision.action.value}) awaits human review: a statement "
            "of reasons is sent once a person has decided"
        )
    escalated = decision.action is Action.ESCALATE
    ground = _ground(decision, policy)
    jurisdiction = policy.jurisdiction.upper()
    scope = ("WORLD",) if ground.kind is GroundKind.TERMS else (jurisdiction,)
    created: datetime = getattr(item, "created_at", None) or decision.decided_at
    created = min(created, decision.decided_at)  # a platform clock ahead of ours
    surface = item.surface if isinstance(item, Post) else Surface.PUBLIC
    detected = decision.details.get("language")
    post_lang = (
        language
        or (detected if isinstance(detected, str) and detected != "und" else None)
        or (item.lang_hint if isinstance(item, Post) else None)
        or "und"
    )
    return ReasonsInput(
        decision_id=f"D-{decision_id}",
        platform_name=settings.platform_name,
        platform=item.ref.platform,
        item_kind=item.ref.kind,
        scoped_id=item.ref.scoped_id,
        surface=surface,
        created_at=created,
        content_types=_content_types(item, media, shared),
        language=post_lang,
        action=Action.REMOVE if escalated else decision.action,
        categories=decision.categories,
        rules=_rules(decision, escalated),
        ground=ground,
        sources=_sources(decision),
        automated_detection=decision.automated_detection,
        automated_decision=Automation.from_flags(
            decision.automated_detection, decision.automated_decision
        ),
        decided_at=decision.decided_at,
        territorial_scope=scope,
        appeal=AppealInfo(
            settings.appeal_location,
            settings.appeal_days,
            human_review=True,
            decision_days=settings.appeal_decision_days,
            exhausted=decision.details.get("case_kind") == "appeal",
            appeal_decided=appeal_decided,
            appeal_pending=appeal_pending,
        ),
        container_name=item.container_title if isinstance(item, Post) else None,
    )


@dataclass(frozen=True, slots=True)
class Notice:
    """What a statement of reasons needs from the store for one decision."""

    decision_id: int
    decision: Decision
    item: Item
    policy: Policy
    appeal_decided: bool
    appeal_pending: bool = False
    media: tuple[MediaKind | None, ...] = ()
    """The kinds of a post's media, in order (``None`` for one not stored)."""
    shared: tuple[ContentType, ...] = ()
    """For a pure share, what the post it shares is made of (``OTHER`` when it is not stored);
    empty for any other item."""

    def statement(self, settings: Settings, language: str | None = None) -> Statement | None:
        return user_statement(self.reasons(settings, language))

    def transparency(self, settings: Settings) -> dict[str, object]:
        return transparency_record(self.reasons(settings), f"D-{self.decision_id}")

    def reasons(self, settings: Settings, language: str | None = None) -> ReasonsInput:
        return reasons_input(
            self.decision_id,
            self.decision,
            self.item,
            self.policy,
            settings,
            language,
            self.appeal_decided,
            appeal_pending=self.appeal_pending,
            media=self.media,
            shared=self.shared,
        )


def notice_for(s: Session, decision_id: int, loaded: Callable[[], Mapping[str, Policy]]) -> Notice:
    """The decision, its item and the policy version that made it, read in one transaction.

    The policy is found by :func:`policy_of`."""
    decision = s.decisions.get(decision_id)
    stored = s.items.get(decision.item)
    if stored is None or stored.item is None:
        raise NotFoundError("content of", f"{redact(decision.item.key, 80)} (deleted or purged)")
    policy = policy_of(decision, s.policies, loaded)
    appeals = revision_appeals(s, decision)
    appealed = any(c.state == DECIDED for c in appeals)
    pending = any(c.state == OPEN for c in appeals)
    media: tuple[MediaKind | None, ...] = ()
    if isinstance(stored.item, Post):
        media = tuple(_media_kind(s, ref) for ref in stored.item.media)
    shared = _shared_types(s, stored.item)
    return Notice(decision_id, decision, stored.item, policy, appealed, pending, media, shared)


def revision_appeals(s: Session, decision: Decision) -> list[Case]:
    """The appeals against any decision on ``decision``'s item revision under the same policy
    (by name): one appeal answers for the content, whichever of its decisions it named (a rescan
    with a new model decides the revision again while an appeal is pending)."""
    names: dict[str, str | None] = {}

    def name(policy_hash: str) -> str | None:
        if policy_hash not in names:
            names[policy_hash] = s.policies.name_of(policy_hash)
        return names[policy_hash]

    found: list[Case] = []
    for other_id, other in s.decisions.with_ids(decision.item):
        if other.revision != decision.revision:
            continue
        if other.policy_hash != decision.policy_hash and not _same_name(
            other, decision, name(other.policy_hash), name(decision.policy_hash)
        ):
            continue
        found.extend(s.cases.listed(None, 10, kind=APPEAL, decision_id=other_id))
    return sorted(found, key=lambda c: c.id)


def _same_name(a: Decision, b: Decision, a_name: str | None, b_name: str | None) -> bool:
    """Whether two decisions on one revision were made under the same policy: by the names
    the archive keeps, or — for a hash from before the archive — by the same ground cited."""
    if a_name is not None and b_name is not None:
        return a_name == b_name
    ground = a.details.get("ground_id")
    return ground is not None and ground == b.details.get("ground_id") and a.ground == b.ground


def _media_kind(s: Session, ref: ItemRef) -> MediaKind | None:
    stored = s.items.get(ref)
    return stored.item.media_kind if stored and isinstance(stored.item, Media) else None


def _shared_types(s: Session, share: Item) -> tuple[ContentType, ...]:
    """What a pure share shares is made of: the content types of the stored post at the top of
    its chain of pure shares, with the media each share on the way carries; ``OTHER`` stands
    for that post when it is not stored (not collected yet, or purged). Empty for an item that
    is no pure share."""
    origin = shared_origin(share)
    if origin is None:
        return ()
    found: list[ContentType] = []
    seen = {share.ref.key}
    for _ in range(SHARE_CHAIN_LIMIT):
        if origin.key in seen:
            break
        seen.add(origin.key)
        stored = s.items.get(origin)
        if stored is None or stored.item is None:
            break
        item = stored.item
        media = tuple(_media_kind(s, ref) for ref in item.media) if isinstance(item, Post) else ()
        up = shared_origin(item)
        if up is None:
            return tuple(dict.fromkeys([*found, *_content_types(item, media)]))
        found.extend(_media_types(media))
        origin = up
    return tuple(dict.fromkeys([*found, ContentType.OTHER]))


def _media_types(media: tuple[MediaKind | None, ...]) -> list[ContentType]:
    return [_MEDIA_TYPES.get(k, ContentType.OTHER) if k else ContentType.OTHER for k in media]
