"""The catalog of table kinds (orchestration/parse/table_kinds.yaml): it loads and validates;
tables are recognised by title whatever words come before their name, never from a sentence;
header labels map to canonical columns through their aliases; and a Putuo budget printed with
alias titles and headers parses to the same figures."""

from __future__ import annotations

import re
from dataclasses import replace
from itertools import product

import pytest
from conftest import ROOT
from test_template_b import NINE

from orchestration.parse import catalog, template_b
from orchestration.parse.catalog import (
    header_column,
    is_header_row,
    kind_by_id,
    kind_of_title,
    kinds,
    load_catalog,
    table_unit,
)
from orchestration.read.pdf import read_pdf

PDF = ROOT / "sample" / "shanghai" / "putuo_commerce_2025_department_budget.pdf"

# The national tables: the names printed for each, the sample's and other provinces'.
NAMES = {
    "revenue_expenditure_summary": [
        "财务收支预算总表",
        "财务收支预算表",
        "收支总表",
        "部门收支总表",
        "收支总体情况表",
        "部门收支总体情况表",
        "收支预算总表",
        "预算单位财务收支预算总表",
    ],
    "revenue_summary": [
        "收入预算总表",
        "收入预算表",
        "收入总表",
        "部门收入总表",
        "收入总体情况表",
    ],
    "expenditure_summary": [
        "支出预算总表",
        "支出预算表",
        "支出总表",
        "部门支出总表",
        "支出总体情况表",
        "本年支出总体情况表",
    ],
    "fiscal_summary": [
        "财政拨款收支预算总表",
        "财政拨款收支总表",
        "财政拨款收支预算表",
        "财政拨款收支总体情况表",
    ],
    "fiscal_functional": ["财政拨款支出预算表（功能科目）", "财政拨款支出表（功能科目）"],
    "general_budget_functional": [
        "一般公共预算支出功能分类预算表",
        "一般公共预算支出表",
        "一般公共预算财政拨款支出表",
        "一般公共预算支出情况表（按功能分类科目）",
        "一般公共预算支出预算表（功能科目）",
        "一般公共预算拨款支出预算表",
    ],
    "government_fund": [
        "政府性基金预算支出功能分类预算表",
        "政府性基金预算支出表",
        "政府性基金支出预算表",
        "政府性基金预算支出情况表",
        "政府性基金财政拨款支出预算表",
        "财政拨款政府性基金支出预算表",
    ],
    "state_capital": [
        "国有资本经营预算支出功能分类预算表",
        "国有资本经营预算支出表",
        "国有资本经营预算支出情况表",
    ],
    "fiscal_basic_economic": [
        "财政拨款基本支出预算表（经济科目）",
        "财政拨款基本支出表（经济科目）",
    ],
    "general_budget_basic_economic": [
        "一般公共预算基本支出部门预算经济分类预算表",
        "一般公共预算基本支出经济分类预算表",
        "经济分类预算表",
        "一般公共预算基本支出表",
        "一般公共预算基本支出情况表（按经济分类科目）",
        "一般公共预算基本支出预算表（经济科目）",
    ],
    "general_budget_project_economic": ["一般公共预算项目支出情况表（按经济分类科目）"],
    "operating_funds": ["一般公共预算机关运行经费支出预算表", "机关运行经费预算表"],
    "three_public": [
        "“三公”经费和机关运行经费预算表",
        '"三公"经费和机关运行经费预算表',
        "三公经费和机关运行经费预算表",
        "“三公”经费预算表",
        "一般公共预算“三公”经费支出表",
        "一般公共预算“三公”经费支出情况表",
        "财政拨款“三公”经费支出情况表",
        "财政拨款安排的行政经费及“三公”经费预算表",
        "一般公共预算“三公”经费、会议费、培训费支出预算表",
    ],
}
BEFORE = [
    "",
    "2025年",
    "2026 年",
    "部门",
    "单位",
    "2025年部门",
    "2026年预算单位",
    "上海市普陀区司法局",
    "上海市普陀区商务委员会2025年部门",
    "上海市普陀区人民政府（办公室）",
    "上海市普陀区人民政府(办公室)单位",
]
NUMBERS = ["", "表1", "表 12 ", "表一", "公开01表", "一、", "9. "]  # printed before the title
TITLES = [
    (f"{number}{before}{name}{after}", kind)
    for (kind, names), before, after in product(NAMES.items(), BEFORE, ["", "  "])
    for name in names
    for number in NUMBERS[: 1 if before else len(NUMBERS)]
]


