"""Statements of reasons: what the user is told, and what goes to the DSA Transparency Database.

From one :class:`ReasonsInput` (the decision, the item, the ground, how it was detected and how
to appeal), :func:`user_statement` writes the notice in the post's language (English, Urdu,
Roman Urdu or Pashto) and :func:`transparency_record` builds the Transparency Database record,
which :func:`validate_transparency_record` checks against the documented schema. See
``docs/statements-of-reasons.md``.
"""

from nigehban.reasons.dsa import transparency_record, validate_transparency_record
from nigehban.reasons.model import (
    AppealInfo,
    Automation,
    ContentType,
    DetectionSource,
    Ground,
    GroundKind,
    Measure,
    ReasonsInput,
    RuleRef,
    statement_language,
)
from nigehban.reasons.statements import Statement, user_statement

__all__ = [
    "AppealInfo",
    "Automation",
    "ContentType",
    "DetectionSource",
    "Ground",
    "GroundKind",
    "Measure",
    "ReasonsInput",
    "RuleRef",
    "Statement",
    "statement_language",
    "transparency_record",
    "user_statement",
    "validate_transparency_record",
]
