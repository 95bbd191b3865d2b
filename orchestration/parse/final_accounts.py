"""Final accounts (部门决算 / 单位决算) of the Shanghai family (template B: Putuo, read from PDF).

The district's template fixes the structure: a cover (`<department>` / `2024 年度部门决算`),
contents, 第一部分 概况 (一、主要职能, 二、部门决算单位构成 with its table of units),
第二部分 the nine tables (by their titles, see the `final_accounts` kinds of table_kinds.yaml),
第三部分 决算情况说明 (一、… 十一、: totals with their change vs the prior year, the 一般公共预算
lines budget against actual, 三公, 绩效, 机关运行经费, 政府采购, 国有资产) and 第四部分 名词解释.
Sections are found by their headings, tables by their titles; each narrative figure by the
region's words for it (the item names are template B's where the meaning is the same). Every
figure keeps its printed text; nothing printed is corrected (the template's `XX` stays `XX`).
"""

from __future__ import annotations

import re

from orchestration.parse.budget_tables import read_table
from orchestration.parse.catalog import TableKind, kind_of_title, kinds
from orchestration.parse.functional_lines import (
    EXECUTION,
    NUMBERED,
    add_functional_lines,
    read_final_accounts_line,
)
from orchestration.parse.layout import Line
from orchestration.parse.records import Records, add_glossary
from orchestration.parse.shanghai import duties, headings, state_assets
from orchestration.parse.statements import NUM, Text, add_change, count, plain
from orchestration.parse.values import cn_number, money_yuan

TEMPLATE = "B"
PHASE = "final_accounts"

_COVER_RE = re.compile(r"(部门|单位)决算")
# a cover that names its department or unit on a labelled line of its own, as the district's
# budgets do (`上海市普陀区2024年度区级单位决算` / `决算单位：…`): label -> level (never a bare
# 单位, as in 单位：万元)
_NAME_LABELS = {
    r"(?:决算|预算)?主管部门|部门名称": "department",
    r"(?:决算|预算)单位|单位名称": "unit",
}
_NAME_LABEL_RE = [
    (re.compile(rf"^(?:{words})[：:](?P<name>\S.*)$"), level)
    for words, level in _NAME_LABELS.items()
]
_YEAR_RE = re.compile(r"(\d{4})\s*年")
_REGION_RE = re.compile(
    r"^(?:中共)?(?P<region>[^\s\d]{2,4}?[省市](?:[^\s\d局委部办厅院会]{1,4}?[区县])?)"
)
_PART_RE = re.compile(r"^第([一二三四五六七八九十]+)部分")
_SUB_RE = re.compile(r"^([一二三四五六七八九十]+)、\s*(.*)$")
_CN_SUB_RE = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.*)$")

# 第三部分's subsections, by the words of their headings (the first that fits)
_NARRATIVE = [
    ("财政拨款收入支出决算总体", "fiscal"),
    ("收入支出决算总体", "overall"),
    ("收入决算", "revenue"),
    ("基本支出", "basic"),
    ("三公", "three_public"),
    ("政府性基金", "fund"),
    ("国有资本经营", "state_capital"),
    ("一般公共预算财政拨款支出", "general_budget"),
    ("支出决算", "expenditure"),
    ("绩效", "performance"),
    ("其他重要事项", "other"),
]
_OTHER = [
    ("机关运行经费", "operating_funds"),
    ("政府采购", "procurement"),
    ("国有资产", "state_assets"),
]

