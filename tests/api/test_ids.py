"""Item ids on the API's ingest, scan and classify routes: errors name the id's field as a
user reads it, and the API reads ids as ``nigehban ingest`` and ``nigehban classify`` do."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from nigehban.store.store import Store
from tests.api.conftest import Key, stored_counts

JSON = {"content-type": "application/json"}
ROUTES = ("/v1/items", "/v1/scan")

BAD_ID_FIELDS = [
    pytest.param(b'{"platform":"x","id":"a b","text":"a"}', "field id:", id="id"),
    pytest.param(
        b'{"platform":"x","id":"1","text":"a","author":{"id":"a b"}}',
        "field author.id:",
        id="author",
    ),
    pytest.param(
        b'{"platform":"x","id":"1","text":"a","author_id":"a\\u200bb"}',
        "field author_id:",
        id="author_id",
    ),
    pytest.param(
        b'{"platform":"x","id":"1","text":"a","media":[{"id":"m"},{"id":"a b"}]}',
        "field media[1].id:",
        id="media",
    ),
    pytest.param(
        b'{"platform":"x","id":"1","text":"a","reply_to":"a b"}', "field reply_to:", id="reply_to"
    ),
    pytest.param(
        b'{"platform":"x","id":"1","text":"a","quote_of":"a b"}', "field quote_of:", id="quote_of"
    ),
    pytest.param(b'{"platform":"x","id":"1","share_of":"a b"}', "field share_of:", id="share_of"),
    pytest.param(
        ('{"platform":"x","id":"%s","text":"a"}' % ("9" * 600)).encode(), "field id:", id="long"
    ),
]


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(("body", "field"), BAD_ID_FIELDS)
def test_an_id_error_names_the_ids_field(
    client: TestClient, api_store: Store, key: Key, route: str, body: bytes, field: str
) -> None:
    response = client.post(route, content=body, headers={**key.bearer, **JSON})
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert message.startswith(f"request body: {field} ")
    assert "field $" not in message
    assert stored_counts(api_store) == (0, 0)
