"""Unit and property tests of the stance model's parts: features, linear models,
calibration, metrics and the saved artefact."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nigehban.errors import DependencyError, InputError
from nigehban.stance import artefact
from nigehban.stance.calibration import fit_platt, shift_prior, sigmoid
from nigehban.stance.features import FeatureConfig, batch_buckets, buckets, prepare
from nigehban.stance.linear import TrainConfig, binary_logit, fit
from nigehban.stance.metrics import Outcome, calibration_error, f1, report, roc_auc, wilson

CONFIG = FeatureConfig()


# --- features -----------------------------------------------------------------------------


def test_evasion_tricks_change_no_feature() -> None:
    plain = "TTP claimed the attack on the police post"
    tricks = [
        "T\u200bTP claimed the attack on the police post",  # zero-width space
        "Т.Т.Р claimed the attack on the police post",  # Cyrillic look-alikes, dotted
        "T.T.P claimed the attack on the police post 🔥🔥🔥",  # emoji padding
        "TTP claimed the attack on the police post",
    ]
    expected = buckets(prepare(plain, CONFIG), CONFIG)
    for text in tricks:
        assert buckets(prepare(text, CONFIG), CONFIG) == expected, text


def test_arabic_letters_in_place_of_urdu_ones_change_no_feature() -> None:
    urdu = "کالعدم تنظیم نے ذمہ داری قبول کی"
    arabic_letters = urdu.replace("ک", "ك").replace("ی", "ي").replace("ہ", "ه")
    tatweel = urdu.replace("تنظیم", "تنـــظیم")
    a = buckets(prepare(urdu, CONFIG), CONFIG)
    assert buckets(prepare(arabic_letters, CONFIG), CONFIG) == a
    assert buckets(prepare(tatweel, CONFIG), CONFIG) == a


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_buckets_are_sorted_unique_and_in_range(text: str) -> None:
    ids = buckets(prepare(text, CONFIG), CONFIG)
    assert ids == sorted(set(ids))
    assert all(0 <= i < 2**CONFIG.bits for i in ids)


def test_batch_layout() -> None:
    flat, starts = batch_buckets(["one two", "", "three"], CONFIG)
    assert list(starts) == [0, len(buckets("one two", CONFIG)), len(buckets("one two", CONFIG))]
    assert len(flat) == len(buckets("one two", CONFIG)) + len(buckets("three", CONFIG))


# --- linear models ------------------------------------------------------------------------


def _toy() -> tuple[list[str], np.ndarray]:
    texts = [f"they praised the attack {i}" for i in range(30)] + [
        f"police reported the attack {i}" for i in range(30)
    ]
    y = np.array([1] * 30 + [0] * 30, dtype=np.int64)
    return texts, y


def test_fit_separates_and_is_deterministic() -> None:
    texts, y = _toy()
    flat, starts = batch_buckets(texts, CONFIG)
    a = fit(flat, starts, y, 2, TrainConfig(steps=40))
    b = fit(flat, starts, y, 2, TrainConfig(steps=40))
    assert np.array_equal(a.weights, b.weights) and np.array_equal(a.ids, b.ids)
    z = binary_logit(a.scores(flat, starts))
    assert (z[:30] > 0).all() and (z[30:] < 0).all()


def test_unknown_buckets_score_the_bias() -> None:
    texts, y = _toy()
    flat, starts = batch_buckets(texts, CONFIG)
    model = fit(flat, starts, y, 2, TrainConfig(steps=5))
    f2, s2 = batch_buckets(["鼎鼐 鼒鼏"], CONFIG)
    assert np.allclose(model.scores(f2, s2)[0], model.bias)


# --- calibration --------------------------------------------------------------------------


def test_platt_recovers_a_known_scale() -> None:
    rng = np.random.default_rng(7)
    z = rng.normal(0, 2, 4000)
    y = (rng.random(4000) < sigmoid(0.5 * z - 0.3)).astype(np.float64)
    platt = fit_platt(z, y)
    assert abs(platt.a - 0.5) < 0.08 and abs(platt.b + 0.3) < 0.12


@given(st.floats(0.001, 0.999), st.floats(0.01, 0.99), st.floats(0.01, 0.99))
def test_shift_prior_round_trips(p: float, a: float, b: float) -> None:
    assert math.isclose(shift_prior(shift_prior(p, a, b), b, a), p, rel_tol=1e-6, abs_tol=1e-9)
    assert math.isclose(shift_prior(p, a, a), p, rel_tol=1e-9)


# --- metrics ------------------------------------------------------------------------------


def test_wilson_interval_contains_the_rate() -> None:
    low, high = wilson(3, 100)
    assert low < 0.03 < high
    assert wilson(0, 0) == (0.0, 1.0)
    assert wilson(0, 50)[0] == 0.0


def test_f1_and_macro_f1() -> None:
    assert f1(0, 0, 0) == (0.0, 0.0, 0.0)
    outcomes = [
        Outcome("en", "violating", "glorification", "violating", "glorification", 0.9),
        Outcome("en", "violating", "propaganda", "protected", "news", 0.2),
        Outcome("en", "protected", "news", "protected", "news", 0.1),
        Outcome("en", "protected", "dissent", "violating", "incitement", 0.7),
    ]
    figures = report(outcomes, 0.5)["en"]
    assert figures["macro_f1"] == pytest.approx(0.5)
    assert figures["protected_false_positive_rate"]["dissent"]["rate"] == 1.0
    assert figures["protected_false_positive_rate"]["news"]["rate"] == 0.0
    assert figures["precision_at_prevalence"]["0.01"] == pytest.approx(
        0.5 * 0.01 / (0.5 * 0.01 + 0.5 * 0.99)
    )


def test_roc_auc_on_known_rankings() -> None:
    assert roc_auc([0.9, 0.8, 0.2, 0.1], [True, True, False, False]) == 1.0
    assert roc_auc([0.1, 0.2, 0.8, 0.9], [True, True, False, False]) == 0.0
    assert roc_auc([0.5, 0.5], [True, False]) == 0.5
    assert roc_auc([0.9, 0.4, 0.6, 0.1], [True, True, False, False]) == 0.75
    assert roc_auc([0.3, 0.7], [True, True]) is None


@given(
    st.lists(
        st.tuples(st.sampled_from([0.0, 0.25, 0.5, 0.75, 1.0]), st.booleans()),
        min_size=2,
        max_size=40,
    )
)
@settings(max_examples=200, deadline=None)
def test_roc_auc_is_the_share_of_correctly_ordered_pairs(pairs: list[tuple[float, bool]]) -> None:
    scores = [p for p, _ in pairs]
    truth = [t for _, t in pairs]
    pos = [p for p, t in pairs if t]
    neg = [p for p, t in pairs if not t]
    got = roc_auc(scores, truth)
    if not pos or not neg:
        assert got is None
        return
    wins = sum((a > b) + 0.5 * (a == b) for a in pos for b in neg)
    assert got == pytest.approx(wins / (len(pos) * len(neg)))


def test_calibration_error_is_zero_when_perfect() -> None:
    assert calibration_error([1.0, 0.0, 1.0], [1, 0, 1]) == 0.0
    assert calibration_error([0.5, 0.5], [1, 0]) == 0.0
    assert calibration_error([0.9, 0.9], [0, 0]) == pytest.approx(0.9)


# --- artefact -----------------------------------------------------------------------------


def test_artefact_is_byte_identical_and_checked(tmp_path: Path) -> None:
    arrays = {"b_ids": np.arange(5, dtype=np.int32), "a_w": np.ones((5, 2), dtype=np.float32)}
    artefact.save(tmp_path / "one", {"x": 1}, arrays)
    artefact.save(tmp_path / "two", {"x": 1}, dict(reversed(list(arrays.items()))))
    for name in ("model.json", "model.npz"):
        assert (tmp_path / "one" / name).read_bytes() == (tmp_path / "two" / name).read_bytes()
    loaded = artefact.load(tmp_path / "one")
    assert np.array_equal(loaded.arrays["b_ids"], arrays["b_ids"])
    (tmp_path / "one" / "model.npz").write_bytes(b"PK broken")
    with pytest.raises(InputError, match="SHA-256"):
        artefact.load(tmp_path / "one")


def test_missing_model_is_a_dependency_error(tmp_path: Path) -> None:
    with pytest.raises(DependencyError, match="nigehban train"):
        artefact.load(tmp_path)


# --- what the semantic tier reads -----------------------------------------------------------


@pytest.mark.parametrize(
    "trick", ["zero_width", "homoglyph", "tatweel_diacritics", "emoji_padding", "arabic_letters"]
)
def test_evasion_tricks_do_not_change_what_the_embedder_reads(trick: str) -> None:
    from nigehban.stance.perturb import TRICKS
    from nigehban.stance.semantic import embedding_text

    for text in (
        "Majeed Brigade ke fidayeen ne Gwadar ko nishana banaya, TTP bhi saath tha",
        "کالعدم تنظیم نے پولیس چوکی پر حملے کی ذمہ داری قبول کی",
        "مجاہدین نے گاڑی کو نشانہ بنایا، یہ ہماری فتح ہے۔ اللہ شہداء کی قربانی قبول کرے",
        "د طالبانو ډلې د برید مسؤلیت ومانه",
        "The group claimed the attack on the police post in Bannu",
    ):
        lang = "ps" if "ډ" in text else "ur"
        assert embedding_text(TRICKS[trick](text), lang) == embedding_text(text, lang)


@pytest.mark.parametrize(
    "trick", ["zero_width", "homoglyph", "tatweel_diacritics", "emoji_padding"]
)
def test_evasion_tricks_do_not_change_what_the_embedder_reads_in_roman_urdu(trick: str) -> None:
    from nigehban.stance.perturb import TRICKS
    from nigehban.stance.semantic import embedding_text

    text = "Majeed Brigade ke fidayeen ne Gwadar ko nishana banaya, police ke mutabiq"
    assert embedding_text(TRICKS[trick](text), "ur-Latn") == embedding_text(text, "ur-Latn")


def test_the_embedder_reads_no_lone_surrogate_or_control_character() -> None:
    """A JSON ``"\\ud83d"`` escape cut from its pair leaves a lone surrogate, which UTF-8
    cannot hold, and the embedder reads a C string, which a NUL would end: both are dropped,
    so neither makes the semantic tier fail nor blanks what it reads."""
    from nigehban.stance.semantic import embedding_text, load_embedder

    assert embedding_text("salute \ud83d the lions\udc00", "en") == "salute the lions"
    assert embedding_text("\x00salute the\x01 lions\x7f", "en") == "salute the lions"
    assert embedding_text("salute\nthe\tlions", "en") == "salute the lions"
    embedder = load_embedder()
    if embedder is not None:
        plain, padded = embedder.embed(["salute the lions", "\x00salute \ud83d the lions"])
        assert np.array_equal(plain, padded)


def test_the_embedder_reads_roman_urdu_in_urdu_script_and_other_languages_as_written() -> None:
    from nigehban.stance.semantic import embedding_text

    roman = "police ke mutabiq hamla hua"
    # "ke" is کے, read like کی (an Arabic keyboard cannot tell ے from ی)
    assert embedding_text(roman, "ur-Latn") == "پولیس کی مطابق حملہ ہوا"
    assert embedding_text(roman, "en") == roman
    assert embedding_text(roman) == roman
    assert embedding_text("پولیس کے مطابق حملہ ہوا", "ur-Latn") == "پولیس کی مطابق حملہ ہوا"


def test_tricks_change_the_text() -> None:
    from nigehban.stance.perturb import TRICKS

    text = "TTP ne Bannu mein police chowki par hamla kiya, کالعدم تنظیم"
    for name, trick in TRICKS.items():
        assert trick(text) != text, name
        assert trick(text) == trick(text)


# --- how the two tiers combine ----------------------------------------------------------------


def test_combination_mixes_only_inside_its_band() -> None:
    from nigehban.stance.model import Combination

    combination = Combination((0.1, 0.9), 0.7)
    logits = np.array([-5.0, 0.0, 5.0])
    assert combination.routed(logits).tolist() == [False, True, False]
    assert combination.combine(1.0, 3.0) == pytest.approx(0.3 * 1.0 + 0.7 * 3.0)
    assert Combination.from_dict(combination.to_dict()) == combination


def test_apply_combinations_mixes_each_language_in_its_band_only() -> None:
    from nigehban.stance.model import Combination
    from nigehban.stance.training import apply_combinations

    fast = np.array([-5.0, 0.0, 0.5, 4.0, 0.0])
    semantic = np.array([1.0, 2.0, -2.0, 1.0, 3.0])
    langs = ["en", "en", "ur", "ur", "ps"]
    combinations = {"en": Combination((0.1, 0.9), 0.5), "ur": Combination((0.01, 0.99), 0.8)}
    combined, routed = apply_combinations(fast, semantic, langs, combinations)
    # a language without a combination, and a logit outside the band, keep the fast logit
    assert routed.tolist() == [False, True, True, True, False]
    assert combined.tolist() == pytest.approx([-5.0, 1.0, -1.5, 1.6, 0.0])


def test_choose_thresholds_gives_one_per_language_and_the_figures() -> None:
    from nigehban.stance.training import choose_threshold, choose_thresholds

    y = [1, 0, 1, 0, 1, 0, 0, 0]
    cats = ["propaganda", "news", "threat", "counter_speech", "incitement", "dissent", "news",
            "other"]  # fmt: skip
    langs = ["en"] * 4 + ["ur"] * 4
    logits = np.array([3.0, -3.0, 2.0, -1.0, 0.5, -2.0, 0.2, -4.0])
    threshold, thresholds, choice = choose_thresholds(logits, y, cats, langs)
    assert threshold == choose_threshold(logits, y, cats, langs)[0]
    assert set(thresholds) == {"en", "ur"} == set(choice["per_language"])
    assert thresholds["ur"] == choose_threshold(logits[4:], y[4:], cats[4:], langs[4:])[0]
    assert choice["per_language"]["en"]["macro_f1"] == 1.0
    assert choice["all_languages"]["threshold"] == threshold


def test_choose_combinations_prefers_fewer_routed_texts_at_equal_accuracy() -> None:
    from nigehban.stance.training import BANDS, WEIGHTS, choose_combinations

    rng = np.random.default_rng(7)
    n = 400
    y = np.array([i % 2 for i in range(n)])
    cats = [
        "propaganda" if v else ["news", "counter_speech", "dissent", "other"][i % 4]
        for i, v in enumerate(y)
    ]
    # the fast tier already separates the classes: the semantic tier adds nothing
    fast = np.where(y == 1, 4.0, -4.0) + rng.normal(0, 0.5, n)
    semantic = rng.normal(0, 1, n)
    chosen, figures = choose_combinations(
        fast, semantic, y.tolist(), cats, ["en"] * n, np.ones(n, dtype=bool)
    )
    assert set(chosen) == {"en"}
    assert chosen["en"].route == BANDS[0] and chosen["en"].semantic_weight == WEIGHTS[0]
    assert figures["en"]["routed_share"] <= 0.05
    # a semantic tier that separates where the fast one cannot is given weight
    fast = rng.normal(0, 1, n)
    semantic = np.where(y == 1, 1.5, -1.5) + rng.normal(0, 1, n)
    chosen, figures = choose_combinations(
        fast, semantic, y.tolist(), cats, ["en"] * n, np.ones(n, dtype=bool)
    )
    assert chosen["en"].semantic_weight >= 0.6
    assert figures["en"]["macro_f1"] > 0.7  # the fast tier alone is at chance (~0.5)
