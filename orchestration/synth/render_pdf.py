"""Template A text layers as PDF (reportlab, a dev dependency, imported when rendering)."""

from __future__ import annotations

import io

from orchestration.synth.render_layout import (
    Style,
    Table,
    laid_out,
    last_filled,
    level1_spans,
    spans,
    style,
    wrapped,
)

FONT = "STSong-Light"
SIZE = 9.0  # points
MARGIN = 36.0  # page margin, points
PAGE_HEIGHT = 842.0
LEADING = 14.0  # points from one printed line of a paragraph to the next
LANDSCAPE = (842.0, 595.0)  # A4 turned


def render_pdf(text: str, layout: str = "plain") -> bytes:
    """A PDF with one printed line per source line: table cells at fixed column positions,
    each inset from its column's border; a repeated header row starts a new page. `layout`
    (one of `LAYOUTS`) wraps, merges, splits, turns, unrules, tightens or widens the tables."""
    from reportlab.pdfbase import pdfmetrics  # a dev dependency: imported only when needed
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    s = style(layout)

    def width(lines: list[str]) -> float:
        return max(pdfmetrics.stringWidth(line.strip(), FONT, SIZE) for line in lines)

    content = []  # (kind, block, column x positions, each row's cells' lines)
    page_width = 0.0
    for kind, block in laid_out(text, layout):
        if kind != "table":
            content.append((kind, block, None, None))
            page_width = max(page_width, width([block])) if kind == "p" else page_width
            continue
        rows = block.rows
        lines = wrapped(rows) if s.wrap else [[[cell.strip()] for cell in row] for row in rows]
        columns = [0.0] * block.columns
        for row, cells in zip(rows, lines, strict=True):
            for i, cell in enumerate(cells):
                if not (i == last_filled(row) and spans(row)):
                    columns[i] = max(columns[i], width(cell), s.min_column - 2 * s.pad)
        xs = [MARGIN]
        for column in columns:
            xs.append(xs[-1] + column + 2 * s.pad)
        for row, cells in zip(rows, lines, strict=True):
            right = xs[last_filled(row)] + width(cells[last_filled(row)]) + 2 * s.pad
            page_width = max(page_width, xs[-1] - MARGIN, right - MARGIN)
        content.append((kind, block, xs, lines))

    size = (page_width + 2 * MARGIN, PAGE_HEIGHT)
    if s.landscape:
        size = (max(LANDSCAPE[0], size[0]), LANDSCAPE[1])
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=size)
    printer = _Printer(pdf, s, size[1], width)
    for kind, block, xs, lines in content:
        if kind == "page":
            printer.new = True
        elif kind == "p":
            pdf.drawString(MARGIN, printer.next_line(), block)
        else:
            printer.table(block, xs, lines)
            printer.y -= s.leading / 2  # space after a table
    pdf.showPage()
    pdf.save()
    return out.getvalue()


class _Printer:
    """Prints lines and table rows down the pages, starting a new page when one is full."""

    def __init__(self, pdf, s: Style, height: float, width) -> None:
        self.pdf, self.s, self.height, self.width = pdf, s, height, width
        self.y = height - MARGIN
        self.new = False  # the next line starts a new page
        self.box: list | None = None  # an open merged cell: [top, bottom, text]

    def next_line(self, new_page: bool = False, lines: int = 1, leading: float = LEADING) -> float:
        """The baseline of the next printed line (the first of a row of `lines`)."""
        if self.new or new_page or self.y - leading * lines < MARGIN:
            if self.box:  # a merged cell ends with the page; it goes on, empty, on the next
                self.close()
                self.box = [None, None, ""]
            self.pdf.showPage()
            self.y = self.height - MARGIN
            self.new = False
        self.y -= leading
        self.pdf.setFont(FONT, SIZE)
        baseline = self.y
        self.y -= leading * (lines - 1)
        return baseline

    def table(self, table: Table, xs: list[float], lines: list) -> None:
        """A table's parts, each after the first on a new page. A row the table printed
        before (the text repeating its header) starts a new page too."""
        self.xs = xs
        seen: set[str] = set()
        for n, part in enumerate(table.parts()):
            rows = [table.rows[i] for i, _ in part]
            level1 = level1_spans(rows) if self.s.merge else [1] * len(rows)
            for k, ((i, repeated), row) in enumerate(zip(part, rows, strict=True)):
                key = "\t".join(row)
                new_page = bool(n and k == 0) or (key in seen and not repeated)
                seen.add(key)
                self.row(row, lines[i], new_page, level1[k])
            self.close()

    def row(self, row: list[str], cells: list[list[str]], new_page: bool, level1: int) -> None:
        """One row: its cells' lines, and its rules. `level1` is the rows its first cell
        covers (0: covered by the merged cell above, 1: not merged)."""
        s, xs, pdf = self.s, self.xs, self.pdf
        height = max(len(cell) for cell in cells)
        baseline = self.next_line(new_page, height, s.leading)
        bottom = baseline - s.drop - s.leading * (height - 1)
        if level1 != 1:
            if level1 > 1:
                self.close()
                self.box = [None, None, cells[0][0]]
            if self.box[0] is None:
                self.box[0] = bottom + s.leading * height
            self.box[1] = bottom
        else:
            self.close()
        merged = level1 != 1
        for i, cell in enumerate(cells):
            for k, line in enumerate(cell):
                if line.strip() and not (merged and i == 0):
                    pdf.drawString(xs[i] + s.pad, baseline - k * s.leading, line.strip())
        if not s.ruled:
            return
        last = last_filled(row)
        right = xs[-1]
        if spans(row):
            right = max(xs[-1], xs[last] + self.width(cells[last]) + 2 * s.pad)
        left = xs[1] if merged else MARGIN
        pdf.rect(left, bottom, right - left, s.leading * height)
        for i, x in enumerate(xs[1:-1], start=1):
            if not (spans(row) and i > last) and not (merged and i == 1):
                pdf.line(x, bottom, x, bottom + s.leading * height)

    def close(self) -> None:
        """Draw the open merged cell: its box, its text vertically centred in it."""
        if not self.box:
            return
        (top, bottom, text), self.box = self.box, None
        if top is None:  # went on to a new page and ended there before a row
            return
        if self.s.ruled:
            self.pdf.rect(MARGIN, bottom, self.xs[1] - MARGIN, top - bottom)
        if text:
            self.pdf.drawString(MARGIN + self.s.pad, (top + bottom) / 2 - 0.35 * SIZE, text)
