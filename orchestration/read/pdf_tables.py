"""Ruled tables of a PDF page, found from its vector rules: cells with spans, joined text.

A table is a network of horizontal and vertical rules that cross, or that continue one another
(a writer drawing each cell's borders draws a rule in pieces, one per column of the grid, even
across a merged cell). Its grid is the distinct heights of its horizontal rules by the distinct
positions of its vertical rules (an open side, a table printed without its outer left or right
border, is closed at the ends of its horizontal rules). Two neighbouring grid cells with no rule
between them are one merged cell: a row or column span. A text span placed in a table (its
horizontal centre, its line's height) belongs to the cell there, and a cell's wrapped lines are
joined into one text. Tables without rules are left to the line reader.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from operator import itemgetter

import pymupdf

Turned = Callable[[float, float, float, float], tuple[float, ...]] | None  # a box on a turned page
THIN = 3.0  # points: a rectangle or a stroke thinner than this is a rule
SAME = 2.5  # points within which two rules lie on one grid line (a stroke's box is wider)
TOUCH = 1.0  # points between the ends of two pieces of one rule


@dataclass(slots=True)
class Cell:
    row: int
    col: int
    rowspan: int
    colspan: int
    box: tuple[float, float, float, float]  # x0, top, x1, bottom


@dataclass
class Table:
    """One ruled table of a page: `xs` and `ys` are its grid lines, `cells` its merged cells."""

    xs: list[float]
    ys: list[float]
    cells: dict[tuple[int, int], Cell]  # every grid position -> the cell covering it

    def locate(self, x: float, y: float) -> Cell | None:
        """The cell at a point; None outside the grid (row or column -1, or past the last)."""
        return self.cells.get((bisect_right(self.ys, y) - 1, bisect_right(self.xs, x) - 1))


def _edges(x0: float, y0: float, x1: float, y1: float, stroked: bool) -> list[tuple] | None:
    """The rules a rectangle or a straight segment's box draws: ("h", y, x0, x1) or
    ("v", x, y0, y1); a stroked rectangle draws its four edges. None for any other shape."""
    if y1 - y0 < THIN and x1 - x0 >= THIN:
        return [("h", (y0 + y1) / 2, x0, x1)]
    if x1 - x0 < THIN and y1 - y0 >= THIN:
        return [("v", (x0 + x1) / 2, y0, y1)]
    if stroked:
        return [("h", y0, x0, x1), ("h", y1, x0, x1), ("v", x0, y0, y1), ("v", x1, y0, y1)]
    return None  # a filled area (shading) or a glyph-like shape: not a rule


def _drawn_rules(page: pymupdf.Page, turn: Turned) -> list[tuple]:
    """The rules of every path of the page, segment by segment (the slow, complete way)."""
    rules = []
    for path in page.get_cdrawings():
        stroked = "s" in (path.get("type") or "")
        for item in path["items"]:
            if item[0] == "l":
                (x0, y0), (x1, y1) = item[1], item[2]
                stroke = False
            elif item[0] == "re":
                x0, y0, x1, y1 = item[1]
                stroke = stroked
            else:
                continue
            box = (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))
            rules += _edges(*(turn(*box) if turn else box), stroked=stroke) or []
    return rules


def _rules(page: pymupdf.Page, vectors: list[dict], turn: Turned) -> list[tuple]:
    """The page's rules, from the vector blocks its text extraction collected (rectangles and
    thin paths); a page with other paths (a grid drawn as one path) has its drawings read."""
    rules = []
    for vector in vectors:
        box = turn(*vector["bbox"]) if turn else vector["bbox"]
        edges = _edges(*box, stroked=vector.get("stroked", False))
        if edges is None and not vector.get("isrect"):  # a path of many segments
            return _drawn_rules(page, turn)
        rules += edges or []
    return rules


def _networks(rules: list[tuple]) -> list[list[tuple]]:
    """Rules grouped into networks of rules that cross or touch."""
    parent = list(range(len(rules)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    horizontal = [
        (i, y, x0 - SAME, x1 + SAME) for i, (k, y, x0, x1) in enumerate(rules) if k == "h"
    ]
    vertical = [(i, x, y0 - SAME, y1 + SAME) for i, (k, x, y0, y1) in enumerate(rules) if k == "v"]
    vertical.sort(key=itemgetter(1))
    xs = [x for _, x, _, _ in vertical]
    for h, y, left, right in horizontal:
        for v, _, top, bottom in vertical[bisect_left(xs, left) : bisect_right(xs, right)]:
            if top <= y <= bottom:
                parent[find(h)] = find(v)
    for segments in (horizontal, vertical):  # a rule drawn in pieces, cell by cell, is one
        line: list[tuple] = []  # the pieces on one grid line (positions within SAME)
        for segment in sorted(segments, key=itemgetter(1)) + [(None, float("inf"), 0, 0)]:
            if line and segment[1] - line[-1][1] > SAME:
                line.sort(key=itemgetter(2))
                end = line[0]  # the piece reaching furthest so far
                for piece in line[1:]:
                    if piece[2] - end[3] <= TOUCH - 2 * SAME:  # its ends, widened by SAME
                        parent[find(piece[0])] = find(end[0])
                    if piece[3] > end[3]:
                        end = piece
                line = []
            line.append(segment)
    groups: dict[int, list[tuple]] = {}
    for i, rule in enumerate(rules):
        groups.setdefault(find(i), []).append(rule)
    return list(groups.values())


def _positions(values: list[float]) -> list[float]:
    """Distinct grid lines: values within SAME of each other are one, at their mean."""
    groups: list[list[float]] = []
    for value in sorted(values):
        if groups and value - groups[-1][0] <= SAME:
            groups[-1].append(value)
        else:
            groups.append([value])
    return [sum(group) / len(group) for group in groups]


def _on_lines(segments: list[tuple], lines: list[float]) -> list[list[tuple]]:
    """Each grid line's segments (start, end): those lying within SAME of it."""
    out: list[list[tuple]] = [[] for _ in lines]
    for position, start, end in segments:
        i = bisect_right(lines, position + SAME) - 1
        if i >= 0 and abs(lines[i] - position) <= SAME:
            out[i].append((start - SAME, end + SAME))
    return out


