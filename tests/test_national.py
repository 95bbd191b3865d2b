"""Any province's disclosure, read by the national parser: documents written here in the
forms provinces print (titles with their numbers and years, a 收支总表 of labelled items, a
支出总表 with codes in brackets or names alone, a 三公 table of categories as rows or under a
heading), and the real documents of seven provinces (`sample/national/`) with figures read by
hand from their PDFs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import ROOT

from orchestration.parse.document import parse_bytes

NATIONAL = ROOT / "sample" / "national"


def W(text: str) -> Decimal:
    """万元 as printed, in 元."""
    return (Decimal(text.replace(",", "")) * 10000).quantize(Decimal("0.01"))


def document(*parts: str) -> bytes:
    """A text disclosure: its lines, cells separated by tabs."""
    return "\n".join(parts).encode("utf-8")


NARRATIVE = [
    "第一部分 部门概况",
    "贯彻执行国家统计工作的方针政策和法律法规，组织实施全市统计调查，承办市政府交办的其他事项。",
    "本部门设办公室、综合统计科、普查中心等内设机构，下属事业单位一个，均纳入本部门预算。",
    "一、部门收支总体情况",
    "2026年收入预算100.00万元，支出预算100.00万元，其中：基本支出70.00万元，项目支出30.00万元。",
    "二、“三公”经费预算情况说明",
    "2026年“三公”经费预算5.00万元，比2025年减少1.00万元。其中：因公出国（境）费用0.00万元，"
    "公务用车购置及运行维护费3.00万元，公务接待费2.00万元。",
    "三、机关运行经费",
    "2026年机关运行经费预算20.00万元，比上年增加2.00万元，主要用于办公费、水电费等。",
    "四、名词解释",
    "基本支出：指为保障机构正常运转、完成日常工作任务而发生的人员支出和公用支出。",
]


def tables(*, summary_title: str, expenditure_rows: list[str], three_public: list[str]) -> list:
    return [
        summary_title,
        "部门名称：临江市统计局\t单位：万元",
        "收入\t\t支出\t",
        "项目\t预算数\t项目\t预算数",
        "一、一般公共预算拨款收入\t90.00\t一、一般公共服务支出\t85.00",
        "二、政府性基金预算拨款收入\t0.00\t二、社会保障和就业支出\t15.00",
        "三、事业收入\t10.00\t\t",
        "本年收入合计\t100.00\t本年支出合计\t100.00",
        "收入总计\t100.00\t支出总计\t100.00",
        "表3",
        "2026年部门支出总体情况表",
        "单位：万元",
        "科目编码\t科目名称\t合计\t基本支出\t项目支出",
        "合计\t\t100.00\t70.00\t30.00",
        *expenditure_rows,
        "表7",
        "2026年一般公共预算“三公”经费支出情况表",
        "单位：万元",
        *three_public,
    ]


CODED = [
    "[201]一般公共服务支出\t85.00\t55.00\t30.00",
    "[20105]统计信息事务\t85.00\t55.00\t30.00",
    "[2010501]行政运行\t55.00\t55.00\t0.00",
    "[2010505]专项统计业务\t30.00\t0.00\t30.00",
    "[208]社会保障和就业支出\t15.00\t15.00\t0.00",
    "[20805]行政事业单位养老支出\t15.00\t15.00\t0.00",
    "[2080505]机关事业单位基本养老保险缴费支出\t15.00\t15.00\t0.00",
]
# the same rows printing their names alone: each takes its code from the classification,
# under the 类 and 款 printed above it (行政运行 is a 项 of many 款)
NAMED = [row.split("]", 1)[1] for row in CODED]
ROWS_OF_CATEGORIES = [
    "项目\t合计\t一般公共预算\t政府性基金预算",
    "“三公”经费\t5.00\t5.00\t0.00",
    "其中：（一）因公出国（境）支出\t0.00\t0.00\t0.00",
    "（二）公务用车购置及运行维护支出\t3.00\t3.00\t0.00",
    "1.公务用车购置费\t0.00\t0.00\t0.00",
    "2.公务用车运行维护费\t3.00\t3.00\t0.00",
    "（三）公务接待费支出\t2.00\t2.00\t0.00",
]
# a row of categories under their headings, with 会议费 and 培训费 beside the 三公: the 合计
# is all of them, the 小计 under “三公”经费 the 三公's (columns placed by grid index)
CATEGORIES_UNDER_A_HEADING = [
    "合计\t“三公”经费\t\t\t\t\t\t会议费\t培训费",
    "\t小计\t因公出国（境）费\t公务用车购置及运行维护费\t\t\t公务接待费\t\t",
    "\t\t\t小计\t公务用车购置费\t公务用车运行维护费\t\t\t",
    "8.50\t5.00\t0.00\t3.00\t0.00\t3.00\t2.00\t2.50\t1.00",
]


def read(**layout) -> dict:
    records = parse_bytes(
        document(
            "2026年临江市统计局部门预算",
            *NARRATIVE,
            *tables(**layout),
        )
    )
    assert records["documents"][0]["status"] == "parsed", records["documents"][0]
    return records


def rows_of(records: dict, kind: str) -> list[tuple[dict, dict]]:
    (table,) = [t for t in records["budget_tables"] if t["table_kind"] == kind]
    amounts: dict[int, dict] = {}
    for a in records["budget_table_amounts"]:
        if a["table_ordinal"] == table["table_ordinal"]:
            amounts.setdefault(a["row_ordinal"], {})[a["column_id"]] = a["amount_yuan"]
    rows = [r for r in records["budget_table_rows"] if r["table_ordinal"] == table["table_ordinal"]]
    return [(r, amounts.get(r["row_ordinal"], {})) for r in rows]


@pytest.mark.parametrize(
    "summary_title",
    ["表1", "2026年部门收支总体情况表", "一、收支总表", "公开01表 收支预算总表"],
)
def test_a_disclosure_of_any_province_is_recognised_and_read(summary_title):
    title = summary_title if summary_title != "表1" else "2026年部门收支总表"
    records = read(summary_title=title, expenditure_rows=CODED, three_public=ROWS_OF_CATEGORIES)
    doc = records["documents"][0]
    assert (doc["template"], doc["kind"], doc["level"], doc["fiscal_year"]) == (
        "national",
        "budget",
        "department",
        2026,
    )
    assert doc["department_name"] == "临江市统计局" and doc["part"] == "whole"
    assert [t["table_kind"] for t in records["budget_tables"]] == [
        "revenue_expenditure_summary",
        "expenditure_summary",
        "three_public",
    ]
    summary = {
        r["row_item"]: (r["side"], r["row_role"], a)
        for r, a in rows_of(records, "revenue_expenditure_summary")
    }
    assert summary["income_total"] == ("income", "total", {"amount": W("100.00")})
    assert summary["expenditure_year_total"] == ("expenditure", "subtotal", {"amount": W("100")})
    assert summary["general_budget_revenue"][2] == {"amount": W("90.00")}
    classes = [
        r["function_code"]
        for r, _ in rows_of(records, "revenue_expenditure_summary")
        if r["row_item"] == "function_class"
    ]
    assert classes == ["201", "208"]  # the expenditure side's classes, by their names


def test_a_name_printed_without_its_code_gets_it_under_the_rows_above():
    coded = read(summary_title="收支总表", expenditure_rows=CODED, three_public=ROWS_OF_CATEGORIES)
    named = read(summary_title="收支总表", expenditure_rows=NAMED, three_public=ROWS_OF_CATEGORIES)
    codes = [
        (r["function_code"], r["code_source"]) for r, _ in rows_of(coded, "expenditure_summary")
    ]
    assert [code for code, _ in codes] == [
        None,
        "201",
        "20105",
        "2010501",
        "2010505",
        "208",
        "20805",
        "2080505",
    ]
    assert {source for _, source in codes[1:]} == {"printed"}
    read_by_name = [
        (r["function_code"], r["code_source"]) for r, _ in rows_of(named, "expenditure_summary")
    ]
    assert [code for code, _ in read_by_name] == [code for code, _ in codes]
    assert {source for _, source in read_by_name[1:]} == {"classification"}
    roles = [r["row_role"] for r, _ in rows_of(named, "expenditure_summary")]
    assert roles == [
        "total",
        "subtotal",
        "subtotal",
        "line",
        "line",
        "subtotal",
        "subtotal",
        "line",
    ]


def test_a_printed_code_is_checked_against_its_name():
    wrong = [row.replace("[2010505]专项统计业务", "[2010505]行政运行") for row in CODED]
    records = read(
        summary_title="收支总表", expenditure_rows=wrong, three_public=ROWS_OF_CATEGORIES
    )
    checked = {
        r["function_code"]: (r["code_matches_name"], r["classification_name"])
        for r, _ in rows_of(records, "expenditure_summary")
        if r["function_code"]
    }
    assert checked["2010505"] == (False, "专项统计业务")
    assert checked["2010501"] == (True, None)


@pytest.mark.parametrize("layout", [ROWS_OF_CATEGORIES, CATEGORIES_UNDER_A_HEADING])
def test_three_public_categories_as_rows_or_under_headings(layout):
    records = read(summary_title="收支总表", expenditure_rows=CODED, three_public=layout)
    rows = rows_of(records, "three_public")
    if layout is ROWS_OF_CATEGORIES:
        by_item = {r["row_item"]: a["total"] for r, a in rows}
        assert by_item == {
            "three_public_total": W("5.00"),
            "outbound": W("0"),
            "vehicle_total": W("3.00"),
            "vehicle_purchase": W("0"),
            "vehicle_operation": W("3.00"),
            "reception": W("2.00"),
        }
    else:
        ((_, amounts),) = rows
        assert amounts == {
            "total": W("8.50"),
            "three_public_total": W("5.00"),
            "outbound": W("0"),
            "vehicle_total": W("3.00"),
            "vehicle_purchase": W("0"),
            "vehicle_operation": W("3.00"),
            "reception": W("2.00"),
            "meeting": W("2.50"),
            "training": W("1.00"),
        }


def test_the_narrative_is_read_in_the_provinces_words():
    records = read(
        summary_title="收支总表", expenditure_rows=CODED, three_public=ROWS_OF_CATEGORIES
    )
    stated = {s["item"]: s["amount_yuan"] for s in records["stated_amounts"]}
    assert stated["revenue_total"] == W("100.00")
    assert stated["basic_expenditure"] == W("70.00")
    assert stated["three_public_total"] == W("5.00")
    assert stated["three_public_total_change"] == -W("1.00")
    assert stated["operating_funds"] == W("20.00")
    assert stated["reception"] == W("2.00")


def test_a_tables_file_and_a_narrative_file_are_parts_of_one_disclosure():
    layout = {"expenditure_rows": CODED, "three_public": ROWS_OF_CATEGORIES}
    tables_only = parse_bytes(
        document("2026年临江市统计局部门预算", *tables(summary_title="收支总表", **layout))
    )
    narrative_only = parse_bytes(document("临江市统计局2026年部门预算情况说明", *NARRATIVE))
    parts = {
        r["documents"][0]["part"]: r["documents"][0]["canonical_name"]
        for r in (tables_only, narrative_only)
    }
    assert parts == {"tables": "临江市统计局", "narrative": "临江市统计局"}


def test_one_entity_printed_several_ways_is_keyed_by_one_name():
    names = {
        parse_bytes(document(f"{name}2019年部门预算", *NARRATIVE))["documents"][0]["canonical_name"]
        for name in ("中国共产党临江市委员会办公室", "中共临江市委办公室", "临江市委办公室")
    }
    assert names == {"临江市委办公室"}


# sources printed as rows, one 金额 each (收入预算总表), and a 财政拨款收支总表 whose header
# names each side's label and amount columns under 收入 | 支出 (支出用途 over the second pair)
SOURCES_AS_ROWS = [
    "收入预算总表",
    "部门：临江市统计局\t单位：万元",
    "项目名称\t\t金额",
    "收入总计\t\t100.00",
    "一般公共预算资金\t小计\t90.00",
    "\t公共财政拨款(补助)资金\t90.00",
    "其他资金\t小计\t10.00",
    "\t事业收入\t10.00",
    "财政拨款收支预算总表",
    "部门：临江市统计局\t单位：万元",
    "收入\t\t支出\t",
    "项目名称\t金额\t支出用途\t",
    "\t\t项目名称\t金额",
    "一、一般公共预算\t90.00\t一、基本支出\t60.00",
    "二、政府性基金预算\t\t二、项目支出\t30.00",
    "收入合计\t90.00\t支出合计\t90.00",
]


def test_sources_printed_as_rows_and_a_header_naming_each_side_get_their_columns():
    layout = {"expenditure_rows": CODED, "three_public": ROWS_OF_CATEGORIES}
    records = parse_bytes(
        document(
            "2026年临江市统计局部门预算",
            *NARRATIVE,
            *tables(summary_title="收支总表", **layout),
            *SOURCES_AS_ROWS,
        )
    )
    sources = {r["name"]: a for r, a in rows_of(records, "revenue_summary")}
    assert sources["收入总计"] == {"amount": W("100.00")}
    assert sources["公共财政拨款(补助)资金"] == {"amount": W("90.00")}
    assert sources["其他资金 小计"] == {"amount": W("10.00")}
    fiscal = {r["row_item"]: (r["side"], a) for r, a in rows_of(records, "fiscal_summary")}
    assert fiscal["general_budget_revenue"] == ("income", {"amount": W("90.00")})
    assert fiscal["basic"] == ("expenditure", {"amount": W("60.00")})
    assert fiscal["expenditure_year_total"] == ("expenditure", {"amount": W("90.00")})
    assert all(a["column_id"] for a in records["budget_table_amounts"])


def test_the_last_entry_of_a_contents_list_is_no_table_of_the_narrative_after_it():
    """A sentence opening with a year that the reader set apart reads like a row: after the
    contents' last entry and the narrative's first part, it is narrative, not that table's."""
    records = parse_bytes(
        document(
            "临江市统计局2026年部门预算",
            "目录",
            "一、收支总表",
            "二、政府采购支出预算表",
            "第一部分 部门概况",
            "2026\t年是全面实施“十五五”规划的开局之年，本部门围绕全市统计工作大局开展工作。",
            *NARRATIVE,
        )
    )
    assert records["documents"][0]["status"] == "parsed"
    assert records.get("budget_tables", []) == []
    assert records.get("budget_table_amounts", []) == []


