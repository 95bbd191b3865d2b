"""`kind: directory` sources: every document file under a folder."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime

from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.formats import sniff_format
from orchestration.sources import DOCUMENT_EXTENSIONS, Source


def fetch_directory(source: Source, landing: Landing) -> list[FetchAttempt]:
    """One attempt per document file; a folder that is gone or holds no document is one
    failed attempt at the folder, saying which files it skipped."""
    folder = FetchAttempt(url=source.path.as_uri(), source_name=source.name, status="failed")
    if not source.path.is_dir():
        folder.error = f"directory not found: {source.path}"
        return [folder]
    previous = landing.latest_by_url(source.name)
    attempts, skipped = [], Counter()
    for file in sorted(source.path.rglob("*")):
        if not file.is_file():
            continue
        if file.suffix.lower() not in DOCUMENT_EXTENSIONS:
            skipped[file.suffix.lower() or "(no extension)"] += 1
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
    if not attempts:
        folder.error = f"no documents found in {source.path} ({_skipped(skipped)})"
        attempts.append(folder)
    return attempts


def _skipped(skipped: Counter) -> str:
    """'3 files skipped: not a document type: .md, .png', or 'no files'."""
    total = sum(skipped.values())
    if not total:
        return "no files"
    files = "1 file" if total == 1 else f"{total} files"
    return f"{files} skipped: not a document type: {', '.join(sorted(skipped))}"
