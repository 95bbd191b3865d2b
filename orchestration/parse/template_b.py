"""Template B: Shanghai district budgets (Putuo 区级部门预算 / 单位预算, read from PDF).

A document is a cover (`预算主管部门：X` or `预算单位：X`), contents, 主要职能, 机构设置,
名词解释, 预算编制说明 (narrative totals, then numbered functional-classification lines),
nine standard tables, 其他相关情况说明 (三公, 机关运行经费, 政府采购, 绩效目标, 国有资产) and
one page per project (项目经费情况说明). Sections are found here by their headings, tables by
their titles; here too is which statements the template makes where (their words are
statements.yaml's). What is read where: stated amounts and counts in `statements`, functional
lines in `functional_lines`, the tables in `budget_tables`, project pages in `project_pages`.
Every figure keeps its printed text; nothing printed is corrected.
"""

from __future__ import annotations

import re

from orchestration.parse import statements
from orchestration.parse.budget_tables import read_table
from orchestration.parse.catalog import kind_of_title, kinds
from orchestration.parse.functional_lines import add_functional_lines, read_functional_line
from orchestration.parse.layout import Line
from orchestration.parse.project_pages import read_project, split_projects
from orchestration.parse.records import Records, add_glossary
from orchestration.parse.shanghai import duties, headings
from orchestration.parse.statements import Text, plain
from orchestration.parse.values import cn_number

TEMPLATE = "B"

_COVER_RE = re.compile(r"^(预算主管部门|预算单位)\s*[：:]\s*(.+)$")
_NUMBERED_RE = re.compile(r"^(?:[一二三四五六七八九十]+、|\d{1,2}\s*[.．、])")
_NARRATIVE_RE = re.compile(r"^\d{4}\s*年\s*(?:部门|单位)(?:预算|决算)编制说明$")
_CN_ITEM_RE = re.compile(r"^[（(]\s*([一二三四五六七八九十]+)\s*[）)]\s*(.*)$")
_UNIT_ITEM_RE = re.compile(r"^(\d{1,2})\s*[.．、]\s*(.*)$")
_SUBSECTION_RE = re.compile(r"^[一二三四五六七八九十]+、\s*(.*)$")

PHASE = "budget"

# What the template states (statements.yaml holds the words): the narrative's totals, each with
# its change, then the items of each part of 其他相关情况说明, and the counts of 机构设置.
TOTALS = [
    *("revenue_total", "fiscal_revenue", "business_revenue", "operating_revenue"),
    *("other_revenue", "expenditure_total", "fiscal_expenditure", "general_budget_expenditure"),
    *("fund_budget_expenditure", "state_capital_expenditure"),
]
OTHER = {
    "three_public": [
        *("three_public_total", "outbound", "vehicle_total", "vehicle_purchase"),
        *("vehicle_operation", "reception"),
    ],
    "operating_funds": ["operating_funds"],
    "procurement": [
        *("procurement_total", "procurement_goods", "procurement_works"),
        *("procurement_services", "procurement_sme_reserved", "procurement_small_micro_reserved"),
    ],
    "performance": ["performance_projects_amount"],
}
COUNTS = {
    "units": [
        *("subordinate_budget_units", "administrative_units", "civil_service_managed_units"),
        *("public_institution_units", "internal_offices"),
    ],
    "performance": ["performance_project_count"],
}


def is_template_b(lines: list[Line]) -> bool:
    """A cover naming 预算主管部门/预算单位 and (in its contents) the standard tables."""
    head = [line.text.strip() for line in lines[:60]]
    if not any(_COVER_RE.match(text) for text in head[:10]):
        return False
    text = "\n".join(head)
    return sum(kind.names_in(text) for kind in kinds("budget")) >= 5


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


def _units(out: Records, body: list[Line]) -> None:
    """Budget units listed after 具体包括, internal offices after 设N个内设机构, and counts."""
    text = Text(body)
    statements.counts(out, "units", text, PHASE, COUNTS["units"])
    for match in statements.offices_listed().finditer(text.text):
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
        content = plain(line)
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
            text = plain(line)
            match = _CN_ITEM_RE.match(text)
            if match:
                yield line, cn_number(match.group(1)), match.group(2), text
            else:
                yield line, None, text, text

    add_glossary(out, entries())


# --- narrative: totals and functional lines --------------------------------------------------


def _narrative(out: Records, body: list[Line], prior: int | None) -> None:
    """Totals (and changes) stated before the first functional line, then the lines (see
    `orchestration.parse.functional_lines`): the template's 财政拨款支出主要内容, of the fiscal
    section."""
    fiscal = dict.fromkeys((line.no for line in body), "fiscal")
    before = add_functional_lines(out, body, read_functional_line, fiscal)
    statements.amounts(out, "totals", Text(before), PHASE, TOTALS, prior=prior)


# --- 其他相关情况说明 -----------------------------------------------------------------------


def _other(out: Records, body: list[Line], prior: int | None) -> None:
    """其他相关情况说明: its 一、… parts, each read for its own figures."""
    parts: list[tuple[str | None, list[Line]]] = [(None, [])]
    for line in body:
        match = _SUBSECTION_RE.match(line.text.strip())
        if match:
            parts.append((statements.section_of(match.group(1), PHASE), [line]))
        else:
            parts[-1][1].append(line)
    for section, lines in parts:
        text = Text(lines)
        if section in OTHER:
            statements.amounts(out, section, text, PHASE, OTHER[section], prior=prior)
        if section in COUNTS:
            statements.counts(out, section, text, PHASE, COUNTS[section])
        elif section == "state_assets":
            statements.state_assets(out, text, PHASE)


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
    document = _document(out, lines)
    prior = document["fiscal_year"] - 1 if document["fiscal_year"] else None
    sections = _sections(lines)
    entries = [
        ("contents", line) if kind == "contents" else ("heading", heading)
        for kind, heading, body in sections
        for line in (body if kind == "contents" else [heading])
    ]
    headings(out, entries, "budget")
    for kind, heading, body in sections:
        if kind == "duties":
            duties(out, body)
        elif kind == "units":
            _units(out, body)
        elif kind == "glossary":
            _glossary(out, body)
        elif kind == "narrative":
            _narrative(out, body, prior)
        elif kind == "table":
            read_table(out, heading, body)
        elif kind == "other":
            other, pages = split_projects(body)
            _other(out, other, prior)
            for page in pages:
                read_project(out, page)
    return dict(out)
