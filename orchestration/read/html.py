"""HTML through lxml: block text and table rows in document order, each a `Line`.

Text inside a block element (a paragraph, heading, list item, div ...) reads as one line, a
`<br>` ending it; each `<tr>` is one line of its `<td>`/`<th>` texts joined by tabs, a cell's
lines (its `<br>`s and blocks) joined as wrapped text (`join_wrapped`). A cell spanning columns
is followed by empty cells for the columns it covers, and a cell spanning rows leaves an empty
cell in the rows below, so the rows of a table keep their columns aligned. Rows carry their
table's number (0, 1, ... in the page) in `Line.table`.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from orchestration.formats import MB, decode_html, over_limit
from orchestration.parse.layout import Line, join_wrapped
from orchestration.read.pdf import UnreadableDocument

BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "tbody", "td",
    "tfoot", "th", "thead", "ul",
}  # fmt: skip
SKIPPED = {"head", "script", "style", "noscript", "template", "title", "select", "option"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")
PAGE_LIMIT = 50 * MB  # bytes of a page
CELLS_LIMIT = 1_000_000  # cells of a table, its spans expanded
COLSPAN_LIMIT = 1000  # as browsers clamp it


class _Text:
    """Collects the lines of an element's content."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, int | None]] = []  # (text, the table of a row)
        self.buffer: list[str] = []
        self.tables = 0

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        if text:
            self.lines.append((text, None))
        self.buffer = []

    def walk(self, element: lxml.etree._Element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else None  # None: a comment
        if tag == "table":
            self.flush()
            captions, rows = table_rows(element)
            self.lines += [(caption, None) for caption in captions]
            self.lines += [(row, self.tables) for row in rows]
            self.tables += 1
        elif tag == "br":
            self.flush()
        elif tag is not None and tag not in SKIPPED:
            block = tag in BLOCKS
            if block:
                self.flush()
            self.buffer.append(element.text or "")
            for child in element:
                self.walk(child)
            if block:
                self.flush()
        self.buffer.append(element.tail or "")


def cell_text(cell: lxml.etree._Element) -> str:
    """A cell's text on one line: its lines (paragraphs, line breaks) joined as wrapped."""
    text = _Text()
    text.buffer.append(cell.text or "")
    for child in cell:
        text.walk(child)
    text.flush()
    return " ".join(join_wrapped([line for line, _ in text.lines]).split())


def _span(cell: lxml.etree._Element, name: str, limit: int) -> int:
    try:
        return max(1, min(int(cell.get(name, 1)), limit))
    except ValueError:
        return 1


def table_rows(table: lxml.etree._Element) -> tuple[list[str], list[str]]:
    """The table's captions and rows (a nested table reads as part of its cell's text). A
    rowspan ends with the table, a colspan at 1000 columns; a table of more cells than
    `CELLS_LIMIT`, spans expanded, is refused."""
    captions = [cell_text(caption) for caption in table.xpath("./caption")]
    lines: list[str] = []
    trs = table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr")
    rows_tds = [tr.xpath("./td | ./th") for tr in trs]
    width = max([sum(_span(td, "colspan", COLSPAN_LIMIT) for td in tds) for tds in rows_tds] or [0])
    expanded = len(trs) * width
    below: dict[int, int] = {}  # column -> rows that a cell above still spans into
    for index, tds in enumerate(rows_tds):
        _check_cells(expanded)
        rows_left = len(trs) - index
        reach = max((column + 1 for column, left in below.items() if left), default=0)
        cells: list[str] = []
        tds = tds[::-1]
        while tds or len(cells) < reach:
            if below.get(len(cells)):  # covered by a cell spanning down from above
                below[len(cells)] -= 1
                cells.append("")
            elif tds:
                td = tds.pop()
                text, rows = cell_text(td), _span(td, "rowspan", rows_left)
                for offset in range(_span(td, "colspan", COLSPAN_LIMIT)):
                    below[len(cells)] = rows - 1
                    cells.append("" if offset else text)
            else:
                cells.append("")
        expanded += max(0, len(cells) - width)  # rowspans pushed the row past the widest
        if any(cells):
            lines.append("\t".join(cells))
    _check_cells(expanded)
    return [line for line in captions if line], lines


def _check_cells(expanded: int) -> None:
    if expanded > CELLS_LIMIT:
        raise UnreadableDocument(
            f"HTML table too large: {expanded:,} cells (limit {CELLS_LIMIT:,})"
        )


def read_html(data: bytes) -> list[Line]:
    """A page's lines in document order, numbered from 1."""
    if len(data) > PAGE_LIMIT:
        raise UnreadableDocument(over_limit("HTML page", len(data), PAGE_LIMIT))
    text, _charset = decode_html(data)
    try:
        root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", text))
    except (lxml.etree.ParserError, ValueError) as exc:
        raise UnreadableDocument(f"corrupt HTML: {exc}") from None
    reader = _Text()
    reader.walk(root)
    reader.flush()
    if not reader.lines:
        raise UnreadableDocument("no text: the page has no visible text")
    return [Line(no, text, table=table) for no, (text, table) in enumerate(reader.lines, start=1)]
