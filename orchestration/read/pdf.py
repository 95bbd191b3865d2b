"""PDF through PyMuPDF's text layer: each visual line of a page becomes a `Line`.

Spans on the same baseline form one line; spans separated by a gap wider than about half a
character are separate cells (joined by tabs, with their x extents kept in `Line.boxes`), so a
table row reads as its cells and a paragraph line as its text.
"""

from __future__ import annotations

import zlib

import pymupdf

from orchestration.formats import MB, size_text
from orchestration.parse.layout import Line

ROW_TOLERANCE = 3.0  # points between two spans' vertical centres on one visual line
CONTENT_LIMIT = 20 * MB  # decoded bytes of a page's content streams


class UnreadableDocument(Exception):
    """Encrypted, corrupt, or without a text layer; the message says which."""


def open_pdf(data: bytes) -> pymupdf.Document:
    try:
        document = pymupdf.open(stream=data, filetype="pdf")
    except Exception as exc:  # PyMuPDF raises several types for broken files
        raise UnreadableDocument(f"corrupt PDF: {exc}") from None
    if document.needs_pass:
        raise UnreadableDocument("encrypted PDF: a password is needed to read it")
    return document


def content_size(document: pymupdf.Document, page: pymupdf.Page, limit: int) -> int:
    """The decoded length of a page's content streams, counted no further than past `limit`
    (a Flate stream is inflated chunk by chunk and thrown away; any other is taken as stored)."""
    size = 0
    for xref in page.get_contents():
        raw = document.xref_stream_raw(xref) or b""
        if document.xref_get_key(xref, "Filter") != ("name", "/FlateDecode"):
            size += len(raw)
            continue
        inflate = zlib.decompressobj()
        try:
            while raw and size <= limit:
                size += len(inflate.decompress(raw, MB))
                raw = inflate.unconsumed_tail
        except zlib.error:
            pass  # left to PyMuPDF, which reads what it can
    return size


def page_lines(page: pymupdf.Page, page_no: int, first_no: int) -> list[Line]:
    spans = []
    for block in page.get_text("dict", flags=pymupdf.TEXTFLAGS_TEXT)["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                x0, y0, x1, y1 = span["bbox"]
                spans.append(((y0 + y1) / 2, x0, x1, span["size"], span["text"]))
    spans.sort()
    rows: list[list[tuple]] = []
    for span in spans:
        if rows and abs(rows[-1][0][0] - span[0]) <= ROW_TOLERANCE:
            rows[-1].append(span)
        else:
            rows.append([span])
    lines = []
    for row in rows:
        row.sort(key=lambda s: s[1])
        cells: list[list] = []
        gap = False  # a blank span between two spans separates cells
        for _, x0, x1, size, text in row:
            if not text.strip():
                gap = True
                continue
            if cells and not gap and x0 - cells[-1][1] < size * 0.5:
                cells[-1][1] = x1
                cells[-1][2] += text
            else:
                cells.append([x0, x1, text])
            gap = False
        texts = [" ".join(c[2].split()) for c in cells]
        lines.append(
            Line(
                first_no + len(lines),
                "\t".join(texts),
                page_no,
                tuple((round(c[0], 1), round(c[1], 1)) for c in cells),
            )
        )
    return lines


def read_pdf(data: bytes) -> list[Line]:
    """All lines of a PDF, numbered from 1 across pages; pages numbered from 1."""
    document = open_pdf(data)
    try:
        lines: list[Line] = []
        for index, page in enumerate(document):
            if content_size(document, page, CONTENT_LIMIT) > CONTENT_LIMIT:
                raise UnreadableDocument(
                    f"PDF page {index + 1} content stream too large: "
                    f"over the {size_text(CONTENT_LIMIT)} limit"
                )
            lines += page_lines(page, index + 1, len(lines) + 1)
    finally:
        document.close()
    lines = [line for line in lines if line.text.strip()]
    if not lines:
        raise UnreadableDocument("no text layer (a scanned PDF?)")
    return lines
