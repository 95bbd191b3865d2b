"""Parse every landed document not yet parsed by this parser version.

Results are cached as `parsed/<version>/<sha256>.json`: an unchanged document is never parsed
twice. Documents that failed are not cached, so they are retried on the next run.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from orchestration.fetch.landing import Landing
from orchestration.home import Home
from orchestration.parse.document import PARSER_VERSION, parse_bytes


@dataclass
class ParseSummary:
    parsed: int = 0  # parsed in this run
    cached: int = 0  # unchanged since an earlier run
    by_status: Counter = field(default_factory=Counter)  # parsed / unsupported / failed
    problems: list[dict] = field(default_factory=list)  # document, url, status, reason


def known_documents(landing: Landing) -> dict[str, dict]:
    """sha256 -> where it was first fetched from (source_name, url), from the fetch log."""
    documents: dict[str, dict] = {}
    for attempt in landing.attempts():
        sha256 = attempt.get("sha256")
        if (
            sha256
            and attempt["status"] != "failed"
            and attempt.get("kind", "document") == "document"
            and sha256 not in documents
        ):
            documents[sha256] = {"source_name": attempt["source_name"], "url": attempt["url"]}
    return documents


def _json_default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def dumps(records: dict) -> str:
    return json.dumps(records, ensure_ascii=False, default=_json_default)


def cache_dir(home: Home) -> Path:
    return home.parsed / PARSER_VERSION


def parse_all(home: Home, landing: Landing) -> ParseSummary:
    summary = ParseSummary()
    directory = cache_dir(home)
    directory.mkdir(parents=True, exist_ok=True)
    for sha256, origin in known_documents(landing).items():
        target = directory / f"{sha256}.json"
        if target.exists():
            summary.cached += 1
            document = json.loads(target.read_text(encoding="utf-8"))["documents"][0]
        else:
            records = parse_bytes(landing.read(sha256), origin)
            document = records["documents"][0]
            summary.parsed += 1
            if document["status"] != "failed":
                _write_atomic(target, dumps(records))
        summary.by_status[document["status"]] += 1
        if document["status"] != "parsed":
            summary.problems.append(
                {
                    "document_key": document["document_key"],
                    "url": origin["url"],
                    "status": document["status"],
                    "reason": document["status_reason"],
                }
            )
    return summary


def parsed_records(home: Home, landing: Landing):
    """Yield each known document's records (from the cache, or parsed now if it failed)."""
    directory = cache_dir(home)
    for sha256, origin in known_documents(landing).items():
        target = directory / f"{sha256}.json"
        if target.exists():
            yield json.loads(target.read_text(encoding="utf-8"))
        else:
            yield json.loads(dumps(parse_bytes(landing.read(sha256), origin)))


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    os.replace(tmp, path)
