"""What every command gets: parsed arguments, settings, an output, and the store on demand."""

from __future__ import annotations

import argparse
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from nigehban.cli.output import Advance, Output
from nigehban.settings import Settings

if TYPE_CHECKING:
    from nigehban.store.store import Store


@dataclass
class Context:
    args: argparse.Namespace
    settings: Settings
    out: Output
    _store: Store | None = field(default=None, init=False)

    @property
    def tenant(self) -> str:
        tenant = getattr(self.args, "tenant", None)
        return tenant or self.settings.default_tenant

    def progress(self, label: str, total: int) -> AbstractContextManager[Advance]:
        """Progress over ``total`` bytes of input (:meth:`Output.progress`), its plain lines
        as often as ``progress_interval_s`` says."""
        return self.out.progress(label, total, every=self.settings.progress_interval_s)

    def store(self) -> Store:
        """The migrated store, opened on first use; its tenant is created if missing."""
        if self._store is None:
            # imported here: commands that never open the store do not load the database driver
            from nigehban.store.store import Store

            self._store = Store.open(self.settings)
            self._store.ensure_tenant(self.tenant, actor="cli")
        return self._store

    def reader(self) -> Store:
        """The migrated store for a command that only reads: its tenant must exist (a read
        never creates one, nor writes its audit event)."""
        if self._store is None:
            from nigehban.store.store import Store

            self._store = Store.open(self.settings)
        with self._store.reading(self.tenant) as s:
            if s.tenants.get() is None:
                from nigehban.errors import NotFoundError

                raise NotFoundError(
                    "tenant", f"{self.tenant[:63]} (a write such as ingest creates it)"
                )
        return self._store

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
