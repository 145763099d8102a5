"""The DSA Transparency Database statement of reasons (DSA Art. 24(5)) for a decision.

:func:`transparency_record` fills the v2 schema of ``reference/legal_transparency.md`` §2.3 with
exactly its field names and allowed values; :func:`validate_transparency_record` checks any
record against that schema. A record built here always validates (a property test holds it to
that). The record carries no personal data: no post text, no user or item identifiers, no
channel or group name, no notifier unless it is an authority or a trusted flagger.

How each field is filled (choices where the reference is silent are marked *choice*):

* ``decision_visibility`` / ``decision_account``: ``remove`` worldwide → ``…_CONTENT_REMOVED``;
  ``remove`` in listed territories → ``…_CONTENT_DISABLED`` (*choice*: disabling access is the
  geographic form); ``restrict`` → ``…_CONTENT_DEMOTED``; ``label`` → ``…_CONTENT_LABELLED``;
  ``suspend`` → ``decision_account = DECISION_ACCOUNT_SUSPENDED``. Nigehban takes no monetary
  or service-provision decisions, so ``decision_monetary`` and ``decision_provision`` are never
  set. ``end_date_visibility_restriction`` / ``end_date_account_restriction`` from ``ends_at``.
* ``decision_ground``: a legal ground → ``DECISION_GROUND_ILLEGAL_CONTENT`` with
  ``illegal_content_legal_ground`` (the provision) and ``illegal_content_explanation``; a terms
  ground → ``DECISION_GROUND_INCOMPATIBLE_CONTENT`` with ``incompatible_content_ground``,
  ``incompatible_content_explanation`` and, when known, ``incompatible_content_illegal``.
  ``decision_ground_reference_url`` from the ground's URL.
* ``category``: every violating category is terrorist content →
  ``STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY`` with ``category_specification``
  ``KEYWORD_TERRORIST_CONTENT``, plus ``KEYWORD_ILLEGAL_ORGANIZATIONS`` when the categories
  include propaganda, recruitment or financing (*choice*: these concern an organisation).
* ``content_type`` from the content types (``CONTENT_TYPE_OTHER`` with ``content_type_other``
  "account profile" or "other content"); ``content_language`` the post's ISO 639-1 code in upper
  case (``UR`` for Roman Urdu; omitted for ``und`` and for languages without a 639-1 code, such
  as Balochi); ``content_date`` and ``application_date`` the dates of ``created_at`` and
  ``decided_at`` in UTC.
* ``territorial_scope``: the EU/EEA countries where the measure applies (all 30 for a worldwide
  measure), sorted. A measure that applies nowhere in the EU/EEA has no record
  (:class:`UsageError`).
* ``source_type`` (*choice*, one value for several sources, by precedence): an authority's order
  → ``SOURCE_TYPE_OTHER_NOTIFICATION`` (the schema has no value for orders; reference §2.3); a
  trusted flagger → ``SOURCE_TRUSTED_FLAGGER``; a user's notice → ``SOURCE_ARTICLE_16``; an
  authority's referral → ``SOURCE_TYPE_OTHER_NOTIFICATION``; otherwise (classifier, hash list,
  own review) ``SOURCE_VOLUNTARY``. ``source_identity`` is the notifier's name for an authority
  or trusted flagger only, never for a user's notice or own-initiative detection.
* ``automated_detection`` ``Yes``/``No``; ``automated_decision`` ``AUTOMATED_DECISION_FULLY`` /
  ``…_PARTIALLY`` / ``…_NOT_AUTOMATED``.
* ``decision_facts``: an English summary (content kind, date and surface; how it was detected;
  the categories; the rules; the measure; automation), no personal data.
* ``puid``: the ``platform_uid`` passed in (unique per platform, never reused; the caller keeps
  it). ``account_type`` and ``content_id`` are not filled (Nigehban does not know them).

A legal ground outside the EU/EEA (PECA, ATA) is not "illegal content" in the DSA's sense
(Union or Member State law), so a measure resting on it that reaches the EU raises
:class:`UsageError`: the EU record needs the terms-of-service clause the platform relies on.
"""

from __future__ import annotations

from datetime import UTC, datetime

from nigehban.errors import UsageError, ValidationError
from nigehban.model.refs import ItemKind, Surface
from nigehban.model.taxonomy import Category
from nigehban.privacy.masking import preview
from nigehban.reasons.dsa_schema import (
    DECISION_GROUND_ILLEGAL,
    DECISION_GROUND_INCOMPATIBLE,
    ISO_639_1,
    MAX_EXPLANATION,
    MAX_FACTS,
    MAX_PUID,
    PUID,
    validate_transparency_record,
)
from nigehban.reasons.model import (
    Automation,
    ContentType,
    DetectionSource,
    GroundKind,
    Measure,
    ReasonsInput,
)
from nigehban.reasons.texts import EN

__all__ = ["transparency_record", "validate_transparency_record"]

