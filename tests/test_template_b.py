"""Template B on the four real Putuo (Shanghai) budgets: golden figures, read from the PDFs.

Figures are asserted as printed, including the documents' own mistakes (see the tests named
`..._as_printed`); money is in 元 (万元 × 10000).
"""

from __future__ import annotations

import json
import time
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from orchestration.load.schema import raw_tables
from orchestration.parse import template_a, template_b
from orchestration.parse.catalog import kind_by_id
from orchestration.parse.layout import decode_text, text_lines
from orchestration.parse.run import dumps
from orchestration.read.pdf import read_pdf

ROOT = Path(__file__).resolve().parent.parent
SHANGHAI = ROOT / "sample" / "shanghai"
HEBEI = ROOT / "sample" / "hebei" / "nangong_party_committee_2021_department_budget.txt"
# the nine tables of a Shanghai budget, in print order (kinds of the catalog)
NINE = (
    "revenue_expenditure_summary",
    "revenue_summary",
    "expenditure_summary",
    "fiscal_summary",
    "general_budget_functional",
    "government_fund",
    "state_capital",
    "general_budget_basic_economic",
    "three_public",
)
NAMES = [
    "putuo_commerce_2025_department_budget",
    "putuo_commerce_2025_unit_budget",
    "putuo_justice_2026_department_budget",
    "putuo_justice_2026_unit_budget",
]
COMMERCE_DEPT, COMMERCE_UNIT, JUSTICE_DEPT, JUSTICE_UNIT = NAMES


def D(text: str) -> Decimal:
    return Decimal(text)


@pytest.fixture(scope="module")
def lines() -> dict[str, list]:
    return {name: read_pdf((SHANGHAI / f"{name}.pdf").read_bytes()) for name in NAMES}


@pytest.fixture(scope="module")
def docs(lines) -> dict[str, dict[str, list[dict]]]:
    return {name: template_b.parse(lines[name], name) for name in NAMES}


def stated(records: dict) -> dict[str, Decimal]:
    return {s["item"]: s["amount_yuan"] for s in records["stated_amounts"]}


def counts(records: dict) -> dict[str, int]:
    return {s["item"]: s["count"] for s in records["stated_counts"]}


def table(records: dict, kind: str) -> list[tuple[dict, dict[str, Decimal]]]:
    """A standard table's rows, each with its amounts by column id."""
    (meta,) = [t for t in records["budget_tables"] if t["table_kind"] == kind]
    amounts: dict[int, dict[str, Decimal]] = {}
    for a in records["budget_table_amounts"]:
        if a["table_ordinal"] == meta["table_ordinal"]:
            amounts.setdefault(a["row_ordinal"], {})[a["column_id"]] = a["amount_yuan"]
    rows = [r for r in records["budget_table_rows"] if r["table_ordinal"] == meta["table_ordinal"]]
    return [(row, amounts.get(row["row_ordinal"], {})) for row in rows]


def totals(records: dict, kind: str, side: str | None = None) -> dict[str, Decimal]:
    (amounts,) = [
        a for r, a in table(records, kind) if r["row_role"] == "total" and r["side"] == side
    ]
    return amounts


def parent_mismatches(records: dict, kind: str) -> list[tuple[str, str, Decimal, Decimal]]:
    """(code, column, printed, sum of its children) wherever a 类/款 row is not its rows' sum."""
    key = kind_by_id(kind).code_column
    coded = [(r, a) for r, a in table(records, kind) if r[key]]
    out = []
    for row, amounts in coded:
        children = [
            a for r, a in coded if r["level"] == row["level"] + 1 and r[key].startswith(row[key])
        ]
        for column in sorted({c for a in [amounts, *children] for c in a}):
            total = sum((a.get(column, Decimal(0)) for a in children), Decimal(0))
            if children and amounts.get(column, Decimal(0)) != total:
                out.append((row[key], column, amounts.get(column), total))
    return out


# --- identity --------------------------------------------------------------------------------

