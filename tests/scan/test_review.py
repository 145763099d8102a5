"""The review queue end to end on the CLI: ``cases list|show|decide``; a case follows its item's
edits and closes when a later revision needs no review; statements of reasons wait for the
reviewer and outlive edits to the policy file (the policy archive)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, update

from nigehban.errors import ConflictError
from nigehban.policy import load_policies
from nigehban.settings import Settings
from nigehban.store.schema import cases, decisions, items, policy_versions
from nigehban.store.store import Store
from nigehban.workflows.review import lodge_appeal
from tests.cli_support import run

SHIPPED = Path(__file__).resolve().parents[2] / "src" / "nigehban" / "policy" / "data"
PRAISE = (
    "Glory to the fidayeen of the Majeed Brigade who struck the enemy camp in Kech. Every "
    "drop of their blood is a promise: more will follow. Join the caravan, young Baloch!"
)
PRAISE_EDITED = (
    "Glory to the fidayeen of the Majeed Brigade! Every drop of their blood is a "
    "promise: more will follow. Join the caravan, young Baloch, join now!"
)
NEWS = "Militants attacked a police post in Kech on Tuesday, killing three officers, police said."


@pytest.fixture
def review_env(env: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("NIGEHBAN_STANCE_SEMANTIC", "false")
    monkeypatch.chdir(env)
    assert run("db", "upgrade")[0] == 0
    return env


def _post(path: Path, text: str, edited: str | None = None, post_id: str = "7") -> Path:
    record: dict[str, Any] = {"platform": "x", "id": post_id, "author": {"id": "u7"},
                              "created_at": "2026-12-01T10:00:00Z", "text": text}  # fmt: skip
    if edited:
        record["edited_at"] = edited
    path.write_text(json.dumps(record) + "\n")
    return path


def _scan(path: Path, policy: str = "eu") -> dict[str, Any]:
    out = path.with_suffix(".out.jsonl")
    code, stdout, err = run("--json", "scan", str(path), "--policy", policy, "-o", str(out))
    assert code == 0, err
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    summary: dict[str, Any] = json.loads(stdout)
    summary["post"] = next(r for r in rows if r["kind"] == "post")
    return summary


def _cases(state: str = "all") -> list[dict[str, Any]]:
    code, out, err = run("--json", "cases", "list", "--state", state)
    assert code == 0, err
    found: list[dict[str, Any]] = json.loads(out)
    return found


def _events(env: Path) -> list[str]:
    store = Store.open(Settings(data_dir=env / "var"))
    try:
        with store.reading("default") as s:
            return [e.name for e in s.events()]
    finally:
        store.close()


def test_a_case_follows_its_items_edits_and_closes_when_review_is_no_longer_needed(
    review_env: Path,
) -> None:
    first = _scan(_post(review_env / "a.jsonl", PRAISE))
    assert first["cases_opened"] == 1 and first["post"]["review"]
    [case] = _cases()
    assert case["state"] == "open" and case["decision_id"] == first["post"]["decision_id"]

    edited = _scan(_post(review_env / "b.jsonl", PRAISE_EDITED, "2026-12-02T10:00:00Z"))
    assert (edited["cases_opened"], edited["cases_updated"]) == (0, 1)
    [moved] = _cases()
    assert moved["id"] == case["id"] and moved["decision_id"] == edited["post"]["decision_id"]
    assert moved["deadline"] == case["deadline"]  # an edit never pushes the deadline back

    news = _scan(_post(review_env / "c.jsonl", NEWS, "2026-12-03T10:00:00Z"))
    assert news["post"]["action"] == "allow" and news["cases_closed"] == 1
    [closed] = _cases()
    assert closed["state"] == "closed" and "superseded: revision 3" in closed["resolution"]
    assert _cases("open") == []
    events = _events(review_env)
    assert events.count("case.opened") == 1 and "case.updated" in events
    assert "case.closed" in events and events.count("policy.recorded") == 1


def test_a_rescan_under_another_policy_does_not_close_the_case(review_env: Path) -> None:
    _scan(_post(review_env / "a.jsonl", PRAISE))
    tos = _scan(review_env / "a.jsonl", "platform-tos")
    assert tos["cases_closed"] == 0
    assert [c["state"] for c in _cases()] == ["open"]


def test_a_reviewer_decides_a_case_on_the_cli(review_env: Path) -> None:
    scanned = _scan(_post(review_env / "a.jsonl", PRAISE))
    engine = scanned["post"]["decision_id"]
    case = str(scanned["post"]["case_id"])
    code, text, _ = run("cases", "list")
    assert code == 0 and "x/post/7" in text and "requires" in text
    code, text, _ = run("cases", "show", case)
    assert code == 0 and "under review: remove" in text
    decide = ("cases", "decide", case, "--reviewer", "amina", "--note", "n")
    code, _, err = run(*decide, "--action", "remove", "--category", "news")
    assert code == 1 and "news is a protected category" in err
    code, _, err = run(*decide, "--action", "remove", "--ground", "dsa-x")
    assert code == 1 and "'dsa-x' cannot be cited" in err and "usable: " in err
    code, _, err = run(*decide, "--action", "review")  # argparse: a usage error
    assert code == 2 and "invalid choice: 'review'" in err
    code, _, err = run("cases", "decide", case, "--action", "remove", "--reviewer", " ",
                       "--note", "n")  # fmt: skip
    assert code == 1 and "reviewer" in err
    assert [c["state"] for c in _cases()] == ["open"]  # nothing refused was recorded

    code, out, err = run("--json", *decide, "--action", "allow")
    assert code == 0, err
    doc = json.loads(out)
    assert doc["case"]["state"] == "decided" and doc["decision"]["action"] == "allow"
    assert doc["decision"]["automated_decision"] is False
    assert doc["decision"]["details"]["reviewed_decision_id"] == engine
    assert doc["decision"]["rules"][0] == "review.decided"
    code, _, err = run(*decide, "--action", "remove")
    assert code == 1 and "is decided, not open" in err
    code, _, err = run("decisions", "show", str(doc["decision"]["id"]), "--statement")
    assert code == 2 and "no statement" in err  # allowed: nothing to tell the user
    code, _, err = run("cases", "show", "99")
    assert code == 1 and "case" in err and "99" in err
    assert _events(review_env)[-2:] == ["decision.recorded", "case.closed"]


def test_statements_outlive_an_edit_to_the_policy_file(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    policies = review_env / "policies"
    policies.mkdir()
    shutil.copy(SHIPPED / "platform-tos.yaml", policies / "platform-tos.yaml")
    monkeypatch.setenv("NIGEHBAN_POLICY_DIR", str(policies))
    scanned = _scan(_post(review_env / "a.jsonl", PRAISE), "platform-tos")
    decision = str(scanned["post"]["decision_id"])
    assert not scanned["post"]["review"]
    code, before, err = run("decisions", "show", decision, "--statement")
    assert code == 0, err
    text = (policies / "platform-tos.yaml").read_text()
    edited = text.replace("\nversion:", "\nversion: '9.9'\n# was:", 1)
    assert edited != text
    (policies / "platform-tos.yaml").write_text(edited)
    code, out, _ = run("--json", "policy", "show", "platform-tos")
    assert code == 0 and json.loads(out)["policy"]["version"] == "9.9"
    (policies / "zz.yaml").write_text("schema_version: 1\nname: broken\n")  # invalid
    code, after, err = run("decisions", "show", decision, "--statement")
    assert code == 0, err
    assert after == before  # cited from the archived version that made the decision
    code, _, err = run("decisions", "show", decision, "--transparency")
    assert code == 0, err


def test_an_appeal_is_decided_by_another_person(review_env: Path) -> None:
    scanned = _scan(_post(review_env / "a.jsonl", PRAISE))
    case = str(scanned["post"]["case_id"])
    code, out, err = run("--json", "cases", "decide", case, "--action", "remove",
                         "--reviewer", "amina", "--note", "praise and a call to join")  # fmt: skip
    assert code == 0, err
    removal = str(json.loads(out)["decision"]["id"])
    code, _, err = run("decisions", "appeal", str(scanned["post"]["decision_id"]), "--note", "x")
    assert code == 1 and "awaits human review" in err  # the engine's proposal never took effect
    code, out, err = run("--json", "decisions", "appeal", removal, "--note", "it was a poem")
    assert code == 0, err
    appeal = json.loads(out)
    assert appeal["kind"] == "appeal" and appeal["reason"] == "appeal: it was a poem"
    assert appeal["deadline"][:10] > appeal["opened_at"][:10]  # two weeks by default
    code, _, err = run("decisions", "appeal", removal, "--note", "again")
    assert code == 1 and "already under appeal" in err
    assert [c["id"] for c in _cases("open")] == [appeal["id"]]
    code, text, _ = run("cases", "list", "--kind", "appeal")
    assert code == 0 and "appeal" in text

    decide = ("--json", "cases", "decide", str(appeal["id"]), "--note", "a poem, not praise")
    code, _, err = run(*decide, "--action", "allow", "--reviewer", "Amina ")
    assert code == 1 and "another person decides the appeal" in err
    code, text, _ = run("decisions", "show", removal, "--statement")
    assert "We have received an appeal" in text and "within 14 days" in text
    code, out, err = run(*decide, "--action", "allow", "--reviewer", "bilal")
    assert code == 0, err
    done = json.loads(out)
    code, text, _ = run("decisions", "show", removal, "--statement")  # the appeal is spent
    assert code == 0 and "An appeal against this decision has been decided" in text
    assert done["case"]["resolution"].startswith("appeal reversed: allow")
    assert done["decision"]["details"]["case_kind"] == "appeal"
    code, _, err = run("decisions", "appeal", removal, "--note", "third time")
    assert code == 1 and "was decided on appeal" in err
    code, _, err = run("decisions", "appeal", str(done["decision"]["id"]), "--note", "x")
    assert code == 1 and "restricts nothing" in err
    events = _events(review_env)
    assert events.count("appeal.lodged") == 1 and events.count("case.closed") == 2


def test_the_appeal_window_closes(review_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    scanned = _scan(_post(review_env / "a.jsonl", PRAISE), "platform-tos")
    removal = str(scanned["post"]["decision_id"])
    assert scanned["post"]["action"] in {"restrict", "remove"} and not scanned["post"]["review"]
    code, _, err = run("decisions", "appeal", removal, "--note", " ")
    assert code == 1 and "reasons" in err
    store = Store.open(Settings(data_dir=review_env / "var"))
    try:
        late = datetime.now(UTC) + timedelta(days=181)
        with pytest.raises(ConflictError, match=r"appeal window .* closed at the end of"):
            lodge_appeal(store, "default", int(removal), "late", 180, 14, at=late)
        case = lodge_appeal(store, "default", int(removal), "in time", 180, 14)
        assert case.deadline is not None and case.deadline - case.opened_at == timedelta(days=14)
    finally:
        store.close()


def test_an_upheld_appeal_gets_a_statement_with_no_second_appeal(review_env: Path) -> None:
    scanned = _scan(_post(review_env / "a.jsonl", PRAISE), "platform-tos")
    removal = str(scanned["post"]["decision_id"])
    code, first, err = run("decisions", "show", removal, "--statement")
    assert code == 0 and "You can appeal to us until" in first, err
    code, out, err = run("--json", "decisions", "appeal", removal, "--note", "it is a poem")
    assert code == 0, err
    code, out, err = run("--json", "cases", "decide", str(json.loads(out)["id"]), "--action",
                         scanned["post"]["action"], "--reviewer", "bilal", "--note", "praise")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["case"]["resolution"].startswith("appeal upheld")
    code, final, err = run(
        "decisions", "show", str(json.loads(out)["decision"]["id"]), "--statement"
    )
    assert code == 0, err
    assert "cannot be appealed to us again" in final and "You can appeal to us until" not in final


SALUTE = "Heroes of the Majeed Brigade, we salute you"
SCAN_PAYLOADS = Path(__file__).resolve().parents[1] / "data" / "scan" / "payloads"


def test_each_policy_keeps_its_own_review_case(review_env: Path) -> None:
    eu = _scan(_post(review_env / "a.jsonl", SALUTE))
    tos = _scan(review_env / "a.jsonl", "platform-tos")
    assert eu["post"]["review"] and tos["post"]["review"]
    assert (tos["cases_opened"], tos["cases_updated"]) == (1, 0)
    by_policy = {c["policy"]: c for c in _cases("open")}
    assert by_policy["eu"]["decision_id"] == eu["post"]["decision_id"]
    assert by_policy["platform-tos"]["decision_id"] == tos["post"]["decision_id"]
    again = _scan(review_env / "a.jsonl", "eu")
    assert again["post"]["case_id"] == by_policy["eu"]["id"]  # the case that reviews it


def test_content_gone_ends_its_review_cases(review_env: Path) -> None:
    french = "Les militants ont attaqué un poste de police à Kech mardi."  # abstains: review
    abstained = _scan(_post(review_env / "a.jsonl", french))
    assert abstained["abstentions"] == 1 and abstained["post"]["case_id"]
    _scan(review_env / "a.jsonl", "platform-tos")
    _scan(_post(review_env / "b.jsonl", SALUTE, post_id="8"))  # violating: preserved
    assert len(_cases("open")) == 3
    code, _, err = run("erase", "x/account/u7")
    assert code == 0, err
    [kept] = _cases("open")
    assert kept["item"] == "x/post/8"  # its content is kept, and still to be reviewed
    closed = [c for c in _cases() if c["state"] == "closed"]
    assert {c["resolution"] for c in closed} == {"closed: the account was erased"}
    code, _, err = run("cases", "decide", str(closed[0]["id"]), "--action", "allow",
                       "--reviewer", "a", "--note", "n")  # fmt: skip
    assert code == 1 and "is closed, not open" in err


def test_the_statement_is_in_the_detected_language_and_promises_a_time(
    review_env: Path,
) -> None:
    out = review_env / "tg.jsonl"
    payload = SCAN_PAYLOADS / "telegram" / "getupdates.json"
    code, _, err = run("scan", str(payload), "--policy", "platform-tos", "-o", str(out))
    assert code == 0, err
    rows = {r["scoped_id"]: r for r in map(json.loads, out.read_text().splitlines())}
    praise = rows["-1001502221187/512"]  # Urdu glorification; Telegram sends no language
    assert praise["language"] == "ur" and praise["action"] == "remove"
    code, text, err = run("decisions", "show", str(praise["decision_id"]), "--statement")
    assert code == 0, err
    assert "ہم نے یہ کیوں کیا" in text and "14" in text
    code, record, err = run("decisions", "show", str(praise["decision_id"]), "--transparency")
    assert code == 0 and json.loads(record)["content_language"] == "UR", err
    code, _, err = run("scan", str(payload), "--policy", "eu", "-o", str(out))  # a person decides
    assert code == 0, err
    rows = {r["scoped_id"]: r for r in map(json.loads, out.read_text().splitlines())}
    code, done, err = run("--json", "cases", "decide", str(rows["-1001502221187/512"]["case_id"]),
                          "--action", "remove", "--reviewer", "amina", "--note", "n")  # fmt: skip
    assert code == 0, err
    decided = str(json.loads(done)["decision"]["id"])
    code, text, err = run("decisions", "show", decided, "--statement")
    assert code == 0 and "ہم نے یہ کیوں کیا" in text, err


def test_a_post_dated_in_the_future_still_gets_its_statement(review_env: Path) -> None:
    path = _post(review_env / "a.jsonl", PRAISE)
    path.write_text(path.read_text().replace("2026-12-01T10:00:00Z", "2031-01-01T00:00:00Z"))
    decision = str(_scan(path, "platform-tos")["post"]["decision_id"])
    code, text, err = run("decisions", "show", decision, "--statement")
    assert code == 0 and "2031" not in text, err


def test_a_reviewed_abstention_was_found_by_a_person(review_env: Path) -> None:
    french = "Les militants ont attaqué un poste de police à Kech mardi."
    case = str(_scan(_post(review_env / "a.jsonl", french))["post"]["case_id"])
    code, done, err = run("--json", "cases", "decide", case, "--action", "remove", "--category",
                          "glorification", "--reviewer", "amina", "--note", "n")  # fmt: skip
    assert code == 0, err
    decision = json.loads(done)["decision"]
    assert decision["automated_detection"] is False
    code, text, err = run("decisions", "show", str(decision["id"]), "--statement")
    assert code == 0 and "automated system flagged" not in text, err
    code, record, err = run("decisions", "show", str(decision["id"]), "--transparency")
    assert code == 0 and json.loads(record)["automated_detection"] == "No", err


def test_decisions_recorded_under_the_earlier_policy_hash_are_still_recognised(
    review_env: Path,
) -> None:
    first = _scan(_post(review_env / "a.jsonl", PRAISE), "pk")
    legacy = load_policies(None)["pk"].legacy_digest
    store = Store.open(Settings(data_dir=review_env / "var"))
    try:
        with store.db.write() as conn:
            conn.execute(update(decisions).values(policy_hash=legacy))
    finally:
        store.close()
    again = _scan(review_env / "a.jsonl", "pk")
    assert again["already_decided"] == again["decided"]  # nothing decided twice
    share = review_env / "share.jsonl"
    share.write_text(json.dumps({"platform": "x", "id": "50", "author": {"id": "u9"},
                                 "share_of": "7"}) + "\n")  # fmt: skip
    out = share.with_suffix(".out.jsonl")
    assert run("scan", str(share), "--policy", "pk", "-o", str(out))[0] == 0
    row = next(r for r in map(json.loads, out.read_text().splitlines()) if r["scoped_id"] == "50")
    assert row["action"] == first["post"]["action"] and "share.violating-origin" in row["rules"]
    code, _, err = run("decisions", "show", str(first["post"]["decision_id"]), "--statement")
    assert code == 0, err  # found among the loaded policies by the earlier hash


def test_a_platform_deletion_during_a_scan_counts_the_cases_it_closes(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NIGEHBAN_INGEST_PRIVATE_MESSAGES", "true")
    revoke = Path(__file__).resolve().parents[1] / "data" / "payloads" / "whatsapp"
    revoke /= "wa_cloud_webhook_revoke_deleted.json"
    value = json.loads(revoke.read_text())["entry"][0]["changes"][0]["value"]
    scoped = f"{value['metadata']['phone_number_id']}/"
    scoped += value["messages"][0]["revoke"]["original_message_id"]
    post = review_env / "wa.jsonl"
    post.write_text(json.dumps({"platform": "whatsapp", "id": scoped, "surface": "group",
                                "text": "Les militants ont attaqué un poste de police."}) + "\n")  # fmt: skip
    assert _scan(post)["post"]["case_id"]  # abstains: review
    code, out, err = run("--json", "scan", str(revoke), "--policy", "eu")
    assert code == 0, err
    summary = json.loads(out)
    assert summary["ingest"]["cases_closed"] == summary["cases_closed"] == 1
    assert _cases("open") == []


def _own_policy(env: Path, monkeypatch: pytest.MonkeyPatch, name: str) -> Path:
    policies = env / "policies"
    policies.mkdir(exist_ok=True)
    shutil.copy(SHIPPED / f"{name}.yaml", policies / f"{name}.yaml")
    monkeypatch.setenv("NIGEHBAN_POLICY_DIR", str(policies))
    return policies / f"{name}.yaml"


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_a_persons_decision_stands_when_its_revision_is_scanned_again(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eu = _own_policy(review_env, monkeypatch, "eu")
    scanned = _scan(_post(review_env / "a.jsonl", PRAISE))
    code, out, err = run("--json", "cases", "decide", str(scanned["post"]["case_id"]),
                         "--action", "allow", "--reviewer", "amina", "--note", "a poem")  # fmt: skip
    assert code == 0, err
    person = json.loads(out)["decision"]["id"]
    _edit(eu, "\nversion:", "\nversion: '9.9'\n# was:")  # a new policy version: a new hash
    again = _scan(review_env / "a.jsonl")
    assert again["already_decided"] == 1 and again["cases_opened"] == 0  # the account: anew
    assert again["post"]["decision_id"] == person and again["post"]["action"] == "allow"
    assert not again["post"]["review"] and "a person decided" in again["post"]["explanation"][0]
    assert [c["state"] for c in _cases()] == ["decided"]
    edited = _scan(_post(review_env / "b.jsonl", PRAISE_EDITED, "2026-12-02T10:00:00Z"))
    assert edited["cases_opened"] == 1  # new content is decided afresh


def _share(path: Path) -> Path:
    """A share (x/post/8) of the praise post x/post/7, which the payload carries."""
    path.write_text(json.dumps({"platform": "x", "id": "8", "author": {"id": "u8"},
                                "share_of": "7", "text": PRAISE}) + "\n")  # fmt: skip
    return path


def _tos_removal(env: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str, str]:
    """A post removed automatically under an own copy of platform-tos, and an appeal of it."""
    tos = _own_policy(env, monkeypatch, "platform-tos")
    removal = _scan(_post(env / "a.jsonl", PRAISE), "platform-tos")["post"]
    assert removal["action"] == "remove" and not removal["review"]
    code, out, err = run("--json", "decisions", "appeal", str(removal["decision_id"]),
                         "--note", "I was reporting it")  # fmt: skip
    assert code == 0, err
    return tos, str(removal["decision_id"]), str(json.loads(out)["id"])


def test_content_reinstated_on_appeal_is_not_removed_again_by_a_rescan(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tos, _, appeal = _tos_removal(review_env, monkeypatch)
    code, out, err = run("--json", "cases", "decide", appeal, "--action", "allow",
                         "--reviewer", "bilal", "--note", "a poem")  # fmt: skip
    assert code == 0, err
    _edit(tos, "\nversion:", "\nversion: '9.9'\n# was:")
    again = _scan(review_env / "a.jsonl", "platform-tos")["post"]
    assert again["action"] == "allow" and again["decision_id"] == json.loads(out)["decision"]["id"]


def test_a_case_closes_when_the_same_revision_no_longer_needs_review(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eu = _own_policy(review_env, monkeypatch, "eu")
    first = _scan(_post(review_env / "a.jsonl", PRAISE))
    assert first["cases_opened"] == 1
    _edit(eu, "required_for: [restrict, remove, suspend, escalate]", "required_for: [suspend]")
    again = _scan(review_env / "a.jsonl")
    assert not again["post"]["review"] and again["post"]["action"] == "remove"
    assert again["cases_closed"] == 1 and _cases("open") == []
    [closed] = _cases()
    assert "revision 1, decided again, needs no review" in closed["resolution"]


def test_while_an_appeal_is_open_the_statement_says_so(review_env: Path) -> None:
    removal = str(
        _scan(_post(review_env / "a.jsonl", PRAISE), "platform-tos")["post"]["decision_id"]
    )
    code, _, err = run("--json", "decisions", "appeal", removal, "--note", "it is a poem")
    assert code == 0, err
    code, text, err = run("decisions", "show", removal, "--statement")
    assert code == 0, err
    assert "We have received an appeal" in text and "You can appeal to us until" not in text


def test_an_escalation_a_person_confirms_is_stated_as_the_removal_it_carries(
    review_env: Path,
) -> None:
    scanned = _scan(_post(review_env / "a.jsonl", PRAISE))
    case = str(scanned["post"]["case_id"])
    decide = ("--json", "cases", "decide", case, "--action", "escalate", "--reviewer", "amina",
              "--note", "a call to join, naming a time")  # fmt: skip
    code, _, err = run(*decide, "--category", "news")
    assert code == 1 and "news is a protected category" in err  # invariants hold for escalation
    code, _, err = run(*decide, "--ground", "tco-art-14-5")
    assert code == 1 and "cannot be cited" in err  # the user's ground is the category's
    code, out, err = run(*decide)
    assert code == 0, err
    escalation = json.loads(out)["decision"]
    assert escalation["details"]["notify_authorities"] and escalation["details"]["ground_id"]
    code, text, err = run("decisions", "show", str(escalation["id"]), "--statement")
    assert code == 0, err
    assert "no longer available" in text and "escalat" not in text.lower()
    assert "authorit" not in text.lower() and "14(5)" not in text
    code, record, err = run("decisions", "show", str(escalation["id"]), "--transparency")
    assert code == 0 and "escalat" not in record.lower(), err
    code, out, err = run("--json", "decisions", "appeal", str(escalation["id"]), "--note", "x")
    assert code == 0 and json.loads(out)["kind"] == "appeal", err


def test_a_case_from_before_the_archive_is_decided_under_its_policy_as_it_is_now(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eu = _own_policy(review_env, monkeypatch, "eu")
    case = str(_scan(_post(review_env / "a.jsonl", PRAISE))["post"]["case_id"])
    store = Store.open(Settings(data_dir=review_env / "var"))
    try:
        with store.db.write() as conn:  # as a database upgraded from 0003 holds it
            conn.execute(delete(policy_versions))
    finally:
        store.close()
    _edit(eu, "\nversion:", "\nversion: '9.9'\n# was:")  # the version that decided is gone
    decide = ("--json", "cases", "decide", case, "--action", "remove", "--reviewer", "amina",
              "--note", "praise and a call to join")  # fmt: skip
    code, out, err = run(*decide)
    assert code == 0, err
    person = json.loads(out)["decision"]
    assert person["policy_hash"] == load_policies(eu.parent)["eu"].digest
    code, text, err = run("decisions", "show", str(person["id"]), "--statement")
    assert code == 0 and "Regulation (EU) 2021/784" in text, err


def test_a_share_follows_its_origins_persons_decision_under_an_edited_policy(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eu = _own_policy(review_env, monkeypatch, "eu")
    share = _share(review_env / "share.jsonl")
    out = share.with_suffix(".out.jsonl")
    assert run("scan", str(share), "--policy", "eu", "-o", str(out))[0] == 0
    rows = _rows(out)
    code, text, err = run("cases", "decide", str(rows["7"]["case_id"]), "--action", "remove",
                          "--reviewer", "amina", "--note", "praise")  # fmt: skip
    assert code == 0, err
    # the share follows at once, and eu still asks a person before its removal: its case moves
    latest = _decisions("x/post/8")[-1]
    assert f"share x/post/8 follows: remove (decision {latest['id']}; case " in text
    [moved] = _cases("open")
    assert (moved["item"], moved["id"], moved["decision_id"]) == (
        "x/post/8",
        rows["8"]["case_id"],
        latest["id"],
    )
    _edit(eu, "\nversion:", "\nversion: '9.9'\n# was:")
    code, _, err = run("scan", str(share), "--policy", "eu", "-o", str(out))
    assert code == 0, err
    rows = {r["scoped_id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert rows["7"]["action"] == "remove" and "a person decided" in rows["7"]["explanation"][0]
    assert rows["8"]["action"] == "remove" and "share.violating-origin" in rows["8"]["rules"]
    assert [c["item"] for c in _cases("open")] == ["x/post/8"]  # still for a person


def test_an_appeal_decided_closes_the_review_case_a_rescan_opened_on_that_revision(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tos, _, appeal = _tos_removal(review_env, monkeypatch)
    _edit(tos, "required_for: [suspend, escalate]", "required_for: [remove, suspend, escalate]")
    again = _scan(review_env / "a.jsonl", "platform-tos")
    assert again["post"]["review"] and again["cases_opened"] == 1
    code, _, err = run("cases", "decide", appeal, "--action", "allow", "--reviewer", "bilal",
                       "--note", "a report, not praise")  # fmt: skip
    assert code == 0, err
    assert _cases("open") == []  # deciding the review case would overrule the appeal
    [review] = [c for c in _cases() if c["kind"] == "review"]
    assert review["resolution"].startswith("superseded: a person decided revision 1")
    assert _scan(review_env / "a.jsonl", "platform-tos")["post"]["action"] == "allow"


def test_one_appeal_answers_for_every_decision_on_the_same_content(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tos, _, appeal = _tos_removal(review_env, monkeypatch)
    _edit(tos, "\nversion:", "\nversion: '9.9'\n# was:")
    again = _scan(review_env / "a.jsonl", "platform-tos")["post"]  # a new decision, same revision
    assert again["action"] == "remove" and not again["review"]
    code, text, err = run("decisions", "show", str(again["decision_id"]), "--statement")
    assert code == 0 and "We have received an appeal" in text, err
    code, _, err = run("decisions", "appeal", str(again["decision_id"]), "--note", "again")
    assert code == 1 and f"already under appeal in case {appeal}" in err
    code, _, err = run("cases", "decide", appeal, "--action", "allow", "--reviewer", "bilal",
                       "--note", "a report")  # fmt: skip
    assert code == 0, err
    code, text, err = run("decisions", "show", str(again["decision_id"]), "--statement")
    assert code == 0 and "An appeal against this decision has been decided" in text, err
    assert _scan(review_env / "a.jsonl", "platform-tos")["post"]["action"] == "allow"


def test_an_item_stored_under_a_look_alike_id_can_still_be_shown_and_erased(
    review_env: Path,
) -> None:
    _scan(_post(review_env / "a.jsonl", NEWS))
    store = Store.open(Settings(data_dir=review_env / "var"))
    try:
        with store.db.write() as conn:  # as a release before look-alikes were refused stored it
            conn.execute(
                update(items).where(items.c.ref_key == "x/account/u7")
                .values(ref_key="x/account/u7\u200b")
            )  # fmt: skip
    finally:
        store.close()
    code, out, err = run("--json", "items", "show", "x/account/u7\u200b")
    assert code == 0 and json.loads(out)["state"] == "active", err
    code, out, err = run("--json", "erase", "x/account/u7\u200b")
    assert code == 0 and json.loads(out)["erased"] == 1, err
    code, out, err = run("--json", "items", "show", "x/account/u7\u200b")
    assert code == 0 and json.loads(out)["state"] == "erased", err


def test_a_share_follows_its_origin_reinstated_on_appeal(review_env: Path) -> None:
    share = _share(review_env / "share.jsonl")
    out = share.with_suffix(".out.jsonl")

    def scanned() -> dict[str, dict[str, Any]]:
        code, _, err = run("scan", str(share), "--policy", "platform-tos", "-o", str(out))
        assert code == 0, err
        return {r["scoped_id"]: r for r in map(json.loads, out.read_text().splitlines())}

    first = scanned()
    assert first["7"]["action"] == first["8"]["action"] == "remove"
    code, done, err = run("--json", "decisions", "appeal", str(first["7"]["decision_id"]),
                          "--note", "a poem")  # fmt: skip
    assert code == 0, err
    code, _, err = run("cases", "decide", str(json.loads(done)["id"]), "--action", "allow",
                       "--reviewer", "bilal", "--note", "a poem")  # fmt: skip
    assert code == 0, err
    again = scanned()
    assert again["7"]["action"] == "allow"
    assert (
        again["8"]["action"] == "allow" and again["8"]["decision_id"] != first["8"]["decision_id"]
    )
    code, shown, err = run("--json", "decisions", "show", str(again["8"]["decision_id"]))
    assert code == 0 and json.loads(shown)["action"] == "allow", err
    assert scanned()["8"]["decision_id"] == again["8"]["decision_id"]  # and then stays decided


def _as_before_the_archive(env: Path) -> None:
    """The store as a database upgraded from 0003 holds it: no policy archived, no case
    naming its policy."""
    store = Store.open(Settings(data_dir=env / "var"))
    try:
        with store.db.write() as conn:
            conn.execute(delete(policy_versions))
            conn.execute(update(cases).values(policy=None))
    finally:
        store.close()


def test_a_case_from_before_0004_closes_when_a_later_revision_needs_no_review(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    eu = _own_policy(review_env, monkeypatch, "eu")
    assert _scan(_post(review_env / "a.jsonl", PRAISE))["cases_opened"] == 1
    _as_before_the_archive(review_env)
    _edit(eu, "\nversion:", "\nversion: '9.9'\n# was:")
    news = _scan(_post(review_env / "b.jsonl", NEWS, "2026-12-02T10:00:00Z"))
    assert news["post"]["action"] == "allow" and news["cases_closed"] == 1
    assert _cases("open") == []


def test_an_appeal_and_a_review_from_before_the_archive_are_decided_under_the_policy_now(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tos = _own_policy(review_env, monkeypatch, "platform-tos")
    removal = _scan(_post(review_env / "a.jsonl", PRAISE), "platform-tos")["post"]
    salute = _scan(_post(review_env / "b.jsonl", SALUTE, post_id="8"), "platform-tos")["post"]
    assert salute["review"] and salute["case_id"]
    _as_before_the_archive(review_env)
    code, out, err = run("--json", "decisions", "appeal", str(removal["decision_id"]),
                         "--note", "a poem")  # fmt: skip
    assert code == 0 and json.loads(out)["policy"] is None, err  # nothing archived to name it
    _edit(tos, "\nversion:", "\nversion: '9.9'\n# was:")
    for case in (json.loads(out)["id"], salute["case_id"]):
        code, done, err = run("--json", "cases", "decide", str(case), "--action", "allow",
                              "--reviewer", "bilal", "--note", "not praise")  # fmt: skip
        assert code == 0, err
        assert (
            json.loads(done)["decision"]["policy_hash"]
            == load_policies(tos.parent)["platform-tos"].digest
        )


def test_a_case_from_before_0004_is_left_to_the_policy_whose_decision_it_reviews(
    review_env: Path,
) -> None:
    eu = _scan(_post(review_env / "a.jsonl", PRAISE))
    assert eu["cases_opened"] == 1
    _as_before_the_archive(review_env)
    tos = _scan(review_env / "a.jsonl", "platform-tos")["post"]  # no review under the terms
    assert not tos["review"]
    assert [c["state"] for c in _cases()] == ["open"]  # eu's case is eu's to close
    code, out, err = run("--json", "decisions", "appeal", str(tos["decision_id"]), "--note", "x")
    assert code == 0, err
    code, _, err = run("cases", "decide", str(json.loads(out)["id"]), "--action", "allow",
                       "--reviewer", "bilal", "--note", "a poem")  # fmt: skip
    assert code == 0, err
    [review] = [c for c in _cases() if c["kind"] == "review"]
    assert review["state"] == "open"  # an appeal under the terms does not decide eu's case


def test_a_share_of_a_share_is_decided_after_the_share_it_shares(review_env: Path) -> None:
    chain = review_env / "chain.jsonl"
    chain.write_text(
        json.dumps({"platform": "x", "id": "9", "author": {"id": "u9"}, "share_of": "8"}) + "\n"
        + json.dumps({"platform": "x", "id": "8", "author": {"id": "u8"}, "share_of": "7",
                      "text": PRAISE}) + "\n"
    )  # fmt: skip
    out = chain.with_suffix(".out.jsonl")
    code, _, err = run("scan", str(chain), "--policy", "platform-tos", "-o", str(out))
    assert code == 0, err
    rows = {r["scoped_id"]: r for r in map(json.loads, out.read_text().splitlines())}
    assert rows["7"]["action"] == rows["8"]["action"] == rows["9"]["action"] == "remove"
    code, summary, err = run("--json", "scan", str(chain), "--policy", "platform-tos")
    assert code == 0 and json.loads(summary)["already_decided"] == json.loads(summary)["decided"]


def _bare_share(path: Path, share_id: str = "9", of: str = "8") -> Path:
    """A retweet whose origin's content the payload does not carry."""
    path.write_text(json.dumps({"platform": "x", "id": share_id, "author": {"id": "u" + share_id},
                                "share_of": of}) + "\n")  # fmt: skip
    return path