_VISIBILITY = {
    Measure.REMOVED: "DECISION_VISIBILITY_CONTENT_REMOVED",
    Measure.DISABLED: "DECISION_VISIBILITY_CONTENT_DISABLED",
    Measure.DEMOTED: "DECISION_VISIBILITY_CONTENT_DEMOTED",
    Measure.LABELLED: "DECISION_VISIBILITY_CONTENT_LABELLED",
}
_CONTENT_TYPE = {
    ContentType.TEXT: "CONTENT_TYPE_TEXT",
    ContentType.IMAGE: "CONTENT_TYPE_IMAGE",
    ContentType.VIDEO: "CONTENT_TYPE_VIDEO",
    ContentType.AUDIO: "CONTENT_TYPE_AUDIO",
    ContentType.SYNTHETIC_MEDIA: "CONTENT_TYPE_SYNTHETIC_MEDIA",
    ContentType.OTHER: "CONTENT_TYPE_OTHER",
}
_AUTOMATED = {
    Automation.FULLY: "AUTOMATED_DECISION_FULLY",
    Automation.PARTIALLY: "AUTOMATED_DECISION_PARTIALLY",
    Automation.NOT_AUTOMATED: "AUTOMATED_DECISION_NOT_AUTOMATED",
}
_SOURCE_PRECEDENCE = (
    (DetectionSource.AUTHORITY_ORDER, "SOURCE_TYPE_OTHER_NOTIFICATION"),
    (DetectionSource.TRUSTED_FLAGGER, "SOURCE_TRUSTED_FLAGGER"),
    (DetectionSource.USER_NOTICE, "SOURCE_ARTICLE_16"),
    (DetectionSource.AUTHORITY_REFERRAL, "SOURCE_TYPE_OTHER_NOTIFICATION"),
)
_ORGANISATION = frozenset({Category.PROPAGANDA, Category.RECRUITMENT, Category.FINANCING})
_SOURCE_FACTS = {
    DetectionSource.USER_NOTICE: "a notice from a user",
    DetectionSource.TRUSTED_FLAGGER: "a notice from a trusted flagger",
    DetectionSource.AUTHORITY_REFERRAL: "a referral from a state authority",
    DetectionSource.AUTHORITY_ORDER: "an order from a state authority",
    DetectionSource.AUTOMATED_CLASSIFIER: "the platform's automated classifier",
    DetectionSource.HASH_LIST: "a match against a hash list of known terrorist material",
    DetectionSource.OWN_INITIATIVE_REVIEW: "the platform's own moderation review",
}
_MEASURE_FACTS = {
    Measure.REMOVED: "content removed",
    Measure.DISABLED: "access to the content disabled in {scope}",
    Measure.DEMOTED: "content demoted (no longer recommended or shown in search or feeds)",
    Measure.LABELLED: "warning label added to the content",
    Measure.ACCOUNT_SUSPENDED: "account suspended",
}
_SURFACE_FACTS = {
    Surface.PUBLIC: "publicly",
    Surface.CHANNEL: "in a channel",
    Surface.GROUP: "in a group",
    Surface.PRIVATE: "in a private conversation",
}


