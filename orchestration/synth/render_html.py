"""Template A text layers as portal web pages."""

from __future__ import annotations

import html

from orchestration.synth.render_layout import (
    Style,
    laid_out,
    last_filled,
    level1_spans,
    spans,
    style,
    wrapped,
)

PAGE_BREAK = '<div style="page-break-before:always"></div>'


def render_html(text: str, encoding: str = "gb18030", layout: str = "plain") -> bytes:
    """A plain portal page: <p> paragraphs and <table>s (a goal cell spans the empty cells
    after it), declared and encoded in `encoding`. `layout` (one of `LAYOUTS`) breaks long
    cells with <br>, merges 一级指标 cells with rowspan, cuts tables at page breaks, or changes
    the tables' borders and spacing."""
    s = style(layout)
    parts = [
        "<!DOCTYPE html>",
        f'<html><head><meta charset="{encoding}"><title>预算公开</title></head><body>',
    ]
    for kind, block in laid_out(text, layout):
        if kind == "p":
            parts.append(f"<p>{html.escape(block)}</p>")
        elif kind == "table":
            for n, part in enumerate(block.parts()):
                if n:
                    parts.append(PAGE_BREAK)
                parts += _table([block.rows[i] for i, _ in part], block.columns, s)
    parts.append("</body></html>")
    return "\n".join(parts).encode(encoding)


def _table(content: list[list[str]], columns: int, s: Style) -> list[str]:
    if not s.ruled:
        out = ['<table border="0">']
    elif s.pad != Style.pad:
        out = [f'<table border="1" cellspacing="0" cellpadding="{s.pad:g}">']
    else:
        out = ['<table border="1">']
    lines = wrapped(content) if s.wrap else None
    level1 = level1_spans(content) if s.merge else [1] * len(content)
    tr = f'<tr style="height:{s.leading:g}pt">' if s.min_column else "<tr>"
    for r, row in enumerate(content):
        row = row + [""] * (columns - len(row))
        last = last_filled(row)
        if spans(row):
            row = row[: last + 1]
        texts = lines[r] + [[]] * (columns - len(lines[r])) if lines else [[c] for c in row]
        cells = [_td(texts[c], s) for c in range(len(row))]
        if spans(row) and last < columns - 1:
            cells[-1] = _td(texts[last], s, f' colspan="{columns - last}"')
        if level1[r] > 1:
            cells[0] = _td(texts[0], s, f' rowspan="{level1[r]}"')
        elif level1[r] == 0:
            cells = cells[1:]  # covered by the 一级指标 cell above
        out.append(tr + "".join(cells) + "</tr>")
    out.append("</table>")
    return out


def _td(lines: list[str], s: Style, attributes: str = "") -> str:
    """A cell: its lines broken by <br> (one line unless wrapped)."""
    if s.min_column:
        attributes += f' style="min-width:{s.min_column:g}pt"'
    return f"<td{attributes}>{'<br>'.join(html.escape(line.strip()) for line in lines)}</td>"
