"""Final accounts (部门决算) of the Shanghai family on the two real Putuo documents and the
district's template: golden figures, read off the PDFs. Money in 元 (万元 × 10000), as printed."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from orchestration.load.schema import raw_tables
from orchestration.parse import final_accounts, template_a, template_b
from orchestration.parse.catalog import kind_by_id, kind_of_title, kinds
from orchestration.parse.coverage import number_coverage
from orchestration.parse.document import PARSER_VERSION, parse_bytes
from orchestration.parse.functional_lines import read_final_accounts_line
from orchestration.parse.run import dumps
from orchestration.read.pdf import read_pdf

# the national tables the final accounts print, in their own contents' order
FAMILIES = (
    "revenue_expenditure_summary",
    "revenue_summary",
    "expenditure_summary",
    "fiscal_summary",
    "general_budget_functional",
    "general_budget_basic_economic",
    "three_public",
    "government_fund",
    "state_capital",
)

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample" / "shanghai"
SOCIAL = "putuo_social_work_2024_department_final_accounts"
PLANNING = "putuo_planning_resources_2024_department_final_accounts"
TEMPLATE = "putuo_2024_department_final_accounts_template"
PATHS = {
    SOCIAL: SAMPLE / f"{SOCIAL}.pdf",
    PLANNING: SAMPLE / f"{PLANNING}.pdf",
    TEMPLATE: ROOT / "tests" / "fixtures" / f"{TEMPLATE}.pdf",
}


def W(text: str) -> Decimal:
    """万元 as printed, in 元."""
    return (Decimal(text) * 10000).quantize(Decimal("0.01"))


@pytest.fixture(scope="module")
def lines() -> dict[str, list]:
    return {name: read_pdf(path.read_bytes()) for name, path in PATHS.items()}


@pytest.fixture(scope="module")
def docs(lines) -> dict[str, dict[str, list[dict]]]:
    return {name: final_accounts.parse(lines[name], name) for name in PATHS}


def table(records: dict, family: str) -> tuple[dict, list[tuple[dict, dict[str, Decimal]]]]:
    """A table's record and its rows, each with its amounts by column id: the table of the
    final accounts that is the national table `family`."""
    (meta,) = [t for t in records["budget_tables"] if kind_by_id(t["table_kind"]).family == family]
    amounts: dict[int, dict[str, Decimal]] = {}
    for a in records.get("budget_table_amounts", []):
        if a["table_ordinal"] == meta["table_ordinal"]:
            amounts.setdefault(a["row_ordinal"], {})[a["column_id"]] = a["amount_yuan"]
    rows = [
        r
        for r in records.get("budget_table_rows", [])
        if r["table_ordinal"] == meta["table_ordinal"]
    ]
    return meta, [(row, amounts.get(row["row_ordinal"], {})) for row in rows]


def named(records: dict, family: str, name: str, side: str | None = None) -> dict[str, Decimal]:
    (amounts,) = [
        a for r, a in table(records, family)[1] if r["name"] == name and r["side"] == side
    ]
    return amounts


def stated(records: dict, section: str) -> dict[str, Decimal | str]:
    """A section's stated figures: money in 元, percentages as printed."""
    out = {}
    for s in records.get("stated_amounts", []):
        if s["section"] == section:
            out[s["item"]] = s["amount_yuan"] if s["amount_yuan"] is not None else s["amount_text"]
    return out


# --- recognition and identity ----------------------------------------------------------------


IDENTITY = {
    SOCIAL: (
        "中共上海市普陀区委社会工作部2024年度部门决算",
        "中共上海市普陀区委社会工作部",
        "上海市普陀区",
    ),
    PLANNING: (
        "上海市普陀区规划和自然资源局2024年度部门决算",
        "上海市普陀区规划和自然资源局",
        "上海市普陀区",
    ),
    TEMPLATE: ("上海市XX局2024年度部门决算", "上海市XX局", "上海市"),  # the template's XX, kept
}


