"""HTML through lxml: block text and table rows in document order, each a `Line`.

Text inside a block element (a paragraph, heading, list item, div ...) reads as one line, a
`<br>` ending it; each `<tr>` is one line of its `<td>`/`<th>` texts joined by tabs. A cell
spanning columns is followed by empty cells for the columns it covers, and a cell spanning rows
leaves an empty cell in the rows below, so the rows of a table keep their columns aligned.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

from orchestration.formats import decode_html
from orchestration.parse.layout import Line
from orchestration.read.pdf import UnreadableDocument

BLOCKS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "div", "dl",
    "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
    "h6", "header", "hr", "li", "main", "nav", "ol", "p", "pre", "section", "tbody", "td",
    "tfoot", "th", "thead", "ul",
}  # fmt: skip
SKIPPED = {"head", "script", "style", "noscript", "template", "title", "select", "option"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*>")


class _Text:
    """Collects the lines of an element's content."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.buffer: list[str] = []

    def flush(self) -> None:
        text = " ".join("".join(self.buffer).split())
        if text:
            self.lines.append(text)
        self.buffer = []

    def walk(self, element: lxml.etree._Element) -> None:
        tag = element.tag.lower() if isinstance(element.tag, str) else None  # None: a comment
        if tag == "table":
            self.flush()
            self.lines += table_rows(element)
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
    """A cell's text on one line (its paragraphs and line breaks joined by spaces)."""
    text = _Text()
    text.buffer.append(cell.text or "")
    for child in cell:
        text.walk(child)
    text.flush()
    return " ".join(" ".join(text.lines).split())


def _span(cell: lxml.etree._Element, name: str) -> int:
    try:
        return max(1, min(int(cell.get(name, 1)), 1000))
    except ValueError:
        return 1


def table_rows(table: lxml.etree._Element) -> list[str]:
    """The table's caption and rows (a nested table reads as part of its cell's text)."""
    lines = [cell_text(caption) for caption in table.xpath("./caption")]
    below: dict[int, int] = {}  # column -> rows that a cell above still spans into
    for tr in table.xpath("./tr | ./thead/tr | ./tbody/tr | ./tfoot/tr"):
        cells: list[str] = []
        tds = tr.xpath("./td | ./th")
        while tds or any(left for column, left in below.items() if column >= len(cells)):
            if below.get(len(cells)):  # covered by a cell spanning down from above
                below[len(cells)] -= 1
                cells.append("")
            elif tds:
                td = tds.pop(0)
                text, rows = cell_text(td), _span(td, "rowspan")
                for offset in range(_span(td, "colspan")):
                    below[len(cells)] = rows - 1
                    cells.append("" if offset else text)
            else:
                cells.append("")
        if any(cells):
            lines.append("\t".join(cells))
    return [line for line in lines if line]


def read_html(data: bytes) -> list[Line]:
    """A page's lines in document order, numbered from 1."""
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
    return [Line(no, line) for no, line in enumerate(reader.lines, start=1)]
