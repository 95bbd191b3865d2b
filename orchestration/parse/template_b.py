"""Template B: Shanghai district budgets (Putuo 区级部门预算 / 单位预算, read from PDF).

A document is a cover (`预算主管部门：X` or `预算单位：X`), contents, 主要职能, 机构设置,
名词解释, 预算编制说明 (narrative totals, then numbered functional-classification lines),
nine standard tables, 其他相关情况说明 (三公, 机关运行经费, 政府采购, 绩效目标, 国有资产) and
one page per project (项目经费情况说明). Sections are found by their headings, tables by their
titles. A table amount goes under the header column whose centre is the last one left of the
amount's right edge (amounts are right-aligned, headers centred). Every figure keeps its printed
text; nothing printed is corrected.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from decimal import Decimal

from orchestration.parse.catalog import (
    TableKind,
    header_column,
    kind_of_title,
    kinds,
    normal_label,
    table_unit,
)
from orchestration.parse.functional_lines import NUMBERED, numbered_path, read_functional_line
from orchestration.parse.layout import Line
from orchestration.parse.records import Records, add_glossary
from orchestration.parse.template_a import cn_number
from orchestration.parse.values import money_yuan

TEMPLATE = "B"

# Not from inside digits; comma-separated digit groups, possessive: a run like "1,,1,,1…" is
# scanned once, not once from each "1".
_NUM = r"-?(?<!\d)(?<!\d,)\d++(?:,\d++)*+(?:\.\d+)?"
_MONEY = rf"(?P<num>{_NUM})\s*(?P<unit>万元|元)"
_COVER_RE = re.compile(r"^(预算主管部门|预算单位)\s*[：:]\s*(.+)$")
_NUMBERED_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}\s*[.．、])")
_NARRATIVE_RE = re.compile(r"^\d{4}\s*年\s*(?:部门|单位)(?:预算|决算)编制说明$")
_CN_ITEM_RE = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.*)$")
_DUTY_RE = re.compile(r"^(?:(\d{1,2})\s*[、.．]|[（(]\s*([一二三四五六七八九十]+)\s*[）)])\s*(.*)$")
_UNIT_ITEM_RE = re.compile(r"^(\d{1,2})\s*[.．、]\s*(.*)$")
_SUBSECTION_RE = re.compile(r"^[一二三四五六七八九十]+、\s*(.*)$")
_PARA_START_RE = re.compile(r"^(?:\d{1,2}\s*[、.．](?!\d)|[（(][一二三四五六七八九十]+[）)])")
_MONEY_TOKEN_RE = re.compile(r"^-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_CODE_TOKEN_RE = re.compile(r"^\d{2,3}$")
_OWN_DIGITS_RE = re.compile(r"^\d$")  # a 款 or 项 code printed without its leading 0
_PREPARED_BY_RE = re.compile(r"^编制(?:部门|单位)\s*[:：]\s*(.+)$")
_CHANGE_RE = re.compile(
    rf"\s*+[，,。]?\s*+(?:比|与|较)\s*(?P<year>\d{{4}})\s*年[^，。；,;\d]{{0,10}}?"
    rf"(?P<dir>增加|减少|持平|下降|增长|上升)\s*(?:(?P<num>{_NUM})\s*(?P<unit>万元|元|%))?"
)
_NEGATIVE = {"减少", "下降"}

_PROJECT_FIELDS = {
    "项目概述": "overview",
    "立项依据": "basis",
    "实施主体": "implementer",
    "实施方案": "plan",
    "实施周期": "period",
    "年度预算安排": "annual_budget_text",
    "绩效目标": "performance_goal",
}
_FIELD_RE = re.compile(
    rf"^[一二三四五六七八九十]+\s*、\s*({'|'.join(_PROJECT_FIELDS)})\s*[：:]?\s*(.*)$"
)
# A page titled only 项目经费情况说明 names its project in its body: the forms tried, in order,
# on 项目概述, then 年度预算安排, then 绩效目标 (quoted, or a name ending in 项目/专项/工程…
# followed by what is said of it).
_PROJECT_NAME_RES = [
    re.compile(r"[“「《](?P<name>[^”」》，。；]{2,40}?(?:项目|专项|工程|资金|经费|计划))[”」》]"),
    re.compile(
        r"^(?:本项目|该项目)?[为是即：:]?\s*+(?P<name>[^，。；、\s]{2,40}?(?:项目|专项|工程))"
        r"(?:是|为|系|于|由|主要|旨在|用于|总预算|[，。：:（(])"
    ),
]
_PROJECT_MONEY_RE = re.compile(rf"(?P<num>{_NUM})\s*(?P<unit>万元|万|元)")
_PROJECT_TOTAL_RE = re.compile(rf"总预算\s*+(?:为)?\s*+(?P<num>{_NUM})\s*(?P<unit>万元|万|元)")


def _stated_re(words: str) -> re.Pattern:
    return re.compile(rf"(?:{words})\s*+(?:为|是)?\s*+{_MONEY}")


# Narrative figures: (item, the words that introduce the amount). Each may carry a change.
TOTALS = [
    ("revenue_total", r"(?<!拨款)收入预算"),
    ("fiscal_revenue", r"财政拨款收入"),
    ("business_revenue", r"事业收入"),
    ("operating_revenue", r"事业单位经营收入"),
    ("other_revenue", r"其他收入"),
    ("expenditure_total", r"(?<!拨款)支出预算"),
    ("fiscal_expenditure", r"财政拨款支出预算"),
    ("general_budget_expenditure", r"一般公共预算拨款支出预算"),
    ("fund_budget_expenditure", r"政府性基金(?:预算)?拨款支出预算"),
    ("state_capital_expenditure", r"国有资本经营预算拨款支出预算"),
]
OTHER = {
    "three_public": [
        ("three_public_total", r"[“\"]?三公[”\"]?经费预算数?"),
        ("outbound", r"因公出国\s*[（(]境[)）]\s*费"),
        ("vehicle_total", r"公务用车购置及运行(?:维护)?费"),
        ("vehicle_purchase", r"公务用车购置费"),
        ("vehicle_operation", r"公务用车运行(?:维护)?费"),
        ("reception", r"公务接待费"),
    ],
    "operating_funds": [("operating_funds", r"机关运行经费预算数?")],
    "procurement": [
        ("procurement_total", r"政府采购预算"),
        ("procurement_goods", r"政府采购货物预算"),
        ("procurement_works", r"政府采购工程预算"),
        ("procurement_services", r"政府采购服务预算"),
        ("procurement_sme_reserved", r"面向中小企业预留政府采购项目预算金额"),
        ("procurement_small_micro_reserved", r"预留给小型和微型企业的政府采购项目预算"),
    ],
    "performance": [("performance_projects_amount", r"涉及项目预算资金")],
}
_SUBSECTIONS = [
    ("三公", "three_public"),
    ("机关运行经费", "operating_funds"),
    ("政府采购", "procurement"),
    ("绩效", "performance"),
    ("国有资产", "state_assets"),
]
_TOTALS = [(item, _stated_re(words)) for item, words in TOTALS]
_OTHER = {k: [(item, _stated_re(words)) for item, words in v] for k, v in OTHER.items()}

# Counts stated in the text (units, offices, projects, vehicles, equipment).
_UNIT_COUNTS = [
    ("subordinate_budget_units", re.compile(r"下属\s*(\d+)\s*家预算单位")),
    ("administrative_units", re.compile(r"行政单位\s*(\d+)\s*家")),
    ("civil_service_managed_units", re.compile(r"参公(?:事业)?单位\s*(\d+)\s*家")),
    ("public_institution_units", re.compile(r"(?<!参公)事业单位\s*(\d+)\s*家")),
    ("internal_offices", re.compile(r"设\s*(\d+)\s*个内设机构")),
]
_PROJECT_COUNT_RE = re.compile(r"编报绩效目标的项目\s*(?:共)?\s*(\d+)\s*个")
_VEHICLE_KINDS = {
    "部级领导干部用车": "ministerial",
    "主要领导干部用车": "principal_leader",
    "机要通信用车": "confidential_comms",
    "应急保障用车": "emergency",
    "执法执勤用车": "law_enforcement",
    "特种专业技术用车": "special_technical",
    "离退休干部用车": "retired_cadre",
    "其他用车": "other",
}
_VEHICLE_RE = re.compile(rf"({'|'.join(_VEHICLE_KINDS)})\s*(\d+)\s*辆")
_VEHICLES_HELD_RE = re.compile(r"共有车辆\s*(\d+)\s*辆")
_VEHICLES_PLANNED_RE = re.compile(r"安排购置车辆\s*(\d+)\s*辆")
_EQUIPMENT_RE = re.compile(
    r"单价\s*100\s*万元\s*[（(]含[)）]\s*以上设备\s*[（(]不含车辆[)）]\s*(\d+)\s*(?:台\s*[（(]套[)）])?"
)
_AS_OF_RE = re.compile(r"截[至止]\s*(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")
_OFFICES_RE = re.compile(
    r"(?<![^，。：:；])(?P<parent>[^，。：:；]*?)设\s*(?P<count>\d+)\s*个内设机构\s*[，,]?\s*包括\s*[：:]\s*"
    r"(?P<list>[^。]+)"
)

# The nine standard tables are recognised through the catalog (table_kinds.yaml): their titles,
# header labels, code columns and units.
_EXPENDITURE_LABEL_RE = re.compile(r"支出(?:总计|合计)?$")


def is_template_b(lines: list[Line]) -> bool:
    """A cover naming 预算主管部门/预算单位 and (in its contents) the standard tables."""
    head = [line.text.strip() for line in lines[:60]]
    if not any(_COVER_RE.match(text) for text in head[:10]):
        return False
    text = "\n".join(head)
    return sum(kind.names_in(text) for kind in kinds("B")) >= 5


def _plain(line: Line) -> str:
    return " ".join(cell for cell in line.cells if cell)


def _join(texts: list[str]) -> str:
    """Wrapped lines joined; a new numbered paragraph starts on a new line."""
    out = ""
    for text in texts:
        if out and _PARA_START_RE.match(text):
            out += "\n"
        out += text
    return out


class _Text:
    """Lines joined into one string, with each offset traced back to its line."""

    def __init__(self, lines: list[Line]):
        self.lines = lines
        self.starts: list[int] = []
        parts, offset = [], 0
        for line in lines:
            self.starts.append(offset)
            parts.append(_plain(line))
            offset += len(parts[-1])
        self.text = "".join(parts)

    def line_at(self, offset: int) -> Line | None:
        return self.lines[bisect_right(self.starts, offset) - 1] if self.lines else None


def _signed(direction: str, number: str | None, unit: str | None) -> Decimal | None:
    """A stated change: 增加 +, 减少 −, 持平 0; percentages are not money (None)."""
    if number is None:
        return Decimal("0.00") if direction == "持平" else None
    if unit == "%":
        return None
    amount = money_yuan(number, unit)
    return -amount if direction in _NEGATIVE else amount


def _stated(out: Records, section: str, text: _Text, items: list) -> None:
    """Each item's first amount in `text`, and the change vs a prior year printed after it."""
    for item, pattern in items:
        match = pattern.search(text.text)
        if not match:
            continue
        out.add(
            "stated_amounts",
            text.line_at(match.start()),
            section=section,
            item=item,
            raw_text=match.group(0),
            amount_text=text.text[match.start("num") : match.end("unit")],
            amount_yuan=money_yuan(match.group("num"), match.group("unit")),
            reference_year=None,
        )
        change = _CHANGE_RE.match(text.text, match.end())
        if change:
            number, unit = change.group("num"), change.group("unit")
            out.add(
                "stated_amounts",
                text.line_at(change.start("year")),
                section=section,
                item=f"{item}_change",
                raw_text=change.group(0).strip(" ，,。"),
                amount_text=f"{change.group('dir')}{number or ''}{unit or ''}",
                amount_yuan=_signed(change.group("dir"), number, unit),
                reference_year=int(change.group("year")),
            )


