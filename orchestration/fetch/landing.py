"""The landing area: every fetched file, stored once by content, never overwritten.

Layout under `<home>/landing/`:
- `objects/ab/abcdef…` the bytes, named by their SHA-256;
- `fetch_log.jsonl` one JSON line per fetch attempt (appended, flushed, never rewritten).
A run killed midway leaves at worst a temporary file, which the next run ignores.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


@dataclass
class FetchAttempt:
    """One row of `raw.fetch_log`: one URL requested (or refused) once."""

    url: str
    source_name: str
    status: str  # new | changed | unchanged | failed
    kind: str = "document"  # document | page (a listing or detail page)
    sha256: str | None = None
    bytes: int | None = None
    content_type: str | None = None  # as the server said
    sniffed_format: str | None = None  # as the bytes say: pdf, ole2, zip, html, txt
    http_status: int | None = None
    final_url: str | None = None  # after redirects
    title: str | None = None  # link text (标题) that led here
    found_on: str | None = None  # the page the link was found on
    etag: str | None = None
    last_modified: str | None = None  # the Last-Modified header, as sent
    modified_at: str | None = None  # when the publisher last changed it (file mtime, or
    # Last-Modified), ISO 8601 UTC; orders re-published versions
    stored: bool = False  # the bytes were new to the landing area
    tries: int = 0
    error: str | None = None
    fetched_at: str = field(default_factory=lambda: utcnow().isoformat(timespec="seconds"))


class Landing:
    def __init__(self, home: Path):
        self.root = Path(home) / "landing"
        self.objects = self.root / "objects"
        self.log_path = self.root / "fetch_log.jsonl"
        self.objects.mkdir(parents=True, exist_ok=True)

    def path_of(self, sha256: str) -> Path:
        return self.objects / sha256[:2] / sha256

    def has(self, sha256: str) -> bool:
        return self.path_of(sha256).exists()

    def store(self, data: bytes) -> tuple[str, bool]:
        """Store bytes by content. Returns (sha256, whether they were new)."""
        sha256 = hashlib.sha256(data).hexdigest()
        target = self.path_of(sha256)
        if target.exists():
            return sha256, False
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o444)
        os.replace(tmp, target)  # atomic; identical content if two writers race
        return sha256, True

    def read(self, sha256: str) -> bytes:
        return self.path_of(sha256).read_bytes()

    def log(self, attempts: list[FetchAttempt]) -> None:
        """Append attempts to the fetch log in one write."""
        if not attempts:
            return
        lines = "".join(json.dumps(asdict(a), ensure_ascii=False) + "\n" for a in attempts)
        with open(self.log_path, "a", encoding="utf-8") as handle:
            handle.write(lines)
            handle.flush()
            os.fsync(handle.fileno())

    def latest_by_url(self, source_name: str) -> dict[str, dict]:
        """The latest attempt at each URL of a source, and under `ok` the latest success."""
        latest: dict[str, dict] = {}
        for attempt in self.attempts():
            if attempt["source_name"] != source_name:
                continue
            entry = latest.setdefault(attempt["url"], {})
            entry["last"] = attempt
            if attempt["status"] != "failed" and attempt.get("sha256"):
                entry["ok"] = attempt
        return latest

    def attempts(self) -> list[dict]:
        """Every logged attempt, oldest first (a torn last line from a killed run is skipped)."""
        if not self.log_path.exists():
            return []
        rows = []
        with open(self.log_path, encoding="utf-8") as handle:
            for line in handle:
                try:
                    rows.append(json.loads(line))
                except json.JSONDecodeError:
                    continue
        return rows
