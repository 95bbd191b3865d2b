"""Text that documents and portals control (file names, URLs, link titles, ZIP member names,
cell texts), made safe to print: control characters shown as visible escapes."""

from __future__ import annotations

_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
# C0, DEL, C1, the bidi embeddings, overrides and isolates, and the Unicode line separators
_CONTROLS = [
    *range(0x00, 0x20),
    *range(0x7F, 0xA0),
    *range(0x202A, 0x202F),
    *range(0x2066, 0x206A),
    0x2028,
    0x2029,
]
_VISIBLE = {
    code: _NAMED.get(chr(code)) or (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}")
    for code in _CONTROLS
}
# JSON escapes C0 in strings itself, and outside strings C0 is whitespace such as indentation
_JSON = {code: f"\\u{code:04x}" for code in _CONTROLS if code >= 0x7F}


def printable(text: object) -> str:
    """`text` on one line, every control character written as an escape (`\\x1b`, `\\n`,
    `\\u202e`); all other characters, Chinese included, unchanged."""
    return str(text).translate(_VISIBLE)


def safe_json(text: str) -> str:
    """JSON `text` (Chinese as is) made safe in a terminal: every character `printable` would
    escape is written as a JSON `\\uXXXX` escape, which stands for the same data."""
    return text.translate(_JSON)


_MARKDOWN = {ord(c): "\\" + c for c in "\\`*_{}[]()#+-.!|~"} | {ord("<"): "&lt;", ord(">"): "&gt;"}


def markdown_text(text: object) -> str:
    """`text` as literal Markdown on one line: `printable`, with every character Markdown or
    HTML would act on escaped, so a document's `[link](…)`, `![image](…)` or `<b …>` stays
    text in the Dagster UI."""
    return printable(text).translate(_MARKDOWN)