def transparency_record(reasons: ReasonsInput, platform_uid: str) -> dict[str, object]:
    """The statement-of-reasons record for the Transparency Database, as a JSON-ready dict.

    Raises :class:`UsageError` when there is nothing to report (``allow``, ``review``; a
    measure outside the EU/EEA; a legal ground outside the EU/EEA) or for ``escalate``, and
    :class:`ValidationError` for a ``platform_uid`` the schema rejects.
    """
    measure = reasons.require_restriction()
    if reasons.created_at.astimezone(UTC).year < 2000:
        raise ValidationError(
            "reasons",
            "created_at",
            "must be on or after 2000-01-01 (the Transparency Database's earliest content date)",
        )
    scope = reasons.eea_scope
    if not scope:
        raise UsageError(
            f"the measure applies only in {', '.join(reasons.territorial_scope)}, outside the"
            " EU/EEA: it has no statement in the DSA Transparency Database"
        )
    ground = reasons.ground
    if ground.kind is GroundKind.LAW and not ground.in_eea:
        raise UsageError(
            f"the legal ground is {preview(ground.jurisdiction)} law, which is not 'illegal"
            " content' under the DSA (Union or Member State law); cite the terms-of-service"
            " clause relied on in the EU"
        )
    if not isinstance(platform_uid, str) or not PUID.match(platform_uid):
        raise ValidationError(
            "reasons", "puid", f"{preview(platform_uid)} does not match ^[a-zA-Z0-9-_]+$"
        )
    if len(platform_uid) > MAX_PUID:
        raise ValidationError("reasons", "puid", f"is longer than {MAX_PUID} characters")

    record: dict[str, object] = {}
    end = reasons.ends_at.isoformat() if reasons.ends_at is not None else None
    if measure is Measure.ACCOUNT_SUSPENDED:
        record["decision_account"] = "DECISION_ACCOUNT_SUSPENDED"
        if end is not None:
            record["end_date_account_restriction"] = end
    else:
        record["decision_visibility"] = [_VISIBILITY[measure]]
        if end is not None:
            record["end_date_visibility_restriction"] = end
    categories = "; ".join(EN[f"cat.{c.value}"] for c in reasons.violating_categories)
    found = "may contain" if measure is Measure.LABELLED else "was found to contain"
    if ground.kind is GroundKind.LAW:
        record["decision_ground"] = DECISION_GROUND_ILLEGAL
        if ground.url is not None:
            record["decision_ground_reference_url"] = ground.url
        record["illegal_content_legal_ground"] = ground.reference
        record["illegal_content_explanation"] = _clip(
            f"The content {found} {categories}, which is illegal under"
            f" {_sentence(ground.citation)}. {_rules(reasons)}",
            MAX_EXPLANATION,
        )
    else:
        record["decision_ground"] = DECISION_GROUND_INCOMPATIBLE
        if ground.url is not None:
            record["decision_ground_reference_url"] = ground.url
        record["incompatible_content_ground"] = ground.reference
        record["incompatible_content_explanation"] = _clip(
            f"The content {found} {categories}, which the terms of service prohibit:"
            f" {_sentence(ground.clause)}. {_rules(reasons)}",
            MAX_EXPLANATION,
        )
        if ground.also_illegal is not None:
            record["incompatible_content_illegal"] = "Yes" if ground.also_illegal else "No"
    record["content_type"] = [_CONTENT_TYPE[c] for c in reasons.content_types]
    if ContentType.OTHER in reasons.content_types:
        record["content_type_other"] = (
            "account profile" if reasons.item_kind is ItemKind.ACCOUNT else "other content"
        )
    record["category"] = "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"
    keywords = ["KEYWORD_TERRORIST_CONTENT"]
    if _ORGANISATION & set(reasons.categories):
        keywords.append("KEYWORD_ILLEGAL_ORGANIZATIONS")
    record["category_specification"] = keywords
    record["territorial_scope"] = list(scope)
    code = reasons.content_language_code
    if code is not None and code in ISO_639_1:
        record["content_language"] = code
    record["content_date"] = _utc_date(reasons, "created_at")
    record["application_date"] = _utc_date(reasons, "decided_at")
    record["decision_facts"] = _clip(_facts(reasons, measure), MAX_FACTS)
    source_type = _source_type(reasons)
    record["source_type"] = source_type
    if reasons.notifier is not None and source_type in (
        "SOURCE_TRUSTED_FLAGGER",
        "SOURCE_TYPE_OTHER_NOTIFICATION",
    ):
        record["source_identity"] = reasons.notifier
    record["automated_detection"] = "Yes" if reasons.automated_detection else "No"
    record["automated_decision"] = _AUTOMATED[reasons.automated_decision]
    record["puid"] = platform_uid
    return record


def _source_type(reasons: ReasonsInput) -> str:
    for source, value in _SOURCE_PRECEDENCE:
        if source in reasons.sources:
            return value
    return "SOURCE_VOLUNTARY"


def _utc_date(reasons: ReasonsInput, name: str) -> str:
    value: datetime = getattr(reasons, name)
    return value.astimezone(UTC).date().isoformat()


def _sentence(text: str) -> str:
    return text.strip().rstrip(".")


def _rules(reasons: ReasonsInput) -> str:
    rules = "; ".join(f"{r.id} ({_sentence(r.description)})" for r in reasons.rules)
    return f"Rules applied: {rules}."


def _facts(reasons: ReasonsInput, measure: Measure) -> str:
    kinds = ", ".join(c.value.replace("_", " ") for c in reasons.content_types)
    item = {ItemKind.POST: "A post", ItemKind.MEDIA: "A media item", ItemKind.ACCOUNT: "An account"}
    sources = "; ".join(
        _SOURCE_FACTS[s] + (" (automated)" if s.automated else "")
        for s in dict.fromkeys(reasons.sources)
    )
    categories = "; ".join(EN[f"cat.{c.value}"] for c in reasons.violating_categories)
    found = "may contain" if measure is Measure.LABELLED else "contains"
    where = "worldwide" if reasons.worldwide else "in " + ", ".join(reasons.territorial_scope)
    action = _MEASURE_FACTS[measure].format(scope=", ".join(reasons.territorial_scope))
    if measure is not Measure.DISABLED:
        action += f" ({where})"
    until = f"until {reasons.ends_at.isoformat()}" if reasons.ends_at else "no end date"
    detection = "automated" if reasons.automated_detection else "not automated"
    decision = reasons.automated_decision.value.replace("_", " ")
    if reasons.automated_decision is not Automation.NOT_AUTOMATED:
        decision += " automated"
    return (
        f"{item[reasons.item_kind]} ({kinds}) published {_SURFACE_FACTS[reasons.surface]} on"
        f" {_utc_date(reasons, 'created_at')}. Came to the platform's attention through"
        f" {sources}. Assessment: the content {found} {categories}. {_rules(reasons)}"
        f" Measure: {action}; {until}. Detection {detection}; decision {decision}."
    )


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
