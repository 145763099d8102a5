"""``/v1/banks…``, ``/v1/hash``, ``/v1/match`` over a real store: create, add, upload and match,
import and export, the match log, errors in the one JSON shape, keys required."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

from nigehban.banks.model import SignalType
from nigehban.store.store import Store
from nigehban.workflows.banks import BanksWorkflow
from tests.api.conftest import ClientFactory, Key
from tests.api.test_groups import assert_error_shape
from tests.conftest import TENANT

VECTORS = Path(__file__).resolve().parent.parent / "data" / "pdq_vectors" / "images"
BRIDGE = VECTORS / "pdq__data__reg-test-input__dih__bridge-1-original.jpg"
FLIPPED = VECTORS / "pdq__data__reg-test-input__dih__bridge-5-flipx.jpg"
RAW = {"Content-Type": "application/octet-stream"}


def test_create_add_upload_and_match(client: TestClient, key: Key) -> None:
    h = key.bearer
    created = client.post(
        "/v1/banks", json={"name": "posters", "thresholds": {"pdq": 31}}, headers=h
    )
    assert created.status_code == 201, created.text
    hashed = client.post("/v1/hash", content=BRIDGE.read_bytes(), headers={**h, **RAW})
    assert hashed.status_code == 200, hashed.text
    doc = hashed.json()
    assert len(doc["pdq"]) == 64 and doc["quality"] >= 80 and len(doc["sha256"]) == 64
    assert doc["file"] == "upload"  # never the server's temporary path
    added = client.post(
        "/v1/banks/posters/entries",
        json={
            "values": [{"signal_type": "pdq", "value": doc["pdq"]}],
            "labels": {"group": "pk-ttp", "category": "propaganda", "source": "own"},
        },
        headers=h,
    )
    assert added.status_code == 201, added.text
    entry_id = added.json()["added"][0]
    matched = client.post("/v1/match", content=FLIPPED.read_bytes(), headers={**h, **RAW})
    assert matched.status_code == 200, matched.text
    matches = matched.json()["matches"]
    assert [m["entry_id"] for m in matches] == [entry_id]
    assert matches[0]["group"] == "pk-ttp" and matches[0]["category"] == "propaganda"
    by_hash = client.post(
        "/v1/match", json={"signal_type": "pdq", "value": doc["pdq"], "subject": "x/post/1"},
        headers=h,
    )  # fmt: skip
    assert by_hash.json()["matches"][0]["distance"] == 0
    log = client.get("/v1/banks/matches", headers=h).json()
    assert {r["subject"] for r in log} >= {"x/post/1"} and len(log) == 2
    listed = client.get("/v1/banks", headers=h).json()
    assert listed[0]["name"] == "posters" and listed[0]["entries"] == 1
    off = client.patch(f"/v1/banks/entries/{entry_id}", json={"enabled": False}, headers=h)
    assert off.status_code == 200 and off.json()["enabled"] is False
    again = client.post("/v1/match", content=FLIPPED.read_bytes(), headers={**h, **RAW})
    assert again.json()["matches"] == []


def test_import_and_export(client: TestClient, key: Key) -> None:
    h = key.bearer
    client.post("/v1/banks", json={"name": "tat"}, headers=h)
    csv = f"signal_type,value\nmd5,{'a' * 32}\npdq,abc\n".encode()
    response = client.post(
        "/v1/banks/tat/import?format=generic-csv", content=csv, headers={**h, **RAW}
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["added"] == 1 and report["errors"] == 1
    assert "'abc' is not a PDQ hash" in report["error_lines"][0]
    exported = client.get("/v1/banks/tat/export?format=generic-csv", headers=h)
    assert exported.status_code == 200 and "a" * 32 in exported.text


def test_errors_keep_the_one_shape(client: TestClient, key: Key) -> None:
    h = key.bearer
    assert client.get("/v1/banks").status_code == 401
    missing = client.get("/v1/banks/nope", headers=h)
    assert missing.status_code == 404
    assert_error_shape(missing.json())
    client.post("/v1/banks", json={"name": "b"}, headers=h)
    dup = client.post("/v1/banks", json={"name": "b"}, headers=h)
    assert dup.status_code == 409
    bad = client.post("/v1/match", json={"signal_type": "pdq", "value": "abc"}, headers=h)
    assert bad.status_code == 422
    assert "'abc' is not a PDQ hash" in assert_error_shape(bad.json())["message"]
    empty = client.post("/v1/hash", content=b"", headers={**h, **RAW})
    assert empty.status_code == 422
    for route in ("/v1/hash", "/v1/match"):
        junk = client.post(route, content=b"\x89PNG\r\n\x1a\n broken", headers={**h, **RAW})
        assert junk.status_code == 422
        message = assert_error_shape(junk.json())["message"]
        assert message.startswith("upload: not an image") and "/tmp" not in message
        plain = client.post(route, content=b"plain text", headers={**h, **RAW}).json()
        assert (plain.get("hashes") or plain)["file"] == "upload"
    fmt = client.get("/v1/banks/b/export?format=xml", headers=h)
    assert fmt.status_code == 422


def test_relabelling_an_entry_changes_only_the_labels_given(client: TestClient, key: Key) -> None:
    """A PATCH naming one label keeps the others, who added the entry and every field the
    source list supplied (a TAT record's id, ideology and file type)."""
    h = key.bearer
    assert client.post("/v1/banks", json={"name": "tat"}, headers=h).status_code == 201
    page = (
        '{"results": [{"hash_digest": "' + "a" * 64 + '", "algorithm": "SHA256", '
        '"ideology": "Islamist", "file_type": "mp4", "deleted": false, "id": 123456789012345678901}]}'
    )
    imported = client.post(
        "/v1/banks/tat/import?format=tat-json", content=page.encode(), headers={**h, **RAW}
    )
    assert imported.status_code == 200 and imported.json()["added"] == 1, imported.text
    entry = client.get("/v1/banks/tat/entries", headers=h).json()[0]
    patched = client.patch(
        f"/v1/banks/entries/{entry['id']}",
        json={"labels": {"group": "pk-ttp", "category": "propaganda"}},
        headers=h,
    )
    assert patched.status_code == 200, patched.text
    doc = patched.json()
    assert doc["group"] == "pk-ttp" and doc["category"] == "propaganda"
    assert doc["source"] == "tat" and doc["added_by"] == entry["added_by"]
    assert doc["extra"] == entry["extra"] and doc["extra"]["id"] == "123456789012345678901"
    cleared = client.patch(
        f"/v1/banks/entries/{entry['id']}", json={"labels": {"group": None}}, headers=h
    ).json()
    assert cleared["group"] is None and cleared["category"] == "propaganda"
    assert cleared["extra"] == entry["extra"]
    exported = client.get("/v1/banks/tat/export?format=tat-json", headers=h).text
    assert '"id": 123456789012345678901' in exported and '"ideology": "Islamist"' in exported


def test_the_server_matches_with_what_another_process_changed(
    client: TestClient, key: Key, api_store: Store
) -> None:
    """An operator disables a false positive and adds an entry with the CLI while the server
    runs: the server's next request matches with both changes."""
    h = key.bearer
    assert client.post("/v1/banks", json={"name": "b"}, headers=h).status_code == 201
    body = {"values": [{"signal_type": "md5", "value": "a" * 32}]}
    added = client.post("/v1/banks/b/entries", json=body, headers=h)
    assert added.status_code == 201, added.text

    def matched(value: str) -> int:
        body = {"signal_type": "md5", "value": value}
        return len(client.post("/v1/match", json=body, headers=h).json()["matches"])

    assert matched("a" * 32) == 1
    cli = BanksWorkflow(api_store, TENANT)
    cli.set_entry(added.json()["added"][0], "cli", enabled=False)
    cli.add("b", [(SignalType.MD5, "b" * 32)], "cli")
    assert matched("a" * 32) == 0 and matched("b" * 32) == 1


STATEMENT = "ہماری جنگ اس وقت تک جاری رہے گی جب تک شریعت نافذ نہیں ہوتی، تحریک کے مجاہدین"


def test_a_text_to_match_is_held_to_max_text_chars(client_with: ClientFactory, key: Key) -> None:
    """As ``POST /v1/groups/match`` and ``nigehban banks match --text``: up to
    ``max_text_chars`` (not the 20,000 a bank entry may hold), then a 422 naming the length and
    the limit, never quoting the text."""
    h = key.bearer
    client = client_with(max_text_chars=40_000)
    assert client.post("/v1/banks", json={"name": "statements"}, headers=h).status_code == 201
    value = {"signal_type": "text", "value": STATEMENT}
    added = client.post("/v1/banks/statements/entries", json={"values": [value]}, headers=h)
    assert added.status_code == 201, added.text
    padded = STATEMENT + "\u200b" * (40_000 - len(STATEMENT))
    matched = client.post("/v1/match", json={**value, "value": padded}, headers=h)
    assert matched.status_code == 200, matched.text
    assert [m["signal_type"] for m in matched.json()["matches"]] == ["text"]
    refused = client.post("/v1/match", json={**value, "value": padded + "!"}, headers=h)
    assert refused.status_code == 422
    error = assert_error_shape(refused.json())
    assert "a text to match is 40001 characters, over max_text_chars (40000)" in error["message"]
    assert STATEMENT not in refused.text
