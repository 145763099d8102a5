"""The webhook checks, as pure functions, against vectors computed outside the module."""

from __future__ import annotations

import base64

import pytest

from nigehban.api.signatures import (
    check_meta_signature,
    check_meta_subscription,
    check_telegram_token,
    check_x_signature,
    meta_signature,
    x_crc_response,
    x_signature,
)
from nigehban.errors import SignatureError

# HMAC-SHA256(key="key", "The quick brown fox jumps over the lazy dog") — RFC 4231 style vector
# quoted on Wikipedia's HMAC page.
KEY = "key"
MESSAGE = b"The quick brown fox jumps over the lazy dog"
HEX = "f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8"
B64 = base64.b64encode(bytes.fromhex(HEX)).decode()


def test_meta_signature_is_hex_hmac() -> None:
    assert meta_signature(KEY, MESSAGE) == "sha256=" + HEX


def test_x_signature_is_base64_hmac() -> None:
    assert x_signature(KEY, MESSAGE) == "sha256=" + B64


def test_meta_signature_accepted_in_either_case() -> None:
    check_meta_signature(KEY, MESSAGE, "sha256=" + HEX)
    check_meta_signature(KEY, MESSAGE, "sha256=" + HEX.upper())
    check_meta_signature(KEY, MESSAGE, " sha256=" + HEX + " ")


@pytest.mark.parametrize(
    ("header", "problem"),
    [
        (None, "missing"),
        ("", "missing"),
        (HEX, "not of the form"),
        ("sha1=" + HEX, "not of the form"),
        ("sha256=" + HEX[:-1] + "0", "does not match"),
        ("sha256=" + HEX[:10], "does not match"),
        ("sha256=" + "é" * 64, "does not match"),
    ],
)
def test_meta_signature_refused(header: str | None, problem: str) -> None:
    with pytest.raises(SignatureError, match=problem) as info:
        check_meta_signature(KEY, MESSAGE, header)
    assert "X-Hub-Signature-256" in info.value.message
    assert HEX not in info.value.message


def test_meta_signature_covers_every_byte() -> None:
    with pytest.raises(SignatureError):
        check_meta_signature(KEY, MESSAGE + b" ", "sha256=" + HEX)
    with pytest.raises(SignatureError):
        check_meta_signature("other", MESSAGE, "sha256=" + HEX)


def test_x_signature_checked() -> None:
    check_x_signature(KEY, MESSAGE, "sha256=" + B64)
    for header, problem in [
        (None, "missing"),
        (B64, "not of the form"),
        ("sha256=" + B64.lower(), "does not match"),
    ]:
        with pytest.raises(SignatureError, match=problem):
            check_x_signature(KEY, MESSAGE, header)
    with pytest.raises(SignatureError, match="does not match"):
        check_x_signature(KEY, MESSAGE + b"!", "sha256=" + B64)


def test_telegram_token_checked() -> None:
    check_telegram_token("s3cret", "s3cret")
    for header, problem in [
        (None, "missing"),
        ("", "missing"),
        ("s3cre", "does not match"),
        ("S3CRET", "does not match"),
        ("s3cret ", "does not match"),
    ]:
        with pytest.raises(SignatureError, match=problem) as info:
            check_telegram_token("s3cret", header)
        assert "s3cret" not in info.value.message


def test_meta_subscription_checked() -> None:
    check_meta_subscription("tok", "subscribe", "tok")
    for mode, token, problem in [
        ("unsubscribe", "tok", "hub.mode"),
        (None, "tok", "hub.mode"),
        ("subscribe", None, "missing"),
        ("subscribe", "tok2", "does not match"),
    ]:
        with pytest.raises(SignatureError, match=problem):
            check_meta_subscription("tok", mode, token)


def test_x_crc_response() -> None:
    assert x_crc_response(KEY, MESSAGE.decode()) == {"response_token": "sha256=" + B64}
