"""Every province's performance target tables (绩效目标表), read through the catalog's performance
kinds (`table_kinds.yaml`, `rows: performance`) into raw.performance_tables (one record a project,
or the department's overall targets) and raw.indicators (one a target row).

A table prints its project in form rows, a label and its value (项目名称 | …, 总体目标 | …; the
money's label, its total, then its parts on the rows below), then a header of indicator columns
and the indicator rows; or one row a project, the project's own columns (项目名称, 资金总额,
绩效目标) beside its first indicator row. A project runs on across tables (a page's repeated title
and header, its name printed again atop the page) until another is named: by a title naming its
project, by a form's 项目名称, or by another name in the project column. A row naming a unit and
nothing else (its code, name and total) heads the projects below it.

一级指标 and 二级指标 printed once for the rows they head (a merged cell) are carried down within a
project; a new 一级指标 carries no 二级指标. A row with no 一级指标 printed or carried takes the one
the hierarchy gives its 二级指标 (the seed `indicator_levels`), and none where it gives none: never
guessed. A 指标值 whose comparator and unit are printed in columns of their own is read joined to
them (≥ | 95 | % -> ≥95%).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from orchestration.parse.catalog import JOINED_TO_TARGET, TableKind, normal_label, table_unit
from orchestration.parse.layout import Line, align_cells, join_wrapped
from orchestration.parse.performance_tables import TARGET_FIELDS, implied_level1, read_target
from orchestration.parse.records import Records
from orchestration.parse.values import COMPARATORS, MONEY_UNITS, money_yuan

_NUMBER_RE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_MONEY_UNIT = "|".join(sorted(MONEY_UNITS, key=len, reverse=True))
_BRACKETED_UNIT_RE = re.compile(rf"\(({_MONEY_UNIT})\)$")  # a label's unit: 项目资金（万元）
_PAIR_RE = re.compile(r"^\s*([^:：]{2,12}?)\s*[:：]\s*(\S.*)$")  # 单位名称：… above a table
# the columns that make a row an indicator row, and a header an indicator header
_INDICATOR = ("level1", "level2", "level3", "target_text", *JOINED_TO_TARGET)
_TEXT_FIELDS = ("description", "basis", "scoring", "weight", "remark")


def _label(cell: str) -> tuple[str, str | None]:
    """A label cell as the catalog writes it, without its colon, and the unit it brackets."""
    text = normal_label(cell).rstrip(":：")
    unit = _BRACKETED_UNIT_RE.search(text)
    return (text[: unit.start()] if unit else text), (unit.group(1) if unit else None)


@dataclass
class _Header:
    """The indicator header of a table: each column's field and label, and extents."""

    fields: list[str | None]
    labels: list[str]
    boxes: tuple[tuple[float, float], ...] | None

    def read(self, line: Line) -> dict[str, list[tuple[str, str]]]:
        """The row's filled cells by field: (column label, text)."""
        if len(line.cells) != len(self.fields) and self.boxes and line.boxes:
            cells = align_cells(line, list(self.boxes))
        else:
            cells = (line.cells + [""] * len(self.fields))[: len(self.fields)]
        out: dict[str, list[tuple[str, str]]] = {}
        for name, label, text in zip(self.fields, self.labels, cells, strict=True):
            if name and text:
                out.setdefault(name, []).append((label, text))
        return out


def _merge(rows: list[tuple[Line, list[str | None]]]) -> _Header:
    """One header from its rows: each column takes the lowest label naming a field."""
    width = max(len(fields) for _, fields in rows)
    fields: list[str | None] = [None] * width
    labels = [""] * width
    for line, row in rows:
        for i, name in enumerate(row):
            if name:
                fields[i], labels[i] = name, _label(line.cells[i])[0]
    widest = max((line for line, _ in rows), key=lambda line: len(line.cells))
    return _Header(fields, labels, widest.boxes if len(widest.cells) == width else None)


