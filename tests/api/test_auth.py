"""API keys: every route but health and the webhooks refuses a request without an active key."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest
from fastapi.testclient import TestClient

from nigehban.store.store import Store
from tests.api.conftest import Key, new_key, stored_counts
from tests.conftest import TENANT

PROTECTED = [
    ("POST", "/v1/items"),
    ("POST", "/v1/items?format=generic.jsonl"),
    ("GET", "/v1/items/x/post/1"),
    ("GET", "/v1/items/telegram/post/-1001/5?history=true"),
    ("GET", "/v1/items/nope/post/1"),  # refused before the path is even validated
]
RECORD = {"platform": "x", "id": "1", "text": "hello"}


def _call(client: TestClient, method: str, path: str, headers: dict[str, str]) -> httpx.Response:
    if method == "POST":
        return client.post(path, json=RECORD, headers=headers)
    return client.get(path, headers=headers)


def _assert_401(response: httpx.Response, what: str) -> None:
    assert response.status_code == 401
    assert response.headers["www-authenticate"] == 'Bearer realm="nigehban"'
    error = response.json()["error"]
    assert error["type"] == "AuthError"
    assert what in error["message"]


def test_health_needs_no_key(client: TestClient) -> None:
    response = client.get("/v1/health")
    assert response.status_code == 200
    assert response.json()["status"] == "ok"


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_refused_without_key(client: TestClient, api_store: Store, method: str, path: str) -> None:
    _assert_401(_call(client, method, path, {}), "missing API key")
    _assert_401(_call(client, method, path, {"Authorization": "Basic dXNlcjpwYXNz"}), "missing")
    assert stored_counts(api_store) == (0, 0)


@pytest.mark.parametrize(("method", "path"), PROTECTED)
@pytest.mark.parametrize(
    "token",
    [
        "ngh_000000000000_" + "A" * 43,  # well formed, unknown id
        "not-a-key",
        "ngh_",
    ],
)
def test_refused_with_wrong_key(
    client: TestClient, api_store: Store, key: Key, method: str, path: str, token: str
) -> None:
    for headers in ({"Authorization": f"Bearer {token}"}, {"X-API-Key": token}):
        response = _call(client, method, path, headers)
        _assert_401(response, "unknown or revoked API key")
        assert token not in response.text
    assert stored_counts(api_store) == (0, 0)


def test_right_id_wrong_secret_refused(client: TestClient, key: Key) -> None:
    forged = key.token[:-4] + ("AAAA" if not key.token.endswith("AAAA") else "BBBB")
    _assert_401(client.get("/v1/items/x/post/1", headers={"X-API-Key": forged}), "unknown")


@pytest.mark.parametrize(("method", "path"), PROTECTED)
def test_refused_with_revoked_key(
    client: TestClient, api_store: Store, key: Key, method: str, path: str
) -> None:
    with api_store.session(TENANT, "test") as s:
        s.keys.revoke(key.key.id, datetime.now(UTC))
    _assert_401(_call(client, method, path, key.bearer), "unknown or revoked API key")
    assert stored_counts(api_store) == (0, 0)


def test_both_headers_accepted(client: TestClient, key: Key) -> None:
    assert client.post("/v1/items", json=RECORD, headers=key.bearer).status_code == 200
    response = client.get("/v1/items/x/post/1", headers={"X-API-Key": key.token})
    assert response.status_code == 200


def test_bearer_wins_over_header(client: TestClient, key: Key) -> None:
    headers = {"Authorization": "Bearer ngh_000000000000_" + "A" * 43, "X-API-Key": key.token}
    assert client.get("/v1/items/x/post/1", headers=headers).status_code == 401


def test_key_tenant_is_request_tenant(client: TestClient, api_store: Store, key: Key) -> None:
    other = new_key(api_store, tenant="other")
    assert client.post("/v1/items", json=RECORD, headers=key.bearer).status_code == 200
    assert client.get("/v1/items/x/post/1", headers=other.bearer).status_code == 404
    record = {"platform": "x", "id": "2", "text": "theirs"}
    assert client.post("/v1/items", json=record, headers=other.bearer).status_code == 200
    assert stored_counts(api_store, "other") == (1, 1)
    assert client.get("/v1/items/x/post/2", headers=key.bearer).status_code == 404
    with api_store.reading("other") as s:
        actors = {e.actor for e in s.events() if e.name == "item.created"}
    assert actors == {f"api:{other.key.id}"}


def test_webhooks_need_no_key(client: TestClient) -> None:
    # Refused for their own reason (no signature), never for a missing API key.
    response = client.post("/v1/webhooks/telegram", json={})
    assert response.status_code == 403
    assert response.json()["error"]["type"] == "SignatureError"
