"""The application factory: one FastAPI app from one Settings and one Store.

Nothing is global: tests build as many apps as they like, each on its own store. The caller owns
the store (opening, migrating, creating ``default_tenant``, closing); ``nigehban serve`` does that
and refuses to listen beyond localhost while no API key exists. OpenAPI is at ``/openapi.json``
and interactive docs at ``/docs``, served with Swagger UI's files from the installed
``swagger-ui-bundle-v2`` package: the docs work offline, nothing is fetched from a CDN.
"""

from __future__ import annotations

import importlib.resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

import nigehban
from nigehban.api.auth import key_dependency
from nigehban.api.banks import WorkflowHolder, banks_router
from nigehban.api.cases import cases_router
from nigehban.api.classify import ClassifierHolder, classify_router
from nigehban.api.errors import install_error_handlers
from nigehban.api.groups import groups_router
from nigehban.api.health import health_router
from nigehban.api.items import items_router
from nigehban.api.limits import BodyLimitMiddleware
from nigehban.api.scan import scan_detectors, scan_router
from nigehban.api.webhooks import webhooks_router
from nigehban.errors import DependencyError
from nigehban.ingest.registry import default_registry
from nigehban.policy.loader import PolicyHolder
from nigehban.settings import Settings
from nigehban.store.store import Store
from nigehban.workflows.groups import GroupRegistryHolder

DOCS_ASSETS = "/docs-assets"

DESCRIPTION = """\
Nigehban's REST API. Every route except `/v1/health` and the platform webhooks needs an API key,
sent as `Authorization: Bearer ngh_…` or `X-API-Key: ngh_…`; the key's organisation (tenant) is
the one read and written. Errors always read `{"error": {"type": …, "message": …}}`.
"""


def create_app(
    settings: Settings,
    store: Store,
    groups: GroupRegistryHolder | None = None,
    classifier: ClassifierHolder | None = None,
    banks: WorkflowHolder | None = None,
) -> FastAPI:
    """Build the API over ``store`` with ``settings``; routes are versioned under ``/v1``.
    ``groups`` holds the group registry in force (loaded from settings when not given);
    ``classifier`` the stance classifier (built from settings on first use when not given);
    ``banks`` each tenant's banks and match index (built on first use)."""
    app = FastAPI(
        title="Nigehban",
        version=nigehban.__version__,
        description=DESCRIPTION,
        docs_url=None,
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
    holder = groups or GroupRegistryHolder(settings.group_registry_dir)
    app.include_router(groups_router(settings, holder, require_key))
    stance = classifier or ClassifierHolder(settings)
    app.include_router(classify_router(settings, stance, require_key))
    bank_holder = banks or WorkflowHolder(settings, store)
    app.include_router(banks_router(settings, bank_holder, require_key))
    policies = PolicyHolder(settings.policy_dir)
    app.include_router(scan_router(settings, store, bank_holder, stance, policies, require_key))
    detectors = scan_detectors(settings, bank_holder, stance)
    app.include_router(cases_router(settings, store, policies, detectors, require_key))
    _install_docs(app)
    return app


def _swagger_ui_dir() -> Path:
    """Swagger UI's files inside the installed ``swagger_ui_bundle`` package."""
    package = Path(str(importlib.resources.files("swagger_ui_bundle")))
    found = sorted((package / "vendor").glob("swagger-ui-*"))
    if not found:
        raise DependencyError(
            f"no Swagger UI files under {package}: reinstall swagger-ui-bundle-v2"
        )
    return found[-1]


def _install_docs(app: FastAPI) -> None:
    app.mount(DOCS_ASSETS, StaticFiles(directory=_swagger_ui_dir()), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Nigehban API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=f"{DOCS_ASSETS}/favicon-32x32.png",
        )
