"""The nine standard tables of template B, read through the catalog (`table_kinds.yaml`).

A table is known by its title, whose catalog kind names its header labels, code columns and
unit. The lines of header labels above its rows are its header block: its amount columns are
placed by their centres, and an amount goes under the column whose centre is the last one left
of the amount's right edge (amounts are right-aligned, headers centred). A row's leading 2-3
digit numbers are its 类/款/项 codes, each matched to the nearest code header; a 收支总表 line
holds an income and an expenditure item. Every amount keeps its printed text.

Final accounts (决算) tables, read through the same catalog, add: codes printed whole in one cell
(`2013901`: its length gives the level), lines of two items (the 基本支出 table: code, name,
amount | code, name, amount), headers printed in levels (the 三公 table: category, sub-category,
then 预算数/决算数 under each) and notes that say a table has no data (说明：…故本表无数据).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass

from orchestration.parse import classification
from orchestration.parse.catalog import (
    TableKind,
    header_column,
    kind_of_title,
    normal_label,
    row_item,
    table_unit,
)
from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.values import money_yuan

_MONEY_TOKEN_RE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CODE_TOKEN_RE = re.compile(r"^\d{2,3}$")
_WHOLE_CODE_RE = re.compile(r"^\d{3}(?:\d{2}){0,2}$")  # 201, 20139, 2013901 in one cell
_OWN_DIGITS_RE = re.compile(r"^\d$")  # a 款 or 项 code printed without its leading 0
# 编制部门：… (with the table's unit after it, where both print in one paragraph)
_PREPARED_BY_RE = re.compile(r"^编制(?:部门|单位)\s*[:：]\s*(.+?)(?:\s+(?:金额)?单位\s*[:：].*)?$")
_EXPENDITURE_LABEL_RE = re.compile(r"支出(?:总计|合计)?$")


@dataclass
class _Token:
    """A cell, or part of a cell the reader fused with its neighbour, with its x extent."""

    text: str
    x0: float | None
    x1: float | None

    @property
    def is_money(self) -> bool:
        return bool(_MONEY_TOKEN_RE.match(self.text))


def _width(text: str) -> float:
    return sum(0.5 if ord(char) < 128 else 1.0 for char in text)


def _grid_boxes(line: Line, spans: list[int] | None = None) -> list[tuple] | None:
    """Extents for a row read from a grid (DOCX, HTML, XLSX: cells, no positions): each cell
    stands at its column's index, over `spans[i]` columns (one by default), so an empty cell
    keeps its column. None for a line with positions, or of one cell."""
    if line.boxes is not None or len(line.cells) < 2:
        return None
    spans = spans or [1] * len(line.cells)
    return [(float(i), float(i + span)) for i, span in enumerate(spans)]


def _tokens(line: Line, spans: list[int] | None = None) -> list[_Token]:
    """The line's cells, with fused cells (`96,282,213.44 一、公共安全支出`) split into numbers and
    text runs; a part's extent is estimated from its share of the cell's printed width."""
    tokens = []
    boxes = line.boxes or _grid_boxes(line, spans) or [(None, None)] * len(line.cells)
    for cell, (x0, x1) in zip(line.cells, boxes, strict=False):
        words = cell.split()
        if len(words) < 2:  # most cells: one word, or none
            tokens += [_Token(word, x0, x1) for word in words]
            continue
        parts: list[str] = []
        for word in words:
            if parts and not _MONEY_TOKEN_RE.match(word) and not _MONEY_TOKEN_RE.match(parts[-1]):
                parts[-1] += f" {word}"  # text with a space in it ('1. 一般公共预算资金')
            else:
                parts.append(word)
        tokens += _spread(parts, x0, x1, " ")
    return tokens


def _spread(parts: list[str], x0: float | None, x1: float | None, gap: str) -> list[_Token]:
    """Parts of one printed cell, each given its share of the cell's extent by printed width."""
    if len(parts) == 1 or x0 is None or x1 is None:
        return [_Token(part, x0, x1) for part in parts]
    out, done, total = [], 0.0, _width(gap.join(parts))
    for part in parts:
        left = x0 + (x1 - x0) * done / total
        done += _width(part)
        out.append(_Token(part, left, x0 + (x1 - x0) * done / total))
        done += _width(gap)
    return out


