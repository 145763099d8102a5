"""Ingest: one adapter per platform format, each turning a real payload into items.

Adapters are pure (payload in, :class:`~nigehban.ingest.base.ParseResult` out): they never touch
the store or the web layer. ``workflows/ingest.py`` stores what they produce.
"""
