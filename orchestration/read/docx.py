"""DOCX through python-docx: paragraphs and table rows in body order, each a `Line`.

A table row's cells are joined by tabs, each cell's lines (its paragraphs and line breaks) joined
as wrapped text (`join_wrapped`); a merged cell's text is given once, at its first grid column,
with empty strings for the columns it covers (and for the rows a vertical merge continues into),
so every row of a table has its cells under the same columns. Rows carry their table's number
(0, 1, ... in the document) in `Line.table`. A span ends at 1000 columns; a document of more than
`BLOCKS_LIMIT` paragraphs, runs and table cells, or of more than `CELLS_LIMIT` table cells with
their spans expanded, is refused.
"""

from __future__ import annotations

import io
import re

import docx
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from orchestration.formats import xml_count
from orchestration.parse.layout import Line, join_wrapped
from orchestration.read.pdf import UnreadableDocument

BLOCKS_LIMIT = 1_000_000  # paragraphs, runs and table cells (python-docx: ~20 s)
CELLS_LIMIT = 1_000_000  # table cells, spans expanded
SPAN_LIMIT = 1000  # columns a cell spans (or a row skips)
_BLOCK_TAG = re.compile(rb"<(?:\w{1,10}:)?(?:p|r|tc)[\s/>]")


def clean(text: str) -> str:
    """One printed line: whitespace runs (tabs, line breaks) become single spaces."""
    return " ".join(text.split())


def cell_text(tc, table: Table) -> str:
    """A cell's text on one line: its paragraphs and line breaks joined as wrapped lines."""
    return join_wrapped([clean(line) for line in _Cell(tc, table).text.split("\n")])


def table_rows(table: Table, spent: int = 0) -> tuple[list[str], int]:
    """Each row's cells, tab-joined, one entry per grid column (rows without text skipped), and
    `spent` (the document's table cells so far) plus this table's."""
    rows = []
    for tr in table._tbl.tr_lst:
        cells = [""] * min(tr.grid_before, SPAN_LIMIT)
        for tc in tr.tc_lst:
            text = "" if tc.vMerge == "continue" else cell_text(tc, table)
            cells += [text] + [""] * (min(tc.grid_span, SPAN_LIMIT) - 1)
            _check_cells(spent + len(cells))
        cells += [""] * min(tr.grid_after, SPAN_LIMIT)
        spent += len(cells)
        _check_cells(spent)
        if any(cells):
            rows.append("\t".join(cells))
    return rows, spent


def _check_cells(expanded: int) -> None:
    if expanded > CELLS_LIMIT:
        raise UnreadableDocument(
            f"DOCX tables too large: over the limit of {CELLS_LIMIT:,} cells (spans expanded)"
        )


def read_docx(data: bytes) -> list[Line]:
    """Body paragraphs and table rows in document order, numbered from 1."""
    try:
        if xml_count(data, _BLOCK_TAG, BLOCKS_LIMIT) > BLOCKS_LIMIT:
            raise UnreadableDocument(
                f"DOCX too large: over the limit of {BLOCKS_LIMIT:,} "
                "paragraphs, runs and table cells"
            )
        document = docx.Document(io.BytesIO(data))
        texts: list[tuple[str, int | None]] = []  # (text, table number)
        spent, tables = 0, 0
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                texts.append((clean(block.text), None))
            else:
                rows, spent = table_rows(block, spent)
                texts += [(row, tables) for row in rows]
                tables += 1
    except UnreadableDocument:
        raise
    except Exception as exc:  # python-docx raises many types for a broken package
        if "Excessive depth" in str(exc):  # lxml's limit
            raise UnreadableDocument("corrupt DOCX: XML nested more than 256 levels deep") from None
        raise UnreadableDocument(f"corrupt DOCX: {type(exc).__name__}: {exc}") from None
    texts = [(text, table) for text, table in texts if text]
    lines = [Line(no, text, table=table) for no, (text, table) in enumerate(texts, start=1)]
    if not lines:
        raise UnreadableDocument("no text: the DOCX has no paragraphs or table cells with text")
    return lines
