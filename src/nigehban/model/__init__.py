"""The core vocabulary: items and their identity, spans, signals, decisions, tenants."""
