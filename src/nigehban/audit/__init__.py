"""The audit trail: typed events, keyed digests, and the hash chain that links them."""
