"""The CLI as a user runs it: main(argv) with settings from the environment."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from nigehban.cli.main import main
from tests.cli_support import run

PAYLOADS = Path(__file__).resolve().parent / "data" / "payloads"


def run_json(*argv: str) -> tuple[int, object]:
    code, out, err = run("--json", *argv)
    return code, json.loads(out) if out.strip() else err


def test_unmigrated_database_is_exit_3(env: Path) -> None:
    code, _, err = run("ingest", str(PAYLOADS))
    assert code == 3 and "nigehban db upgrade" in err


def test_usage_errors_are_exit_2(env: Path) -> None:
    stream = io.StringIO()
    assert main(["no-such-command"], stdout=io.StringIO(), stderr=stream) == 2
    assert "invalid choice: 'no-such-command'" in stream.getvalue()
    assert run("db", "upgrade")[0] == 0
    code, _, err = run("erase", "x/post/1")
    assert code == 2 and "not an account" in err
    code, _, err = run("erase", "whatsapp/post/923001234567")  # a number, masked in the error
    assert code == 2 and "not an account" in err and "923001234567" not in err


def test_json_mode_errors_are_json_in_the_api_shape(env: Path) -> None:
    code, out, err = run("--json", "ingest", str(PAYLOADS))
    assert code == 3 and out == ""
    doc = json.loads(err)
    assert doc["error"]["type"] == "DependencyError"
    assert "nigehban db upgrade" in doc["error"]["message"]
    assert run("db", "upgrade")[0] == 0
    code, _, err = run("--json", "decisions", "show", "99")
    assert code == 1 and json.loads(err) == {
        "error": {"type": "NotFoundError", "message": "decision not found: 99"}
    }
    code, _, err = run("decisions", "show", "99")
    assert err.startswith("error: ")


def test_a_read_never_creates_a_tenant(env: Path) -> None:
    assert run("db", "upgrade")[0] == 0
    command: tuple[str, ...]
    for command in (("cases", "--tenant", "nope", "list"), ("decisions", "--tenant", "nope", "list"),
                    ("keys", "--tenant", "nope", "list"), ("audit", "--tenant", "nope", "verify")):  # fmt: skip
        code, _, err = run(*command)
        assert code == 1 and "tenant not found: nope" in err, (command, err)
    for command in (("cases", "--tenant", "nope", "decide", "1", "--action", "allow",
                     "--reviewer", "a", "--note", "n"),
                    ("decisions", "--tenant", "nope", "appeal", "1", "--note", "n")):  # fmt: skip
        code, _, err = run(*command)
        assert code == 1 and "tenant not found: nope" in err, (command, err)
    code, out, _ = run("--json", "audit", "verify")
    assert code == 0 and json.loads(out)["events"] == 1  # the default tenant's creation only


def test_bad_config_is_exit_2(env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NIGEHBAN_PORT", "eighty")
    code, _, err = run("db", "upgrade")
    assert code == 2 and "port" in err


def test_ingest_every_shared_payload_then_again_adds_nothing(env: Path) -> None:
    assert run("db", "upgrade")[0] == 0
    code, first = run_json("ingest", str(PAYLOADS))
    assert isinstance(first, dict)
    assert code == 0, first["errors"]
    assert first["errors"] == []
    assert first["items"]["created"] > 100
    assert first["skipped_files"], "PROVENANCE.txt and notes are listed as skipped"
    reasons = {s["reason"] for s in first["skipped"]}
    assert any("private message" in r for r in reasons)
    code, again = run_json("ingest", str(PAYLOADS))
    assert isinstance(again, dict)
    assert code == 0
    assert again["items"]["created"] == 0
    assert again["items"]["revised"] == 0
    assert again["items"]["conflicts"] == 0
    assert again["tombstones"] == 0
    code, audit = run_json("audit", "verify")
    assert code == 0 and isinstance(audit, dict) and audit["intact"]


def test_ingest_summary_table_and_error_exit(env: Path) -> None:
    run("db", "upgrade")
    bad = env / "bad.json"
    bad.write_text("{")
    code, out, err = run("ingest", str(bad))
    assert code == 1
    assert "Ingest" in out and "errors" in out
    assert f"error: {bad}: invalid JSON" in err


def test_keys_holds_items_purge_erase(env: Path) -> None:
    run("db", "upgrade")
    record = env / "a.jsonl"
    record.write_text(
        json.dumps(
            {"platform": "x", "id": "1", "text": "hello", "author": {"id": "42", "handle": "h"}}
        )
        + "\n"
    )
    assert run("ingest", str(record))[0] == 0
    code, key = run_json("keys", "create", "team")
    assert code == 0 and isinstance(key, dict) and key["token"].startswith("ngh_")
    code, keys = run_json("keys", "list")
    assert isinstance(keys, list) and [k["name"] for k in keys] == ["team"]
    assert "token" not in keys[0]
    assert run("keys", "revoke", key["id"])[0] == 0
    assert run("keys", "revoke", key["id"])[0] == 1
    code, shown = run_json("items", "show", "x/post/1")
    assert code == 0 and isinstance(shown, dict) and shown["item"]["text"] == "hello"
    code, hold = run_json("holds", "place", "x/account/42", "--reason", "order 7/2025")
    assert code == 0 and isinstance(hold, dict)
    code, _, err = run("erase", "x/account/42")
    assert code == 1 and "legal hold" in err
    assert run("holds", "release", str(hold["hold_id"]))[0] == 0
    code, erased = run_json("erase", "x/account/42")
    assert code == 0 and erased == {
        "erased": 2,
        "preserved_by_decision": 0,
        "held": 0,
        "holds": [],
        "account_kept": False,
        "account": "x/account/42",
        "quarantined": 0,
    }
    code, shown = run_json("items", "show", "x/post/1")
    assert isinstance(shown, dict) and shown["state"] == "erased" and shown["item"] is None
    code, purge = run_json("purge", "--dry-run")
    assert code == 0 and isinstance(purge, dict) and purge["dry_run"] is True
    code, _, err = run("items", "show", "x/post/404")
    assert code == 1 and "not found" in err


def test_a_hold_on_a_key_nothing_is_stored_under_is_refused(env: Path) -> None:
    """A hold is matched by an item's exact key: one that names no stored item (a slip, an id
    in another form than the adapter stores, a handle for a user id, a look-alike, another
    tenant) would preserve nothing, and is refused, the key masked and cut in the error."""
    run("db", "upgrade")
    record = env / "a.jsonl"
    record.write_text(json.dumps({"platform": "telegram", "id": "-1001234/5", "text": "hello",
                                  "author": {"id": "42", "handle": "h"}}) + "\n")  # fmt: skip
    assert run("ingest", str(record))[0] == 0
    long = "telegram/post/" + "5" * 20 + "a" * 300
    for key in ("telegram/post/5", "telegram/post/-1001234/6", "telegram/account/@h",
                "telegram/post/-1001234/\uff15", "whatsapp/account/923001234567", long):  # fmt: skip
        code, _, err = run("holds", "place", key, "--reason", "order 7/2025")
        assert code == 1 and "item not found" in err and "would preserve nothing" in err, key
        assert "923001234567" not in err and "5" * 20 not in err and "a" * 100 not in err
    code, _, err = run("holds", "place", long, "--reason", "order 7/2025")
    assert f"({len(long)} chars)" in err
    code, _, err = run("--json", "holds", "place", "telegram/post/5", "--reason", "order 7/2025")
    assert code == 1 and json.loads(err)["error"] == {
        "type": "NotFoundError",
        "message": "item not found: 'telegram/post/5' (a legal hold names a stored item by its "
        "exact key: one on a key nothing is stored under would preserve nothing; a hold before "
        "the item is collected is placed with before_ingest)",
    }
    code, _, err = run("holds", "--tenant", "typo", "place", "telegram/post/-1001234/5",
                       "--reason", "order 7/2025")  # fmt: skip
    assert code == 1 and "tenant not found: typo" in err
    assert run("--json", "holds", "list")[1] == "[]\n"  # nothing was recorded
    for key in ("telegram/post/-1001234/5", "telegram/account/42"):  # what is stored: held
        code, hold = run_json("holds", "place", key, "--reason", "order 7/2025")
        assert code == 0 and isinstance(hold, dict) and hold["subject"] == key
    code, _, err = run("erase", "telegram/account/42")
    assert code == 1 and "legal hold" in err
    code, holds = run_json("holds", "list")
    assert isinstance(holds, list) and [h["subject"] for h in holds] == [
        "telegram/post/-1001234/5", "telegram/account/42"]  # fmt: skip
    code, _, err = run("--json", "keys", "--tenant", "typo", "list")
    assert code == 1  # the refused hold created no tenant


def test_a_hold_before_ingest_holds_the_item_once_it_is_stored(env: Path) -> None:
    """A preservation order can come before the content is collected: ``--before-ingest``
    records the hold on a key not stored yet, and it holds the item stored later under it;
    a key no adapter stores (a look-alike, a URL) is still refused."""
    run("db", "upgrade")
    record = env / "a.jsonl"
    record.write_text(json.dumps({"platform": "telegram", "id": "-1001234/5", "text": "hello",
                                  "author": {"id": "42", "handle": "h"}}) + "\n")  # fmt: skip
    assert run("ingest", str(record))[0] == 0  # the tenant exists
    for key in ("telegram/account/\uff17\uff17", "x/post/https://x.com/a/status/1"):
        code, _, err = run("holds", "place", key, "--reason", "order 8/2025", "--before-ingest")
        assert code != 0 and "a hold before ingest" in err and "holds nothing" in err, key
    code, hold = run_json(
        "holds", "place", "telegram/account/77", "--reason", "order 8/2025", "--before-ingest"
    )
    assert code == 0 and hold == {
        "hold_id": 1, "subject": "telegram/account/77", "subject_type": "item",
        "before_ingest": True}  # fmt: skip
    later = env / "b.jsonl"
    later.write_text(json.dumps({"platform": "telegram", "id": "-1001234/6", "text": "later",
                                 "author": {"id": "77", "handle": "g"}}) + "\n")  # fmt: skip
    assert run("ingest", str(later))[0] == 0
    code, _, err = run("erase", "telegram/account/77")
    assert code == 1 and "legal hold" in err


def test_a_hold_on_a_telegram_channel_keeps_its_posts_from_the_purge(
    env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``holds place --container telegram:ID`` holds a channel as its Bot API posts store it:
    the channel's post outlives retention while another channel's goes, until released; a
    container refused names it, and a container no stored post was said in needs
    ``--before-ingest``."""
    from datetime import UTC, datetime

    import nigehban.cli.privacy_cmd as privacy_cmd

    run("db", "upgrade")
    other = env / "other.jsonl"
    other.write_text(json.dumps({"platform": "telegram", "id": "-1005555/7", "text": "elsewhere",
                                 "container": "-1005555", "surface": "channel"}) + "\n")  # fmt: skip
    channel = PAYLOADS / "telegram" / "botapi_update_channel_post_urdu_entities.json"
    assert run("ingest", str(channel), str(other))[0] == 0
    code, _, err = run("holds", "place", "--container", "tg:-1001987654321", "--reason", "o")
    assert code == 1 and "field container: 'tg:-10…21': unknown platform 'tg'" in err
    code, _, err = run("holds", "place", "--container", "-1001987654321", "--reason", "o")
    assert code == 1 and "is not platform:container (e.g. telegram:-1001234567890)" in err
    code, _, err = run("holds", "place", "--container", "telegram:-100198765432", "--reason", "o")
    assert code == 1 and "container not found: 'telegram:-10…32'" in err
    assert "before_ingest" in err
    for argv in (("telegram/post/-1005555/7", "--container", "telegram:-1005555"), ()):
        code, _, err = run("holds", "place", *argv, "--reason", "o")
        assert code == 2 and "an item key or --container platform:container" in err
    code, hold = run_json("holds", "place", "--container", "telegram:-1001987654321",
                          "--reason", "order 9/2025")  # fmt: skip
    assert code == 0 and hold == {"hold_id": 1, "subject": "telegram:-1001987654321",
                                  "subject_type": "container", "before_ingest": False}  # fmt: skip
    code, out, _ = run("holds", "place", "--container", "telegram:-1007777", "--reason", "order",
                       "--before-ingest")  # fmt: skip
    assert code == 0 and "placed on container telegram:-1007777: it holds the posts" in out
    code, holds = run_json("holds", "list")
    assert isinstance(holds, list)
    assert [(h["on"], h["subject"]) for h in holds] == [
        ("container", "telegram:-1001987654321"), ("container", "telegram:-1007777")]  # fmt: skip
    code, table, _ = run("holds", "list")
    assert code == 0 and "│ container │ telegram:-1001" in table  # folded at 80 columns

    class Later(datetime):
        @classmethod
        def now(cls, tz: object = None) -> Later:
            return cls.fromtimestamp(datetime(2099, 1, 1, tzinfo=UTC).timestamp(), UTC)

    monkeypatch.setattr(privacy_cmd, "datetime", Later)
    code, purge = run_json("purge")
    assert code == 0 and isinstance(purge, dict)
    assert purge["purged"]["post"] == 1 and purge["held_for_container"] == purge["held"] >= 1
    code, shown = run_json("items", "show", "telegram/post/-1001987654321/4821")
    assert isinstance(shown, dict) and shown["item"]["text"].startswith("📢")
    code, shown = run_json("items", "show", "telegram/post/-1005555/7")
    assert isinstance(shown, dict) and shown["item"] is None
    code, table, _ = run("purge", "--dry-run")
    assert "of these, by a hold on a container" in table
    monkeypatch.setattr(privacy_cmd, "datetime", datetime)
    assert run("holds", "release", "1")[0] == 0
    monkeypatch.setattr(privacy_cmd, "datetime", Later)
    code, purge = run_json("purge")
    assert isinstance(purge, dict) and purge["purged"]["post"] == 1 and purge["held"] == 0
    code, shown = run_json("items", "show", "telegram/post/-1001987654321/4821")
    assert isinstance(shown, dict) and shown["item"] is None


def test_serve_refuses_non_local_host_without_keys(env: Path) -> None:
    run("db", "upgrade")
    code, _, err = run("serve", "--host", "0.0.0.0", "--port", "1")
    assert code == 2
    assert "refusing to listen on 0.0.0.0: no API key exists" in err


def test_a_refused_command_line_is_one_json_error_line_under_json() -> None:
    long = "x" * 300
    code, out, err = run("--json", "cases", "decide", "1", "--action", long, "--reviewer", "a",
                         "--note", "b")  # fmt: skip
    assert code == 2 and out == ""
    [line] = err.splitlines()
    error = json.loads(line)["error"]
    assert error["type"] == "UsageError" and "invalid choice" in error["message"]
    assert long not in error["message"] and "x" * 60 + "…" in error["message"]
    code, _, err = run("decisions", "show", "abc")
    assert code == 2 and "usage: nigehban decisions show" in err
    assert "error: argument decision_id: 'abc' is not a whole number" in err
