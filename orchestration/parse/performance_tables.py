"""Template A's 项目绩效目标表 (performance target tables): one table a project, titled
`N、<project name>绩效目标表`, its 绩效目标 and its indicator rows (一级/二级/三级指标,
指标内容, 指标值, 依据), each 指标值 read by `values.parse_target`. A cell wrapped onto the
next line is joined to the one it continues.

一级指标 is printed once for the rows it heads: on their first row (text, ruled PDF), or in a
cell merged down over them (DOCX, HTML and ruled PDF give its text at the first row). A table
without rules (a PDF whose rows the template placed under its columns) shows no extent of a
merged cell, whose label is printed centred: on a middle row, or on a line of its own between
two rows. Where such a table's labels do not head rows that the 二级指标 place under them
(the seed `indicator_levels`), the rows' 一级指标 is read from the 二级指标 and the label printed
among them; a row the hierarchy cannot place, or a run of rows with no label or several, is
left without 一级指标 (the checks report a 二级指标 not under its 一级指标), never guessed."""

from __future__ import annotations

import csv
import re
from functools import cache

from orchestration.home import PROJECT_ROOT
from orchestration.parse.catalog import is_header_row, kind_by_id
from orchestration.parse.layout import Line
from orchestration.parse.records import Records
from orchestration.parse.values import parse_target

_PERFORMANCE = kind_by_id("performance_targets")  # `N、<project name>绩效目标表`

# The standard 二级指标 (their 指标 suffix aside) and the 一级指标 each belongs to: the dbt seed
# the checks pair the levels by, so the parser and the checks read one hierarchy.
LEVELS_SEED = PROJECT_ROOT / "dbt_project" / "seeds" / "indicator_levels.csv"


@cache
def level1_of_level2() -> dict[str, str]:
    """二级指标 (its 指标 suffix aside) -> 一级指标, read once."""
    rows = csv.DictReader(LEVELS_SEED.read_text(encoding="utf-8").splitlines())
    return {re.sub(r"指标$", "", row["level2"]): row["level1"] for row in rows}


def read_performance_tables(out: Records, body: list[Line]) -> None:
    """Each 绩效目标表 in `body`: its record, its 绩效目标 and its indicators."""
    table = None
    previous: dict | None = None
    rows: list[tuple[Line, dict]] = []  # the table's indicator rows
    # 一级指标 printed centred in a table without rules, off a row's own line: (where, text),
    # where the row index it is printed on (a wrapped line) or between (n - 0.5: rows n-1, n)
    labels: list[tuple[float, str]] = []
    for line in body:
        text = line.text.strip()
        title = None if line.is_row else _PERFORMANCE.match_title(text)
        if title:
            _settle_level1(rows, labels)
            rows, labels = [], []
            table = out.add(
                "performance_tables",
                line,
                table_ordinal=out.count("performance_tables") + 1,
                table_kind=_PERFORMANCE.id,
                is_department_wide=False,
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
        if (
            _unruled(line)
            and rows
            and previous["kind"] == "indicator"
            and _no_level2(cells)
            and len(filled) < sum(1 for cell in previous["cells"] if cell)
        ):  # a merged label printed centred: between two rows, or on a row's wrapped line
            labels.append((len(rows) - (0.5 if len(filled) == 1 else 1), cells[0]))
            cells = ["", *cells[1:]]
            if len(filled) == 1:
                continue
        wrapped = (
            not cells[0]
            and (not cells[1] or previous and previous["kind"] == "goal" and len(filled) == 1)
        ) or (_unruled(line) and previous and previous["kind"] == "goal" and len(filled) == 1)
        if line.is_row and wrapped and previous is not None:
            _join_wrapped(previous, cells)  # a cell wrapped onto the next line
            continue
        if not line.is_row:
            continue
        cells = (cells + [""] * 6)[:6]
        level1 = cells[0] or level1
        row += 1
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
            **dict.fromkeys(TARGET_FIELDS),
            basis=cells[5],
        )
        read_target(record)
        rows.append((line, record))
        table["indicator_rows"] += 1
        previous = {"cells": cells, "record": record, "kind": "indicator"}
    _settle_level1(rows, labels)


