"""Tenants: the organisations using one Nigehban deployment; every stored row has one."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from nigehban.errors import ValidationError

_TENANT_ID = re.compile(r"[a-z0-9][a-z0-9_-]{0,62}")


@dataclass(frozen=True, slots=True)
class Tenant:
    id: str
    name: str
    created_at: datetime

    def __post_init__(self) -> None:
        validate_tenant_id(self.id)


def validate_tenant_id(value: str) -> str:
    if not _TENANT_ID.fullmatch(value):
        raise ValidationError(
            "", "tenant", f"{value[:64]!r} must be 1-63 lower-case letters, digits, '-' or '_'"
        )
    return value
