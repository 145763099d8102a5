"""Fixtures for the API: a migrated SQLite store on disk, settings with every webhook secret,
an app, a test client and an API key of the test tenant."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from nigehban.api import create_app
from nigehban.settings import Settings, load_settings
from nigehban.store.keys import ApiKey
from nigehban.store.store import Store
from tests.conftest import TENANT, make_store

META_SECRET = "meta-app-secret-for-tests"
META_VERIFY = "meta-verify-token-for-tests"
TELEGRAM_SECRET = "telegram-secret-token-for-tests"
X_SECRET = "x-consumer-secret-for-tests"

PAYLOADS = Path(__file__).resolve().parent.parent / "data" / "payloads"


@dataclass(frozen=True)
class Key:
    key: ApiKey
    token: str

    @property
    def bearer(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}


def make_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "data_dir": tmp_path,
        "default_tenant": TENANT,
        "secret_key": "test-secret-key",
        "meta_app_secret": META_SECRET,
        "meta_verify_token": META_VERIFY,
        "telegram_secret_token": TELEGRAM_SECRET,
        "x_consumer_secret": X_SECRET,
    }
    values.update(overrides)
    return load_settings(environ={}, **values)


def new_key(store: Store, tenant: str = TENANT, name: str = "test") -> Key:
    store.ensure_tenant(tenant)
    with store.session(tenant, "test") as s:
        key, token = s.keys.create(name, datetime.now(UTC))
    return Key(key, token)


def stored_counts(store: Store, tenant: str = TENANT) -> tuple[int, int]:
    """(items, revisions) of ``tenant``: both 0 means nothing was stored."""
    with store.reading(tenant) as s:
        return s.items.count(), s.items.count_revisions()


@pytest.fixture
def api_store(tmp_path: Path) -> Iterator[Store]:
    store = make_store("sqlite-file", tmp_path)
    yield store
    store.close()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return make_settings(tmp_path)


@pytest.fixture
def app(settings: Settings, api_store: Store) -> FastAPI:
    return create_app(settings, api_store)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


@pytest.fixture
def key(api_store: Store) -> Key:
    return new_key(api_store)


ClientFactory = Callable[..., TestClient]


@pytest.fixture
def client_with(tmp_path: Path, api_store: Store) -> Iterator[ClientFactory]:
    """A client on an app built with other settings (``client_with(max_body_bytes=10)``)."""
    opened: list[TestClient] = []

    def build(**overrides: Any) -> TestClient:
        c = TestClient(create_app(make_settings(tmp_path, **overrides), api_store))
        c.__enter__()
        opened.append(c)
        return c

    yield build
    for c in opened:
        c.__exit__(None, None, None)
