"""``GET /v1/health``: is the server up and its database reachable and migrated? No key needed.

The same database check tells the ingest routes whether a failed store was the payload's fault
(422) or the database's (503, so a platform retries its webhook delivery).
"""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy.exc import SQLAlchemyError

import nigehban
from nigehban.api.strict_json import StrictJSONRoute
from nigehban.errors import DependencyError
from nigehban.privacy.masking import preview
from nigehban.store.store import Store


def check_database(store: Store) -> None:
    """Raise :class:`DependencyError` unless the database answers and its schema is current."""
    try:
        store.db.require_current()
    except SQLAlchemyError as exc:
        raise DependencyError(f"database is unavailable: {preview(type(exc).__name__)}") from None


def health_router(store: Store) -> APIRouter:
    router = APIRouter(tags=["health"], route_class=StrictJSONRoute)

    @router.get("/v1/health", summary="Liveness and database check (no API key)")
    def health() -> dict[str, str]:
        check_database(store)
        return {"status": "ok", "version": nigehban.__version__, "database": "ok"}

    return router
