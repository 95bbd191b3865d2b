"""The intermediate form every reader produces and every template parser consumes.

A document is a sequence of `Line`s: paragraphs, and table rows whose cells are separated by
tabs. Each line keeps its position (line number in the text layer, page where known), so every
parsed value can point back at where it was printed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Line:
    no: int
    text: str
    page: int | None = None

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
