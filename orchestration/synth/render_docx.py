"""Template A text layers as Word documents (python-docx, imported when rendering)."""

from __future__ import annotations

import io

from orchestration.synth.render_layout import (
    Style,
    laid_out,
    last_filled,
    level1_spans,
    spans,
    style,
    wrapped,
)


def render_docx(text: str, layout: str = "plain") -> bytes:
    """A Word document: paragraphs, and each run of rows as a real table (a goal cell merged
    across the empty cells after it, as published). `layout` (one of `LAYOUTS`) breaks long
    cells' lines, merges 一级指标 cells down, cuts tables at page breaks, turns the page, or
    changes the tables' borders and spacing."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_BREAK

    s = style(layout)
    document = docx.Document()
    if s.landscape:
        section = document.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    for kind, block in laid_out(text, layout):
        if kind == "p":
            document.add_paragraph(block)
        elif kind == "table":
            for n, part in enumerate(block.parts()):
                if n:  # a page break between the parts, in a paragraph of its own
                    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
                _table(document, [block.rows[i] for i, _ in part], block.columns, s)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _table(document, content: list[list[str]], columns: int, s: Style) -> None:
    from docx.shared import Pt

    table = document.add_table(rows=len(content), cols=columns)
    if s.ruled:
        table.style = "Table Grid"
    if s.pad != Style.pad:
        _cell_margins(table, s.pad)
    lines = wrapped(content) if s.wrap else None
    for r, (row, cells) in enumerate(zip(table.rows, content, strict=True)):
        for c, (cell, value) in enumerate(zip(row.cells, cells, strict=False)):
            if lines and len(lines[r][c]) > 1:  # a wrapped cell: its lines broken by w:br
                run = cell.paragraphs[0].add_run(lines[r][c][0])
                for line in lines[r][c][1:]:
                    run.add_break()
                    run.add_text(line)
            else:
                cell.text = value.strip()
        last = last_filled(cells)
        if spans(cells) and last < len(row.cells) - 1:
            row.cells[last].merge(row.cells[-1])
        if s.min_column:
            row.height = Pt(s.leading)
            for cell in row.cells:
                cell.width = Pt(s.min_column)
    if s.merge:
        for r, rows in enumerate(level1_spans(content)):
            if rows > 1:  # vMerge: the cells below continue the first, left empty
                table.cell(r, 0).merge(table.cell(r + rows - 1, 0))


def _cell_margins(table, points: float) -> None:
    """Every cell's text inset by `points` from its borders (w:tblCellMar)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        margin = OxmlElement(f"w:{side}")
        margin.set(qn("w:w"), str(round(points * 20)))
        margin.set(qn("w:type"), "dxa")
        margins.append(margin)
    properties = table._tbl.tblPr
    look = properties.find(qn("w:tblLook"))
    if look is not None:
        look.addprevious(margins)
    else:
        properties.append(margins)