def _count(out: Records, section: str, text: _Text, item: str, match, unit: str, as_of=None):
    """A stated count: the match's last group."""
    out.add(
        "stated_counts",
        text.line_at(match.start()),
        section=section,
        item=item,
        raw_text=match.group(0),
        count_text=match.group(match.lastindex or 0),
        count=int(match.group(match.lastindex or 0)),
        unit=unit,
        as_of=as_of,
    )


# --- document, duties, units, glossary -------------------------------------------------------


def _document(out: Records, lines: list[Line]) -> dict:
    title = lines[0]
    text = title.text.strip()
    year = re.search(r"(\d{4})\s*年", text)
    cover = next(
        (m for line in lines[:10] for m in [_COVER_RE.match(line.text.strip())] if m), None
    )
    if cover:
        level = "department" if cover.group(1) == "预算主管部门" else "unit"
    else:
        level = "unit" if "单位预算" in text or "单位决算" in text else "department"
    region = text[: year.start()].strip() if year else ""
    return out.add(
        "documents",
        title,
        template=TEMPLATE,
        title=text,
        fiscal_year=int(year.group(1)) if year else None,
        level=level,
        kind="final_accounts" if "决算" in text else "budget",
        region_text=region or None,
        department_name=cover.group(2).strip() if cover else None,
        department_code=None,
    )


