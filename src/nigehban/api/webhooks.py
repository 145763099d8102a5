"""``/v1/webhooks/{platform}``: deliveries pushed by Facebook, Instagram, WhatsApp, Telegram, X.

No API key: each delivery is proved by the platform's signature over the raw body
(:mod:`nigehban.api.signatures`). A webhook whose secret is not configured is refused with 503
(``ConfigError`` naming the setting) before its body is read; a missing or wrong signature is
403 and nothing is read further or stored. A verified delivery is ingested into
``default_tenant`` as actor ``webhook:<platform>``, with only that platform's adapters (a
Telegram-signed body cannot create X items).

Answer to a verified delivery: 200 ``{"received": true, "ok": …, counts, "errors": […]}``, also
when the payload could not be parsed — platforms retry any non-2xx answer, and a payload that
does not parse now will not parse on a retry; the problem is logged (message only, never the
body) and listed in the answer. The exception is a database failure: 503, so the platform
retries the delivery later.

``GET`` answers the platforms' set-up handshakes: Meta's ``hub.challenge`` (when
``hub.verify_token`` matches ``meta_verify_token``) and X's CRC check.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import PlainTextResponse
from pydantic import SecretStr
from starlette.concurrency import run_in_threadpool

from nigehban.api import signatures
from nigehban.api.health import check_database
from nigehban.api.strict_json import StrictJSONRoute
from nigehban.errors import ConfigError, PayloadError
from nigehban.ingest.registry import AdapterRegistry
from nigehban.ingest.sources import decode_json, drop_bom
from nigehban.model.refs import Platform
from nigehban.settings import Settings
from nigehban.store.store import Store
from nigehban.workflows.ingest import Ingestor, IngestReport

log = logging.getLogger("nigehban.api.webhooks")

META_PLATFORMS = (Platform.FACEBOOK, Platform.INSTAGRAM, Platform.WHATSAPP)
WEBHOOK_PLATFORMS = (*META_PLATFORMS, Platform.TELEGRAM, Platform.X)

Summary = dict[str, object]


def require_secret(value: SecretStr | None, setting: str, what: str) -> str:
    """The configured secret, or the :class:`ConfigError` that refuses the webhook."""
    if value is None or not value.get_secret_value():
        raise ConfigError(setting, f"not configured, so the {what} is refused")
    return value.get_secret_value()


def platform_registry(registry: AdapterRegistry, platform: Platform) -> AdapterRegistry:
    """Only the adapters of ``platform``: a delivery is detected among its own formats."""
    return AdapterRegistry(
        registry.get(name) for name in registry.names() if registry.get(name).platform is platform
    )


def summary(report: IngestReport) -> Summary:
    """What a platform is told about a verified delivery: counts and problems, no content."""
    data = report.to_dict()
    return {
        "received": True,
        "ok": report.ok,
        "payloads": report.payloads,
        "items": data["items"],
        "tombstones": report.tombstones,
        "skipped": len(report.skipped),
        "errors": data["errors"],
    }


class WebhookReceiver:
    """Verified deliveries into the default tenant, one platform-restricted registry each."""

    def __init__(self, settings: Settings, store: Store, registry: AdapterRegistry) -> None:
        self.settings = settings
        self.store = store
        self.registries = {p: platform_registry(registry, p) for p in WEBHOOK_PLATFORMS}

    async def deliver(self, platform: Platform, body: bytes) -> Summary:
        source = f"{platform.value} webhook"
        try:
            payload = decode_json(drop_bom(body), source)
        except PayloadError as exc:
            log.warning("%s: not ingested: %s", source, exc.problem)
            report = IngestReport()
            report.errors.append((exc.source, exc.problem))
            return summary(report)
        report = await run_in_threadpool(self._ingest, platform, payload, source)
        for where, problem in report.errors:
            log.warning("%s: not ingested: %s", where, problem)
        return summary(report)

    def _ingest(self, platform: Platform, payload: object, source: str) -> IngestReport:
        ingestor = Ingestor(
            self.store,
            self.settings,
            tenant=self.settings.default_tenant,
            actor=f"webhook:{platform.value}",
            registry=self.registries[platform],
        )
        report = ingestor.ingest_payload(payload, source)
        if not report.ok:
            check_database(self.store)  # 503 so the platform retries
        return report


MetaSignature = Annotated[
    str | None, Header(alias=signatures.META_HEADER, description="sha256=<hex HMAC of the body>")
]
TelegramToken = Annotated[
    str | None, Header(alias=signatures.TELEGRAM_HEADER, description="The setWebhook secret.")
]
XSignature = Annotated[
    str | None, Header(alias=signatures.X_HEADER, description="sha256=<base64 HMAC of the body>")
]
_BODY_DOC: dict[str, object] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"type": "object"}}},
    }
}


def _meta_post(
    receiver: WebhookReceiver, platform: Platform
) -> Callable[[Request, str | None], Awaitable[Summary]]:
    async def receive(request: Request, signature: MetaSignature = None) -> Summary:
        secret = require_secret(
            receiver.settings.meta_app_secret, "meta_app_secret", f"{platform.value} webhook"
        )
        body = await request.body()
        signatures.check_meta_signature(secret, body, signature)
        return await receiver.deliver(platform, body)

    return receive


def _meta_verify(
    settings: Settings, platform: Platform
) -> Callable[[str | None, str | None, str], PlainTextResponse]:
    def verify(
        mode: Annotated[str | None, Query(alias="hub.mode")] = None,
        token: Annotated[str | None, Query(alias="hub.verify_token")] = None,
        challenge: Annotated[str, Query(alias="hub.challenge", max_length=1024)] = "",
    ) -> PlainTextResponse:
        expected = require_secret(
            settings.meta_verify_token, "meta_verify_token", f"{platform.value} subscription"
        )
        signatures.check_meta_subscription(expected, mode, token)
        return PlainTextResponse(challenge, headers={"X-Content-Type-Options": "nosniff"})

    return verify


def webhooks_router(settings: Settings, store: Store, registry: AdapterRegistry) -> APIRouter:
    router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"], route_class=StrictJSONRoute)
    receiver = WebhookReceiver(settings, store, registry)
    for platform in META_PLATFORMS:
        name = platform.value
        router.add_api_route(
            f"/{name}",
            _meta_post(receiver, platform),
            methods=["POST"],
            name=f"{name}_webhook",
            summary=f"Receive a {name} delivery (X-Hub-Signature-256)",
            openapi_extra=_BODY_DOC,
        )
        router.add_api_route(
            f"/{name}",
            _meta_verify(settings, platform),
            methods=["GET"],
            name=f"{name}_subscription",
            summary=f"Answer Meta's {name} subscription check (hub.challenge)",
            response_class=PlainTextResponse,
        )

    @router.post(
        "/telegram",
        summary="Receive a Telegram update (X-Telegram-Bot-Api-Secret-Token)",
        openapi_extra=_BODY_DOC,
    )
    async def telegram(request: Request, token: TelegramToken = None) -> Summary:
        secret = require_secret(
            settings.telegram_secret_token, "telegram_secret_token", "telegram webhook"
        )
        signatures.check_telegram_token(secret, token)
        return await receiver.deliver(Platform.TELEGRAM, await request.body())

    @router.post(
        "/x",
        summary="Receive an X delivery (X-Twitter-Webhooks-Signature)",
        openapi_extra=_BODY_DOC,
    )
    async def x_post(request: Request, signature: XSignature = None) -> Summary:
        secret = require_secret(settings.x_consumer_secret, "x_consumer_secret", "x webhook")
        body = await request.body()
        signatures.check_x_signature(secret, body, signature)
        return await receiver.deliver(Platform.X, body)

    @router.get("/x", summary="Answer X's CRC check")
    def x_crc(crc_token: Annotated[str, Query(min_length=1, max_length=1024)]) -> dict[str, str]:
        secret = require_secret(settings.x_consumer_secret, "x_consumer_secret", "x webhook")
        return signatures.x_crc_response(secret, crc_token)

    return router
