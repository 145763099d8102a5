"""The taxonomy of DESIGN.md: violating and protected categories, and the languages."""

from __future__ import annotations

from enum import StrEnum


class Category(StrEnum):
    INCITEMENT = "incitement"
    GLORIFICATION = "glorification"
    RECRUITMENT = "recruitment"
    INSTRUCTION = "instruction"
    THREAT = "threat"
    PROPAGANDA = "propaganda"
    FINANCING = "financing"
    NEWS = "news"
    COUNTER_SPEECH = "counter_speech"
    DISSENT = "dissent"
    ACADEMIC = "academic"
    OTHER = "other"

    @property
    def violating(self) -> bool:
        return self in VIOLATING


VIOLATING = frozenset(
    {
        Category.INCITEMENT,
        Category.GLORIFICATION,
        Category.RECRUITMENT,
        Category.INSTRUCTION,
        Category.THREAT,
        Category.PROPAGANDA,
        Category.FINANCING,
    }
)
PROTECTED = frozenset(set(Category) - VIOLATING)


class Language(StrEnum):
    EN = "en"
    UR = "ur"
    UR_LATN = "ur-Latn"
    PS = "ps"
    UND = "und"