def _rows(out: Path) -> dict[str, dict[str, Any]]:
    return {r["scoped_id"]: r for r in map(json.loads, out.read_text().splitlines())}


def test_a_share_stored_before_its_origin_is_decided_again_when_the_origin_is(
    review_env: Path,
) -> None:
    share = _bare_share(review_env / "share.jsonl")
    out = review_env / "out.jsonl"
    code, _, err = run("scan", str(share), "--policy", "platform-tos", "-o", str(out))
    assert code == 0, err
    first = _rows(out)["9"]
    assert first["action"] == "allow"
    assert any("origin's decision was not supplied" in e for e in first["explanation"])
    origin = _post(review_env / "origin.jsonl", PRAISE, post_id="8")
    code, summary, err = run("--json", "scan", str(origin), "--policy", "platform-tos",
                             "-o", str(out))  # fmt: skip
    assert code == 0, err
    rows = _rows(out)
    assert rows["8"]["action"] == "remove"
    assert rows["9"]["action"] == "remove" and "share.violating-origin" in rows["9"]["rules"]
    assert rows["9"]["decision_id"] != first["decision_id"]
    assert json.loads(summary)["shares_decided_again"] == 0  # decided in an earlier scan
    code, shown, err = run("--json", "decisions", "list")
    assert code == 0, err
    kept = sorted((d["id"], d["action"]) for d in json.loads(shown) if d["item"] == "x/post/9")
    assert [action for _, action in kept] == ["allow", "remove"]  # the first stays
    code, summary, err = run("--json", "scan", str(origin), "--policy", "platform-tos")
    assert code == 0 and json.loads(summary)["already_decided"] == json.loads(summary)["decided"]