def _header_labels(token: _Token, kind: TableKind) -> list[_Token]:
    """Amount-column labels in a token: itself, or labels the reader fused into one cell
    (`政府性基金预算国有资本经营预算`), each with its share of the cell's extent."""
    text = normal_label(token.text)
    labels = kind.amount_labels
    if text in labels:
        return [_Token(text, token.x0, token.x1)]
    found, rest = [], text
    while rest:
        label = next((a for a in labels if rest.startswith(a)), None)
        if label is None:
            return []
        found.append(label)
        rest = rest[len(label) :]
    return _spread(found, token.x0, token.x1, "")


class _Columns:
    """Amount columns of a table's header block, ordered by their centres."""

    def __init__(self, kind: TableKind, header: list[list[_Token]]):
        self.kind = kind
        cells: list[_Token] = []
        above: dict[int, list[list[_Token]]] = {}  # a label's header rows above its own
        self.codes: list[tuple[float, int]] = []
        for row, tokens in enumerate(header):
            has_name = any(header_column(kind, t.text) == "name" for t in tokens)
            for token in tokens:
                if token.text in kind.code_headers and token.x0 is not None:
                    centre = (token.x0 + token.x1) / 2
                    self.codes.append((centre, kind.code_headers.index(token.text)))
                for label in _header_labels(token, kind):
                    # a lone 预算数 spans the columns below it; beside 项目 it is a column
                    if kind.columns[label.text] != "amount" or has_name:
                        cells.append(label)
                        above[id(label)] = header[:row]
        printed = {c.text for c in cells}  # 基本支出 spans 人员经费/公用经费 where they are printed
        spanning = {label for label, below in kind.spans.items() if printed & set(below)}
        cells = [c for c in cells if c.text not in spanning]
        cells = [c for c in cells if not _heads_others(c, cells)]
        columns = sorted(
            ((c.x0 + c.x1) / 2 if c.x0 is not None else i, _qualified(kind, c, above[id(c)]))
            for i, c in enumerate(cells)
        )
        self.centres = [centre for centre, _ in columns]
        self.labels = [label for _, label in columns]
        self.keys = [kind.columns[label] for label in self.labels]
        self.codes.sort()
        # a second classification printed beside the first (政府预算支出经济分类 beside 部门预算
        # 支出经济分类): the code headers from the second 类 on are its
        firsts = [centre for centre, part in self.codes if part == 0]
        paired_from = firsts[1] - 1 if len(firsts) > 1 else float("inf")
        self.paired = [(centre, part) for centre, part in self.codes if centre >= paired_from]
        self.codes = [(centre, part) for centre, part in self.codes if centre < paired_from]
        # where the row labels stand (a 收支总表 prints two: income, then expenditure)
        self.name_x = sorted(
            t.x0
            for tokens in header
            for t in tokens
            if t.x0 is not None and header_column(kind, t.text) == "name"
        )
        self.header = header

    def level_key(self, token: _Token) -> tuple[str | None, str | None]:
        """(key, label path) of an amount under a header printed in levels: the most specific
        category above it, suffixed by the bottom label (预算数 `_budget`, 决算数 none)."""
        if token.x0 is None:
            return None, None
        centre = (token.x0 + token.x1) / 2
        path = [
            normal_label(t.text)
            for tokens in self.header
            for t in tokens
            if t.x0 is not None
            and t.x0 - 1 <= centre <= t.x1 + 1
            and normal_label(t.text) in self.kind.columns
        ]
        levels = self.kind.levels or {}
        suffix = next((label for label in reversed(path) if label in levels), None)
        categories = [label for label in path if label not in levels]
        if suffix is None or not categories:
            return None, "/".join(path) or None
        return self.kind.columns[categories[-1]] + levels[suffix], "/".join(path)

    def side(self, label: _Token) -> str | None:
        """income or expenditure by where a label stands, where the header placed both sides."""
        if len(self.name_x) < 2 or label.x0 is None:
            return None
        return "expenditure" if label.x0 >= self.name_x[1] - 1 else "income"

    def at(self, token: _Token, index: int) -> int | None:
        """The column of an amount: the last whose centre is left of its right edge."""
        if not self.labels:
            return None
        if token.x1 is None:
            return min(index, len(self.labels) - 1)
        return max(bisect_left(self.centres, token.x1) - 1, 0)

    def paired_part(self, token: _Token) -> int | None:
        """Which code cell of a second classification a number is, where it stands under its
        headers (nearer them than any amount column's centre), else None."""
        if not self.paired or token.x0 is None:
            return None
        centre = (token.x0 + token.x1) / 2
        nearest = min(self.paired + self.codes, key=lambda c: abs(c[0] - centre))
        amount = min((abs(c - centre) for c in self.centres), default=float("inf"))
        if nearest in self.paired and abs(nearest[0] - centre) < amount:
            return nearest[1]
        return None

    def code_part(self, token: _Token, index: int) -> int:
        """Which code cell a number is (类 0, 款 1, 项 2), by the nearest code header."""
        if not self.codes or token.x0 is None:
            return index
        centre = (token.x0 + token.x1) / 2
        return min(self.codes, key=lambda c: abs(c[0] - centre))[1]


