"""Settings: environment, config file, validation with named values, and documentation."""

from __future__ import annotations

from pathlib import Path

import pytest

from nigehban.errors import ConfigError
from nigehban.settings import Settings, load_settings, settings_reference

DOCS = Path(__file__).resolve().parent.parent / "docs" / "configuration.md"


def test_every_setting_is_documented_and_the_page_is_current() -> None:
    page = DOCS.read_text(encoding="utf-8")
    assert settings_reference() in page, "docs/configuration.md is stale: regenerate the table"
    for name, info in Settings.model_fields.items():
        assert info.description, f"setting {name} has no description"


def test_environment_prefix_and_types() -> None:
    s = load_settings(
        environ={"NIGEHBAN_PORT": "9001", "NIGEHBAN_INGEST_PRIVATE_MESSAGES": "true", "OTHER": "x"}
    )
    assert s.port == 9001
    assert s.ingest_private_messages is True


def test_config_file_then_environment(tmp_path: Path) -> None:
    cfg = tmp_path / "n.toml"
    cfg.write_text('port = 8100\ndefault_tenant = "acme"\n')
    s = load_settings(cfg, environ={"NIGEHBAN_PORT": "8200"})
    assert (s.port, s.default_tenant) == (8200, "acme")


def test_bad_value_names_setting_and_value() -> None:
    with pytest.raises(ConfigError) as exc:
        load_settings(environ={"NIGEHBAN_PORT": "eighty"})
    assert "port" in str(exc.value) and "eighty" in str(exc.value)


def test_unknown_key_in_file_is_refused(tmp_path: Path) -> None:
    cfg = tmp_path / "n.toml"
    cfg.write_text("prot = 1\n")
    with pytest.raises(ConfigError, match="prot"):
        load_settings(cfg, environ={})


def test_broken_toml_is_reported(tmp_path: Path) -> None:
    cfg = tmp_path / "n.toml"
    cfg.write_text("port = \n")
    with pytest.raises(ConfigError, match=r"n\.toml"):
        load_settings(cfg, environ={})


def test_secret_key_is_generated_once_with_private_mode(tmp_path: Path) -> None:
    s = load_settings(environ={}, data_dir=tmp_path)
    key = s.audit_key()
    assert key == load_settings(environ={}, data_dir=tmp_path).audit_key()
    assert (tmp_path / "secret.key").stat().st_mode & 0o777 == 0o600
    assert "abcabc" not in repr(load_settings(environ={}, secret_key="abc" * 8))