@pytest.mark.parametrize("name", list(PATHS))
def test_identity(docs, lines, name):
    assert final_accounts.is_final_accounts(lines[name])
    assert not template_b.is_template_b(lines[name]) and not template_a.is_template_a(lines[name])
    (doc,) = docs[name]["documents"]
    title, department, region = IDENTITY[name]
    assert (doc["title"], doc["department_name"], doc["region_text"]) == (title, department, region)
    assert (doc["template"], doc["kind"], doc["level"], doc["fiscal_year"]) == (
        "B",
        "final_accounts",
        "department",
        2024,
    )
    assert doc["department_code"] is None


def test_parse_bytes_places_final_accounts(lines):
    records = parse_bytes(PATHS[SOCIAL].read_bytes(), {"source_name": "x"})
    (doc,) = records["documents"]
    assert (doc["status"], doc["kind"], doc["parser_version"]) == (
        "parsed",
        "final_accounts",
        PARSER_VERSION,
    )


def test_budgets_are_no_final_accounts():
    for path in (ROOT / "sample" / "shanghai").glob("*_budget.pdf"):
        assert not final_accounts.is_final_accounts(read_pdf(path.read_bytes())[:80])


def test_titles_are_looked_up_by_phase():
    assert kind_of_title("收入支出决算总表") is None  # never a budget kind
    assert kind_of_title("财务收支预算总表", phase="final_accounts") is None
    general = kind_of_title("一般公共预算财政拨款支出决算表", phase="final_accounts")
    assert general.family == "general_budget_functional"
    three = kind_of_title("财政拨款“三公”经费支出决算表", phase="final_accounts")
    assert three.family == "three_public"
    printed = {k.printed_number: k.family for k in kinds("final_accounts")}
    assert printed == dict(enumerate(FAMILIES, start=1))


def test_records_fit_the_raw_schema_and_serialise(docs):
    for name, records in docs.items():
        json.loads(dumps(records))
        for table_name, rows in records.items():
            columns = raw_tables()[table_name].names
            for row in rows:
                assert row.keys() <= columns, (table_name, row.keys() - columns)
                assert row["document_key"] == name and row["line_no"] and row["page"]


# --- 概况, 名词解释 ----------------------------------------------------------------------------


def test_duties_units_glossary(docs):
    social, planning = docs[SOCIAL], docs[PLANNING]
    assert len(social["duties"]) == 1 and social["duties"][0]["duty_text"].endswith("等。")
    assert [d["printed_number"] for d in planning["duties"]] == list(range(1, 15))
    assert [u["unit_name"] for u in social["units"]] == [
        "中共上海市普陀区委社会工作部（本级）",
        "上海市普陀区社会工作发展服务中心",
    ]
    assert len(planning["units"]) == 5
    assert (
        planning["units"][1]["unit_name"]
        == "上海市普陀区规划和自然资源局执法大队（下属参公事业单位）"
    )
    for records in docs.values():
        terms = [g["term"] for g in records["glossary"]]
        assert len(terms) == 11 and terms[0] == "财政拨款收入" and terms[-1] == "机关运行经费"


# --- the nine tables -------------------------------------------------------------------------


def test_every_table_is_found(docs):
    for records in docs.values():
        tables = sorted(records["budget_tables"], key=lambda t: t["printed_number"])
        assert [kind_by_id(t["table_kind"]).family for t in tables] == list(FAMILIES)
        assert [t["printed_number"] for t in tables] == list(range(1, 10))
        assert {t["unit_text"] for t in records["budget_tables"]} == {"万元"}


