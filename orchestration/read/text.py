"""Plain text (UTF-8 or GB18030): each non-blank line is a `Line`, tab-separated cells kept."""

from __future__ import annotations

from orchestration.formats import MB, over_limit
from orchestration.parse.layout import Line, decode_text, text_lines
from orchestration.read.pdf import UnreadableDocument

TEXT_LIMIT = 20 * MB  # bytes of a text file


def read_text(data: bytes) -> list[Line]:
    """The text layer's lines, numbered as in the file (blank and debris lines dropped)."""
    if len(data) > TEXT_LIMIT:
        raise UnreadableDocument(over_limit("text file", len(data), TEXT_LIMIT))
    if b"\x00" in data:
        raise UnreadableDocument("binary data, not text: it holds NUL bytes")
    try:
        lines = text_lines(decode_text(data))
    except ValueError as exc:
        raise UnreadableDocument(f"undecodable text: {exc}") from None
    if not lines:
        raise UnreadableDocument("no text: the file is blank")
    return lines