def _qualified(kind: TableKind, cell: _Token, above: list[list[_Token]]) -> str:
    """A column's label, qualified by the heading printed over it (in the header rows `above`
    its own) where the catalog names the pair (小计 under “三公”经费 is the 三公 total, under
    公务用车购置及运行费 the vehicles')."""
    if cell.x0 is None or not kind.qualified:
        return cell.text
    centre = (cell.x0 + cell.x1) / 2
    for tokens in reversed(above):
        for token in tokens:
            if token.x0 is not None and token.x0 < centre < token.x1:
                key = f"{normal_label(token.text)}/{cell.text}"
                if key in kind.columns:
                    return key
    return cell.text


def _heads_others(cell: _Token, cells: list[_Token]) -> bool:
    """A heading printed across the columns of other headings (a merged 预算数 cell over
    合计, 基本支出 and 项目支出): a group of columns, not a column."""
    if cell.x0 is None:
        return False
    return any(
        other.x0 is not None
        and other.x1 - other.x0 < cell.x1 - cell.x0
        and cell.x0 < (other.x0 + other.x1) / 2 < cell.x1
        for other in cells
    )


def _grid_header(lines: list[Line]) -> list[list[_Token]]:
    """A grid's header rows, each label spanning the empty cells to its right under which a
    later header row prints a label: a merged cell (预算数 over 合计 … 项目支出) reads as its
    text in its first column and empty strings where it spans. An empty cell with nothing
    below continues a cell merged down from above, not the label beside it."""
    rows = [line.cells for line in lines]
    width = max(len(cells) for cells in rows)
    below = [
        {j for later in rows[i + 1 :] for j, cell in enumerate(later) if cell}
        for i in range(len(rows))
    ]
    header = []
    for i, cells in enumerate(rows):
        spans = []
        for j, cell in enumerate(cells):
            end = j + 1
            while cell and end < width and end < len(cells) and not cells[end] and end in below[i]:
                end += 1
            spans.append(end - j)
        header.append(_tokens(lines[i], spans))
    return header


def _is_header(tokens: list[_Token], kind: TableKind) -> bool:
    if _column_numbers(tokens):
        return True
    if any(t.is_money for t in tokens):
        return False
    if tokens and all(normal_label(t.text) in kind.side_headings for t in tokens):
        return True  # 收入 | 支出 over a two-sided table's columns (repeated on a new page)
    return any(t.text in kind.code_headers or _header_labels(t, kind) for t in tokens)


_MARKER_RE = re.compile(r"^(?:\*+|栏次|—+|-+)$")  # what a row of column numbers prints as labels


def _column_numbers(tokens: list[_Token]) -> bool:
    """A row numbering the columns below a header (栏次 | 1 | 2 | 3 …, or ** | ** | 1 | 2 …): the
    header's last row, not figures."""
    numbers = [t.text for t in tokens if t.is_money]
    others = [t for t in tokens if not t.is_money]
    if len(numbers) < 3 or not numbers[0].isdigit():
        return False
    if not all(_MARKER_RE.match(t.text) for t in others):
        return False
    return numbers == [str(n) for n in range(int(numbers[0]), int(numbers[0]) + len(numbers))]


