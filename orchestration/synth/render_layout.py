"""What every renderer shares: the text layer cut into paragraphs and tables, and the layouts.

A layout changes how a table is printed, never what it says: `wrapped` breaks long cells onto
several lines (where a reader joining them with `join_wrapped` gets the cell back), `merged`
prints a performance table's 一级指标 once over the rows it heads, the `split_*` layouts cut
tables across pages (with or without their header rows repeated), and the others change the
page, the rules and the spacing only. Layouts that change different things combine:
`unruled+merged` prints merged 一级指标 in a table without rules (centred, as Word does).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from itertools import groupby

from orchestration.parse.layout import join_wrapped, text_lines

SPAN_CHARS = 40  # a row's last cell longer than this prints across the empty cells after it
WRAP_EM = 14.0  # a wrapped column's width in full-width characters (at least)
WRAP_LINES = 3  # ... widened so that its longest cell wraps onto no more lines than this
SPLIT_LINES = 12  # lines on a page of the split layouts (paragraphs and rows)
OPENING = "（《「『【〔“‘([{<"  # no line ends after these
CLOSING = "，。、；：？！）》」』】〕”’%,.;:?!)]}>"  # ... nor starts with these
HEADER = "一级指标"  # the header row of a performance table starts with it
GOAL = "绩效目标"


@dataclass(frozen=True)
class Style:
    """How one layout prints: what its renderers look at."""

    wrap: bool = False
    merge: bool = False
    split: bool = False
    repeat: bool = False  # a split table's later parts start with its header rows
    landscape: bool = False
    ruled: bool = True
    pad: float = 4.0  # cell text inset from the cell border, points
    leading: float = 14.0  # row height of one printed line, points
    drop: float = 4.0  # the cell's bottom rule below the text's baseline, points
    min_column: float = 0.0  # a column's least width, points (text and padding)


LAYOUTS = (  # each may combine with others by `+` (see `style`)
    "plain",
    "wrapped",
    "merged",
    "split_repeat",
    "split_bare",
    "landscape",
    "unruled",
    "narrow",
    "wide",
)
# combinations real publishers produce: a Word table exported without borders (its 一级指标
# merged, its long cells wrapped), a long table cut across pages with its labels merged
COMBINATIONS = (
    "unruled+merged",
    "unruled+wrapped",
    "unruled+wrapped+merged",
    "unruled+split_bare+merged",
    "split_bare+merged",
)
STYLES = {
    "plain": Style(),
    "wrapped": Style(wrap=True),
    "merged": Style(merge=True),
    "split_repeat": Style(split=True, repeat=True),
    "split_bare": Style(split=True),
    "landscape": Style(landscape=True),
    "unruled": Style(ruled=False),
    "narrow": Style(pad=1.0, leading=12.0, drop=3.0),
    "wide": Style(pad=20.0, leading=36.0, drop=14.0, min_column=150.0),
}


def style(layout: str) -> Style:
    """The style of `layout`: one of `LAYOUTS`, or several joined by `+`, each changing what
    the others leave as in `plain`."""
    names = layout.split("+")
    if any(name not in STYLES for name in names):
        raise ValueError(
            f"layout must be one of {', '.join(LAYOUTS)} or several joined by +, got {layout!r}"
        )
    plain, changes = Style(), {}
    for name in names:
        changed = {
            key: value for key, value in vars(STYLES[name]).items() if value != getattr(plain, key)
        }
        if (name == "plain" and len(names) > 1) or changed.keys() & changes.keys():
            raise ValueError(f"layout {layout!r} combines layouts that change the same thing")
        changes.update(changed)
    return replace(plain, **changes)


def blocks(text: str) -> list[tuple[str, list]]:
    """("p", text) paragraphs and ("table", rows of cells), in document order."""
    out: list[tuple[str, list]] = []
    for is_row, group in groupby(text_lines(text), key=lambda line: line.is_row):
        if is_row:
            out.append(("table", [line.text.split("\t") for line in group]))
        else:
            out += [("p", line.text.strip()) for line in group]
    return out


def last_filled(row: list[str]) -> int:
    return max((i for i, cell in enumerate(row) if cell.strip()), default=-1)


def spans(row: list[str]) -> bool:
    """A row whose last filled cell runs on over the (empty) cells after it, as a goal does."""
    last = last_filled(row)
    return last >= 0 and len(row[last].strip()) > SPAN_CHARS


# -- tables cut into parts (split layouts) -------------------------------------------------------


@dataclass
class Table:
    """A table's rows, and the parts it is printed in: each part a page of its own."""

    rows: list[list[str]]
    starts: list[int] = field(default_factory=lambda: [0])  # the row each part starts at
    header: list[int] = field(default_factory=list)  # rows repeated atop the later parts

    @property
    def columns(self) -> int:
        return max(len(row) for row in self.rows)

    def parts(self) -> list[list[tuple[int, bool]]]:
        """Each part's rows as (index in `rows`, repeated): a later part starts with the header
        rows repeated."""
        ends = [*self.starts[1:], len(self.rows)]
        out = []
        for n, (start, end) in enumerate(zip(self.starts, ends, strict=True)):
            repeated = [(i, True) for i in self.header] if n else []
            out.append(repeated + [(i, False) for i in range(start, end)])
        return out