# an amount in 万元 or 元 (国内公务接待支出0.39 万 prints 万 alone)
MONEY = rf"(?P<num>{NUM})\s*+(?P<unit>万元|元|万(?![\u4e00-\u9fff]))"
PERCENT = rf"(?P<pct>{NUM})\s*+[%％]"
_ASIDE = r"(?:\s*+[（(][^（）()]{0,6}[）)])?"  # 下降（增长）: the template's alternative left in
_SHARE_RE = re.compile(rf"\s*+[，,]?\s*+占(?P<of>[^，,。；;%\d]{{0,12}}?)的?\s*+{PERCENT}")
_EXECUTION_RE = re.compile(rf"\s*+[，,]?\s*+{EXECUTION}")
_CHANGE_RE = re.compile(
    rf"\s*+[，,。]?\s*+(?:与|比|较)\s*+(?:(?P<year>\d{{4}})\s*+年度?|上一?年度?)(?:相比)?\s*+[，,]?"
    rf"[^。；;\d%]{{0,30}}?(?P<dir>增加|减少|持平|下降|增长|上升){_ASIDE}\s*+"
    rf"(?:(?P<num>{NUM})\s*+(?P<unit>万元|元|%))?"
)
# the same change's percentage: "…增加307.82 万元，增长100.00%" (13.95 printed without its %)
_CHANGE_PERCENT_RE = re.compile(
    rf"\s*+[，,]\s*+(?P<dir>增长|下降|上升|减少|增加){_ASIDE}\s*+(?P<pct>{NUM})\s*+[%％]?"
)
_STANDALONE_CHANGE_RE = re.compile(
    rf"(?P<dir>增加|减少|下降|增长){_ASIDE}\s*+(?P<num>{NUM})\s*+(?P<unit>万元|元|%)"
)


def _items(pairs: list[tuple[str, str]]) -> list[tuple[str, re.Pattern]]:
    return [(item, re.compile(rf"(?:{words})\s*+(?:为|是)?\s*+{MONEY}")) for item, words in pairs]


