"""Nigehban: trust and safety for terrorist and violent extremist content."""

__version__ = "0.1.0"
