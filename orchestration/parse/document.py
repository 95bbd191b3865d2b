"""Parse one landed document: sniff its format, read it, recognise its template, parse it.

A document that cannot be parsed still yields its `documents` record, with `status` and a
`status_reason` naming why, so that it is reported and retried rather than lost.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from orchestration.formats import document_format, sniff_format
from orchestration.parse import final_accounts, template_a, template_b
from orchestration.parse.blanks import template_blanks
from orchestration.parse.coverage import number_coverage
from orchestration.read.dispatch import UnreadableDocument, read_document
from orchestration.safe_text import printable

PARSER_VERSION = "2026.12.12"


def document_key(sha256: str) -> str:
    """Documents are identified by their bytes: the first 16 hex digits of their SHA-256."""
    return sha256[:16]


# Templates in the order they are tried: (recognise from content, parse).
TEMPLATES = [
    (template_b.is_template_b, template_b.parse),
    (final_accounts.is_final_accounts, final_accounts.parse),
    (template_a.is_template_a, template_a.parse),
]


def document_base(data: bytes, meta: dict | None = None) -> dict:
    """The fields of a document's `documents` record that do not depend on parsing it."""
    sha256 = hashlib.sha256(data).hexdigest()
    return {
        "document_key": document_key(sha256),
        "sha256": sha256,
        "format": document_format(data),  # docx, xlsx, doc, xls where fmt is zip or ole2
        "parser_version": PARSER_VERSION,
        "parsed_at": datetime.now(UTC).replace(tzinfo=None),
        **(meta or {}),
    }


def refused(data: bytes, meta: dict | None, reason: str) -> dict[str, list[dict]]:
    """The records of a document that could not be read at all: `unreadable`, and why."""
    reason = printable(reason)
    document = {**document_base(data, meta), "status": "unreadable", "status_reason": reason}
    return {"documents": [document]}


def parse_bytes(data: bytes, meta: dict | None = None) -> dict[str, list[dict]]:
    """Parse a document's bytes into raw records. Never raises for a bad document: its one
    `documents` record then says `unreadable` (corrupt, encrypted, no text layer, format not
    supported), `unsupported` (no known template), `quarantined` (it looks like a template but
    lacks what places it: department, year, level, kind) or `failed` (a parser error), and why.
    Running out of memory raises MemoryError, for the caller's memory limit to report."""
    base = document_base(data, meta)
    try:
        lines = read_document(data, sniff_format(data))
        parser = next((parse for detect, parse in TEMPLATES if detect(lines)), None)
        if parser is None:
            raise UnsupportedDocument(
                "unknown template: neither a Hebei (A) nor a Shanghai (B) budget disclosure"
            )
        records = parser(lines, base["document_key"])
    except MemoryError:
        raise
    except Exception as exc:
        if isinstance(exc.__context__, MemoryError):  # a reader's "corrupt" for want of memory
            raise exc.__context__ from None
        if isinstance(exc, UnreadableDocument):
            status, reason = "unreadable", str(exc)
        elif isinstance(exc, UnsupportedDocument):
            status, reason = "unsupported", str(exc)
        else:  # a parser bug must not stop the other documents
            status, reason = "failed", f"parser error: {type(exc).__name__}: {exc}"
        # a reason may quote the document (a ZIP member's name): one printable line
        return {"documents": [{**base, "status": status, "status_reason": printable(reason)}]}
    document = records["documents"][0]
    missing = [label for field, label in IDENTITY if document.get(field) in (None, "")]
    if missing:  # a page that merely looks like a template: it never reaches the facts
        reason = (
            f"read as template {document.get('template')} but without its "
            f"{', '.join(missing)}; kept out of the warehouse's facts"
        )
        return {"documents": [{**base, "status": "quarantined", "status_reason": reason}]}
    printed, uncaptured = number_coverage(lines, records)
    records["uncaptured_numbers"] = [
        {"document_key": base["document_key"], **number} for number in uncaptured
    ]
    # after the coverage: the text around a blank holds no figure of the document's
    records["template_blanks"] = template_blanks(lines, base["document_key"])
    document.update(
        base,
        status="parsed",
        status_reason=None,
        numbers_printed=printed,
        numbers_captured=printed - len(uncaptured),
    )
    return records


# What a parsed document must state to be placed in the warehouse: field, its name in words.
IDENTITY = (
    ("department_name", "department name"),
    ("fiscal_year", "fiscal year"),
    ("level", "level (department or unit)"),
    ("kind", "kind (budget or final accounts)"),
)


class UnsupportedDocument(Exception):
    """A readable document of no known template."""