IDENTITY = {
    COMMERCE_DEPT: ("上海市普陀区2025年区级部门预算", 2025, "department", "上海市普陀区商务委员会"),
    COMMERCE_UNIT: ("上海市普陀区2025年区级单位预算", 2025, "unit", "上海市普陀区商务委员会"),
    JUSTICE_DEPT: ("上海市普陀区2026年区级部门预算", 2026, "department", "上海市普陀区司法局"),
    JUSTICE_UNIT: ("上海市普陀区2026年区级单位预算", 2026, "unit", "上海市普陀区司法局"),
}


@pytest.mark.parametrize("name", NAMES)
def test_document_identity(docs, lines, name):
    assert template_b.is_template_b(lines[name])
    (doc,) = docs[name]["documents"]
    title, year, level, entity = IDENTITY[name]
    assert (doc["title"], doc["fiscal_year"], doc["level"], doc["department_name"]) == (
        title,
        year,
        level,
        entity,
    )
    assert (doc["template"], doc["kind"], doc["region_text"], doc["department_code"]) == (
        "B",
        "budget",
        "上海市普陀区",
        None,
    )
    assert (doc["document_key"], doc["line_no"], doc["page"]) == (name, 1, 1)


def test_documents_record_has_template_a_keys(docs):
    hebei = text_lines(decode_text(HEBEI.read_bytes()))
    assert not template_b.is_template_b(hebei)
    (a_doc,) = template_a.parse(hebei, "k")["documents"]
    for name in NAMES:
        assert docs[name]["documents"][0].keys() == a_doc.keys()


def test_records_fit_the_raw_schema_and_serialise(docs):
    for name in NAMES:
        records = docs[name]
        json.loads(dumps(records))
        for table_name, rows in records.items():
            columns = raw_tables()[table_name].names
            for row in rows:
                assert row.keys() <= columns, (table_name, row.keys() - columns)
                assert row["document_key"] == name and row["line_no"] and row["page"]


# --- 主要职能, 机构设置, 名词解释 --------------------------------------------------------------


def test_duties_units_glossary(docs):
    summary = {
        name: (
            len(docs[name]["duties"]),
            [u["unit_name"] for u in docs[name].get("units", [])],
            len(docs[name].get("internal_offices", [])),
            [g["term"] for g in docs[name]["glossary"]][-1],
            len(docs[name]["glossary"]),
        )
        for name in NAMES
    }
    assert summary == {
        COMMERCE_DEPT: (13, ["商务委本部", "上海市普陀区中小企业服务中心"], 9, "机关运行经费", 8),
        COMMERCE_UNIT: (13, [], 9, "机关运行经费", 8),
        JUSTICE_DEPT: (11, ["普陀区司法局本部", "普陀区法律援助中心"], 0, "机关运行经费", 8),
        JUSTICE_UNIT: (10, [], 12, "机关运行经费", 8),
    }
    duties = docs[COMMERCE_DEPT]["duties"]
    assert duties[8]["duty_text"].endswith("规范流通秩序。")  # wrapped over pages 3 and 4
    offices = docs[JUSTICE_UNIT]["internal_offices"]
    assert offices[9]["office_name"] == "公共法律服务管理科（律师公证工作科）"
    assert counts(docs[JUSTICE_UNIT])["internal_offices"] == len(offices)
    assert counts(docs[JUSTICE_DEPT])["civil_service_managed_units"] == 1


def test_duty_eight_printed_twice_as_printed(docs):
    """The justice department budget prints duty （八） at the foot of page 4 (without its
    punctuation) and again, complete, at the top of page 5."""
    duties = docs[JUSTICE_DEPT]["duties"]
    assert [d["printed_number"] for d in duties] == [1, 2, 3, 4, 5, 6, 7, 8, 8, 9, 10]
    assert [d["page"] for d in duties if d["printed_number"] == 8] == [4, 5]
    assert duties[8]["duty_text"].endswith("负责本系统信息化建设。")


# --- narrative totals ------------------------------------------------------------------------

NARRATIVE = {
    COMMERCE_DEPT: ("371514700.00", "245581800.00", "244917100.00", 2024),
    COMMERCE_UNIT: ("371514700.00", "245581800.00", "244917100.00", 2024),
    JUSTICE_DEPT: ("96282200.00", "7931400.00", "7931400.00", 2026),
    JUSTICE_UNIT: ("86959400.00", "7948800.00", "7948800.00", 2025),
}