def test_a_share_in_an_earlier_batch_of_the_scan_is_counted_once_with_its_later_decision(
    review_env: Path,
) -> None:
    share = _bare_share(review_env / "a-share.jsonl")
    chained = _bare_share(review_env / "b-share.jsonl", "10", of="9")  # a share of the share
    origin = _post(review_env / "c-origin.jsonl", PRAISE, post_id="8")
    out = review_env / "out.jsonl"
    code, summary, err = run("--json", "scan", str(share), str(chained), str(origin),
                             "--policy", "platform-tos", "-o", str(out))  # fmt: skip
    assert code == 0, err
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["action"] for r in lines if r["scoped_id"] == "9"] == ["allow", "remove"]
    assert [r["action"] for r in lines if r["scoped_id"] == "10"] == ["allow", "remove"]
    report = json.loads(summary)
    assert report["shares_decided_again"] == 2
    posts = len({r["scoped_id"] for r in lines if r["kind"] == "post"})
    accounts = len({r["scoped_id"] for r in lines if r["kind"] == "account"})
    assert report["decided"] == posts + accounts == 6
    assert report["by_action"]["remove"] == 3


def test_a_share_a_person_decided_is_not_decided_again_when_its_origin_is(
    review_env: Path,
) -> None:
    out = review_env / "out.jsonl"
    share = _share(review_env / "share.jsonl")
    assert run("scan", str(share), "--policy", "eu", "-o", str(out))[0] == 0
    cases = {r["scoped_id"]: str(r["case_id"]) for r in _rows(out).values() if r["case_id"]}
    for item, action in (("8", "allow"), ("7", "remove")):
        code, _, err = run("cases", "decide", cases[item], "--action", action,
                           "--reviewer", "amina", "--note", "checked")  # fmt: skip
        assert code == 0, err
    code, _, err = run(
        "scan", str(_post(review_env / "a.jsonl", PRAISE)), "--policy", "eu", "-o", str(out)
    )
    assert code == 0 and set(_rows(out)) == {"7", "u7"}, err
    code, shown, err = run("--json", "decisions", "list")
    assert code == 0, err
    latest = max((d for d in json.loads(shown) if d["item"] == "x/post/8"), key=lambda d: d["id"])
    assert latest["action"] == "allow" and latest["rules"][0] == "review.decided"


