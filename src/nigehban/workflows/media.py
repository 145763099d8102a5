"""Media sources from settings: the fetch policy for platform media URLs and the opt-in
quarantine, whose every access is written to the tenant's signed audit log before it happens."""

from __future__ import annotations

from pathlib import Path

from nigehban.audit.events import QuarantineAccessed
from nigehban.errors import ConfigError, UsageError
from nigehban.hashing.fetch import FetchPolicy, MediaFetcher
from nigehban.hashing.quarantine import Quarantine, QuarantineAccess, load_key, write_key_file
from nigehban.settings import Settings
from nigehban.store.store import Store


def fetch_policy(settings: Settings) -> FetchPolicy:
    try:
        return FetchPolicy(
            allowed_hosts=frozenset(settings.media_fetch_allowed_hosts),
            max_bytes=settings.media_fetch_max_bytes,
            timeout_s=settings.media_fetch_timeout_s,
            allow_loopback_for_tests=settings.media_fetch_allow_loopback_for_tests,
            allowed_ports=frozenset(settings.media_fetch_allowed_ports),
        )
    except UsageError as exc:
        raise ConfigError("media_fetch_allowed_hosts", exc.message) from None


def media_fetcher(settings: Settings) -> MediaFetcher | None:
    """A fetcher when some host is allow-listed; ``None`` (nothing fetched) otherwise."""
    if not settings.media_fetch_allowed_hosts:
        return None
    return MediaFetcher(fetch_policy(settings))


def open_quarantine(settings: Settings, store: Store, tenant: str) -> Quarantine | None:
    """The quarantine when ``quarantine_enabled``; its key is created on first use."""
    if not settings.quarantine_enabled:
        return None
    directory = settings.quarantine_dir or settings.data_dir / "quarantine"
    key_file = settings.quarantine_key_file or settings.data_dir / "quarantine.key"
    key = load_key(key_file) if Path(key_file).exists() else write_key_file(key_file)

    def audit(access: QuarantineAccess) -> None:
        with store.session(tenant, access.actor[:100]) as s:
            s.audit.append(
                QuarantineAccessed(
                    access.action.value,
                    access.record.id,
                    s.audit.digester.digest(access.record.sha256),
                    s.audit.subject(access.record.ref),
                    access.reason[:200],
                ),
                access.at,
            )

    return Quarantine(
        directory, key, on_access=audit, retention_days=settings.quarantine_retention_days
    )
