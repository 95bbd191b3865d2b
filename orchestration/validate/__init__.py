"""Validate: Great Expectations suites (files under `expectations/`) run on warehouse tables."""