def test_a_reviewers_decision_reaches_a_share_stored_before_its_origin_at_once(
    review_env: Path,
) -> None:
    out = review_env / "out.jsonl"
    share = _bare_share(review_env / "share.jsonl")
    origin = _post(review_env / "origin.jsonl", PRAISE, post_id="8")
    code, _, err = run("scan", str(share), str(origin), "--policy", "eu", "-o", str(out))
    assert code == 0, err
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    case = next(r["case_id"] for r in lines if r["scoped_id"] == "8")
    followed = [r for r in lines if r["scoped_id"] == "9"][-1]
    assert followed["action"] == "remove" and followed["case_id"]  # eu: a person decides
    code, text, err = run("cases", "decide", str(case), "--action", "allow", "--reviewer",
                          "bilal", "--note", "a poem about the war, not a call")  # fmt: skip
    assert code == 0, err
    assert "share x/post/9 follows: allow (decision " in text and "its open case closed" in text
    assert _cases("open") == []  # the share's case went with the removal it reviewed
    code, summary, err = run("--json", "scan", "--stored", "x/post/8", "--policy", "eu",
                             "-o", str(out))  # fmt: skip
    assert code == 0, err
    rows = _rows(out)
    assert rows["8"]["action"] == "allow" and "a person decided" in rows["8"]["explanation"][0]
    assert "9" not in rows  # it follows the reviewer's decision already
    assert json.loads(summary)["decided"] == json.loads(summary)["already_decided"] == 1
    code, summary, err = run("--json", "scan", "--stored", "--policy", "eu")  # every item
    assert code == 0 and json.loads(summary)["already_decided"] == 4, err  # and accounts
    code, shown, err = run("--json", "decisions", "list")
    assert code == 0, err
    kept = sorted((d["id"], d["action"]) for d in json.loads(shown) if d["item"] == "x/post/9")
    assert [action for _, action in kept] == ["allow", "remove", "allow"]  # none overwritten


