"""user_statement and ReasonsInput: which actions get a statement, languages, redress, errors."""

from __future__ import annotations

import string
from dataclasses import replace
from datetime import date

import pytest

from nigehban.errors import UsageError, ValidationError
from nigehban.model.decisions import Action
from nigehban.model.refs import ItemKind, Surface
from nigehban.model.taxonomy import Category, Language
from nigehban.reasons import (
    AppealInfo,
    DetectionSource,
    Ground,
    GroundKind,
    Measure,
    RuleRef,
    statement_language,
    transparency_record,
    user_statement,
)
from nigehban.reasons.texts import TEXTS
from tests.reasons.scenarios import (
    EU_TCO_REMOVAL,
    HASH_LIST_MATCH,
    PK_TTP_GLORIFICATION,
    TOS_RESTRICTION,
    puid,
)


def test_every_language_has_the_same_keys_and_slots() -> None:
    english = TEXTS[Language.EN]
    for lang, table in TEXTS.items():
        base = {k for k in table if not k.endswith(".f")}
        assert base == set(english), lang
        for key, text in table.items():
            slots = {f for _, f, _, _ in string.Formatter().parse(text) if f}
            english_slots = {
                f for _, f, _, _ in string.Formatter().parse(english[key.removesuffix(".f")]) if f
            }
            assert slots == english_slots, (lang, key)


@pytest.mark.parametrize(
    ("tag", "lang"),
    [
        ("en", Language.EN),
        ("ur", Language.UR),
        ("ur-Arab", Language.UR),
        ("ur-Latn", Language.UR_LATN),
        ("ur_latn", Language.UR_LATN),
        ("UR-LATN-PK", Language.UR_LATN),
        ("ps", Language.PS),
        ("ps-AF", Language.PS),
        ("bal", Language.EN),
        ("sd", Language.EN),
        ("und", Language.EN),
        ("", Language.EN),
    ],
)
def test_statement_language(tag: str, lang: Language) -> None:
    assert statement_language(tag) is lang


def test_statement_is_written_in_the_posts_language() -> None:
    statement = user_statement(replace(EU_TCO_REMOVAL, language="ps"))
    assert statement is not None
    assert statement.lang is Language.PS
    assert statement.direction == "rtl"
    assert statement.fields["language"] == "ps"
    other = user_statement(replace(EU_TCO_REMOVAL, language="sd"))
    assert other is not None and other.lang is Language.EN and other.direction == "ltr"
    assert statement.document() == {
        "lang": "ps", "direction": "rtl", "title": statement.title, "body": statement.body,
        "fields": dict(statement.fields),
    }  # fmt: skip
    assert other.document()["direction"] == "ltr"


@pytest.mark.parametrize("action", [Action.ALLOW, Action.REVIEW])
def test_actions_without_a_restriction_get_no_statement(action: Action) -> None:
    reasons = replace(TOS_RESTRICTION, action=action)
    assert reasons.measure is None
    assert user_statement(reasons) is None
    with pytest.raises(UsageError, match="restricts nothing"):
        transparency_record(reasons, puid(reasons))


def test_escalate_is_refused() -> None:
    reasons = replace(EU_TCO_REMOVAL, action=Action.ESCALATE)
    with pytest.raises(UsageError, match="escalate"):
        user_statement(reasons)


def test_protected_categories_never_ground_a_statement() -> None:
    reasons = replace(EU_TCO_REMOVAL, categories=(Category.NEWS, Category.COUNTER_SPEECH))
    with pytest.raises(UsageError, match="protected categories"):
        user_statement(reasons)
    with pytest.raises(UsageError, match="protected categories"):
        transparency_record(reasons, puid(reasons))


