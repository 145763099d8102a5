"""Scan: payloads in, decisions out — ingest, every detector, the policy, decisions and cases.

Each batch the ingestor commits is decided at once: the current revision of every post and media
item it carried is read back from the store, run through the detectors (stance in batches, since
the classifier is vectorised), its media's signals are added to a post's own, and the policy's
verdict is stored as a decision (with the hashes of the policy, model, registry and bank
snapshot). Where the policy says review, a case is opened with a deadline. Shares are decided
after the posts they share, so a forward without comment can follow its origin's decision;
:meth:`Scanner.follow` applies the same rule at once, in the transaction of a person's decision
on the origin (:func:`~nigehban.workflows.review.decide_case`).

A revision already decided under the same policy and snapshots is not decided again (a scan is
idempotent); an edit is a new revision and gets a new decision, earlier ones stay. Accounts are
decided too (their profile text through the detectors that read it; the policy's account rules).
"""

from __future__ import annotations

import csv
import io
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

from nigehban.errors import NigehbanError
from nigehban.ingest.sources import SCAN_OUTPUT_FIELDS
from nigehban.model.codec import content_hash_of, item_to_dict
from nigehban.model.decisions import Action, Decision
from nigehban.model.items import Item, Media, Post
from nigehban.model.refs import ItemRef, Relation
from nigehban.model.signals import Signal, SignalKind
from nigehban.policy.engine import DecisionContext, Verdict, decide
from nigehban.policy.model import Policy
from nigehban.privacy.masking import redact
from nigehban.settings import Settings
from nigehban.store.store import Session, Store
from nigehban.workflows.detectors import EXPECTED, DetectorSet
from nigehban.workflows.ingest import Ingestor, IngestReport
from nigehban.workflows.notices import REVIEW_RULE
from nigehban.workflows.review import made_under, settle_review_case

STANCE_BATCH = 256
DEFAULT_REVIEW_HOURS = 24
OUTPUT_FIELDS = SCAN_OUTPUT_FIELDS
"""The ``--output`` columns (defined where payloads are read, which never reads such a file)."""


@dataclass(frozen=True, slots=True)
class ScanRow:
    """One item decided: what the ``--output`` file and the API carry."""

    ref: ItemRef
    revision: int
    verdict: Verdict
    language: str | None
    surface: str | None
    abstained: bool
    decision_id: int
    case_id: int | None
    repeated: bool = False
    case_change: str | None = None
    """What this decision did to the item's case: ``opened``, ``updated`` (the open case moved
    to this decision) or ``closed`` (this later revision needs no review)."""

    def to_dict(self) -> dict[str, Any]:
        d = self.verdict.decision
        return {
            "platform": self.ref.platform.value,
            "kind": self.ref.kind.value,
            "scoped_id": self.ref.scoped_id,
            "revision": self.revision,
            "action": d.action.value,
            "categories": [c.value for c in d.categories],
            "confidence": round(d.confidence, 6),
            "rules": list(d.rules),
            "ground": d.ground,
            "language": self.language,
            "surface": self.surface,
            "abstained": self.abstained,
            "review": self.verdict.review_required,
            "notify_authorities": self.verdict.notify_authorities,
            "case_id": self.case_id,
            "decision_id": self.decision_id,
            "reasons": list(self.verdict.review_reasons),
            "explanation": list(self.verdict.explanation),
        }

    def csv_row(self) -> list[str]:
        doc = self.to_dict()
        out = []
        for name in OUTPUT_FIELDS:
            value = doc[name]
            if isinstance(value, list):
                value = ";".join(str(v) for v in value)
            out.append("" if value is None else str(value))
        return out


@dataclass(frozen=True, slots=True)
class _Tally:
    """What one row adds to a scan's per-item tables."""

    repeated: bool
    action: str
    category: str
    language: str
    surface: str
    platform: str
    abstained: bool
    notify: bool


