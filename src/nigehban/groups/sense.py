"""The sense model: whether an ambiguous name ("BLA", "PTM", "SSP"…) names the group here.

A logistic model over binary features of the hit and its context, read by
:class:`nigehban.groups.ambiguity.Resolver`: the alias itself,
the words just before and after it, the words within a window, the rest of the post's words
(words of four letters or more), the registry's curated context cues, and
whether another group is named unambiguously. A text's logit is the bias plus the weights of its
features; the hit counts when the logit reaches the model's threshold.

It decides only the names it was built for (``aliases``: those whose everyday sense so dominates
that the curated cues cannot separate them, such as "SSP", a police rank far more often than
Sipah-e-Sahaba Pakistan); the registry's cues decide the rest, where they measured better.

The artefact is JSON (``groups/data/sense.json``): weights by feature name, bias, threshold, the
digest of the training corpus and a checksum over the rest, so a damaged file is refused. It is
rebuilt by ``nigehban groups train`` from ``corpus/groups/sense`` (see
:mod:`nigehban.groups.sense_training`).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nigehban.errors import InputError

SENSE_VERSION = "1"
"""Bumped whenever the features change: an artefact of another version is refused."""

SENSE_PATH = Path(__file__).resolve().parent / "data" / "sense.json"


@dataclass(frozen=True, slots=True)
class SenseModel:
    weights: Mapping[str, float]
    bias: float
    threshold: float
    aliases: tuple[str, ...]
    """The normalised names it decides; the registry's cues decide the others."""
    corpus_digest: str
    meta: Mapping[str, Any]

    def decides(self, alias_feature: str) -> bool:
        """Whether it decides the name of the ``a=<name>`` feature."""
        return alias_feature[2:] in self.aliases

    def logit(self, features: Iterable[str]) -> float:
        get = self.weights.get
        return self.bias + sum(get(f, 0.0) for f in features)

    def probability(self, features: Iterable[str]) -> float:
        return 1.0 / (1.0 + math.exp(-self.logit(features)))

    def counts(self, features: Iterable[str]) -> bool:
        return self.logit(features) >= self.threshold

    def explain(self, features: Iterable[str], limit: int = 4) -> tuple[str, ...]:
        """What weighs most for (``+``) and against (``-``) the group, for reviewers:
        ``+militants``, ``-sahib``, ``+written in capitals``."""
        weighed = [(self.weights[f], f) for f in dict.fromkeys(features) if f in self.weights]
        weighed.sort(key=lambda wf: (-abs(wf[0]), wf[1]))
        out: dict[str, None] = {}
        for weight, feature in weighed:
            if len(out) == limit:
                break
            if weight:
                out[("+" if weight > 0 else "-") + describe(feature)] = None
        return tuple(out)

    @property
    def digest(self) -> str:
        return _checksum(self._body())

    def _body(self) -> dict[str, Any]:
        return {
            "version": SENSE_VERSION,
            "bias": self.bias,
            "threshold": self.threshold,
            "aliases": list(self.aliases),
            "corpus_digest": self.corpus_digest,
            "meta": dict(self.meta),
            "weights": dict(sorted(self.weights.items())),
        }

    def to_json(self) -> str:
        body = self._body()
        body["checksum"] = _checksum(body)
        return json.dumps(body, ensure_ascii=False, indent=0, sort_keys=True) + "\n"


_WORDS = ("w=", "t=", "p=", "n=", "c+=", "c-=")
_DESCRIBED = {
    "f=spelled": "spelled letter by letter",
    "f=stretched": "stretched with tatweel",
    "f=disguised": "disguised (leetspeak, look-alike or invisible characters)",
    "f=hashtag": "the name written as one hashtag",
    "f=article": "the name written with its article (al-)",
    "f=framed": "the name in one of its frames (fighters of IS, IS claims)",
    "co": "another group named",
    "kin": "the group named again by another of its names",
    "shout": "text in capitals",
    "len=short": "short post",
    "len=mid": "post of middling length",
    "len=long": "long post",
    "mixed-script": "Latin name in Arabic-script text",
    "plain-here": "a name ambiguous only in Arabic, in a post written in Urdu, Pashto or Persian",
    "presumed": "a name that counts unless the cues against it outnumber those for it",
    "topic": "a word of the armed group's world near a presumed name",
}


def describe(feature: str) -> str:
    """A feature in words: its word for context words and cues, else what it stands for."""
    feature = feature.partition("|")[2] or feature
    for prefix in _WORDS:
        if feature.startswith(prefix):
            return feature[len(prefix) :]
    if feature.startswith("a="):
        return "the name itself"
    if feature.startswith("cue+="):
        return f"{feature[5:]} cue(s) for the group"
    if feature.startswith("cue-="):
        return f"{feature[5:]} cue(s) against"
    return _DESCRIBED.get(feature, feature)


def _checksum(body: Mapping[str, Any]) -> str:
    data = json.dumps(
        {k: v for k, v in body.items() if k != "checksum"}, ensure_ascii=False, sort_keys=True
    )
    return hashlib.sha256(data.encode("utf-8")).hexdigest()


def parse_sense_model(text: str, source: str) -> SenseModel:
    try:
        body = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(source, f"not JSON ({exc.msg}, line {exc.lineno})") from None
    if not isinstance(body, dict):
        raise InputError(source, "a sense model is a JSON object")
    if body.get("version") != SENSE_VERSION:
        raise InputError(
            source, f"sense model version {body.get('version')!r}, expected {SENSE_VERSION!r}"
        )
    if body.get("checksum") != _checksum(body):
        raise InputError(source, "checksum mismatch: the file was changed after training")
    weights = body.get("weights")
    if not isinstance(weights, dict) or not all(
        isinstance(v, int | float) for v in weights.values()
    ):
        raise InputError(source, "'weights' must map feature names to numbers")
    return SenseModel(
        weights={str(k): float(v) for k, v in weights.items()},
        bias=float(body["bias"]),
        threshold=float(body["threshold"]),
        aliases=tuple(str(a) for a in body.get("aliases") or ()),
        corpus_digest=str(body["corpus_digest"]),
        meta=dict(body.get("meta") or {}),
    )


def load_sense_model(path: Path | None = None) -> SenseModel:
    """The sense model at ``path`` (default: the one shipped in the package)."""
    path = path or SENSE_PATH
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise InputError(
            str(path), f"cannot read the sense model ({exc.strerror}); run `nigehban groups train`"
        ) from None
    return parse_sense_model(text, str(path))
