"""PDF through PyMuPDF's text layer: each visual line of a page becomes a `Line`.

Spans on the same baseline form one line; spans separated by a gap wider than about half a
character are separate cells (joined by tabs, with their x extents kept in `Line.boxes`), so a
table row reads as its cells and a paragraph line as its text.
"""

from __future__ import annotations

import re
import zlib

import pymupdf

from orchestration.formats import MB, size_text
from orchestration.parse.layout import Line, join_wrapped
from orchestration.read.pdf_tables import SAME, Cell, Table, ruled_tables

STITCH = 3.0  # points between the column edges of a table and its continuation on the next page
TEXT_FLAGS = pymupdf.TEXTFLAGS_TEXT | pymupdf.TEXT_COLLECT_VECTORS  # text, and rules as blocks
ROW_TOLERANCE = 3.0  # points between two spans' vertical centres on one visual line
CONTENT_LIMIT = 20 * MB  # decoded bytes of a page's content streams
FLATE = ("name", "/FlateDecode")
MAX_INFLATION = 1032  # Deflate inflates a stream to at most 1032 times its size


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


def _streams(document: pymupdf.Document, page: pymupdf.Page) -> list[tuple[bytes, bool]]:
    """The page's content streams as stored, each with whether it is Flate-compressed."""
    return [
        (document.xref_stream_raw(xref) or b"", document.xref_get_key(xref, "Filter") == FLATE)
        for xref in page.get_contents()
    ]


def content_size(streams: list[tuple[bytes, bool]], limit: int) -> int:
    """The decoded length of content streams, counted no further than past `limit` (a Flate
    stream is inflated chunk by chunk and thrown away; any other is taken as stored)."""
    size = 0
    for raw, flate in streams:
        if not flate:
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


def content_too_large(document: pymupdf.Document, page: pymupdf.Page, limit: int) -> bool:
    """Whether a page's content streams decode to more than `limit` bytes. They are inflated
    only when they could: when their stored size, Flate at its largest ratio, passes `limit`."""
    streams = _streams(document, page)
    bound = sum(len(raw) * (MAX_INFLATION if flate else 1) for raw, flate in streams)
    return bound > limit and content_size(streams, limit) > limit


def _spans(textpage: pymupdf.TextPage) -> tuple[list[tuple], list[dict]]:
    """The page's text spans as (vertical centre, x0, x1, font size, text), top to bottom,
    and its vector graphics (collected in the same pass)."""
    spans, vectors = [], []
    for block in textpage.extractDICT()["blocks"]:
        if block["type"] == 3:
            vectors.append(block)
        for line in block.get("lines", []):
            for span in line["spans"]:
                x0, y0, x1, y1 = span["bbox"]
                spans.append(((y0 + y1) / 2, x0, x1, span["size"], span["text"]))
    spans.sort()
    return spans, vectors


def _cut_at_rules(textpage: pymupdf.TextPage, tables: list[Table]) -> list[tuple]:
    """The page's spans, cut where a ruled cell ends: a PDF writer may print the texts of
    tight cells as one span. Read from the page's characters (`rawdict`), on such pages only."""
    spans = []
    for block in textpage.extractRAWDICT()["blocks"]:
        for line in block.get("lines", []):
            for span in line["spans"]:
                y = (span["bbox"][1] + span["bbox"][3]) / 2
                piece, where = None, None
                for char in span["chars"]:
                    x0, _, x1, _ = char["bbox"]
                    x = (x0 + x1) / 2
                    cell = _cell_at(tables, x, y)
                    if piece is None or cell is not where:
                        piece, where = [y, x0, x1, span["size"], ""], cell
                        spans.append(piece)
                    piece[2], piece[4] = x1, piece[4] + char["c"]
    return sorted(tuple(piece) for piece in spans)


def _cell_at(tables: list[Table], x: float, y: float) -> Cell | None:
    """The ruled cell at a point, if any."""
    for table in tables:
        cell = table.locate(x, y)
        if cell is not None:
            return cell
    return None


def _crosses(span: tuple, tables: list[Table]) -> bool:
    """Whether a span runs from one ruled cell into another. A single character is never
    cut: it stays whole in the cell at its centre either way."""
    y, x0, x1, _, text = span
    if len(text) < 2:
        return False
    for table in tables:
        start = table.locate(x0 + SAME, y)
        if start is not None and table.locate(x1 - SAME, y) not in (start, None):
            return True
    return False


def _baselines(spans: list[tuple]) -> list[list[tuple]]:
    """Spans grouped into visual lines (vertical centres within ROW_TOLERANCE), left to right."""
    rows: list[list[tuple]] = []
    for span in spans:
        if rows and abs(rows[-1][0][0] - span[0]) <= ROW_TOLERANCE:
            rows[-1].append(span)
        else:
            rows.append([span])
    for row in rows:
        row.sort(key=lambda s: s[1])
    return rows


def _pieces(row: list[tuple]) -> list[list]:
    """A visual line's runs of text as [x0, x1, text]: a gap wider than about half a character,
    or a blank span, starts a new run."""
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
    return cells