@dataclass
class ScanReport:
    policy: str
    policy_hash: str
    ingest: IngestReport = field(default_factory=IngestReport)
    decided: int = 0
    repeated: int = 0
    not_decided: Counter[str] = field(default_factory=Counter)
    by_action: Counter[str] = field(default_factory=Counter)
    by_category: Counter[str] = field(default_factory=Counter)
    by_language: Counter[str] = field(default_factory=Counter)
    by_surface: Counter[str] = field(default_factory=Counter)
    by_platform: Counter[str] = field(default_factory=Counter)
    abstentions: int = 0
    cases_opened: int = 0
    cases_updated: int = 0
    cases_closed: int = 0
    """Closed by a later revision that needs no review (the summary adds those closed with
    content a platform deleted, counted by the ingest)."""
    notify_authorities: int = 0
    absent_detectors: dict[str, str] = field(default_factory=dict)
    errors: list[tuple[str, str]] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    """Where the time went: ``read`` (items back from the store), each detector by name,
    ``policy`` (the engine) and ``store`` (decisions and cases written)."""
    shares_decided_again: int = 0
    """Shares decided before their origin, decided again once it was (their first decision
    stays stored; the tables count the later one)."""
    _shares: dict[tuple[str, int], _Tally] = field(default_factory=dict, repr=False)
    """What each share decided in this scan added to the tables, until it is decided again."""

    def count(self, row: ScanRow, *, share: bool = False) -> None:
        """Count a decided row. A ``share`` decided again in the same scan (its origin came in
        a later batch) replaces its earlier row in the per-item tables; case changes are
        events and all stay counted."""
        again = self._shares.pop((row.ref.key, row.revision), None)
        if again is not None:
            self._tally(again, -1)
            self.shares_decided_again += 1
        tally = _Tally(
            row.repeated,
            row.verdict.decision.action.value,
            row.verdict.decision.categories[0].value if row.verdict.decision.categories else "none",
            row.language or "none",
            row.surface or "none",
            row.ref.platform.value,
            row.abstained,
            row.verdict.notify_authorities,
        )
        self._tally(tally, 1)
        if share:
            self._shares[(row.ref.key, row.revision)] = tally
        self.cases_opened += row.case_change == "opened"
        self.cases_updated += row.case_change == "updated"
        self.cases_closed += row.case_change == "closed"

    def _tally(self, t: _Tally, sign: int) -> None:
        self.decided += sign
        self.repeated += sign * t.repeated
        self.by_action[t.action] += sign
        self.by_category[t.category] += sign
        self.by_language[t.language] += sign
        self.by_surface[t.surface] += sign
        self.by_platform[t.platform] += sign
        self.abstentions += sign * t.abstained
        self.notify_authorities += sign * t.notify

    def to_dict(self) -> dict[str, Any]:
        def table(c: Counter[str]) -> dict[str, int]:
            return dict(sorted((k, v) for k, v in c.items() if v))

        return {
            "policy": self.policy,
            "policy_hash": self.policy_hash,
            "decided": self.decided,
            "already_decided": self.repeated,
            "shares_decided_again": self.shares_decided_again,
            "not_decided": table(self.not_decided),
            "by_action": table(self.by_action),
            "by_category": table(self.by_category),
            "by_language": table(self.by_language),
            "by_surface": table(self.by_surface),
            "by_platform": table(self.by_platform),
            "abstentions": self.abstentions,
            "cases_opened": self.cases_opened,
            "cases_updated": self.cases_updated,
            "cases_closed": self.cases_closed + self.ingest.cases_closed,
            "notify_authorities": self.notify_authorities,
            "absent_detectors": dict(self.absent_detectors),
            "ingest": self.ingest.to_dict(),
            "errors": [{"source": s, "problem": p} for s, p in (self.ingest.errors + self.errors)],
            "seconds": {k: round(v, 3) for k, v in sorted(self.seconds.items())},
        }


def _lang(signals: Sequence[Signal]) -> str | None:
    return next((s.label for s in signals if s.kind is SignalKind.LANG), None)


