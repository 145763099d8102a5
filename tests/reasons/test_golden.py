"""Golden statements of reasons (4 languages) and Transparency Database records.

See tests/reasons/golden.py for how to regenerate them.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from nigehban.errors import UsageError
from nigehban.reasons import transparency_record, user_statement, validate_transparency_record
from tests.reasons.golden import GOLDEN_DIR, UPDATE, check_golden, dump_json
from tests.reasons.scenarios import LANGUAGES, NO_DSA_RECORD, SCENARIOS, puid

CASES = [(name, lang) for name in SCENARIOS for lang in LANGUAGES]
RECORDS = [name for name in SCENARIOS if name not in NO_DSA_RECORD]


@pytest.mark.parametrize(("name", "lang"), CASES)
def test_statement_matches_golden(name: str, lang: str) -> None:
    statement = user_statement(replace(SCENARIOS[name], language=lang))
    assert statement is not None
    check_golden(f"{name}.{lang}.txt", statement.text)


@pytest.mark.parametrize("name", RECORDS)
def test_transparency_record_matches_golden(name: str) -> None:
    reasons = SCENARIOS[name]
    check_golden(f"{name}.dsa.json", dump_json(transparency_record(reasons, puid(reasons))))


@pytest.mark.parametrize("name", RECORDS)
def test_golden_record_validates_against_the_documented_schema(name: str) -> None:
    record = json.loads((GOLDEN_DIR / f"{name}.dsa.json").read_text(encoding="utf-8"))
    assert validate_transparency_record(record) == []


def test_terrorist_content_is_coded_as_risk_for_public_security() -> None:
    for name in RECORDS:
        record = json.loads((GOLDEN_DIR / f"{name}.dsa.json").read_text(encoding="utf-8"))
        assert record["category"] == "STATEMENT_CATEGORY_RISK_FOR_PUBLIC_SECURITY"
        assert "KEYWORD_TERRORIST_CONTENT" in record["category_specification"]


def test_pakistan_only_block_has_no_transparency_database_record() -> None:
    reasons = SCENARIOS["pk_ttp_glorification"]
    with pytest.raises(UsageError, match="outside the EU/EEA"):
        transparency_record(reasons, puid(reasons))


def test_pakistan_law_cannot_ground_an_eu_record() -> None:
    reasons = replace(SCENARIOS["pk_ttp_glorification"], territorial_scope=("WORLD",))
    with pytest.raises(UsageError, match="not 'illegal content' under the DSA"):
        transparency_record(reasons, puid(reasons))


def test_no_stray_golden_files() -> None:
    if UPDATE:
        pytest.skip("regenerating")
    expected = {f"{n}.{lang}.txt" for n, lang in CASES} | {f"{n}.dsa.json" for n in RECORDS}
    assert {p.name for p in GOLDEN_DIR.iterdir()} == expected


def test_golden_statements_name_what_the_reference_requires() -> None:
    # Spot checks that do not depend on wording: the facts every statement must carry.
    for name, reasons in SCENARIOS.items():
        text = (GOLDEN_DIR / f"{name}.en.txt").read_text(encoding="utf-8")
        assert reasons.decision_id in text
        assert reasons.appeal.location in text
        assert reasons.ground.citation.rstrip(".") in text
        for rule in reasons.rules:
            assert rule.id in text
        assert "automated means" in text.lower()


def test_docs_show_the_golden_example_in_four_languages() -> None:
    docs = (GOLDEN_DIR.parents[2].parent / "docs" / "statements-of-reasons.md").read_text(
        encoding="utf-8"
    )
    for lang in LANGUAGES:
        golden = (GOLDEN_DIR / f"pk_ttp_glorification.{lang}.txt").read_text(encoding="utf-8")
        assert f"```text\n{golden}```" in docs, lang