@pytest.mark.parametrize(
    ("name", "income", "expenditure", "opening", "closing", "total"),
    [
        (SOCIAL, "307.82", "307.82", None, None, "307.82"),
        (PLANNING, "9746.50", "9759.38", "112.88", "100.00", "9859.38"),
    ],
)
def test_revenue_expenditure_summary(docs, name, income, expenditure, opening, closing, total):
    records = docs[name]
    assert named(records, "revenue_expenditure_summary", "本年收入合计", "income") == {
        "amount": W(income)
    }
    assert named(records, "revenue_expenditure_summary", "本年支出合计", "expenditure") == {
        "amount": W(expenditure)
    }
    assert named(records, "revenue_expenditure_summary", "总计", "income") == named(
        records, "revenue_expenditure_summary", "总计", "expenditure"
    )
    assert named(records, "revenue_expenditure_summary", "总计", "income") == {"amount": W(total)}
    opened = named(records, "revenue_expenditure_summary", "年初结转和结余", "income")
    assert opened == ({"amount": W(opening)} if opening else {})
    closed = named(
        records, "revenue_expenditure_summary", "年末结转和结余", "expenditure"
    )  # an expenditure item, by place
    assert closed == ({"amount": W(closing)} if closing else {})
    assert named(records, "revenue_expenditure_summary", "结余分配", "expenditure") == {}
    rows = table(records, "revenue_expenditure_summary")[1]
    roles = {r["name"]: (r["row_role"], r["row_item"]) for r, _ in rows}
    assert roles["总计"] == ("total", "grand_total")
    assert roles["本年收入合计"] == ("subtotal", "income_year_total")
    assert roles["年初结转和结余"] == ("line", "opening_balance")


def test_revenue_and_expenditure_tables(docs):
    social, planning = docs[SOCIAL], docs[PLANNING]
    assert named(social, "revenue_summary", "合计") == {
        "total": W("307.82"),
        "fiscal_revenue": W("307.82"),
    }
    assert named(social, "expenditure_summary", "合计") == {
        "total": W("307.82"),
        "basic": W("105.58"),
        "project": W("202.24"),
    }
    assert named(planning, "revenue_summary", "合计") == {
        "total": W("9746.50"),
        "fiscal_revenue": W("9746.50"),
    }
    # planning prints its 支出决算表 header outside the grid, wrapped: still read
    assert named(planning, "expenditure_summary", "合计") == {
        "total": W("9759.38"),
        "basic": W("5377.64"),
        "project": W("4381.74"),
    }
    rows = {
        r["function_code"]: (r, a)
        for r, a in table(social, "expenditure_summary")[1]
        if r["function_code"]
    }
    row, amounts = rows["2013901"]
    assert (row["level"], row["class_code"], row["item_code"], row["subitem_code"]) == (
        3,
        "201",
        "39",
        "01",
    )
    assert row["name"] == "行政运行" and amounts == {"total": W("51.32"), "basic": W("51.32")}
    assert (rows["20139"][0]["level"], rows["201"][0]["level"]) == (2, 1)
    assert len(rows) == 17
    planning_rows = {
        r["function_code"]: a
        for r, a in table(planning, "expenditure_summary")[1]
        if r["function_code"]
    }
    assert planning_rows["2120201"] == {
        "total": W("2739.56"),
        "basic": W("488.68"),
        "project": W("2250.88"),
    }


def test_fiscal_summary_and_general_budget(docs):
    social, planning = docs[SOCIAL], docs[PLANNING]
    assert named(social, "fiscal_summary", "本年支出合计", "expenditure") == {
        "total": W("307.82"),
        "general_budget": W("307.82"),
    }
    # 一、一般公共预算财政拨款 is printed twice: the year's revenue, then under 年初…结转和结余
    income = [
        a for r, a in table(social, "fiscal_summary")[1] if r["name"] == "一、一般公共预算财政拨款"
    ]
    assert income == [{"amount": W("307.82")}, {}]
    assert named(planning, "fiscal_summary", "总计", "income") == {"amount": W("9746.50")}
    assert named(planning, "fiscal_summary", "十一、城乡社区支出", "expenditure") == {
        "total": W("3832.36"),
        "general_budget": W("3832.36"),
    }
    assert named(social, "general_budget_functional", "合计") == {
        "total": W("307.82"),
        "basic": W("105.58"),
        "project": W("202.24"),
    }
    assert named(planning, "general_budget_functional", "合计") == {
        "total": W("9746.50"),
        "basic": W("5364.75"),
        "project": W("4381.74"),
    }


