"""``Classifier``: language identification, the stance model and the group detector, together.

For each text: identify the language on the raw text (a given ``lang`` hint is used when it
is a supported language); abstain, and say why, for any other language or a text with no
letters; otherwise score with the fast tier, route the unsure texts to the semantic tier, and
report the calibrated probability of violating at the deployment prior (``score``), the label
(decided at the training prior by ``threshold``), the primary and secondary category with
every category's score, ``threat_any``, and the groups the text names. A mention of a group
never decides the label by itself: the groups are reported beside it.

A hashtag that names a group (``#TTP``, ``#MajeedBrigade``, ``#ٹی_ٹی_پی``) never lowers the
score. Reporters and critics name groups far more often than supporters do, in the corpus as
online, so a model learns that a group's name leans towards protected speech, and a supporter
who tags a post with the group's hashtag would be scored as less violating for it. A text
carrying such hashtags is therefore also scored without them, and the higher of the two
violating scores is kept, with that reading's categories (the reason says so).
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry
from nigehban.model.taxonomy import VIOLATING
from nigehban.settings import Settings
from nigehban.stance import artefact
from nigehban.stance.calibration import shift_prior
from nigehban.stance.features import prepare
from nigehban.stance.langid import SUPPORTED, LanguageIdentifier
from nigehban.stance.model import Embedder, StanceModel, probability
from nigehban.stance.semantic import load_embedder
from nigehban.text.normaliser import Level, normalise_text

_VIOLATING = frozenset(c.value for c in VIOLATING)
UNTAGGED_REASON = "scored without the hashtags naming a group, which scored higher"
SECONDARY_MIN = 0.2
"""A second category is reported when its score reaches this."""


@dataclass(frozen=True, slots=True)
class Classification:
    lang: str
    abstained: bool
    reason: str
    label: str | None = None
    score: float | None = None
    """Calibrated probability of violating at the deployment prior."""
    probability: float | None = None
    """The same at the training prior (what ``label`` is decided on)."""
    category: str | None = None
    secondary: str | None = None
    category_scores: dict[str, float] = field(default_factory=dict)
    threat_any: float | None = None
    groups: tuple[str, ...] = ()
    tier: str = "none"

    def to_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "score": _round(self.score),
            "probability": _round(self.probability),
            "category": self.category,
            "secondary": self.secondary,
            "category_scores": {k: round(v, 4) for k, v in self.category_scores.items()},
            "threat_any": _round(self.threat_any),
            "lang": self.lang,
            "groups": list(self.groups),
            "abstained": self.abstained,
            "reason": self.reason,
            "tier": self.tier,
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


class Classifier:
    """Built once (from settings), then safe to share between threads."""

    def __init__(
        self,
        model: StanceModel,
        identifier: LanguageIdentifier,
        matcher: GroupMatcher | None,
        *,
        prior: float,
        threshold: float | None,
        embedder: Embedder | None,
    ) -> None:
        self.model = model
        self._identifier = identifier
        self._identifier_lock = threading.Lock()  # CLD3's identifier is not thread-safe
        self._matcher = matcher
        self.prior = prior
        self._threshold = threshold
        self._embedder = embedder if model.semantic is not None else None
        self.semantic_note = (
            "semantic tier on"
            if self._embedder is not None
            else "semantic tier unavailable: fast tier alone"
        )
        if (
            self._embedder is not None
            and model.semantic is not None
            and model.semantic.embedder_name != self._embedder.name
        ):
            self.semantic_note = (
                f"semantic tier off: the model's head reads {model.semantic.embedder_name}, "
                f"this release embeds with {self._embedder.name}: fast tier alone"
            )
            self._embedder = None

    @classmethod
    def from_settings(cls, settings: Settings) -> Classifier:
        model = StanceModel.from_artefact(
            artefact.load(settings.stance_model_dir or artefact.DEFAULT_DIR)
        )
        wanted = model.semantic.embedder_name if model.semantic is not None else None
        embedder = load_embedder(wanted) if settings.stance_semantic else None
        matcher = GroupMatcher(load_registry(settings.group_registry_dir))
        return cls(
            model,
            LanguageIdentifier(),
            matcher,
            prior=settings.stance_prior,
            threshold=settings.stance_threshold,
            embedder=embedder,
        )

    @property
    def snapshot_hash(self) -> str:
        return str(self.model.meta.get("arrays_sha256", ""))

    def threshold_for(self, lang: str) -> float:
        """The set threshold, else the model's own for ``lang``."""
        return self._threshold if self._threshold is not None else self.model.threshold_for(lang)

    @property
    def threshold(self) -> float:
        """The set threshold, else the model's overall one (per language: threshold_for)."""
        return self._threshold if self._threshold is not None else self.model.threshold

    @property
    def training_prior(self) -> float:
        return self.model.training_prior

    @property
    def description(self) -> str:
        return f"stance model {self.snapshot_hash[:12]}; {self.semantic_note}"

    def classify(
        self, texts: Sequence[str], langs: Sequence[str | None] | None = None
    ) -> list[Classification]:
        hints = list(langs) if langs is not None else [None] * len(texts)
        with self._identifier_lock:
            guesses = self._identifier.identify_many(texts)
        chosen: list[tuple[str, bool, str]] = []
        for hint, guess in zip(hints, guesses, strict=True):
            if guess.script == "none":
                # no letters (empty, emoji, digits, a bare link): nothing to read, whatever
                # language the input names
                chosen.append(
                    (guess.lang, False, f"unsupported language {guess.lang}: {guess.reason}")
                )
            elif hint in SUPPORTED:
                chosen.append((hint, True, f"language given: {hint}"))
            elif guess.supported:
                chosen.append((guess.lang, True, guess.reason))
            else:
                chosen.append(
                    (guess.lang, False, f"unsupported language {guess.lang}: {guess.reason}")
                )
        todo = [i for i, (_, ok, _) in enumerate(chosen) if ok]
        results: list[Classification | None] = [None] * len(texts)
        for i, (lang, ok, reason) in enumerate(chosen):
            if not ok:
                results[i] = Classification(
                    lang=lang, abstained=True, reason=reason, groups=self._groups(texts[i])
                )
        if todo:
            batch = [texts[i] for i in todo]
            batch_langs = [chosen[i][0] for i in todo]
            # one aggressive normalisation per text, shared by the features and the groups
            normalised = [normalise_text(t, Level.AGGRESSIVE) for t in batch]
            # each text with hashtags naming a group is scored again without them (appended)
            untagged = {k: u for k, t in enumerate(batch) if (u := self.untagged(t)) is not None}
            rows = [*batch, *untagged.values()]
            row_langs = [*batch_langs, *(batch_langs[k] for k in untagged)]
            row_normalised = [
                *normalised,
                *(normalise_text(u, Level.AGGRESSIVE) for u in untagged.values()),
            ]
            limit = self.model.config.max_chars
            prepared = [
                n if len(t) <= limit else prepare(t, self.model.config)
                for t, n in zip(rows, row_normalised, strict=True)
            ]
            scored = self._score(rows, prepared, row_langs)
            second = {k: len(batch) + j for j, k in enumerate(untagged)}
            for k, i in enumerate(todo):
                lang, _, reason = chosen[i]
                row = k
                if k in second and scored["logits"][second[k]] > scored["logits"][k]:
                    row, reason = second[k], f"{reason}; {UNTAGGED_REASON}"
                results[i] = self._result(scored, row, lang, reason, texts[i], normalised[k])
        return [r for r in results if r is not None]

    def untagged(self, text: str) -> str | None:
        """``text`` without its hashtags that name a group (an alias of any group, ambiguous
        ones included, in the hashtag's words: ``#TTP_Pakistan``, ``#ٹی_ٹی_پی``), or ``None``
        where it has none, or nothing but them."""
        if self._matcher is None:
            return None
        kept: list[str] = []
        last = 0
        for tag in self._matcher.group_hashtags(text):
            before = text[last : tag.start]
            kept.append(before[:-1] if before.endswith((" ", "\t")) else before)
            last = tag.end
        if last == 0:
            return None
        kept.append(text[last:])
        rest = "".join(kept).strip()
        return rest if any(ch.isalnum() for ch in rest) else None

    def _score(self, texts: list[str], prepared: list[str], langs: list[str]) -> dict[str, Any]:
        fast = self.model.fast(texts, prepared)
        logits = fast.logit.copy()
        routed = np.zeros(len(texts), dtype=bool)
        if self._embedder is not None and self.model.semantic is not None:
            routed = self.model.routed(logits, langs)
            if routed.any():
                indices = np.flatnonzero(routed)
                vectors = self._embedder.embed(
                    [texts[i] for i in indices], [langs[i] for i in indices]
                )
                semantic = self.model.semantic.logit(vectors)
                for j, i in enumerate(indices):
                    logits[i] = self.model.combine(float(logits[i]), float(semantic[j]), langs[i])
        return {"logits": logits, "fast": fast, "routed": routed}

    def _result(
        self, scored: dict[str, Any], k: int, lang: str, reason: str, text: str, normalised: str
    ) -> Classification:
        fast = scored["fast"]
        p = probability(float(scored["logits"][k]))
        label = "violating" if p >= self.threshold_for(lang) else "protected"
        scores = {
            c: float(s) for c, s in zip(self.model.categories, fast.categories[k], strict=True)
        }
        side = [c for c in scores if (c in _VIOLATING) == (label == "violating")]
        ranked = sorted(side, key=lambda c: (-scores[c], c))
        others = sorted((c for c in scores if c != ranked[0]), key=lambda c: (-scores[c], c))
        secondary = others[0] if others and scores[others[0]] >= SECONDARY_MIN else None
        tier = "fast+semantic" if bool(scored["routed"][k]) else "fast"
        return Classification(
            lang=lang,
            abstained=False,
            reason=f"{reason}; {self.semantic_note}",
            label=label,
            score=shift_prior(p, self.model.training_prior, self.prior),
            probability=p,
            category=ranked[0],
            secondary=secondary,
            category_scores=scores,
            threat_any=float(fast.threat[k]),
            groups=self._groups(text, normalised),
            tier=tier,
        )

    def _groups(self, text: str, normalised: str | None = None) -> tuple[str, ...]:
        if self._matcher is None:
            return ()
        return tuple(self._matcher.entry_ids(text, normalised))


def model_dir(settings: Settings) -> Path:
    return settings.stance_model_dir or artefact.DEFAULT_DIR
