"""The policy adds no false positives of its own: the classifier's held-out sets (the blind set,
2,169 posts about 20 events kept out of training, and the fresh set, 2,280 posts about 16 more),
each scanned as generic posts under every shipped policy — no news, counter-speech or dissent
post is restricted, removed, suspended or escalated unless the classifier itself called that
post violating."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli_support import run

STANCE = Path(__file__).resolve().parent.parent.parent / "corpus" / "stance"
HELD_OUT = {"blind": 2169, "fresh": 2280}
PROTECTED = {"news", "counter_speech", "dissent"}
HARSH = {"restrict", "remove", "suspend", "escalate"}


@pytest.fixture(scope="module", params=sorted(HELD_OUT))
def held_out_records(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, dict[str, str]]:
    name = request.param
    out = tmp_path_factory.mktemp(name) / f"{name}.jsonl"
    categories: dict[str, str] = {}
    with out.open("w") as fh:
        for path in sorted((STANCE / name).glob("*.jsonl")):
            for line in path.read_text().splitlines():
                row = json.loads(line)
                record = {"platform": "generic", "id": row["id"], "text": row["text"],
                          "lang": row["lang"], "author": {"id": f"a-{row['id']}"}}  # fmt: skip
                fh.write(json.dumps(record, ensure_ascii=False) + "\n")
                categories[row["id"]] = row["category"]
    return out, categories


@pytest.mark.parametrize("policy", ["platform-tos", "pk", "eu"])
def test_no_protected_post_is_restricted_unless_the_classifier_said_violating(
    env: Path,
    monkeypatch: pytest.MonkeyPatch,
    held_out_records: tuple[Path, dict[str, str]],
    policy: str,
) -> None:
    monkeypatch.setenv("NIGEHBAN_STANCE_SEMANTIC", "false")
    records, categories = held_out_records
    assert run("db", "upgrade")[0] == 0
    out = env / "decisions.jsonl"
    code, _, err = run("scan", str(records), "--policy", policy, "-o", str(out))
    assert code == 0, err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    posts = [r for r in rows if r["kind"] == "post"]
    assert len(posts) == len(categories) == HELD_OUT[records.stem]
    added = []
    protected = 0
    for row in posts:
        if categories[row["scoped_id"]] not in PROTECTED:
            continue
        protected += 1
        if row["action"] in HARSH and not any(c not in PROTECTED | {"other", "academic"}
                                              for c in row["categories"]):  # fmt: skip
            added.append(row)
    assert protected > 1000
    assert added == [], f"{len(added)} protected posts made harsher by the policy alone"
