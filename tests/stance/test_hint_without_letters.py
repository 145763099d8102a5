"""A language hint does not make a text without letters classifiable: docs/stance.md says the
classifier abstains on a text without letters, and a hint (an X post's ``lang``) only chooses
among the supported languages for a text that has some."""

from __future__ import annotations

from functools import cache

import pytest

from nigehban.settings import Settings
from nigehban.stance.classifier import Classifier


@cache
def classifier() -> Classifier:
    return Classifier.from_settings(Settings(stance_semantic=False))


@pytest.mark.parametrize("text", ["", "   ", "😀😀😀", "!!!! ????", "12345", "\u200b\u200b"])
@pytest.mark.parametrize("hint", ["en", "ur", "ur-Latn", "ps"])
def test_a_text_without_letters_is_abstained_on_whatever_the_hint(text: str, hint: str) -> None:
    (result,) = classifier().classify([text], [hint])
    assert result.abstained
    assert result.label is None and result.score is None
    assert "no letters" in result.reason


def test_a_hint_still_chooses_for_a_text_with_letters() -> None:
    (result,) = classifier().classify(["shaheedon ko salam"], ["ur-Latn"])
    assert not result.abstained and result.lang == "ur-Latn"
    assert result.reason.startswith("language given: ur-Latn")