COUNTER = "This praise of the Kech attackers is vile propaganda: report it, never share it."


def _decisions(item: str) -> list[dict[str, Any]]:
    """The decisions on ``item``, oldest first."""
    code, shown, err = run("--json", "decisions", "list", "--limit", "1000")
    assert code == 0, err
    return sorted((d for d in json.loads(shown) if d["item"] == item), key=lambda d: d["id"])


def test_a_reviewers_decision_reaches_the_stored_retweets_of_the_post_in_its_transaction(
    review_env: Path,
) -> None:
    payload = review_env / "feed.jsonl"
    payload.write_text("".join(json.dumps(r) + "\n" for r in (
        {"platform": "x", "id": "20", "author": {"id": "u20"}, "text": SALUTE},
        {"platform": "x", "id": "21", "author": {"id": "u21"}, "share_of": "20"},
        {"platform": "x", "id": "22", "author": {"id": "u22"}, "quote_of": "20", "text": COUNTER},
        {"platform": "x", "id": "23", "author": {"id": "u23"}, "share_of": "20"},
    )))  # fmt: skip
    out = review_env / "out.jsonl"
    assert run("scan", str(payload), "--policy", "pk", "-o", str(out))[0] == 0
    rows = _rows(out)
    assert rows["20"]["review"] and rows["21"]["review"] and rows["23"]["review"]
    assert rows["22"]["action"] == "allow"  # a quote: its own stance decides
    quote = _decisions("x/post/22")
    code, _, err = run("cases", "decide", str(rows["23"]["case_id"]), "--action", "allow",
                       "--reviewer", "amina", "--note", "a journalist's archive")  # fmt: skip
    assert code == 0, err
    before = _events(review_env)

    code, out_json, err = run("--json", "cases", "decide", str(rows["20"]["case_id"]),
                              "--action", "remove", "--reviewer", "bilal",
                              "--note", "salutes the attackers")  # fmt: skip
    assert code == 0, err
    doc = json.loads(out_json)
    person = doc["decision"]
    *earlier, latest = _decisions("x/post/21")
    assert [d["id"] for d in earlier] == [rows["21"]["decision_id"]]  # it stays
    assert latest["action"] == "remove" and latest["details"]["origin_decision_id"] == person["id"]
    [share] = doc["shares"]  # the retweet a person decided, and the quote, are left alone
    assert (share["scoped_id"], share["action"]) == ("21", "remove")
    assert share["rules"] == ["share.violating-origin"] and not share["review"]
    assert share["decision_id"] == latest["id"]
    for name in ("policy_hash", "model_hash", "registry_hash", "bank_hash"):
        assert latest[name] == person[name], name
    assert latest["automated_decision"] and not person["automated_decision"]
    assert _decisions("x/post/22") == quote
    assert _decisions("x/post/23")[-1]["rules"][0] == "review.decided"
    assert _decisions("x/post/23")[-1]["action"] == "allow"
    closed = {c["item"]: c for c in _cases("closed")}
    assert closed["x/post/21"]["resolution"].startswith("superseded: revision 1, decided again")
    assert _cases("open") == []
    added = _events(review_env)[len(before) :]
    assert added.count("decision.recorded") == 2 and added.count("case.closed") == 2

    code, summary, err = run("--json", "scan", "--stored", "x/post/20", "x/post/21", "x/post/22",
                             "x/post/23", "--policy", "pk")  # fmt: skip
    assert code == 0, err
    report = json.loads(summary)  # the scan finds every decision as it would have made it
    assert report["decided"] == report["already_decided"] == 4
    assert report["shares_decided_again"] == 0


