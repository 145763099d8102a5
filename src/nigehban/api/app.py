"""The application factory: one FastAPI app from one Settings and one Store.

Nothing is global: tests build as many apps as they like, each on its own store. The caller owns
the store (opening, migrating, creating ``default_tenant``, closing); ``nigehban serve`` does that
and refuses to listen beyond localhost while no API key exists. OpenAPI is at ``/openapi.json``
and interactive docs at ``/docs``.
"""

from __future__ import annotations

from fastapi import FastAPI

import nigehban
from nigehban.api.auth import key_dependency
from nigehban.api.errors import install_error_handlers
from nigehban.api.health import health_router
from nigehban.api.items import items_router
from nigehban.api.limits import BodyLimitMiddleware
from nigehban.api.webhooks import webhooks_router
from nigehban.ingest.registry import default_registry
from nigehban.settings import Settings
from nigehban.store.store import Store

DESCRIPTION = """\
Nigehban's REST API. Every route except `/v1/health` and the platform webhooks needs an API key,
sent as `Authorization: Bearer ngh_…` or `X-API-Key: ngh_…`; the key's organisation (tenant) is
the one read and written. Errors always read `{"error": {"type": …, "message": …}}`.
"""


def create_app(settings: Settings, store: Store) -> FastAPI:
    """Build the API over ``store`` with ``settings``; routes are versioned under ``/v1``."""
    app = FastAPI(
        title="Nigehban",
        version=nigehban.__version__,
        description=DESCRIPTION,
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, max_bytes=settings.max_body_bytes)
    registry = default_registry()
    require_key = key_dependency(store)
    app.include_router(health_router(store))
    app.include_router(items_router(settings, store, registry, require_key))
    app.include_router(webhooks_router(settings, store, registry))
    return app
