"""The public API is exactly what nigehban/__init__.py promises."""

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
