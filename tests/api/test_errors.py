"""The one error shape and the status of each error class."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nigehban.api.errors import (
    BodyTooLargeError,
    error_response,
    install_error_handlers,
    status_for,
)
from nigehban.errors import (
    AmbiguousFormatError,
    AuthError,
    ConfigError,
    ConflictError,
    DependencyError,
    HeldError,
    InputError,
    NigehbanError,
    NotFoundError,
    PayloadError,
    SignatureError,
    UnknownFormatError,
    UsageError,
    ValidationError,
)


@pytest.mark.parametrize(
    ("error", "status"),
    [
        (InputError("src", "bad"), 422),
        (PayloadError("src", "bad"), 422),
        (UnknownFormatError("src", "bad"), 422),
        (AmbiguousFormatError("src", ["a", "b"]), 422),
        (ValidationError("src", "field", "bad"), 422),
        (BodyTooLargeError(10, 20), 413),
        (UsageError("bad"), 400),
        (NotFoundError("item", "x/post/1"), 404),
        (ConflictError("dup"), 409),
        (HeldError("x/post/1", 3), 409),
        (AuthError("no"), 401),
        (SignatureError("no"), 403),
        (ConfigError("meta_app_secret", "not configured"), 503),
        (DependencyError("down"), 503),
        (NigehbanError("other"), 500),
    ],
)
def test_status_of_each_error(error: NigehbanError, status: int) -> None:
    assert status_for(error) == status
    response = error_response(error)
    assert response.status_code == status
    assert bytes(response.body).startswith(b'{"error":{"type":"' + type(error).__name__.encode())


def test_only_auth_errors_carry_www_authenticate() -> None:
    assert "www-authenticate" in error_response(AuthError("no")).headers
    assert "www-authenticate" not in error_response(SignatureError("no")).headers


def _app() -> FastAPI:
    app = FastAPI()
    install_error_handlers(app)

    @app.get("/boom")
    def boom() -> None:
        raise RuntimeError("secret post content 923001234567")

    @app.get("/held")
    def held() -> None:
        raise HeldError("x/post/1", 7)

    @app.get("/typed")
    def typed(n: int) -> int:
        return n

    return app


def test_unexpected_error_is_generic_500() -> None:
    with TestClient(_app(), raise_server_exceptions=False) as client:
        response = client.get("/boom")
    assert response.status_code == 500
    body = response.json()
    assert body["error"]["type"] == "InternalError"
    assert "secret" not in response.text and "9230" not in response.text


def test_nigehban_error_shape() -> None:
    with TestClient(_app()) as client:
        response = client.get("/held")
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "type": "HeldError",
            "message": "x/post/1 is under legal hold #7; release the hold first",
        }
    }


def test_request_validation_in_shape_with_preview() -> None:
    with TestClient(_app()) as client:
        response = client.get("/typed", params={"n": "x" * 500})
        missing = client.get("/typed")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["type"] == "ValidationError"
    assert error["message"].startswith("query.n: ")
    assert "(500 chars)" in error["message"]
    assert len(error["message"]) < 200
    assert missing.json()["error"]["message"] == "query.n: Field required"


def test_unknown_route_and_method_in_shape() -> None:
    with TestClient(_app()) as client:
        not_found = client.get("/nope/923001234567")
        not_allowed = client.post("/held")
    assert not_found.status_code == 404
    assert not_found.json()["error"]["type"] == "NotFoundError"
    assert "923001234567" not in not_found.text  # identifiers masked by preview()
    assert not_allowed.status_code == 405
    assert not_allowed.json()["error"]["type"] == "MethodNotAllowedError"
    assert not_allowed.headers["allow"] == "GET"
