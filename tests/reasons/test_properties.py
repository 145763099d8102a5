"""Property tests: every record the builder makes validates, carries no personal data, and every
input gets a complete statement in every language."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.model.decisions import Action
from nigehban.model.refs import ItemKind, Platform, Surface
from nigehban.model.taxonomy import VIOLATING, Category, Language
from nigehban.reasons import (
    AppealInfo,
    Automation,
    ContentType,
    DetectionSource,
    Ground,
    GroundKind,
    ReasonsInput,
    RuleRef,
    transparency_record,
    user_statement,
    validate_transparency_record,
)
from nigehban.reasons.dsa_schema import REQUIRED
from nigehban.reasons.model import EEA_COUNTRIES

LANGS = ("en", "ur", "ur-Latn", "ps")


def texts(max_size: int) -> st.SearchStrategy[str]:
    return st.text(
        st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=max_size
    ).filter(lambda s: bool(s.strip()))


def unique_subset(values: list[object], min_size: int = 1) -> st.SearchStrategy[tuple]:  # type: ignore[type-arg]
    return st.lists(st.sampled_from(values), min_size=min_size, unique=True).map(tuple)


@st.composite
def categories(draw: st.DrawFn) -> tuple[Category, ...]:
    chosen = draw(unique_subset(list(Category)))
    if not any(c in VIOLATING for c in chosen):
        chosen = (draw(st.sampled_from(sorted(VIOLATING))), *chosen)
    return tuple(draw(st.permutations(chosen)))


@st.composite
def grounds(draw: st.DrawFn) -> Ground:
    url = draw(st.none() | st.just("https://example.org/terms#4-2"))
    provision = draw(st.none() | texts(500))
    if draw(st.booleans()):
        return Ground(
            GroundKind.LAW,
            draw(texts(500)),
            provision,
            draw(st.sampled_from(["EU", *EEA_COUNTRIES])),
            url,
        )
    also = draw(st.none() | st.booleans())
    return Ground(GroundKind.TERMS, draw(texts(500)), provision, None, url, also)


@st.composite
def scopes(draw: st.DrawFn) -> tuple[str, ...]:
    choice = draw(st.sampled_from(["WORLD", "EU", "EEA", "list"]))
    if choice != "list":
        return (choice,)
    eea = draw(unique_subset(list(EEA_COUNTRIES)))
    rest = draw(unique_subset(["PK", "AF", "IN", "US", "GB", "AE"], min_size=0))
    return tuple(draw(st.permutations((*eea, *rest))))


@st.composite
def inputs(draw: st.DrawFn) -> ReasonsInput:
    decided = draw(
        st.datetimes(datetime(2020, 1, 2), datetime(2030, 12, 31), timezones=st.just(UTC))
    )
    created = decided - timedelta(seconds=draw(st.integers(0, 20 * 365 * 86400)))
    sources = draw(unique_subset(list(DetectionSource)))
    automated = any(s.automated for s in sources) or draw(st.booleans())
    ends = draw(st.none() | st.integers(0, 3000))
    return ReasonsInput(
        decision_id=draw(st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._:-]{0,40}", fullmatch=True)),
        platform_name=draw(texts(60)),
        platform=draw(st.sampled_from(list(Platform))),
        item_kind=draw(st.sampled_from(list(ItemKind))),
        scoped_id="SCOPEDID" + draw(st.from_regex(r"[a-z0-9]{8}", fullmatch=True)),
        surface=draw(st.sampled_from(list(Surface))),
        container_name=draw(st.none() | st.just("CONTAINERNAME")),
        created_at=created,
        content_types=draw(unique_subset(list(ContentType))),
        language=draw(st.sampled_from([*LANGS, "sd", "bal", "und", "pa", "UR-latn", "ps-AF"])),
        action=draw(
            st.sampled_from([Action.LABEL, Action.RESTRICT, Action.REMOVE, Action.SUSPEND])
        ),
        categories=draw(categories()),
        rules=tuple(
            RuleRef(rid, draw(texts(200)), ((Language.UR, "اردو"),))
            for rid in draw(
                st.lists(
                    st.from_regex(r"[a-z][a-z0-9._-]{0,30}", fullmatch=True),
                    min_size=1,
                    max_size=12,
                )
            )
        ),
        ground=draw(grounds()),
        sources=sources,
        notifier=draw(st.none() | texts(80)),
        automated_detection=automated,
        automated_decision=draw(st.sampled_from(list(Automation))),
        decided_at=decided,
        territorial_scope=draw(scopes()),
        ends_at=None if ends is None else decided.date() + timedelta(days=ends),
        user_country=draw(st.none() | st.sampled_from(["PK", "DE", "AF", "FR"])),
        appeal=AppealInfo(
            "https://example.org/appeal",
            draw(st.integers(180, 3660)),
            True,
            draw(st.none() | st.integers(1, 365)),
        ),
    )


@given(inputs(), st.from_regex(r"[a-zA-Z0-9_-]{1,500}", fullmatch=True))
@settings(max_examples=150, deadline=None)
def test_every_built_record_validates(reasons: ReasonsInput, puid: str) -> None:
    record = transparency_record(reasons, puid)
    assert validate_transparency_record(record) == []
    assert json.loads(json.dumps(record)) == record


@given(inputs())
@settings(max_examples=100, deadline=None)
def test_record_carries_no_item_identifiers(reasons: ReasonsInput) -> None:
    dumped = json.dumps(transparency_record(reasons, "p-1"), ensure_ascii=False)
    assert reasons.scoped_id not in dumped
    assert "CONTAINERNAME" not in dumped
    if DetectionSource.USER_NOTICE in reasons.sources and reasons.notifier:
        record = transparency_record(reasons, "p-1")
        if record["source_type"] == "SOURCE_ARTICLE_16":
            assert "source_identity" not in record


@given(inputs())
@settings(max_examples=100, deadline=None)
def test_every_language_gets_a_complete_statement(reasons: ReasonsInput) -> None:
    for lang in LANGS:
        statement = user_statement(replace(reasons, language=lang))
        assert statement is not None
        assert statement.title.strip()
        body = statement.body
        assert reasons.decision_id in body
        assert reasons.appeal.location in body
        for rule in reasons.rules:
            assert rule.id in body
        assert reasons.scoped_id not in body
        assert statement == user_statement(replace(reasons, language=lang))


@given(inputs(), st.sampled_from(REQUIRED))
@settings(max_examples=100, deadline=None)
def test_dropping_a_required_field_is_always_caught(reasons: ReasonsInput, field: str) -> None:
    record = transparency_record(reasons, "p-1")
    del record[field]
    assert f"{field}: required field is missing" in validate_transparency_record(record)


@given(inputs())
@settings(max_examples=50, deadline=None)
def test_dates_are_the_utc_days(reasons: ReasonsInput) -> None:
    record = transparency_record(reasons, "p-1")
    assert record["application_date"] == reasons.decided_at.astimezone(UTC).date().isoformat()
    assert date.fromisoformat(str(record["content_date"])) <= date.fromisoformat(
        str(record["application_date"])
    )