def test_protected_secondary_category_is_not_shown() -> None:
    reasons = replace(TOS_RESTRICTION, language="en", categories=(Category.THREAT, Category.NEWS))
    statement = user_statement(reasons)
    assert statement is not None
    assert "a threat of terrorist violence" in statement.body
    why = next(part for part in statement.body.split("\n\n") if part.startswith("Why"))
    assert [line for line in why.splitlines() if line.startswith("- ")] == [
        "- a threat of terrorist violence"
    ]


@pytest.mark.parametrize(
    ("action", "scope", "measure", "visibility"),
    [
        (Action.REMOVE, ("WORLD",), Measure.REMOVED, "DECISION_VISIBILITY_CONTENT_REMOVED"),
        (Action.REMOVE, ("EU",), Measure.DISABLED, "DECISION_VISIBILITY_CONTENT_DISABLED"),
        (Action.RESTRICT, ("WORLD",), Measure.DEMOTED, "DECISION_VISIBILITY_CONTENT_DEMOTED"),
        (Action.LABEL, ("WORLD",), Measure.LABELLED, "DECISION_VISIBILITY_CONTENT_LABELLED"),
    ],
)
def test_measures(
    action: Action, scope: tuple[str, ...], measure: Measure, visibility: str
) -> None:
    reasons = replace(TOS_RESTRICTION, action=action, territorial_scope=scope)
    assert reasons.measure is measure
    record = transparency_record(reasons, "p-1")
    assert record["decision_visibility"] == [visibility]
    assert "decision_account" not in record


def test_suspension_is_an_account_decision() -> None:
    reasons = replace(
        TOS_RESTRICTION, action=Action.SUSPEND, language="en", ends_at=date(2025, 10, 1)
    )
    record = transparency_record(reasons, "p-1")
    assert record["decision_account"] == "DECISION_ACCOUNT_SUSPENDED"
    assert record["end_date_account_restriction"] == "2025-10-01"
    assert "decision_visibility" not in record
    statement = user_statement(reasons)
    assert statement is not None
    assert statement.title == "We suspended your account"
    assert "because of your post of 1 September 2025" in statement.body
    account = replace(reasons, item_kind=ItemKind.ACCOUNT)
    statement = user_statement(account)
    assert statement is not None
    assert "We have suspended your account.\n" in statement.body


def test_eu_scope_lists_the_27_member_states() -> None:
    reasons = replace(TOS_RESTRICTION, action=Action.REMOVE, territorial_scope=("EU",))
    record = transparency_record(reasons, "p-1")
    scope = record["territorial_scope"]
    assert isinstance(scope, list) and len(scope) == 27 and "NO" not in scope
    statement = user_statement(replace(reasons, language="en"))
    assert statement is not None
    assert "in all Member States of the European Union" in statement.body


def test_partial_scope_keeps_only_eea_countries() -> None:
    reasons = replace(TOS_RESTRICTION, action=Action.REMOVE, territorial_scope=("PK", "DE", "AT"))
    assert transparency_record(reasons, "p-1")["territorial_scope"] == ["AT", "DE"]


def test_user_notice_is_never_named_and_authorities_are() -> None:
    reasons = replace(
        TOS_RESTRICTION,
        language="en",
        sources=(DetectionSource.USER_NOTICE,),
        notifier="Some Person",
        automated_detection=False,
    )
    statement = user_statement(reasons)
    assert statement is not None and "Some Person" not in statement.body
    record = transparency_record(reasons, "p-1")
    assert record["source_type"] == "SOURCE_ARTICLE_16"
    assert "source_identity" not in record
    named = replace(reasons, sources=(DetectionSource.TRUSTED_FLAGGER,), notifier="Europol IRU")
    statement = user_statement(named)
    assert statement is not None and "A trusted flagger reported it to us: Europol IRU." in (
        statement.body
    )
    record = transparency_record(named, "p-1")
    assert record["source_type"] == "SOURCE_TRUSTED_FLAGGER"
    assert record["source_identity"] == "Europol IRU"


