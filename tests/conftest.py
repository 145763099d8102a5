"""Shared fixtures: a migrated store on every backend the run has.

Backends: SQLite in memory and SQLite on disk always; PostgreSQL when
``NIGEHBAN_TEST_POSTGRES_URL`` is set (the test command starts a throwaway cluster and sets it).
With ``NIGEHBAN_REQUIRE_POSTGRES=1`` a missing PostgreSQL fails the run instead of skipping.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from nigehban.audit.digests import Digester
from nigehban.store.database import Database
from nigehban.store.schema import metadata
from nigehban.store.store import Store

TEST_KEY = b"test-audit-key-0123456789abcdef"
TENANT = "t"

BACKENDS = ["sqlite-memory", "sqlite-file", "postgresql"]


def postgres_url() -> str | None:
    url = os.environ.get("NIGEHBAN_TEST_POSTGRES_URL")
    if not url and os.environ.get("NIGEHBAN_REQUIRE_POSTGRES") == "1":
        pytest.fail("NIGEHBAN_REQUIRE_POSTGRES=1 but NIGEHBAN_TEST_POSTGRES_URL is not set")
    return url


def _reset_postgres(url: str) -> Database:
    db = Database(url)
    with db.write() as conn:
        metadata.drop_all(conn)
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    return db


def make_database(backend: str, tmp_path: Path) -> Database:
    """An empty database of ``backend`` (one of :data:`BACKENDS`), not yet migrated; the test
    is skipped where the run has no PostgreSQL."""
    if backend == "sqlite-memory":
        return Database("sqlite://")
    if backend == "sqlite-file":
        return Database(f"sqlite:///{tmp_path / 'test.db'}")
    url = postgres_url()
    if url is None:
        pytest.skip("PostgreSQL not configured (NIGEHBAN_TEST_POSTGRES_URL)")
    return _reset_postgres(url)


def make_store(backend: str, tmp_path: Path) -> Store:
    db = make_database(backend, tmp_path)
    db.upgrade()
    store = Store(db, Digester(TEST_KEY))
    store.ensure_tenant(TENANT)
    return store


@pytest.fixture(params=BACKENDS)
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    s = make_store(request.param, tmp_path)
    yield s
    s.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    s = make_store("sqlite-file", tmp_path)
    yield s
    s.close()


@pytest.fixture
def env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A clean environment for CLI runs: no NIGEHBAN_* settings but a fresh data directory."""
    for key in list(os.environ):
        if key.startswith("NIGEHBAN_") and key != "NIGEHBAN_TEST_POSTGRES_URL":
            monkeypatch.delenv(key)
    monkeypatch.setenv("NIGEHBAN_DATA_DIR", str(tmp_path / "var"))
    return tmp_path
