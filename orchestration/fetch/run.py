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
        attempts = [
            FetchAttempt(
                url=source.location,
                source_name=source.name,
                status="failed",
                error=f"source failed: {type(exc).__name__}: {exc}",
            )
        ]
    landing.log(attempts)
    return attempts


def fetch_all(sources: list[Source], landing: Landing) -> list[FetchAttempt]:
    """Fetch all sources, one after the other; returns every attempt."""
    return [attempt for source in sources for attempt in fetch_source(source, landing)]


def status_counts(attempts: list[FetchAttempt]) -> Counter:
    """new / changed / unchanged / failed."""
    return Counter(a.status for a in attempts)


def source_failed(attempts: list[FetchAttempt]) -> bool:
    """A source failed as a whole when nothing it asked for could be fetched."""
    return not attempts or all(a.status == "failed" for a in attempts)