# --- the real documents of the national corpus ---------------------------------------------


@pytest.fixture(scope="module")
def national() -> dict[str, dict]:
    return {
        str(path.relative_to(NATIONAL)): parse_bytes(path.read_bytes())
        for path in sorted(NATIONAL.rglob("*.pdf"))
    }


def test_every_document_gets_a_status_and_a_reason(national):
    statuses = {name: r["documents"][0]["status"] for name, r in national.items()}
    assert {n for n, s in statuses.items() if s == "unreadable"} == {
        "fujian/quanzhou_commerce_2026_department_budget_scanned.pdf",
        "hunan/changsha_market_regulation_2026_department_budget_scanned.pdf",
    }
    assert statuses["hunan/changsha_project_performance_evaluation_report.pdf"] == "unsupported"
    assert {s for n, s in statuses.items() if "scanned" not in n and "report" not in n} == {
        "parsed"
    }


def test_final_accounts_of_any_province_are_read_through_the_final_accounts_tables():
    """A university's 收支决算总表 and 支出决算表: the final accounts' kinds, not a budget's."""
    records = parse_bytes(
        document(
            "临江职业技术学院2024年度单位决算",
            *[line.replace("2026", "2024").replace("预算", "决算") for line in NARRATIVE],
            "2024年收支决算总表",
            "单位：万元",
            "收入\t\t支出\t",
            "项目\t决算数\t项目\t决算数",
            "一、财政拨款收入\t80.00\t一、教育支出\t95.00",
            "二、事业收入\t20.00\t二、住房保障支出\t5.00",
            "本年收入合计\t100.00\t本年支出合计\t100.00",
            "年初结转和结余\t5.00\t年末结转和结余\t5.00",
            "总计\t105.00\t总计\t105.00",
            "2024年支出决算表",
            "单位：万元",
            "科目编码\t科目名称\t本年支出合计\t基本支出\t项目支出",
            "合计\t\t100.00\t60.00\t40.00",
            "205\t教育支出\t95.00\t55.00\t40.00",
            "20503\t职业教育\t95.00\t55.00\t40.00",
            "2050305\t高等职业教育\t95.00\t55.00\t40.00",
            "221\t住房保障支出\t5.00\t5.00\t0.00",
            "22102\t住房改革支出\t5.00\t5.00\t0.00",
            "2210201\t住房公积金\t5.00\t5.00\t0.00",
        )
    )
    doc = records["documents"][0]
    assert (doc["template"], doc["kind"], doc["level"], doc["fiscal_year"]) == (
        "national",
        "final_accounts",
        "unit",
        2024,
    )
    assert [t["table_kind"] for t in records["budget_tables"]] == [
        "fa_revenue_expenditure_summary",
        "fa_expenditure",
    ]
    items = {
        (r["side"], r["row_item"]): a for r, a in rows_of(records, "fa_revenue_expenditure_summary")
    }
    assert items["income", "income_year_total"] == {"amount": W("100.00")}
    assert items["income", "opening_balance"] == {"amount": W("5.00")}
    assert items["expenditure", "closing_balance"] == {"amount": W("5.00")}
    assert items["expenditure", "grand_total"] == {"amount": W("105.00")}
    leaves = [r["function_code"] for r, _ in rows_of(records, "fa_expenditure") if r["level"] == 3]
    assert leaves == ["2050305", "2210201"]