def read_table(out: Records, title: Line, body: list[Line], kind: TableKind | None = None) -> None:
    """The table titled `title` printed in `body`: its record, rows, amounts. Its kind is the
    budget kind of its title unless given (a final accounts' parser gives its own)."""
    kind = kind or kind_of_title(title.text)
    two_sided = kind.rows == "two_sided"
    printed = {} if kind.printed_number is None else {"printed_number": kind.printed_number}
    table = out.add(
        "budget_tables",
        title,
        table_ordinal=out.count("budget_tables") + 1,
        table_kind=kind.id,
        title=title.text.strip(),
        unit_text=None,
        prepared_by=None,
        row_count=0,
        note=None,
        **printed,
    )
    notes = tuple(f"{word}{colon}" for word in kind.note_words for colon in ":：")
    header: list[list[_Token]] = []
    header_lines: list[Line] = []
    columns: _Columns | None = None
    in_header = False
    seen = _Codes([None, None, None])
    for line in body:
        text = line.text.strip()
        tokens = _tokens(line)
        if _is_header(tokens, kind):
            if not in_header:
                header, header_lines, in_header = [], [], True
            header.append(tokens)
            header_lines.append(line)
            columns = None
            continue
        unit = table_unit(kind, text)
        prepared = _PREPARED_BY_RE.match(line.cells[0])
        if unit or prepared:
            table["unit_text"] = unit or table["unit_text"]
            table["prepared_by"] = prepared.group(1) if prepared else table["prepared_by"]
            continue
        if text.startswith(notes):
            several = table["note"] and len(kind.note_words) > 1  # 注：… then 说明：…
            table["note"] = f"{table['note']}\n{text}" if several else text
            continue
        if not any(t.is_money for t in tokens) and not (two_sided and table["row_count"]):
            continue  # an empty table's 合计 or 无, or other text
        if columns is None:
            grid = header_lines and all(_grid_boxes(h) for h in header_lines)
            columns = _Columns(kind, _grid_header(header_lines) if grid else header)
        in_header = False
        if two_sided:
            _two_sided_rows(out, table, line, tokens, columns)
        elif kind.pairs:
            for item in _items(tokens):
                _coded_row(out, table, line, item, columns, seen)
        else:
            _coded_row(out, table, line, tokens, columns, seen)
    _mark_subtotals(out, table)


def _mark_subtotals(out: Records, table: dict) -> None:
    """A coded row whose code heads another row's (a 类 over its 款, a 款 over its 项) sums
    the rows under it: its role is subtotal."""
    rows = out.get("budget_table_rows", [])[-table["row_count"] :] if table["row_count"] else []
    codes = {r["function_code"] or r["economic_code"] for r in rows} - {None}
    heads = {code[:length] for code in codes for length in (3, 5) if len(code) > length}
    for row in rows:
        if (row["function_code"] or row["economic_code"]) in heads:
            row["row_role"] = "subtotal"


def _items(tokens: list[_Token]) -> list[list[_Token]]:
    """The items of a line printing two (code, name, amount | code, name, amount): an item
    starts at a code, or at a label after an amount (人员经费合计 … 公用经费合计 …)."""
    items: list[list[_Token]] = []
    for token in tokens:
        amounts = (
            [t for t in items[-1] if t.is_money and not _WHOLE_CODE_RE.match(t.text)]
            if items
            else []
        )
        after_amount = amounts and not token.is_money
        if not items or _WHOLE_CODE_RE.match(token.text) or after_amount:
            items.append([])
        items[-1].append(token)
    return items


def _add_row(out: Records, table: dict, line: Line, **fields) -> dict:
    table["row_count"] += 1
    fields = {
        "side": None,
        "row_role": "line",
        "row_item": None,
        "level": None,
        "function_code": None,
        "economic_code": None,
        "class_code": None,
        "item_code": None,
        "subitem_code": None,
        "code_source": None,
        "code_matches_name": None,
        "classification_name": None,
        "paired_code": None,
        "paired_code_text": None,
        "paired_name": None,
        "name": None,
        **fields,
    }
    return out.add(
        "budget_table_rows",
        line,
        table_ordinal=table["table_ordinal"],
        row_ordinal=table["row_count"],
        table_kind=table["table_kind"],
        **fields,
        raw_text=line.text,
    )


