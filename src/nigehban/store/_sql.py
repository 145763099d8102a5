"""Small SQL helpers shared by the repositories (dialect-aware insert-or-ignore, UTC times)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from operator import itemgetter
from typing import Any, TypeVar

from sqlalchemy import Boolean, Connection, DateTime, Table, insert, select
from sqlalchemy.dialects import postgresql

from nigehban.errors import NotFoundError
from nigehban.model.refs import ItemRef
from nigehban.privacy.masking import redact

T = TypeVar("T")

CHUNK = 500


def insert_ignore(conn: Connection, table: Table, rows: Sequence[dict[str, Any]]) -> int:
    """Insert rows, silently keeping existing ones with the same primary key; how many were
    inserted."""
    if not rows:
        return 0
    if conn.dialect.name == "sqlite":
        return bulk_insert(conn, table, rows, ignore=True)
    return int(conn.execute(postgresql.insert(table).on_conflict_do_nothing(), list(rows)).rowcount)


def bulk_insert(
    conn: Connection, table: Table, rows: Sequence[dict[str, Any]], ignore: bool = False
) -> int:
    """Insert many rows at the driver's speed.

    On SQLite, SQLAlchemy's per-row parameter processing costs as much as SQLite itself, so
    the statement is written once and the rows go to the driver's ``executemany`` as tuples,
    converted as SQLAlchemy would store them (times as UTC ``YYYY-MM-DD HH:MM:SS.ffffff``,
    booleans as integers). Other databases take SQLAlchemy's ordinary path. Every row must
    have the keys of the first.
    """
    if not rows:
        return 0
    if conn.dialect.name != "sqlite":
        stmt = postgresql.insert(table).on_conflict_do_nothing() if ignore else insert(table)
        return int(conn.execute(stmt, list(rows)).rowcount)
    names = list(rows[0])
    converted = [
        (i, conv) for i, name in enumerate(names) if (conv := _sqlite_converter(table, name))
    ]
    verb = "INSERT OR IGNORE" if ignore else "INSERT"
    sql = f"{verb} INTO {table.name} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})"
    get = itemgetter(*names)
    if len(names) == 1:
        params: list[Any] = [(get(row),) for row in rows]
    elif not converted:
        params = [get(row) for row in rows]
    else:
        params = []
        for row in rows:
            values = list(get(row))
            for index, conv in converted:
                value = values[index]
                if value is not None:
                    values[index] = conv(value)
            params.append(tuple(values))
    return int(conn.exec_driver_sql(sql, params).rowcount)


@lru_cache(maxsize=4096)
def _sqlite_time(value: datetime) -> str:
    """SQLAlchemy's SQLite storage form of a UTC time (batches repeat the same times)."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(sep=" ", timespec="microseconds")


def _sqlite_converter(table: Table, name: str) -> Callable[[Any], Any] | None:
    column_type = table.c[name].type
    if isinstance(column_type, DateTime):
        return _sqlite_time
    if isinstance(column_type, Boolean):
        return int
    return None


def utc(value: datetime | None) -> datetime | None:
    """Times read back from SQLite are naive; everything stored is UTC."""
    if value is None or value.tzinfo is not None:
        return value
    return value.replace(tzinfo=UTC)


def chunks(values: Sequence[T], size: int = CHUNK) -> Iterator[Sequence[T]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def item_id_of(conn: Connection, tenant: str, ref: ItemRef) -> int:
    """The internal id of a stored item; :class:`NotFoundError` naming it (redacted) if absent."""
    from nigehban.store.schema import items

    item_id = conn.execute(
        select(items.c.id).where(items.c.tenant_id == tenant, items.c.ref_key == ref.key)
    ).scalar()
    if item_id is None:
        raise NotFoundError("item", redact(ref.key))
    return int(item_id)
