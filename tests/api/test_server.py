"""The real path: uvicorn on a local socket, called over HTTP with httpx."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn

from nigehban.api import create_app
from nigehban.api.signatures import meta_signature
from nigehban.settings import Settings
from nigehban.store.store import Store
from tests.api.conftest import META_SECRET, PAYLOADS, Key, stored_counts


@pytest.fixture
def base_url(settings: Settings, api_store: Store) -> Iterator[str]:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))  # a free port, held from the start: no race
    port = sock.getsockname()[1]
    config = uvicorn.Config(
        create_app(settings, api_store), host="127.0.0.1", port=port, log_level="warning"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            pytest.fail("uvicorn did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)
        sock.close()


def test_over_real_http(base_url: str, api_store: Store, key: Key) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as http:
        health = http.get("/v1/health")
        assert health.status_code == 200
        assert health.json()["database"] == "ok"

        refused = http.get("/v1/items/x/post/20")
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"].startswith("Bearer")

        data = (PAYLOADS / "x" / "v2_tweet_lookup_default.json").read_bytes()
        posted = http.post("/v1/items", content=data, headers=key.bearer)
        assert posted.status_code == 200
        assert posted.json()["items"]["created"] == 1

        record = {"platform": "telegram", "id": "-1001/5", "text": "x", "surface": "channel"}
        assert http.post("/v1/items", json=record, headers=key.bearer).status_code == 200
        got = http.get("/v1/items/telegram/post/-1001/5", headers={"X-API-Key": key.token})
        assert got.status_code == 200
        assert got.json()["item"]["text"] == "x"

        bad = http.post("/v1/items", content=b'{"platform": "x", "id"', headers=key.bearer)
        assert bad.status_code == 422
        assert bad.json()["error"]["type"] == "PayloadError"

        body = (PAYLOADS / "whatsapp" / "wa_cloud_webhook_group_text_urdu.json").read_bytes()
        signed = {"X-Hub-Signature-256": meta_signature(META_SECRET, body)}
        hook = http.post("/v1/webhooks/whatsapp", content=body, headers=signed)
        assert hook.status_code == 200
        assert hook.json()["ok"] is True
    assert stored_counts(api_store)[0] > 2


def test_oversized_chunked_body_over_real_http(
    base_url: str, api_store: Store, key: Key, settings: Settings
) -> None:
    record = json.dumps({"platform": "x", "id": "1", "text": "a" * settings.max_body_bytes})
    data = record.encode()

    def chunks() -> Iterator[bytes]:  # a generator: httpx sends it chunked, no Content-Length
        for start in range(0, len(data), 1 << 20):
            yield data[start : start + (1 << 20)]

    with httpx.Client(base_url=base_url, timeout=30) as http:
        # The body passes the cap only in its last chunk, so the server has read it all
        # before refusing: the client always gets the answer, never a reset.
        response = http.post("/v1/items", content=chunks(), headers=key.bearer)
        assert response.status_code == 413
        assert response.json()["error"]["type"] == "BodyTooLargeError"
        sized = http.post("/v1/items", content=data, headers=key.bearer)
        assert sized.status_code == 413
    assert stored_counts(api_store) == (0, 0)
