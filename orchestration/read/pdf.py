"""PDF through PyMuPDF's text layer: each visual line of a page becomes a `Line`.

Spans on one baseline form one line: a span is placed by its baseline and font size, never by
its box, whose height is the font's own (digits set in a font with a tall box, a little above
or below the text, or a superscript stay on their line). Spans separated by a gap wider than
about half a character are separate cells (joined by tabs, with their x extents kept in
`Line.boxes`), so a table row reads as its cells and a paragraph line as its text. A page whose
text runs up or down (a landscape table set sideways, a page rotated for display) is read
turned, so that its text runs left to right.
"""

from __future__ import annotations

import re
import zlib

import pymupdf

from orchestration.formats import MB, size_text
from orchestration.parse.layout import Line, join_wrapped, wide
from orchestration.read.pdf_tables import SAME, Cell, Table, ruled_tables

STITCH = 3.0  # points between the column edges of a table and its continuation on the next page
TEXT_FLAGS = pymupdf.TEXTFLAGS_TEXT | pymupdf.TEXT_COLLECT_VECTORS  # text, and rules as blocks
BODY = 0.3  # font sizes from the baseline up to the centre of a glyph's body: a span's height
ROW_TOLERANCE = 3.0  # points between the heights of two spans on one visual line,
ROW_SHARE = 0.25  # or this share of their font size where more (a large title's shifted digits)
SMALLER = 0.85  # a span this much smaller than its line's largest is raised or lowered
SCRIPT_SHARE = 0.4  # by up to this share of the larger size (a superscript, a subscript)
BLANK_GAP = 2.0  # font sizes: spaces up to this wide are a word space, not a gap between cells
OPENING = "“‘("  # marks a Latin font sets narrow where Chinese text gives them a full width
MARK_GAP = 0.75  # font sizes: the gap such a mark leaves before it (the blank half of its width)
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


class Turn:
    """A quarter or half turn of a page whose text runs up, down or right to left (a landscape
    table set sideways, or a page rotated for display), so that it reads left to right, top to
    bottom: boxes, points and directions on the turned page."""

    def __init__(self, direction: tuple[float, float], width: float, height: float):
        self.dx, self.dy = direction  # the text's direction, to become (1, 0)
        self.width, self.height = width, height

    def point(self, x: float, y: float) -> tuple[float, float]:
        if self.dy < 0:  # running up: a quarter turn clockwise
            return self.height - y, x
        if self.dy > 0:  # running down: a quarter turn back
            return y, self.width - x
        return self.width - x, self.height - y  # upside down

    def box(self, x0: float, y0: float, x1: float, y1: float) -> tuple[float, ...]:
        ax, ay = self.point(x0, y0)
        bx, by = self.point(x1, y1)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    def direction(self, dx: float, dy: float) -> tuple[float, float]:
        if self.dy < 0:
            return -dy, dx
        if self.dy > 0:
            return dy, -dx
        return -dx, -dy


def _axis(dx: float, dy: float) -> tuple[float, float]:
    """A line's direction to the nearest axis."""
    if abs(dx) >= abs(dy):
        return (1.0, 0.0) if dx >= 0 else (-1.0, 0.0)
    return (0.0, 1.0) if dy > 0 else (0.0, -1.0)


def _height(direction: tuple, origin: tuple, bbox: tuple, size: float) -> float:
    """Where a span sits on the page, vertically: the centre of its glyph bodies, from its
    baseline and font size. A span's box is no measure: its height is the font's own, and a
    font may declare a box more than twice the size of its glyphs, centred apart from the text
    it is set with. Text not running left to right keeps its box's centre."""
    if direction[0] > 0.99:
        return origin[1] - BODY * size
    return (bbox[1] + bbox[3]) / 2


def _placed(blocks: list[dict], turn: Turn | None) -> tuple[list[tuple], dict]:
    """The spans of text blocks as (height, x0, x1, font size, text), on the page turned by
    `turn` where given, and the number of lines running in each direction."""
    spans, counts, across = [], {}, 0
    for block in blocks:
        for line in block.get("lines", ()):
            direction = line["dir"]
            if turn is None and direction[0] > 0.99:  # the common case, kept quick
                for span in line["spans"]:
                    x0, _, x1, _ = span["bbox"]
                    size = span["size"]
                    spans.append((span["origin"][1] - BODY * size, x0, x1, size, span["text"]))
                across += 1
                continue
            if turn is not None:
                direction = turn.direction(*direction)
            for span in line["spans"]:
                bbox, origin, size = span["bbox"], span["origin"], span["size"]
                if turn is not None:
                    bbox, origin = turn.box(*bbox), turn.point(*origin)
                height = _height(direction, origin, bbox, size)
                spans.append((height, bbox[0], bbox[2], size, span["text"]))
            axis = _axis(*direction)
            counts[axis] = counts.get(axis, 0) + 1
    if across:
        counts[1.0, 0.0] = counts.get((1.0, 0.0), 0) + across
    return spans, counts