@pytest.mark.parametrize("name", NAMES)
def test_narrative_totals(docs, name):
    total, revenue_change, expenditure_change, year = NARRATIVE[name]
    figures = stated(docs[name])
    for item in ["revenue_total", "fiscal_revenue", "expenditure_total", "fiscal_expenditure"]:
        assert figures[item] == D(total), item
    assert figures["general_budget_expenditure"] == D(total)
    assert figures["fiscal_revenue_change"] == D(revenue_change)
    assert figures["fiscal_expenditure_change"] == D(expenditure_change)
    assert figures["general_budget_expenditure_change"] == D(expenditure_change)
    zero = ["business_revenue", "operating_revenue", "other_revenue", "fund_budget_expenditure"]
    zero += ["state_capital_expenditure", "fund_budget_expenditure_change"]
    zero += ["state_capital_expenditure_change"]
    assert {figures[item] for item in zero} == {D("0.00")}
    changes = [s for s in docs[name]["stated_amounts"] if s["item"].endswith("_change")]
    assert {s["reference_year"] for s in changes if s["section"] == "totals"} == {year}


def test_reference_year_errors_as_printed(docs):
    """The 2026 justice department budget compares 2026 with "2026年预算"."""
    change = next(
        s for s in docs[JUSTICE_DEPT]["stated_amounts"] if s["item"] == "fiscal_revenue_change"
    )
    assert (change["raw_text"], change["amount_text"], change["reference_year"]) == (
        "比2026年预算增加793.14万元",
        "增加793.14万元",
        2026,
    )
    held = next(
        s
        for s in docs[COMMERCE_DEPT]["stated_amounts"]
        if s["item"] == "fund_budget_expenditure_change"
    )
    assert (held["amount_text"], held["amount_yuan"], held["raw_text"]) == (
        "持平",
        D("0.00"),
        "比2024年预算执行数持平",
    )


# --- the nine tables -------------------------------------------------------------------------

TABLE_TOTALS = {  # 收支总表 收入总计 = 支出总计; 支出预算总表 合计 / 基本支出 / 项目支出
    COMMERCE_DEPT: ("371514655.00", "19830655.00", "351684000.00"),
    COMMERCE_UNIT: ("371514655.00", "19830655.00", "351684000.00"),
    JUSTICE_DEPT: ("96282213.44", "25741666.44", "70540547.00"),
    JUSTICE_UNIT: ("86959408.34", "22118861.00", "64840547.00"),
}


@pytest.mark.parametrize("name", NAMES)
def test_table_totals(docs, name):
    total, basic, project = (D(v) for v in TABLE_TOTALS[name])
    records = docs[name]
    assert totals(records, "revenue_expenditure_summary", "income") == {"amount": total}
    assert (
        totals(records, "revenue_expenditure_summary", "expenditure")[
            "total" if "unit" in name else "amount"
        ]
        == total
    )
    assert totals(records, "revenue_summary")["total"] == total
    assert totals(records, "revenue_summary")["fiscal_revenue"] == total
    for number in ("expenditure_summary", "general_budget_functional"):
        assert totals(records, number) == {"total": total, "basic": basic, "project": project}
    assert totals(records, "fiscal_summary", "income") == {"amount": total}
    assert totals(records, "fiscal_summary", "expenditure")["general_budget"] == total
    assert [len(table(records, n)) for n in ("government_fund", "state_capital")] == [
        0,
        0,
    ]  # printed empty
    assert [t["table_kind"] for t in records["budget_tables"]] == list(NINE)
    assert [t["unit_text"] for t in records["budget_tables"]] == ["元"] * 8 + ["万元"]


@pytest.mark.parametrize("name", NAMES)
def test_income_and_expenditure_items_of_table_1(docs, name):
    rows = table(docs[name], "revenue_expenditure_summary")
    expenditure = [r for r, _ in rows if r["side"] == "expenditure" and r["row_role"] == "line"]
    income = [r["name"] for r, _ in rows if r["side"] == "income" and r["row_role"] == "line"]
    assert income[0] == "一、财政拨款收入" and income[-1] == "四、其他收入" and len(income) == 7
    commerce = "commerce" in name
    assert len(expenditure) == (7 if commerce else 4)
    assert expenditure[0]["name"] == ("一、一般公共服务支出" if commerce else "一、公共安全支出")
    spent = sum(a.get("total", a.get("amount", 0)) for r, a in rows if r in expenditure)
    assert spent == D(TABLE_TOTALS[name][0])


