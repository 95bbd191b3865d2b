"""`kind: directory` sources: every document file under a folder."""

from __future__ import annotations

from datetime import UTC, datetime

from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.formats import sniff_format
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
    previous = landing.latest_by_url(source.name)
    attempts = []
    for file in sorted(source.path.rglob("*")):
        if not file.is_file() or file.suffix.lower() not in DOCUMENT_EXTENSIONS:
            continue
        attempt = FetchAttempt(
            url=file.as_uri(),
            source_name=source.name,
            status="failed",
            title=file.stem,
            found_on=source.path.as_uri(),
        )
        try:
            data = file.read_bytes()
            modified = datetime.fromtimestamp(file.stat().st_mtime, UTC).replace(tzinfo=None)
            attempt.modified_at = modified.isoformat(timespec="seconds")
        except OSError as exc:
            attempt.error = f"cannot read: {exc.strerror}"
            attempts.append(attempt)
            continue
        attempt.sha256, attempt.stored = landing.store(data)
        attempt.bytes, attempt.sniffed_format = len(data), sniff_format(data)
        before = previous.get(attempt.url, {}).get("ok")
        if before is None:
            attempt.status = "new"
        else:
            attempt.status = "unchanged" if before["sha256"] == attempt.sha256 else "changed"
        attempts.append(attempt)
    return attempts
