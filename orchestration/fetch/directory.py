"""`kind: directory` sources: every document file under a folder.

Only regular files inside the folder's own tree are read: symbolic links (to files or folders)
are never followed, FIFOs, devices and sockets are never opened, and a file with more than one
hard link (which may be a file from outside the tree) is never read; each one skipped is a
failed attempt saying why. A name that is not valid UTF-8 (GBK bytes, say) keeps its raw bytes
percent-encoded in the file:// URL; its title is the name decoded as GB18030. Files over
100 MB (`max_bytes`' default) are refused.
"""

from __future__ import annotations

import os
import stat
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

from orchestration.fetch.landing import FetchAttempt, Landing
from orchestration.formats import sniff_format
from orchestration.sources import DOCUMENT_EXTENSIONS, Source

SPECIAL = {  # what a non-regular entry is, by its stat mode
    stat.S_ISLNK: "symbolic link (not followed)",
    stat.S_ISFIFO: "FIFO (named pipe)",
    stat.S_ISSOCK: "socket",
    stat.S_ISCHR: "character device",
    stat.S_ISBLK: "block device",
}
HARD_LINK = "hard link (may be a file from outside the source)"


def fetch_directory(source: Source, landing: Landing) -> Iterator[FetchAttempt]:
    """One attempt per document file and per entry skipped; a folder that is gone or holds no
    document is one failed attempt at the folder, saying what it skipped."""
    folder = FetchAttempt(url=source.path.as_uri(), source_name=source.name, status="failed")
    if not source.path.is_dir():
        folder.error = f"directory not found: {source.path}"
        yield folder
        return
    previous = landing.latest_by_url(source.name)
    fetched, types, others = 0, Counter(), Counter()
    for path, info in _entries(source.path):
        attempt = FetchAttempt(
            url=path.as_uri(),
            source_name=source.name,
            status="failed",
            title=readable(path.stem),
            found_on=source.path.as_uri(),
        )
        if isinstance(info, OSError):
            attempt.error = f"cannot read: {info.strerror or info}"
            yield attempt
            continue
        kind = next((what for test, what in SPECIAL.items() if test(info.st_mode)), None)
        if kind is None and path.suffix.lower() not in DOCUMENT_EXTENSIONS:
            types[readable(path.suffix.lower()) or "(no extension)"] += 1
            continue
        if kind is None and info.st_nlink > 1:
            kind = HARD_LINK
        if kind:
            attempt.error = f"skipped: {kind}"
            others[kind] += 1
            yield attempt
            continue
        try:
            data, mtime = _read_regular(path, source.max_bytes)
        except OSError as exc:
            attempt.error = f"cannot read: {exc.strerror or exc}"
            yield attempt
            continue
        modified = datetime.fromtimestamp(mtime, UTC).replace(tzinfo=None)
        attempt.modified_at = modified.isoformat(timespec="seconds")
        attempt.sha256, attempt.stored = landing.store(data)
        attempt.bytes, attempt.sniffed_format = len(data), sniff_format(data)
        before = previous.get(attempt.url, {}).get("ok")
        if before is None:
            attempt.status = "new"
        else:
            attempt.status = "unchanged" if before["sha256"] == attempt.sha256 else "changed"
        fetched += 1
        yield attempt
    if not fetched:
        folder.error = f"no documents found in {source.path} ({_skipped(types, others)})"
        yield folder


def readable(name: str) -> str:
    """A file name as text: names that are not UTF-8 (GBK bytes) are decoded as GB18030, and
    anything still undecodable becomes U+FFFD (the raw bytes stay in the URL)."""
    raw = os.fsencode(name)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")


def _entries(folder: Path) -> Iterator[tuple[Path, os.stat_result | OSError]]:
    """(path, stat) of every entry under `folder`, sorted, never following symbolic links; an
    entry or subfolder that cannot be read comes with its error instead."""
    try:
        with os.scandir(folder) as scan:
            entries = sorted(scan, key=lambda e: os.fsencode(e.name))
    except OSError as exc:
        yield folder, exc
        return
    for entry in entries:
        try:
            info = entry.stat(follow_symlinks=False)
        except OSError as exc:
            yield Path(entry.path), exc
            continue
        if stat.S_ISDIR(info.st_mode):
            yield from _entries(Path(entry.path))
        else:
            yield Path(entry.path), info


def _read_regular(path: Path, limit: int) -> tuple[bytes, float]:
    """The bytes and mtime of a regular file of at most `limit` bytes, refusing one swapped for
    a link, FIFO or device since it was listed (opened without following links or blocking)."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(f"not a regular file: {readable(path.name)}")
        if info.st_nlink > 1:
            raise OSError(f"{HARD_LINK}: {readable(path.name)}")
        data = handle.read(limit + 1)
        if len(data) > limit:
            raise OSError(f"too large: over {limit} bytes")
        return data, info.st_mtime


def _skipped(types: Counter, others: Counter) -> str:
    """'3 files skipped: not a document type: .md, .png; 1 entry skipped: FIFO (named pipe)',
    or 'no files'."""
    parts = []
    if types:
        total = sum(types.values())
        files = "1 file" if total == 1 else f"{total} files"
        parts.append(f"{files} skipped: not a document type: {', '.join(sorted(types))}")
    if others:
        total = sum(others.values())
        entries = "1 entry" if total == 1 else f"{total} entries"
        parts.append(f"{entries} skipped: {', '.join(sorted(others))}")
    return "; ".join(parts) or "no files"