def _spans(textpage: pymupdf.TextPage) -> tuple[list[tuple], list[dict], Turn | None]:
    """The page's text spans as (height, x0, x1, font size, text), top to bottom, its vector
    graphics (from the same extraction), and the turn that makes most of its lines read left
    to right (None for a page whose lines do)."""
    blocks = textpage.extractDICT()["blocks"]
    vectors = [block for block in blocks if block["type"] == 3]
    spans, counts = _placed(blocks, None)
    turn = None
    across = counts.get((1.0, 0.0), 0)
    if len(counts) > 1 or not across:
        direction = max(counts, key=counts.get, default=(1.0, 0.0))
        if counts.get(direction, 0) > across:
            rect = textpage.rect
            turn = Turn(direction, rect.width, rect.height)
            spans = _placed(blocks, turn)[0]
    spans.sort()
    return spans, vectors, turn


def _cut_at_rules(
    textpage: pymupdf.TextPage, tables: list[Table], turn: Turn | None
) -> list[tuple]:
    """The page's spans, cut where a ruled cell ends: a PDF writer may print the texts of
    tight cells as one span. Read from the page's characters (`rawdict`), on such pages only."""
    spans = []
    for block in textpage.extractRAWDICT()["blocks"]:
        for line in block.get("lines", []):
            direction = line["dir"] if turn is None else turn.direction(*line["dir"])
            for span in line["spans"]:
                bbox, origin = span["bbox"], span["origin"]
                if turn is not None:
                    bbox, origin = turn.box(*bbox), turn.point(*origin)
                y = _height(direction, origin, bbox, span["size"])
                piece, where = None, None
                for char in span["chars"]:
                    box = char["bbox"] if turn is None else turn.box(*char["bbox"])
                    x0, _, x1, _ = box
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
    """Spans (sorted by height) grouped into visual lines, left to right. A span joins a line
    when its height is within ROW_TOLERANCE, or ROW_SHARE of the font size, of the line's
    largest span so far; a smaller span (a raised footnote mark, a lowered index) when within
    SCRIPT_SHARE of the larger size."""
    rows: list[list[tuple]] = []
    height = size = reach = 0.0  # the current line's largest span, and how far it reaches
    for span in spans:
        if rows:
            if span[3] == size:
                near = reach
            else:
                larger = max(size, span[3])
                share = SCRIPT_SHARE if min(size, span[3]) < SMALLER * larger else ROW_SHARE
                near = max(share * larger, ROW_TOLERANCE)
            if abs(span[0] - height) <= near:
                rows[-1].append(span)
                if span[3] > size:
                    height, size = span[0], span[3]
                    reach = max(ROW_SHARE * size, ROW_TOLERANCE)
                continue
        rows.append([span])
        height, size = span[0], span[3]
        reach = max(ROW_SHARE * size, ROW_TOLERANCE)
    for row in rows:
        row.sort(key=lambda s: s[1])
    return rows


def _pieces(row: list[tuple]) -> list[list]:
    """A visual line's runs of text as [x0, x1, text]. A gap wider than about half a character
    starts a new run; a gap that holds spaces, only when wider than BLANK_GAP characters (the
    spaces are a word space, kept); a gap before an opening quote or bracket of a Latin font
    after Chinese text, only when wider than MARK_GAP characters."""
    cells: list[list] = []
    blank = ""  # the spaces since the last run
    for _, x0, x1, size, text in row:
        if not text.strip():
            blank += text
            continue
        if cells:
            last = cells[-1]
            gap = x0 - last[1]
            if gap < size * (BLANK_GAP if blank else 0.5) or (
                gap < size * MARK_GAP
                and not blank
                and text.lstrip()[0] in OPENING
                and wide(last[2].rstrip()[-1])
            ):
                last[1] = x1
                last[2] += blank + text
                blank = ""
                continue
        cells.append([x0, x1, text])
        blank = ""
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
    spans, vectors, turn = _spans(textpage)
    tables = ruled_tables(page, vectors, turn and turn.box) if spans and vectors else []
    if tables and any(_crosses(span, tables) for span in spans):
        spans = _cut_at_rules(textpage, tables, turn)
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
