"""``/v1/items``: ingest payloads, read items back, and refuse bad input with one clear error."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from nigehban.errors import DependencyError
from nigehban.store.store import Store
from tests.api.conftest import PAYLOADS, ClientFactory, Key, stored_counts

X_LOOKUP = PAYLOADS / "x" / "v2_tweet_lookup_default.json"
TELEGRAM_RECORD = {"platform": "telegram", "id": "-1001/5", "text": "x", "surface": "channel"}


def test_ingest_platform_payload_and_read_back(client: TestClient, key: Key) -> None:
    response = client.post("/v1/items", content=X_LOOKUP.read_bytes(), headers=key.bearer)
    assert response.status_code == 200
    report = response.json()
    assert report["formats"] == {"x.v2": 1}
    assert report["items"]["created"] == 1
    assert report["errors"] == []

    got = client.get("/v1/items/x/post/20", headers=key.bearer)
    assert got.status_code == 200
    body = got.json()
    assert body["ref"] == "x/post/20"
    assert body["state"] == "active"
    assert body["revision"] == 1
    assert body["revisions"] == 1
    assert body["has_conflict"] is False
    assert body["deleted_at"] is None
    assert body["first_seen"].endswith("Z")
    assert body["item"]["text"] == "just setting up my twttr"
    assert body["history"] is None


def test_ingest_is_idempotent(client: TestClient, api_store: Store, key: Key) -> None:
    data = X_LOOKUP.read_bytes()
    client.post("/v1/items", content=data, headers=key.bearer)
    again = client.post("/v1/items", content=data, headers=key.bearer)
    assert again.status_code == 200
    assert again.json()["items"]["unchanged"] == 1
    assert stored_counts(api_store) == (1, 1)


def test_scoped_id_with_slash_and_history(client: TestClient, key: Key) -> None:
    assert client.post("/v1/items", json=TELEGRAM_RECORD, headers=key.bearer).status_code == 200
    edited = {**TELEGRAM_RECORD, "text": "y", "edited_at": "2025-07-14T10:00:00Z"}
    assert client.post("/v1/items", json=edited, headers=key.bearer).json()["items"]["revised"] == 1

    response = client.get("/v1/items/telegram/post/-1001/5?history=true", headers=key.bearer)
    assert response.status_code == 200
    body = response.json()
    assert body["ref"] == "telegram/post/-1001/5"
    assert body["item"]["id"] == "-1001/5"
    assert body["item"]["text"] == "y"
    assert body["revision"] == 2
    assert [r["revision"] for r in body["history"]] == [1, 2]
    assert [r["current"] for r in body["history"]] == [False, True]
    assert body["history"][1]["edited_at"] == "2025-07-14T10:00:00Z"
    assert set(body["history"][0]) == {
        "revision", "content_hash", "edited_at", "observed_at", "conflict", "current", "purged",
    }  # fmt: skip


def test_forced_format(client: TestClient, api_store: Store, key: Key) -> None:
    record = {"platform": "x", "id": "1", "text": "hello"}
    ok = client.post(
        "/v1/items", params={"format": "generic.jsonl"}, json=record, headers=key.bearer
    )
    assert ok.status_code == 200
    assert ok.json()["formats"] == {"generic.jsonl": 1}
    wrong = client.post(
        "/v1/items",
        params={"format": "x.v2"},
        json={"data": 5},
        headers=key.bearer,
    )
    assert wrong.status_code == 422
    assert wrong.json()["error"]["message"] == (
        "request body: payload does not have the shape of x.v2"
    )
    assert stored_counts(api_store) == (1, 1)


def test_missing_item_404(client: TestClient, key: Key) -> None:
    response = client.get("/v1/items/telegram/post/-1001/923001234567", headers=key.bearer)
    assert response.status_code == 404
    error = response.json()["error"]
    assert error["type"] == "NotFoundError"
    assert error["message"].startswith("item not found: 'telegram/post/-1001/")
    assert "923001234567" not in error["message"]  # identifiers are masked


@pytest.mark.parametrize(
    ("path", "where"),
    [
        ("/v1/items/myspace/post/1", "path.platform"),
        ("/v1/items/x/story/1", "path.kind"),
        ("/v1/items/x/post/1?history=maybe", "query.history"),
    ],
)
def test_bad_item_path_422(client: TestClient, key: Key, path: str, where: str) -> None:
    response = client.get(path, headers=key.bearer)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "ValidationError"
    assert error["message"].startswith(where)


def test_scoped_id_with_space_422(client: TestClient, key: Key) -> None:
    response = client.get("/v1/items/x/post/a%20b", headers=key.bearer)
    assert response.status_code == 422
    assert "white space" in response.json()["error"]["message"]


BAD_BODIES = [
    pytest.param(
        b'{"platform": "x", "id": "1", "te', "PayloadError", "invalid JSON", id="truncated"
    ),
    pytest.param(
        b'{"platform": "x", "id": "1", "text": "\xff\xfe"}',
        "PayloadError",
        "invalid UTF-8 at byte 38",
        id="bad-utf8",
    ),
    pytest.param(b"", "PayloadError", "invalid JSON", id="empty"),
    pytest.param(
        json.dumps({"platform": "x", "id": "1", "text": 5}).encode(),
        "InputError",
        "field text",
        id="wrong-type-text",
    ),
    pytest.param(
        json.dumps({"platform": "x", "id": ["1"], "text": "a"}).encode(),
        "InputError",
        "field id",
        id="wrong-type-id",
    ),
    pytest.param(
        json.dumps({"platform": "myspace", "id": "1", "text": "a"}).encode(),
        "InputError",
        "myspace",
        id="unknown-platform",
    ),
    pytest.param(
        json.dumps({"hello": "world"}).encode(),
        "UnknownFormatError",
        "unrecognised payload shape",
        id="unknown-shape",
    ),
    pytest.param(b"[1, 2, 3]", "UnknownFormatError", "a list of 3 elements", id="list"),
]


@pytest.mark.parametrize(("body", "error_type", "problem"), BAD_BODIES)
def test_bad_payload_one_clear_error_nothing_stored(
    client: TestClient, api_store: Store, key: Key, body: bytes, error_type: str, problem: str
) -> None:
    response = client.post(
        "/v1/items", content=body, headers={**key.bearer, "Content-Type": "application/json"}
    )
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["type"] == error_type
    assert error["message"].startswith("request body: ")
    assert problem in error["message"]
    assert stored_counts(api_store) == (0, 0)


def test_refused_ingest_carries_report(client: TestClient, key: Key) -> None:
    response = client.post(
        "/v1/items", json={"platform": "x", "id": "1", "text": 5}, headers=key.bearer
    )
    body = response.json()
    assert body["report"]["errors"][0]["source"] == "request body"
    assert body["report"]["items"]["created"] == 0


def test_unknown_format_name(client: TestClient, api_store: Store, key: Key) -> None:
    response = client.post(
        "/v1/items", params={"format": "myspace.v1"}, json={"a": 1}, headers=key.bearer
    )
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "UnknownFormatError"
    assert "unknown format 'myspace.v1'" in error["message"]
    assert "x.v2" in error["message"]  # lists the known ones
    assert stored_counts(api_store) == (0, 0)


TEN_MB = 10_000_000


def _huge_record(scoped_id: str = "1") -> bytes:
    return json.dumps({"platform": "x", "id": scoped_id, "text": "a" * TEN_MB}).encode()


def test_huge_text_refused_by_text_limit(
    client_with: ClientFactory, api_store: Store, key: Key
) -> None:
    client = client_with(max_body_bytes=2 * TEN_MB)
    response = client.post("/v1/items", content=_huge_record("923001234567"), headers=key.bearer)
    assert response.status_code == 422
    error = response.json()["error"]
    assert "text is 10000000 characters" in error["message"]
    assert "x/post/92…67.text" in error["message"]  # the id, a phone number here, masked
    assert "max_text_chars" in error["message"]
    assert len(error["message"]) < 300
    assert stored_counts(api_store) == (0, 0)


def test_huge_body_refused_by_default_cap(client: TestClient, api_store: Store, key: Key) -> None:
    response = client.post("/v1/items", content=_huge_record(), headers=key.bearer)
    assert response.status_code == 413
    error = response.json()["error"]
    assert error["type"] == "BodyTooLargeError"
    assert "over the limit of 5000000 bytes (setting max_body_bytes)" in error["message"]
    assert stored_counts(api_store) == (0, 0)


def test_huge_chunked_body_refused(client: TestClient, api_store: Store, key: Key) -> None:
    data = _huge_record()

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(data), 65536):
            yield data[start : start + 65536]

    response = client.post("/v1/items", content=chunks(), headers=key.bearer)
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "BodyTooLargeError"
    assert stored_counts(api_store) == (0, 0)


def test_database_down_is_503_not_422(
    client: TestClient, api_store: Store, key: Key, monkeypatch: pytest.MonkeyPatch
) -> None:
    def down(*_args: object, **_kwargs: object) -> None:
        raise DependencyError("database is unavailable")

    monkeypatch.setattr(api_store, "session", down)
    monkeypatch.setattr(api_store.db, "require_current", down)
    record = {"platform": "x", "id": "1", "text": "hello"}
    response = client.post("/v1/items", json=record, headers=key.bearer)
    assert response.status_code == 503
    assert response.json()["error"]["type"] == "DependencyError"