def _duties(out: Records, body: list[Line]) -> None:
    duty = None
    for line in body:
        text = _plain(line)
        match = _DUTY_RE.match(text)
        if match:
            arabic, chinese, rest = match.groups()
            duty = out.add(
                "duties",
                line,
                ordinal=out.count("duties") + 1,
                printed_number=int(arabic) if arabic else cn_number(chinese),
                printed_label=text[: match.start(3)].strip(),
                duty_text=rest.strip(),
            )
        elif duty is not None:
            duty["duty_text"] += text  # a duty wrapped onto the next line


def _units(out: Records, body: list[Line]) -> None:
    """Budget units listed after 具体包括, internal offices after 设N个内设机构, and counts."""
    text = _Text(body)
    for item, pattern in _UNIT_COUNTS:
        match = pattern.search(text.text)
        if match:
            _count(out, "units", text, item, match, "个" if item == "internal_offices" else "家")
    for match in _OFFICES_RE.finditer(text.text):
        line = text.line_at(match.start("list"))
        for name in _split_top_level(match.group("list"), "、"):
            out.add(
                "internal_offices",
                line,
                ordinal=out.count("internal_offices") + 1,
                parent_name=match.group("parent").strip() or None,
                office_name=name,
            )
    listing = False
    for line in body:
        content = _plain(line)
        if not listing:  # units are listed after 具体包括, maybe on the same line
            _, found, content = content.partition("具体包括")
            if not found:
                continue
            listing, content = True, content.lstrip("：: ")
        match = _UNIT_ITEM_RE.match(content)
        if match:
            out.add(
                "units",
                line,
                table_ordinal=1,
                row_ordinal=out.count("units") + 1,
                unit_name=re.split(r"[，,。；]", match.group(2).strip(), maxsplit=1)[0],
                nature=None,
                rank=None,
                funding_form=None,
            )


