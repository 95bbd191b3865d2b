"""Template A text layers rendered as the formats portals publish: PDF, DOCX and HTML.

The input is a template A text layer (the sample's, or a synthetic one): paragraphs are lines,
table rows are tab-separated cells, and consecutive rows (blank and debris lines aside) form one
table. Every rendering keeps the document's quirks (repeated header rows, the wrapped cell row)
and drops only what the text reader drops too (blank lines, debris). reportlab (a dev
dependency) is imported by `render_pdf` only.
"""

from __future__ import annotations

import html
import io
from itertools import groupby

import docx

from orchestration.parse.layout import text_lines

FONT = "STSong-Light"
SIZE = 9.0  # points
LEADING = 14.0  # points from one printed line to the next
MARGIN = 36.0  # page margin, points
PAD = 4.0  # cell text inset from the cell border, points
PAGE_HEIGHT = 842.0
SPAN_CHARS = 40  # a row's last cell longer than this prints across the empty cells after it


def blocks(text: str) -> list[tuple[str, list]]:
    """("p", text) paragraphs and ("table", rows of cells), in document order."""
    out: list[tuple[str, list]] = []
    for is_row, group in groupby(text_lines(text), key=lambda line: line.is_row):
        if is_row:
            out.append(("table", [line.text.split("\t") for line in group]))
        else:
            out += [("p", line.text.strip()) for line in group]
    return out


def last_filled(row: list[str]) -> int:
    return max((i for i, cell in enumerate(row) if cell.strip()), default=-1)


def spans(row: list[str]) -> bool:
    """A row whose last filled cell runs on over the (empty) cells after it, as a goal does."""
    last = last_filled(row)
    return last >= 0 and len(row[last].strip()) > SPAN_CHARS


# -- PDF ---------------------------------------------------------------------------------------


def render_pdf(text: str) -> bytes:
    """A PDF with one printed line per source line: table cells at fixed column positions,
    each inset from its column's border; a repeated header row starts a new page."""
    from reportlab.pdfbase import pdfmetrics  # a dev dependency: imported only when needed
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))

    def width(cell: str) -> float:
        return pdfmetrics.stringWidth(cell.strip(), FONT, SIZE)

    laid_out = []  # (kind, content, column x positions)
    page_width = 0.0
    for kind, content in blocks(text):
        if kind == "p":
            laid_out.append((kind, content, None))
            page_width = max(page_width, width(content))
            continue
        columns = [0.0] * max(len(row) for row in content)
        for row in content:
            for i, cell in enumerate(row):
                if not (i == last_filled(row) and spans(row)):
                    columns[i] = max(columns[i], width(cell))
        xs = [MARGIN]
        for column in columns:
            xs.append(xs[-1] + column + 2 * PAD)
        for row in content:
            right = xs[last_filled(row)] + width(row[last_filled(row)]) + 2 * PAD
            page_width = max(page_width, xs[-1] - MARGIN, right - MARGIN)
        laid_out.append((kind, content, xs))

    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(page_width + 2 * MARGIN, PAGE_HEIGHT))
    y = PAGE_HEIGHT - MARGIN

    def next_line(new_page: bool = False) -> float:
        nonlocal y
        if new_page or y - LEADING < MARGIN:
            pdf.showPage()
            y = PAGE_HEIGHT - MARGIN
        y -= LEADING
        pdf.setFont(FONT, SIZE)
        return y

    for kind, content, xs in laid_out:
        if kind == "p":
            pdf.drawString(MARGIN, next_line(), content)
            continue
        seen: set[str] = set()
        for row in content:
            key = "\t".join(row)
            baseline = next_line(new_page=key in seen)  # a page break repeats the header
            seen.add(key)
            for i, cell in enumerate(row):
                if cell.strip():
                    pdf.drawString(xs[i] + PAD, baseline, cell.strip())
            last = last_filled(row)
            right = max(xs[-1], xs[last] + width(row[last]) + 2 * PAD) if spans(row) else xs[-1]
            pdf.rect(MARGIN, baseline - 4, right - MARGIN, LEADING)
            for i, x in enumerate(xs[1:-1], start=1):
                if not (spans(row) and i > last):
                    pdf.line(x, baseline - 4, x, baseline - 4 + LEADING)
        y -= LEADING / 2  # space after a table
    pdf.showPage()
    pdf.save()
    return out.getvalue()


# -- DOCX --------------------------------------------------------------------------------------


def render_docx(text: str) -> bytes:
    """A Word document: paragraphs, and each run of rows as a real table (a goal cell merged
    across the empty cells after it, as published)."""
    document = docx.Document()
    for kind, content in blocks(text):
        if kind == "p":
            document.add_paragraph(content)
            continue
        table = document.add_table(rows=len(content), cols=max(len(row) for row in content))
        table.style = "Table Grid"
        for row, cells in zip(table.rows, content, strict=True):
            for cell, value in zip(row.cells, cells, strict=False):
                cell.text = value.strip()
            last = last_filled(cells)
            if spans(cells) and last < len(row.cells) - 1:
                row.cells[last].merge(row.cells[-1])
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


# -- HTML --------------------------------------------------------------------------------------


def render_html(text: str, encoding: str = "gb18030") -> bytes:
    """A plain portal page: <p> paragraphs and <table>s (a goal cell spans the empty cells
    after it), declared and encoded in `encoding`."""
    parts = [
        "<!DOCTYPE html>",
        f'<html><head><meta charset="{encoding}"><title>预算公开</title></head><body>',
    ]
    for kind, content in blocks(text):
        if kind == "p":
            parts.append(f"<p>{html.escape(content)}</p>")
            continue
        columns = max(len(row) for row in content)
        parts.append('<table border="1">')
        for row in content:
            row = row + [""] * (columns - len(row))
            last = last_filled(row)
            if spans(row):
                row = row[: last + 1]
            cells = [f"<td>{html.escape(cell.strip())}</td>" for cell in row]
            if spans(row) and last < columns - 1:
                cells[-1] = f'<td colspan="{columns - last}">{html.escape(row[-1].strip())}</td>'
            parts.append("<tr>" + "".join(cells) + "</tr>")
        parts.append("</table>")
    parts.append("</body></html>")
    return "\n".join(parts).encode(encoding)
