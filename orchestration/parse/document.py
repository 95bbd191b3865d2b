"""Parse one landed document: sniff its format, read it, recognise what it is, parse it.

What a document is (kind, level, entity, fiscal year, region) is recognised from its own text
(`recognise.py`), whatever its province. It is then parsed by the reader of its family: the
Shanghai budgets and final accounts and the Hebei county budgets have readers of their own
sections; every other disclosure of the national scheme is read by `national.py` (its tables
through the catalog, its narrative's statements). A document that cannot be parsed still yields
its `documents` record, with `status` and a `status_reason` naming why, so that it is reported
and retried rather than lost.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from orchestration.formats import document_format, sniff_format
from orchestration.parse import final_accounts, national, template_a, template_b
from orchestration.parse.blanks import template_blanks
from orchestration.parse.coverage import number_coverage
from orchestration.parse.recognise import Recognition, canonical_name, recognise
from orchestration.read.dispatch import UnreadableDocument, read_document
from orchestration.safe_text import printable

PARSER_VERSION = "2026.12.16"


def document_key(sha256: str) -> str:
    """Documents are identified by their bytes: the first 16 hex digits of their SHA-256."""
    return sha256[:16]


def _is_hebei(lines) -> bool:
    """Hebei's county budget: its own sections and project tables, none of the national ones."""
    return template_a.is_template_a(lines) and not national.is_national(lines)


# The families with readers of their own, in the order they are tried: (detect, parse); any
# other disclosure is read by `national.parse`.
TEMPLATES = [
    (template_b.is_template_b, template_b.parse),
    (final_accounts.is_final_accounts, final_accounts.parse),
    (_is_hebei, template_a.parse),
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
        recognition = recognise(lines)
        if not recognition.is_disclosure:
            raise UnsupportedDocument(
                f"not a budget or final accounts disclosure: {recognition.reason}"
            )
        parser = next((parse for detect, parse in TEMPLATES if detect(lines)), None)
        if parser is None:
            records = national.parse(
                lines, base["document_key"], recognition.kind or "budget", recognition.fiscal_year
            )
        else:
            records = parser(lines, base["document_key"])
        identify(records["documents"][0], recognition)
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
    missing = [
        (label, recognition.unresolved.get(field))
        for field, label in IDENTITY
        if document.get(field) in (None, "")
    ]
    if missing:  # a page that merely looks like a disclosure: it never reaches the facts
        why = "; ".join(f"{label} ({reason})" if reason else label for label, reason in missing)
        reason = (
            f"read as template {document.get('template')} but without its {why}; "
            "kept out of the warehouse's facts"
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
# the field of a document record -> the field of recognition that settles it
RECOGNISED = {
    "department_name": "entity",
    "fiscal_year": "fiscal_year",
    "level": "level",
    "kind": "kind",
}


def identify(document: dict, recognition: Recognition) -> None:
    """A document's identity as recognised from its own text: each field its family's reader
    left unset, its scope (本级 or 汇总), its region and administrative level where its entity or
    title names them (a municipality's district is the municipality's own prefecture), and the
    fields that could not be settled, with why."""
    for field, recognised in RECOGNISED.items():
        if document.get(field) in (None, ""):
            document[field] = getattr(recognition, recognised)
    region = recognition.region
    if region is not None:
        document.update(
            province=region.province,
            prefecture=region.prefecture
            or (region.province if region.admin_level == "county" else None),
            county=region.county,
            admin_level=region.admin_level,
        )
    document["scope"] = recognition.scope
    if document.get("department_name"):
        document["canonical_name"] = canonical_name(document["department_name"])
    document.setdefault("part", "whole")  # the families' readers read whole disclosures
    unresolved = {k: v for k, v in recognition.unresolved.items() if k != "region" or not region}
    document["unresolved"] = "; ".join(f"{k}: {v}" for k, v in unresolved.items()) or None


class UnsupportedDocument(Exception):
    """A readable document of no known template."""