def _split_top_level(text: str, separator: str) -> list[str]:
    """`text` split at `separator`, except inside brackets."""
    parts, depth, current = [], 0, ""
    for char in text:
        if char in "（(":
            depth += 1
        elif char in "）)":
            depth -= 1
        if char == separator and depth <= 0:
            parts.append(current.strip())
            current = ""
        else:
            current += char
    parts.append(current.strip())
    return [part for part in parts if part]


def _glossary(out: Records, body: list[Line]) -> None:
    def entries():
        for line in body:
            text = _plain(line)
            match = _CN_ITEM_RE.match(text)
            if match:
                yield line, cn_number(match.group(1)), match.group(2), text
            else:
                yield line, None, text, text

    add_glossary(out, entries())


# --- narrative: totals and functional lines --------------------------------------------------


def _narrative(out: Records, body: list[Line]) -> None:
    """Totals (and changes) stated before the first functional line, then the lines (see
    `orchestration.parse.functional_lines`)."""
    first = next((i for i, line in enumerate(body) if numbered_path(_plain(line))), len(body))
    _stated(out, "totals", _Text(body[:first]), _TOTALS)
    items: list[list] = []
    for line in body[first:]:
        text = _plain(line)
        if numbered_path(text):
            items.append([line, text])
        elif items:
            items[-1][1] += text
    for line, text in items:
        out.add(
            "functional_lines",
            line,
            ordinal=out.count("functional_lines") + 1,
            printed_number=int(NUMBERED.match(text).group("no")),
            **read_functional_line(text),
            raw_text=text,
        )


# --- 其他相关情况说明 and project pages --------------------------------------------------------


def _other(out: Records, body: list[Line]) -> None:
    """其他相关情况说明: its 一、… parts, each read for its own figures."""
    parts: list[tuple[str | None, list[Line]]] = [(None, [])]
    for line in body:
        match = _SUBSECTION_RE.match(line.text.strip())
        if match:
            kind = next((k for word, k in _SUBSECTIONS if word in match.group(1)), None)
            parts.append((kind, [line]))
        else:
            parts[-1][1].append(line)
    for kind, lines in parts:
        if kind is None:
            continue
        text = _Text(lines)
        if kind in _OTHER:
            _stated(out, kind, text, _OTHER[kind])
        if kind == "performance":
            match = _PROJECT_COUNT_RE.search(text.text)
            if match:
                _count(out, kind, text, "performance_project_count", match, "个")
        elif kind == "state_assets":
            _state_assets(out, text)


