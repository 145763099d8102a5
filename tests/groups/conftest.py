"""The shipped registry and a matcher over it, built once for the tests that take them."""

from __future__ import annotations

import pytest

from nigehban.groups.matcher import GroupMatcher
from nigehban.groups.registry import Registry, load_registry


@pytest.fixture(scope="session")
def registry() -> Registry:
    return load_registry()


@pytest.fixture(scope="session")
def matcher(registry: Registry) -> GroupMatcher:
    return GroupMatcher(registry)
