"""``GET /v1/health``: version and database state, 503 in the error shape when it is down."""

from __future__ import annotations

from pathlib import Path

from fastapi.testclient import TestClient

import nigehban
from nigehban.api import create_app
from nigehban.audit.digests import Digester
from nigehban.store.database import Database
from nigehban.store.store import Store
from tests.api.conftest import make_settings
from tests.conftest import TEST_KEY


def test_health_ok(client: TestClient) -> None:
    response = client.get("/v1/health")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "version": nigehban.__version__,
        "database": "ok",
    }


def test_health_503_when_database_not_ready(tmp_path: Path) -> None:
    store = Store(Database(f"sqlite:///{tmp_path / 'empty.db'}"), Digester(TEST_KEY))
    try:
        with TestClient(create_app(make_settings(tmp_path), store)) as client:
            response = client.get("/v1/health")
    finally:
        store.close()
    assert response.status_code == 503
    error = response.json()["error"]
    assert error["type"] == "DependencyError"
    assert "db upgrade" in error["message"]
