"""Marking store write methods with the audit events they emit.

``@emits(ItemCreated, ItemRevised)`` records, on the method, which events it writes. The store's
test suite enumerates every method so marked and checks each really emits its events, and that
every public method that is not a read is marked: a write without an audit event cannot slip in.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from nigehban.audit.events import AuditEvent

F = TypeVar("F", bound=Callable[..., Any])


def emits(*events: type[AuditEvent]) -> Callable[[F], F]:
    def mark(fn: F) -> F:
        fn.__emits__ = events  # type: ignore[attr-defined]
        return fn

    return mark


def reads(fn: F) -> F:
    """Mark a public method as read-only (it emits nothing)."""
    fn.__reads__ = True  # type: ignore[attr-defined]
    return fn


def write_methods(cls: type) -> dict[str, tuple[type[AuditEvent], ...]]:
    return {
        name: member.__emits__
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if hasattr(member, "__emits__")
    }


def unmarked_methods(cls: type) -> list[str]:
    """Public methods marked neither ``@emits`` nor ``@reads``."""
    return [
        name
        for name, member in inspect.getmembers(cls, inspect.isfunction)
        if not name.startswith("_")
        and not hasattr(member, "__emits__")
        and not hasattr(member, "__reads__")
    ]
