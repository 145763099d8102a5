"""Where the CLI finds the third-party corpora: the ``corpora_dir`` setting, else
``../shared/data/corpora`` when it exists (read, never copied)."""

from __future__ import annotations

from pathlib import Path

from nigehban.settings import Settings

SHARED_CORPORA = Path("../shared/data/corpora")


def corpora_dir(settings: Settings) -> Path | None:
    """The third-party corpora directory for this run, or ``None`` where there is none."""
    if settings.corpora_dir is not None:
        return settings.corpora_dir
    return SHARED_CORPORA if SHARED_CORPORA.is_dir() else None