def test_basic_expenditure_by_economic_class(docs):
    for name, items, personnel, public, office in [
        (SOCIAL, 65, "95.36", "10.23", "3.78"),
        (PLANNING, 65, "4884.09", "480.66", "84.62"),
    ]:
        meta, rows = table(docs[name], "general_budget_basic_economic")
        coded = {r["economic_code"]: (r, a) for r, a in rows if r["economic_code"]}
        assert len(coded) == items, name
        row, amounts = coded["30201"]
        assert (row["name"], row["level"], row["class_code"], row["item_code"]) == (
            "办公费",
            2,
            "302",
            "01",
        )
        assert amounts == {"amount": W(office)}
        assert coded["301"][0]["level"] == 1
        assert named(docs[name], "general_budget_basic_economic", "人员经费合计") == {
            "personnel": W(personnel)
        }
        assert named(docs[name], "general_budget_basic_economic", "公用经费合计") == {
            "public_expense": W(public)
        }
        totals = [r["name"] for r, _ in rows if r["row_role"] == "subtotal" and not r["level"]]
        assert totals == ["人员经费合计", "公用经费合计"]
        heads = {r["economic_code"] for r, _ in rows if r["row_role"] == "subtotal" and r["level"]}
        assert heads == {r["economic_code"][:3] for r, _ in rows if r["level"] == 2}


def test_three_public_budget_and_actual(docs):
    meta, rows = table(docs[PLANNING], "three_public")
    ((_, amounts),) = rows
    assert amounts == {
        "three_public_total_budget": W("2.85"),
        "three_public_total": W("0.39"),
        "outbound_budget": W("0.00"),
        "outbound": W("0.00"),
        "vehicle_total_budget": W("0.00"),
        "vehicle_total": W("0.00"),
        "vehicle_purchase_budget": W("0.00"),
        "vehicle_purchase": W("0.00"),
        "vehicle_operation_budget": W("0.00"),
        "vehicle_operation": W("0.00"),
        "reception_budget": W("2.85"),
        "reception": W("0.39"),
    }
    empty, no_rows = table(docs[SOCIAL], "three_public")
    assert no_rows == [] and empty["row_count"] == 0
    assert "本年度没有财政拨款“三公”经费支出，故本表无数据" in empty["note"]


@pytest.mark.parametrize("name", [SOCIAL, PLANNING])
def test_empty_fund_tables_keep_their_note(docs, name):
    for family in ("government_fund", "state_capital"):
        meta, rows = table(docs[name], family)
        assert rows == [] and meta["row_count"] == 0
        assert meta["note"].startswith("注：") and meta["note"].endswith("故本表无数据。")


def test_template_shows_its_tables_without_figures(docs):
    records = docs[TEMPLATE]
    assert len(records["budget_tables"]) == 9
    assert not records.get("budget_table_amounts")
    rows = {r["function_code"] for r, _ in table(records, "revenue_summary")[1]}
    assert {"205", "20502", "2050205"} <= rows
    assert len(records["units"]) == 8  # 上海市XX 局（本级） … and the template's 。。。 rows


# --- narrative -------------------------------------------------------------------------------


def test_social_work_narrative(docs):
    records = docs[SOCIAL]
    assert stated(records, "overall") == {
        "revenue_expenditure_total": W("307.82"),
        "revenue_expenditure_total_change": W("307.82"),
        "revenue_expenditure_total_change_percent": "增长100.00%",
    }
    assert stated(records, "revenue")["revenue_total"] == W("307.82")
    expenditure = stated(records, "expenditure")
    assert (expenditure["basic_expenditure"], expenditure["project_expenditure"]) == (
        W("105.58"),
        W("202.24"),
    )
    assert expenditure["basic_expenditure_share"] == "占34.30%"
    detail = stated(records, "general_budget_detail")
    assert detail == {
        "general_budget_initial_budget": W("0"),
        "general_budget_full_year_budget": W("321.02"),
        "general_budget_expenditure": W("307.82"),
        "general_budget_expenditure_execution_percent": "完成年初预算的95.89%",
    }
    assert stated(records, "operating_funds")["operating_funds_change"] == W("10.23")
    assert stated(records, "three_public") == {}  # 无“三公”经费财政拨款支出
    procurement = stated(records, "procurement")
    assert (procurement["procurement_total"], procurement["procurement_works"]) == (
        W("21.07"),
        W("0"),
    )
    counts = {c["item"]: c for c in records["stated_counts"]}
    assert counts["performance_project_count"]["count"] == 1
    assert stated(records, "performance")["performance_projects_amount"] == W("175.52")
    assert counts["held_vehicles"]["as_of"] == "2024-12-31"


