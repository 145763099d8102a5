"""The shipped stance model: it loads, its checksum is what model.json records, and on a
sample of the held-out test split (whole events never trained on) it still separates the
stances — a smoke test against a broken rebuild, not the model card's figures."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from nigehban.settings import Settings
from nigehban.stance import artefact
from nigehban.stance.classifier import Classifier
from nigehban.stance.corpus import load_corpus
from nigehban.stance.metrics import Outcome, report

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = 120  # posts per language


@cache
def classifier() -> Classifier:
    return Classifier.from_settings(Settings(stance_semantic=True))


def test_shipped_model_loads_and_is_consistent() -> None:
    loaded = artefact.load(artefact.DEFAULT_DIR)
    assert loaded.meta["format"] == artefact.FORMAT
    assert set(loaded.meta["thresholds"]) == {"en", "ur", "ur-Latn", "ps"}
    assert set(loaded.meta["combination"]) == {"en", "ur", "ur-Latn", "ps"}
    split = loaded.meta["training"]["split_manifest_sha256"]
    assert split == load_corpus(ROOT / "corpus" / "stance").manifest.digest


@pytest.mark.parametrize("lang", ["en", "ur", "ur-Latn", "ps"])
def test_shipped_model_separates_stances_on_held_out_events(lang: str) -> None:
    test = [p for p in load_corpus(ROOT / "corpus" / "stance").test if p.lang == lang]
    sample = test[:: max(1, len(test) // SAMPLE)][:SAMPLE]
    results = classifier().classify([p.text for p in sample], [p.lang for p in sample])
    outcomes = [
        Outcome(
            p.lang,
            p.label,
            p.category,
            r.label or "protected",
            r.category or "other",
            r.probability or 0.0,
        )
        for p, r in zip(sample, results, strict=True)
    ]
    figures = report(outcomes, classifier().training_prior)[lang]
    assert figures["macro_f1"] >= 0.65, figures["macro_f1"]
    assert figures["false_positive_rate"] <= 0.10, figures["false_positive_rate"]


def test_a_model_embedded_otherwise_runs_on_the_fast_tier_and_says_so() -> None:
    """A semantic head trained on another embedder's vectors is never fed this one's."""
    import numpy as np

    from nigehban.stance.langid import LanguageIdentifier
    from nigehban.stance.model import StanceModel

    class OtherEmbedder:
        name = "another-embedder/v0"
        views = ((0, 384),)

        def embed(self, texts: object, langs: object = None) -> np.ndarray:
            raise AssertionError("must not be called")

    model = StanceModel.from_artefact(artefact.load(artefact.DEFAULT_DIR))
    classifier = Classifier(
        model, LanguageIdentifier(), None, prior=0.01, threshold=None, embedder=OtherEmbedder()
    )
    assert classifier.semantic_note.startswith("semantic tier off")
    [result] = classifier.classify(["The group claimed the attack on the police post."], ["en"])
    assert result.tier == "fast"