TARGET_FIELDS = (
    "comparator",
    "target_number",
    "target_unit",
    "target_is_money",
    "parse_status",
    "parse_note",
)


def read_target(record: dict) -> None:
    """The record's 指标值 read (a 满意度 target expects a number), in its fields."""
    expects_number = (record["level1"] or "").startswith("满意度")
    target = parse_target(record["target_text"], expects_number=expects_number)
    record.update(
        comparator=target.comparator,
        target_number=target.number,
        target_unit=target.unit,
        target_is_money=target.is_money,
        parse_status=target.status,
        parse_note=target.note,
    )


def _no_level2(cells: list[str]) -> bool:
    """A line printing a first cell and no 二级指标."""
    return bool(cells[0]) and (len(cells) < 2 or not cells[1])


def _unruled(line: Line) -> bool:
    """A row of a table printed without rules: placed under its columns by position alone."""
    return line.boxes is not None and line.table is None


def implied_level1(level2: str) -> str | None:
    """The 一级指标 the hierarchy places a 二级指标 under, if it knows it."""
    return level1_of_level2().get(re.sub(r"指标$", "", level2.strip()))


def _settle_level1(rows: list[tuple[Line, dict]], labels: list[tuple[float, str]]) -> None:
    """A table without rules: where its printed 一级指标 (`labels` between rows, and those on
    rows) do not head the rows their 二级指标 place under them, each run of rows of one
    一级指标 takes the one label printed among them (see the module's docstring)."""
    if not any(_unruled(line) for line, _ in rows):
        return
    records = [record for _, record in rows]
    implied = [implied_level1(r["level2"]) for r in records]
    if not labels and all(
        r["level1"] is not None and h in (None, r["level1"])
        for r, h in zip(records, implied, strict=True)
    ):
        return  # printed at the head of their rows, as the hierarchy has them
    for i in range(1, len(implied) - 1):  # a row the hierarchy cannot place, between two
        if implied[i] is None and implied[i - 1] == implied[i + 1]:  # of one 一级指标
            implied[i] = implied[i - 1]
    printed = [(float(i), r["level1"]) for i, r in enumerate(records) if r["level1_printed"]]
    runs: list[list[int]] = []  # rows of one 一级指标 (a row the hierarchy cannot place: alone)
    for i, level1 in enumerate(implied):
        if runs and level1 is not None and implied[runs[-1][-1]] == level1:
            runs[-1].append(i)
        else:
            runs.append([i])
    for run in runs:
        first, last = run[0], run[-1]
        before = implied[first - 1] if first else None
        after = implied[last + 1] if last + 1 < len(implied) else None
        among = {  # the labels printed among the run's rows, or next to them and of its kind
            text
            for at, text in [*printed, *labels]
            if first <= at <= last
            or (at == first - 0.5 and text == implied[first] != before)
            or (at == last + 0.5 and text == implied[last] != after)
        }
        level1 = among.pop() if len(among) == 1 and implied[first] is not None else None
        for i in run:
            changed = records[i]["level1"] != level1
            records[i].update(level1=level1, level1_printed=level1 is not None and i == first)
            if changed:
                read_target(records[i])


_INDICATOR_FIELDS = ["level1", "level2", "level3", "description", "target_text", "basis"]


def _join_wrapped(previous: dict, cells: list[str]) -> None:
    record = previous["record"]
    for index, cell in enumerate(cells):
        if not cell:
            continue
        if previous["kind"] == "goal":
            record["goal_text"] = re.sub(r"</?p>", "", (record["goal_text"] or "") + cell).strip()
        else:
            field = _INDICATOR_FIELDS[index]
            record[field] = (record[field] or "") + cell
            if field == "target_text":
                read_target(record)