def _add_amounts(
    out, table, line, columns: _Columns, amounts: list[tuple[int, _Token]], key: str | None = None
) -> None:
    """Each amount under its column; `key` for a total row whose label names its column."""
    unit = table["unit_text"] or columns.kind.unit
    for index, token in amounts:
        column = columns.at(token, index)
        if columns.kind.levels:
            column_key, column_label = columns.level_key(token)
        else:
            column_key = columns.keys[column] if column is not None else None
            column_label = columns.labels[column] if column is not None else None
        out.add(
            "budget_table_amounts",
            line,
            table_ordinal=table["table_ordinal"],
            row_ordinal=table["row_count"],
            table_kind=table["table_kind"],
            column_id=key or column_key,
            column_label=column_label,
            amount_text=token.text,
            amount_yuan=money_yuan(token.text, unit),
        )


def _two_sided_rows(out, table, line, tokens: list[_Token], columns: _Columns) -> None:
    """A 收支总表 line: an income item and an expenditure item, each with its amounts. Each
    label is read as an item of the kind's list (收入总计, 一、一般公共服务支出 …), which gives
    its role and, where it has one, its side; else the side is the label's place."""
    segments: list[tuple[_Token | None, list[_Token]]] = []
    for token in tokens:
        if token.is_money:
            if not segments:
                segments.append((None, []))
            segments[-1][1].append(token)
        else:
            segments.append((token, []))
    kind = columns.kind
    labelled = [token for token, _ in segments if token is not None]
    index = 0
    for token, amounts in segments:
        label = token.text if token is not None else None
        item, code = (row_item(kind, label) if label else None) or (None, None)
        side = "expenditure" if label and _EXPENDITURE_LABEL_RE.search(label) else "income"
        if item is not None and item.side:
            side = item.side
        elif token is not None and (kind.sides == "order" or item is not None):
            if len(labelled) == 2:  # 结余分配, 合计: by its place on the line
                side = "income" if token is labelled[0] else "expenditure"
            else:
                side = columns.side(token) or side
        fields = {"side": side, "name": label}
        if item is not None:
            fields.update(row_role=item.role, row_item=item.id)
        if code:
            fields.update(_code_fields("function_code", code), code_source="classification")
        _add_row(out, table, line, **fields)
        _add_amounts(out, table, line, columns, [(index + i, t) for i, t in enumerate(amounts)])
        index += len(amounts)


@dataclass
class _Codes:
    """The codes of the last coded row of a table: a row printing only its 款 or 项 cell
    (the 类 merged down from above, or left blank) takes the higher parts from them."""

    last: list[str | None]


# [2010501]行政运行: a code printed in brackets before its name
_BRACKETED_CODE_RE = re.compile(r"^[\[【](\d{3}(?:\d{2}){0,2})[\]】]\s*(\S.*)?$")


