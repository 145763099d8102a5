"""The decisions the golden statements of reasons are written for.

Fictional platform ("Baithak"), channels and ids; real laws, authorities and designations.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

from nigehban.model.decisions import Action
from nigehban.model.refs import ItemKind, Platform, Surface
from nigehban.model.taxonomy import Category, Language
from nigehban.reasons import (
    AppealInfo,
    Automation,
    ContentType,
    DetectionSource,
    Ground,
    GroundKind,
    ReasonsInput,
    RuleRef,
)

PKT = timezone(timedelta(hours=5))
CET = timezone(timedelta(hours=2))
LANGUAGES = ("en", "ur", "ur-Latn", "ps")
APP = "Nigehban 0.1.0"


def _appeal(decision_id: str, days: int, decision_days: int | None = None) -> AppealInfo:
    return AppealInfo(
        location=f"https://baithak.example/appeals/{decision_id}",
        deadline_days=days,
        human_review=True,
        decision_days=decision_days,
    )


PK_TTP_GLORIFICATION = ReasonsInput(
    decision_id="D-2025-000412",
    platform_name="Baithak",
    platform=Platform.GENERIC,
    item_kind=ItemKind.POST,
    scoped_id="post-7f3a91c2",
    surface=Surface.CHANNEL,
    container_name="Sada-e-Qabail",
    created_at=datetime(2025, 7, 14, 9, 12, tzinfo=PKT),
    content_types=(ContentType.TEXT, ContentType.IMAGE),
    language="ur",
    action=Action.REMOVE,
    categories=(Category.GLORIFICATION, Category.PROPAGANDA),
    rules=(
        RuleRef(
            "pk.glorification.remove",
            "Glorification of a proscribed organisation or of its attacks",
            translations=(
                (Language.UR, "کالعدم تنظیم یا اس کے حملوں کی تعریف"),
                (Language.UR_LATN, "kaladam tanzeem ya us ke hamlon ki tareef"),
            ),
        ),
    ),
    ground=Ground(
        kind=GroundKind.LAW,
        citation=(
            "Prevention of Electronic Crimes Act 2016, sections 9 and 37(1);"
            " Anti-Terrorism Act 1997, section 11-W"
        ),
        provision="PECA 2016 s.37(1), s.9; ATA 1997 s.11-W",
        jurisdiction="PK",
    ),
    sources=(DetectionSource.AUTHORITY_ORDER,),
    notifier="Pakistan Telecommunication Authority",
    automated_detection=False,
    automated_decision=Automation.NOT_AUTOMATED,
    decided_at=datetime(2025, 7, 16, 10, 40, tzinfo=PKT),
    territorial_scope=("PK",),
    appeal=_appeal("D-2025-000412", 60),
    user_country="PK",
    application=APP,
)
"""A PTA direction to block TTP glorification in Pakistan: no Transparency Database record."""

EU_TCO_REMOVAL = ReasonsInput(
    decision_id="D-2025-000518",
    platform_name="Baithak",
    platform=Platform.GENERIC,
    item_kind=ItemKind.POST,
    scoped_id="post-91bb04e7",
    surface=Surface.PUBLIC,
    created_at=datetime(2025, 8, 2, 21, 5, tzinfo=CET),
    content_types=(ContentType.TEXT, ContentType.VIDEO),
    language="en",
    action=Action.REMOVE,
    categories=(Category.INCITEMENT, Category.GLORIFICATION),
    rules=(
        RuleRef("eu.tco.removal-order", "Removal order under Regulation (EU) 2021/784"),
        RuleRef("eu.incitement.remove", "Incitement to commit terrorist offences"),
    ),
    ground=Ground(
        kind=GroundKind.LAW,
        citation=(
            "Regulation (EU) 2021/784 on addressing the dissemination of terrorist content"
            " online, Article 2(7)(a), removal order BKA-TCO-2025-0193 under Article 3"
        ),
        provision="Regulation (EU) 2021/784 Art. 2(7)(a); removal order ref BKA-TCO-2025-0193",
        jurisdiction="EU",
        url="https://eur-lex.europa.eu/eli/reg/2021/784/oj",
    ),
    sources=(DetectionSource.AUTHORITY_ORDER,),
    notifier="Bundeskriminalamt (Germany)",
    automated_detection=False,
    automated_decision=Automation.NOT_AUTOMATED,
    decided_at=datetime(2025, 8, 3, 7, 48, tzinfo=CET),
    territorial_scope=("WORLD",),
    appeal=_appeal("D-2025-000518", 183),
    user_country="DE",
    application=APP,
)
"""An EU removal order (one hour), acted on worldwide."""

TOS_RESTRICTION = ReasonsInput(
    decision_id="D-2025-000733",
    platform_name="Baithak",
    platform=Platform.GENERIC,
    item_kind=ItemKind.POST,
    scoped_id="post-c41d77a0",
    surface=Surface.PUBLIC,
    created_at=datetime(2025, 9, 1, 18, 30, tzinfo=PKT),
    content_types=(ContentType.TEXT,),
    language="ur-Latn",
    action=Action.RESTRICT,
    categories=(Category.GLORIFICATION,),
    rules=(
        RuleRef(
            "tos.glorification.restrict",
            "Praise of terrorist attacks or attackers without news or critical context",
        ),
    ),
    ground=Ground(
        kind=GroundKind.TERMS,
        citation="Baithak Community Guidelines, section 4.2 (Violent extremism)",
        provision="Baithak Community Guidelines s.4.2 (Violent extremism)",
        url="https://baithak.example/guidelines#4-2",
    ),
    sources=(DetectionSource.AUTOMATED_CLASSIFIER,),
    automated_detection=True,
    automated_decision=Automation.PARTIALLY,
    decided_at=datetime(2025, 9, 2, 11, 15, tzinfo=PKT),
    territorial_scope=("WORLD",),
    ends_at=date(2025, 12, 1),
    appeal=_appeal("D-2025-000733", 183),
    application=APP,
)
"""A classifier flag confirmed by a reviewer: reach limited for three months (terms)."""

HASH_LIST_MATCH = ReasonsInput(
    decision_id="D-2025-000861",
    platform_name="Baithak",
    platform=Platform.GENERIC,
    item_kind=ItemKind.MEDIA,
    scoped_id="media-5e02aa19",
    surface=Surface.GROUP,
    container_name="Da Watan Zalmi",
    created_at=datetime(2025, 9, 20, 8, 0, tzinfo=PKT),
    content_types=(ContentType.VIDEO,),
    language="ps",
    action=Action.REMOVE,
    categories=(Category.PROPAGANDA,),
    rules=(
        RuleRef(
            "bank.verified-propaganda.remove",
            "Match in a bank of verified terrorist propaganda",
        ),
    ),
    ground=Ground(
        kind=GroundKind.TERMS,
        citation="Baithak Community Guidelines, section 4.1 (Dangerous organisations)",
        provision="Baithak Community Guidelines s.4.1 (Dangerous organisations)",
        url="https://baithak.example/guidelines#4-1",
        also_illegal=True,
    ),
    sources=(DetectionSource.HASH_LIST,),
    automated_detection=True,
    automated_decision=Automation.FULLY,
    decided_at=datetime(2025, 9, 20, 8, 0, 4, tzinfo=PKT),
    territorial_scope=("WORLD",),
    appeal=_appeal("D-2025-000861", 183, decision_days=14),
    application=APP,
)
"""A re-upload of a media-wing video caught by a hash list and removed automatically."""

LABEL_NOTICE = ReasonsInput(
    decision_id="D-2025-000902",
    platform_name="Baithak",
    platform=Platform.GENERIC,
    item_kind=ItemKind.POST,
    scoped_id="post-0a9e3f58",
    surface=Surface.PUBLIC,
    created_at=datetime(2025, 10, 3, 14, 0, tzinfo=PKT),
    content_types=(ContentType.TEXT,),
    language="en",
    action=Action.LABEL,
    categories=(Category.GLORIFICATION, Category.NEWS),
    rules=(RuleRef("tos.glorification.label", "Possible praise of a terrorist attack"),),
    ground=Ground(
        kind=GroundKind.TERMS,
        citation="Baithak Community Guidelines, section 4.2 (Violent extremism)",
        url="https://baithak.example/guidelines#4-2",
    ),
    sources=(DetectionSource.AUTOMATED_CLASSIFIER,),
    automated_detection=True,
    automated_decision=Automation.FULLY,
    decided_at=datetime(2025, 10, 3, 14, 0, 2, tzinfo=PKT),
    territorial_scope=("WORLD",),
    appeal=_appeal("D-2025-000902", 183),
    application=APP,
)
"""A low-confidence classifier score: a warning label, the short notice."""

SCENARIOS: dict[str, ReasonsInput] = {
    "pk_ttp_glorification": PK_TTP_GLORIFICATION,
    "eu_tco_removal": EU_TCO_REMOVAL,
    "tos_restriction": TOS_RESTRICTION,
    "hash_list_match": HASH_LIST_MATCH,
    "label_notice": LABEL_NOTICE,
}
NO_DSA_RECORD = frozenset({"pk_ttp_glorification"})
"""Scenarios whose measure does not reach the EU: transparency_record refuses them."""


def puid(reasons: ReasonsInput) -> str:
    return f"baithak-{reasons.decision_id}"
