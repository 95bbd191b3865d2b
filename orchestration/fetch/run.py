"""Fetch every source into the landing area; a failing source fails alone."""

from __future__ import annotations

from collections import Counter

from orchestration.fetch.directory import fetch_directory
from orchestration.fetch.http import fetch_http
from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.sources import Source

FETCHERS = {"directory": fetch_directory, "http": fetch_http}


def fetch_source(source: Source, landing: Landing) -> list[FetchAttempt]:
    """Fetch one source, logging each attempt as it ends (an interrupted run keeps what it
    did); an unexpected error ends the source with one more failed attempt, not raised."""
    attempts: list[FetchAttempt] = []
    try:
        for attempt in FETCHERS[source.kind](source, landing):
            landing.log([attempt])
            attempts.append(attempt)
    except Exception as exc:  # the source fails, the others go on
        failure = FetchAttempt(
            url=source.location,
            source_name=source.name,
            status="failed",
            error=f"source failed: {type(exc).__name__}: {exc}",
        )
        landing.log([failure])
        attempts.append(failure)
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


def source_empty_reason(source: Source, attempts: list[FetchAttempt]) -> str | None:
    """Why a source fetched no document in these attempts, or None when it fetched one
    (new, changed or unchanged)."""
    documents = [a for a in attempts if a.kind == "document"]
    if any(a.status != "failed" for a in documents):
        return None
    whole = {source.location} | ({source.path.as_uri()} if source.path else set())
    for attempt in documents:
        if attempt.url in whole:  # the folder, or the source as a whole, failed
            return attempt.error
    pages = [a for a in attempts if a.kind == "page"]
    starts = [a for a in pages if a.url in source.urls]
    if starts and all(a.status == "failed" for a in starts):
        return "; ".join(f"start page {a.url} failed: {a.error}" for a in starts)
    if documents:
        return f"{_count(len(documents), 'document')} found, none fetched: " + _errors(documents)
    if not pages:
        return "nothing was fetched"
    read = [a for a in pages if a.status != "failed"]
    reason = f"no document links matched on {_count(len(read), 'page')}"
    failed = len(pages) - len(read)
    return reason + (f" ({_count(failed, 'page')} failed: {_errors(pages)})" if failed else "")


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _errors(attempts: list[FetchAttempt]) -> str:
    """The failures' reasons, most frequent first: '3× HTTP 404; timeout: …'."""
    counts = Counter(a.error for a in attempts if a.status == "failed")
    return "; ".join(f"{n}× {error}" if n > 1 else error for error, n in counts.most_common())
