"""Template A's 项目绩效目标表 (performance target tables): one table a project, titled
`N、<project name>绩效目标表`, its 绩效目标 and its indicator rows (一级/二级/三级指标,
指标内容, 指标值, 依据), each 指标值 read by `values.parse_target`. A cell wrapped onto the
next line is joined to the one it continues."""

from __future__ import annotations

import re

from orchestration.parse.catalog import is_header_row, kind_by_id
from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.values import parse_target

_PERFORMANCE = kind_by_id("performance_targets")  # `N、<project name>绩效目标表`


def read_performance_tables(out: Records, body: list[Line]) -> None:
    """Each 绩效目标表 in `body`: its record, its 绩效目标 and its indicators."""
    table = None
    previous: dict | None = None
    for line in body:
        text = line.text.strip()
        title = None if line.is_row else _PERFORMANCE.match_title(text)
        if title:
            table = out.add(
                "performance_tables",
                line,
                table_ordinal=out.count("performance_tables") + 1,
                printed_number=int(title.group("number")),
                project_name=title.group("subject").strip(),
                goal_text=None,
                goal_line_no=None,
                goal_after_header=False,
                header_rows=0,
                indicator_rows=0,
            )
            level1, previous, row = None, None, 0
            continue
        if table is None:
            continue
        cells = line.cells
        if is_header_row(_PERFORMANCE, cells):
            table["header_rows"] += 1
            continue
        if cells[0].startswith("绩效目标"):
            goal = " ".join(c for c in [cells[0][4:].strip(), *cells[1:]] if c)
            table.update(
                goal_text=re.sub(r"</?p>", "", goal).strip(),
                goal_line_no=line.no,
                goal_after_header=table["header_rows"] > 0,
            )
            previous = {"cells": ["绩效目标", goal], "record": table, "kind": "goal"}
            continue
        filled = [cell for cell in cells if cell]
        wrapped = not cells[0] and (
            not cells[1] or previous and previous["kind"] == "goal" and len(filled) == 1
        )
        if line.is_row and wrapped and previous is not None:
            _join_wrapped(previous, cells)  # a cell wrapped onto the next line
            continue
        if not line.is_row:
            continue
        cells = (cells + [""] * 6)[:6]
        level1 = cells[0] or level1
        row += 1
        target = parse_target(cells[4], expects_number=(level1 or "").startswith("满意度"))
        record = out.add(
            "indicators",
            line,
            table_ordinal=table["table_ordinal"],
            row_ordinal=row,
            level1=level1,
            level1_printed=bool(cells[0]),
            level2=cells[1],
            level3=cells[2],
            description=cells[3],
            target_text=cells[4],
            comparator=target.comparator,
            target_number=target.number,
            target_unit=target.unit,
            target_is_money=target.is_money,
            parse_status=target.status,
            parse_note=target.note,
            basis=cells[5],
        )
        table["indicator_rows"] += 1
        previous = {"cells": cells, "record": record, "kind": "indicator"}


_INDICATOR_FIELDS = ["level1", "level2", "level3", "description", "target_text", "basis"]


def _join_wrapped(previous: dict, cells: list[str]) -> None:
    record = previous["record"]
    for index, cell in enumerate(cells):
        if not cell:
            continue
        if previous["kind"] == "goal":
            record["goal_text"] = (record["goal_text"] or "") + cell
        else:
            field = _INDICATOR_FIELDS[index]
            record[field] = (record[field] or "") + cell
            if field == "target_text":
                target = parse_target(record["target_text"])
                record.update(
                    comparator=target.comparator,
                    target_number=target.number,
                    target_unit=target.unit,
                    target_is_money=target.is_money,
                    parse_status=target.status,
                    parse_note=target.note,
                )