def test_planning_narrative(docs):
    records = docs[PLANNING]
    changes = {
        s["item"]: (s["amount_yuan"], s["reference_year"])
        for s in records["stated_amounts"]
        if s["item"].endswith("_change")
    }
    assert changes["revenue_expenditure_total_change"] == (W("1062.85"), 2023)
    assert changes["operating_funds_change"] == (W("-13.52"), 2023)
    assert changes["three_public_total_change"] == (W("-0.15"), 2023)
    assert changes["outbound_change"] == (Decimal("0.00"), 2023)  # 与上一年度持平
    assert changes["reception_change"] == (W("-0.15"), 2023)
    three = stated(records, "three_public")
    assert (three["three_public_total_budget"], three["three_public_total"]) == (
        W("2.85"),
        W("0.39"),
    )
    assert (three["outbound"], three["vehicle_total"], three["reception"]) == (
        W("0.00"),
        W("0.00"),
        W("0.39"),
    )
    assert three["reception_execution_percent"] == "完成预算的13.68%"
    assert stated(records, "general_budget")["general_budget_expenditure_change_percent"] == (
        "增长13.95"  # printed without its %
    )
    procurement = stated(records, "procurement")
    assert [procurement[f"procurement_{k}"] for k in ("total", "goods", "works", "services")] == [
        W("2319.21"),
        W("122.43"),
        W("1387.72"),
        W("809.07"),
    ]
    counts = {c["item"]: c["count"] for c in records["stated_counts"]}
    assert (counts["performance_project_count"], counts["reception_people"]) == (39, 26)


# --- functional lines: budget against actual -------------------------------------------------

SOCIAL_LINES = [
    ("行政运行", "全年预算", "52.00", "51.32", "less", "98.69"),
    ("事业运行", "全年预算", "17.68", "11.31", "less", None),
    ("其他社会工作事务支出", "全年预算", "202.24", "202.24", "equal", None),
    ("机关事业单位基本养老保险缴费支出", "全年预算", "9.00", "6.18", "less", None),
    ("机关事业单位职业年金缴费支出", "全年预算", "5.74", "4.64", "less", None),
    ("行政单位医疗", "全年预算", "2.23", "2.22", "less", "99.55"),
    ("事业单位医疗", "全年预算", "2.29", "0.49", "less", None),
    ("住房公积金", "全年预算", "18.12", "17.70", "less", "97.68"),
    ("购房补贴", "全年预算", "11.72", "11.72", "equal", None),
]
PLANNING_LINES = [
    ("行政单位离退休", "年初预算", "54.53", "54.53", "equal", "100.00"),
    ("事业单位离退休", "年初预算", "28.11", "28.11", "equal", "100.00"),
    ("机关事业单位基本养老保险缴费支出", "年初预算", "452.40", "446.11", "less", "98.61"),
    ("机关事业单位职业年金缴费支出", "年初预算", "226.25", "225.12", "less", "99.50"),
    ("机关事业单位退休人员活动费支出", "年初预算", "0.88", "0.88", "equal", "100.00"),
    ("行政单位医疗", "年初预算", "42.73", "40.35", "less", "94.43"),
    ("事业单位医疗", "年初预算", "196.40", "196.29", "less", "99.94"),
    ("行政运行", "年初预算", "1115.48", "1092.80", "less", "97.97"),
    ("城乡社区规划与管理", "年初预算", "3110.14", "2739.56", "less", "88.08"),
    ("事业运行", "年初预算", "4477.33", "4416.67", "less", "98.65"),
    ("其他国土资源事务支出", "年初预算", "45.00", "45.00", "equal", "100.00"),
    ("住房公积金", "年初预算", "289.59", "289.59", "equal", "100.00"),
    ("购房补贴", "年初预算", "171.49", "171.49", "equal", "100.00"),
]


