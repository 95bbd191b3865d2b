"""DOCX through python-docx: paragraphs and table rows in body order, each a `Line`.

A table row's cells are joined by tabs; a merged cell's text is given once, at its first grid
column, with empty strings for the columns it covers (and for the rows a vertical merge
continues into), so every row of a table has its cells under the same columns.
"""

from __future__ import annotations

import io

import docx
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from orchestration.parse.layout import Line
from orchestration.read.pdf import UnreadableDocument


def clean(text: str) -> str:
    """One printed line: whitespace runs (tabs, line breaks) become single spaces."""
    return " ".join(text.split())


def table_rows(table: Table) -> list[str]:
    """Each row's cells, tab-joined, one entry per grid column; rows without text are skipped."""
    rows = []
    for tr in table._tbl.tr_lst:
        cells = [""] * tr.grid_before
        for tc in tr.tc_lst:
            text = "" if tc.vMerge == "continue" else clean(_Cell(tc, table).text)
            cells += [text] + [""] * (tc.grid_span - 1)
        cells += [""] * tr.grid_after
        if any(cells):
            rows.append("\t".join(cells))
    return rows


def read_docx(data: bytes) -> list[Line]:
    """Body paragraphs and table rows in document order, numbered from 1."""
    try:
        document = docx.Document(io.BytesIO(data))
        texts: list[str] = []
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                texts.append(clean(block.text))
            else:
                texts += table_rows(block)
    except Exception as exc:  # python-docx raises many types for a broken package
        raise UnreadableDocument(f"corrupt DOCX: {type(exc).__name__}: {exc}") from None
    lines = [Line(no, text) for no, text in enumerate(filter(None, texts), start=1)]
    if not lines:
        raise UnreadableDocument("no text: the DOCX has no paragraphs or table cells with text")
    return lines
