"""The public API is exactly what nigehban/__init__.py promises."""

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

import nigehban


def test_public_api_is_pinned() -> None:
    assert sorted(nigehban.__all__) == sorted(
        [
            "Account", "Action", "Group", "GroupDetector", "GroupHit", "GroupKind",
            "GroupMatcher", "Classification", "Classifier", "StanceDetector", "Level", "Normalised", "Registry", "StateLabel", "load_registry",
            "normalise", "normalise_text", "Adapter", "AdapterRegistry", "AmbiguousFormatError",
            "AuthError", "Category", "ConfigError", "ConflictError", "Database", "Decision",
            "DependencyError", "Detector", "DetectorRegistry", "Digest", "Entity", "HeldError",
            "IngestReport", "Ingestor", "InputError", "Item", "ItemKind", "ItemRef", "Language",
            "Media", "MediaKind", "NigehbanError", "NotFoundError", "Origin", "ParseContext",
            "ParseResult", "PayloadError", "Platform", "PlatformError", "Post", "Relation",
            "Session", "Settings", "SignatureError", "Signal", "SignalKind", "Skip", "Span",
            "Store", "Surface", "Tenant", "Tombstone", "UnknownFormatError", "UsageError",
            "ValidationError", "__version__", "default_registry", "load_settings", "stand_in_id",
            "BankDetector", "Format", "BankIndex", "BankMatch", "Bank", "Entry", "Labels",
            "SignalType", "Thresholds", "PdqIndex", "FetchPolicy", "FetchRefused", "MediaFetcher",
            "FileHashes", "hash_file", "Quarantine", "TextIndex", "BanksWorkflow",
            "DecisionContext", "Policy", "PolicyHolder", "Verdict", "decide", "find_policy",
            "load_policies", "ReasonsInput", "Statement", "transparency_record",
            "user_statement", "validate_transparency_record", "Scanner", "ScanReport",
            "ImminenceDetector",
        ]
    )  # fmt: skip
    for name in nigehban.__all__:
        assert hasattr(nigehban, name), name


def test_each_name_is_imported_from_where_type_checkers_see_it() -> None:
    """The names load on first use from ``_LOCATIONS``; the ``TYPE_CHECKING`` imports are what
    mypy and editors read. Both must say the same."""
    tree = ast.parse(Path(nigehban.__file__).read_text(encoding="utf-8"))
    guarded = next(
        node
        for node in tree.body
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING"
    )
    seen = {
        alias.asname or alias.name: node.module
        for node in guarded.body
        if isinstance(node, ast.ImportFrom)
        for alias in node.names
    }
    assert seen == nigehban._LOCATIONS
    assert sorted([*seen, "__version__"]) == sorted(nigehban.__all__)
    for name, module in nigehban._LOCATIONS.items():
        assert getattr(nigehban, name) is getattr(importlib.import_module(module), name)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no_such_thing"):
        nigehban.no_such_thing  # noqa: B018
    assert "Classifier" in dir(nigehban)


def test_importing_one_module_does_not_load_the_whole_package() -> None:
    """A worker process that parses payloads imports the parser, not the classifier, the
    hash banks or the database driver."""
    code = (
        "import sys, nigehban.workflows.parsing; "
        "print(' '.join(m for m in ('numpy', 'sqlalchemy', 'nigehban.stance.classifier', "
        "'nigehban.banks.index', 'nigehban.policy') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""
