"""Detectors: anything that looks at an item and yields signals (pure: no store, no web)."""