@pytest.mark.parametrize(
    ("sources", "expected"),
    [
        ((DetectionSource.HASH_LIST,), "SOURCE_VOLUNTARY"),
        ((DetectionSource.OWN_INITIATIVE_REVIEW,), "SOURCE_VOLUNTARY"),
        ((DetectionSource.AUTHORITY_REFERRAL,), "SOURCE_TYPE_OTHER_NOTIFICATION"),
        (
            (DetectionSource.USER_NOTICE, DetectionSource.AUTHORITY_ORDER),
            "SOURCE_TYPE_OTHER_NOTIFICATION",
        ),
        (
            (DetectionSource.AUTHORITY_REFERRAL, DetectionSource.TRUSTED_FLAGGER),
            "SOURCE_TRUSTED_FLAGGER",
        ),
        ((DetectionSource.HASH_LIST, DetectionSource.USER_NOTICE), "SOURCE_ARTICLE_16"),
    ],
)
def test_source_type_precedence(sources: tuple[DetectionSource, ...], expected: str) -> None:
    reasons = replace(HASH_LIST_MATCH, sources=sources)
    assert transparency_record(reasons, "p-1")["source_type"] == expected


def test_redress_routes_follow_the_jurisdiction() -> None:
    pk = user_statement(replace(PK_TTP_GLORIFICATION, language="en"))
    assert pk is not None
    assert "section 37(4)" in pk.body and "courts of Pakistan" in pk.body
    assert "out-of-court" not in pk.body and "2021/784" not in pk.body
    eu = user_statement(EU_TCO_REMOVAL)
    assert eu is not None
    assert "out-of-court dispute settlement" in eu.body
    assert "Regulation (EU) 2021/784, Article 9" in eu.body
    assert "section 37(4)" not in eu.body
    elsewhere = user_statement(
        replace(PK_TTP_GLORIFICATION, language="en", user_country="AF", territorial_scope=("AF",))
    )
    assert elsewhere is not None
    assert "under the law that applies to you" in elsewhere.body


def test_label_is_a_short_notice() -> None:
    full = user_statement(replace(TOS_RESTRICTION, language="en"))
    label = user_statement(replace(TOS_RESTRICTION, language="en", action=Action.LABEL))
    assert full is not None and label is not None
    assert "How it came to our attention" not in label.body
    assert "go to court" not in label.body
    assert "may contain" in label.body
    assert len(label.body) < len(full.body)


def test_pashto_removal_agrees_with_a_feminine_noun() -> None:
    statement = user_statement(HASH_LIST_MATCH)
    assert statement is not None
    assert statement.title == "موږ ستاسو ویډیو لرې کړه"
    post = user_statement(replace(HASH_LIST_MATCH, item_kind=ItemKind.POST))
    assert post is not None and post.title == "موږ ستاسو پوسټ لرې کړ"


def test_private_message_and_rule_translation() -> None:
    reasons = replace(
        TOS_RESTRICTION,
        surface=Surface.PRIVATE,
        language="ur",
        rules=(RuleRef("r.1", "English text", ((Language.UR, "اردو متن"),)),),
    )
    statement = user_statement(reasons)
    assert statement is not None
    assert "ایک نجی گفتگو میں آپ کا 1 ستمبر 2025 کا پیغام" in statement.body
    assert "r.1 (اردو متن)" in statement.body and "English text" not in statement.body


