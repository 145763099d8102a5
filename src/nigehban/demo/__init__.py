"""Demonstration data: a small, fictional set of posts to try Nigehban on.

``posts.jsonl`` holds generic records (see :mod:`nigehban.ingest.jsonl`) across X, Facebook,
Instagram, Telegram and WhatsApp, in English, Urdu, Roman Urdu and Pashto. Most of it is
protected speech — news of attacks, condemnation and counter-speech, dissent, everyday chatter —
with a few clearly violating, non-operational examples of extremist rhetoric (glorification, a
claim of responsibility, recruitment appeals). Written for Nigehban; no real persons, handles,
ids or links (``example.org`` / ``example.com`` only). Provenance: ``README.md`` beside it.

Try it with ``nigehban ingest "$(python -c 'import nigehban.demo as d; print(d.demo_path())')"``.
"""

from __future__ import annotations

from pathlib import Path

DEMO_FILE = "posts.jsonl"


def demo_path() -> Path:
    """The demonstration JSONL file shipped with the package."""
    return Path(__file__).resolve().parent / DEMO_FILE


__all__ = ["DEMO_FILE", "demo_path"]
