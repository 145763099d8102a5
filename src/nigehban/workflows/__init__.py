"""Workflows: the operations a user asks for, composed from adapters, detectors and the store."""
