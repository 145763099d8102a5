"""Hold the group detector in force and swap in a new registry only when it loads cleanly.

Registry files are edited by people. :meth:`GroupRegistryHolder.reload` builds a complete new
detector from the files first; any error (``file:line`` naming the bad field) is raised and the
previous registry stays in force. The swap itself is one reference assignment, so concurrent
readers see either the old snapshot or the new one, never a mixture.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from nigehban.groups.detector import GroupDetector

log = logging.getLogger(__name__)


class GroupRegistryHolder:
    def __init__(self, directory: Path | None = None) -> None:
        self._directory = directory
        self._lock = threading.Lock()
        self._detector = GroupDetector.from_directory(directory)

    @property
    def detector(self) -> GroupDetector:
        return self._detector

    def reload(self) -> GroupDetector:
        """Load the files again; on error raise and keep the registry in force."""
        with self._lock:
            fresh = GroupDetector.from_directory(self._directory)
            previous = self._detector.snapshot_hash
            self._detector = fresh
        if fresh.snapshot_hash != previous:
            log.info("group registry reloaded: snapshot %s", fresh.snapshot_hash[:12])
        return fresh