def test_unit_table_1_split_columns_as_printed(docs):
    """Unit budgets split 支出 into 人员经费/公用经费/项目支出; the justice unit budget prints
    those without the cents and with a split that differs from its own table 8."""
    assert totals(docs[COMMERCE_UNIT], "revenue_expenditure_summary", "expenditure") == {
        "total": D("371514655.00"),
        "personnel": D("18120593.00"),
        "public_expense": D("1710062.00"),
        "project": D("351684000.00"),
    }
    justice = table(docs[JUSTICE_UNIT], "revenue_expenditure_summary")
    assert [a for r, a in justice if r["name"] == "一、公共安全支出"] == [
        {
            "total": D("79189400.34"),
            "personnel": D("12604173"),
            "public_expense": D("1744680"),
            "project": D("64840547"),
        }
    ]
    assert [a for r, a in justice if r["name"] == "二、社会保障和就业支出"] == [
        {  # '2,925,857.00 2,925,857.00' printed as one fused cell
            "total": D("2925857.00"),
            "personnel": D("2925857.00"),
            "public_expense": D("0.00"),
            "project": D("0.00"),
        }
    ]
    assert totals(docs[JUSTICE_UNIT], "revenue_expenditure_summary", "expenditure") == {
        "total": D("86959408.34"),
        "personnel": D("20374181"),
        "public_expense": D("1744680"),
        "project": D("64840547"),
    }
    assert totals(docs[JUSTICE_UNIT], "general_budget_basic_economic") == {
        "total": D("22118861.34"),
        "personnel": D("20272981.00"),
        "public_expense": D("1845880.34"),
    }


FUNCTIONAL_TABLE = {  # table 5: (rows, 类, 款, 项, first 项 code, name, total)
    COMMERCE_DEPT: (31, 7, 7, 16, "2011301", "行政运行", "9389913.00"),
    COMMERCE_UNIT: (31, 7, 7, 16, "2011301", "行政运行", "9389913.00"),
    JUSTICE_DEPT: (22, 4, 4, 13, "2040601", "行政运行", "16726725.44"),
    JUSTICE_UNIT: (22, 4, 4, 13, "2040601", "行政运行", "14348853.34"),
}


@pytest.mark.parametrize("name", NAMES)
def test_functional_tables(docs, name):
    size, classes, items, subitems, code, label, amount = FUNCTIONAL_TABLE[name]
    for number in ("revenue_summary", "expenditure_summary", "general_budget_functional"):
        rows = table(docs[name], number)
        assert len(rows) == size
        levels = Counter(r["level"] for r, _ in rows)
        assert (levels[1], levels[2], levels[3]) == (classes, items, subitems)
        first = next(r for r, _ in rows if r["level"] == 3)
        assert (first["function_code"], first["name"]) == (code, label)
        assert (first["class_code"], first["item_code"], first["subitem_code"]) == (
            code[:3],
            code[3:5],
            code[5:],
        )
        assert next(a for r, a in rows if r is first)["total"] == D(amount)
    # sums of the printed classes equal the printed 合计
    for number in ("expenditure_summary", "general_budget_functional"):
        rows = table(docs[name], number)
        tops = [a for r, a in rows if r["level"] == 1]
        assert sum(a["total"] for a in tops) == totals(docs[name], number)["total"]