def test_a_stored_rescan_names_the_keys_it_cannot_decide(review_env: Path) -> None:
    _scan(_post(review_env / "a.jsonl", NEWS))
    code, out, err = run("--json", "scan", "--stored", "x/post/7", "x/post/404", "no key")
    assert code == 1
    report = json.loads(out)
    assert report["decided"] == 1
    assert [e["source"] for e in report["errors"]] == ["x/post/404", "no key"]
    code, _, err = run("scan", str(review_env / "a.jsonl"), "--stored")
    assert code == 2 and "not both" in err
    code, _, err = run("scan")
    assert code == 2 and "--stored" in err


def test_a_share_decided_again_early_in_a_scan_is_not_decided_twice_when_it_comes_later(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run("scan", str(_bare_share(review_env / "share.jsonl")))[0] == 0
    both = review_env / "both.jsonl"  # the origin, then the share stored by the first scan
    both.write_text(_post(review_env / "o.jsonl", PRAISE, post_id="8").read_text()
                    + (review_env / "share.jsonl").read_text())  # fmt: skip
    monkeypatch.setenv("NIGEHBAN_INGEST_BATCH_SIZE", "1")
    out = review_env / "out.jsonl"
    code, summary, err = run("--json", "scan", str(both), "-o", str(out))
    assert code == 0, err
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r["action"] for r in lines if r["scoped_id"] == "9"] == ["remove"]  # one line
    report = json.loads(summary)
    assert report["shares_decided_again"] == 0  # its first decision was an earlier scan's
    assert report["already_decided"] == 1  # the share's author only
    assert report["decided"] == len(lines) == 4


