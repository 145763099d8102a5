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


BIG = 123456789012345678901234567890


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("number", [BIG, -BIG, 2**64])
def test_an_integer_id_over_64_bits_is_ingested_exactly(
    client: TestClient, key: Key, route: str, number: int
) -> None:
    """Ingest keeps ids as text: an integer id past 64 bits is read as written, never as the
    float a 64-bit reader makes of it, and stored under its digits."""
    body = b'{"platform":"x","id":%d,"text":"a"}' % number
    response = client.post(route, content=body, headers={**key.bearer, **JSON})
    assert response.status_code == 200, response.text
    got = client.get(f"/v1/items/x/post/{number}", headers=key.bearer)
    assert got.status_code == 200 and got.json()["item"]["id"] == str(number)


@pytest.mark.parametrize("number", [BIG, -BIG, 2**64])
def test_classify_names_an_integer_id_over_64_bits(
    client: TestClient, key: Key, number: int
) -> None:
    """``/v1/classify`` echoes ids back: one past 64 bits would come back changed, so it is
    refused, named at its path with its value truncated, and asked for as a string."""
    body = b'{"texts":[{"id":1,"text":"a"},{"id":%d,"text":"a"}]}' % number
    response = client.post("/v1/classify", content=body, headers={**key.bearer, **JSON})
    assert response.status_code == 422
    message = response.json()["error"]["message"]
    assert message.startswith("request: field texts[1].id: ")
    assert "is an integer over the 64-bit range" in message
    assert "give the id as a string" in message
    assert str(abs(number)) not in message  # truncated
    assert "e+" not in message  # never the float a 64-bit reader makes of it


def test_a_boolean_id_is_refused_on_every_route(client: TestClient, key: Key) -> None:
    """A boolean is never an id: ingest and scan refuse it, and classify no longer reads
    ``true`` as the id ``1`` (nigehban ingest and nigehban classify refuse it too)."""
    for route in ROUTES:
        body = b'{"platform":"x","id":true,"text":"a"}'
        response = client.post(route, content=body, headers={**key.bearer, **JSON})
        assert response.status_code == 422
        assert response.json()["error"]["message"] == (
            "request body: field id: expected an id, got a boolean True"
        )
    body = b'{"texts":[{"id":"a","text":"a"},{"id":true,"text":"a"}]}'
    response = client.post("/v1/classify", content=body, headers={**key.bearer, **JSON})
    assert response.status_code == 422
    assert response.json()["error"]["message"] == (
        "request: field texts[1].id: a boolean (True) is never an id: give a string or an integer"
    )


BOM = "\ufeff".encode()


@pytest.mark.parametrize("route", ROUTES)
def test_a_byte_order_mark_at_the_start_of_a_body_is_dropped(
    client: TestClient, key: Key, route: str
) -> None:
    body = BOM + b'{"platform":"x","id":"1","text":"a"}'
    response = client.post(route, content=body, headers={**key.bearer, **JSON})
    assert response.status_code == 200, response.text
    twice = BOM + body
    response = client.post(route, content=twice, headers={**key.bearer, **JSON})
    assert response.status_code == 422
    assert "a byte-order mark (U+FEFF) where JSON should start" in response.text


def test_classify_drops_a_byte_order_mark_at_the_start_of_the_body(
    client: TestClient, key: Key
) -> None:
    body = BOM + b'{"texts":[{"id":"a","text":"Aaj mausam acha hai"}]}'
    response = client.post("/v1/classify", content=body, headers={**key.bearer, **JSON})
    assert response.status_code == 200, response.text
    assert [r["id"] for r in response.json()["results"]] == ["a"]
