"""Fetch every source into the landing area; a failing source fails alone."""

from __future__ import annotations

from collections import Counter

from orchestration.fetch.directory import fetch_directory
from orchestration.fetch.http import fetch_http
from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.sources import Source

FETCHERS = {"directory": fetch_directory, "http": fetch_http}


def fetch_source(source: Source, landing: Landing) -> list[FetchAttempt]:
    """Fetch one source and log every attempt; an unexpected error is logged, not raised."""
    try:
        attempts = FETCHERS[source.kind](source, landing)
    except Exception as exc:  # the source fails as a whole, the others go on
        attempts = [FetchAttempt(url=source.location, source_name=source.name, status="failed",
                                 error=f"source failed: {type(exc).__name__}: {exc}")]
    landing.log(attempts)
    return attempts


def fetch_all(sources: list[Source], landing: Landing) -> dict[str, Counter]:
    """Fetch all sources; returns status counts (new / unchanged / failed) per source."""
    return {s.name: Counter(a.status for a in fetch_source(s, landing)) for s in sources}
