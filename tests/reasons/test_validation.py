"""validate_transparency_record against the documented schema: good and broken records."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from nigehban.reasons import transparency_record, validate_transparency_record
from nigehban.reasons.dsa_schema import FIELDS, REQUIRED
from tests.reasons.scenarios import EU_TCO_REMOVAL, TOS_RESTRICTION, puid

ILLEGAL = transparency_record(EU_TCO_REMOVAL, puid(EU_TCO_REMOVAL))
INCOMPATIBLE = transparency_record(TOS_RESTRICTION, puid(TOS_RESTRICTION))


def broken(base: dict[str, object], **changes: Any) -> dict[str, object]:
    record = copy.deepcopy(base)
    for name, value in changes.items():
        if value is ...:
            record.pop(name, None)
        else:
            record[name] = value
    return record


def test_built_records_validate() -> None:
    assert validate_transparency_record(ILLEGAL) == []
    assert validate_transparency_record(INCOMPATIBLE) == []


def test_the_reference_example_validates() -> None:
    example = {
        "decision_visibility": ["DECISION_VISIBILITY_CONTENT_REMOVED"],
        "decision_account": "DECISION_ACCOUNT_TERMINATED",
        "decision_ground": "DECISION_GROUND_ILLEGAL_CONTENT",
        "illegal_content_legal_ground": "Regulation (EU) 2021/784 Art. 2(7)(a)",
        "illegal_content_explanation": "Video glorifies a specific attack and calls for emulation",
        "content_type": ["CONTENT_TYPE_VIDEO"],
        "category": "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY",
        "category_specification": ["KEYWORD_TERRORIST_CONTENT"],
        "territorial_scope": ["AT", "BE"],
        "content_language": "UR",
        "content_date": "2025-07-20",
        "application_date": "2025-07-25",
        "decision_facts": "Removal following competent-authority order; no personal data.",
        "source_type": "SOURCE_TYPE_OTHER_NOTIFICATION",
        "automated_detection": "No",
        "automated_decision": "AUTOMATED_DECISION_NOT_AUTOMATED",
        "puid": "tco-2025-000123",
    }
    assert validate_transparency_record(example) == []


@pytest.mark.parametrize("field", REQUIRED)
def test_missing_required_field_is_named(field: str) -> None:
    assert validate_transparency_record(broken(ILLEGAL, **{field: ...})) == [
        f"{field}: required field is missing"
    ]


@pytest.mark.parametrize("field", ["decision_facts", "puid", "category"])
def test_empty_required_field_counts_as_missing(field: str) -> None:
    assert f"{field}: required field is missing" in validate_transparency_record(
        broken(ILLEGAL, **{field: ""})
    )


def test_a_decision_field_is_required() -> None:
    problems = validate_transparency_record(broken(ILLEGAL, decision_visibility=...))
    assert len(problems) == 1
    assert problems[0].startswith("decision_visibility: required unless decision_monetary")
    record = broken(ILLEGAL, decision_visibility=..., decision_account="DECISION_ACCOUNT_SUSPENDED")
    assert validate_transparency_record(record) == []


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("category", "STATEMENT_CATEGORY_TERRORIST_CONTENT"),
        ("category", "STATEMENT_CATEGORY_PORNOGRAPHY_OR_SEXUALIZED_CONTENT"),  # v1 only
        ("decision_ground", "DECISION_GROUND_TERMS"),
        ("source_type", "SOURCE_GOVERNMENT_ORDER"),
        ("automated_decision", "AUTOMATED_DECISION_YES"),
        ("automated_detection", "yes"),
        ("decision_account", "DECISION_ACCOUNT_BANNED"),
        ("incompatible_content_illegal", "Maybe"),
    ],
)
def test_wrong_enum_value_is_named(field: str, value: str) -> None:
    assert validate_transparency_record(broken(ILLEGAL, **{field: value})) == [
        f"{field}: {value!r} is not an allowed value"
    ]


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("decision_visibility", "DECISION_VISIBILITY_CONTENT_HIDDEN"),
        ("content_type", "CONTENT_TYPE_MEME"),
        ("category_specification", "KEYWORD_DANGEROUS_TOYS"),
        ("territorial_scope", "PK"),
        ("category_addition", "STATEMENT_CATEGORY_TERRORISM"),
    ],
)
def test_wrong_value_in_an_array_is_named(field: str, value: str) -> None:
    record = broken(ILLEGAL, **{field: [value]})
    assert validate_transparency_record(record) == [f"{field}: {value!r} is not an allowed value"]


def test_array_field_given_as_string() -> None:
    problems = validate_transparency_record(broken(ILLEGAL, content_type="CONTENT_TYPE_VIDEO"))
    assert problems == ["content_type: 'CONTENT_TYPE_VIDEO' is not an array"]


def test_illegal_ground_needs_legal_ground_and_explanation() -> None:
    record = broken(ILLEGAL, illegal_content_legal_ground=..., illegal_content_explanation=...)
    assert validate_transparency_record(record) == [
        "illegal_content_legal_ground: required when decision_ground is"
        " DECISION_GROUND_ILLEGAL_CONTENT",
        "illegal_content_explanation: required when decision_ground is"
        " DECISION_GROUND_ILLEGAL_CONTENT",
    ]


def test_incompatible_ground_needs_ground_and_explanation() -> None:
    record = broken(INCOMPATIBLE, incompatible_content_ground="")
    assert validate_transparency_record(record) == [
        "incompatible_content_ground: required when decision_ground is"
        " DECISION_GROUND_INCOMPATIBLE_CONTENT"
    ]


def test_switching_the_ground_without_its_texts_fails() -> None:
    record = broken(ILLEGAL, decision_ground="DECISION_GROUND_INCOMPATIBLE_CONTENT")
    assert validate_transparency_record(record) == [
        "incompatible_content_ground: required when decision_ground is"
        " DECISION_GROUND_INCOMPATIBLE_CONTENT",
        "incompatible_content_explanation: required when decision_ground is"
        " DECISION_GROUND_INCOMPATIBLE_CONTENT",
    ]


@pytest.mark.parametrize(
    ("field", "value", "other"),
    [
        ("decision_visibility", ["DECISION_VISIBILITY_OTHER"], "decision_visibility_other"),
        ("content_type", ["CONTENT_TYPE_OTHER"], "content_type_other"),
        ("category_specification", ["KEYWORD_OTHER"], "category_specification_other"),
        ("decision_monetary", "DECISION_MONETARY_OTHER", "decision_monetary_other"),
    ],
)
def test_other_value_needs_its_text(field: str, value: object, other: str) -> None:
    problems = validate_transparency_record(broken(ILLEGAL, **{field: value}))
    assert problems == [f"{other}: required when {field} includes {_last(value)}"]
    assert validate_transparency_record(broken(ILLEGAL, **{field: value, other: "x"})) == []


def _last(value: object) -> str:
    return value[-1] if isinstance(value, list) else str(value)


@pytest.mark.parametrize(
    ("field", "limit"),
    [
        ("decision_facts", 5000),
        ("illegal_content_explanation", 2000),
        ("illegal_content_legal_ground", 500),
        ("source_identity", 500),
        ("puid", 500),
    ],
)
def test_length_limits(field: str, limit: int) -> None:
    assert validate_transparency_record(broken(ILLEGAL, **{field: "a" * limit})) == []
    problems = validate_transparency_record(broken(ILLEGAL, **{field: "a" * (limit + 1)}))
    assert problems == [f"{field}: longer than {limit} characters ({limit + 1})"]


@pytest.mark.parametrize(
    ("field", "value", "problem"),
    [
        ("content_date", "1999-12-31", "is before 2000-01-01"),
        ("application_date", "2019-12-31", "is before 2020-01-01"),
        ("application_date", "2025-02-30", "is not a date in YYYY-MM-DD form"),
        ("content_date", "20/07/2025", "is not a date in YYYY-MM-DD form"),
        ("end_date_visibility_restriction", "soon", "is not a date in YYYY-MM-DD form"),
    ],
)
def test_dates(field: str, value: str, problem: str) -> None:
    assert validate_transparency_record(broken(ILLEGAL, **{field: value})) == [
        f"{field}: {value!r} {problem}"
    ]


@pytest.mark.parametrize("value", ["tco 2025/1", "ü-1", "a.b"])
def test_puid_pattern(value: str) -> None:
    assert validate_transparency_record(broken(ILLEGAL, puid=value)) == [
        f"puid: {value!r} does not match ^[a-zA-Z0-9-_]+$"
    ]


@pytest.mark.parametrize("value", ["ur", "URD", "BAL", "XX"])
def test_content_language_is_upper_case_iso_639_1(value: str) -> None:
    assert validate_transparency_record(broken(ILLEGAL, content_language=value)) == [
        f"content_language: {value!r} is not an upper-case ISO 639-1 code"
    ]


def test_territorial_scope_may_be_null() -> None:
    assert validate_transparency_record(broken(ILLEGAL, territorial_scope=None)) == []


def test_reference_url_and_content_id() -> None:
    record = broken(ILLEGAL, decision_ground_reference_url="eur-lex", content_id={"EAN": "1"})
    assert validate_transparency_record(record) == [
        "decision_ground_reference_url: 'eur-lex' is not a URL",
        'content_id: must be {"EAN-13": "<13 digits>"}',
    ]
    good = broken(ILLEGAL, content_id={"EAN-13": "4006381333931"})
    assert validate_transparency_record(good) == []


def test_unknown_field_and_non_object() -> None:
    assert validate_transparency_record(broken(ILLEGAL, terrorist=True)) == [
        "terrorist: not a field of the statement-of-reasons schema"
    ]
    assert validate_transparency_record(["x"]) == ["record: ['x'] is not a JSON object"]  # type: ignore[arg-type]


def test_every_builder_field_is_documented() -> None:
    assert set(ILLEGAL) <= FIELDS
    assert set(INCOMPATIBLE) <= FIELDS