def _state_assets(out: Records, text: _Text) -> None:
    """Vehicles and equipment held (as of a date) and planned for purchase."""
    split = text.text.find("预算安排购置车辆")
    split = text.text.rfind("。", 0, split) + 1 if split >= 0 else len(text.text)
    as_of = _AS_OF_RE.search(text.text, 0, split)
    date = "{}-{:0>2}-{:0>2}".format(*as_of.groups()) if as_of else None
    for prefix, start, end, total_re in (
        ("held", 0, split, _VEHICLES_HELD_RE),
        ("planned", split, len(text.text), _VEHICLES_PLANNED_RE),
    ):
        stamp = date if prefix == "held" else None
        match = total_re.search(text.text, start, end)
        if match:
            _count(out, "state_assets", text, f"{prefix}_vehicles", match, "辆", as_of=stamp)
        for match in _VEHICLE_RE.finditer(text.text, start, end):
            item = f"{prefix}_vehicles_{_VEHICLE_KINDS[match.group(1)]}"
            _count(out, "state_assets", text, item, match, "辆", as_of=stamp)
        match = _EQUIPMENT_RE.search(text.text, start, end)
        if match:
            item = f"{prefix}_equipment_over_1m"
            _count(out, "state_assets", text, item, match, "台（套）", as_of=stamp)