@pytest.mark.parametrize("cycle", [[("50", "50")], [("61", "62"), ("62", "61")]])
def test_a_share_that_shares_itself_down_its_chain_is_decided_once(
    review_env: Path, cycle: list[tuple[str, str]]
) -> None:
    payload = review_env / "cycle.jsonl"
    payload.write_text("".join(json.dumps({"platform": "x", "id": share, "author": {"id": "u"},
                                           "share_of": of}) + "\n" for share, of in cycle))  # fmt: skip
    for _ in range(3):
        code, summary, err = run("--json", "scan", str(payload))
        assert code == 0, err
    report = json.loads(summary)
    assert report["already_decided"] == report["decided"] and report["shares_decided_again"] == 0
    code, shown, err = run("--json", "decisions", "list")
    assert code == 0, err
    assert len([d for d in json.loads(shown) if d["item"].startswith("x/post/")]) == len(cycle)


# -- what a person decided: preservation, the escalation a reviewer turned down, who decides --


def _erase() -> dict[str, Any]:
    code, out, err = run("--json", "erase", "x/account/u7")
    assert code == 0, err
    report: dict[str, Any] = json.loads(out)
    return report


def test_a_pending_review_keeps_the_content(review_env: Path) -> None:
    post = _scan(_post(review_env / "a.jsonl", PRAISE))["post"]
    assert post["action"] == "remove" and post["review"]
    assert _erase()["preserved_by_decision"] == 1


