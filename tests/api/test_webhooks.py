"""Platform webhooks: signatures over the raw body, refusal without a secret, and ingest."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging

import pytest
from fastapi.testclient import TestClient

from nigehban.errors import DependencyError
from nigehban.model.refs import ItemKind, ItemRef, Platform
from nigehban.store.store import Store
from tests.api.conftest import (
    META_SECRET,
    META_VERIFY,
    PAYLOADS,
    TELEGRAM_SECRET,
    X_SECRET,
    ClientFactory,
    stored_counts,
)
from tests.conftest import TENANT

META_PAYLOADS = {
    "facebook": PAYLOADS / "facebook" / "webhook_feed_status_add.json",
    "instagram": PAYLOADS / "instagram" / "webhook_comments_2021.json",
    "whatsapp": PAYLOADS / "whatsapp" / "wa_cloud_webhook_group_text_urdu.json",
}
TELEGRAM_UPDATE = PAYLOADS / "telegram" / "botapi_update_channel_post__nutgram.json"
X_LOOKUP = PAYLOADS / "x" / "v2_tweet_lookup_default.json"


def meta_header(body: bytes, secret: str = META_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return {"X-Hub-Signature-256": f"sha256={digest}"}


def x_header(body: bytes, secret: str = X_SECRET) -> dict[str, str]:
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return {"X-Twitter-Webhooks-Signature": "sha256=" + base64.b64encode(digest).decode()}


def actors(store: Store) -> set[str]:
    with store.reading(TENANT) as s:
        return {e.actor for e in s.events() if e.name.startswith("item.")}


# -- Meta: Facebook, Instagram, WhatsApp ----------------------------------------------------


@pytest.mark.parametrize("platform", sorted(META_PAYLOADS))
def test_meta_signed_delivery_ingested(client: TestClient, api_store: Store, platform: str) -> None:
    body = META_PAYLOADS[platform].read_bytes()
    response = client.post(f"/v1/webhooks/{platform}", content=body, headers=meta_header(body))
    assert response.status_code == 200, response.text
    answer = response.json()
    assert answer["received"] is True
    assert answer["ok"] is True
    assert answer["items"]["created"] >= 1
    assert stored_counts(api_store)[0] == answer["items"]["created"]
    assert actors(api_store) == {f"webhook:{platform}"}


@pytest.mark.parametrize("platform", sorted(META_PAYLOADS))
@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ({}, "X-Hub-Signature-256 header is missing"),
        ({"X-Hub-Signature-256": "sha256=" + "0" * 64}, "does not match the body"),
        ({"X-Hub-Signature-256": "md5=abc"}, "not of the form"),
    ],
)
def test_meta_bad_signature_refused(
    client: TestClient, api_store: Store, platform: str, headers: dict[str, str], problem: str
) -> None:
    body = META_PAYLOADS[platform].read_bytes()
    response = client.post(f"/v1/webhooks/{platform}", content=body, headers=headers)
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["type"] == "SignatureError"
    assert problem in error["message"]
    assert stored_counts(api_store) == (0, 0)


def test_meta_signature_with_other_secret_refused(client: TestClient, api_store: Store) -> None:
    body = META_PAYLOADS["whatsapp"].read_bytes()
    headers = meta_header(body, secret="not-the-app-secret")
    response = client.post("/v1/webhooks/whatsapp", content=body, headers=headers)
    assert response.status_code == 403
    assert stored_counts(api_store) == (0, 0)


def test_meta_signature_is_over_raw_bytes(client: TestClient, api_store: Store) -> None:
    body = META_PAYLOADS["whatsapp"].read_bytes()
    reserialised = json.dumps(json.loads(body)).encode()  # same JSON, other bytes
    assert reserialised != body
    response = client.post("/v1/webhooks/whatsapp", content=reserialised, headers=meta_header(body))
    assert response.status_code == 403
    assert stored_counts(api_store) == (0, 0)


@pytest.mark.parametrize("platform", sorted(META_PAYLOADS))
def test_meta_unconfigured_refused(
    client_with: ClientFactory, api_store: Store, platform: str
) -> None:
    client = client_with(meta_app_secret=None)
    body = META_PAYLOADS[platform].read_bytes()
    response = client.post(f"/v1/webhooks/{platform}", content=body, headers=meta_header(body))
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["type"] == "ConfigError"
    assert error["message"] == (
        f"setting meta_app_secret: not configured, so the {platform} webhook is refused"
    )
    assert stored_counts(api_store) == (0, 0)


def test_signed_but_unparseable_answers_200_with_errors(
    client: TestClient, api_store: Store
) -> None:
    for body, problem in [
        (b'{"object": "whatsapp_business_acc', "invalid JSON"),
        (json.dumps({"hello": "world"}).encode(), "unrecognised payload shape"),
        # A generic record is not a WhatsApp delivery: only WhatsApp's own adapters are asked.
        (json.dumps({"platform": "x", "id": "1", "text": "hi"}).encode(), "unrecognised"),
    ]:
        response = client.post("/v1/webhooks/whatsapp", content=body, headers=meta_header(body))
        assert response.status_code == 200
        answer = response.json()
        assert answer["received"] is True
        assert answer["ok"] is False
        assert len(answer["errors"]) == 1
        assert answer["errors"][0]["source"] == "whatsapp webhook"
        assert problem in answer["errors"][0]["error"]
    assert stored_counts(api_store) == (0, 0)


# -- Meta subscription handshake ------------------------------------------------------------


@pytest.mark.parametrize("platform", sorted(META_PAYLOADS))
def test_hub_challenge_echoed_with_right_token(client: TestClient, platform: str) -> None:
    response = client.get(
        f"/v1/webhooks/{platform}",
        params={
            "hub.mode": "subscribe",
            "hub.verify_token": META_VERIFY,
            "hub.challenge": "1158201444",
        },
    )
    assert response.status_code == 200
    assert response.text == "1158201444"
    assert response.headers["content-type"].startswith("text/plain")


@pytest.mark.parametrize(
    ("params", "problem"),
    [
        ({"hub.mode": "subscribe", "hub.verify_token": "wrong"}, "does not match"),
        ({"hub.mode": "subscribe"}, "hub.verify_token is missing"),
        ({"hub.mode": "unsubscribe", "hub.verify_token": META_VERIFY}, "hub.mode"),
        ({}, "hub.mode"),
    ],
)
def test_hub_challenge_refused(client: TestClient, params: dict[str, str], problem: str) -> None:
    response = client.get("/v1/webhooks/facebook", params={**params, "hub.challenge": "1158201444"})
    assert response.status_code == 403
    error = response.json()["error"]
    assert error["type"] == "SignatureError"
    assert problem in error["message"]
    assert "1158201444" not in response.text


def test_hub_challenge_unconfigured_refused(client_with: ClientFactory) -> None:
    client = client_with(meta_verify_token=None)
    response = client.get(
        "/v1/webhooks/instagram",
        params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
    )
    assert response.status_code == 503
    assert "setting meta_verify_token" in response.json()["error"]["message"]


# -- Telegram -------------------------------------------------------------------------------


def test_telegram_right_token_ingested(client: TestClient, api_store: Store) -> None:
    body = TELEGRAM_UPDATE.read_bytes()
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    response = client.post("/v1/webhooks/telegram", content=body, headers=headers)
    assert response.status_code == 200
    assert response.json()["items"]["created"] >= 1
    with api_store.reading(TENANT) as s:
        stored = s.items.get(ItemRef(TENANT, Platform.TELEGRAM, ItemKind.POST, "456/123"))
    assert stored is not None
    assert stored.item is not None
    assert actors(api_store) == {"webhook:telegram"}


@pytest.mark.parametrize(
    ("headers", "problem"),
    [
        ({}, "header is missing"),
        ({"X-Telegram-Bot-Api-Secret-Token": "wrong"}, "does not match"),
        ({"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET[:-1]}, "does not match"),
    ],
)
def test_telegram_wrong_token_refused(
    client: TestClient, api_store: Store, headers: dict[str, str], problem: str
) -> None:
    body = TELEGRAM_UPDATE.read_bytes()
    response = client.post("/v1/webhooks/telegram", content=body, headers=headers)
    assert response.status_code == 403
    assert problem in response.json()["error"]["message"]
    assert stored_counts(api_store) == (0, 0)


def test_telegram_unconfigured_refused(client_with: ClientFactory, api_store: Store) -> None:
    client = client_with(telegram_secret_token=None)
    headers = {"X-Telegram-Bot-Api-Secret-Token": TELEGRAM_SECRET}
    response = client.post(
        "/v1/webhooks/telegram", content=TELEGRAM_UPDATE.read_bytes(), headers=headers
    )
    assert response.status_code == 503
    assert response.json()["error"]["message"] == (
        "setting telegram_secret_token: not configured, so the telegram webhook is refused"
    )
    assert stored_counts(api_store) == (0, 0)


# -- X --------------------------------------------------------------------------------------


def test_x_signed_delivery_ingested(client: TestClient, api_store: Store) -> None:
    body = X_LOOKUP.read_bytes()
    response = client.post("/v1/webhooks/x", content=body, headers=x_header(body))
    assert response.status_code == 200
    assert response.json()["items"]["created"] == 1
    assert actors(api_store) == {"webhook:x"}


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"X-Twitter-Webhooks-Signature": "sha256=AAAA"},
        x_header(X_LOOKUP.read_bytes(), secret="other"),
        x_header(X_LOOKUP.read_bytes() + b" "),
    ],
)
def test_x_bad_signature_refused(
    client: TestClient, api_store: Store, headers: dict[str, str]
) -> None:
    response = client.post("/v1/webhooks/x", content=X_LOOKUP.read_bytes(), headers=headers)
    assert response.status_code == 403
    assert "X-Twitter-Webhooks-Signature" in response.json()["error"]["message"]
    assert stored_counts(api_store) == (0, 0)


def test_x_crc(client: TestClient) -> None:
    response = client.get("/v1/webhooks/x", params={"crc_token": "challenge-123"})
    assert response.status_code == 200
    expected = hmac.new(X_SECRET.encode(), b"challenge-123", hashlib.sha256).digest()
    assert response.json() == {"response_token": "sha256=" + base64.b64encode(expected).decode()}


def test_x_crc_needs_token(client: TestClient) -> None:
    response = client.get("/v1/webhooks/x")
    assert response.status_code == 422
    assert response.json()["error"]["message"] == "query.crc_token: Field required"


def test_x_unconfigured_refused(client_with: ClientFactory, api_store: Store) -> None:
    client = client_with(x_consumer_secret=None)
    crc = client.get("/v1/webhooks/x", params={"crc_token": "abc"})
    body = X_LOOKUP.read_bytes()
    post = client.post("/v1/webhooks/x", content=body, headers=x_header(body))
    for response in (crc, post):
        assert response.status_code == 503
        assert "setting x_consumer_secret: not configured" in response.json()["error"]["message"]
    assert stored_counts(api_store) == (0, 0)


# -- routing --------------------------------------------------------------------------------


def test_unknown_platform_and_wrong_method(client: TestClient) -> None:
    assert client.post("/v1/webhooks/myspace", content=b"{}").status_code == 404
    response = client.get("/v1/webhooks/telegram")
    assert response.status_code == 405
    assert response.json()["error"]["type"] == "MethodNotAllowedError"


# -- failures that must be retried, and logs ------------------------------------------------


def _database_down(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    def down(*_args: object, **_kwargs: object) -> None:
        raise DependencyError("database postgresql://u:***@db/nigehban is unavailable")

    monkeypatch.setattr(store, "session", down)
    monkeypatch.setattr(store.db, "require_current", down)


def test_database_down_answers_503_so_platform_retries(
    client: TestClient, api_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    _database_down(api_store, monkeypatch)
    body = META_PAYLOADS["whatsapp"].read_bytes()
    response = client.post("/v1/webhooks/whatsapp", content=body, headers=meta_header(body))
    assert response.status_code == 503
    assert response.json()["error"]["type"] == "DependencyError"


def test_logs_carry_no_body(client: TestClient, caplog: pytest.LogCaptureFixture) -> None:
    sentinel = "SENTINEL-POST-TEXT-923001234567"
    bodies = [
        json.dumps({"hello": sentinel}).encode(),
        b'{"object": "' + sentinel.encode() + b'", ',
        json.dumps({"platform": "x", "id": sentinel, "text": sentinel}).encode(),
    ]
    with caplog.at_level(logging.DEBUG):
        for body in bodies:
            response = client.post("/v1/webhooks/whatsapp", content=body, headers=meta_header(body))
            assert response.status_code == 200
            assert sentinel not in response.text
    assert caplog.records  # the refusals are logged…
    assert sentinel not in caplog.text  # …without the body
