"""What a statement of reasons needs to know, independent of the policy engine.

:class:`ReasonsInput` is the whole input of :func:`nigehban.reasons.statements.user_statement`
and :func:`nigehban.reasons.dsa.transparency_record`. An integrator maps the engine's
:class:`~nigehban.model.decisions.Decision` (and the item, the notice or order that triggered
it, and the platform's appeal settings) onto it; nothing here reads the policy, the store or
settings. It holds no post text: the user is told *which* content was acted on (kind, date, where
it was posted), never shown the content itself, and the Transparency Database export must carry
no personal data (DSA Art. 24(5)).

Construction validates every field and the consistencies a statement relies on (an automated
detection source needs ``automated_detection``; a restriction that reaches the EU needs an
appeal window of at least six months decided by a person, DSA Art. 20), so a valid input always
yields a valid statement and a valid Transparency Database record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from enum import StrEnum

from nigehban.errors import UsageError, ValidationError
from nigehban.model.decisions import Action
from nigehban.model.refs import MAX_SCOPED_ID, ItemKind, Platform, Surface
from nigehban.model.taxonomy import Category, Language
from nigehban.privacy.masking import preview

MAX_GROUND = 500
"""Longest ground reference or citation (the TDB limit for ``illegal_content_legal_ground``)."""
MAX_SHORT_TEXT = 200
"""Longest name, rule description or appeal location shown in a statement."""

WORLD = "WORLD"
"""Territorial-scope token: the measure applies everywhere."""
EU = "EU"
"""Territorial-scope token: all 27 EU Member States."""
EEA = "EEA"
"""Territorial-scope token: the EU Member States plus Iceland, Liechtenstein and Norway."""

EU_MEMBER_STATES: tuple[str, ...] = (
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU",
    "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK",
)  # fmt: skip
"""ISO 3166-1 alpha-2 codes of the EU-27, as the Transparency Database lists them (GR, not EL)."""
EEA_COUNTRIES: tuple[str, ...] = tuple(sorted((*EU_MEMBER_STATES, "IS", "LI", "NO")))
"""EU-27 plus IS, LI and NO: the codes the Transparency Database accepts in territorial_scope."""

MIN_EU_APPEAL_DAYS = 180
"""DSA Art. 20(1): the internal complaint system is open for at least six months."""

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$")
_TERMS_PREFIX = re.compile(
    r"^\s*(?:our\s+)?terms(?:\s+of\s+(?:service|use)|\s+and\s+conditions)?\s*[:\u2013\u2014-]\s*",
    re.IGNORECASE,
)
_DECISION_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


class DetectionSource(StrEnum):
    """How the content came to the platform's attention (DSA Art. 17(3)(b); SCP Notice)."""

    USER_NOTICE = "user_notice"
    """A notice from a user (DSA Art. 16)."""
    TRUSTED_FLAGGER = "trusted_flagger"
    """A notice from a trusted flagger (DSA Art. 22)."""
    AUTHORITY_REFERRAL = "authority_referral"
    """A referral from a state authority that is not a binding order."""
    AUTHORITY_ORDER = "authority_order"
    """A binding order: an EU removal order (2021/784 Art. 3), a PTA direction (PECA s.37)."""
    AUTOMATED_CLASSIFIER = "automated_classifier"
    """The platform's own classifier flagged it."""
    HASH_LIST = "hash_list"
    """It matched a bank of hashes of known material."""
    OWN_INITIATIVE_REVIEW = "own_initiative_review"
    """The platform's moderators found it on their own initiative."""

    @property
    def automated(self) -> bool:
        return self in (DetectionSource.AUTOMATED_CLASSIFIER, DetectionSource.HASH_LIST)

    @property
    def state_actor(self) -> bool:
        return self in (DetectionSource.AUTHORITY_REFERRAL, DetectionSource.AUTHORITY_ORDER)


class Automation(StrEnum):
    """How far the decision itself was automated (TDB ``automated_decision``)."""

    FULLY = "fully"
    PARTIALLY = "partially"
    NOT_AUTOMATED = "not_automated"

    @classmethod
    def from_flags(cls, automated_detection: bool, automated_decision: bool) -> Automation:
        """Map the engine's two flags: an automated decision is FULLY automated; a person's
        decision on an automatically detected item is PARTIALLY automated (automated means were
        used in reaching it); otherwise NOT_AUTOMATED. Pass an explicit value where the
        platform's process says otherwise."""
        if automated_decision:
            return cls.FULLY
        return cls.PARTIALLY if automated_detection else cls.NOT_AUTOMATED