def test_class_rows_are_sums_of_their_rows_except_where_printed_otherwise(docs):
    for name in (COMMERCE_DEPT, COMMERCE_UNIT, JUSTICE_DEPT):
        for number in (
            "revenue_summary",
            "expenditure_summary",
            "general_budget_functional",
            "general_budget_basic_economic",
        ):
            assert parent_mismatches(docs[name], number) == [], (name, number)
    # The justice unit budget prints 项目支出 64,840,547.00 on its 行政运行 row too.
    for number in ("expenditure_summary", "general_budget_functional"):
        assert parent_mismatches(docs[JUSTICE_UNIT], number) == [
            ("20406", "project", D("64840547.00"), D("129681094.00"))
        ]
        row = next(
            a for r, a in table(docs[JUSTICE_UNIT], number) if r["function_code"] == "2040601"
        )
        assert row == {
            "total": D("14348853.34"),
            "basic": D("14348853.34"),
            "project": D("64840547.00"),
        }
    assert parent_mismatches(docs[JUSTICE_UNIT], "revenue_summary") == []
    assert parent_mismatches(docs[JUSTICE_UNIT], "general_budget_basic_economic") == []


ECONOMIC = {  # table 8: rows, classes, items, 30101 amount, 合计 / 人员经费 / 公用经费
    COMMERCE_DEPT: (31, 4, 26, "1952616.00", "19830655.00", "18120593.00", "1710062.00"),
    COMMERCE_UNIT: (31, 4, 26, "1952616.00", "19830655.00", "18120593.00", "1710062.00"),
    JUSTICE_DEPT: (30, 4, 25, "2892504.00", "25741666.44", "23563342.00", "2178324.44"),
    JUSTICE_UNIT: (30, 4, 25, "2486040.00", "22118861.34", "20272981.00", "1845880.34"),
}


@pytest.mark.parametrize("name", NAMES)
def test_economic_table(docs, name):
    size, classes, items, salary, total, personnel, public = ECONOMIC[name]
    rows = table(docs[name], "general_budget_basic_economic")
    assert len(rows) == size
    levels = Counter(r["level"] for r, _ in rows)
    assert (levels[1], levels[2]) == (classes, items)
    assert [r["economic_code"] for r, _ in rows if r["level"] == 1] == ["301", "302", "303", "310"]
    assert next(a for r, a in rows if r["economic_code"] == "30101")["total"] == D(salary)
    expected = {"total": D(total), "personnel": D(personnel), "public_expense": D(public)}
    assert totals(docs[name], "general_budget_basic_economic") == expected
    assert sum(a["total"] for r, a in rows if r["level"] == 1) == D(total)


# (total, outbound, vehicles, purchase, operation, reception) and 机关运行经费, in 万元
THREE_PUBLIC = {
    COMMERCE_DEPT: (("1.00", "0", "0", "0", "0", "1.00"), "171.01"),
    COMMERCE_UNIT: (("1.00", "0", "0", "0", "0", "1.00"), "171.01"),
    JUSTICE_DEPT: (("10.81", "0", "9.98", "0", "9.98", "0.83"), "217.83"),
    JUSTICE_UNIT: (("10.71", "0", "9.98", "0", "9.98", "0.73"), "184.59"),
}
THREE_PUBLIC_ITEMS = ["three_public_total", "outbound", "vehicle_total"]
THREE_PUBLIC_ITEMS += ["vehicle_purchase", "vehicle_operation", "reception"]


@pytest.mark.parametrize("name", NAMES)
def test_three_public_and_operating_funds(docs, name):
    wan, operating = THREE_PUBLIC[name]
    figures = stated(docs[name])
    expected = [D(v) * 10000 for v in wan]
    assert [figures[item] for item in THREE_PUBLIC_ITEMS] == expected
    assert {figures[f"{item}_change"] for item in THREE_PUBLIC_ITEMS} == {D("0.00")}  # 持平
    assert figures["operating_funds"] == D(operating) * 10000
    ((row, amounts),) = table(docs[name], "three_public")
    # its 合计 column is the 三公 total; the commerce budgets leave the zero cells blank
    printed = {
        "three_public_total" if k == "total" else k: v
        for k, v in amounts.items()
        if k != "operating_funds"
    }
    assert {
        k: v for k, v in zip(THREE_PUBLIC_ITEMS, expected, strict=True) if k in printed
    } == printed
    assert amounts["operating_funds"] == D(operating) * 10000
    assert len(printed) == (2 if "commerce" in name else 6)


PROCUREMENT = {  # total, goods, works, services (万元)
    COMMERCE_DEPT: ("38.20", "7.80", "0", "30.40"),
    COMMERCE_UNIT: ("38.20", "7.80", "0", "30.40"),
    JUSTICE_DEPT: ("1486.42", "3.66", "36.44", "1446.32"),
    JUSTICE_UNIT: ("1484.2", "1.44", "36.44", "1446.32"),
}


