"""Designated groups, their aliases and designations, and the state labels that refer to them.

A **group** is a proscribed or designated organisation ("organisation" is kept for tenants).
It carries every name it goes by, in every script, and one :class:`Designation` per listing:
who listed it, when, on what source, and whether that listing was checked against a cited
public source (``verified``) or not (``unverified``). Policy may label or send to review on an
unverified designation, never remove on it.

A group's :class:`GroupKind` separates armed groups from political parties and rights
movements that share the same list, so policy can demand human legal review before acting on
an association with the latter.

A **state label** ("Fitna al-Khawarij", "Fitna al-Hindustan") is a name a government gives to
one or more groups. It refers to groups; it is not their name and not a legal ground by itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal


class GroupKind(StrEnum):
    ARMED_GROUP = "armed_group"
    ALLIANCE = "alliance"
    MEDIA_WING = "media_wing"
    FRONT_ORGANISATION = "front_organisation"
    FINANCIAL_ENTITY = "financial_entity"
    SECTARIAN_ORGANISATION = "sectarian_organisation"
    POLITICAL_PARTY = "political_party"
    RIGHTS_MOVEMENT = "rights_movement"

    @property
    def needs_legal_review(self) -> bool:
        """Acting on association alone with a party or a movement needs human legal review."""
        return self in (GroupKind.POLITICAL_PARTY, GroupKind.RIGHTS_MOVEMENT)


class Relation(StrEnum):
    FACTION = "faction"
    SPLINTER = "splinter"
    WING = "wing"
    MEDIA_WING = "media_wing"
    FRONT = "front"
    SUCCESSOR = "successor"
    MEMBER = "member"


class DesignationStatus(StrEnum):
    VERIFIED = "verified"
    UNVERIFIED = "unverified"


class AliasType(StrEnum):
    NAME = "name"
    SPELLING = "spelling"
    ABBREVIATION = "abbreviation"
    TRANSLATION = "translation"
    FORMER_NAME = "former_name"
    NICKNAME = "nickname"


ALIAS_LANGUAGES = ("en", "ur-Latn", "ur", "ps", "ar", "fa", "bal")
JURISDICTIONS = ("PK", "UN", "US", "UK", "EU")


@dataclass(frozen=True, slots=True)
class Alias:
    """One name a group or label goes by. ``ambiguous`` names need context to count as a
    mention (where ``ambiguous_in`` names languages, only in posts written in them; elsewhere
    they count unless the context says otherwise); ``match`` is false for names kept for
    display but never matched."""

    text: str
    lang: str
    type: AliasType
    ambiguous: bool = False
    match: bool = True
    note: str | None = None
    source: str = "curated"
    ambiguous_in: tuple[str, ...] = ()
    hashtag: bool = False
    """An ambiguous name written as one hashtag counts as a cue; with ``match`` false, only
    such a hashtag, written exactly as ``text``, is matched (see the registry schema)."""
    article: bool | Literal["required"] = False
    """An ambiguous name that begins with al-: written with the article it counts unless cues
    are against it; without it ("qaida") it needs a cue, or with ``required`` never counts
    (see the registry schema)."""
    presumed: bool = False
    """An ambiguous name that, written as the group's name is (a name capitalised; an acronym
    in capitals or lower case), counts unless the cues against it outnumber those for it (see
    the registry schema)."""
    cased: bool = False
    """An unambiguous acronym counted only in capitals or its own case: in lower case it is an
    everyday word (see the registry schema)."""
    own_case: bool = False
    """An ambiguous acronym in mixed case ("HuM") that is a candidate only so written: in
    capitals it is an everyday word too (see the registry schema)."""
    frame_before: tuple[str, ...] = ()
    """With ``match`` false: words right before the name, ending its clause, that make it a
    candidate there ("fighters of IS"), in lower case (see :mod:`nigehban.groups.frames`)."""
    frame_after: tuple[str, ...] = ()
    """With ``match`` false: words right after the name that make it a candidate there ("IS
    claims"), in lower case."""
    followed_by: tuple[str, ...] = ()
    """Where set, the name counts only where one of these words follows it: the Urdu spelling
    of an acronym that ends in K ("پی کے کے"), which reads as "PK's" too, counts before a
    postposition that cannot follow a genitive ("پی کے کے نے", "پی کے کے کا"). Set by
    :mod:`nigehban.groups.spelled`, not by the registry files."""


@dataclass(frozen=True, slots=True)
class Designation:
    jurisdiction: str
    authority: str
    date: str | None
    source: str
    status: DesignationStatus
    reference: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class Context:
    """Words or phrases near an ambiguous alias that make the group sense likely (positive)
    or the everyday sense likely (negative), normalised aggressively at load."""

    positive: tuple[str, ...] = ()
    negative: tuple[str, ...] = ()
    general: bool | Literal["armed"] = True
    """Whether the general cues ("militants", "workers", "zindabad") count too: not where the
    name's everyday bearer is itself an armed group, which they fit as well; ``"armed"``: only
    the armed group's own words among them ("militants", "commander", "kalaadam"), where the
    rest fit the name's everyday bearers (a health team, a kabaddi side, a seminary)."""
    co: bool = True
    """Whether another group named counts as a cue (unless the registry says: where all the
    general cues count)."""


@dataclass(frozen=True, slots=True)
class Group:
    id: str
    name: str
    kind: GroupKind
    summary: str
    aliases: tuple[Alias, ...] = ()
    designations: tuple[Designation, ...] = ()
    parent: str | None = None
    relation: Relation | None = None
    links: dict[str, str] = field(default_factory=dict)
    context: Context = Context()
    origin: str = "curated"

    @property
    def jurisdictions(self) -> tuple[str, ...]:
        return tuple(sorted({d.jurisdiction for d in self.designations}))

    @property
    def verified(self) -> bool:
        """At least one designation was checked against a cited public source."""
        return any(d.status is DesignationStatus.VERIFIED for d in self.designations)


@dataclass(frozen=True, slots=True)
class StateLabel:
    id: str
    name: str
    refers_to: tuple[str, ...]
    issued_by: str
    date: str | None
    source: str
    status: DesignationStatus
    aliases: tuple[Alias, ...] = ()
    note: str | None = None
