"""The schema of curated registry files (YAML), validated with ``file:line`` errors.

A registry file holds groups and state labels with their aliases, designations, links to the
imported lists (UN 1267, US FTO) and context cues for ambiguous aliases. See
``docs/groups.md`` for the format; ``schema_version`` is 1.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from nigehban.groups.model import (
    AliasType,
    DesignationStatus,
    GroupKind,
    Relation,
)
from nigehban.privacy.masking import preview
from nigehban.yamldoc import YamlDoc, format_path

SCHEMA_VERSION = 1
_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")
_ID = r"^[a-z0-9][a-z0-9-]{0,63}$"

LanguageCode = Literal["en", "ur-Latn", "ur", "ps", "ar", "fa", "bal"]
Jurisdiction = Literal["PK", "UN", "US", "UK", "EU"]


def _date(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str) and _DATE.match(value):
        parts = [int(p) for p in value.split("-")]
        try:
            dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
        except ValueError:
            raise ValueError("not a calendar date") from None
        return value
    raise ValueError("not a date (YYYY, YYYY-MM or YYYY-MM-DD)")


def _flag_or(word: str) -> Callable[[object], object]:
    """A before-validator for a field that is true, false or ``word`` (``article: required``,
    ``general: armed``): anything else is refused naming all three, not only the boolean."""

    def check(value: object) -> object:
        if isinstance(value, bool) or value == word:
            return value
        raise ValueError(f"expected true, false or {word!r}")

    return check


_ARTICLE_NAME = re.compile(r"[Aa][Ll][- ][A-Za-z]|Al[A-Z]")
"""A Latin name that begins with the Arabic article: "al-Qaeda", "Al Qaida", "AlQaida";
not a word that begins with al ("Alpha")."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class FramesEntry(_Strict):
    """The words right around a name kept out of running text that make it a candidate there
    (:mod:`nigehban.groups.frames`)."""

    before: tuple[str, ...] = ()
    """Words right before the name, which then ends its clause: "fighters of IS", "fallen to
    IS."."""
    after: tuple[str, ...] = ()
    """Words right after the name: "IS fighters", "IS-held", "#IS claims"."""


class AliasEntry(_Strict):
    text: str = Field(min_length=1, max_length=200)
    lang: LanguageCode
    type: AliasType
    ambiguous: bool = False
    ambiguous_in: tuple[Literal["ar"], ...] = ()
    """Where set, the name is ambiguous only in posts written in these languages (today only
    Arabic: القاعدة is also "the base" or "the rule" there); elsewhere it counts unless a
    negative cue is found near it."""
    hashtag: bool = False
    """For an ambiguous name of two words or more whose everyday sense is a phrase ("an
    Islamic state", the Quranic "party of God"): written as one hashtag of its words alone
    (``#IslamicState``, ``#حزب_الله``), it counts as one cue for the group. Not for a name
    that is also another community's own name, which a hashtag does not tell apart. With
    ``match: false`` the name is matched only so: a whole hashtag written exactly as given
    (``#IS``; not ``#is``, ``#ISS`` or ``IS`` in running text), counted as that one cue."""
    article: bool | Literal["required"] = False
    """For an ambiguous Latin-script name that begins with the Arabic article, which the
    normaliser drops ("Al-Qaeda" reads "qaida"): written with the article right before it
    ("al-Qaeda", "Al Qaida", "AlQaida") it counts unless the cues against are as many as
    those for it, the article one of them; written without it ("qaida", Urdu for a rule and
    for the Quran primer) it needs a cue, or with ``required`` it never counts ("shabaab",
    youth)."""
    _check_article = field_validator("article", mode="before")(_flag_or("required"))
    presumed: bool = False
    """For an ambiguous name that, written as the group's name is, nearly always names the
    group in the posts this registry is for, but has everyday bearers a post can tell apart: it
    counts unless the cues against it outnumber the cues for it. A name, where capitalised as
    one ("Shining Path"; "a shining path" is a phrase). An acronym ("ISIS": also the neutron
    source, a band; "Isis" the goddess, a given name, pets, the Thames at Oxford), in capitals
    in a text that is not, or in lower case ("isis", as Roman Urdu posts write it);
    capitalised as a given name ("Isis"), or in a text in capitals, it needs a cue, as other
    ambiguous names do."""
    cased: bool = False
    """For an unambiguous Latin acronym that, in lower case, is an everyday word of a
    language posts are written in (Polish "pij", drink!): it counts only written as an
    acronym, in capitals or its own case, as an ambiguous acronym must be before its context
    is read. (An acronym of several parts, "IS-K", "PFLP-GC", is always so.)"""
    own_case: bool = False
    """For an ambiguous Latin acronym written in mixed case ("HuM") whose capitals are an
    everyday word too (HUM TV, Roman Urdu "HUM" for "we"): it is a candidate only in its own
    case, before its context is read."""
    match: bool = True
    frames: FramesEntry | None = None
    """For an ambiguous abbreviation kept out of running text (``match: false``) because its
    letters are an everyday word ("IS"): where it stands in one of these frames, written
    exactly as given ("fighters of IS", "IS claims"), it is matched there, and counts with a
    cue as an ambiguous name in running text does (:mod:`nigehban.groups.frames`)."""
    note: str | None = None

    @model_validator(mode="after")
    def _ambiguous_in_needs_ambiguous(self) -> AliasEntry:
        if self.own_case and not (
            self.ambiguous
            and self.type is AliasType.ABBREVIATION
            and self.text.isascii()
            and not self.text.isupper()
            and not self.text.islower()
        ):
            raise ValueError(
                "own_case is given only to an ambiguous abbreviation in Latin letters written "
                "in mixed case (HuM)"
            )
        if self.cased and (
            self.ambiguous or self.type is not AliasType.ABBREVIATION or not self.text.isascii()
        ):
            raise ValueError(
                "cased is given only to an unambiguous abbreviation in Latin letters "
                "(an ambiguous one is cased already)"
            )
        if self.frames is not None and (
            self.match or not self.ambiguous or self.type is not AliasType.ABBREVIATION
        ):
            raise ValueError(
                "frames are given only to an ambiguous abbreviation kept out of running text "
                "(ambiguous: true, match: false)"
            )
        if self.frames is not None and not (self.frames.before or self.frames.after):
            raise ValueError("frames name no word before or after the name")
        if self.ambiguous_in and not self.ambiguous:
            raise ValueError("ambiguous_in is given only with ambiguous: true")
        if self.hashtag and not self.ambiguous:
            raise ValueError("hashtag is given only with ambiguous: true")
        if self.presumed and not (self.ambiguous and self.match):
            raise ValueError("presumed is given only with ambiguous: true, to a matched name")
        if self.presumed and (self.ambiguous_in or self.article or self.hashtag):
            raise ValueError("presumed is not given with ambiguous_in, article or hashtag")
        if self.article and not (self.ambiguous and _ARTICLE_NAME.match(self.text)):
            raise ValueError(
                "article is given only with ambiguous: true, to a Latin-script name that "
                "begins with al- (Al-Qaeda)"
            )
        return self