@pytest.mark.parametrize("name", NAMES)
def test_procurement(docs, name):
    figures = stated(docs[name])
    items = ["procurement_total", "procurement_goods", "procurement_works"]
    items += ["procurement_services"]
    assert [figures[i] for i in items] == [D(v) * 10000 for v in PROCUREMENT[name]]
    assert figures[items[0]] == sum(figures[i] for i in items[1:])


FUNCTIONAL_LINES = {  # count, sum (元), performance project count and amount (元)
    COMMERCE_DEPT: (16, "371514600.00", 25, "113816000.00"),
    COMMERCE_UNIT: (16, "371514600.00", 25, "113816000.00"),
    JUSTICE_DEPT: (13, "96282100.00", 20, "70540500.00"),
    JUSTICE_UNIT: (13, "86959500.00", 19, "64840500.00"),
}


@pytest.mark.parametrize("name", NAMES)
def test_functional_lines_and_performance(docs, name):
    size, total, projects, money = FUNCTIONAL_LINES[name]
    lines_ = docs[name]["functional_lines"]
    assert [f["printed_number"] for f in lines_] == list(range(1, size + 1))
    assert sum(f["amount_yuan"] for f in lines_) == D(total)
    assert all(f["function_name"] and f["purpose"] for f in lines_)
    # each line names a 项 row of table 5, in order, with the same amount to the 万元 cent
    subitems = [
        (r, a) for r, a in table(docs[name], "general_budget_functional") if r["level"] == 3
    ]
    for line, (row, amounts) in zip(lines_, subitems, strict=True):
        assert line["subitem_name"] == row["name"]
        assert line["amount_yuan"] == (amounts["total"] / 100).quantize(D(1), ROUND_HALF_UP) * 100
    assert counts(docs[name])["performance_project_count"] == projects
    assert stated(docs[name])["performance_projects_amount"] == D(money)


def test_functional_line_details(docs):
    first = docs[COMMERCE_DEPT]["functional_lines"][12]  # wrapped: 29,381.00万 / 元
    assert (first["class_name"], first["item_name"], first["subitem_name"]) == (
        "资源勘探工业信息等支出",
        "支持中小企业发展和管理支出",
        "其他支持中小企业发展和管理支出",
    )
    # no code printed: the classification's, by the names the line prints
    assert (first["amount_text"], first["amount_yuan"], first["function_code"]) == (
        "29,381.00万元",
        D("293810000.00"),
        "2150899",
    )
    assert first["code_source"] == "classification"
    line = docs[JUSTICE_DEPT]["functional_lines"][0]
    assert line["function_name"] == "公共安全支出（204类）司法（06款）行政运行（01项）"
    assert (line["function_code"], line["prior_year"], line["prior_amount_yuan"]) == (
        "2040601",
        2025,
        D("16906900.00"),
    )
    assert (line["change_text"], line["change_percent"], line["reason"]) == (
        "减少1.07%",
        D("-1.07"),
        "部分人员退休",
    )


def test_functional_line_errors_as_printed(docs):
    justice = docs[JUSTICE_DEPT]["functional_lines"]
    # 其他司法支出: 2025 execution printed as 43269.3万元 (the unit budget: 3269.3万元)
    assert justice[5]["prior_amount_text"] == "43269.3万元"
    assert docs[JUSTICE_UNIT]["functional_lines"][5]["prior_amount_text"] == "3269.3万元"
    # 住房公积金: 208.8万元, then "2026年预算安排201.50万元"
    assert (justice[11]["amount_text"], justice[11]["planned_amount_text"]) == (
        "208.8万元",
        "201.50万元",
    )
    # 210 is named 医疗卫生与计划生育支出 in the narrative, 卫生健康支出 in the tables
    assert justice[10]["class_name"] == "医疗卫生与计划生育支出"
    assert [
        r["name"]
        for r, _ in table(docs[JUSTICE_DEPT], "general_budget_functional")
        if r["function_code"] == "210"
    ] == ["卫生健康支出"]
    unit = docs[JUSTICE_UNIT]["functional_lines"][
        12
    ]  # 购房补贴 207万元, 安排170.03万元, 增加21.74%
    assert (unit["amount_text"], unit["planned_amount_text"], unit["prior_amount_text"]) == (
        "207万元",
        "170.03万元",
        "241.76万元",
    )
    assert unit["change_percent"] == D("21.74")


