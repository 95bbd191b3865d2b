"""Documents an operator keeps out of the warehouse, each by its key and with a reason.

`<home>/exclusions.csv` has one row per excluded document (`document_key`, `reason`,
`excluded_at`); `yusuan exclude` and `yusuan include` edit it, and it may be edited by hand.
An excluded document stays in the landing area and in `dim_document`, with status `excluded`
and the operator's reason, and reaches no fact: so a document that blocks publishing can be
set aside while the rest of the corpus publishes. The list is part of the build's
fingerprint: the next run builds again.
"""

from __future__ import annotations

import csv
import io
import os
import re
import tempfile
from datetime import UTC, datetime

from orchestration.home import Home

FIELDS = ("document_key", "reason", "excluded_at")
KEY = re.compile(r"[0-9a-f]{16}")
# what an excluded document's record keeps: where it came from, never what was parsed from it
KEPT = ("document_key", "sha256", "format", "parser_version", "parsed_at", "source_name", "url")


class ExclusionError(ValueError):
    """A key or reason that cannot be recorded, or an unreadable exclusions file."""


def exclusions_path(home: Home):
    return home.root / "exclusions.csv"


def read_exclusions(home: Home) -> dict[str, dict]:
    """document_key -> its row (reason, excluded_at); empty when there is no file."""
    path = exclusions_path(home)
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    exclusions = {}
    for line, row in enumerate(rows, start=2):
        key = (row.get("document_key") or "").strip().lower()
        if not KEY.fullmatch(key):
            raise ExclusionError(
                f"{path}, line {line}: document_key {key!r} is not 16 hexadecimal digits"
            )
        exclusions[key] = {**row, "document_key": key, "reason": (row.get("reason") or "").strip()}
    return exclusions


def _write(home: Home, exclusions: dict[str, dict]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, FIELDS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    writer.writerows(exclusions[key] for key in sorted(exclusions))
    path = exclusions_path(home)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-exclusions-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(buffer.getvalue())
    os.replace(tmp, path)


def normalise_key(key: str, known: set[str]) -> str:
    """A document key as typed (or a full SHA-256), checked against the landed documents."""
    key = key.strip().lower()[:16]
    if not KEY.fullmatch(key):
        raise ExclusionError(f"{key!r} is not a document key (16 hexadecimal digits)")
    if key not in known:
        raise ExclusionError(f"no landed document has the key {key}")
    return key


def exclude(home: Home, keys: list[str], reason: str, known: set[str]) -> list[str]:
    """Record `keys` (documents in `known`) as excluded for `reason`; returns the keys."""
    reason = " ".join(reason.split())
    if not reason:
        raise ExclusionError("a reason is needed: say why the document is kept out")
    chosen = [normalise_key(key, known) for key in keys]
    exclusions = read_exclusions(home)
    now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    for key in chosen:
        exclusions[key] = {"document_key": key, "reason": reason, "excluded_at": now}
    _write(home, exclusions)
    return chosen


def include(home: Home, keys: list[str]) -> list[str]:
    """Take `keys` off the list; returns the keys that were on it."""
    exclusions = read_exclusions(home)
    removed = [key for key in (k.strip().lower()[:16] for k in keys) if exclusions.pop(key, None)]
    if removed:
        _write(home, exclusions)
    return removed


def excluded_record(records: dict, exclusion: dict) -> dict[str, list[dict]]:
    """A document's records as excluded: its origin only, with the operator's reason."""
    document = records["documents"][0]
    reason = f"excluded by the operator ({exclusion.get('excluded_at') or 'undated'})"
    if exclusion.get("reason"):
        reason += f": {exclusion['reason']}"
    kept = {field: document.get(field) for field in KEPT}
    return {"documents": [{**kept, "status": "excluded", "status_reason": reason}]}
