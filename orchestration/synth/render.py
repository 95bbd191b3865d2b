"""Template A text layers rendered as the formats portals publish: PDF, DOCX and HTML.

The input is a template A text layer (the sample's, or a synthetic one): paragraphs are lines,
table rows are tab-separated cells, and consecutive rows (blank and debris lines aside) form one
table. Every rendering keeps the document's quirks (repeated header rows, the wrapped cell row)
and drops only what the text reader drops too (blank lines, debris). reportlab (a dev
dependency) is imported by `render_pdf` only.

Each renderer prints in one of `LAYOUTS` (see `render_layout`), so that the readers meet tables
laid out as they were not built on; a layout never changes what the document says:

- `plain`: one printed line per row, ruled cells (the renderers' first layout)
- `wrapped`: long cells on 2-3 lines inside their cell (PDF), w:br (DOCX), <br> (HTML)
- `merged`: a performance table's 一级指标 printed once, merged down over its rows
- `split_repeat`, `split_bare`: tables cut across pages, with or without their header repeated
- `landscape`: A4 turned (PDF, DOCX)
- `unruled`: tables without rules or borders
- `narrow`: ruled cells with their text 1 pt from the rules
- `wide`: wide columns, 20 pt padding, tall rows
- any of them joined by `+` where they change different things: `unruled+merged`, … (see
  `COMBINATIONS` for those real publishers produce)
"""

from orchestration.synth.render_docx import render_docx
from orchestration.synth.render_html import render_html
from orchestration.synth.render_layout import (
    COMBINATIONS,
    LAYOUTS,
    blocks,
    last_filled,
    spans,
    style,
)
from orchestration.synth.render_pdf import render_pdf

__all__ = [
    "COMBINATIONS",
    "LAYOUTS",
    "blocks",
    "last_filled",
    "render_docx",
    "render_html",
    "render_pdf",
    "spans",
    "style",
]