@pytest.mark.parametrize("action", ["allow", "remove"])
def test_content_a_reviewer_allowed_is_erased_and_content_removed_kept(
    review_env: Path, action: str
) -> None:
    post = _scan(_post(review_env / "a.jsonl", PRAISE))["post"]
    code, _, err = run("cases", "decide", str(post["case_id"]), "--action", action,
                       "--reviewer", "amina", "--note", "checked")  # fmt: skip
    assert code == 0, err
    report = _erase()
    assert report["preserved_by_decision"] == (action == "remove")
    assert report["account_kept"] is (action == "remove")


def test_content_reinstated_on_appeal_is_erased(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _, _, appeal = _tos_removal(review_env, monkeypatch)
    code, _, err = run("cases", "decide", appeal, "--action", "allow", "--reviewer", "bilal",
                       "--note", "reinstated")  # fmt: skip
    assert code == 0, err
    assert _erase()["preserved_by_decision"] == 0


@pytest.mark.parametrize("action", ["remove", "restrict", "label"])
def test_an_escalation_turned_down_states_no_escalation_rule(review_env: Path, action: str) -> None:
    payloads = Path(__file__).resolve().parents[1] / "data" / "scan" / "payloads" / "generic"
    line = next(r for r in (payloads / "posts.jsonl").read_text().splitlines() if '"G13"' in r)
    (review_env / "g13.jsonl").write_text(line + "\n")
    post = _scan(review_env / "g13.jsonl", "platform-tos")["post"]
    assert post["action"] == "escalate" and "escalate.imminent-threat" in post["rules"]
    code, text, err = run("--json", "cases", "decide", str(post["case_id"]), "--action", action,
                          "--reviewer", "amina", "--note", "no imminent threat")  # fmt: skip
    assert code == 0, err
    decision = str(json.loads(text)["decision"]["id"])
    for lang in ("en", "ur", "ur-Latn", "ps"):
        code, text, err = run(
            "--json", "decisions", "show", decision, "--statement", "--lang", lang
        )
        assert code == 0, err
        statement = json.loads(text)
        assert "escalate" not in statement["body"] and "imminent" not in statement["body"]
        assert "escalate" not in statement["fields"]["rules"]
    code, text, err = run("decisions", "show", decision, "--transparency")
    assert code == 0 and "escalate" not in text and "imminent" not in text, err


@pytest.mark.parametrize("alias", ["Amina ", "amina\u200b", "\uff41mina", "a\u00admina"])
def test_a_look_alike_name_cannot_decide_the_appeal(review_env: Path, alias: str) -> None:
    post = _scan(_post(review_env / "a.jsonl", PRAISE))["post"]
    code, text, err = run("--json", "cases", "decide", str(post["case_id"]), "--action", "remove",
                          "--reviewer", "amina", "--note", "praise")  # fmt: skip
    assert code == 0, err
    decision = json.loads(text)["decision"]["id"]
    code, text, err = run("--json", "decisions", "appeal", str(decision), "--note", "news")
    assert code == 0, err
    code, _, err = run("--json", "cases", "decide", str(json.loads(text)["id"]), "--action",
                       "allow", "--reviewer", alias, "--note", "mine")  # fmt: skip
    assert code == 1 and "another person decides the appeal" in err


def test_a_reviewers_suspension_cites_the_account_ground(review_env: Path) -> None:
    post = _scan(_post(review_env / "a.jsonl", PRAISE))["post"]
    assert post["ground"] and "2021/784" in post["ground"]
    code, out, err = run("--json", "cases", "decide", str(post["case_id"]), "--action",
                         "suspend", "--reviewer", "amina", "--note", "a recruiter's account")  # fmt: skip
    assert code == 0, err
    decision = json.loads(out)["decision"]
    assert decision["details"]["ground_id"] == "eu-terms-accounts"
    code, text, err = run("decisions", "show", str(decision["id"]), "--statement")
    assert code == 0 and "accounts that repeatedly post terrorist content" in text, err


def test_tables_show_texts_and_notes_as_written_without_bidi_controls(
    review_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A post or a note holding what looks like markup ([/x]) was read as markup and the table
    raised; a right-to-left override could reorder what the reviewer reads."""
    _post(review_env / "a.jsonl", PRAISE + " [/x] \u202eesiarp")
    removal = _scan(review_env / "a.jsonl", "platform-tos")["post"]
    code, out, err = run("items", "show", "x/post/7")
    assert code == 0, err
    assert "[/x]" in out and "\u202e" not in out and "esiarp" in out
    code, _, err = run("decisions", "appeal", str(removal["decision_id"]), "--note", "a [/b] poem")
    assert code == 0, err
    code, out, err = run("cases", "list", "--state", "all")
    assert code == 0 and "Traceback" not in err, err