@pytest.mark.parametrize(("name", "expected"), [(SOCIAL, SOCIAL_LINES), (PLANNING, PLANNING_LINES)])
def test_functional_lines_budget_and_actual(docs, name, expected):
    lines_ = docs[name]["functional_lines"]
    got = [
        (
            f["subitem_name"],
            f["budget_basis"],
            f["budget_yuan"],
            f["amount_yuan"],
            f["comparison"],
            f["execution_percent"],
        )
        for f in lines_
    ]
    want = [
        (sub, basis, W(budget), W(actual), cmp, Decimal(pct) if pct else None)
        for sub, basis, budget, actual, cmp, pct in expected
    ]
    assert got == want
    assert [f["printed_number"] for f in lines_] == list(range(1, len(expected) + 1))
    for f in lines_:
        assert f["class_name"] and f["item_name"] and f["purpose"]
        assert (f["reason"] is None) == (f["comparison"] == "equal")


def test_functional_line_comparison_texts(docs):
    social = docs[SOCIAL]["functional_lines"]
    assert social[0]["comparison_text"] == "决算数小于全年预算数"
    assert social[0]["reason"] == "人员变动引起实际支出低于预算"
    assert social[2]["comparison_text"] == "决算数与全年预算数持平"
    assert social[4]["comparison_text"] == "决算数小于预算数"  # as printed
    assert docs[PLANNING]["functional_lines"][0]["comparison_text"] == "决算数同预算数持平"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "1、一般公共服务支出（类）社会工作事务（款）行政运行（项）。主要用于：人员支出。"
            "全年预算为52.00 万元，支出决算为51.32 万元，完成全年预算数的98.69%。"
            "决算数小于全年预算数的主要原因：人员变动。",
            ("全年预算", "520000.00", "513200.00", "less", "98.69", "人员变动"),
        ),
        (
            "2、教育支出（类）普通教育（款）高等教育（项）。主要用于：教学。年初预算328,000 元，"
            "支出决算350,000.00元，完成年初预算的106.71%。决算数大于预算数的主要原因是：追加。",
            ("年初预算", "328000.00", "350000.00", "greater", "106.71", "追加"),
        ),
        (
            "3、“住房保障支出（类）住房改革支出（款）购房补贴（项）”。预算数为11.72万元，"
            "决算数为11.72万元。决算数等于预算数。",
            ("预算数", "117200.00", "117200.00", "equal", None, None),
        ),
        (
            "4、卫生健康支出（类）行政事业单位医疗（款）行政单位医疗（项）。全年预算为2.23 万"
            "元，支出决算为2.22 万元。决算数与全年预算数基本持平。",
            ("全年预算", "22300.00", "22200.00", "equal", None, None),
        ),
        (
            "5、城乡社区支出（类）城乡社区管理事务（款）行政运行（项）。年初预算为1115.48"
            "万元，支出决算为1092.80 万元，完成年初预算的97.97%。预决算持平。",
            ("年初预算", "11154800.00", "10928000.00", "equal", "97.97", None),
        ),
    ],
)
def test_final_accounts_line_forms(text, expected):
    fields = read_final_accounts_line(text)
    basis, budget, actual, comparison, percent, reason = expected
    assert fields["budget_basis"] == basis
    assert fields["budget_yuan"] == Decimal(budget) and fields["amount_yuan"] == Decimal(actual)
    assert fields["comparison"] == comparison
    assert fields["execution_percent"] == (Decimal(percent) if percent else None)
    assert fields["reason"] == reason
    assert fields["subitem_name"] and fields["class_name"]


# --- no silent losses ------------------------------------------------------------------------


@pytest.mark.parametrize("name", [SOCIAL, PLANNING])
def test_at_least_99_percent_of_printed_numbers_are_captured(docs, lines, name):
    printed, uncaptured = number_coverage(lines[name], docs[name])
    assert printed > 400
    assert (printed - len(uncaptured)) / printed >= 0.99, uncaptured