class Scanner:
    """Decides what one tenant's payloads carry, under one policy, with one detector set."""

    def __init__(
        self,
        store: Store,
        settings: Settings,
        policy: Policy,
        detectors: DetectorSet,
        tenant: str | None = None,
        actor: str = "cli",
        on_row: Callable[[ScanRow], None] | None = None,
        review_hours: int = DEFAULT_REVIEW_HOURS,
        read_local_media: bool = True,
    ) -> None:
        self.store = store
        self.settings = settings
        self.policy = policy
        self.detectors = detectors
        self.tenant = tenant or settings.default_tenant
        self.actor = actor
        self.on_row = on_row
        self.review_hours = review_hours
        self.read_local_media = read_local_media
        self.report = ScanReport(policy.name, policy.digest)
        self._policy_seconds = 0.0
        self._done: set[tuple[str, int]] = set()
        self._policy_kept_in: Session | None = None
        self._policy_names: dict[str, str | None] = {}
        """Archived policy names by hash (a hash names one document for good)."""
        self.report.absent_detectors = dict(detectors.absent)

    # -- entry points ----------------------------------------------------------------------

    def scan_paths(
        self,
        paths: Iterable[Path],
        fmt: str | None = None,
        on_progress: Callable[[int], None] | None = None,
        exclude: Sequence[Path] = (),
    ) -> ScanReport:
        """Ingest and decide payload files and directories; ``exclude`` (the scan's own
        ``--output``) and files a scan wrote are skipped and listed, never read."""
        ingestor = Ingestor(
            self.store, self.settings, self.tenant, self.actor, on_stored=self.decide_keys
        )
        ingestor.ingest_paths(paths, fmt, on_progress, self.report.ingest, exclude=exclude)
        return self.report

    def scan_payload(self, payload: object, source: str, fmt: str | None = None) -> ScanReport:
        ingestor = Ingestor(
            self.store, self.settings, self.tenant, self.actor, on_stored=self.decide_keys
        )
        got = ingestor.ingest_payload(payload, source, fmt)
        self.report.ingest = got
        return self.report

    def scan_stored(
        self,
        keys: Sequence[str] | None = None,
        on_progress: Callable[[int], None] | None = None,
    ) -> ScanReport:
        """Decide stored items again without their payloads: those named by ``keys`` (as
        ``platform/kind/scoped_id``), or every active item with content (None), in batches of
        ``ingest_batch_size``, in the order they were first stored. What the ingest would
        have done is done already; an unknown key is an error named in the report."""
        size = self.settings.ingest_batch_size
        if keys is not None:
            found: list[str] = []
            with self.store.reading(self.tenant) as s:
                for key in keys:
                    try:
                        ref = ItemRef.stored(self.tenant, key)
                    except NigehbanError as exc:
                        self.report.errors.append((redact(key, 120), exc.message))
                        continue
                    if s.items.get(ref) is None:
                        self.report.errors.append((redact(key, 120), "no such item is stored"))
                    else:
                        found.append(ref.key)
            for start in range(0, len(found), size):
                part = found[start : start + size]
                self.decide_keys(part)
                if on_progress is not None:
                    on_progress(len(part))
            return self.report
        after = 0
        while True:
            with self.store.reading(self.tenant) as s:
                page = s.items.page(after, size)
            if not page:
                return self.report
            after = page[-1][0]
            self.decide_keys([key for _, key in page])
            if on_progress is not None:
                on_progress(len(page))

    # -- deciding --------------------------------------------------------------------------

    def decide_keys(self, keys: list[str], source: str = "") -> None:
        """Decide the current revision of every item among ``keys`` that has content. A media
        item carried by a post of the batch is decided with that post (its signals are the
        post's), not on its own; relative media paths are read from ``source``'s folder. Then
        the shares stored before their origin was decided are decided again."""
        started = time.perf_counter()
        refs = [ItemRef.stored(self.tenant, key) for key in keys]
        with self.store.reading(self.tenant) as s:
            loaded = [(ref, s.items.get(ref)) for ref in refs]
        self.report.seconds["read"] += time.perf_counter() - started
        items: list[tuple[Item, int]] = []
        for ref, stored in loaded:
            if stored is None or stored.item is None or stored.revision is None:
                self.report.not_decided["no content (deleted or purged)"] += 1
            elif (ref.key, stored.revision) in self._done:
                continue  # an author or origin repeated in a later batch of this scan
            else:
                self._done.add((ref.key, stored.revision))
                item = _resolved(stored.item, source, local=self.read_local_media)
                items.append((item, stored.revision))
        where = keys[0] if keys else "scan"
        decided = self._decide_items(items, where, source)
        seen: set[tuple[str, int]] = set()
        while decided:  # shares of what was just decided, and shares of those shares
            started = time.perf_counter()
            with self.store.reading(self.tenant) as s:
                stale = [
                    pair
                    for pair in self._stale_shares(s, decided)
                    if (pair[0].ref.key, pair[1]) not in seen
                ]
            self.report.seconds["read"] += time.perf_counter() - started
            seen.update((item.ref.key, revision) for item, revision in stale)
            # decided now: the same revision in a later batch of this scan is not decided (nor
            # counted, nor written) a second time
            self._done.update((item.ref.key, revision) for item, revision in stale)
            decided = self._decide_items(stale, where, source) if stale else set()

    def follow(self, s: Session, origin: ItemRef, at: datetime | None = None) -> list[ScanRow]:
        """Decide again, in ``s`` — the transaction that has just recorded a new decision on
        ``origin`` under this policy, such as a reviewer's — the stored shares of ``origin``
        that no longer follow its latest decision, then shares of those shares: what a scan
        does once it has decided an origin, done at once. A share follows as a scan decides
        it (its detectors' signals; ``origin_decision_id``; its case opened, moved or
        closed); one a person decided, or never decided under this policy, is left alone.
        The rows of the shares decided, in order; ``at`` is when (default: now)."""
        rows: list[ScanRow] = []
        decided = {origin.key}
        seen: set[tuple[str, int]] = set()
        while decided:  # shares of what was just decided, and shares of those shares
            stale = [
                pair
                for pair in self._stale_shares(s, decided)
                if (pair[0].ref.key, pair[1]) not in seen
            ]
            seen.update((item.ref.key, revision) for item, revision in stale)
            _in_order(stale)
            signals = self._signals([item for item, _ in stale])
            rows += self._decide_all(s, stale, signals, at=at)
            decided = {item.ref.key for item, _ in stale if isinstance(item, Post)}
        return rows

    def _decide_items(
        self, items: list[tuple[Item, int]], where: str, source: str = ""
    ) -> set[str]:
        """Decide ``items`` in one transaction; the keys of the posts decided (none where the
        transaction failed: the error is reported against ``where``)."""
        _in_order(items)
        self._policy_seconds = 0.0
        signals = self._signals([item for item, _ in items])
        started = time.perf_counter()
        try:
            with self.store.session(self.tenant, self.actor) as s:
                self._decide_all(s, items, signals, source)
            self.report.seconds["store"] += time.perf_counter() - started - self._policy_seconds
        except NigehbanError as exc:
            self.report.errors.append((where, exc.message))
            return set()
        return {item.ref.key for item, _ in items if isinstance(item, Post)}

    def _decide_all(
        self,
        s: Session,
        items: Sequence[tuple[Item, int]],
        signals: dict[str, list[Signal]],
        source: str = "",
        at: datetime | None = None,
    ) -> list[ScanRow]:
        """Decide ``items`` (in order) in ``s``; a media item a post of them carries is decided
        with that post, not on its own. The rows of the items decided."""
        carried = {m.key for item, _ in items if isinstance(item, Post) for m in item.media}
        rows = []
        for item, revision in items:
            if item.ref.key in carried:
                self.report.not_decided["media decided with its post"] += 1
                continue
            rows.append(self._decide(s, item, revision, signals, source, at))
        return rows

    def _stale_shares(self, s: Session, decided: set[str]) -> list[tuple[Item, int]]:
        """The stored shares of posts among ``decided`` whose latest decision under this
        policy followed another decision of their origin than its latest (mostly: none, as
        the share was decided before its origin). A share decided with its origin in the same
        transaction followed it; one never decided under this policy, or decided by a person,
        is left alone; one decided before shares kept their origin's id is taken to follow."""
        out: list[tuple[Item, int]] = []
        for ref in s.items.sharing(sorted(decided)):
            if ref.key in decided:
                continue
            stored = s.items.get(ref)
            if stored is None or not isinstance(stored.item, Post) or stored.revision is None:
                continue
            shared = [o.ref for o in stored.item.origins if o.relation is Relation.SHARE]
            if not shared or shared[0].key not in decided:
                continue  # an earlier revision shared it; the current one shares another
            mine = [
                d
                for _, d in s.decisions.with_ids(ref)
                if d.revision == stored.revision and self._made_by_this_policy(s, d.policy_hash)
            ]
            if not mine or any(d.rules[:1] == (REVIEW_RULE,) for d in mine):
                continue
            if "origin_decision_id" not in mine[-1].details:
                continue
            expected = self._origin_decision(s, ref, shared[0]).decision_id
            if mine[-1].details["origin_decision_id"] != expected:
                out.append((stored.item, stored.revision))
        return out

    def _origin_decision(self, s: Session, share: ItemRef, origin: ItemRef) -> _Origin:
        """The decision a share of ``origin`` follows: the origin's latest under this policy, a
        person's included (none yet: None). A share whose chain of shares comes back to itself
        (a self-share or a cycle, which only a malformed payload makes) follows none: it would
        otherwise follow its own last decision and be decided again on every scan. The chain
        is read only where the origin was itself decided as a share (or is the share)."""
        made = [
            (i, d)
            for i, d in s.decisions.with_ids(origin)
            if self._made_by_this_policy(s, d.policy_hash)
        ]
        if not made:
            return _Origin(None, None)
        decision_id, decision = made[-1]
        if (origin.key == share.key or "origin_decision_id" in decision.details) and _shares_back(
            s, share, origin
        ):
            return _Origin(None, None)
        return _Origin(decision_id, decision)

    def _signals(self, items: list[Item]) -> dict[str, list[Signal]]:
        """Every detector's signals per item key; stance in batches."""
        out: dict[str, list[Signal]] = {}
        stance = self.detectors.stance
        classifier = self.detectors.classifier
        for detector in self.detectors.registry:
            if detector is stance:
                continue
            started = time.perf_counter()
            for item in items:
                out.setdefault(item.ref.key, []).extend(detector.detect(item))
            self.report.seconds[detector.name] += time.perf_counter() - started
        if stance is not None and classifier is not None:
            started = time.perf_counter()
            posts = [i for i in items if isinstance(i, Post) and i.text]
            for start in range(0, len(posts), STANCE_BATCH):
                part = posts[start : start + STANCE_BATCH]
                results = classifier.classify(
                    [p.text or "" for p in part], [p.lang_hint for p in part]
                )
                for post, result in zip(part, results, strict=True):
                    out.setdefault(post.ref.key, []).extend(stance.signals(result))
            self.report.seconds[stance.name] += time.perf_counter() - started
        return out

    def _decide(
        self,
        s: Session,
        item: Item,
        revision: int,
        signals: dict[str, list[Signal]],
        source: str = "",
        at: datetime | None = None,
    ) -> ScanRow:
        own = list(signals.get(item.ref.key, []))
        merged = list(own)
        origin: Decision | None = None
        follows: _Origin | None = None  # set for a share: the origin decision it follows
        if isinstance(item, Post):
            for media in item.media:
                found = signals.get(media.key)
                merged.extend(self._media_signals(s, media, source) if found is None else found)
            shared = [o for o in item.origins if o.relation is Relation.SHARE]
            if shared:
                follows = self._origin_decision(s, item.ref, shared[0].ref)
                origin = follows.decision
        content_hash = content_hash_of(item_to_dict(item))
        context = DecisionContext(
            revision=revision,
            content_hash=content_hash,
            decided_at=at or datetime.now(UTC),
            model_hash=self.detectors.stance.snapshot_hash if self.detectors.stance else None,
            registry_hash=self._snapshot("groups"),
            bank_hash=self._snapshot("banks"),
            detectors_present=self.detectors.present,
            detectors_expected=EXPECTED,
            origin=origin,
            surface=item.surface if isinstance(item, Post) else None,
        )
        earlier = s.decisions.with_ids(item.ref)
        previous = self._already(s, item.ref, context, earlier, follows)
        started = time.perf_counter()
        verdict = decide(self.policy, item, merged, context)
        spent = time.perf_counter() - started
        self.report.seconds["policy"] += spent
        self._policy_seconds += spent
        details = {**_details(verdict), "language": _lang(own)}
        if follows is not None:
            details["origin_decision_id"] = follows.decision_id
        decision = replace(verdict.decision, details=details)
        repeated = previous is not None
        change: str | None = None
        if previous is not None:
            decision_id, case_id = previous.decision_id, previous.case_id
            if previous.person is not None:
                verdict = _by_person(verdict, previous.person, decision_id)
                decision = previous.person
                at = context.decided_at
                if settle_review_case(s, decision, decision_id, self.policy, at) is not None:
                    change = "closed"
            elif previous.stored is not None:
                decision = previous.stored  # the row shows what is stored under its id
        else:
            self._keep_policy(s, context.decided_at)
            decision_id = s.decisions.record(decision)
            seen = any(  # a decision from before the archive may be this policy's too
                (d.details.get("review_required") or d.action is Action.REVIEW)
                and (
                    self._made_by_this_policy(s, d.policy_hash)
                    or self._archived_name(s, d.policy_hash) is None
                )
                for _, d in earlier
            )
            case_id, change = self._follow_case(s, decision_id, verdict, decision, seen=seen)
        row = ScanRow(
            ref=item.ref,
            revision=revision,
            verdict=replace(verdict, decision=decision),
            language=_lang(own),
            surface=item.surface.value if isinstance(item, Post) else None,
            abstained=any(x.kind is SignalKind.ABSTAINED for x in own),
            decision_id=decision_id,
            case_id=case_id,
            repeated=repeated,
            case_change=change,
        )
        self.report.count(row, share=follows is not None)
        if self.on_row is not None:
            self.on_row(row)
        return row

    def _keep_policy(self, s: Session, at: datetime) -> None:
        """Archive the policy's document once per transaction (a rolled-back batch kept none),
        so statements of reasons for these decisions outlive edits to the policy file."""
        if self._policy_kept_in is not s:
            policy = self.policy
            s.policies.keep(policy.digest, policy.name, policy.version, policy.canonical_json(), at)
            self._policy_kept_in = s

    def _follow_case(
        self, s: Session, decision_id: int, verdict: Verdict, decision: Decision, *, seen: bool
    ) -> tuple[int | None, str | None]:
        """Open a case for a decision that asks for review, or move the item's open case under
        this policy to it; close that case when this decision (a later revision, or the same
        one under an edited policy or new snapshots) needs no review. ``seen``: the item had
        decisions under this policy that asked for review (else there is no case to look for)."""
        at, name = decision.decided_at, self.policy.name
        if verdict.review_required or decision.action is Action.REVIEW:
            reason = "; ".join(verdict.review_reasons) or f"policy: {decision.action.value}"
            deadline = at + timedelta(hours=self.review_hours)
            opening = s.cases.open(decision.item, decision_id, reason, at, deadline, name)
            return opening.case_id, "opened" if opening.opened else "updated"
        if not seen:
            return None, None
        case_id = s.cases.open_for(decision.item, name)
        if case_id is None:
            return None, None
        case = s.cases.get(case_id)
        reviewed = s.decisions.get(case.decision_id)
        if case.policy is None and not made_under(s, reviewed, self.policy):
            return None, None  # a case from before cases named their policy, of another one
        if reviewed.revision < decision.revision:
            why = f"revision {decision.revision} needs no review"
        else:
            why = f"revision {decision.revision}, decided again, needs no review"
        s.cases.close(
            case_id, f"superseded: {why} (decision {decision_id}: {decision.action.value})", at
        )
        return None, "closed"

    def _already(
        self,
        s: Session,
        ref: ItemRef,
        context: DecisionContext,
        earlier: Sequence[tuple[int, Decision]],
        follows: _Origin | None = None,
    ) -> _Earlier | None:
        """This revision's decision that stands: a person's under this policy (a reviewer's or
        an appeal's; new snapshots or an edited policy file do not overrule a person), else the
        engine's under the same policy and snapshots — for a share, following the same origin
        decision (an origin reinstated on appeal frees its shares) — with its open case."""
        for decision_id, d in reversed(earlier):
            if (
                d.revision == context.revision
                and d.rules[:1] == (REVIEW_RULE,)
                and self._made_by_this_policy(s, d.policy_hash)
            ):
                return _Earlier(decision_id, None, d)
        for decision_id, d in earlier:
            if (
                d.revision == context.revision
                and self.policy.made(d.policy_hash)
                and d.model_hash == context.model_hash
                and d.registry_hash == context.registry_hash
                and d.bank_hash == context.bank_hash
                and (follows is None or follows.followed_by(d))
            ):
                case_id = s.cases.open_for(ref, self.policy.name)
                if case_id is not None and s.cases.get(case_id).decision_id != decision_id:
                    case_id = None  # the case reviews another decision of this item
                return _Earlier(decision_id, case_id, stored=d)
        return None

    def _made_by_this_policy(self, s: Session, policy_hash: str) -> bool:
        """Whether a version of this policy (by name: the file may have been edited since)
        made a decision with ``policy_hash``."""
        return (
            self.policy.made(policy_hash) or self._archived_name(s, policy_hash) == self.policy.name
        )

    def _archived_name(self, s: Session, policy_hash: str) -> str | None:
        """The name the archive keeps for ``policy_hash`` (None: never archived)."""
        if policy_hash not in self._policy_names:
            self._policy_names[policy_hash] = s.policies.name_of(policy_hash)
        return self._policy_names[policy_hash]

    def _media_signals(self, s: Session, ref: ItemRef, source: str = "") -> list[Signal]:
        """The bank signals of a media item the batch does not carry (decided with a post of an
        earlier batch, or stored before): its relative path read from ``source``'s folder, as
        for a media item of the batch, and no local file at all without ``read_local_media``."""
        stored = s.items.get(ref)
        if stored is None or not isinstance(stored.item, Media) or self.detectors.banks is None:
            return []
        media = _resolved(stored.item, source, local=self.read_local_media)
        for detector in self.detectors.registry:
            if detector.name == "banks":
                return detector.detect(media)
        return []

    def _snapshot(self, name: str) -> str | None:
        try:
            return self.detectors.registry.get(name).snapshot_hash
        except NigehbanError:
            return None