_TOTALS = {
    "overall": _items([("revenue_expenditure_total", r"收入支出总计")]),
    "revenue": _items(
        [
            ("revenue_total", r"本年收入合计"),
            ("fiscal_revenue", r"财政拨款收入"),
            ("superior_subsidy", r"上级补助收入"),
            ("business_revenue", r"事业收入"),
            ("operating_revenue", r"(?<!事业单位)经营收入"),
            ("affiliated_revenue", r"附属单位上缴收入"),
            ("other_revenue", r"其他收入"),
        ]
    ),
    "expenditure": _items(
        [
            ("expenditure_total", r"本年支出合计"),
            ("basic_expenditure", r"基本支出"),
            ("project_expenditure", r"项目支出"),
            ("paid_to_superior", r"上缴上级支出"),
            ("operating_expenditure", r"经营支出"),
            ("affiliated_subsidy", r"对附属单位补助支出"),
        ]
    ),
    "fiscal": _items([("fiscal_revenue_expenditure_total", r"财政拨款收入支出总计")]),
    "general_budget": _items([("general_budget_expenditure", r"一般公共预算财政拨款支出")]),
    "general_budget_structure": _items(
        [("general_budget_expenditure", r"一般公共预算财政拨款支出")]
    ),
    "general_budget_detail": _items(
        [
            ("general_budget_initial_budget", r"年初预算"),
            ("general_budget_full_year_budget", r"全年预算"),
            ("general_budget_expenditure", r"支出决算"),
        ]
    ),
    "basic": _items(
        [
            ("basic_expenditure", r"基本支出"),
            ("personnel_expenditure", r"人员经费"),
            ("public_expense", r"公用经费"),
        ]
    ),
    "fund": _items(
        [("fund_revenue", r"基金预算财政拨款收入"), ("fund_expenditure", r"[，,]\s*+支出(?:收入)?")]
    ),
    "state_capital": _items(
        [
            ("state_capital_revenue", r"国有资本经营预算财政拨款收入"),
            ("state_capital_expenditure", r"[，,]\s*+支出(?:收入)?"),
        ]
    ),
    "three_public": _items(
        [
            ("three_public_total_budget", r"经费财政拨款支出(?:年初|全年)?预算数?"),
            ("three_public_total", r"(?<!基金)支出决算"),
            ("outbound", r"因公出国\s*+[（(]境[)）]\s*+费(?:支出)?决算"),
            ("vehicle_total", r"公务用车购置及运行维护费(?:支出)?决算"),
            ("reception", r"公务接待费(?:支出)?决算"),
        ]
    ),
    "three_public_detail": _items(
        [
            ("outbound", r"因公出国\s*+[（(]境[)）]\s*+费支出决算"),
            ("vehicle_total", r"公务用车购置及运行维护费支出决算"),
            ("reception", r"公务接待费支出决算"),
            ("outbound_spent", r"因公出国\s*+[（(]境[)）]\s*+费支出(?=\s*+\d)"),
            ("vehicle_total_spent", r"公务用车购置及运行维护费支出(?=\s*+\d)"),
            ("vehicle_purchase", r"公务用车购置支出"),
            ("vehicle_operation", r"公务用车运行维护支出"),
            ("reception_spent", r"公务接待费支出(?=\s*+\d)"),
            ("domestic_reception", r"国内公务接待支出"),
            ("foreign_reception", r"外宾接待支出"),
        ]
    ),
    "operating_funds": _items([("operating_funds", r"机关运行经费支出")]),
    "procurement": _items(
        [
            ("procurement_total", r"政府采购金额(?:\s*+[（(][^（）()]{0,12}[）)])?"),
            ("procurement_goods", r"货物采购金额"),
            ("procurement_works", r"工程采购金额"),
            ("procurement_services", r"服务采购金额"),
            ("procurement_sme_reserved", r"面向中小企业预留政府采购项目预算金额"),
            ("procurement_small_micro_reserved", r"面向小微企业预留政府采购项目预算金额"),
            ("procurement_sme_awarded", r"面向中小企业预留的政府采购项目中[^；;。]{0,30}?采购金额"),
            (
                "procurement_small_micro_awarded",
                r"面向小微企业预留的?政府采购项目中[^；;。]{0,30}?采购金额",
            ),
            ("procurement_other_sme_awarded", r"其他政府采购项目中[^；;。]{0,30}?采购金额"),
        ]
    ),
    "performance": _items(
        [
            ("performance_projects_amount", r"编报绩效目标的[^；;。]{0,30}?涉及预算金额"),
            ("performance_tracked_amount", r"绩效跟踪评价的[^；;。]{0,30}?涉及预算金额"),
            ("performance_self_evaluated_amount", r"绩效自评的[^；;。]{0,30}?涉及预算金额"),
        ]
    ),
}
_PROJECTS = r"(?:\d{4}\s*+年度?)?\s*+项目\s*+(\d+)\s*+个"
_COUNTS = {
    "three_public_detail": [
        ("outbound_groups", re.compile(r"团组\s*+(\d+)\s*+个"), "个"),
        ("outbound_people", re.compile(r"累计\s*+(\d+)\s*+人次"), "人次"),
        ("vehicles_held", re.compile(r"保有量\s*+为?\s*+(\d+)\s*+辆"), "辆"),
        ("reception_batches", re.compile(r"公务接待\s*+(\d+)\s*+批次"), "批次"),
        (
            "reception_people",
            re.compile(r"公务接待\s*+\d+\s*+批次\s*+[、，,]\s*+(\d+)\s*+人次"),
            "人次",
        ),
        ("foreign_reception_batches", re.compile(r"接待外宾\s*+(\d+)\s*+批次"), "批次"),
        (
            "foreign_reception_people",
            re.compile(r"接待外宾\s*+\d+\s*+批次\s*+[、，,]\s*+(\d+)\s*+人次"),
            "人次",
        ),
    ],
    "performance": [
        ("performance_project_count", re.compile(rf"编报绩效目标的\s*+{_PROJECTS}"), "个"),
        ("performance_tracked_count", re.compile(rf"绩效跟踪评价的\s*+{_PROJECTS}"), "个"),
        ("performance_self_evaluated_count", re.compile(rf"绩效自评的\s*+{_PROJECTS}"), "个"),
        ("performance_rated_excellent", re.compile(r"[“\"]优[”\"]的项目\s*+(\d+)\s*+个"), "个"),
        ("performance_rated_good", re.compile(r"[“\"]良[”\"]的项目\s*+(\d+)\s*+个"), "个"),
        ("performance_rated_pass", re.compile(r"[“\"]合格[”\"]的项目\s*+(\d+)\s*+个"), "个"),
        ("performance_rated_fail", re.compile(r"[“\"]不合格[”\"]的项目\s*+(\d+)\s*+个"), "个"),
        ("performance_problems_found", re.compile(r"发现问题\s*+(\d+)\s*+个"), "个"),
        ("performance_problems_rectified", re.compile(r"已经?完成整改的\s*+(\d+)\s*+个"), "个"),
        ("performance_problems_rectifying", re.compile(r"正在整改的\s*+(\d+)\s*+个"), "个"),
    ],
}
_SCORE_RE = re.compile(rf"平均得分\s*+(?P<num>{NUM})\s*+分")
_CLASS_RE = re.compile(rf"(?P<name>[^，,。；;：:\d（）()]+?)\s*+[（(]类[)）]\s*+{MONEY}")
# 三公: the change of the total (…决算数比2023 年度减少0.15 万元) and of each category
_THREE_PUBLIC_CHANGE = [
    ("three_public_total", re.compile(r"经费财政拨款支出决算数?(?=\s*+(?:比|与|较))")),
    (
        "outbound",
        re.compile(r"因公出国\s*+[（(]境[)）]\s*+费支出(?:决算数?)?(?=\s*+(?:比|与|较|增|减))"),
    ),
    (
        "vehicle_total",
        re.compile(r"公务用车购置及运行维护费支出(?:决算数?)?(?=\s*+(?:比|与|较|增|减))"),
    ),
    ("reception", re.compile(r"公务接待费支出(?:决算数?)?(?=\s*+(?:比|与|较|增|减))")),
]


