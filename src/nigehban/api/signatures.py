"""Webhook signature checks: small pure functions over the raw request body.

Each platform proves a delivery its own way:

* Meta (Facebook, Instagram, WhatsApp): ``X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the
  raw body, keyed with the app secret>``; subscription by echoing ``hub.challenge`` when
  ``hub.verify_token`` matches.
* Telegram: ``X-Telegram-Bot-Api-Secret-Token`` equals the secret given to ``setWebhook``.
* X: ``X-Twitter-Webhooks-Signature: sha256=<base64 HMAC-SHA256 of the raw body, keyed with the
  consumer secret>``; CRC challenges answered with the same HMAC over ``crc_token``.

Every comparison is constant-time (:func:`hmac.compare_digest`) over bytes, and the body is the
exact bytes received — never a re-serialised JSON. A failed check raises
:class:`~nigehban.errors.SignatureError` saying which header is missing or wrong; it never
echoes the secret or the offered signature.
"""

from __future__ import annotations

import base64
import hashlib
import hmac

from nigehban.errors import SignatureError

META_HEADER = "X-Hub-Signature-256"
TELEGRAM_HEADER = "X-Telegram-Bot-Api-Secret-Token"
X_HEADER = "X-Twitter-Webhooks-Signature"
PREFIX = "sha256="


def _bytes(value: str) -> bytes:
    return value.encode("utf-8", "surrogatepass")


def _mac(secret: str, data: bytes) -> bytes:
    return hmac.new(_bytes(secret), data, hashlib.sha256).digest()


def _equal(offered: str, expected: str) -> bool:
    return hmac.compare_digest(_bytes(offered), _bytes(expected))


def meta_signature(app_secret: str, body: bytes) -> str:
    """The ``X-Hub-Signature-256`` value Meta sends for ``body``."""
    return PREFIX + _mac(app_secret, body).hex()


def x_signature(consumer_secret: str, data: bytes) -> str:
    """``sha256=<base64 HMAC>``: X's webhook signature and CRC response token."""
    return PREFIX + base64.b64encode(_mac(consumer_secret, data)).decode("ascii")


def check_meta_signature(app_secret: str, body: bytes, header: str | None) -> None:
    """Raise unless ``header`` is Meta's signature of ``body`` (hex digits in either case)."""
    if not header:
        raise SignatureError(f"{META_HEADER} header is missing")
    offered = header.strip()
    if not offered.startswith(PREFIX):
        raise SignatureError(f"{META_HEADER} is not of the form 'sha256=<hex digest>'")
    offered = PREFIX + offered[len(PREFIX) :].lower()
    if not _equal(offered, meta_signature(app_secret, body)):
        raise SignatureError(f"{META_HEADER} does not match the body (setting meta_app_secret)")


def check_x_signature(consumer_secret: str, body: bytes, header: str | None) -> None:
    """Raise unless ``header`` is X's signature of ``body``."""
    if not header:
        raise SignatureError(f"{X_HEADER} header is missing")
    offered = header.strip()
    if not offered.startswith(PREFIX):
        raise SignatureError(f"{X_HEADER} is not of the form 'sha256=<base64 digest>'")
    if not _equal(offered, x_signature(consumer_secret, body)):
        raise SignatureError(f"{X_HEADER} does not match the body (setting x_consumer_secret)")


def check_telegram_token(secret_token: str, header: str | None) -> None:
    """Raise unless ``header`` is the secret token given to Telegram's ``setWebhook``."""
    if not header:
        raise SignatureError(f"{TELEGRAM_HEADER} header is missing")
    if not _equal(header, secret_token):
        raise SignatureError(
            f"{TELEGRAM_HEADER} does not match the secret (setting telegram_secret_token)"
        )


def check_meta_subscription(verify_token: str, mode: str | None, token: str | None) -> None:
    """Raise unless a Meta subscription request (``hub.mode``, ``hub.verify_token``) is ours."""
    if mode != "subscribe":
        raise SignatureError("hub.mode must be 'subscribe'")
    if not token:
        raise SignatureError("hub.verify_token is missing")
    if not _equal(token, verify_token):
        raise SignatureError("hub.verify_token does not match (setting meta_verify_token)")


def x_crc_response(consumer_secret: str, crc_token: str) -> dict[str, str]:
    """The body X expects in answer to a CRC check."""
    return {"response_token": x_signature(consumer_secret, _bytes(crc_token))}
