"""The body cap, driven over raw ASGI so every framing case is exact: declared length over the
cap, a streamed body with no length, a length that lies, and a length that is not a number."""

from __future__ import annotations

import asyncio
import json
from typing import Any

from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from nigehban.api.limits import BodyLimitMiddleware
from nigehban.api.signatures import meta_signature
from nigehban.store.store import Store
from tests.api.conftest import META_SECRET, ClientFactory, Key, new_key, stored_counts

LIMIT = 100


class Echo:
    """An app that reads the whole body and answers its length; records whether it ran."""

    def __init__(self) -> None:
        self.called = False

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        self.called = True
        size = 0
        while True:
            message = await receive()
            size += len(message.get("body", b""))
            if not message.get("more_body", False):
                break
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": str(size).encode()})


def _drive(chunks: list[bytes], headers: list[tuple[bytes, bytes]]) -> tuple[int, Any, Echo]:
    """Send ``chunks`` through the middleware: (status, decoded body, the inner app).

    When the body passes the cap mid-stream the middleware raises from ``receive`` (the app's
    error handler turns that into the 413); then the status is -1 and the body the error name.
    """
    inner = Echo()
    app = BodyLimitMiddleware(inner, max_bytes=LIMIT)
    scope: Scope = {"type": "http", "method": "POST", "path": "/", "headers": headers}
    queue: list[Message] = [
        {"type": "http.request", "body": c, "more_body": i < len(chunks) - 1}
        for i, c in enumerate(chunks)
    ]
    sent: list[Message] = []

    async def receive() -> Message:
        return queue.pop(0) if queue else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    async def run() -> None:
        try:
            await app(scope, receive, send)
        except Exception as exc:  # raised from receive: the app's handler would shape it
            sent.append({"type": "raised", "error": exc})

    asyncio.run(run())
    if sent and sent[-1]["type"] == "raised":
        error = sent[-1]["error"]
        return -1, type(error).__name__, inner
    status = sent[0]["status"]
    body = b"".join(m.get("body", b"") for m in sent[1:])
    try:
        return status, json.loads(body), inner
    except ValueError:
        return status, body.decode(), inner


def test_within_cap_passes() -> None:
    status, body, _ = _drive([b"a" * 60, b"b" * 40], [(b"content-length", b"100")])
    assert (status, body) == (200, 100)
    status, body, _ = _drive([b"a" * 60, b"b" * 40], [])  # chunked, exactly at the cap
    assert (status, body) == (200, 100)


def test_declared_length_over_cap_refused_unread() -> None:
    status, body, inner = _drive([b"a" * 101], [(b"content-length", b"101")])
    assert status == 413
    assert isinstance(body, dict)
    assert body["error"] == {
        "type": "BodyTooLargeError",
        "message": "request body: 101 bytes is over the limit of 100 bytes "
        "(setting max_body_bytes)",
    }
    assert not inner.called


def test_streamed_body_over_cap_refused() -> None:
    status, error, inner = _drive([b"a" * 60, b"b" * 60], [])
    assert (status, error) == (-1, "BodyTooLargeError")
    assert inner.called


def test_lying_length_not_trusted() -> None:
    status, error, _ = _drive([b"a" * 60, b"b" * 60], [(b"content-length", b"10")])
    assert (status, error) == (-1, "BodyTooLargeError")


def test_non_numeric_length_refused() -> None:
    for value in (b"abc", b"-1", b"1e3", "²".encode(), "١٢".encode()):
        status, body, inner = _drive([b"{}"], [(b"content-length", value)])
        assert status == 400
        assert isinstance(body, dict)
        assert body["error"]["type"] == "UsageError"
        assert not inner.called


def test_cap_applies_to_webhooks(client_with: ClientFactory, api_store: Store) -> None:
    client = client_with(max_body_bytes=LIMIT)
    body = json.dumps({"object": "page", "entry": [], "pad": "x" * LIMIT}).encode()
    signed = {"X-Hub-Signature-256": meta_signature(META_SECRET, body)}
    response = client.post("/v1/webhooks/facebook", content=body, headers=signed)
    assert response.status_code == 413
    assert response.json()["error"]["type"] == "BodyTooLargeError"

    chunked = iter([body[:50], body[50:]])  # no Content-Length
    response = client.post("/v1/webhooks/facebook", content=chunked, headers=signed)
    assert response.status_code == 413
    assert stored_counts(api_store) == (0, 0)


def test_small_chunked_body_accepted(client: TestClient, api_store: Store, key: Key) -> None:
    record = json.dumps({"platform": "x", "id": "1", "text": "hello"}).encode()
    response = client.post(
        "/v1/items", content=iter([record[:10], record[10:]]), headers=key.bearer
    )
    assert response.status_code == 200
    assert stored_counts(api_store) == (1, 1)


def test_a_length_of_thousands_of_digits_is_too_large_not_a_crash() -> None:
    status, body, inner = _drive([b"{}"], [(b"content-length", b"9" * 5000)])
    assert status == 413
    assert isinstance(body, dict)
    assert "more bytes is over the limit of 100 bytes" in body["error"]["message"]
    assert not inner.called


def test_streamed_body_over_cap_is_413_on_json_model_routes(
    client_with: ClientFactory, api_store: Store
) -> None:
    """A chunked body that passes the cap on a route whose body is a JSON model (classify,
    banks, groups/match) is the 413 of the cap, not FastAPI's 400 'error parsing the body'."""
    client = client_with(max_body_bytes=LIMIT)
    key = new_key(api_store)
    body = json.dumps({"texts": [{"id": 1, "text": "x" * LIMIT}]}).encode()
    for path in ("/v1/classify", "/v1/groups/match", "/v1/banks"):
        response = client.post(
            path,
            content=iter([body[:50], body[50:]]),  # no Content-Length
            headers={**key.bearer, "Content-Type": "application/json"},
        )
        assert response.status_code == 413, (path, response.text)
        assert response.json()["error"]["type"] == "BodyTooLargeError"