def _compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


def is_final_accounts(lines: list[Line]) -> bool:
    """A cover or title naming 部门决算 or 单位决算 and contents naming at least five of the final
    accounts' tables."""
    head = [_compact(line.text) for line in lines[:80]]
    if not any(_COVER_RE.search(text) for text in head[:10]):
        return False
    text = "\n".join(head)
    return sum(kind.names_in(text) for kind in kinds(PHASE)) >= 5


# --- document, units, glossary ---------------------------------------------------------------


def _labelled_names(lines: list[Line]) -> dict[str, str]:
    """The cover's labelled names (`决算单位：…`, `主管部门：…`) before its contents, by level
    (the first of each)."""
    names: dict[str, str] = {}
    for line in lines[:10]:
        text = _compact(line.text)
        if text.startswith("目录"):
            break
        for pattern, level in _NAME_LABEL_RE:
            if match := pattern.match(text):
                names.setdefault(level, match.group("name"))
    return names


def _document(out: Records, lines: list[Line]) -> dict:
    """The cover: the department's or unit's name (as printed, over one or more lines, or on
    a labelled line of its own), the year, the level (部门决算: department, 单位决算: unit)."""
    end = next((i for i, line in enumerate(lines[:10]) if _COVER_RE.search(line.text)), 0)
    title = "".join(_compact(line.text) for line in lines[: end + 1])
    year = _YEAR_RE.search(title)
    kind = _COVER_RE.search(title)
    level = "unit" if kind and kind.group(1) == "单位" else "department"
    name = title[: year.start()] if year else title[: kind.start()] if kind else ""
    name = _labelled_names(lines).get(level, name)  # a labelled name of its level wins
    region = _REGION_RE.match(name)
    return out.add(
        "documents",
        lines[0],
        template=TEMPLATE,
        title=title,
        fiscal_year=int(year.group(1)) if year else None,
        level=level,
        kind="final_accounts",
        region_text=region.group("region") if region else None,
        department_name=name or None,
        department_code=None,
    )


def _units(out: Records, body: list[Line]) -> None:
    """The 单位构成 table: 序号, 单位名称 (as printed, with its bracketed note), 备注."""
    for line in body:
        cells = line.cells
        if not line.is_row or len(cells) < 2 or not cells[0].isdigit() or not cells[1]:
            continue
        out.add(
            "units",
            line,
            table_ordinal=1,
            row_ordinal=out.count("units") + 1,
            unit_name=cells[1],
            nature=None,
            rank=None,
            funding_form=cells[2] if len(cells) > 2 and cells[2] else None,
        )


def _glossary(out: Records, body: list[Line]) -> None:
    def entries():
        for line in body:
            text = plain(line)
            match = _SUB_RE.match(text)
            if match:
                yield line, cn_number(match.group(1)), match.group(2), text
            else:
                yield line, None, text, text

    add_glossary(out, entries())


# --- narrative -------------------------------------------------------------------------------