def header_index(rows: list[list[str]]) -> int:
    """The header row: a performance table's 一级指标 row, else the first row."""
    return next((i for i, row in enumerate(rows) if row[0].strip() == HEADER), 0)


def laid_out(text: str, layout: str = "plain") -> list[tuple[str, object]]:
    """("p", text) and ("table", Table) in document order, and in the split layouts ("page",
    None) where a page ends between them. These fill pages of `SPLIT_LINES` lines: a table
    reaching a page's end goes on in a new part (never before it has a data row under its
    header); a row the table printed before (the text's own page break, repeating a header)
    starts a new page, as the PDF prints it."""
    s = style(layout)
    out: list[tuple[str, object]] = []
    used = 0  # lines on the page so far
    for kind, content in blocks(text):
        if s.split and used >= SPLIT_LINES:
            out.append(("page", None))
            used = 0
        if kind == "p":
            out.append((kind, content))
            used += 1
            continue
        table = Table(content)
        out.append((kind, table))
        if not s.split:
            continue
        header = header_index(content)
        table.header = [header] if s.repeat else []
        seen: set[str] = set()
        for i, row in enumerate(content):
            key = "\t".join(row)
            if key in seen:
                used = 0
            seen.add(key)
            if used >= SPLIT_LINES and i > header + 1:
                table.starts.append(i)
                used = len(table.header)
            used += 1
    return out


def text_layer(text: str, layout: str = "plain") -> str:
    """What a rendering in `layout` prints, as a text layer: the text's paragraphs and rows, with
    the header rows a split table repeats (its cells' lines joined, its merged cells blank as
    the text has them). What a reader of the rendering should read, positions aside."""
    lines = []
    for kind, block in laid_out(text, layout):
        if kind == "p":
            lines += [block, ""]
        elif kind == "table":
            for part in block.parts():
                lines += ["\t".join(block.rows[i]) for i, _ in part] + [""]
    return "\n".join(lines)


# -- merged 一级指标 cells -------------------------------------------------------------------------


def level1_spans(rows: list[list[str]]) -> list[int]:
    """For each row of a performance table, the rows its 一级指标 cell covers: 1, more where
    the rows below print it blank (the same 一级指标), 0 for a row whose cell is covered. Only
    indicator rows merge: not the header, nor a goal row, nor a row a header stands between."""
    out = [1] * len(rows)
    if not any(row[0].strip() == HEADER for row in rows):
        return out
    anchor = None
    for i, row in enumerate(rows):
        first = row[0].strip()
        if first in (HEADER, GOAL) or spans(row):
            anchor = None
        elif first:
            anchor = i
        elif anchor is not None:
            out[anchor] += 1
            out[i] = 0
    return out


# -- wrapped cells ---------------------------------------------------------------------------------


def em(text: str) -> float:
    """Printed width in full-width characters: CJK and full-width forms 1, others 1/2."""
    return sum(1.0 if _wide(c) else 0.5 for c in text)


def _wide(char: str) -> bool:
    return join_wrapped(["a", char]) == "a" + char


def breaks(text: str) -> list[int]:
    """Where `text` (its spaces single) may end a line: after a character, before any space,
    such that its lines joined by `join_wrapped` give the text back (so numbers and ASCII
    words stay whole), and not before closing nor after opening punctuation."""
    out = []
    for end in range(1, len(text)):
        before, gap = text[end - 1], text[end] == " "
        after = text[end + 1] if gap and end + 1 < len(text) else text[end]
        if before == " " or after == " " or before in OPENING or after in CLOSING:
            continue
        if join_wrapped([before, after]) == before + " " * gap + after:
            out.append(end)
    return out


def wrap(text: str, width: float) -> list[str]:
    """`text` on lines of at most `width` (in `em`) where it can break, longer where not."""
    text = " ".join(text.split())
    lines: list[str] = []
    start, fits = 0, None  # the line's start, its last break within `width`

    def cut(end: int) -> int:
        lines.append(text[start:end])
        return end + (text[end] == " ")

    for end in [*breaks(text), len(text)]:
        if em(text[start:end]) <= width:
            fits = end
            continue
        if fits is not None:
            start = cut(fits)
        if em(text[start:end]) <= width or end == len(text):
            fits = end
        else:  # no break within `width`: the line runs on to the first
            start, fits = cut(end), None
    return [*lines, text[start:]]


def wrapped(rows: list[list[str]]) -> list[list[list[str]]]:
    """Each cell's lines: a column is as wide as its widest cell, but no wider than `WRAP_EM`
    unless its longest cell would take more than `WRAP_LINES` lines; a spanning cell (a goal)
    wraps across the columns it covers."""
    columns = max(len(row) for row in rows)
    widest = [0.0] * columns
    for row in rows:
        for i, cell in enumerate(row):
            if cell.strip() and not (i == last_filled(row) and spans(row)):
                widest[i] = max(widest[i], em(cell.strip()))
    widths = [min(w, max(WRAP_EM, math.ceil(w / WRAP_LINES))) for w in widest]
    out = []
    for row in rows:
        cells = []
        for i, cell in enumerate(row):
            spanning = i == last_filled(row) and spans(row)
            width = sum(widths[i:]) if spanning else widths[i]
            cells.append(wrap(cell.strip(), max(width, 1.0)) if cell.strip() else [""])
        out.append(cells)
    return out
