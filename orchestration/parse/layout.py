"""The intermediate form every reader produces and every template parser consumes.

A document is a sequence of `Line`s: paragraphs, and table rows whose cells are separated by
tabs. Each line keeps its position (line number in the text layer, page where known), so every
parsed value can point back at where it was printed.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

# a line that is only a page's number: 7, - 25 -, — 3 —
PAGE_NUMBER = re.compile(r"^\s*+[-—－]?\s*+\d{1,4}\s*+[-—－]?\s*+$")
RUNNING_PAGES = 3  # a line printed alike on this many pages is a running header or footer
RUNNING_CHARS = 8  # and is at least this long (a short 其中： recurs in any text)


@dataclass(frozen=True)
class Line:
    """One visual line. Table rows hold their cells separated by tabs; readers of laid-out
    formats (PDF) also give each cell's horizontal extent (x0, x1) in points. `table` numbers
    the table a row belongs to where the reader saw one (a DOCX or HTML table, a ruled PDF
    table): rows of one table share it, across pages too."""

    no: int
    text: str
    page: int | None = None
    boxes: tuple[tuple[float, float], ...] | None = None
    table: int | None = None

    @property
    def cells(self) -> list[str]:
        return [cell.strip() for cell in self.text.split("\t")]

    @property
    def is_row(self) -> bool:
        return "\t" in self.text

    @property
    def is_debris(self) -> bool:
        """Conversion debris such as `-------------\\t--` (markdown table rules)."""
        return bool(self.text.strip()) and set(self.text.strip()) <= set("-\t |:")


def furniture(lines: list[Line]) -> set[int]:
    """The numbers of the lines that are page furniture, no part of the text they interrupt: a
    page's number, and a running header or footer (the same words first or last on several
    pages)."""
    numbers = {line.no for line in lines if PAGE_NUMBER.match(line.text)}
    pages: dict[int, list[Line]] = defaultdict(list)
    for line in lines:
        if line.page is not None and line.no not in numbers and not line.is_row:
            pages[line.page].append(line)
    edges = [line for page in pages.values() for line in {page[0], page[-1]}]
    seen: dict[str, set[int]] = defaultdict(set)
    for line in edges:
        seen["".join(line.text.split())].add(line.page)
    running = {
        line.no
        for line in edges
        if len(words := "".join(line.text.split())) >= RUNNING_CHARS
        and len(seen[words]) >= RUNNING_PAGES
    }
    return numbers | running


def align_cells(line: Line, columns: list[tuple[float, float]]) -> list[str]:
    """A row's cells placed under `columns` (the x extents of its table's header cells), empty
    where the row prints nothing. Lines without boxes (text formats) keep their own cells."""
    if line.boxes is None:
        return (line.cells + [""] * len(columns))[: max(len(columns), len(line.cells))]
    out = [""] * len(columns)
    for cell, (x0, x1) in zip(line.cells, line.boxes, strict=False):
        overlaps = [min(x1, c1) - max(x0, c0) for c0, c1 in columns]
        best = max(range(len(columns)), key=lambda i: overlaps[i])
        if overlaps[best] <= 0:  # no overlap: the nearest column by centre
            centre = (x0 + x1) / 2
            best = min(
                range(len(columns)), key=lambda i: abs((columns[i][0] + columns[i][1]) / 2 - centre)
            )
        out[best] = f"{out[best]} {cell}".strip() if out[best] else cell
    return out


def decode_text(data: bytes) -> str:
    """Decode a text layer: UTF-8 (with or without BOM), else GB18030."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValueError("text is neither UTF-8 nor GB18030")


def text_lines(text: str) -> list[Line]:
    """Non-blank, non-debris lines of a text layer, numbered from 1 as in the file."""
    lines = []
    for no, raw in enumerate(text.splitlines(), start=1):
        line = Line(no, raw.rstrip("\r\n"))
        if line.text.strip() and not line.is_debris:
            lines.append(line)
    return lines


def wide(char: str) -> bool:
    """CJK ideographs, kana, hangul and full-width forms: text written without spaces."""
    return char >= "\u2e80" and not ("\ud800" <= char <= "\udfff")


def join_wrapped(parts: list[str]) -> str:
    """A cell's wrapped lines as one text: no space where either side of a break is CJK or
    full-width, one space between two ASCII words."""
    out = ""
    for part in (p.strip() for p in parts):
        if not part:
            continue
        if out and not (wide(out[-1]) or wide(part[0])):
            out += " "
        out += part
    return out