def _stated(out: Records, section: str, text: Text, item: str, match: re.Match, **extra) -> dict:
    return out.add(
        "stated_amounts",
        text.line_at(match.start()),
        section=section,
        item=item,
        raw_text=match.group(0).strip(" ，,。"),
        amount_text=text.text[match.start("num") : match.end("unit")],
        amount_yuan=money_yuan(match.group("num"), match.group("unit")),
        reference_year=None,
        **extra,
    )


def _percent(out, section, text: Text, item: str, match: re.Match, year=None) -> None:
    """A stated percentage (a share, the budget spent, a change): not money, kept as printed."""
    out.add(
        "stated_amounts",
        text.line_at(match.start("pct")),
        section=section,
        item=item,
        raw_text=match.group(0).strip(" ，,。"),
        amount_text=text.text[match.start() : match.end()].strip(" ，,。"),
        amount_yuan=None,
        reference_year=year,
    )


def _change(out, section, text: Text, item: str, match: re.Match, year: int | None) -> int:
    """A change vs a prior year (and its percentage where printed after it); returns where
    it ends."""
    add_change(out, section, text.line_at(match.start("dir")), item, match, year)
    end = match.end()
    if match.group("unit") != "%" and (percent := _CHANGE_PERCENT_RE.match(text.text, end)):
        _percent(out, section, text, f"{item}_change_percent", percent, year)
        end = percent.end()
    return end


def _follow(out, section: str, text: Text, item: str, end: int, prior: int | None) -> None:
    """What follows a stated amount: its share (占…%), the budget spent (完成…预算的…%), its change
    vs the prior year (与2023 年度相比…增加…万元，增长…%), in any order."""
    while True:
        if share := _SHARE_RE.match(text.text, end):
            _percent(out, section, text, f"{item}_share", share)
            end = share.end()
        elif execution := _EXECUTION_RE.match(text.text, end):
            _percent(out, section, text, f"{item}_execution_percent", execution)
            end = execution.end()
        elif change := _CHANGE_RE.match(text.text, end):
            year = int(change.group("year")) if change.group("year") else prior
            end = _change(out, section, text, item, change, year)
        else:
            return


def _amounts(out: Records, section: str, text: Text, prior: int | None) -> None:
    """Each item's first amount in the text, with what follows it."""
    for item, pattern in _TOTALS.get(section, []):
        match = pattern.search(text.text)
        if match:
            _stated(out, section, text, item, match)
            _follow(out, section, text, item, match.end(), prior)
    for item, pattern, unit in _COUNTS.get(section, []):
        match = pattern.search(text.text)
        if match:
            count(out, section, text, item, match, unit)


def _three_public_changes(out: Records, text: Text, prior: int | None) -> None:
    """2024 年度“三公”经费财政拨款支出决算数比2023 年度减少0.15 万元，下降27.78%，其中：因公出国
    （境）费支出与上一年度持平；…公务接待费支出决算减少0.15 万元，下降27.78%。"""
    start = 0
    for item, pattern in _THREE_PUBLIC_CHANGE:
        words = pattern.search(text.text, start)
        if not words:
            continue
        change = _CHANGE_RE.match(text.text, words.end())
        year = prior
        if change:
            year = int(change.group("year")) if change.group("year") else prior
        else:
            change = _STANDALONE_CHANGE_RE.match(text.text, words.end())
        if change:
            start = _change(out, "three_public", text, item, change, year)


def _functional_lines(out: Records, body: list[Line]) -> list[Line]:
    """The numbered （类）（款）（项） lines of a body; returns the lines before the first."""
    return add_functional_lines(out, body, read_final_accounts_line)


def _split(body: list[Line]) -> list[tuple[str, list[Line]]]:
    """A body cut at its （一）（二）… headings: (heading text or '', lines)."""
    parts: list[tuple[str, list[Line]]] = [("", [])]
    for line in body:
        match = _CN_SUB_RE.match(plain(line))
        if match and len(_compact(line.text)) <= 40:
            parts.append((match.group(2), []))
        else:
            parts[-1][1].append(line)
    return parts


