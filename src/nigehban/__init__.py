"""Nigehban: trust and safety for terrorist and violent extremist content.

The library is the product's core; the CLI and the API are thin faces over it. This module
assembles the public API; everything else is importable but not promised.
"""

from nigehban.detectors.base import Detector, DetectorRegistry
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
from nigehban.ingest.base import Adapter, ParseContext, ParseResult, PlatformError, Skip, Tombstone
from nigehban.ingest.registry import AdapterRegistry, default_registry
from nigehban.model.decisions import Action, Decision
from nigehban.model.digests import Digest
from nigehban.model.items import Account, Entity, Item, Media, MediaKind, Origin, Post
from nigehban.model.refs import ItemKind, ItemRef, Platform, Relation, Surface, stand_in_id
from nigehban.model.signals import Signal, SignalKind
from nigehban.model.spans import Span
from nigehban.model.taxonomy import Category, Language
from nigehban.model.tenants import Tenant
from nigehban.settings import Settings, load_settings
from nigehban.stance.classifier import Classification, Classifier
from nigehban.stance.detector import StanceDetector
from nigehban.store.database import Database
from nigehban.store.store import Session, Store
from nigehban.text.normaliser import Level, Normalised, normalise, normalise_text
from nigehban.workflows.ingest import Ingestor, IngestReport

__version__ = "0.1.0"

__all__ = [
    "Account",
    "Action",
    "Adapter",
    "AdapterRegistry",
    "AmbiguousFormatError",
    "AuthError",
    "Category",
    "Classification",
    "Classifier",
    "ConfigError",
    "ConflictError",
    "Database",
    "Decision",
    "DependencyError",
    "Detector",
    "DetectorRegistry",
    "Digest",
    "Entity",
    "Group",
    "GroupDetector",
    "GroupHit",
    "GroupKind",
    "GroupMatcher",
    "HeldError",
    "IngestReport",
    "Ingestor",
    "InputError",
    "Item",
    "ItemKind",
    "ItemRef",
    "Language",
    "Level",
    "Media",
    "MediaKind",
    "NigehbanError",
    "Normalised",
    "NotFoundError",
    "Origin",
    "ParseContext",
    "ParseResult",
    "PayloadError",
    "Platform",
    "PlatformError",
    "Post",
    "Registry",
    "Relation",
    "Session",
    "Settings",
    "Signal",
    "SignalKind",
    "SignatureError",
    "Skip",
    "Span",
    "StanceDetector",
    "StateLabel",
    "Store",
    "Surface",
    "Tenant",
    "Tombstone",
    "UnknownFormatError",
    "UsageError",
    "ValidationError",
    "__version__",
    "default_registry",
    "load_registry",
    "load_settings",
    "normalise",
    "normalise_text",
    "stand_in_id",
]