PROJECT_PAGES = {
    COMMERCE_DEPT: [
        ("科技创新专项", "17200000.00"),
        ("生命健康专项（政策资金）", "11700000.00"),
        ("商业创新专项（政策资金）", "14100000.00"),
        ("贸易高质量发展专项（政策资金）", "29210000.00"),
    ],
    COMMERCE_UNIT: [],
    JUSTICE_DEPT: [("人民调解项目", "7950000.00")],
    JUSTICE_UNIT: [],
}


@pytest.mark.parametrize("name", NAMES)
def test_project_pages(docs, name):
    pages = docs[name].get("project_pages", [])
    assert [(p["project_name"], p["annual_budget_yuan"]) for p in pages] == [
        (project, D(amount)) for project, amount in PROJECT_PAGES[name]
    ]
    for page in pages:
        assert all(page[f] for f in ["overview", "basis", "implementer", "plan", "period"])
        assert page["performance_goal"] and page["page"] >= 23


def test_project_page_fields(docs):
    science, *_ = docs[COMMERCE_DEPT]["project_pages"]
    assert (science["page"], science["period"], science["annual_budget_amount_text"]) == (
        23,
        "2025.1.1-2025.12.31",
        "1720.00万",
    )
    assert science["basis"].count("\n") == 1  # two numbered documents
    (mediation,) = docs[JUSTICE_DEPT]["project_pages"]
    assert mediation["annual_budget_text"] == "795万元"
    assert mediation["period"] == "2025年1月1日-2025年12月31日"  # as printed in a 2026 budget


def test_state_assets(docs):
    expected = {"held_vehicles": 3, "held_vehicles_law_enforcement": 3}
    expected |= {"held_equipment_over_1m": 0, "planned_vehicles": 0}
    assert expected.items() <= counts(docs[JUSTICE_DEPT]).items()
    held = next(s for s in docs[JUSTICE_DEPT]["stated_counts"] if s["item"] == "held_vehicles")
    assert held["as_of"] == "2025-08-31"
    assert counts(docs[COMMERCE_DEPT])["held_vehicles"] == 0


def test_parse_is_fast(lines):
    """Parsing stays well within 3× the time PyMuPDF takes to read the text."""
    for name in NAMES:
        data = (SHANGHAI / f"{name}.pdf").read_bytes()
        read = min(_timed(read_pdf, data) for _ in range(7))
        parse = min(_timed(template_b.parse, lines[name], name) for _ in range(7))
        assert parse < 3 * read, (name, parse, read)


def _timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def test_table_continues_without_repeated_header(docs, lines):
    """Page 16 repeats table 5's header; without it the rows keep the page 15 columns."""
    repeated = {"项目", "功能分类科目编码", "功能分类科目名称", "类"}
    trimmed = [
        line for line in lines[COMMERCE_DEPT] if not (line.page == 16 and line.cells[0] in repeated)
    ]
    assert len(trimmed) == len(lines[COMMERCE_DEPT]) - 3  # its three header rows
    again = template_b.parse(trimmed, COMMERCE_DEPT)
    assert table(again, "general_budget_functional") == table(
        docs[COMMERCE_DEPT], "general_budget_functional"
    )


@pytest.mark.parametrize("name", NAMES)
def test_contents_and_titles_name_the_nine_tables_and_the_year(docs, name):
    records = docs[name]
    year = records["documents"][0]["fiscal_year"]
    by_kind = {
        kind: [h["table_kind"] for h in records["headings"] if h["kind"] == kind]
        for kind in ("contents", "heading")
    }
    nine = list(NINE)
    assert [n for n in by_kind["contents"] if n] == nine
    assert [n for n in by_kind["heading"] if n] == nine
    assert {h["year"] for h in records["headings"] if h["year"]} == {year}
