"""Template A: Hebei county department budgets (部门预算信息公开情况说明).

Sections (一、… 九、) are found by their headings and each is read by its own function. Every
record carries the document key and the line it was printed on; table records carry their table
and row ordinals. Figures keep their printed text; quirks are kept and flagged, never fixed.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from orchestration.parse import statements
from orchestration.parse.catalog import TableKind, is_header_row, kind_by_id
from orchestration.parse.layout import Line, join_wrapped
from orchestration.parse.performance_tables import read_performance_tables
from orchestration.parse.records import Records, add_glossary
from orchestration.parse.statements import Text
from orchestration.parse.values import cn_number

# 决算 (final accounts), not the 预决算 of a law's name such as 《地方预决算公开操作规程》
FINAL_ACCOUNTS = re.compile(r"(?<!预)决算")

TEMPLATE = "A"

_SECTION_RE = re.compile(r"^([一二三四五六七八九十]+)、\s*(.+)$")
_DUTY_RE = re.compile(r"^[（(]\s*([一二三四五六七八九十百]+)\s*[）)]\s*(.*)$")
_NUMBERED_RE = re.compile(r"^(\d+)\s*、\s*(.*)$")
# The tables' kinds (titles, header rows) come from the catalog (table_kinds.yaml).
_UNITS = kind_by_id("units")
_CODE_LINE_RE = re.compile(r"^(\d{3,6})\s+([^\s\d]{2,30})$")
_SAME_X = 2.0  # points between the left edges of two cells in one table column
PHASE = "budget"

# What the template states in each narrative section: statement items (statements.yaml holds
# their words). Its 国有资产 section states fixed assets, recorded as `fixed_assets`.
ITEMS = {
    "totals": ["expenditure_total", "basic_expenditure", "project_expenditure"],
    "operating_funds": ["operating_funds"],
    "three_public": [
        *("three_public_total", "outbound", "vehicle_total", "vehicle_purchase"),
        *("vehicle_operation", "reception", "meeting", "training"),
    ],
    "procurement": ["procurement_total"],
    "fixed_assets": ["fixed_assets_total", "fixed_assets_planned_purchase"],
}
# the changes it prints after the 三公 breakdown, and after 会议费 and 培训费 together
CHANGES = {"three_public": ["three_public_change", "meeting_training_change"]}


def is_template_a(lines: list[Line]) -> bool:
    text = "\n".join(line.text for line in lines[:400])
    return (
        "部门预算" in text
        and ("绩效目标表" in text or "部门职责" in text)
        and "预算单位：" not in text
    )


def _text_rows(lines: list[Line]) -> list[Line]:
    """Lines laid out on a page (PDF) with their table rows as the text layer has them.

    A PDF prints nothing in an empty cell, so each row's cells are placed under its table's
    columns (the distinct left edges of the table's cells) with empty strings where nothing is
    printed: a blank 一级指标 reads as blank, as the parsers expect. A table is a run of lines
    with several cells; a one-cell line belongs to it where its cell starts at one of the table's
    columns (cell text is inset from the table's border, a paragraph starts at the margin).
    Lines without boxes (text formats) and rows of ruled tables, which the reader placed
    under their table's columns, are returned as they are.
    """
    if all(line.boxes is None for line in lines):
        return lines
    out: list[Line] = []
    table: list[Line] = []
    starts: list[float] = []  # the left edges of the table's cells so far

    def in_a_column(x0: float) -> bool:
        return any(abs(x0 - start) <= _SAME_X for start in starts)

    for line in lines:
        if line.table is not None:  # a ruled table's row: its cells are under its columns
            out += _placed(table) + [line]
            table, starts = [], []
            continue
        if line.boxes and (len(line.boxes) > 1 or in_a_column(line.boxes[0][0])):
            table.append(line)
            starts += [x0 for x0, _ in line.boxes if not in_a_column(x0)]
            continue
        out += _placed(table)
        table, starts = [], []
        out.append(line)
    return out + _placed(table)


def _placed(table: list[Line]) -> list[Line]:
    """A table's rows with every cell under the column whose left edge is nearest its own."""
    columns: list[float] = []
    for x0 in sorted(x0 for row in table for x0, _ in row.boxes):
        if not columns or x0 - columns[-1] > _SAME_X:
            columns.append(x0)
    rows = []
    for row in table:
        cells = [""] * len(columns)
        boxes = [(x0, x0) for x0 in columns]  # an empty cell: no width at its column's edge
        for cell, (x0, x1) in zip(row.cells, row.boxes, strict=True):
            i = min(range(len(columns)), key=lambda i: abs(columns[i] - x0))
            cells[i] = f"{cells[i]} {cell}".strip()
            boxes[i] = (min(x0, boxes[i][0]), max(x1, boxes[i][1]))
        rows.append(Line(row.no, "\t".join(cells), row.page, tuple(boxes)))
    return _unwrapped(rows)


def _unwrapped(rows: list[Line]) -> list[Line]:
    """Rows with the lines of wrapped cells joined back: a line is the wrapped rest of the row
    above when each cell it prints continues a cell of that row that ran to its column's full
    width, and it prints fewer cells (a table without rules shows no other sign of a wrap).
    Besides, such a line may print one cell the row left empty: a label merged down over rows
    and printed centred, which falls on the row's wrapped line (performance tables)."""
    if not rows:
        return rows
    reach = [max(row.boxes[i][1] for row in rows) for i in range(len(rows[0].boxes))]
    em = _em(rows)
    out: list[Line] = []
    ends: list[float] = []  # where each cell of the last row's last visual line ends
    for row in rows:
        filled = [i for i, cell in enumerate(row.cells) if cell]
        previous = out[-1].cells if out else []
        going_on = [i for i in filled if previous[i]] if out else []
        if (
            going_on
            and len(filled) < sum(1 for cell in previous if cell)
            and len(filled) - len(going_on) <= 1
            and all(ends[i] >= reach[i] - 1.5 * em for i in going_on)
        ):
            cells = [join_wrapped([a, b]) for a, b in zip(previous, row.cells, strict=True)]
            boxes = tuple(
                (min(a0, b0), max(a1, b1))
                for (a0, a1), (b0, b1) in zip(out[-1].boxes, row.boxes, strict=True)
            )
            out[-1] = Line(out[-1].no, "\t".join(cells), out[-1].page, boxes)
            ends = [row.boxes[i][1] if i in filled else -1.0 for i in range(len(ends))]
            continue
        out.append(row)
        ends = [x1 for _, x1 in row.boxes]
    return out


def _em(rows: list[Line]) -> float:
    """The printed width of one full-width character in these rows, points."""
    widths = sorted(
        (x1 - x0) / len(cell)
        for row in rows
        for cell, (x0, x1) in zip(row.cells, row.boxes, strict=True)
        if cell and all(ord(char) > 0x2E80 for char in cell)
    )
    return widths[len(widths) // 2] if widths else 9.0


def _sections(lines: list[Line]) -> list[tuple[str, Line, list[Line]]]:
    """Top-level sections: (heading text, heading line, body lines)."""
    sections: list[tuple[str, Line, list[Line]]] = []
    for line in lines[1:]:
        match = None if line.is_row else _SECTION_RE.match(line.text.strip())
        if match:
            sections.append((match.group(2), line, []))
        elif sections:
            sections[-1][2].append(line)
    return sections


def _stated(out: Records, section: str, text_lines: list[Line], year: int | None) -> None:
    """The section's statements: each item's first amount, then the changes printed after
    their words (上年: the year before the document's `year`)."""
    text = Text(text_lines)
    statements.amounts(out, section, text, PHASE, ITEMS.get(section, []), with_follow=False)
    prior = year - 1 if year else None
    statements.changes_after(out, section, text, PHASE, CHANGES.get(section, []), prior)


def _document(out: Records, lines: list[Line]) -> dict:
    title = lines[0]
    text = title.text.strip()
    year = re.search(r"(\d{4})\s*年", text)
    code_line = next(
        (
            m
            for line in lines
            if not line.is_row
            for m in [_CODE_LINE_RE.match(line.text.strip())]
            if m
        ),
        None,
    )
    department_name = code_line.group(2).strip() if code_line else None
    region_text = None
    if department_name and department_name in text:
        region_text = text[: text.index(department_name)].strip() or None
    elif year:
        department_name = text[: year.start()].strip()
    return out.add(
        "documents",
        title,
        template=TEMPLATE,
        title=text,
        fiscal_year=int(year.group(1)) if year else None,
        level="unit" if "单位预算" in text or "单位决算" in text else "department",
        kind="final_accounts" if FINAL_ACCOUNTS.search(text) else "budget",
        region_text=region_text,
        department_name=department_name,
        department_code=code_line.group(1) if code_line else None,
    )


def _duties_and_units(out: Records, body: list[Line]) -> None:
    duty = None
    in_units = False
    unit_table = 0
    row = 0
    for line in body:
        text = line.text.strip()
        if text.startswith("机构设置"):
            in_units = True
            continue
        if not in_units:
            match = _DUTY_RE.match(text)
            if match:
                duty = out.add(
                    "duties",
                    line,
                    ordinal=out.count("duties") + 1,
                    printed_number=cn_number(match.group(1)),
                    printed_label=text[: match.start(2)].strip(),
                    duty_text=match.group(2).strip(),
                )
            elif duty is not None and not text.endswith("："):
                duty["duty_text"] += text  # a duty wrapped onto the next line
            continue
        if not line.is_row:
            continue
        cells = line.cells
        if is_header_row(_UNITS, cells):
            unit_table += 1
            continue
        row += 1
        name, nature, rank, funding = (cells + [""] * 4)[:4]
        out.add(
            "units",
            line,
            table_ordinal=unit_table,
            row_ordinal=row,
            unit_name=name,
            nature=nature or None,
            rank=rank or None,
            funding_form=funding or None,
        )


def _numbered_paragraphs(lines: Iterable[Line]) -> list[tuple[Line, int, str]]:
    """'1、text' paragraphs with their continuation lines joined."""
    items: list[list] = []
    for line in lines:
        match = _NUMBERED_RE.match(line.text.strip())
        if match:
            items.append([line, int(match.group(1)), match.group(2).strip()])
        elif items:
            items[-1][2] += line.text.strip()
    return [tuple(item) for item in items]


def _goals(out: Records, body: list[Line]) -> None:
    overall, projects, current = [], [], None
    for line in body:
        text = line.text.strip()
        if "总体绩效目标" in text:
            current = overall
        elif "分项绩效目标" in text:
            current = projects
        elif re.match(r"^[（(][一二三四五六七八九十]+[）)]", text) or text.startswith("第"):
            current = None
        elif current is not None and (current or _NUMBERED_RE.match(text)):
            current.append(line)
    for ordinal, (line, number, text) in enumerate(_numbered_paragraphs(overall), start=1):
        out.add("overall_goals", line, ordinal=ordinal, printed_number=number, goal_text=text)

    ordinal = 0
    for line in projects:
        text = line.text.strip()
        match = _NUMBERED_RE.match(text)
        field = re.match(r"^(绩效目标|绩效指标)\s*[：:]\s*(.*)$", text)
        if match and not field:
            ordinal += 1
            goal = out.add(
                "project_goals",
                line,
                ordinal=ordinal,
                printed_number=int(match.group(1)),
                project_name=match.group(2).strip(),
                goal_text=None,
                indicator_text=None,
            )
            key = None
        elif field and ordinal:
            key = "goal_text" if field.group(1) == "绩效目标" else "indicator_text"
            goal[key] = field.group(2).strip()
        elif ordinal and key:
            goal[key] += text  # wrapped paragraph


def _table_rows(out: Records, section: str, body: list[Line], kind: TableKind) -> None:
    """Rows of a plain table (procurement, fixed assets); header rows start a new table."""
    table, row, last_header = 0, 0, False
    for line in body:
        if not line.is_row:
            continue
        cells = line.cells
        is_header = is_header_row(kind, cells)
        if is_header and not last_header:
            table, row = table + 1, 0
        row, last_header = row + 1, is_header
        out.add(
            "table_rows",
            line,
            section=section,
            table_ordinal=max(table, 1),
            row_ordinal=row,
            is_header=is_header,
            cells=cells,
        )


def _glossary(out: Records, body: list[Line]) -> None:
    def entries():
        for line in body:
            text = line.text.strip().lstrip("-").strip().replace("**", "")
            match = _NUMBERED_RE.match(text)
            if match:
                yield line, int(match.group(1)), match.group(2), text
            else:
                yield line, None, text, text

    add_glossary(out, entries())


def parse(lines: list[Line], document_key: str) -> dict[str, list[dict]]:
    """Parse a template A document into raw records by table name."""
    out = Records(document_key)
    lines = _text_rows(lines)
    document = _document(out, lines)
    for heading, _heading_line, body in _sections(lines):
        if "职责" in heading:
            _duties_and_units(out, body)
            continue
        section = statements.section_of(heading, PHASE)
        if section == "state_assets":
            section = "fixed_assets"
        if section in ITEMS:
            _stated(out, section, [b for b in body if not b.is_row], document["fiscal_year"])
        if section == "performance":
            part = None
            parts: dict[str, list[Line]] = {}
            for body_line in body:
                match = re.match(r"^第([一二三四五六七八九十]+)部分", body_line.text.strip())
                if match:
                    part = cn_number(match.group(1))
                    continue
                parts.setdefault(part, []).append(body_line)
            _goals(out, parts.get(1, []))
            read_performance_tables(out, parts.get(3, []))
        elif section == "procurement":
            _table_rows(out, section, body, kind_by_id("procurement"))
        elif section == "fixed_assets":
            _table_rows(out, section, body, kind_by_id("state_assets"))
        elif "名词解释" in heading:
            _glossary(out, body)
    return dict(out)
