"""The DSA Transparency Database statement-of-reasons schema (v2, from 1 July 2025).

Field names, allowed values, conditional requirements and length limits as
``reference/legal_transparency.md`` §2.3 documents them (taken from the database's
``StatementStoreRequest.php`` and ``Statement.php``). :func:`validate_transparency_record`
checks a record against them and returns every problem as ``"field: problem"``.

Where the reference is silent, this module chooses and says so:

* Fields the schema does not name are reported as errors (the database itself may ignore
  them; Nigehban never sends one).
* ``null`` is accepted for an optional field (the reference documents it for
  ``territorial_scope`` only); an empty string or array counts as missing for a required one.
* Duplicate values inside an array are not checked; end dates are checked for form only, not
  against the application date; ``source_identity`` is accepted for every source type (the
  database ignores it for ``SOURCE_VOLUNTARY``).
* ``content_language`` is checked against the current ISO 639-1 codes (deprecated ``bh`` not
  accepted).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Final

from nigehban.privacy.masking import preview
from nigehban.reasons.model import EEA_COUNTRIES

DECISION_VISIBILITY: Final = (
    "DECISION_VISIBILITY_CONTENT_REMOVED",
    "DECISION_VISIBILITY_CONTENT_DISABLED",
    "DECISION_VISIBILITY_CONTENT_DEMOTED",
    "DECISION_VISIBILITY_CONTENT_AGE_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_INTERACTION_RESTRICTED",
    "DECISION_VISIBILITY_CONTENT_LABELLED",
    "DECISION_VISIBILITY_OTHER",
)
DECISION_MONETARY: Final = (
    "DECISION_MONETARY_SUSPENSION",
    "DECISION_MONETARY_TERMINATION",
    "DECISION_MONETARY_OTHER",
)
DECISION_PROVISION: Final = (
    "DECISION_PROVISION_PARTIAL_SUSPENSION",
    "DECISION_PROVISION_TOTAL_SUSPENSION",
    "DECISION_PROVISION_PARTIAL_TERMINATION",
    "DECISION_PROVISION_TOTAL_TERMINATION",
)
DECISION_ACCOUNT: Final = ("DECISION_ACCOUNT_SUSPENDED", "DECISION_ACCOUNT_TERMINATED")
ACCOUNT_TYPE: Final = ("ACCOUNT_TYPE_BUSINESS", "ACCOUNT_TYPE_PRIVATE")
DECISION_GROUND_ILLEGAL: Final = "DECISION_GROUND_ILLEGAL_CONTENT"
DECISION_GROUND_INCOMPATIBLE: Final = "DECISION_GROUND_INCOMPATIBLE_CONTENT"
DECISION_GROUND: Final = (DECISION_GROUND_ILLEGAL, DECISION_GROUND_INCOMPATIBLE)
YES_NO: Final = ("Yes", "No")
CONTENT_TYPE: Final = (
    "CONTENT_TYPE_APP",
    "CONTENT_TYPE_AUDIO",
    "CONTENT_TYPE_IMAGE",
    "CONTENT_TYPE_PRODUCT",
    "CONTENT_TYPE_SYNTHETIC_MEDIA",
    "CONTENT_TYPE_TEXT",
    "CONTENT_TYPE_VIDEO",
    "CONTENT_TYPE_OTHER",
)
CATEGORY: Final = tuple(
    f"STATEMENT_CATEGORY_{name}"
    for name in (
        "ANIMAL_WELFARE",
        "CONSUMER_INFORMATION",
        "CYBER_VIOLENCE",
        "CYBER_VIOLENCE_AGAINST_WOMEN",
        "DATA_PROTECTION_AND_PRIVACY_VIOLATIONS",
        "ILLEGAL_OR_HARMFUL_SPEECH",
        "INTELLECTUAL_PROPERTY_INFRINGEMENTS",
        "NEGATIVE_EFFECTS_ON_CIVIC_DISCOURSE_OR_ELECTIONS",
        "NOT_SPECIFIED_NOTICE",
        "OTHER_VIOLATION_TC",
        "PROTECTION_OF_MINORS",
        "RISK_FOR_PUBLIC_SECURITY",
        "SCAMS_AND_FRAUD",
        "SELF_HARM",
        "UNSAFE_AND_PROHIBITED_PRODUCTS",
        "VIOLENCE",
    )
)
"""The v2 category list (exhaustive). The v1-only categories are not accepted."""
KEYWORDS: Final = tuple(
    f"KEYWORD_{name}"
    for name in """
    ADULT_SEXUAL_MATERIAL AGE_SPECIFIC_RESTRICTIONS AGE_SPECIFIC_RESTRICTIONS_MINORS ANIMAL_HARM
    BIOMETRIC_DATA_BREACH BULLYING_AGAINST_GIRLS CHILD_SEXUAL_ABUSE_MATERIAL
    CHILD_SEXUAL_ABUSE_MATERIAL_DEEPFAKE CONTENT_PROMOTING_EATING_DISORDERS COORDINATED_HARM
    COPYRIGHT_INFRINGEMENT CYBER_BULLYING_INTIMIDATION CYBER_HARASSMENT
    CYBER_HARASSMENT_AGAINST_WOMEN CYBER_INCITEMENT CYBER_STALKING CYBER_STALKING_AGAINST_WOMEN
    DATA_FALSIFICATION DEFAMATION DESIGN_INFRINGEMENT DISCRIMINATION
    FEMALE_GENDERED_DISINFORMATION GEOGRAPHIC_INDICATIONS_INFRINGEMENT GEOGRAPHICAL_REQUIREMENTS
    GOODS_SERVICES_NOT_PERMITTED GROOMING_SEXUAL_ENTICEMENT_MINORS HATE_SPEECH
    HIDDEN_ADVERTISEMENT HUMAN_EXPLOITATION HUMAN_TRAFFICKING ILLEGAL_ORGANIZATIONS
    IMPERSONATION_ACCOUNT_HIJACKING INAUTHENTIC_ACCOUNTS INAUTHENTIC_LISTINGS
    INAUTHENTIC_USER_REVIEWS INCITEMENT_AGAINST_WOMEN INCITEMENT_VIOLENCE_HATRED
    INSUFFICIENT_INFORMATION_ON_TRADERS LANGUAGE_REQUIREMENTS MISINFORMATION_DISINFORMATION
    MISLEADING_INFO_CONSUMER_RIGHTS MISLEADING_INFO_GOODS_SERVICES MISSING_PROCESSING_GROUND
    NON_CONSENSUAL_IMAGE_SHARING NON_CONSENSUAL_IMAGE_SHARING_AGAINST_WOMEN
    NON_CONSENSUAL_MATERIAL_DEEPFAKE NON_CONSENSUAL_MATERIAL_DEEPFAKE_AGAINST_WOMEN
    NONCOMPLIANCE_PRICING NUDITY PATENT_INFRINGEMENT PHISHING PROHIBITED_PRODUCTS
    PYRAMID_SCHEMES RIGHT_TO_BE_FORGOTTEN RISK_ENVIRONMENTAL_DAMAGE RISK_PUBLIC_HEALTH
    SELF_MUTILATION STALKING SUICIDE TERRORIST_CONTENT TRADE_SECRET_INFRINGEMENT
    TRADEMARK_INFRINGEMENT TRAFFICKING_WOMEN_GIRLS UNLAWFUL_SALE_ANIMALS UNSAFE_CHALLENGES
    UNSAFE_PRODUCTS VIOLATION_EU_LAW VIOLATION_NATIONAL_LAW OTHER
    """.split()  # noqa: SIM905 (one block, easy to compare with the reference)
)
"""The accepted ``KEYWORD_*`` values (v2). ``KEYWORD_DANGEROUS_TOYS`` is not among them."""
SOURCE_TYPE: Final = (
    "SOURCE_ARTICLE_16",
    "SOURCE_TRUSTED_FLAGGER",
    "SOURCE_TYPE_OTHER_NOTIFICATION",
    "SOURCE_VOLUNTARY",
)
AUTOMATED_DECISION: Final = (
    "AUTOMATED_DECISION_FULLY",
    "AUTOMATED_DECISION_PARTIALLY",
    "AUTOMATED_DECISION_NOT_AUTOMATED",
)
ISO_639_1: Final = frozenset(
    """
    aa ab ae af ak am an ar as av ay az ba be bg bi bm bn bo br bs ca ce ch co cr cs cu cv cy
    da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht
    hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky
    la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny
    oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss
    st su sv sw ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo
    za zh zu
    """.upper().split()
)
PUID: Final = re.compile(r"^[a-zA-Z0-9\-_]+$")
MAX_OTHER: Final = 500
MAX_GROUND_TEXT: Final = 500
MAX_EXPLANATION: Final = 2000
MAX_FACTS: Final = 5000
MAX_PUID: Final = 500
MIN_CONTENT_DATE: Final = date(2000, 1, 1)
MIN_APPLICATION_DATE: Final = date(2020, 1, 1)

DECISION_FIELDS: Final = (
    "decision_visibility",
    "decision_monetary",
    "decision_provision",
    "decision_account",
)
REQUIRED: Final = (
    "decision_ground",
    "content_type",
    "category",
    "content_date",
    "application_date",
    "decision_facts",
    "source_type",
    "automated_detection",
    "automated_decision",
    "puid",
)
END_DATES: Final = (
    "end_date_visibility_restriction",
    "end_date_monetary_restriction",
    "end_date_service_restriction",
    "end_date_account_restriction",
)
FIELDS: Final = frozenset(
    {
        *DECISION_FIELDS,
        "decision_visibility_other",
        "decision_monetary_other",
        "account_type",
        "decision_ground",
        "decision_ground_reference_url",
        "illegal_content_legal_ground",
        "illegal_content_explanation",
        "incompatible_content_ground",
        "incompatible_content_explanation",
        "incompatible_content_illegal",
        "content_type",
        "content_type_other",
        "category",
        "category_addition",
        "category_specification",
        "category_specification_other",
        "territorial_scope",
        "content_language",
        "content_date",
        "application_date",
        *END_DATES,
        "decision_facts",
        "source_type",
        "source_identity",
        "automated_detection",
        "automated_decision",
        "puid",
        "content_id",
    }
)
"""Every field name the schema documents."""


def _missing(value: object) -> bool:
    return value is None or value in ("", [])


def validate_transparency_record(record: Mapping[str, object]) -> list[str]:
    """Every way ``record`` breaks the documented schema, as ``"field: problem"``; ``[]`` if none.

    Checks required fields, allowed values, the conditional requirements (a decision field;
    the ground's text fields; the ``*_other`` texts) and the length limits.
    """
    if not isinstance(record, Mapping):
        return [f"record: {preview(record)} is not a JSON object"]
    problems: list[str] = []
    out = problems.append
    for name in sorted(set(record) - FIELDS):
        out(f"{name}: not a field of the statement-of-reasons schema")
    for name in REQUIRED:
        if _missing(record.get(name)):
            out(f"{name}: required field is missing")
    if all(_missing(record.get(name)) for name in DECISION_FIELDS):
        out(
            "decision_visibility: required unless decision_monetary, decision_provision or"
            " decision_account is given (at least one decision field is required)"
        )

    def choice(name: str, allowed: tuple[str, ...]) -> str | None:
        value = record.get(name)
        if _missing(value):
            return None
        if not isinstance(value, str) or value not in allowed:
            out(f"{name}: {preview(value)} is not an allowed value")
            return None
        return value

    def choices(name: str, allowed: tuple[str, ...]) -> list[str]:
        value = record.get(name)
        if _missing(value):
            return []
        if not isinstance(value, list):
            out(f"{name}: {preview(value)} is not an array")
            return []
        good = []
        for entry in value:
            if isinstance(entry, str) and entry in allowed:
                good.append(entry)
            else:
                out(f"{name}: {preview(entry)} is not an allowed value")
        return good

    def text(name: str, limit: int, *, required_because: str | None = None) -> None:
        value = record.get(name)
        if _missing(value):
            if required_because is not None:
                out(f"{name}: required when {required_because}")
            return
        if not isinstance(value, str):
            out(f"{name}: {preview(value)} is not a string")
        elif len(value) > limit:
            out(f"{name}: longer than {limit} characters ({len(value)})")

    def day(name: str, earliest: date | None) -> None:
        value = record.get(name)
        if _missing(value):
            return
        parsed = _parse_date(value)
        if parsed is None:
            out(f"{name}: {preview(value)} is not a date in YYYY-MM-DD form")
        elif earliest is not None and parsed < earliest:
            out(f"{name}: {preview(value)} is before {earliest.isoformat()}")

    def other(name: str, chosen: bool, value: str) -> None:
        text(
            f"{name}_other",
            MAX_OTHER,
            required_because=f"{name} includes {value}" if chosen else None,
        )

    visibility = choices("decision_visibility", DECISION_VISIBILITY)
    other(
        "decision_visibility",
        "DECISION_VISIBILITY_OTHER" in visibility,
        "DECISION_VISIBILITY_OTHER",
    )
    monetary = choice("decision_monetary", DECISION_MONETARY)
    other("decision_monetary", monetary == "DECISION_MONETARY_OTHER", "DECISION_MONETARY_OTHER")
    choice("decision_provision", DECISION_PROVISION)
    choice("decision_account", DECISION_ACCOUNT)
    choice("account_type", ACCOUNT_TYPE)

    ground = choice("decision_ground", DECISION_GROUND)
    illegal = ground == DECISION_GROUND_ILLEGAL
    incompatible = ground == DECISION_GROUND_INCOMPATIBLE
    because = f"decision_ground is {ground}"
    text("decision_ground_reference_url", MAX_OTHER)
    url = record.get("decision_ground_reference_url")
    if isinstance(url, str) and url and not re.match(r"^https?://[^\s]+$", url):
        out(f"decision_ground_reference_url: {preview(url)} is not a URL")
    text(
        "illegal_content_legal_ground",
        MAX_GROUND_TEXT,
        required_because=because if illegal else None,
    )
    text(
        "illegal_content_explanation",
        MAX_EXPLANATION,
        required_because=because if illegal else None,
    )
    text(
        "incompatible_content_ground",
        MAX_GROUND_TEXT,
        required_because=because if incompatible else None,
    )
    text(
        "incompatible_content_explanation",
        MAX_EXPLANATION,
        required_because=because if incompatible else None,
    )
    choice("incompatible_content_illegal", YES_NO)

    types = choices("content_type", CONTENT_TYPE)
    other("content_type", "CONTENT_TYPE_OTHER" in types, "CONTENT_TYPE_OTHER")
    choice("category", CATEGORY)
    choices("category_addition", CATEGORY)
    keywords = choices("category_specification", KEYWORDS)
    other("category_specification", "KEYWORD_OTHER" in keywords, "KEYWORD_OTHER")
    choices("territorial_scope", EEA_COUNTRIES)
    language = record.get("content_language")
    if not _missing(language) and (not isinstance(language, str) or language not in ISO_639_1):
        out(f"content_language: {preview(language)} is not an upper-case ISO 639-1 code")

    day("content_date", MIN_CONTENT_DATE)
    day("application_date", MIN_APPLICATION_DATE)
    for name in END_DATES:
        day(name, None)

    text("decision_facts", MAX_FACTS)
    choice("source_type", SOURCE_TYPE)
    text("source_identity", MAX_OTHER)
    choice("automated_detection", YES_NO)
    choice("automated_decision", AUTOMATED_DECISION)

    puid = record.get("puid")
    if not _missing(puid):
        if not isinstance(puid, str) or not PUID.match(puid):
            out(f"puid: {preview(puid)} does not match ^[a-zA-Z0-9-_]+$")
        elif len(puid) > MAX_PUID:
            out(f"puid: longer than {MAX_PUID} characters ({len(puid)})")
    _check_content_id(record.get("content_id"), out)
    return problems


def _parse_date(value: object) -> date | None:
    if not isinstance(value, str) or not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _check_content_id(value: object, out: Callable[[str], None]) -> None:
    if _missing(value):
        return
    if (
        not isinstance(value, Mapping)
        or set(value) != {"EAN-13"}
        or not isinstance(value["EAN-13"], str)
        or not re.fullmatch(r"\d{13}", value["EAN-13"])
    ):
        out('content_id: must be {"EAN-13": "<13 digits>"}')