@dataclass(frozen=True, slots=True)
class _Earlier:
    """A decision already made on the revision being scanned."""

    decision_id: int
    case_id: int | None
    person: Decision | None = None
    """Set when a person decided the revision (review or appeal): their decision stands."""
    stored: Decision | None = None
    """The engine's decision, as stored."""


@dataclass(frozen=True, slots=True)
class _Origin:
    """The decision a share follows: its origin's latest under the policy (none yet: None)."""

    decision_id: int | None
    decision: Decision | None

    def followed_by(self, share: Decision) -> bool:
        """Whether the share's stored decision followed this one. A decision recorded before
        shares kept their origin's id is taken to, unless a person has since decided the
        origin (a reinstatement on appeal must reach its shares)."""
        if "origin_decision_id" not in share.details:
            return self.decision is None or self.decision.rules[:1] != (REVIEW_RULE,)
        return bool(share.details["origin_decision_id"] == self.decision_id)


def _by_person(verdict: Verdict, person: Decision, decision_id: int) -> Verdict:
    """The row of a revision a person decided: their decision, not the engine's new verdict."""
    case = person.details.get("case_id")
    return replace(
        verdict,
        decision=person,
        review_required=False,
        review_reasons=(),
        notify_authorities=person.action is Action.ESCALATE,
        explanation=(
            f"a person decided this revision ({person.action.value}, decision {decision_id}"
            + (f", case {case})" if case is not None else ")"),
        ),
    )