def _covers(segments: list[tuple], middle: float) -> bool:
    return any(start <= middle <= end for start, end in segments)


def _table(network: list[tuple]) -> Table | None:
    hs = [(y, x0, x1) for kind, y, x0, x1 in network if kind == "h"]
    vs = [(x, y0, y1) for kind, x, y0, y1 in network if kind == "v"]
    if not hs or not vs:
        return None
    xs, ys = _positions([x for x, _, _ in vs]), _positions([y for y, _, _ in hs])
    left, right = min(x0 for _, x0, _ in hs), max(x1 for *_, x1 in hs)
    if left < xs[0] - SAME:  # an open side: the table ends where its horizontal rules end
        xs.insert(0, left)
    if right > xs[-1] + SAME:
        xs.append(right)
    if len(xs) < 2 or len(ys) < 2:
        return None
    rows, cols = len(ys) - 1, len(xs) - 1
    parent = list(range(rows * cols))  # grid position r * cols + c -> a position of its cell

    def find(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    def join(a: int, b: int) -> None:
        a, b = find(a), find(b)
        if a != b:
            parent[max(a, b)] = min(a, b)  # the top-left position names the cell

    verticals, horizontals = _on_lines(vs, xs), _on_lines(hs, ys)
    for r in range(rows):
        middle = (ys[r] + ys[r + 1]) / 2
        for c in range(1, cols):
            if not _covers(verticals[c], middle):
                join(r * cols + c - 1, r * cols + c)
    for c in range(cols):
        middle = (xs[c] + xs[c + 1]) / 2
        for r in range(1, rows):
            if not _covers(horizontals[r], middle):
                join((r - 1) * cols + c, r * cols + c)
    tops = [find(i) for i in range(rows * cols)]  # the cell of each position
    extents: dict[int, list[int]] = {}
    for i, top in enumerate(tops):  # row by row: r only grows
        r, c = divmod(i, cols)
        extent = extents.setdefault(top, [r, c, r, c])
        extent[2], extent[3] = r, max(extent[3], c)
    if len(extents) < 2:  # a frame around a paragraph, not a table
        return None
    # grid lines at which no cell starts (a rule of one row only, overhanging) are dropped
    kept_rows = sorted({r0 for r0, _, _, _ in extents.values()})
    kept_cols = sorted({c0 for _, c0, _, _ in extents.values()})
    row = [bisect_right(kept_rows, r) - 1 for r in range(rows)]  # grid row -> kept row
    col = [bisect_right(kept_cols, c) - 1 for c in range(cols)]
    cells = {
        top: Cell(
            row[r0],
            col[c0],
            row[r1] - row[r0] + 1,
            col[c1] - col[c0] + 1,
            (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1]),
        )
        for top, (r0, c0, r1, c1) in extents.items()
    }
    grid = {
        (r, c): cells[tops[r0 * cols + c0]]
        for r, r0 in enumerate(kept_rows)
        for c, c0 in enumerate(kept_cols)
    }
    xs = [xs[c] for c in kept_cols] + [xs[-1]]
    ys = [ys[r] for r in kept_rows] + [ys[-1]]
    return Table(xs, ys, grid)


def ruled_tables(page: pymupdf.Page, vectors: list[dict], turn: Turned = None) -> list[Table]:
    """The page's ruled tables, top to bottom, from its vector blocks (`get_text("dict")`
    with `TEXT_COLLECT_VECTORS`); on a page turned by `turn` (a box on the page -> its box on
    the turned page), where its text is read turned."""
    tables = [_table(network) for network in _networks(_rules(page, vectors, turn))]
    return sorted((t for t in tables if t is not None), key=lambda t: t.ys[0])
