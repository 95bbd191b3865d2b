"""`kind: directory` sources: every document file under a folder."""

from __future__ import annotations

from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.sources import DOCUMENT_EXTENSIONS, Source


def fetch_directory(source: Source, landing: Landing) -> list[FetchAttempt]:
    if not source.path.is_dir():
        return [
            FetchAttempt(
                url=source.path.as_uri(),
                source_name=source.name,
                status="failed",
                error=f"directory not found: {source.path}",
            )
        ]
    attempts = []
    for file in sorted(source.path.rglob("*")):
        if not file.is_file() or file.suffix.lower() not in DOCUMENT_EXTENSIONS:
            continue
        try:
            data = file.read_bytes()
        except OSError as exc:
            attempts.append(
                FetchAttempt(
                    url=file.as_uri(),
                    source_name=source.name,
                    status="failed",
                    error=f"cannot read: {exc.strerror}",
                )
            )
            continue
        sha256, new = landing.store(data)
        attempts.append(
            FetchAttempt(
                url=file.as_uri(),
                source_name=source.name,
                status="new" if new else "unchanged",
                sha256=sha256,
                bytes=len(data),
                content_type=None,
            )
        )
    return attempts