def _narrative(out: Records, kind: str, body: list[Line], prior: int | None) -> None:
    if kind == "general_budget":  # （一）总体情况 （二）结构情况 （三）具体情况
        for heading, lines in _split(body):
            section = "general_budget"
            if "结构" in heading:
                section = "general_budget_structure"
            elif "具体" in heading:
                section = "general_budget_detail"
            if section == "general_budget_detail":
                lines = _functional_lines(out, lines)
            text = Text(lines)
            _amounts(out, section, text, prior)
            if section == "general_budget_structure":
                for match in _CLASS_RE.finditer(text.text):
                    _stated(out, section, text, "class_expenditure", match)
                    _follow(out, section, text, "class_expenditure", match.end(), prior)
    elif kind in ("fund", "state_capital"):
        _amounts(out, kind, Text(_functional_lines(out, body)), prior)
    elif kind == "three_public":
        parts = [lines for _, lines in _split(body) if lines]
        for index, lines in enumerate(parts):
            section = "three_public_detail" if index and index == len(parts) - 1 else kind
            text = Text(lines)
            _amounts(out, section, text, prior)
            if section == kind:
                _three_public_changes(out, text, prior)
    elif kind == "performance":
        text = Text(body)
        _amounts(out, kind, text, prior)
        if score := _SCORE_RE.search(text.text):
            out.add(
                "stated_amounts",
                text.line_at(score.start()),
                section=kind,
                item="performance_average_score",
                raw_text=score.group(0),
                amount_text=text.text[score.start("num") : score.end()],
                amount_yuan=None,
                reference_year=None,
            )
    elif kind == "other":
        for heading, lines in _split(body):
            section = next((k for word, k in _OTHER if word in heading), None)
            if section == "state_assets":
                state_assets(out, Text(lines))
            elif section:
                _amounts(out, section, Text(lines), prior)
    else:
        _amounts(out, kind, Text(body), prior)


# --- sections --------------------------------------------------------------------------------


def _sections(lines: list[Line]) -> list[tuple[str, Line, list[Line], TableKind | None]]:
    """The document after its contents, cut at its headings: parts, their numbered
    subsections, and the tables' titles."""
    start = _start(lines)
    sections: list[tuple[str, Line, list[Line], TableKind | None]] = []
    part = None
    for line in lines[start:]:
        text = _compact(line.text)
        kind: str | None = None
        table = None
        if line.table is None and len(text) <= 60:
            part_match = _PART_RE.match(text)
            sub = _SUB_RE.match(text) if len(text) <= 40 else None
            if part_match:
                part = cn_number(part_match.group(1))
                kind = {3: "narrative", 4: "glossary"}.get(part, "part")
            elif sub is None and not NUMBERED.match(text):
                table = kind_of_title(text, PHASE)
                kind = "table" if table else None
            elif sub and part == 1:
                words = sub.group(2)
                if "职能" in words:
                    kind = "duties"
                elif re.search(r"单位构成|机构设置", words):
                    kind = "units"
            elif sub and part == 3:
                kind = next((k for word, k in _NARRATIVE if word in sub.group(2)), "narrative")
        if kind:
            sections.append((kind, line, [], table))
        elif sections:
            sections[-1][2].append(line)
    return sections


def _start(lines: list[Line]) -> int:
    """Where the document proper starts: at its last 第一部分 (the contents name it too)."""
    first = [i for i, line in enumerate(lines) if _compact(line.text).startswith("第一部分")]
    return first[-1] if first else 1


def _headings(out: Records, lines: list[Line], sections: list[tuple]) -> None:
    """The contents' entries and the headings (parts, subsections, tables' titles)."""
    entries = [("contents", line) for line in lines[1 : _start(lines)] if line.table is None]
    entries += [("heading", heading) for _, heading, _, _ in sections]
    headings(out, entries, PHASE)


def parse(lines: list[Line], document_key: str) -> dict[str, list[dict]]:
    """Parse a final accounts document into raw records by table name."""
    out = Records(document_key)
    document = _document(out, lines)
    year = document["fiscal_year"]
    prior = year - 1 if year else None
    sections = _sections(lines)
    _headings(out, lines, sections)
    for kind, heading, body, table in sections:
        if kind == "duties":
            duties(out, body, unnumbered=True)
        elif kind == "units":
            _units(out, body)
        elif kind == "glossary":
            _glossary(out, body)
        elif kind == "table":
            read_table(out, heading, body, table)
        elif kind not in ("part", "narrative"):
            _narrative(out, kind, body, prior)
    return dict(out)
