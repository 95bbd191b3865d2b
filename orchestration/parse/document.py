"""Parse one landed document: sniff its format, read it, recognise its template, parse it.

A document that cannot be parsed still yields its `documents` record, with `status` and a
`status_reason` naming why, so that it is reported and retried rather than lost.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from orchestration.formats import sniff_format
from orchestration.parse import template_a
from orchestration.parse.layout import decode_text, text_lines

PARSER_VERSION = "2026.11.1"


def document_key(sha256: str) -> str:
    """Documents are identified by their bytes: the first 16 hex digits of their SHA-256."""
    return sha256[:16]


def parse_bytes(data: bytes, meta: dict | None = None) -> dict[str, list[dict]]:
    """Parse a document's bytes into raw records. Never raises for a bad document."""
    sha256 = hashlib.sha256(data).hexdigest()
    key = document_key(sha256)
    fmt = sniff_format(data)
    base = {
        "document_key": key,
        "sha256": sha256,
        "format": fmt,
        "parser_version": PARSER_VERSION,
        "parsed_at": datetime.now(UTC).replace(tzinfo=None),
        **(meta or {}),
    }
    try:
        if fmt != "txt":
            raise UnsupportedDocument(f"format {fmt!r} is not readable yet")
        lines = text_lines(decode_text(data))
        if not lines:
            raise UnsupportedDocument("the document has no text")
        if not template_a.is_template_a(lines):
            raise UnsupportedDocument("unknown template: no template A sections found")
        records = template_a.parse(lines, key)
    except UnsupportedDocument as exc:
        return {"documents": [{**base, "status": "unsupported", "status_reason": str(exc)}]}
    except Exception as exc:  # a parser bug must not stop the other documents
        reason = f"parser error: {type(exc).__name__}: {exc}"
        return {"documents": [{**base, "status": "failed", "status_reason": reason}]}
    records["documents"][0].update(base, status="parsed", status_reason=None)
    return records


class UnsupportedDocument(Exception):
    """A document the parser recognises it cannot read (format, template, no text)."""