def _resolved(item: Item, source: str, *, local: bool = True) -> Item:
    """A media item whose relative local path is read from the payload file's folder; without
    ``local`` (a payload sent over the API names no file the server may read), none."""
    if not isinstance(item, Media) or not item.local_path:
        return item
    if not local:
        return replace(item, local_path=None)
    if not source:
        return item
    path = Path(item.local_path)
    if path.is_absolute():
        return item
    payload = Path(re.sub(r":\d+$", "", source))
    return replace(item, local_path=str(payload.parent / path))


def _share_depths(items: Sequence[Item]) -> dict[str, int]:
    """How many shares of the batch stand between each share and the post it finally shares."""
    origin = {
        item.ref.key: shared[0].ref.key
        for item in items
        if isinstance(item, Post)
        and (shared := [o for o in item.origins if o.relation is Relation.SHARE])
    }
    depths: dict[str, int] = {}
    for key in origin:
        chain = [key]  # up the shares of the batch, to one whose depth is known or the top
        while (up := origin.get(chain[-1])) is not None and up not in depths and up not in chain:
            chain.append(up)
        up = origin.get(chain[-1])
        base = depths[up] + 1 if up is not None and up in depths else 0
        for offset, link in enumerate(reversed(chain)):
            depths.setdefault(link, base + offset)
    return depths