class DesignationEntry(_Strict):
    jurisdiction: Jurisdiction
    authority: str = Field(min_length=1)
    date: str | None
    source: str = Field(min_length=1)
    status: DesignationStatus
    reference: str | None = None
    note: str | None = None

    _check_date = field_validator("date", mode="before")(_date)


class LinksEntry(_Strict):
    un: str | None = Field(default=None, pattern=r"^(QD|TA)[ei]\.\d+$")
    us_fto: str | None = Field(default=None, pattern=r"^\d+$")

    @field_validator("us_fto", mode="before")
    @classmethod
    def _as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int) else value


class ContextEntry(_Strict):
    positive: list[str] = []
    negative: list[str] = []
    general: bool | Literal["armed"] = True
    """False where the name also belongs to another armed group (the Syrian Jaysh al-Islam):
    only the group's own cues then tell them apart, not "militants" or another group named.
    ``armed``: only the armed group's own words among the general cues
    (:data:`nigehban.groups.ambiguity.ARMED_CUES`), where the rest ("workers", "zindabad",
    "shuhada") fit the name's everyday bearers as well."""
    _check_general = field_validator("general", mode="before")(_flag_or("armed"))
    co: bool | None = None
    """Whether another group named counts as a cue; by default only where ``general`` is true.
    True with ``general: false`` where the general words fit the name's everyday sense but
    another group named does not ("the Islamic State of Medina" in a post condemning terrorism)."""


class GroupEntry(_Strict):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    kind: GroupKind
    parent: str | None = None
    relation: Relation | None = None
    summary: str = Field(min_length=1)
    aliases: list[AliasEntry] = []
    designations: list[DesignationEntry] = []
    links: LinksEntry | None = None
    context: ContextEntry | None = None


class LabelEntry(_Strict):
    id: str = Field(pattern=_ID)
    name: str = Field(min_length=1)
    refers_to: list[str] = Field(min_length=1)
    issued_by: str = Field(min_length=1)
    date: str | None
    source: str = Field(min_length=1)
    status: DesignationStatus
    note: str | None = None
    aliases: list[AliasEntry] = []

    _check_date = field_validator("date", mode="before")(_date)


class RegistryFile(_Strict):
    schema_version: Literal[1]
    source: str = Field(min_length=1)
    as_of: str
    known_gaps: list[str] = []
    groups: list[GroupEntry] = []
    labels: list[LabelEntry] = []

    _check_as_of = field_validator("as_of", mode="before")(_date)


def parse_registry_file(doc: YamlDoc) -> RegistryFile:
    """Validate one parsed file; the first problem is raised at its ``file:line``."""
    if not isinstance(doc.data, dict):
        raise doc.error((), "a registry file is a mapping with schema_version, groups, labels")
    check_version(doc)
    try:
        return RegistryFile.model_validate(doc.data)
    except ValidationError as exc:
        # a missing field last: it is often a misspelt one, which the unknown field names
        errors = exc.errors()
        first = min(errors, key=lambda e: (e["type"] == "missing", errors.index(e)))
        key = tuple(part for part in first["loc"] if isinstance(part, str | int))
        raise doc.error(key, _describe(first, key)) from None


def _describe(error: Mapping[str, Any], key: tuple[str | int, ...]) -> str:
    kind = error.get("type", "")
    given = error.get("input")
    if kind == "extra_forbidden":
        return f"unknown field {format_path(key[-1:])!r}"
    if kind == "missing":
        return "required field is missing"
    message = str(error.get("msg", "invalid value")).removeprefix("Value error, ")
    if isinstance(given, str | int | float | bool):
        return f"{preview(str(given), 60)}: {message}"
    return message


def check_version(doc: YamlDoc) -> None:
    version = doc.data.get("schema_version") if isinstance(doc.data, dict) else None
    if version != SCHEMA_VERSION:
        raise doc.error(
            ("schema_version",),
            f"{version!r} is not a supported schema_version (this release reads {SCHEMA_VERSION})",
        )
