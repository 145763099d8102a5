"""Nigehban: trust and safety for terrorist and violent extremist content.

The library is the product's core; the CLI and the API are thin faces over it. This module
assembles the public API; everything else is importable but not promised.

Names are imported when first used (PEP 562), so that importing one module of the package (the
CLI, a worker process that parses payloads) does not load every detector, model and database
driver first; ``tests/test_exported_members.py`` checks that the locations below and the
imports that type checkers read name the same objects.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from nigehban.banks.detector import BankDetector
    from nigehban.banks.formats import Format
    from nigehban.banks.index import BankIndex, BankMatch
    from nigehban.banks.model import Bank, Entry, Labels, SignalType, Thresholds
    from nigehban.banks.pdq_index import PdqIndex
    from nigehban.detectors.base import Detector, DetectorRegistry
    from nigehban.detectors.imminence import ImminenceDetector
    from nigehban.errors import (
        AmbiguousFormatError,
        AuthError,
        ConfigError,
        ConflictError,
        DependencyError,
        HeldError,
        InputError,
        NigehbanError,
        NotFoundError,
        PayloadError,
        SignatureError,
        UnknownFormatError,
        UsageError,
        ValidationError,
    )
    from nigehban.groups.detector import GroupDetector
    from nigehban.groups.matcher import GroupHit, GroupMatcher
    from nigehban.groups.model import Group, GroupKind, StateLabel
    from nigehban.groups.registry import Registry, load_registry
    from nigehban.hashing.fetch import FetchPolicy, FetchRefused, MediaFetcher
    from nigehban.hashing.media import FileHashes, hash_file
    from nigehban.hashing.quarantine import Quarantine
    from nigehban.hashing.text import TextIndex
    from nigehban.ingest.base import (
        Adapter,
        ParseContext,
        ParseResult,
        PlatformError,
        Skip,
        Tombstone,
    )
    from nigehban.ingest.registry import AdapterRegistry, default_registry
    from nigehban.model.decisions import Action, Decision
    from nigehban.model.digests import Digest
    from nigehban.model.items import Account, Entity, Item, Media, MediaKind, Origin, Post
    from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface, stand_in_id
    from nigehban.model.signals import Signal, SignalKind
    from nigehban.model.spans import Span
    from nigehban.model.taxonomy import Category, Language
    from nigehban.model.tenants import Tenant
    from nigehban.policy import (
        DecisionContext,
        Policy,
        PolicyHolder,
        Verdict,
        decide,
        find_policy,
        load_policies,
    )
    from nigehban.reasons import (
        ReasonsInput,
        Statement,
        transparency_record,
        user_statement,
        validate_transparency_record,
    )
    from nigehban.settings import Settings, load_settings
    from nigehban.stance.classifier import Classification, Classifier
    from nigehban.stance.detector import StanceDetector
    from nigehban.store.database import Database
    from nigehban.store.store import Session, Store
    from nigehban.text.normaliser import Level, Normalised, normalise, normalise_text
    from nigehban.workflows.banks import BanksWorkflow
    from nigehban.workflows.ingest import Ingestor, IngestReport
    from nigehban.workflows.scan import Scanner, ScanReport

__version__ = "0.1.0"

_LOCATIONS: dict[str, str] = {
    "Account": "nigehban.model.items",
    "Action": "nigehban.model.decisions",
    "Adapter": "nigehban.ingest.base",
    "AdapterRegistry": "nigehban.ingest.registry",
    "AmbiguousFormatError": "nigehban.errors",
    "AuthError": "nigehban.errors",
    "Bank": "nigehban.banks.model",
    "BankDetector": "nigehban.banks.detector",
    "BankIndex": "nigehban.banks.index",
    "BankMatch": "nigehban.banks.index",
    "BanksWorkflow": "nigehban.workflows.banks",
    "Category": "nigehban.model.taxonomy",
    "Classification": "nigehban.stance.classifier",
    "Classifier": "nigehban.stance.classifier",
    "ConfigError": "nigehban.errors",
    "ConflictError": "nigehban.errors",
    "Database": "nigehban.store.database",
    "Decision": "nigehban.model.decisions",
    "DecisionContext": "nigehban.policy",
    "DependencyError": "nigehban.errors",
    "Detector": "nigehban.detectors.base",
    "DetectorRegistry": "nigehban.detectors.base",
    "Digest": "nigehban.model.digests",
    "Entity": "nigehban.model.items",
    "Entry": "nigehban.banks.model",
    "FetchPolicy": "nigehban.hashing.fetch",
    "FetchRefused": "nigehban.hashing.fetch",
    "FileHashes": "nigehban.hashing.media",
    "Format": "nigehban.banks.formats",
    "Group": "nigehban.groups.model",
    "GroupDetector": "nigehban.groups.detector",
    "GroupHit": "nigehban.groups.matcher",
    "GroupKind": "nigehban.groups.model",
    "GroupMatcher": "nigehban.groups.matcher",
    "HeldError": "nigehban.errors",
    "ImminenceDetector": "nigehban.detectors.imminence",
    "IngestReport": "nigehban.workflows.ingest",
    "Ingestor": "nigehban.workflows.ingest",
    "InputError": "nigehban.errors",
    "Item": "nigehban.model.items",
    "ItemKind": "nigehban.model.refs",
    "ItemRef": "nigehban.model.refs",
    "Labels": "nigehban.banks.model",
    "Language": "nigehban.model.taxonomy",
    "Level": "nigehban.text.normaliser",
    "Media": "nigehban.model.items",
    "MediaFetcher": "nigehban.hashing.fetch",
    "MediaKind": "nigehban.model.items",
    "NigehbanError": "nigehban.errors",
    "Normalised": "nigehban.text.normaliser",
    "NotFoundError": "nigehban.errors",
    "Origin": "nigehban.model.items",
    "ParseContext": "nigehban.ingest.base",
    "ParseResult": "nigehban.ingest.base",
    "PayloadError": "nigehban.errors",
    "PdqIndex": "nigehban.banks.pdq_index",
    "Platform": "nigehban.model.refs",
    "PlatformError": "nigehban.ingest.base",
    "Policy": "nigehban.policy",
    "PolicyHolder": "nigehban.policy",
    "Post": "nigehban.model.items",
    "Quarantine": "nigehban.hashing.quarantine",
    "ReasonsInput": "nigehban.reasons",
    "Registry": "nigehban.groups.registry",
    "Relation": "nigehban.model.refs",
    "ScanReport": "nigehban.workflows.scan",
    "Scanner": "nigehban.workflows.scan",
    "Session": "nigehban.store.store",
    "Settings": "nigehban.settings",
    "Signal": "nigehban.model.signals",
    "SignalKind": "nigehban.model.signals",
    "SignalType": "nigehban.banks.model",
    "SignatureError": "nigehban.errors",
    "Skip": "nigehban.ingest.base",
    "Span": "nigehban.model.spans",
    "StanceDetector": "nigehban.stance.detector",
    "StateLabel": "nigehban.groups.model",
    "Statement": "nigehban.reasons",
    "Store": "nigehban.store.store",
    "Surface": "nigehban.model.refs",
    "Tenant": "nigehban.model.tenants",
    "TextIndex": "nigehban.hashing.text",
    "Thresholds": "nigehban.banks.model",
    "Tombstone": "nigehban.ingest.base",
    "UnknownFormatError": "nigehban.errors",
    "UsageError": "nigehban.errors",
    "ValidationError": "nigehban.errors",
    "Verdict": "nigehban.policy",
    "decide": "nigehban.policy",
    "default_registry": "nigehban.ingest.registry",
    "find_policy": "nigehban.policy",
    "hash_file": "nigehban.hashing.media",
    "load_policies": "nigehban.policy",
    "load_registry": "nigehban.groups.registry",
    "load_settings": "nigehban.settings",
    "normalise": "nigehban.text.normaliser",
    "normalise_text": "nigehban.text.normaliser",
    "stand_in_id": "nigehban.model.refs",
    "transparency_record": "nigehban.reasons",
    "user_statement": "nigehban.reasons",
    "validate_transparency_record": "nigehban.reasons",
}
"""Where each public name is defined: imported from there on first use."""

__all__ = [
    "Account",
    "Action",
    "Adapter",
    "AdapterRegistry",
    "AmbiguousFormatError",
    "AuthError",
    "Bank",
    "BankDetector",
    "BankIndex",
    "BankMatch",
    "BanksWorkflow",
    "Category",
    "Classification",
    "Classifier",
    "ConfigError",
    "ConflictError",
    "Database",
    "Decision",
    "DecisionContext",
    "DependencyError",
    "Detector",
    "DetectorRegistry",
    "Digest",
    "Entity",
    "Entry",
    "FetchPolicy",
    "FetchRefused",
    "FileHashes",
    "Format",
    "Group",
    "GroupDetector",
    "GroupHit",
    "GroupKind",
    "GroupMatcher",
    "HeldError",
    "ImminenceDetector",
    "IngestReport",
    "Ingestor",
    "InputError",
    "Item",
    "ItemKind",
    "ItemRef",
    "Labels",
    "Language",
    "Level",
    "Media",
    "MediaFetcher",
    "MediaKind",
    "NigehbanError",
    "Normalised",
    "NotFoundError",
    "Origin",
    "ParseContext",
    "ParseResult",
    "PayloadError",
    "PdqIndex",
    "Platform",
    "PlatformError",
    "Policy",
    "PolicyHolder",
    "Post",
    "Quarantine",
    "ReasonsInput",
    "Registry",
    "Relation",
    "ScanReport",
    "Scanner",
    "Session",
    "Settings",
    "Signal",
    "SignalKind",
    "SignalType",
    "SignatureError",
    "Skip",
    "Span",
    "StanceDetector",
    "StateLabel",
    "Statement",
    "Store",
    "Surface",
    "Tenant",
    "TextIndex",
    "Thresholds",
    "Tombstone",
    "UnknownFormatError",
    "UsageError",
    "ValidationError",
    "Verdict",
    "__version__",
    "decide",
    "default_registry",
    "find_policy",
    "hash_file",
    "load_policies",
    "load_registry",
    "load_settings",
    "normalise",
    "normalise_text",
    "stand_in_id",
    "transparency_record",
    "user_statement",
    "validate_transparency_record",
]


def __getattr__(name: str) -> Any:
    module = _LOCATIONS.get(name)
    if module is None:
        raise AttributeError(f"module 'nigehban' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