class Measure(StrEnum):
    """The restriction a statement of reasons reports (DSA Art. 17(1))."""

    REMOVED = "removed"
    DISABLED = "disabled"
    """Access disabled in the listed territories (a removal that is not worldwide)."""
    DEMOTED = "demoted"
    LABELLED = "labelled"
    ACCOUNT_SUSPENDED = "account_suspended"


class GroundKind(StrEnum):
    """Whether the decision rests on law (DSA Art. 17(3)(d)) or on the terms (17(3)(e))."""

    LAW = "law"
    TERMS = "terms"


class ContentType(StrEnum):
    """What the content is made of (TDB ``content_type``)."""

    TEXT = "text"
    IMAGE = "image"
    VIDEO = "video"
    AUDIO = "audio"
    SYNTHETIC_MEDIA = "synthetic_media"
    OTHER = "other"


def _require(ok: bool, field: str, problem: str) -> None:
    if not ok:
        raise ValidationError("reasons", field, problem)


def _text(value: str, field: str, limit: int) -> None:
    _require(isinstance(value, str), field, f"{preview(value)} is not a string")
    _require(bool(value.strip()), field, "must not be empty")
    _require(len(value) <= limit, field, f"{preview(value)} is longer than {limit} characters")


def _url_or_path(value: str, field: str) -> None:
    _text(value, field, MAX_SHORT_TEXT)
    _require(
        value.startswith(("https://", "http://", "/")) and not re.search(r"\s", value),
        field,
        f"{preview(value)} is not an http(s) URL or an in-app path starting with /",
    )


def _aware(value: datetime, field: str) -> None:
    _require(isinstance(value, datetime), field, f"{preview(value)} is not a datetime")
    _require(value.utcoffset() is not None, field, "must carry a time zone")


@dataclass(frozen=True, slots=True)
class RuleRef:
    """A policy rule that fired: its id and a short description.

    ``translations`` holds the description in other statement languages as ``(lang, text)``
    pairs. A statement shows the description only in English or where a translation exists;
    otherwise it shows the id next to the category explanation, which is always translated.
    """

    id: str
    description: str
    translations: tuple[tuple[Language, str], ...] = ()

    def __post_init__(self) -> None:
        _require(
            isinstance(self.id, str) and bool(_RULE_ID.match(self.id)),
            "rules.id",
            f"{preview(self.id)} is not a rule id (letters, digits and . _ : / -)",
        )
        _text(self.description, "rules.description", MAX_SHORT_TEXT)
        for lang, text in self.translations:
            _require(lang in Language, "rules.translations", f"{preview(lang)} is not a language")
            _text(text, "rules.translations", MAX_SHORT_TEXT)

    def description_in(self, lang: Language) -> str | None:
        if lang is Language.EN:
            return self.description
        return next((text for code, text in self.translations if code == lang), None)


