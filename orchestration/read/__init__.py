"""Readers: a document's bytes -> `Line`s (the intermediate form template parsers consume)."""
