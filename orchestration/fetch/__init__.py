"""Fetch: sources -> immutable, content-addressed landing area + an append-only fetch log."""