@dataclass(frozen=True, slots=True)
class Ground:
    """The legal provision or terms-of-service clause the decision rests on.

    ``citation`` is what the user reads ("Prevention of Electronic Crimes Act 2016, section
    37(1)"); ``provision`` is the short reference the Transparency Database receives (defaults to
    the citation). ``jurisdiction`` is required for a legal ground: an ISO country code, or
    ``EU`` for Union law; it is ``None`` for the terms. ``also_illegal`` answers TDB
    ``incompatible_content_illegal`` for a terms ground (``None``: not stated).
    """

    kind: GroundKind
    citation: str
    provision: str | None = None
    jurisdiction: str | None = None
    url: str | None = None
    also_illegal: bool | None = None

    def __post_init__(self) -> None:
        _require(self.kind in GroundKind, "ground.kind", f"{preview(self.kind)} is not law/terms")
        _text(self.citation, "ground.citation", MAX_GROUND)
        if self.provision is not None:
            _text(self.provision, "ground.provision", MAX_GROUND)
        if self.kind is GroundKind.LAW:
            _require(
                self.jurisdiction is not None
                and (self.jurisdiction == EU or bool(_COUNTRY.match(self.jurisdiction))),
                "ground.jurisdiction",
                f"{preview(self.jurisdiction)} is not an ISO country code or EU"
                " (a legal ground needs its jurisdiction)",
            )
            _require(
                self.also_illegal is None,
                "ground.also_illegal",
                "is only for a terms-of-service ground",
            )
        else:
            _require(
                self.jurisdiction is None,
                "ground.jurisdiction",
                "must be empty for a terms-of-service ground",
            )
        if self.url is not None:
            _text(self.url, "ground.url", MAX_GROUND)
            _require(
                self.url.startswith(("https://", "http://")) and not re.search(r"\s", self.url),
                "ground.url",
                f"{preview(self.url)} is not an http(s) URL",
            )

    @property
    def reference(self) -> str:
        return self.provision if self.provision is not None else self.citation

    @property
    def clause(self) -> str:
        """The citation as a sentence quotes it after naming the terms itself: a terms
        ground's leading "Terms of service:" (or "Terms and conditions:") is dropped, so the
        statement never reads "Our terms of service: Terms of service: …"."""
        if self.kind is GroundKind.TERMS:
            rest = _TERMS_PREFIX.sub("", self.citation, count=1)
            if rest.strip():
                return rest
        return self.citation

    @property
    def in_eea(self) -> bool:
        """Whether the law is Union law or the law of an EU/EEA state (DSA 'illegal content')."""
        return self.jurisdiction == EU or self.jurisdiction in EEA_COUNTRIES


@dataclass(frozen=True, slots=True)
class AppealInfo:
    """Where and until when the user can appeal to the platform (DSA Art. 20; SCP Appeal).

    ``location`` is an https URL or an in-app path; ``decision_days`` is the promised time to
    decide (14 for a complaint under 2021/784 Art. 10), ``None`` if none is promised.
    """

    location: str
    deadline_days: int
    human_review: bool
    decision_days: int | None = None
    exhausted: bool = False
    """The decision was taken on the user's appeal: no internal appeal is left (the
    out-of-court and court routes still are)."""
    appeal_decided: bool = False
    """An appeal against this decision has been decided: none is left either."""
    appeal_pending: bool = False
    """An appeal against this decision is open: the statement says so instead of offering one."""

    @property
    def open_to_appeal(self) -> bool:
        """Whether the user may still lodge an appeal with us."""
        return not (self.exhausted or self.appeal_decided or self.appeal_pending)

    def __post_init__(self) -> None:
        _url_or_path(self.location, "appeal.location")
        _require(
            isinstance(self.deadline_days, int) and 1 <= self.deadline_days <= 3660,
            "appeal.deadline_days",
            f"{preview(self.deadline_days)} is not a number of days from 1 to 3660",
        )
        _require(
            self.decision_days is None
            or (isinstance(self.decision_days, int) and 1 <= self.decision_days <= 365),
            "appeal.decision_days",
            f"{preview(self.decision_days)} is not a number of days from 1 to 365",
        )