def claims(text: str) -> list[tuple[int, str]]:
    """(where the name starts, kind id) for every kind whose title pattern matches `text`."""
    matches = [(k, k.match_title(text)) for k in kinds("budget")]
    return sorted((m.start("title"), k.id) for k, m in matches if m)


def test_the_catalog_loads_and_validates():
    all_kinds = load_catalog().kinds
    ids = [k.id for k in all_kinds]
    assert len(ids) == len(set(ids))
    assert {
        "revenue_expenditure_summary",
        "revenue_summary",
        "expenditure_summary",
        "fiscal_summary",
        "general_budget_functional",
        "general_budget_basic_economic",
        "three_public",
        "government_fund",
        "state_capital",
        "units",
        "performance_targets",
        "procurement",
        "operating_funds",
        "state_assets",
    } <= set(ids)
    for kind in all_kinds:
        assert kind.id and kind.name and kind.titles
        assert kind.phase in ("budget", "final_accounts")
        for title in kind.titles:
            re.compile(title)
        assert kind.unit in ("元", "万元")
    assert kind_by_id("three_public").unit == "万元"
    required = {k.id: k.code_column for k in kinds("budget") if k.required}
    assert required == {
        "revenue_expenditure_summary": None,
        "revenue_summary": "function_code",
        "expenditure_summary": "function_code",
        "fiscal_summary": None,
        "general_budget_functional": "function_code",
        "government_fund": "function_code",
        "general_budget_basic_economic": "economic_code",
        "three_public": None,
    }
    two_sided = {k.id for k in kinds("budget") if k.rows == "two_sided"}
    assert two_sided == {"revenue_expenditure_summary", "fiscal_summary"}
    # the final accounts' nine tables, each the national table of its family
    final = kinds("final_accounts")
    assert sorted(k.printed_number for k in final) == list(range(1, 10))
    assert {k.family for k in final} == set(required) | {"state_capital"}
    assert {k.family for k in final if k.rows == "two_sided"} == two_sided
    assert {k.scope for k in all_kinds} == {"national", "hebei"}


@pytest.mark.parametrize(
    ("yaml_text", "error"),
    [
        ("kinds:\n  - {id: x, name: X, titles: ['(']}\n", re.error),
        ("kinds:\n  - {id: x, name: X, titles: []}\n", ValueError),
        ("kinds:\n  - {id: x, titles: [表]}\n", ValueError),
        ("kinds:\n  - {id: x, name: X, titles: [表], columns: {合计: totl}}\n", ValueError),
        ("kinds:\n  - {id: x, name: X, titles: [表], rows: two_sided}\n", ValueError),
    ],
)
def test_a_broken_catalog_is_refused(tmp_path, yaml_text, error):
    path = tmp_path / "kinds.yaml"
    defaults = "defaults: {phase: budget, title_frame: '^{titles}$', unit_pattern: x, unit: 元, "
    columns = "columns: {total: 合计}\n"
    path.write_text(
        defaults + "rows: classified, scope: national, required: false}\n" + columns + yaml_text,
        encoding="utf-8",
    )
    with pytest.raises(error):
        load_catalog(path)


