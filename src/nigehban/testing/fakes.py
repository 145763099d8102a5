"""Fakes for the boundaries, shipped for users' tests and ours.

:class:`KeywordDetector` is a deterministic detector: it emits one signal per configured
keyword found in a post's text, with the span of the match. It is a real detector (it passes
the contract) — simple on purpose, for testing policies and workflows without a model.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping

from nigehban.model.items import Item, Post
from nigehban.model.signals import Signal, SignalKind
from nigehban.model.spans import Span


class KeywordDetector:
    def __init__(
        self,
        keywords: Mapping[str, str],
        kind: SignalKind = SignalKind.STANCE,
        name: str = "keyword",
        score: float = 0.9,
    ) -> None:
        self._keywords = {k.casefold(): v for k, v in keywords.items()}
        self._kind = kind
        self._name = name
        self._score = score
        joined = "\n".join(f"{k}\t{v}" for k, v in sorted(self._keywords.items()))
        self._hash = hashlib.sha256(joined.encode()).hexdigest()

    @property
    def name(self) -> str:
        return self._name

    @property
    def version(self) -> str:
        return "1"

    @property
    def snapshot_hash(self) -> str:
        return self._hash

    def detect(self, item: Item) -> list[Signal]:
        if not isinstance(item, Post) or not item.text:
            return []
        folded = item.text.casefold()
        signals = []
        for keyword, label in self._keywords.items():
            start = folded.find(keyword)
            if start >= 0 and len(folded) == len(item.text):
                signals.append(
                    Signal(
                        kind=self._kind,
                        score=self._score,
                        label=label,
                        detector=self._name,
                        detector_version=self.version,
                        explanation=f"keyword {keyword!r} found",
                        evidence={"keyword": keyword},
                        span=Span(start, start + len(keyword)),
                    )
                )
        return signals