def _split_projects(body: list[Line]) -> tuple[list[Line], list[list[Line]]]:
    """The 其他相关情况说明 lines, and each project page (title lines first)."""
    starts: list[int] = []
    for index, line in enumerate(body):
        match = _FIELD_RE.match(line.text.strip())
        if match and match.group(1) == "项目概述":
            start = index
            floor = starts[-1] + 1 if starts else 0
            while start - 1 >= floor and body[start - 1].page == line.page:
                start -= 1  # the title printed above 一、项目概述 on the same page
            starts.append(start)
    if not starts:
        return body, []
    bounds = [*starts, len(body)]
    return body[: starts[0]], [body[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _project(out: Records, page: list[Line]) -> None:
    """A 项目经费情况说明 page: its title, then 一、项目概述 … 七、绩效目标."""
    titles: list[Line] = []
    fields: dict[str, list[str]] = {}
    current = None
    for line in page:
        text = _plain(line)
        match = _FIELD_RE.match(text)
        if match:
            current = _PROJECT_FIELDS[match.group(1)]
            fields[current] = [match.group(2)] if match.group(2) else []
        elif current is None:
            titles.append(line)
        else:
            fields[current].append(text)
    title = "".join(_plain(line) for line in titles)
    values = {
        key: _join(fields[key]) if key in fields else None for key in _PROJECT_FIELDS.values()
    }
    budget = values["annual_budget_text"] or ""
    amount = _PROJECT_TOTAL_RE.search(budget) or _PROJECT_MONEY_RE.search(budget)
    if amount:  # 项目总预算1720.00万 (a bare 万 is 万元), else the first amount
        values["annual_budget_amount_text"] = budget[amount.start("num") : amount.end("unit")]
        values["annual_budget_yuan"] = money_yuan(amount.group("num"), amount.group("unit"))
    name = re.sub(r"经费情况说明$", "", title).strip()
    if name in ("", "项目"):  # a title of 项目经费情况说明 alone: the body names the project
        name = _project_name(values)
    out.add(
        "project_pages",
        titles[0] if titles else page[0],
        ordinal=out.count("project_pages") + 1,
        title=title,
        project_name=name,
        **{"annual_budget_amount_text": None, "annual_budget_yuan": None, **values},
    )


def _project_name(values: dict) -> str | None:
    """The project's name as its page's body states it, for a page whose title has none."""
    for key in ("overview", "annual_budget_text", "performance_goal"):
        for pattern in _PROJECT_NAME_RES:
            match = pattern.search(values[key] or "")
            if match:
                return match.group("name").strip()
    return None


# --- the nine tables ------------------------------------------------------------------------


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


def _tokens(line: Line) -> list[_Token]:
    """The line's cells, with fused cells (`96,282,213.44 一、公共安全支出`) split into numbers and
    text runs; a part's extent is estimated from its share of the cell's printed width."""
    tokens = []
    boxes = line.boxes or [(None, None)] * len(line.cells)
    for cell, (x0, x1) in zip(line.cells, boxes, strict=False):
        parts: list[str] = []
        for word in cell.split():
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
        self.codes: list[tuple[float, int]] = []
        for tokens in header:
            has_name = any(header_column(kind, t.text) == "name" for t in tokens)
            for token in tokens:
                if token.text in kind.code_headers and token.x0 is not None:
                    centre = (token.x0 + token.x1) / 2
                    self.codes.append((centre, kind.code_headers.index(token.text)))
                for label in _header_labels(token, kind):
                    # a lone 预算数 spans the columns below it; beside 项目 it is a column
                    if kind.columns[label.text] != "amount" or has_name:
                        cells.append(label)
        printed = {c.text for c in cells}  # 基本支出 spans 人员经费/公用经费 where they are printed
        spanning = {label for label, below in kind.spans.items() if printed & set(below)}
        cells = [c for c in cells if c.text not in spanning]
        cells = [c for c in cells if not _heads_others(c, cells)]
        columns = sorted(
            ((c.x0 + c.x1) / 2 if c.x0 is not None else i, c.text) for i, c in enumerate(cells)
        )
        self.centres = [centre for centre, _ in columns]
        self.labels = [label for _, label in columns]
        self.keys = [kind.columns[label] for label in self.labels]
        self.codes.sort()

    def at(self, token: _Token, index: int) -> int | None:
        """The column of an amount: the last whose centre is left of its right edge."""
        if not self.labels:
            return None
        if token.x1 is None:
            return min(index, len(self.labels) - 1)
        return max(bisect_left(self.centres, token.x1) - 1, 0)

    def code_part(self, token: _Token, index: int) -> int:
        """Which code cell a number is (类 0, 款 1, 项 2), by the nearest code header."""
        if not self.codes or token.x0 is None:
            return index
        centre = (token.x0 + token.x1) / 2
        return min(self.codes, key=lambda c: abs(c[0] - centre))[1]


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


def _is_header(tokens: list[_Token], kind: TableKind) -> bool:
    if any(t.is_money for t in tokens):
        return False
    return any(t.text in kind.code_headers or _header_labels(t, kind) for t in tokens)


def _table(out: Records, title: Line, body: list[Line]) -> None:
    kind = kind_of_title(title.text)
    two_sided = kind.rows == "two_sided"
    table = out.add(
        "budget_tables",
        title,
        table_ordinal=out.count("budget_tables") + 1,
        table_number=kind.number,
        title=title.text.strip(),
        unit_text=None,
        prepared_by=None,
        row_count=0,
        note=None,
    )
    header: list[list[_Token]] = []
    columns: _Columns | None = None
    in_header = False
    for line in body:
        text = line.text.strip()
        tokens = _tokens(line)
        if _is_header(tokens, kind):
            if not in_header:
                header, in_header = [], True
            header.append(tokens)
            columns = None
            continue
        unit = table_unit(kind, text)
        prepared = _PREPARED_BY_RE.match(line.cells[0])
        if unit or prepared:
            table["unit_text"] = unit or table["unit_text"]
            table["prepared_by"] = prepared.group(1) if prepared else table["prepared_by"]
            continue
        if text.startswith(("注:", "注：")):
            table["note"] = text
            continue
        if not any(t.is_money for t in tokens) and not (two_sided and table["row_count"]):
            continue  # an empty table's 合计 or 无, or other text
        if columns is None:
            columns = _Columns(kind, header)
        in_header = False
        if two_sided:
            _two_sided_rows(out, table, line, tokens, columns)
        else:
            _coded_row(out, table, line, tokens, columns)


def _add_row(out: Records, table: dict, line: Line, **fields) -> dict:
    table["row_count"] += 1
    fields = {
        "side": None,
        "row_kind": "line",
        "level": None,
        "function_code": None,
        "economic_code": None,
        "class_code": None,
        "item_code": None,
        "subitem_code": None,
        "name": None,
        **fields,
    }
    return out.add(
        "budget_table_rows",
        line,
        table_ordinal=table["table_ordinal"],
        row_ordinal=table["row_count"],
        table_number=table["table_number"],
        **fields,
        raw_text=line.text,
    )


def _add_amounts(out, table, line, columns: _Columns, amounts: list[tuple[int, _Token]]) -> None:
    unit = table["unit_text"] or columns.kind.unit
    for index, token in amounts:
        column = columns.at(token, index)
        out.add(
            "budget_table_amounts",
            line,
            table_ordinal=table["table_ordinal"],
            row_ordinal=table["row_count"],
            table_number=table["table_number"],
            column_key=columns.keys[column] if column is not None else None,
            column_label=columns.labels[column] if column is not None else None,
            amount_text=token.text,
            amount_yuan=money_yuan(token.text, unit),
        )


def _two_sided_rows(out, table, line, tokens: list[_Token], columns: _Columns) -> None:
    """A 收支总表 line: an income item and an expenditure item, each with its amounts."""
    segments: list[tuple[str | None, list[_Token]]] = []
    for token in tokens:
        if token.is_money:
            if not segments:
                segments.append((None, []))
            segments[-1][1].append(token)
        else:
            segments.append((token.text, []))
    index = 0
    for label, amounts in segments:
        side = "expenditure" if label and _EXPENDITURE_LABEL_RE.search(label) else "income"
        total = label is not None and re.fullmatch(r"(?:收入|支出)?(?:总计|合计)", label)
        _add_row(out, table, line, side=side, row_kind="total" if total else "line", name=label)
        _add_amounts(out, table, line, columns, [(index + i, t) for i, t in enumerate(amounts)])
        index += len(amounts)


def _coded_row(out, table, line, tokens: list[_Token], columns: _Columns) -> None:
    """A classified row (codes, name, amounts), a 合计 row, or the 三公 table's single row."""
    codes: list[str | None] = [None, None, None]
    names, amounts = [], []
    coded = columns.kind.code_column  # function_code, economic_code, or None
    for token in tokens:
        # a 款 or 项 column may print its own digits only, unpadded: `301  2  津贴补贴`
        own_digits = any(codes) and _OWN_DIGITS_RE.match(token.text)
        if coded and not names and not amounts and (_CODE_TOKEN_RE.match(token.text) or own_digits):
            part = columns.code_part(token, sum(c is not None for c in codes))
            if own_digits:  # never the 类, which is printed whole
                part = max(part, 1)
            codes[part] = token.text.zfill(2) if part else token.text
        elif token.is_money:
            amounts.append(token)
        else:
            names.append(token.text)
    name = " ".join(names) or None
    printed = [c for c in codes if c is not None]
    fields = {"name": name, "class_code": codes[0], "item_code": codes[1]}
    fields["subitem_code"] = codes[2]
    if printed:
        fields["level"] = len(printed)
        fields[coded] = "".join(printed)
    elif name and re.fullmatch(r"合\s*计|总\s*计", name):
        fields["row_kind"] = "total"
    _add_row(out, table, line, **fields)
    _add_amounts(out, table, line, columns, list(enumerate(amounts)))


# --- sections -------------------------------------------------------------------------------


def _section_kind(line: Line) -> str | None:
    if line.is_row:
        return None
    text = line.text.strip()
    if _NUMBERED_RE.match(text) or len(text) > 60:
        return None  # contents entries and paragraphs
    if text.replace(" ", "") == "目录":
        return "contents"
    if text.endswith("主要职能"):
        return "duties"
    if text.endswith("机构设置"):
        return "units"
    if text == "名词解释":
        return "glossary"
    if _NARRATIVE_RE.match(text):
        return "narrative"
    if kind_of_title(text):
        return "table"
    if text == "其他相关情况说明":
        return "other"
    return None


def _sections(lines: list[Line]) -> list[tuple[str, Line, list[Line]]]:
    sections: list[tuple[str, Line, list[Line]]] = []
    for line in lines[1:]:
        kind = _section_kind(line)
        if kind:
            sections.append((kind, line, []))
        elif sections:
            sections[-1][2].append(line)
    return sections


def parse(lines: list[Line], document_key: str) -> dict[str, list[dict]]:
    """Parse a template B document into raw records by table name."""
    out = Records(document_key)
    _document(out, lines)
    for kind, heading, body in _sections(lines):
        if kind == "duties":
            _duties(out, body)
        elif kind == "units":
            _units(out, body)
        elif kind == "glossary":
            _glossary(out, body)
        elif kind == "narrative":
            _narrative(out, body)
        elif kind == "table":
            _table(out, heading, body)
        elif kind == "other":
            other, pages = _split_projects(body)
            _other(out, other)
            for page in pages:
                _project(out, page)
    return dict(out)