def test_two_kinds_with_one_id_are_refused(tmp_path):
    path = tmp_path / "kinds.yaml"
    path.write_text(
        "defaults: {phase: budget, title_frame: '^{titles}$', unit_pattern: x, unit: 元, "
        "rows: classified, scope: national, required: false}\nkinds:\n"
        "  - {id: a, name: A, titles: [甲表]}\n"
        "  - {id: a, name: B, titles: [乙表]}\n",
        encoding="utf-8",
    )
    with pytest.raises(ValueError, match="declared twice"):
        load_catalog(path)


@pytest.mark.parametrize(("title", "kind_id"), TITLES)
def test_a_title_is_recognised_whatever_comes_before_its_name(title, kind_id):
    kind = kind_of_title(title)
    assert kind is not None and kind.id == kind_id, title


@pytest.mark.parametrize(
    "text",
    [
        "详见附表：2025年部门财务收支预算总表",
        "详见部门支出预算总表",
        "具体情况见一般公共预算支出功能分类预算表",
        "2025年部门财务收支预算总表。",
        "本部门编制了收入预算总表，并按规定公开财政拨款收支预算总表",
        "根据规定，本表为“三公”经费和机关运行经费预算表",
        "一般公共预算支出功能分类预算表情况说明",
        "部门预算",
        "",
    ],
)
def test_a_sentence_naming_a_table_is_not_a_title(text):
    assert kind_of_title(text) is None


def test_template_a_titles():
    performance = kind_by_id("performance_targets")
    match = performance.match_title("12、“双创”项目（一期）、配套经费绩效目标表  ")
    assert (match.group("number"), match.group("subject")) == ("12", "“双创”项目（一期）、配套经费")
    assert performance.match_title("详见绩效目标表") is None
    hebei = {"scope": "hebei"}
    assert kind_of_title("12、基层党建项目绩效目标表", **hebei).id == "performance_targets"
    assert kind_of_title("部门机构设置情况", **hebei).id == "units"
    assert kind_of_title("部门政府采购预算", **hebei).id == "procurement"
    assert kind_of_title("部门固定资产占用情况表", **hebei).id == "state_assets"
    assert kind_of_title("2021年，市委部门安排政府采购预算 0.00 万元。", **hebei) is None
    # Hebei's own kinds are not the national tables, nor the reverse
    assert kind_of_title("部门政府采购预算") is None
    assert kind_of_title("2025年部门收入预算总表", **hebei) is None


@pytest.mark.parametrize(
    ("kind_id", "label", "column"),
    [
        ("revenue_expenditure_summary", "预算数", "amount"),
        ("revenue_expenditure_summary", "本年预算数", "amount"),
        ("revenue_expenditure_summary", "项目", "name"),
        ("fiscal_summary", "本年预算数", "amount"),
        ("fiscal_summary", "政府性基金预算", "fund_budget"),
        ("revenue_summary", "事业单位经营收入", "operating_revenue"),
        ("revenue_summary", "事业单位", "operating_revenue"),
        ("expenditure_summary", "合计", "total"),
        ("expenditure_summary", "合 计", "total"),
        ("general_budget_functional", "功能分类科目名称", "name"),
        ("general_budget_functional", "科目名称", "name"),
        ("general_budget_functional", "项目", "name"),
        ("general_budget_functional", "类", "class_code"),
        ("general_budget_functional", "款", "item_code"),
        ("general_budget_functional", "项", "subitem_code"),
        ("general_budget_functional", "人员经费", "personnel"),
        ("general_budget_functional", "其中：基本支出", "basic"),
        ("general_budget_basic_economic", "部门经济分类科目名称", "name"),
        ("general_budget_basic_economic", "公用经费", "public_expense"),
        ("general_budget_basic_economic", "项", None),
        ("three_public", "合计", "total"),
        ("three_public", "因公出国(境)费", "outbound"),
        ("three_public", "因公出国（境）费", "outbound"),
        ("three_public", "公务用车购置及运行费", "vehicle_total"),
        ("three_public", "小计", "vehicle_total"),
        ("three_public", "公务用车购置费", "vehicle_purchase"),
        ("three_public", "运行费", "vehicle_operation"),
        ("three_public", "机关运行经费预算数", "operating_funds"),
        ("units", "经费保障形式", "funding_form"),
        ("performance_targets", "指标值确定依据", "basis"),
    ],
)
def test_header_labels_map_to_canonical_columns(kind_id, label, column):
    assert header_column(kind_by_id(kind_id), label) == column