def _cell_text(spans: list[tuple]) -> str:
    """A ruled cell's text: its visual lines, each with its runs spaced, joined as one text."""
    if len(spans) == 1:
        return " ".join(spans[0][4].split())
    return join_wrapped(
        [" ".join(" ".join(p[2] for p in _pieces(row)).split()) for row in _baselines(spans)]
    )


def _table_rows(table: Table, texts: dict[int, list[tuple]]) -> list[tuple]:
    """A ruled table's rows as (top, cells, boxes), from the spans of each of its cells: every
    grid column has a cell, a merged cell's text at its first row and column and empty strings
    where it spans."""
    xs = [round(x, 1) for x in table.xs]
    rows = []
    for r in range(len(table.ys) - 1):
        cells, boxes = [], []
        for c in range(len(xs) - 1):
            cell = table.cells[r, c]
            if cell.row == r and cell.col == c:
                spans = texts.get(id(cell))
                cells.append(_cell_text(spans) if spans else "")
                boxes.append((xs[c], xs[c + cell.colspan]))
            else:
                cells.append("")
                boxes.append((xs[c], xs[c + 1]))
        if any(cells):
            rows.append((table.ys[r], cells, boxes))
    width = len(xs) - 1
    while width > 1 and not any(c[width - 1] for _, c, _ in rows) and _overhang(table, width - 1):
        width -= 1
    return [(top, cells[:width], tuple(boxes[:width])) for top, cells, boxes in rows]


def _overhang(table: Table, col: int) -> bool:
    """Whether a last column is only one row's cell running past the table's right edge: it
    is ruled into fewer cells than the column before it."""

    def cells(c: int) -> int:
        return len({id(table.cells[r, c]) for r in range(len(table.ys) - 1)})

    return cells(col) < cells(col - 1)


def page_rows(page: pymupdf.Page) -> list[tuple]:
    """The page's lines top to bottom as (top, cells, boxes, table, column edges), where table
    is its index on the page (None for a line outside tables). Text in a ruled table is read
    cell by cell; the rest line by line, each line's runs of text its cells."""
    textpage = page.get_textpage(flags=TEXT_FLAGS)
    spans, vectors = _spans(textpage)
    tables = ruled_tables(page, vectors) if spans and vectors else []
    if tables and any(_crosses(span, tables) for span in spans):
        spans = _cut_at_rules(textpage, tables)
    texts: dict[int, list[tuple]] = {}  # id of a cell -> its spans
    loose = []
    for span in spans:
        cell = _cell_at(tables, (span[1] + span[2]) / 2, span[0])
        if cell is None:
            loose.append(span)
        else:
            texts.setdefault(id(cell), []).append(span)
    out = []
    for row in _baselines(loose):
        pieces = _pieces(row)
        if pieces:
            cells = [" ".join(p[2].split()) for p in pieces]
            boxes = tuple((round(p[0], 1), round(p[1], 1)) for p in pieces)
            out.append((row[0][0], cells, boxes, None, None))
    for index, table in enumerate(tables):
        rows = _table_rows(table, texts)
        edges = rows and tuple(x0 for x0, _ in rows[0][2]) + (table.xs[len(rows[0][2])],)
        out += [(*row, index, edges) for row in rows]
    return sorted(out, key=lambda row: row[0])


_FURNITURE_RE = re.compile(r"^[^\u4e00-\u9fff]*$|^第\s*\d+\s*页")  # page numbers, no words


def _continues(previous: tuple | None, page_no: int, edges: tuple) -> bool:
    """Whether a table starting a page continues the table that ended the page before: nothing
    but page furniture between them, and the same columns."""
    if previous is None or previous[1] != page_no - 1 or len(previous[2]) != len(edges):
        return False
    return all(abs(a - b) <= STITCH for a, b in zip(previous[2], edges, strict=True))


def _lines(pages: list[list[tuple]]) -> list[Line]:
    """Every page's rows as numbered `Line`s; a table's rows share its number across pages."""
    lines: list[Line] = []
    numbers: dict[tuple[int, int], int] = {}
    previous = None  # the last table seen (number, page, edges), while only furniture follows
    for page_no, rows in enumerate(pages, start=1):
        for _, cells, boxes, index, edges in rows:
            text = "\t".join(cells)
            if not text.strip():
                continue
            table = None
            if index is not None:
                if (page_no, index) not in numbers:
                    continued = _continues(previous, page_no, edges)
                    numbers[page_no, index] = (
                        previous[0] if continued else len(set(numbers.values()))
                    )
                table = numbers[page_no, index]
                previous = (table, page_no, edges)
            elif previous is not None and not _FURNITURE_RE.match(text.strip()):
                previous = None
            lines.append(Line(len(lines) + 1, text, page_no, boxes, table))
    return lines


def read_pdf(data: bytes) -> list[Line]:
    """All lines of a PDF, numbered from 1 across pages; pages numbered from 1."""
    document = open_pdf(data)
    try:
        pages = []
        for index, page in enumerate(document):
            if content_too_large(document, page, CONTENT_LIMIT):
                raise UnreadableDocument(
                    f"PDF page {index + 1} content stream too large: "
                    f"over the {size_text(CONTENT_LIMIT)} limit"
                )
            pages.append(page_rows(page))
    finally:
        document.close()
    lines = _lines(pages)
    if not lines:
        raise UnreadableDocument("no text layer (a scanned PDF?)")
    return lines
