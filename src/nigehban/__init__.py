"""Nigehban: trust and safety for terrorist and violent extremist content.

The library is the product's core; the CLI and the API are thin faces over it. This module
assembles the public API; everything else is importable but not promised.
"""

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
