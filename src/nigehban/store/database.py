"""The database: engine set-up, migrations, and transactions with one writer on SQLite.

SQLite runs in WAL mode with foreign keys on; writes go through one lock so a busy writer
never sees ``database is locked`` (datasette's one-writer rule). PostgreSQL needs no lock:
the audit chain's head row is taken ``FOR UPDATE`` instead.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.exc import DataError, OperationalError, SQLAlchemyError
from sqlalchemy.pool import StaticPool

from nigehban.errors import DependencyError, InputError
from nigehban.privacy.masking import preview

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def _alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    return config


class Database:
    """One engine plus the rules for using it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.is_sqlite = url.startswith("sqlite")
        kwargs: dict[str, Any] = {}
        if self.is_sqlite:
            memory = url in ("sqlite://", "sqlite:///:memory:")
            if memory:
                kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
            else:
                kwargs.update(connect_args={"check_same_thread": False, "timeout": 30})
                path = url.removeprefix("sqlite:///")
                Path(path).parent.mkdir(parents=True, exist_ok=True)
        try:
            self.engine: Engine = create_engine(url, **kwargs)
        except (SQLAlchemyError, ImportError, ValueError) as exc:
            raise DependencyError(f"cannot use database URL {_safe_url(url)}: {exc}") from None
        if self.is_sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas)
        self._write_lock = threading.Lock() if self.is_sqlite else None

    @contextmanager
    def write(self) -> Iterator[Connection]:
        """A write transaction: committed on success, rolled back on any error."""
        if self._write_lock is not None:
            with self._write_lock, self._begin() as conn:
                yield conn
        else:
            with self._begin() as conn:
                yield conn

    @contextmanager
    def read(self) -> Iterator[Connection]:
        with self._begin() as conn:
            yield conn

    @contextmanager
    def _begin(self) -> Iterator[Connection]:
        try:
            conn = self.engine.connect()
        except OperationalError as exc:
            raise DependencyError(
                f"database {_safe_url(self.url)} is unavailable: {preview(str(exc.orig))}"
            ) from None
        with conn, conn.begin():
            try:
                yield conn
            except DataError as exc:
                # A value the database cannot hold (PostgreSQL: a NUL character in text, which
                # SQLite stores): the transaction is rolled back and the caller told why. The
                # driver's message names the problem, never the value.
                raise InputError(
                    "database", f"refused a value: {str(exc.orig).splitlines()[0][:200]}"
                ) from None
            except OverflowError:
                # SQLite's driver on an integer beyond 64 bits (PostgreSQL's is a DataError):
                # callers check ids and counts first; this keeps a missed one an input error.
                raise InputError("database", "refused a number beyond the 64-bit range") from None

    def upgrade(self, steps: Mapping[str, Callable[[Connection], object]] | None = None) -> None:
        """Apply every pending migration, in one transaction. ``steps[revision]`` runs once the
        schema is at that revision, before the next migration, where the upgrade passes
        through it: data work that needs the application (the audit key), which a migration
        has not got."""
        config = _alembic_config()
        order = [
            r.revision for r in reversed(list(ScriptDirectory.from_config(config).walk_revisions()))
        ]
        with self.write() as conn:
            config.attributes["connection"] = conn
            current = MigrationContext.configure(conn).get_current_revision()
            reached = order.index(current) if current in order else -1
            for revision, step in sorted((steps or {}).items(), key=lambda s: order.index(s[0])):
                if order.index(revision) >= reached:
                    command.upgrade(config, revision)
                    step(conn)
            command.upgrade(config, "head")

    def current_revision(self) -> str | None:
        with self.read() as conn:
            return MigrationContext.configure(conn).get_current_revision()

    def require_current(self) -> None:
        """Raise :class:`DependencyError` unless the schema is at the latest migration."""
        head = ScriptDirectory.from_config(_alembic_config()).get_current_head()
        current = self.current_revision()
        if current != head:
            raise DependencyError(
                f"database schema is at {current or 'nothing'}, expected {head}: "
                "run 'nigehban db upgrade'"
            )

    def dispose(self) -> None:
        self.engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA cache_size=-65536")  # 64 MiB of page cache
    cursor.execute("PRAGMA wal_autocheckpoint=20000")  # pages; fewer checkpoints per ingest
    cursor.close()


def _safe_url(url: str) -> str:
    """The URL with any password masked."""
    if "@" in url and "://" in url:
        scheme, rest = url.split("://", 1)
        creds, host = rest.rsplit("@", 1)
        user = creds.split(":", 1)[0]
        return f"{scheme}://{user}:***@{host}"
    return url