def _coded_row(out, table, line, tokens: list[_Token], columns: _Columns, seen: _Codes) -> None:
    """A classified row (codes, name, amounts), a 合计 row, a labelled item (the categories of
    a 三公 table printed as rows), or the 三公 table's single row of amounts."""
    codes: list[str | None] = [None, None, None]
    paired: list[str | None] = [None, None, None]  # a second classification's, where printed
    names, amounts, paired_names, paired_text = [], [], [], []
    kind = columns.kind
    coded = kind.code_column  # function_code, economic_code, or None
    for token in tokens:
        bracketed = coded and not (any(codes) or names or amounts)
        bracketed = bracketed and _BRACKETED_CODE_RE.match(token.text)
        if bracketed:  # [2010501]行政运行: the code printed in brackets before its name
            codes = _split_code(bracketed.group(1))
            if bracketed.group(2):
                names.append(bracketed.group(2))
            continue
        # a 款 or 项 column may print its own digits only, unpadded: `301  2  津贴补贴`
        own_digits = any(codes) and _OWN_DIGITS_RE.match(token.text)
        first = coded and not any(codes) and not names and not amounts
        if first and _WHOLE_CODE_RE.match(token.text) and _is_code(kind, token.text):
            codes = _split_code(token.text)  # 2013901: 类 201, 款 39, 项 01
        elif coded and not (names or amounts) and (own_digits or _CODE_TOKEN_RE.match(token.text)):
            part = columns.code_part(token, sum(c is not None for c in codes))
            if own_digits:  # never the 类, which is printed whole
                part = max(part, 1)
            codes[part] = token.text.zfill(2) if part else token.text
        elif (
            coded
            and names
            and not amounts
            and _CODE_TOKEN_RE.match(token.text)
            and (part := columns.paired_part(token)) is not None
        ):
            paired[part] = token.text.zfill(2) if part else token.text
            paired_text.append(token.text)
        elif token.is_money:
            amounts.append(token)
        elif any(paired):
            paired_names.append(token.text)
        else:
            names.append(token.text)
    if codes[0] is None and any(codes):  # 款 / 项 cells under a 类 merged down from above
        depth = next(i for i, c in enumerate(codes) if c is not None)
        codes[:depth] = seen.last[:depth]
    name = " ".join(names) or None
    printed = [c for c in codes if c is not None]
    fields = {"name": name, "class_code": codes[0], "item_code": codes[1]}
    fields["subitem_code"] = codes[2]
    if any(paired):
        fields["paired_code"] = "".join(c for c in paired if c)
        fields["paired_code_text"] = " ".join(paired_text)
        fields["paired_name"] = " ".join(paired_names) or None
    key = (kind.total_rows or {}).get(normal_label(name or ""))  # 人员经费合计: personnel
    found = row_item(kind, name) if name and kind.items and not printed else None
    if printed and codes[0] is not None:
        seen.last = list(codes)
        fields["level"] = len(printed)
        fields[coded] = "".join(printed)
        fields["code_source"] = "printed"
        if name:
            family = "function" if coded == "function_code" else "economic"
            fields["code_matches_name"] = classification.name_matches(family, fields[coded], name)
            if not fields["code_matches_name"]:
                fields["classification_name"] = _name_of(coded, fields[coded])
    elif found:
        item, _ = found
        fields.update(row_role=item.role, row_item=item.id)
    elif key:
        fields["row_role"] = "subtotal"
    elif name and re.fullmatch(r"(?:合|总)\s*计", name):
        fields["row_role"] = "total"
    elif name and coded:  # a name printed without its code: the classification's
        code = _code_of_name(coded, name, seen.last)
        if code:
            seen.last = _split_code(code)
            fields.update(_code_fields(coded, code), code_source="classification")
    _add_row(out, table, line, **fields)
    _add_amounts(out, table, line, columns, list(enumerate(amounts)), key)


def _split_code(digits: str) -> list[str | None]:
    return [digits[:3], digits[3:5] or None, digits[5:7] or None]


def _code_fields(coded: str, code: str) -> dict:
    parts = _split_code(code)
    return {
        coded: code,
        "class_code": parts[0],
        "item_code": parts[1],
        "subitem_code": parts[2],
        "level": sum(p is not None for p in parts),
    }


def _name_of(coded: str, code: str) -> str | None:
    if coded == "function_code":
        return classification.function_name(code)
    return classification.economic_name(code)


def _is_code(kind: TableKind, digits: str) -> bool:
    """Whether a row's first number is its classification code (printed whole): the kind says
    its codes are printed whole, or the national classification knows the code."""
    if kind.whole_codes:
        return True
    return _name_of(kind.code_column, digits) is not None


def _code_of_name(coded: str, name: str, above: list[str | None]) -> str | None:
    """The code of a name printed without one, under the nearest coded row above (its 款, then
    its 类), else where the name is unique; None when it cannot be told."""
    lookup = (
        classification.function_code if coded == "function_code" else (classification.economic_code)
    )
    parents = ["".join(c for c in above[:depth] if c) for depth in (3, 2, 1) if above[depth - 1]]
    for parent in [*parents, None]:
        code = lookup(name, parent)
        if code:
            return code
    return None