def test_fields_are_machine_readable() -> None:
    statement = user_statement(TOS_RESTRICTION)
    assert statement is not None
    fields = dict(statement.fields)
    assert fields["appeal_deadline"] == "2026-03-04"
    assert fields["end_date"] == "2025-12-01"
    assert fields["item"] == "generic/post/post-c41d77a0"
    assert fields["automated_decision"] == "partially"
    assert fields["generator"] == "Nigehban 0.1.0"
    assert "post-c41d77a0" not in statement.body


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"appeal": AppealInfo("https://x.example/a", 30, True)}, "appeal.deadline_days"),
        ({"appeal": AppealInfo("https://x.example/a", 183, False)}, "appeal.human_review"),
        ({"automated_detection": False}, "automated_detection"),
        ({"territorial_scope": ("WORLD", "PK")}, "territorial_scope"),
        ({"territorial_scope": ("pk",)}, "territorial_scope"),
        ({"territorial_scope": ()}, "territorial_scope"),
        ({"categories": ()}, "categories"),
        ({"rules": ()}, "rules"),
        ({"sources": ()}, "sources"),
        ({"decision_id": "D 1"}, "decision_id"),
        ({"ends_at": date(2025, 1, 1)}, "ends_at"),
        ({"user_country": "Pakistan"}, "user_country"),
    ],
)
def test_bad_input_is_rejected_with_the_field(changes: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        replace(TOS_RESTRICTION, **changes)  # type: ignore[arg-type]
    assert info.value.field == field


def test_naive_datetime_is_rejected() -> None:
    naive = TOS_RESTRICTION.created_at.replace(tzinfo=None)
    with pytest.raises(ValidationError, match="time zone"):
        replace(TOS_RESTRICTION, created_at=naive)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"kind": GroundKind.LAW, "citation": "PECA"}, "ground.jurisdiction"),
        (
            {"kind": GroundKind.TERMS, "citation": "ToS", "jurisdiction": "PK"},
            "ground.jurisdiction",
        ),
        ({"kind": GroundKind.TERMS, "citation": " "}, "ground.citation"),
        ({"kind": GroundKind.TERMS, "citation": "x" * 501}, "ground.citation"),
        ({"kind": GroundKind.TERMS, "citation": "ToS", "url": "ftp://x"}, "ground.url"),
        (
            {"kind": GroundKind.LAW, "citation": "x", "jurisdiction": "EU", "also_illegal": True},
            "ground.also_illegal",
        ),
    ],
)
def test_bad_ground(kwargs: dict[str, object], field: str) -> None:
    with pytest.raises(ValidationError) as info:
        Ground(**kwargs)  # type: ignore[arg-type]
    assert info.value.field == field


def test_bad_puid_is_rejected_by_the_builder() -> None:
    with pytest.raises(ValidationError, match="puid"):
        transparency_record(TOS_RESTRICTION, "has space")


@pytest.mark.parametrize("lang", ["en", "ur", "ur-Latn", "ps"])
def test_a_decision_taken_on_appeal_offers_no_second_appeal(lang: str) -> None:
    appeal = replace(EU_TCO_REMOVAL.appeal, exhausted=True)
    open_route = user_statement(replace(EU_TCO_REMOVAL, language=lang))
    final = user_statement(replace(EU_TCO_REMOVAL, language=lang, appeal=appeal))
    assert open_route is not None and final is not None
    table = TEXTS[Language(lang)]
    assert (
        table["appeal.exhausted"] in final.body and table["appeal.exhausted"] not in open_route.body
    )
    assert EU_TCO_REMOVAL.appeal.location in open_route.body
    assert EU_TCO_REMOVAL.appeal.location not in final.body
    assert final.fields["appeal_deadline"] == "" and open_route.fields["appeal_deadline"]
    assert table["redress.ods"] in final.body  # out-of-court settlement stays open


@pytest.mark.parametrize("lang", ["en", "ur", "ur-Latn", "ps"])
def test_a_decision_whose_appeal_was_decided_offers_no_second_appeal(lang: str) -> None:
    appeal = replace(EU_TCO_REMOVAL.appeal, appeal_decided=True)
    statement = user_statement(replace(EU_TCO_REMOVAL, language=lang, appeal=appeal))
    assert statement is not None
    table = TEXTS[Language(lang)]
    assert (
        table["appeal.spent"] in statement.body and table["appeal.exhausted"] not in statement.body
    )
    assert EU_TCO_REMOVAL.appeal.location not in statement.body
