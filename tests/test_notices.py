"""Statement inputs built from stored decisions: how the content was detected, its language,
dates the platform got wrong, and appeals already spent."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from nigehban.errors import ConflictError
from nigehban.model.decisions import Action, Decision
from nigehban.model.items import Account, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface
from nigehban.model.taxonomy import Category
from nigehban.policy import load_policies
from nigehban.reasons import (
    ContentType,
    DetectionSource,
    Ground,
    GroundKind,
    transparency_record,
    user_statement,
    validate_transparency_record,
)
from nigehban.settings import Settings
from nigehban.workflows.notices import reasons_input

NOW = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
REF = ItemRef("default", Platform.X, ItemKind.POST, "7")
POLICY = load_policies(None)["platform-tos"]
POST = Post(ref=REF, surface=Surface.PUBLIC, text="…", created_at=NOW - timedelta(hours=1))


def _decision(rules: tuple[str, ...], **details: object) -> Decision:
    return Decision(
        item=REF, revision=1, content_hash="0" * 64, action=Action.REMOVE,
        categories=(Category.PROPAGANDA,), confidence=0.99, rules=rules, ground="x",
        automated_detection=True, automated_decision=True, policy_hash=POLICY.digest,
        model_hash=None, registry_hash=None, bank_hash=None, decided_at=NOW,
        details={"ground_id": next(iter(POLICY.grounds)), **details},
    )  # fmt: skip


@pytest.mark.parametrize(
    ("rules", "sources"),
    [
        (("bank.known-content",), (DetectionSource.HASH_LIST,)),
        (("review.decided", "bank.known-content"), (DetectionSource.HASH_LIST,)),
        (("bank.near", "invariant.protected-stance-bank-review"), (DetectionSource.HASH_LIST,)),
        (("stance.propaganda",), (DetectionSource.AUTOMATED_CLASSIFIER,)),
        (("review.decided", "stance.propaganda"), (DetectionSource.AUTOMATED_CLASSIFIER,)),
    ],
)
def test_how_it_was_detected_names_only_real_detections(
    rules: tuple[str, ...], sources: tuple[DetectionSource, ...]
) -> None:
    reasons = reasons_input(1, _decision(rules), POST, POLICY, Settings())
    assert reasons.sources == sources


def test_language_dates_and_spent_appeals() -> None:
    settings = Settings()
    detected = reasons_input(1, _decision(("stance.propaganda",), language="ps"), POST, POLICY,
                             settings)  # fmt: skip
    assert detected.language == "ps" and detected.appeal.decision_days == 14
    unknown = reasons_input(1, _decision(("stance.propaganda",), language="und"), POST, POLICY,
                            settings)  # fmt: skip
    assert unknown.content_language_code is None
    hinted = replace(POST, lang_hint="ur-Latn")
    assert (
        reasons_input(1, _decision(("stance.propaganda",)), hinted, POLICY, settings).language
        == "ur-Latn"
    )
    future = replace(POST, created_at=NOW + timedelta(days=400))
    assert (
        reasons_input(1, _decision(("stance.propaganda",)), future, POLICY, settings).created_at
        == NOW
    )
    spent = reasons_input(1, _decision(("stance.propaganda",)), POST, POLICY, settings, None, True)
    assert spent.appeal.appeal_decided and not spent.appeal.exhausted
    waiting = _decision(("stance.propaganda",), review_required=True)
    with pytest.raises(ConflictError, match="awaits human review"):
        reasons_input(1, waiting, POST, POLICY, settings)


@pytest.mark.parametrize(
    ("media", "types"),
    [
        ((MediaKind.IMAGE,), ["CONTENT_TYPE_TEXT", "CONTENT_TYPE_IMAGE"]),
        ((MediaKind.VIDEO, MediaKind.ANIMATION), ["CONTENT_TYPE_TEXT", "CONTENT_TYPE_VIDEO"]),
        (
            (MediaKind.VOICE, None),
            ["CONTENT_TYPE_TEXT", "CONTENT_TYPE_AUDIO", "CONTENT_TYPE_OTHER"],
        ),
        ((), ["CONTENT_TYPE_TEXT", "CONTENT_TYPE_OTHER"]),  # media refs whose kinds are unknown
    ],
)
def test_a_posts_media_are_reported_by_their_type(
    media: tuple[MediaKind | None, ...], types: list[str]
) -> None:
    post = replace(POST, media=(ItemRef("default", Platform.X, ItemKind.MEDIA, "m1"),))
    reasons = reasons_input(1, _decision(("bank.known-content",)), post, POLICY, Settings(),
                            media=media)  # fmt: skip
    assert transparency_record(reasons, "D-1")["content_type"] == types
    captionless = replace(post, text=" ")
    reasons = reasons_input(1, _decision(("bank.known-content",)), captionless, POLICY,
                            Settings(), media=media)  # fmt: skip
    assert transparency_record(reasons, "D-1")["content_type"] == types[1:]


SHARED = ItemRef("default", Platform.X, ItemKind.POST, "6")
SHARE = Post(ref=REF, surface=Surface.PUBLIC, origins=(Origin(Relation.SHARE, SHARED),),
             created_at=NOW - timedelta(hours=1))  # fmt: skip


@pytest.mark.parametrize(
    ("share", "media", "shared", "types"),
    [
        (SHARE, (), (ContentType.IMAGE,), ["CONTENT_TYPE_IMAGE"]),
        (SHARE, (), (ContentType.TEXT, ContentType.VIDEO), ["CONTENT_TYPE_TEXT",
                                                            "CONTENT_TYPE_VIDEO"]),
        (SHARE, (), (ContentType.OTHER,), ["CONTENT_TYPE_OTHER"]),  # the origin is not stored
        (SHARE, (), (), ["CONTENT_TYPE_OTHER"]),  # what it shares was not looked up
        (replace(SHARE, text=" ", media=(ItemRef("default", Platform.X, ItemKind.MEDIA, "m1"),)),
         (MediaKind.VOICE,), (ContentType.IMAGE,), ["CONTENT_TYPE_AUDIO", "CONTENT_TYPE_IMAGE"]),
        # a share with a comment is acted on for its own text, whatever it shares
        (replace(SHARE, text="look"), (), (ContentType.IMAGE,), ["CONTENT_TYPE_TEXT"]),
        (replace(SHARE, origins=(Origin(Relation.QUOTE, SHARED),)), (), (ContentType.IMAGE,),
         ["CONTENT_TYPE_TEXT"]),  # no share at all: the post's own content
    ],
)  # fmt: skip
def test_a_pure_share_is_reported_as_what_it_shares(
    share: Post,
    media: tuple[MediaKind | None, ...],
    shared: tuple[ContentType, ...],
    types: list[str],
) -> None:
    reasons = reasons_input(1, _decision(("share.violating-origin",)), share, POLICY, Settings(),
                            media=media, shared=shared)  # fmt: skip
    record = transparency_record(reasons, "D-1")
    assert record["content_type"] == types
    assert ("content_type_other" in record) is ("CONTENT_TYPE_OTHER" in types)
    assert not validate_transparency_record(record)


def test_a_suspension_is_reported_as_of_an_account_profile() -> None:
    account = Account(ItemRef("default", Platform.X, ItemKind.ACCOUNT, "42"), handle="h")
    decision = replace(_decision(("account.suspend",)), item=account.ref, action=Action.SUSPEND)
    reasons = reasons_input(1, decision, account, POLICY, Settings())
    record = transparency_record(reasons, "D-1")
    assert record["content_type"] == ["CONTENT_TYPE_OTHER"]
    assert record["content_type_other"] == "account profile"
    assert not validate_transparency_record(record)


def test_a_pending_appeal_is_named_and_no_second_one_offered() -> None:
    reasons = reasons_input(1, _decision(("stance.propaganda",)), POST, POLICY, Settings(),
                            appeal_pending=True)  # fmt: skip
    statement = user_statement(reasons)
    assert statement is not None
    assert (
        "are reviewing it" in statement.text and "You can appeal to us until" not in statement.text
    )
    assert statement.fields["appeal_deadline"] == "" and not reasons.appeal.open_to_appeal


def test_a_terms_ground_is_not_named_twice() -> None:
    ground_id = next(k for k, g in POLICY.grounds.items() if g.citation.startswith("Terms of"))
    reasons = reasons_input(1, _decision(("stance.propaganda",), ground_id=ground_id), POST,
                            POLICY, Settings())  # fmt: skip
    statement = user_statement(reasons)
    assert statement is not None and "Our terms of service: terrorist" in statement.text
    assert "Our terms of service: Terms of service" not in statement.text
    record = transparency_record(reasons, "D-1")
    assert "prohibit: Terms" not in str(record["incompatible_content_explanation"])
    assert Ground(GroundKind.TERMS, "Terms of service:  ").clause == "Terms of service:  "
