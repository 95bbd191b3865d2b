"""Parse one landed document: sniff its format, read it, recognise its template, parse it.

A document that cannot be parsed still yields its `documents` record, with `status` and a
`status_reason` naming why, so that it is reported and retried rather than lost.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from orchestration.formats import document_format, sniff_format
from orchestration.parse import template_a, template_b
from orchestration.read.dispatch import UnreadableDocument, read_document

PARSER_VERSION = "2026.12.1"


def document_key(sha256: str) -> str:
    """Documents are identified by their bytes: the first 16 hex digits of their SHA-256."""
    return sha256[:16]


# Templates in the order they are tried: (recognise from content, parse).
TEMPLATES = [
    (template_b.is_template_b, template_b.parse),
    (template_a.is_template_a, template_a.parse),
]


def parse_bytes(data: bytes, meta: dict | None = None) -> dict[str, list[dict]]:
    """Parse a document's bytes into raw records. Never raises for a bad document: its one
    `documents` record then says `unreadable` (corrupt, encrypted, no text layer, format not
    supported), `unsupported` (no known template) or `failed` (a parser error), and why."""
    sha256 = hashlib.sha256(data).hexdigest()
    key = document_key(sha256)
    fmt = sniff_format(data)
    base = {
        "document_key": key,
        "sha256": sha256,
        "format": document_format(data),  # docx, xlsx, doc, xls where fmt is zip or ole2
        "parser_version": PARSER_VERSION,
        "parsed_at": datetime.now(UTC).replace(tzinfo=None),
        **(meta or {}),
    }
    try:
        lines = read_document(data, fmt)
        parser = next((parse for detect, parse in TEMPLATES if detect(lines)), None)
        if parser is None:
            raise UnsupportedDocument(
                "unknown template: neither a Hebei (A) nor a Shanghai (B) budget disclosure"
            )
        records = parser(lines, key)
    except UnreadableDocument as exc:
        return {"documents": [{**base, "status": "unreadable", "status_reason": str(exc)}]}
    except UnsupportedDocument as exc:
        return {"documents": [{**base, "status": "unsupported", "status_reason": str(exc)}]}
    except Exception as exc:  # a parser bug must not stop the other documents
        reason = f"parser error: {type(exc).__name__}: {exc}"
        return {"documents": [{**base, "status": "failed", "status_reason": reason}]}
    records["documents"][0].update(base, status="parsed", status_reason=None)
    return records


class UnsupportedDocument(Exception):
    """A readable document of no known template."""
