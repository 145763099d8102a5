"""The statement of reasons the user receives, in the post's language.

:func:`user_statement` writes what DSA Art. 17(3) and the Santa Clara notice principle ask for,
in English, Urdu, Roman Urdu or Pashto (the tables of :mod:`nigehban.reasons.texts`):

* which content (kind, date, channel or group; never the content itself) and what was done,
  where and for how long;
* why: the violating categories in plain words, the rule ids that fired, and the legal provision
  or terms-of-service clause;
* how it came to the platform's attention (user, trusted flagger, state authority named as such,
  classifier, hash list, own review), whether automated means detected it and how far the
  decision was automated (Art. 17(3)(c));
* what the user can do: the internal appeal with its deadline and human review, out-of-court
  dispute settlement where the DSA applies, a court challenge of an EU removal order, review of
  a Pakistani authority's order under PECA s.37(4)-(5), and the courts.

A label gets a short notice: the same, less the list of detection sources and the court routes.
``allow`` and ``review`` restrict nothing, so :func:`user_statement` returns ``None`` for them;
``escalate`` raises :class:`~nigehban.errors.UsageError` (see :attr:`ReasonsInput.measure`).
Dates are shown in the time zone of the datetimes given.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from types import MappingProxyType

from nigehban.model.refs import ItemKind, Surface
from nigehban.model.taxonomy import Language
from nigehban.reasons.model import (
    EU,
    WORLD,
    ContentType,
    DetectionSource,
    GroundKind,
    Measure,
    ReasonsInput,
)
from nigehban.reasons.texts import GENDER, MONTHS, RTL, TEXTS


@dataclass(frozen=True, slots=True)
class Statement:
    """A statement of reasons in one language.

    ``body`` is plain text (lines separated by ``\\n``, no markup); ``fields`` are the same
    facts in machine-readable form (ISO dates, enum values) for the platform's notice API.
    """

    lang: Language
    title: str
    body: str
    fields: Mapping[str, str]

    @property
    def direction(self) -> str:
        return "rtl" if self.lang in RTL else "ltr"

    @property
    def text(self) -> str:
        """Title, a blank line and the body: what a plain-text notice (e-mail, inbox) shows."""
        return f"{self.title}\n\n{self.body}\n"

    def document(self) -> dict[str, object]:
        """The statement as JSON: ``lang``, ``direction`` (``rtl`` for Urdu and Pashto, ``ltr``
        otherwise), ``title``, ``body`` and ``fields``; what ``GET
        /v1/decisions/{id}/statement`` and ``nigehban --json decisions show ID --statement``
        return alike."""
        return {
            "lang": self.lang.value,
            "direction": self.direction,
            "title": self.title,
            "body": self.body,
            "fields": dict(self.fields),
        }


def user_statement(reasons: ReasonsInput) -> Statement | None:
    """The statement of reasons for ``reasons`` in its statement language.

    Returns ``None`` when the action restricts nothing (``allow``, ``review``). Raises
    :class:`~nigehban.errors.UsageError` for ``escalate`` and for a restriction without a
    violating category.
    """
    if reasons.measure is None:
        return None
    measure = reasons.require_restriction()
    return _Writer(reasons, measure).statement()


class _Writer:
    def __init__(self, reasons: ReasonsInput, measure: Measure) -> None:
        self.r = reasons
        self.measure = measure
        self.lang = reasons.statement_language
        self.t = TEXTS[self.lang]
        self.noun = _noun(reasons)
        self.feminine = GENDER.get(self.lang, {}).get(self.noun) == "f"

    def say(self, key: str, **slots: str) -> str:
        if self.feminine and f"{key}.f" in self.t:
            key = f"{key}.f"
        return self.t[key].format(**slots)

    def date(self, day: date) -> str:
        return f"{day.day} {MONTHS[self.lang][day.month - 1]} {day.year}"

    def territory(self) -> str:
        names = [self.t.get(f"territory.{code}", code) for code in self.r.territorial_scope]
        return self.t["separator"].join(names)

    def content(self) -> str:
        r = self.r
        thing = self.say(f"dated.{self.noun}", date=self.date(r.created_at.date()))
        if r.item_kind is ItemKind.ACCOUNT:
            return thing
        place = self.say(f"place.{r.surface.value}", name=r.container_name or "")
        if r.surface in (Surface.CHANNEL, Surface.GROUP) and r.container_name is None:
            place = ""
        return self.say("content", thing=thing, place=place)

    def statement(self) -> Statement:
        title = self.title()
        sections = [self.lead(), self.why()]
        if self.measure is Measure.LABELLED:
            sections.append(self.automation())
        else:
            sections.append(self.how())
        sections.append(self.what())
        sections.append(
            self.say("reference", decision_id=self.r.decision_id, platform=self.r.platform_name)
        )
        body = "\n\n".join(sections)
        return Statement(self.lang, title, body, self.fields())

    def title(self) -> str:
        noun = self.say(f"noun.{self.noun}")
        key = {
            Measure.REMOVED: "title.remove",
            Measure.DISABLED: "title.disable",
            Measure.DEMOTED: "title.restrict",
            Measure.LABELLED: "title.label",
            Measure.ACCOUNT_SUSPENDED: "title.suspend",
        }[self.measure]
        title = self.say(key, noun=noun)
        return title[:1].upper() + title[1:]

    def lead(self) -> str:
        content = self.content()
        match self.measure:
            case Measure.REMOVED:
                lead = self.say("lead.remove", content=content)
            case Measure.DISABLED:
                lead = self.say("lead.disable", content=content, territory=self.territory())
            case Measure.DEMOTED:
                lead = self.say("lead.restrict", content=content)
            case Measure.LABELLED:
                lead = self.say("lead.label", content=content)
            case Measure.ACCOUNT_SUSPENDED:
                if self.r.item_kind is ItemKind.ACCOUNT:
                    lead = self.say("lead.suspend")
                else:
                    lead = self.say("lead.suspend_for", content=content)
        details = []
        if self.measure is not Measure.DISABLED:
            if self.r.territorial_scope == (WORLD,):
                details.append(self.say("scope.world"))
            else:
                details.append(self.say("scope.list", territory=self.territory()))
        if self.r.ends_at is None:
            details.append(self.say("duration.none"))
        else:
            details.append(self.say("duration.until", date=self.date(self.r.ends_at)))
        return f"{lead}\n{' '.join(details)}"

    def why(self) -> str:
        r = self.r
        intro = "why.intro_label" if self.measure is Measure.LABELLED else "why.intro"
        lines = [self.say("heading.why"), self.say(intro)]
        lines += [f"- {self.say(f'cat.{c.value}')}" for c in r.violating_categories]
        rules = []
        for rule in r.rules:
            description = rule.description_in(self.lang)
            rules.append(f"{rule.id} ({description})" if description else rule.id)
        key = "rule.one" if len(rules) == 1 else "rule.many"
        lines.append(self.say(key, rules=self.t["separator"].join(rules)))
        citation = r.ground.clause.strip().rstrip(".۔").rstrip()
        key = "ground.law" if r.ground.kind is GroundKind.LAW else "ground.terms"
        lines.append(self.say(key, citation=citation))
        if r.ground.url is not None:
            lines.append(self.say("ground.url", url=r.ground.url))
        return "\n".join(lines)

    def how(self) -> str:
        lines = [self.say("heading.how")]
        for source in dict.fromkeys(self.r.sources):
            key = f"source.{source.value}"
            if self.r.notifier is not None and f"{key}.named" in self.t:
                lines.append(f"- {self.say(f'{key}.named', name=self.r.notifier)}")
            else:
                lines.append(f"- {self.say(key)}")
        lines.append(self.automation())
        return "\n".join(lines)

    def automation(self) -> str:
        detect = "auto.detect_yes" if self.r.automated_detection else "auto.detect_no"
        return f"{self.say(detect)} {self.say(f'auto.{self.r.automated_decision.value}')}"

    def what(self) -> str:
        r = self.r
        appeal = r.appeal
        deadline = r.decided_at.date() + timedelta(days=appeal.deadline_days)
        lines = [self.say("heading.what")]
        if appeal.exhausted or appeal.appeal_decided:
            spent = "appeal.exhausted" if appeal.exhausted else "appeal.spent"
            lines.append(f"- {self.say(spent)}")
        elif appeal.appeal_pending:
            lines.append(f"- {self.say('appeal.pending')}")
            if appeal.decision_days is not None:
                lines.append("  " + self.say("appeal.decision", days=str(appeal.decision_days)))
        else:
            lines.append(
                "- "
                + self.say(
                    "appeal.line",
                    date=self.date(deadline),
                    days=str(appeal.deadline_days),
                    location=appeal.location,
                )
            )
            notes = [self.say("appeal.human" if appeal.human_review else "appeal.automated")]
            if appeal.decision_days is not None:
                notes.append(self.say("appeal.decision", days=str(appeal.decision_days)))
            lines.append("  " + " ".join(notes))
        if r.dsa_applies:
            lines.append(f"- {self.say('redress.ods')}")
        if self.measure is Measure.LABELLED:
            return "\n".join(lines)
        ordered = DetectionSource.AUTHORITY_ORDER in r.sources
        if ordered and r.ground.jurisdiction == EU:
            lines.append(f"- {self.say('redress.tco_court')}")
        if ordered and r.ground.jurisdiction == "PK":
            lines.append(f"- {self.say('redress.peca_review')}")
        lines.append(f"- {self.say(self.courts())}")
        return "\n".join(lines)

    def courts(self) -> str:
        r = self.r
        if r.user_country == "PK" or (r.user_country is None and r.ground.jurisdiction == "PK"):
            return "courts.pk"
        if r.dsa_applies:
            return "courts.eu"
        return "courts.other"

    def fields(self) -> Mapping[str, str]:
        r = self.r
        deadline = r.decided_at.date() + timedelta(days=r.appeal.deadline_days)
        values = {
            "decision_id": r.decision_id,
            "language": self.lang.value,
            "direction": "rtl" if self.lang in RTL else "ltr",
            "action": r.action.value,
            "measure": self.measure.value,
            "item": f"{r.platform.value}/{r.item_kind.value}/{r.scoped_id}",
            "surface": r.surface.value,
            "content_date": r.created_at.date().isoformat(),
            "decided_at": r.decided_at.isoformat(),
            "categories": ",".join(c.value for c in r.categories),
            "rules": ",".join(rule.id for rule in r.rules),
            "ground_kind": r.ground.kind.value,
            "ground": r.ground.reference,
            "sources": ",".join(dict.fromkeys(s.value for s in r.sources)),
            "notifier": r.notifier or "",
            "automated_detection": "yes" if r.automated_detection else "no",
            "automated_decision": r.automated_decision.value,
            "territorial_scope": ",".join(r.territorial_scope),
            "end_date": r.ends_at.isoformat() if r.ends_at else "",
            "appeal_location": r.appeal.location,
            "appeal_deadline": deadline.isoformat() if r.appeal.open_to_appeal else "",
            "appeal_human_review": "yes" if r.appeal.human_review else "no",
            "platform": r.platform_name,
            "generator": r.application,
        }
        return MappingProxyType(values)


def _noun(reasons: ReasonsInput) -> str:
    """Which noun names the content: account, message (private chats), post, or the medium."""
    if reasons.item_kind is ItemKind.ACCOUNT:
        return "account"
    if reasons.item_kind is ItemKind.POST:
        return "message" if reasons.surface is Surface.PRIVATE else "post"
    for kind in reasons.content_types:
        if kind in (ContentType.IMAGE, ContentType.VIDEO, ContentType.AUDIO):
            return kind.value
    return "media"