SHARE_CHAIN_LIMIT = 64


def _shares_back(s: Session, share: ItemRef, origin: ItemRef) -> bool:
    """Whether going up the stored chain of shares from ``origin`` leads back to ``share``."""
    ref, seen = origin, set()
    for _ in range(SHARE_CHAIN_LIMIT):
        if ref.key == share.key:
            return True
        if ref.key in seen:
            return False  # a cycle above the share, not through it
        seen.add(ref.key)
        stored = s.items.get(ref)
        if stored is None or not isinstance(stored.item, Post):
            return False
        up = [o.ref for o in stored.item.origins if o.relation is Relation.SHARE]
        if not up:
            return False
        ref = up[0]
    return False


def _in_order(items: list[tuple[Item, int]]) -> None:
    """Sort ``items`` as they are decided: media first (a post carries its media's signals),
    shares after what they share (a share of a share after the share it shares)."""
    depth = _share_depths([item for item, _ in items])
    items.sort(key=lambda pair: (_order(pair[0]), depth.get(pair[0].ref.key, 0)))


def _order(item: Item) -> int:
    if isinstance(item, Media):
        return 0
    if isinstance(item, Post) and any(o.relation is Relation.SHARE for o in item.origins):
        return 2
    return 1


def _details(verdict: Verdict) -> dict[str, Any]:
    return {
        "secondary_categories": [c.value for c in verdict.secondary_categories],
        "rules_fired": [{"id": r.id, "description": r.description} for r in verdict.rules_fired],
        "review_required": verdict.review_required,
        "review_reasons": list(verdict.review_reasons),
        "notify_authorities": verdict.notify_authorities,
        "absent_detectors": list(verdict.absent_detectors),
        "explanation": list(verdict.explanation),
        "ground_id": verdict.ground_id,
        "legal_review": verdict.legal_review,
    }


def write_rows(rows: Sequence[ScanRow], fmt: str) -> str:
    """The ``--output`` file's content: JSON lines or CSV with a header."""
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(OUTPUT_FIELDS)
        for row in rows:
            writer.writerow(row.csv_row())
        return buffer.getvalue()
    return "".join(orjson.dumps(row.to_dict()).decode() + "\n" for row in rows)
