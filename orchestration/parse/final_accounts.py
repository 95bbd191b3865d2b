"""Final accounts (部门决算 / 单位决算) of the Shanghai family (template B: Putuo, read from PDF).

The district's template fixes the structure: a cover (`<department>` / `2024 年度部门决算`),
contents, 第一部分 概况 (一、主要职能, 二、部门决算单位构成 with its table of units),
第二部分 the nine tables (by their titles, see the `final_accounts` kinds of table_kinds.yaml),
第三部分 决算情况说明 (一、… 十一、: totals with their change vs the prior year, the 一般公共预算
lines budget against actual, 三公, 绩效, 机关运行经费, 政府采购, 国有资产) and 第四部分 名词解释.
Sections are found by their headings, tables by their titles; each narrative figure by the
words statements.yaml gives it in final accounts' sections (the items with words of their own
in a section are the ones read there). Every figure keeps its printed text; nothing printed is
corrected (the template's `XX` stays `XX`).
"""

from __future__ import annotations

import re

from orchestration.parse import statements
from orchestration.parse.budget_tables import read_table
from orchestration.parse.catalog import TableKind, kind_of_title, kinds
from orchestration.parse.functional_lines import (
    add_functional_lines,
    ordinal,
    read_final_accounts_line,
)
from orchestration.parse.layout import Line
from orchestration.parse.records import Records, add_glossary
from orchestration.parse.shanghai import duties, headings
from orchestration.parse.statements import Text, plain
from orchestration.parse.values import cn_number

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

# 其他重要事项's parts read for statements (the other parts state none the file knows)
_OTHER = ("operating_funds", "procurement", "state_assets")


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


def _amounts(out: Records, section: str, text: Text, prior: int | None) -> None:
    """The amounts (with what follows each) and counts the section states."""
    statements.amounts(out, section, text, PHASE, statements.items_in(PHASE, section), prior=prior)
    statements.counts(out, section, text, PHASE, statements.items_in(PHASE, section, "count"))


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
            _amounts(out, section, Text(lines), prior)
    elif kind in ("fund", "state_capital"):
        _amounts(out, kind, Text(_functional_lines(out, body)), prior)
    elif kind == "three_public":  # the last of its parts is the detail
        parts = [lines for _, lines in _split(body) if lines]
        for index, lines in enumerate(parts):
            section = "three_public_detail" if index and index == len(parts) - 1 else kind
            text = Text(lines)
            _amounts(out, section, text, prior)
            if section == kind:
                changed = statements.items_in(PHASE, kind, changes=True)
                statements.standalone_changes(out, kind, text, PHASE, changed, prior)
    elif kind == "other":
        for heading, lines in _split(body):
            section = statements.section_of(heading, PHASE)
            if section in _OTHER:
                _narrative(out, section, lines, prior)
    elif kind == "state_assets":
        statements.state_assets(out, Text(body), PHASE)
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
            elif sub is None and not ordinal(text):
                table = kind_of_title(text, PHASE)
                kind = "table" if table else None
            elif sub and part == 1:
                words = sub.group(2)
                if "职能" in words:
                    kind = "duties"
                elif re.search(r"单位构成|机构设置", words):
                    kind = "units"
            elif sub and part == 3:
                kind = statements.section_of(sub.group(2), PHASE) or "narrative"
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