@dataclass(frozen=True, slots=True)
class ReasonsInput:
    """Everything a statement of reasons says, for one decision on one item.

    * Item, for display: ``platform``, ``item_kind``, ``scoped_id`` (kept in the statement's
      fields, never in the user text or the TDB record), ``surface``, ``created_at`` (the
      content date), ``container_name`` (the channel or group, shown to the user, never
      exported) and ``content_types``.
    * ``language``: the post's language tag; the statement is written in English, Urdu, Roman
      Urdu or Pashto (:attr:`statement_language`), any other language gets English.
    * The decision: ``action``, ``categories`` (primary first), ``rules``, ``ground``,
      ``sources``, ``notifier`` (the authority or trusted flagger that notified, an organisation
      and never a private person; not shown for user notices), ``automated_detection``,
      ``automated_decision``, ``decided_at``, ``ends_at`` (``None``: no end date).
    * ``territorial_scope``: ISO 3166-1 alpha-2 codes, or ``EU``, ``EEA`` or ``WORLD`` alone.
    * ``appeal``, ``user_country`` (the user's country if known; decides which redress is
      described), ``platform_name``, ``decision_id`` and ``application`` (name and version of
      the software that wrote the statement; kept in the fields).
    """

    decision_id: str
    platform_name: str
    platform: Platform
    item_kind: ItemKind
    scoped_id: str
    surface: Surface
    created_at: datetime
    content_types: tuple[ContentType, ...]
    language: str
    action: Action
    categories: tuple[Category, ...]
    rules: tuple[RuleRef, ...]
    ground: Ground
    sources: tuple[DetectionSource, ...]
    automated_detection: bool
    automated_decision: Automation
    decided_at: datetime
    territorial_scope: tuple[str, ...]
    appeal: AppealInfo
    container_name: str | None = None
    notifier: str | None = None
    ends_at: date | None = None
    user_country: str | None = None
    application: str = "Nigehban"

    def __post_init__(self) -> None:
        _require(
            isinstance(self.decision_id, str) and bool(_DECISION_ID.match(self.decision_id)),
            "decision_id",
            f"{preview(self.decision_id)} is not an id (letters, digits and . _ : -)",
        )
        _text(self.platform_name, "platform_name", MAX_SHORT_TEXT)
        _text(self.application, "application", MAX_SHORT_TEXT)
        _require(self.platform in Platform, "platform", f"{preview(self.platform)} is unknown")
        _require(self.item_kind in ItemKind, "item_kind", f"{preview(self.item_kind)} is unknown")
        _text(self.scoped_id, "scoped_id", MAX_SCOPED_ID)
        _require(self.surface in Surface, "surface", f"{preview(self.surface)} is unknown")
        _aware(self.created_at, "created_at")
        _aware(self.decided_at, "decided_at")
        _require(
            self.decided_at.astimezone(UTC).year >= 2020,
            "decided_at",
            "must be on or after 2020-01-01 (the Transparency Database's earliest date)",
        )
        _require(self.created_at <= self.decided_at, "decided_at", "is before created_at")
        _require(
            bool(self.content_types) and all(c in ContentType for c in self.content_types),
            "content_types",
            "must name at least one content type",
        )
        _require(
            len(set(self.content_types)) == len(self.content_types),
            "content_types",
            "has duplicates",
        )
        _require(isinstance(self.language, str), "language", "is not a language tag")
        _require(self.action in Action, "action", f"{preview(self.action)} is not an action")
        _require(
            bool(self.categories) and all(c in Category for c in self.categories),
            "categories",
            "must name at least one category, the primary first",
        )
        _require(len(set(self.categories)) == len(self.categories), "categories", "has duplicates")
        _require(bool(self.rules), "rules", "must name at least one rule that fired")
        _require(bool(self.sources), "sources", "must name at least one detection source")
        _require(
            all(s in DetectionSource for s in self.sources), "sources", "has an unknown source"
        )
        _require(
            self.automated_detection or not any(s.automated for s in self.sources),
            "automated_detection",
            "must be true when a classifier or a hash list detected the content",
        )
        _require(
            self.automated_decision in Automation,
            "automated_decision",
            f"{preview(self.automated_decision)} is not fully/partially/not_automated",
        )
        if self.container_name is not None:
            _text(self.container_name, "container_name", MAX_SHORT_TEXT)
        if self.notifier is not None:
            _text(self.notifier, "notifier", MAX_SHORT_TEXT)
        if self.ends_at is not None:
            _require(
                self.ends_at >= self.decided_at.astimezone(UTC).date(),
                "ends_at",
                "is before the decision",
            )
        self._check_scope()
        if self.user_country is not None:
            _require(
                bool(_COUNTRY.match(self.user_country)),
                "user_country",
                f"{preview(self.user_country)} is not an ISO country code",
            )
        if self.dsa_applies:
            _require(
                self.appeal.deadline_days >= MIN_EU_APPEAL_DAYS,
                "appeal.deadline_days",
                f"{self.appeal.deadline_days} is below the {MIN_EU_APPEAL_DAYS} days"
                " (six months) of DSA Art. 20 for a measure that reaches the EU",
            )
            _require(
                self.appeal.human_review,
                "appeal.human_review",
                "must be true for a measure that reaches the EU (DSA Art. 20(6))",
            )

    def _check_scope(self) -> None:
        scope = self.territorial_scope
        _require(bool(scope), "territorial_scope", "must name where the measure applies")
        tokens = {WORLD, EU, EEA}
        if any(code in tokens for code in scope):
            _require(
                len(scope) == 1,
                "territorial_scope",
                "WORLD, EU and EEA stand alone, not next to other codes",
            )
        else:
            for code in scope:
                _require(
                    isinstance(code, str) and bool(_COUNTRY.match(code)),
                    "territorial_scope",
                    f"{preview(code)} is not an ISO country code, EU, EEA or WORLD",
                )
            _require(len(set(scope)) == len(scope), "territorial_scope", "has duplicates")

    @property
    def measure(self) -> Measure | None:
        """The restriction this decision imposes; ``None`` when it imposes none.

        ``allow`` and ``review`` restrict nothing (a review's outcome gets its own statement),
        so there is nothing to tell the user or the Transparency Database. ``remove`` is
        :attr:`Measure.REMOVED` when worldwide and :attr:`Measure.DISABLED` (access disabled
        where the scope says) otherwise; ``restrict`` lowers reach (demotion); ``suspend``
        suspends the account. ``escalate`` raises :class:`UsageError`: it notifies authorities
        (2021/784 Art. 14(5), DSA Art. 18), which the user is not told, and the statement
        must describe the restriction actually applied with it.
        """
        match self.action:
            case Action.ALLOW | Action.REVIEW:
                return None
            case Action.LABEL:
                return Measure.LABELLED
            case Action.RESTRICT:
                return Measure.DEMOTED
            case Action.REMOVE:
                return Measure.REMOVED if self.worldwide else Measure.DISABLED
            case Action.SUSPEND:
                return Measure.ACCOUNT_SUSPENDED
        raise UsageError(
            f"no statement of reasons for action {preview(str(self.action))}: pass the"
            " restriction applied with it (remove, restrict, suspend)"
        )

    @property
    def violating_categories(self) -> tuple[Category, ...]:
        return tuple(c for c in self.categories if c.violating)

    def require_restriction(self) -> Measure:
        """The measure, or :class:`UsageError` when there is none or no violating category."""
        measure = self.measure
        if measure is None:
            raise UsageError(
                f"action {preview(str(self.action))} restricts nothing; no statement of reasons"
            )
        if not self.violating_categories:
            raise UsageError(
                "a restriction needs a violating category; protected categories"
                f" ({', '.join(c.value for c in self.categories)}) never ground one"
            )
        return measure

    @property
    def statement_language(self) -> Language:
        """English, Urdu, Roman Urdu or Pashto from the post's tag; anything else is English."""
        return statement_language(self.language)

    @property
    def worldwide(self) -> bool:
        return self.territorial_scope == (WORLD,)

    @property
    def eea_scope(self) -> tuple[str, ...]:
        """The EU/EEA countries where the measure applies, sorted (empty: none)."""
        scope = self.territorial_scope
        if scope in ((WORLD,), (EEA,)):
            return EEA_COUNTRIES
        if scope == (EU,):
            return EU_MEMBER_STATES
        return tuple(sorted(c for c in scope if c in EEA_COUNTRIES))

    @property
    def dsa_applies(self) -> bool:
        """Whether the user is (or, country unknown, may be) a recipient the DSA protects."""
        if self.user_country is not None:
            return self.user_country in EEA_COUNTRIES
        return bool(self.eea_scope)

    @property
    def content_language_code(self) -> str | None:
        """The post's ISO 639-1 code in upper case (``UR`` for Roman Urdu too), or ``None``."""
        primary = self.language.replace("_", "-").split("-", 1)[0]
        return primary.upper() if re.fullmatch(r"[a-z]{2}", primary.lower()) else None


def statement_language(tag: str) -> Language:
    """Map a language tag to a statement language: ``ur-Latn`` (any case, ``_`` or ``-``) is
    Roman Urdu, other ``ur`` tags Urdu, ``ps`` Pashto, everything else English."""
    parts = tag.replace("_", "-").lower().split("-") if isinstance(tag, str) else [""]
    if parts[0] == "ur":
        return Language.UR_LATN if "latn" in parts[1:] else Language.UR
    if parts[0] == "ps":
        return Language.PS
    return Language.EN
