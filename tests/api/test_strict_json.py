"""Every JSON body is read strictly: a lone surrogate escape (``"\\ud83d"`` cut from its pair)
is a 422 naming the position, never a 500 when the string reaches the database or the
response; a whole pair is an emoji like any other. Platform payloads (``/v1/items``,
``/v1/scan``, webhooks) are read as ingest reads them: the lone surrogate becomes U+FFFD. A value PostgreSQL cannot hold (a NUL in a
plain text column) is a 422 too, and nothing is stored."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from nigehban.api.app import create_app
from tests.api.conftest import ClientFactory, Key, make_settings, new_key
from tests.api.test_groups import assert_error_shape
from tests.conftest import BACKENDS, make_store

LONE = "\\ud83d"  # as written in the JSON text


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("post", "/v1/groups/match", '{"text": "Majeed' + LONE + ' Brigade"}'),
        ("post", "/v1/classify", '{"texts": [{"id": "a' + LONE + '", "text": "x"}]}'),
        ("post", "/v1/banks", '{"name": "tvec", "description": "d' + LONE + '"}'),
    ],
)
def test_a_lone_surrogate_is_a_422_naming_the_position(
    client_with: ClientFactory, key: Key, method: str, path: str, body: str
) -> None:
    client = client_with(stance_semantic=False)
    response = getattr(client, method)(
        path, content=body.encode(), headers={**key.bearer, "content-type": "application/json"}
    )
    assert response.status_code == 422, response.text
    message = assert_error_shape(response.json())["message"]
    assert "invalid JSON" in message and "surrogate" in message


@pytest.mark.parametrize("path", ["/v1/groups/match", "/v1/classify", "/v1/banks"])
def test_a_json_route_refuses_another_media_type_naming_it(
    client_with: ClientFactory, key: Key, path: str
) -> None:
    client = client_with(stance_semantic=False)
    response = client.post(
        path, content=b"TTP attacked", headers={**key.bearer, "content-type": "text/plain"}
    )
    assert response.status_code == 422, response.text
    message = assert_error_shape(response.json())["message"]
    assert message == (
        "body: field Content-Type: 'text/plain' is not JSON; send the body as application/json"
    )


@pytest.mark.parametrize("media", ["application/json; charset=utf-8", "application/ld+json", ""])
def test_json_media_types_and_none_are_read_as_json(
    client_with: ClientFactory, key: Key, media: str
) -> None:
    client = client_with(stance_semantic=False)
    headers = {**key.bearer, **({"content-type": media} if media else {})}
    response = client.post("/v1/groups/match", content=b'{"text": "TTP"}', headers=headers)
    assert response.status_code == 200, response.text
    assert response.json()["hits"][0]["id"] == "ttp"


def test_a_whole_surrogate_pair_is_read(client_with: ClientFactory, key: Key) -> None:
    client = client_with(stance_semantic=False)
    response = client.post(
        "/v1/groups/match",
        content=b'{"text": "\\ud83d\\udd25 BLA Majeed Brigade"}',
        headers={**key.bearer, "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    assert [hit["id"] for hit in response.json()["hits"]] == ["majeed-brigade"]
    assert response.json()["hits"][0]["start"] == 2


def test_a_payload_with_a_lone_surrogate_is_ingested_with_u_fffd(
    client_with: ClientFactory, key: Key
) -> None:
    client = client_with(stance_semantic=False)
    body = '{"platform": "generic", "id": "1", "text": "RT: lions ' + LONE + '"}'
    response = client.post(
        "/v1/items",
        content=body.encode(),
        headers={**key.bearer, "content-type": "application/json"},
    )
    assert response.status_code == 200, response.text
    stored = client.get("/v1/items/generic/post/1", headers=key.bearer).json()
    assert stored["item"]["text"] == "RT: lions \ufffd"


@pytest.mark.parametrize("backend", BACKENDS[1:])
def test_a_nul_the_database_cannot_hold_is_a_422_and_nothing_is_stored(
    backend: str, tmp_path: Path
) -> None:
    store = make_store(backend, tmp_path)
    try:
        key = new_key(store)
        with TestClient(create_app(make_settings(tmp_path), store)) as client:
            response = client.post(
                "/v1/banks",
                content=b'{"name": "tvec", "description": "known \\u0000 propaganda"}',
                headers={**key.bearer, "content-type": "application/json"},
            )
            listed = client.get("/v1/banks", headers=key.bearer).json()
        if response.status_code == 422:  # PostgreSQL
            assert "NUL" in assert_error_shape(response.json())["message"]
            assert listed == []
        else:  # SQLite keeps it as written
            assert response.status_code == 201, response.text
            assert response.json()["description"] == "known \x00 propaganda"
    finally:
        store.close()
