"""Personal-data handling: masking for messages and logs, retention and erasure rules."""