def test_header_rows_and_units():
    assert is_header_row(kind_by_id("state_assets"), ["项 目", "数量", "价值（金额单位：万元）"])
    assert is_header_row(kind_by_id("procurement"), ["项目名称", "预算资金"])
    assert is_header_row(kind_by_id("units"), ["单位名称", "单位性质"])
    assert not is_header_row(kind_by_id("units"), ["中共南宫市委办公室", "行政"])
    assert not is_header_row(kind_by_id("three_public"), ["合计"])  # B reads its headers by label
    kind = kind_by_id("expenditure_summary")
    assert table_unit(kind, "编制部门：上海市普陀区商务委员会\t单位：元") == "元"
    assert table_unit(kind, "单位:万元") == "万元"
    assert table_unit(kind, "金额单位：元") == "元"
    assert table_unit(kind, "单位 ： 万元") == "万元"
    assert table_unit(kind, "单位名称") is None


# --- a Putuo budget printed with alias titles and headers ----------------------------------

ALIAS_TITLES = {
    "2025年部门财务收支预算总表": "上海市普陀区商务委员会2025年部门收支总表",
    "2025年部门收入预算总表": "2025年部门收入预算表",
    "2025年部门支出预算总表": "部门支出总表  ",
    "2025年部门财政拨款收支预算总表": "2025年财政拨款收支总表",
    "2025年部门一般公共预算支出功能分类预算表": "2025年部门一般公共预算支出表",
    "2025年部门政府性基金预算支出功能分类预算表": "政府性基金预算支出表",
    "2025年部门国有资本经营预算支出功能分类预算表": "2025 年国有资本经营预算支出表",
    "2025年部门一般公共预算基本支出部门预算经济分类预算表": (
        "2025年部门一般公共预算基本支出经济分类预算表"
    ),
    "2025年部门“三公”经费和机关运行经费预算表": '2025年部门"三公"经费和机关运行经费预算表',
}
ALIAS_CELLS = {
    "预算数": "本年预算数",
    "功能分类科目名称": "科目名称",
    "因公出国(境)费": "因公出国（境）费",
    "购置费": "公务用车购置费",
    "运行费": "公务用车运行维护费",
    "单位：元": "金额单位：元",
}


def _aliased(line):
    if line.text in ALIAS_TITLES:
        return replace(line, text=ALIAS_TITLES[line.text])
    cells = [ALIAS_CELLS.get(cell, cell) for cell in line.text.split("\t")]
    return replace(line, text="\t".join(cells))


def _figures(records: dict) -> tuple:
    tables = [(t["table_kind"], t["unit_text"], t["row_count"]) for t in records["budget_tables"]]
    rows = [{k: v for k, v in r.items() if k != "raw_text"} for r in records["budget_table_rows"]]
    amounts = [
        (a["table_kind"], a["row_ordinal"], a["column_id"], a["amount_text"], a["amount_yuan"])
        for a in records["budget_table_amounts"]
    ]
    return tables, rows, amounts


def test_alias_titles_and_headers_parse_to_the_same_figures():
    lines = read_pdf(PDF.read_bytes())
    aliased = [_aliased(line) for line in lines]
    assert sum(a.text in ALIAS_TITLES.values() for a in aliased) == 9
    assert sum(a.text != b.text for a, b in zip(lines, aliased, strict=True)) >= 20
    printed = _figures(template_b.parse(lines, "k"))
    again = _figures(template_b.parse(aliased, "k"))
    assert [t for t, _, _ in again[0]] == list(NINE)
    assert again == printed
    assert len(printed[2]) > 100


def test_the_catalog_is_read_once():
    assert catalog.load_catalog() is catalog.load_catalog()