@dataclass
class _Project:
    """A project (or the department's overall targets) as read so far."""

    line: Line
    kind: TableKind
    fields: dict
    indicators: list[tuple[Line, dict]] = field(default_factory=list)
    level1: str | None = None
    level1_implied: bool = False  # read from the hierarchy, not printed
    level2: str | None = None

    def name(self, key: str) -> str | None:
        return self.fields.get(key)


class PerformanceReader:
    """Reads a document's performance tables in order, one `read` a table, then `finish`."""

    def __init__(self, out: Records):
        self.out = out
        self.projects: list[_Project] = []
        self.current: _Project | None = None
        self.header: _Header | None = None
        self.header_rows: list[tuple[Line, list[str | None]]] = []
        self.kind: TableKind | None = None
        self.heading_unit: str | None = None  # the unit a unit's row heads the projects with
        self.started_here = False  # the current project started in the table being read
        self.pending_headers = 0  # header rows read before the table's first project
        self.unit: str | None = None  # the table's printed unit (单位：万元)
        self.defaults: dict = {}  # what the lines above the table say of its projects
        self.last_form: str | None = None  # the field of the last form row

    def read(self, title: Line, kind: TableKind, body: list[Line]) -> None:
        """One table: its title line, its kind and its lines."""
        match = kind.match_title(title.text)
        subject = match.groupdict().get("subject") if match else None
        if kind is not self.kind or subject:
            self.current, self.header, self.heading_unit = None, None, None
        self.kind, self.unit, self.defaults, self.last_form = kind, None, {}, None
        self.header_rows, self.pending_headers, self.started_here = [], 0, False
        if subject:
            subject = subject.strip()
            parts = kind.subject_parts.match(subject) if kind.subject_parts else None
            self._start(title, **(parts.groupdict() if parts else {"project_name": subject}))
        for line in body:
            self._line(line)

    def finish(self) -> None:
        """Every project read, with its indicators, into the records."""
        for project in self.projects:
            fields = project.fields
            department_goal = project.kind.department_wide and fields["goal_text"]
            if not (fields["project_name"] or project.indicators or department_goal):
                continue  # an empty form (项目名称 with no name, no indicator)
            ordinal = self.out.count("performance_tables") + 1
            self.out.add(
                "performance_tables",
                project.line,
                table_ordinal=ordinal,
                **fields,
                indicator_rows=len(project.indicators),
            )
            for row, (line, record) in enumerate(project.indicators, start=1):
                self.out.add("indicators", line, table_ordinal=ordinal, row_ordinal=row, **record)

    # --- lines ---------------------------------------------------------------------------------

    def _line(self, line: Line) -> None:
        unit = next((u for cell in line.cells if (u := table_unit(self.kind, cell))), None)
        self.unit = unit or self.unit
        if not line.is_row or (line.table is None and (unit or _PAIR_RE.match(line.cells[0]))):
            self._pairs_above(line)
            return
        fields = [self.kind.columns.get(_label(c)[0]) if c else None for c in line.cells]
        if self._is_header(line, fields):
            if not self.header_rows:
                self.header = None
            self.header_rows.append((line, fields))
            self.header = _merge(self.header_rows)
            if self.current is not None:
                self.current.fields["header_rows"] += 1
            else:
                self.pending_headers += 1
            return
        self.header_rows = []
        form = self._form(line.cells)
        if form:
            self.header = None  # a form comes before its own header
            self._form_row(line, form)
        elif self.last_form in ("goal_text", "overview") and self.header is None:
            self._append(self.last_form, " ".join(c for c in line.cells if c), line)
        elif self.last_form == "money_text" and any(_NUMBER_RE.match(c) for c in line.cells):
            self._add_parts([c for c in line.cells if c])
        elif self.header is not None:
            self._indicator_row(line)

    def _is_header(self, line: Line, fields: list[str | None]) -> bool:
        """Header labels and no figure: an indicator column's, two columns', or one more row
        below a header's."""
        named = [f for f in fields if f]
        if not named or any(re.search(r"\d", cell) for cell in line.cells):
            return False
        return any(f in _INDICATOR for f in named) or len(named) >= 2 or bool(self.header_rows)

    def _pairs_above(self, line: Line) -> None:
        """`单位名称：…`, `资金主管部门：…` printed above a table: its projects' defaults."""
        for cell in line.cells:
            pair = _PAIR_RE.match(cell)
            key = pair and self._form_field(pair.group(1))[0]
            if key:
                self.defaults[key] = pair.group(2).strip()
                if self.current is not None and not self.current.fields.get(key):
                    self.current.fields[key] = self.defaults[key]

    # --- form rows ---------------------------------------------------------------------------

    def _form_field(self, cell: str) -> tuple[str | None, str | None]:
        label, unit = _label(cell)
        return (self.kind.fields or {}).get(label), unit

    def _form(self, cells: list[str]) -> list[tuple[str, str | None, list[str]]] | None:
        """A form row's (field, bracketed unit, value cells), its first filled cell a label."""
        filled = [cell for cell in cells if cell]
        key, unit = self._form_field(filled[0]) if filled else (None, None)
        if key is None:
            return None
        pairs: list[tuple[str, str | None, list[str]]] = [(key, unit, [])]
        for cell in filled[1:]:
            key, unit = self._form_field(cell)
            if key is not None and not _NUMBER_RE.match(cell):
                pairs.append((key, unit, []))
            else:
                pairs[-1][2].append(cell)
        return pairs

    def _form_row(self, line: Line, pairs: list[tuple[str, str | None, list[str]]]) -> None:
        """A form row: a new project where it names one, or after another's indicators."""
        current = self.current
        if pairs[0][0] == "project_name":
            name = " ".join(pairs[0][2]) or None
            if current is None or not self.started_here or current.indicators:
                self._start(line, project_name=name)
            elif not current.fields["project_name"]:
                current.fields["project_name"] = name
        elif current is None or current.indicators:
            self._start(line)
        for key, unit, values in pairs:
            if key == "project_name":
                continue
            self.last_form = key
            if key == "money_text":
                self._money(values, unit)
            elif key in ("goal_text", "overview"):
                self._append(key, " ".join(values), line)
            elif values:
                self.current.fields[key] = " ".join(values)

    def _money(self, values: list[str], unit: str | None) -> None:
        """The money's total (its first number) and the parts printed after it."""
        at = next((i for i, v in enumerate(values) if _NUMBER_RE.match(v)), None)
        if at is None:
            return
        self._set_money(values[at], unit)
        self._add_parts(values[at + 1 :])

    def _set_money(self, text: str, unit: str | None) -> None:
        unit = unit or self.unit or self.kind.unit
        self.current.fields.update(
            money_text=text,
            money_unit=unit,
            money_yuan=money_yuan(text, unit),
        )

    def _add_parts(self, cells: list[str]) -> None:
        """Parts of the money, `label number` as printed (其中：财政拨款 174.00)."""
        parts, label = [], None
        for cell in cells:
            if _NUMBER_RE.match(cell):
                parts.append(f"{label} {cell}" if label else cell)
                label = None
            else:
                label = cell.rstrip(":：")
        if parts:
            before = self.current.fields["money_parts"]
            self.current.fields["money_parts"] = "；".join([*([before] if before else []), *parts])

    def _append(self, key: str, text: str, line: Line | None = None) -> None:
        """A goal's or overview's text, or its next row's."""
        fields = self.current.fields
        fields[key] = join_wrapped([fields[key] or "", text]) or None
        if key == "goal_text" and line is not None and text and fields["goal_line_no"] is None:
            fields.update(goal_line_no=line.no, goal_after_header=fields["header_rows"] > 0)

    # --- indicator rows ----------------------------------------------------------------------

    def _indicator_row(self, line: Line) -> None:
        cells = self.header.read(line)
        text = {key: " ".join(t for _, t in pairs) for key, pairs in cells.items()}
        indicator = any(text.get(key) for key in _INDICATOR)
        if not self._project_cells(line, cells, text, indicator) or not indicator:
            return
        if self.current is None:
            self._start(line)
        self._add_indicator(line, text)

    def _project_cells(self, line: Line, cells: dict, text: dict, indicator: bool) -> bool:
        """A row printing its project's own columns: a new project, the current one printed
        again atop a page, or a unit heading the projects below it. False for a row to skip."""
        key = "project_name" if "project_name" in self.header.fields else None
        if key is None and self.kind.department_wide and "implementing_unit" in text:
            key = "implementing_unit"
        name = text.get(key) if key else None
        if not name:
            return True
        current = self.current
        if current is not None and current.kind is self.kind and current.name(key) == name:
            return True  # printed again atop a page
        if not indicator and not text.get("goal_text"):
            self.heading_unit = name  # a unit's row: its code, name and total
            return False
        self._start(line, **{key: name})
        fields = self.current.fields
        if key == "project_name" and self.heading_unit and not fields["implementing_unit"]:
            fields["implementing_unit"] = self.heading_unit
        for other in ("unit_code", "department_text", "overview"):
            fields[other] = text.get(other) or fields[other]
        if (number := text.get("printed_number", "")).isdigit():
            fields["printed_number"] = int(number)
        if text.get("goal_text"):  # a column of its own: beside its header, not after it
            fields.update(goal_text=text["goal_text"], goal_line_no=line.no)
        money = text.get("money_text", "").split()
        if money and _NUMBER_RE.match(money[0]):
            self._set_money(money[0], None)
        parts = cells.get("money_parts", [])  # (column label, amount)
        self._add_parts([cell for pair in parts for cell in pair])
        return True

    def _add_indicator(self, line: Line, text: dict) -> None:
        project = self.current
        level1, level2 = text.get("level1"), text.get("level2")
        printed = bool(level1)
        if level1:
            project.level1, project.level1_implied, project.level2 = level1, False, level2
        else:
            if level2 and (project.level1 is None or project.level1_implied):
                implied = implied_level1(level2)
                project.level1, project.level1_implied = implied, implied is not None
            project.level2 = level2 or project.level2
        record = {
            "level1": project.level1,
            "level1_printed": printed,
            "level2": project.level2,
            "level3": text.get("level3"),
            "target_text": _target(
                text.get("target_text", ""),
                text.get("printed_comparator"),
                text.get("printed_unit"),
            ),
            **dict.fromkeys(TARGET_FIELDS),
            **{key: text.get(key) for key in _TEXT_FIELDS},
        }
        read_target(record)
        project.indicators.append((line, record))

    def _start(self, line: Line, **named) -> None:
        """A new project, from `line`, with the table's defaults and what names it."""
        fields = {
            "table_kind": self.kind.id,
            "is_department_wide": self.kind.department_wide,
            "printed_number": None,
            "project_name": None,
            "department_text": None,
            "implementing_unit": None,
            "unit_code": None,
            "money_text": None,
            "money_unit": None,
            "money_yuan": None,
            "money_parts": None,
            "overview": None,
            "goal_text": None,
            "goal_line_no": None,
            "goal_after_header": False,
            "header_rows": self.pending_headers,
            **self.defaults,
            **{key: value for key, value in named.items() if value},
        }
        self.pending_headers = 0
        self.current = _Project(line, self.kind, fields)
        self.projects.append(self.current)
        self.started_here = True


def _target(value: str, comparator: str | None, unit: str | None) -> str:
    """A 指标值 joined to the comparator and unit printed in columns of their own."""
    text = value.strip()
    if comparator in COMPARATORS and re.match(r"\d", text):
        text = comparator + text
    if unit and re.search(r"\d$", text):
        text += unit
    return text
